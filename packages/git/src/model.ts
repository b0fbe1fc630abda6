/**
 * The Git panel's model: which repository the file browser's folder is in,
 * its status (polled slowly, never counted as activity, standing by while the
 * tab is hidden or the user idle; refreshed at once after a save or an
 * action), the actions on files (stage, unstage, discard, ignore, commit) and
 * the network operations, which are server jobs (clone, fetch, pull, push,
 * "Update the tutorial") followed by core's job tracker. The history and the
 * branch/tag/stash/remote lists are parts of their own (`history.ts`,
 * `refs.ts`) that share this model's repository.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import { PromiseDelegate } from '@lumino/coreutils';
import { Poll } from '@lumino/polling';
import { ISignal, Signal } from '@lumino/signaling';

import {
  CloudscapesRequestError,
  Job,
  JobAccepted,
  JobTracker,
  JobsModel,
  createPoller,
  setPollInterval,
  toRequestError,
  userIdle
} from '@cloudscapes/core';

import {
  FileGroup,
  GitAPI,
  ICommitResult,
  IGitHub,
  IRepoInfo,
  IStatus,
  IStatusFile,
  StageWhat,
  gitAPI
} from './api';
import { GitHistory } from './history';
import { GitRefs } from './refs';
import { GROUPS, appendPage, filesByGroup, upstreamRemote } from './status';

/**
 * The user's settings of the Git panel (schema/plugin.json).
 */
export interface IGitSettings {
  /** Milliseconds between status refreshes while the tab is visible. */
  refreshInterval: number;
  /** Keep refreshing while the tab is hidden (still not while idle). */
  refreshIfHidden: boolean;
  /** Clear the outputs of staged notebooks before committing. */
  clearOutputsBeforeCommit: boolean;
  /** Warn before committing a staged file larger than this (MB; 0 never). */
  largeFileWarningMB: number;
  /** Commits per page of the History tab. */
  historyCount: number;
  /** A click on a changed file opens its diff (else the file itself). */
  openDiffOnClick: boolean;
}

export const DEFAULT_SETTINGS: IGitSettings = {
  refreshInterval: 10000,
  refreshIfHidden: false,
  clearOutputsBeforeCommit: false,
  largeFileWarningMB: 50,
  historyCount: 25,
  openDiffOnClick: true
};

/**
 * The network operations, as the server's job kinds name them.
 */
export type RemoteOp = 'clone' | 'fetch' | 'pull' | 'push' | 'update';

/**
 * `isBusy` keys of actions on the whole repository.
 */
export const COMMITTING = '#commit';
export const INITIALIZING = '#init';

/**
 * The shortest time between two refreshes asked by saves (a burst of saves
 * makes one status request).
 */
const SAVE_DEBOUNCE = 300;

/**
 * Every how many refreshes the repository (not only its status) is read again.
 */
const REPO_RECHECK_TICKS = 6;

export class GitModel extends JobsModel<IGitSettings> {
  constructor(
    settings: IGitSettings = DEFAULT_SETTINGS,
    api: GitAPI = gitAPI,
    jobs?: JobTracker,
    trans?: TranslationBundle
  ) {
    super(settings, jobs, trans);
    this.api = api;
    this.history = new GitHistory(this);
    this.refs = new GitRefs(this);
    this.jobs.jobFinished.connect(this._onJobFinished, this);
  }

  readonly api: GitAPI;
  readonly history: GitHistory;
  readonly refs: GitRefs;

  get trans(): TranslationBundle {
    return this._trans;
  }

  protected onSettingsChanged(value: IGitSettings): void {
    if (this._poll) {
      setPollInterval(this._poll, value.refreshInterval);
      this._poll.standby = this._standby();
    }
  }

  // ---- the folder and its repository ---------------------------------------------

  /**
   * The file browser's folder (relative to the server root, `""` = root).
   */
  get path(): string {
    return this._path;
  }

