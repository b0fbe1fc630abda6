import { Token } from '@lumino/coreutils';

import type { ILazyView } from '@cloudscapes/core';

import type { IStatusFile, StageWhat } from './api';
import type { GitModel } from './model';
import type { GitPanel } from './panel';

/**
 * The plugin that owns the settings (schema/plugin.json) and the panel.
 */
export const PLUGIN_ID = '@cloudscapes/git:plugin';

/**
 * The panel's DOM id (and layout-restorer name).
 */
export const PANEL_ID = 'cloudscapes-git-panel';

export namespace CommandIDs {
  export const open = 'cloudscapes-git:open';
  export const refresh = 'cloudscapes-git:refresh';
  export const clone = 'cloudscapes-git:clone';
  export const init = 'cloudscapes-git:init';
  export const commit = 'cloudscapes-git:commit';
  export const stageAll = 'cloudscapes-git:stage-all';
  export const unstageAll = 'cloudscapes-git:unstage-all';
  export const pull = 'cloudscapes-git:pull';
  export const push = 'cloudscapes-git:push';
  export const fetch = 'cloudscapes-git:fetch';
  export const update = 'cloudscapes-git:update-tutorial';
  export const newBranch = 'cloudscapes-git:new-branch';
  export const stash = 'cloudscapes-git:stash';
  export const history = 'cloudscapes-git:history';
  export const openTerminal = 'cloudscapes-git:open-terminal';
  export const fileDiff = 'cloudscapes-git:file-diff';
  export const fileHistory = 'cloudscapes-git:file-history';
  export const fileDiscard = 'cloudscapes-git:file-discard';
  export const fileIgnore = 'cloudscapes-git:file-ignore';
}

/**
 * Which tab of the panel shows.
 */
export type PanelTab = 'changes' | 'history' | 'branches';

/**
 * The model and the panel, once the panel's chunk has loaded.
 */
export interface IGitView {
  readonly model: GitModel;
  readonly panel: GitPanel;
  readonly actions: IPanelActions;
}

/**
 * The Git panel in the sidebar. Its view (model, panel, components) is a chunk
 * of its own, loaded when the panel is first shown or a command needs it; the
 * diff views and dialogs are further chunks, loaded on first use.
 */
export type IGitPanel = ILazyView<IGitView>;

export const IGitPanel = new Token<IGitPanel>(
  '@cloudscapes/git:IGitPanel',
  'The Git panel of Cloudscapes: its view loads on first use.'
);

/**
 * What the panel's buttons do. Those that need a dialog, a notification or
 * another view (diffs, the terminal, the file browser) live in `actions.ts`;
 * the palette's commands call the same functions, so both behave alike.
 */
export interface IPanelActions {
  /** A click on a file row: its diff, the file, or its conflict view. */
  openFile(file: IStatusFile): void;
  openDiff(file: IStatusFile): void;
  openInEditor(file: string): void;
  stage(files: StageWhat): void;
  unstage(files: string[] | 'all'): void;
  /** Asks first; untracked files are deleted. */
  discard(files: IStatusFile[]): void;
  ignore(file: string, folder?: boolean): void;
  /** Resolves `true` when committed (the box then clears). */
  commit(
    summary: string,
    description: string,
    amend: boolean
  ): Promise<boolean>;
  showHistory(file: string | null): void;
  clone(): void;
  init(): void;
  pull(): void;
  push(): void;
  fetch(): void;
  update(): void;
  openTerminal(): void;
  /** Go to a folder in the file browser (a nested repository, a clone). */
  goTo(path: string): void;
  createBranch(): void;
  switchBranch(name: string): void;
  renameBranch(name: string): void;
  deleteBranch(name: string): void;
  mergeBranch(name: string): void;
  abortMerge(): void;
  createTag(): void;
  deleteTag(name: string): void;
  stash(): void;
  applyStash(index: number, pop: boolean): void;
  dropStash(index: number): void;
  addRemote(): void;
  removeRemote(name: string): void;
  /** A file of a commit: its diff against the commit's first parent. */
  openCommitFile(oid: string, parent: string | null, file: string): void;
}
