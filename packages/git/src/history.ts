/**
 * The History tab's part of the model: the log of the repository (or of one
 * file, following renames), paged (`historyCount` commits a page) with the
 * branch graph computed as pages arrive, and the details of the selected
 * commit. Loaded when the tab is first shown, dropped when the repository
 * changes or a commit, pull or update moved the branch.
 */
import { CloudscapesRequestError, toRequestError } from '@cloudscapes/core';

import type { ICommit, ICommitDetails } from './api';
import { IGraphRow, graphRows } from './graph';
import type { GitModel } from './model';

export class GitHistory {
  constructor(private _model: GitModel) {}

  get commits(): readonly ICommit[] {
    return this._commits;
  }

  get rows(): readonly IGraphRow[] {
    return this._rows;
  }

  /**
   * Whether the log has more commits than loaded.
   */
  get hasMore(): boolean {
    return this._next !== null;
  }

  get loaded(): boolean {
    return this._loaded;
  }

  get loading(): boolean {
    return this._loading;
  }

  get error(): CloudscapesRequestError | null {
    return this._error;
  }

  /**
   * The file whose history is shown (repo-relative), or `null` for the whole log.
   */
  get file(): string | null {
    return this._file;
  }

  setFile(file: string | null): void {
    if (file === this._file) {
      return;
    }
    this._file = file;
    this.reset();
  }

  get selected(): string | null {
    return this._selected;
  }

  get details(): ICommitDetails | null {
    return this._details;
  }

  /**
   * Forget what is loaded (the next `load()` starts again).
   */
  reset(): void {
    this._generation++;
    this._commits = [];
    this._rows = [];
    this._lanes = [];
    this._next = 0;
    this._loaded = false;
    this._loading = false;
    this._error = null;
    this._selected = null;
    this._details = null;
    this._model._changed();
  }

  /**
   * Load the first page unless it is loaded.
   */
  async load(): Promise<void> {
    if (!this._loaded && !this._loading) {
      await this.loadMore();
    }
  }

  /**
   * Load the next page of the log.
   */
  async loadMore(): Promise<void> {
    const model = this._model;
    if (this._next === null || this._loading || !model.inRepo) {
      return;
    }
    const generation = this._generation;
    this._loading = true;
    model._changed();
    try {
      const page = await model.api.log(model.path, {
        offset: this._next,
        limit: model.settings.historyCount,
        ...(this._file ? { file: this._file } : {})
      });
      if (generation !== this._generation) {
        return;
      }
      const { rows, lanes } = graphRows(page.commits, this._lanes);
      this._commits = [...this._commits, ...page.commits];
      this._rows = [...this._rows, ...rows];
      this._lanes = lanes;
      this._next = page.next_offset;
      this._loaded = true;
      this._error = null;
    } catch (reason) {
      if (generation === this._generation) {
        this._error = toRequestError(reason);
      }
    } finally {
      if (generation === this._generation) {
        this._loading = false;
        model._changed();
      }
    }
  }

  /**
   * Select commit `oid` (or none) and load its details.
   */
  async select(oid: string | null): Promise<void> {
    const model = this._model;
    this._selected = oid;
    this._details = null;
    model._changed();
    if (!oid) {
      return;
    }
    try {
      const details = await model.api.commitDetails(model.path, oid);
      if (this._selected === oid) {
        this._details = details;
      }
    } catch (reason) {
      this._error = toRequestError(reason);
    }
    model._changed();
  }

  private _commits: ICommit[] = [];
  private _rows: IGraphRow[] = [];
  private _lanes: (string | null)[] = [];
  private _next: number | null = 0;
  private _loaded = false;
  private _loading = false;
  private _error: CloudscapesRequestError | null = null;
  private _file: string | null = null;
  private _selected: string | null = null;
  private _details: ICommitDetails | null = null;
  private _generation = 0;
}