  /**
   * Follow the file browser to `path`: the repository is looked up again
   * (at once when polling has started).
   */
  setPath(path: string): void {
    const clean = path.replace(/^\/+|\/+$/g, '');
    if (clean === this._path) {
      return;
    }
    this._path = clean;
    const inSameRepo =
      this._repo?.found &&
      this._repo.path !== null &&
      (this._repo.path === '' ||
        clean === this._repo.path ||
        clean.startsWith(`${this._repo.path}/`));
    if (!inSameRepo) {
      this._repo = null;
      this._setStatus(null);
      this.history.reset();
      this.refs.reset();
    }
    this._repoKnownFor = null;
    this._changed();
    if (this._poll) {
      void this.refresh().catch(() => undefined);
    }
  }

  /**
   * The repository of the folder; `null` before the first answer.
   */
  get repo(): IRepoInfo | null {
    return this._repo;
  }

  /**
   * The repository's top (client path), when the folder is in one.
   */
  get repoPath(): string | null {
    return this._repo?.found && !this._repo.above_root
      ? (this._repo.path ?? '')
      : null;
  }

  /**
   * Whether the folder is inside a repository the panel can work in.
   */
  get inRepo(): boolean {
    return this.repoPath !== null;
  }

  /**
   * Why the repository or its status could not be read (cleared by the next answer).
   */
  get error(): CloudscapesRequestError | null {
    return this._error;
  }

  get status(): IStatus | null {
    return this._status;
  }

  /**
   * The loaded files of `group` (the first page, and any further pages loaded).
   */
  files(group: FileGroup): IStatusFile[] {
    return this._groups[group];
  }

  /**
   * How many files `group` has in all (the server's count).
   */
  count(group: FileGroup): number {
    return this._status?.counts[group] ?? 0;
  }

  /**
   * Whether `group` has files beyond those loaded.
   */
  hasMore(group: FileGroup): boolean {
    return this.files(group).length < this.count(group);
  }

  /**
   * The remote the branch follows (`origin`), if any.
   */
  get upstreamRemote(): string | null {
    return upstreamRemote(this._status?.branch.upstream ?? null);
  }

  /**
   * The GitHub sign-in state (fetched once polling starts), or `null`.
   */
  get github(): IGitHub | null {
    return this._github;
  }

  setGitHub(github: IGitHub | null): void {
    this._github = github;
    this._changed();
  }

  /**
   * Emitted after every new status (or `null` when leaving a repository).
   */
  get statusChanged(): ISignal<this, IStatus | null> {
    return this._statusChanged;
  }

  // ---- polling ---------------------------------------------------------------------

  /**
   * Start polling (called when the panel is first shown, or by a command).
   */
  start(): void {
    if (this._poll) {
      return;
    }
    this._poll = createPoller({
      name: '@cloudscapes/git:status',
      interval: this._settings.refreshInterval,
      task: () => this.refresh()
    });
    this._poll.standby = this._standby();
    void this.api
      .github()
      .then(github => this.setGitHub(github))
      .catch(() => undefined);
  }

  get started(): boolean {
    return this._poll !== null;
  }

  /**
   * The poll: the repository (when the folder changed), then its status.
   * Rejects (after recording the error) so the poll backs off.
   */
  async refresh(): Promise<void> {
    const path = this._path;
    // the repository itself is read again now and then: a `git init` or a
    // clone made in a terminal, a remote added there
    const recheck = ++this._ticks % REPO_RECHECK_TICKS === 0;
    try {
      if (this._repoKnownFor !== path || !this._repo || recheck) {
        const repo = await this.api.repo(path);
        if (path !== this._path) {
          return;
        }
        const moved = this._repo?.path !== repo.path || !repo.found;
        this._repo = repo;
        this._repoKnownFor = path;
        if (moved) {
          this.history.reset();
          this.refs.reset();
          this._setStatus(null);
        }
      }
      if (!this.inRepo) {
        this._error = null;
        this._changed();
        return;
      }
      const status = await this.api.status(path);
      if (path !== this._path) {
        return;
      }
      await this._keepPages(status);
      this._error = null;
      this._setStatus(status);
    } catch (reason) {
      const error = toRequestError(reason);
      if (error.code === 'not_a_repository') {
        // the repository went away (deleted, moved): look again next time
        this._repoKnownFor = null;
        this._repo = null;
        this._setStatus(null);
      }
      this._error = error;
      this._changed();
      throw error;
    }
  }

