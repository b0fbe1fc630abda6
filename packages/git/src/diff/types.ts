/**
 * The answer of `GET cloudscapes/git/diff` as the views read it: the `Diff`
 * schema of `schema/git-history.yaml`, written here until core exports the
 * generated git types (then these become aliases of them).
 */

export type DiffLineKind = 'context' | 'add' | 'del';

export interface IDiffLine {
  kind: DiffLineKind;
  text: string;
  /** Line number in the old side (`null` for an added line). */
  old: number | null;
  /** Line number in the new side (`null` for a removed line). */
  new: number | null;
  /** The file ends with this line, without a newline. */
  no_eol?: boolean;
}

export interface IDiffHunk {
  header: string;
  old_start: number;
  old_lines: number;
  new_start: number;
  new_lines: number;
  lines: IDiffLine[];
}

export type CellStatus = 'unchanged' | 'modified' | 'added' | 'removed';

export interface ICellDiff {
  status: CellStatus;
  cell_type: string;
  old_source: string | null;
  new_source: string | null;
  hunks: IDiffHunk[];
  outputs_changed: boolean;
  metadata_changed: boolean;
}

export interface INotebookDiff {
  cells: ICellDiff[];
  metadata_changed: boolean;
}

export interface IImageSide {
  mime: string;
  /** base64 */
  data: string;
}

export type DiffKind = 'text' | 'notebook' | 'image' | 'binary' | 'too_large';

export interface IDiffAnswer {
  file: string;
  orig_file: string | null;
  /** The two sides as the server understood them. */
  from?: string;
  to?: string;
  kind: DiffKind;
  hunks: IDiffHunk[];
  notebook: INotebookDiff | null;
  image: { old: IImageSide | null; new: IImageSide | null } | null;
  old_size: number | null;
  new_size: number | null;
}

/**
 * What a diff compares: `from`/`to` are `HEAD`, `INDEX`, `WORKTREE` or a
 * revision (the server's default is INDEX → WORKTREE).
 */
export interface IDiffArgs {
  /** A folder inside the repository (client path, as every route takes it). */
  path: string;
  /** The file, repository-relative. */
  file: string;
  from?: string;
  to?: string;
  /** The tab's title (default: the file name and what is compared). */
  title?: string;
}