  /**
   * Refresh soon after files were saved (a burst of saves makes one request).
   * Only once polling has started: a page that never opened the panel sends none.
   */
  refreshSoon(): void {
    if (!this._poll || this.isDisposed) {
      return;
    }
    if (this._soon !== null) {
      clearTimeout(this._soon);
    }
    this._soon = setTimeout(() => {
      this._soon = null;
      void this.refresh().catch(() => undefined);
    }, SAVE_DEBOUNCE);
  }

  /**
   * Load the next page of `group` (the user scrolled near its end).
   */
  async loadMore(group: FileGroup): Promise<void> {
    if (!this.hasMore(group) || this._loadingMore.has(group)) {
      return;
    }
    this._loadingMore.add(group);
    try {
      const page = await this.api.status(this._path, {
        group,
        offset: this.files(group).length
      });
      this._groups[group] = appendPage(
        this._groups[group],
        page.files.filter(f => f.group === group)
      );
      this._changed();
    } catch (reason) {
      this._error = toRequestError(reason);
      this._changed();
    } finally {
      this._loadingMore.delete(group);
    }
  }

  // ---- actions on files ----------------------------------------------------------------

  stage(files: StageWhat): Promise<void> {
    return this._fileAction('#stage', () => this.api.stage(this._path, files));
  }

  unstage(files: string[] | 'all'): Promise<void> {
    return this._fileAction('#unstage', () =>
      this.api.unstage(this._path, files)
    );
  }

  /**
   * Discard the changes of `files` (the caller has asked the user to confirm).
   */
  discard(files: string[]): Promise<void> {
    return this._fileAction('#discard', () =>
      this.api.discard(this._path, files)
    );
  }

  /**
   * Add `pattern` to the repository's `.gitignore`.
   */
  ignore(pattern: string): Promise<void> {
    return this._fileAction('#ignore', () =>
      this.api.ignore(this._path, pattern)
    );
  }

  /**
   * Commit what is staged; rejects with the server's error (for example
   * `identity_required`, which the caller answers by asking for a name).
   */
  async commit(message: string, amend = false): Promise<ICommitResult> {
    return this._act(COMMITTING, async () => {
      const result = await this.api.commit(this._path, message, { amend });
      this.history.reset();
      await this.refresh().catch(() => undefined);
      return result;
    });
  }

  /**
   * Make the folder a repository (`git init`).
   */
  async init(): Promise<void> {
    await this._act(INITIALIZING, async () => {
      this._repo = await this.api.init(this._path);
      this._repoKnownFor = this._path;
      await this.refresh().catch(() => undefined);
    });
  }

  // ---- network operations (jobs) -----------------------------------------------------

  /**
   * Start a network operation: resolves with the job once it has ended
   * (succeeded, failed or cancelled); rejects when the server refused to
   * start it. The job's progress is in `jobs` meanwhile.
   */
  async runJob(
    op: RemoteOp,
    start: (api: GitAPI, path: string) => Promise<JobAccepted>
  ): Promise<Job> {
    const accepted = await this._act(`#${op}`, () =>
      start(this.api, this._path)
    );
    const job = accepted.job;
    const done = new PromiseDelegate<Job>();
    this._waiting.set(job.id, done);
    this._jobOps.set(job.id, op);
    // a job that has already ended settles at once (track emits jobFinished)
    this.jobs.track(job);
    return done.promise;
  }

  /**
   * The running job of `op` started from this page, if any.
   */
  runningJob(op: RemoteOp): Job | null {
    for (const job of this.jobs.running) {
      if (this._jobOps.get(job.id) === op) {
        return job;
      }
    }
    return null;
  }

  /**
   * Which operation job `id` is, when it was started from this page.
   */
  jobOp(id: string): RemoteOp | null {
    return this._jobOps.get(id) ?? null;
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._poll?.dispose();
    this._poll = null;
    if (this._soon !== null) {
      clearTimeout(this._soon);
    }
    this.jobs.jobFinished.disconnect(this._onJobFinished, this);
    super.dispose();
  }

  /**
   * Run an action of a part of the model (`refs`) under `key`: busy
   * meanwhile, its failure the panel's banner (and thrown on).
   */
  act<T>(key: string, action: () => Promise<T>): Promise<T> {
    return this._act(key, action);
  }

  /**
   * Emit a change (the history and refs parts call it too).
   */
  _changed(): void {
    if (!this.isDisposed) {
      this.stateChanged.emit();
    }
  }

  private _standby(): () => boolean | 'when-hidden' {
    const idle = userIdle();
    return this._settings.refreshIfHidden
      ? () => idle.isIdle
      : () => (idle.isIdle ? true : 'when-hidden');
  }

  private async _fileAction(
    key: string,
    action: () => Promise<unknown>
  ): Promise<void> {
    await this._act(key, async () => {
      await action();
      await this.refresh().catch(() => undefined);
    });
  }

  /**
   * Keep the further pages a user has scrolled to across a refresh (one
   * request per group that has them), so the list does not jump.
   */
  private async _keepPages(status: IStatus): Promise<void> {
    const first = filesByGroup(status.files);
    for (const group of GROUPS) {
      const loaded = this._groups[group].length;
      if (
        loaded > first[group].length &&
        first[group].length < status.counts[group]
      ) {
        const page = await this.api.status(this._path, {
          group,
          offset: first[group].length,
          limit: loaded - first[group].length
        });
        first[group] = appendPage(
          first[group],
          page.files.filter(f => f.group === group)
        );
      }
    }
    this._nextGroups = first;
  }

  private _setStatus(status: IStatus | null): void {
    this._status = status;
    this._groups = this._nextGroups ?? filesByGroup(status?.files ?? []);
    this._nextGroups = null;
    if (!status) {
      this._groups = filesByGroup([]);
    }
    this._statusChanged.emit(status);
    this._changed();
  }

  private _settle(job: Job): void {
    const waiting = this._waiting.get(job.id);
    if (waiting) {
      this._waiting.delete(job.id);
      waiting.resolve(job);
    }
  }

  private _onJobFinished(_: JobTracker, job: Job): void {
    const op = this._jobOps.get(job.id);
    if (!op) {
      return;
    }
    if (op === 'clone' || op === 'update' || op === 'pull') {
      this.history.reset();
      this.refs.reset();
    }
    if (op === 'clone') {
      this._repoKnownFor = null;
    }
    void this.refresh().catch(() => undefined);
    this._settle(job);
  }

  private _path = '';
  private _ticks = 0;
  private _repo: IRepoInfo | null = null;
  private _repoKnownFor: string | null = null;
  private _status: IStatus | null = null;
  private _groups: Record<FileGroup, IStatusFile[]> = filesByGroup([]);
  private _nextGroups: Record<FileGroup, IStatusFile[]> | null = null;
  private _error: CloudscapesRequestError | null = null;
  private _github: IGitHub | null = null;
  private _poll: Poll | null = null;
  private _soon: ReturnType<typeof setTimeout> | null = null;
  private _loadingMore = new Set<FileGroup>();
  private _waiting = new Map<string, PromiseDelegate<Job>>();
  private _jobOps = new Map<string, RemoteOp>();
  private _statusChanged = new Signal<this, IStatus | null>(this);
}
