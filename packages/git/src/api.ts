/**
 * The git routes of the server (`/cloudscapes/git/...`), typed. Every view of
 * the package (the panel, and the diff, dialog and GitHub views) calls the
 * server through one `GitAPI`, so requests are written once: the repository is
 * named by `path` (a folder inside it, relative to the server root, as the file
 * browser shows it), polled reads send `no_track_activity`, and errors arrive
 * as core's `CloudscapesRequestError` with the server's message and hint.
 *
 * The types follow the REST contract (`schema/git.yaml`, `git-history.yaml`,
 * `git-remote.yaml`); they are written here rather than imported from core's
 * generated `api/` until core exports the git types.
 */
import type { ServerConnection } from '@jupyterlab/services';

import { JobAccepted, requestAPI } from '@cloudscapes/core';

// ---- schema/git.yaml ----------------------------------------------------------

export interface IRepoInfo {
  found: boolean;
  /** The repository's top folder, relative to the server root (`""` = root). */
  path: string | null;
  above_root: boolean;
  name: string | null;
  is_home: boolean;
  branch: string | null;
  nested: { path: string }[];
  submodules: { path: string; initialized: boolean }[];
  upstream_configured: boolean;
}

export type FileGroup = 'conflicted' | 'staged' | 'changed' | 'untracked';

export type FileStatus =
  | 'added'
  | 'modified'
  | 'deleted'
  | 'renamed'
  | 'copied'
  | 'typechange'
  | 'untracked'
  | 'conflicted';

export interface IStatusFile {
  /** Repo-relative POSIX path. */
  file: string;
  orig_file: string | null;
  group: FileGroup;
  status: FileStatus;
  /** A collapsed untracked folder (past the server's cap). */
  folder: boolean;
  submodule: boolean;
  /** Bytes in the worktree, when the server knows. */
  size: number | null;
}

export interface IBranchStatus {
  head: string | null;
  oid: string | null;
  upstream: string | null;
  ahead: number;
  behind: number;
  detached: boolean;
}

export type RepoState =
  null | 'merging' | 'rebasing' | 'cherry_picking' | 'reverting';

export interface ICounts {
  staged: number;
  changed: number;
  untracked: number;
  conflicted: number;
}

export interface IStatus {
  path: string;
  branch: IBranchStatus;
  state: RepoState;
  stash_count: number;
  counts: ICounts;
  files: IStatusFile[];
  offset: number;
  next_offset: number | null;
  untracked_collapsed: boolean;
}

export interface ICountsAnswer {
  counts: ICounts;
}

export interface ICommitResult {
  oid: string;
  summary: string;
}

export interface IIdentity {
  name: string | null;
  email: string | null;
}

// ---- schema/git-history.yaml ----------------------------------------------------

export type RefKind = 'head' | 'branch' | 'remote' | 'tag';

export interface ICommit {
  oid: string;
  parents: string[];
  author: string;
  email: string;
  date: string | null;
  subject: string;
  refs: { name: string; kind: RefKind }[];
}

export interface ILog {
  commits: ICommit[];
  next_offset: number | null;
}

export interface ICommitDetails {
  oid: string;
  parents: string[];
  author: string;
  email: string;
  date: string | null;
  message: string;
  files: {
    file: string;
    orig_file: string | null;
    status: Exclude<FileStatus, 'untracked'>;
    additions: number | null;
    deletions: number | null;
  }[];
}

export interface IBranch {
  name: string;
  remote: boolean;
  upstream: string | null;
  /** The upstream branch was deleted on the remote. */
  upstream_gone: boolean;
  ahead: number;
  behind: number;
  oid: string;
  subject: string;
  date: string | null;
}

export interface IBranches {
  current: string | null;
  detached: boolean;
  branches: IBranch[];
}

export interface IMergeResult {
  result: 'merged' | 'up_to_date' | 'fast_forward' | 'conflicts' | 'aborted';
  conflicts: string[];
}

export interface ITag {
  name: string;
  oid: string;
  annotated: boolean;
  subject: string;
  date: string | null;
}

export interface IStash {
  index: number;
  message: string;
  date: string | null;
  branch: string | null;
}

// ---- schema/git-remote.yaml -----------------------------------------------------

export interface IRemote {
  name: string;
  /** Credentials masked by the server. */
  url: string;
  push_url: string;
}

export interface IUpdateResult {
  up_to_date: boolean;
  changed: string[];
  added: string[];
  kept: string[];
  renamed: { file: string; to: string }[];
  restored: string[];
  still_deleted: string[];
  removed: string[];
  beside: { file: string; to: string }[];
  summary: string;
  backup_branch: string | null;
}

export interface IGitHubDevice {
  user_code: string;
  verification_uri: string;
  expires_at: string;
  interval: number;
  state: 'pending' | 'slow_down' | 'expired' | 'denied' | 'error' | 'signed_in';
  message: string | null;
}

export interface IGitHub {
  configured: boolean;
  host: string;
  signed_in: boolean;
  login: string | null;
  expires_at: string | null;
  repositories: string[] | null;
  device: IGitHubDevice | null;
}

export interface ICredentialsAnswer {
  host: string;
  remembered_until: string | null;
}

/**
 * What "stage" takes: files by name, everything, or every file of one group of
 * the status (all of its pages, not only those loaded).
 */
export type StageWhat = string[] | 'all' | { group: 'changed' | 'untracked' };

/**
 * Query parameters (values `null`/`undefined` are left out).
 */
export type Params = Record<
  string,
  string | number | boolean | null | undefined
>;

function clean(params: Params = {}): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(params)) {
    if (value !== null && value !== undefined) {
      out[key] = value;
    }
  }
  return out;
}

/**
 * The git routes. `get`/`post`/`put`/`del` take a route relative to
 * `cloudscapes/git/`; the typed methods below are the ones the panel uses.
 */
export class GitAPI {
  constructor(private _settings?: ServerConnection.ISettings) {}

  /**
   * `GET git/<route>`; `track: false` (polls) adds `no_track_activity=1`.
   */
  get<T>(
    route: string,
    params?: Params,
    options: { track?: boolean } = {}
  ): Promise<T> {
    return requestAPI<T>(
      `git/${route}`,
      {},
      {
        params: clean(params),
        track: options.track,
        settings: this._settings
      }
    );
  }

  post<T>(route: string, body: unknown = {}): Promise<T> {
    return this._send<T>('POST', route, body);
  }

  put<T>(route: string, body: unknown = {}): Promise<T> {
    return this._send<T>('PUT', route, body);
  }

  del<T>(route: string, body?: unknown): Promise<T> {
    return this._send<T>('DELETE', route, body);
  }

  // ---- repository and status (polled reads: not activity) ----------------------

  repo(path: string, track = false): Promise<IRepoInfo> {
    return this.get<IRepoInfo>('repo', { path }, { track });
  }

  init(path: string): Promise<IRepoInfo> {
    return this.post<IRepoInfo>('init', { path });
  }

  status(
    path: string,
    page: { group?: FileGroup; offset?: number; limit?: number } = {},
    track = false
  ): Promise<IStatus> {
    return this.get<IStatus>('status', { path, ...page }, { track });
  }

  stage(path: string, files: StageWhat): Promise<ICountsAnswer> {
    return this.post<ICountsAnswer>(
      'stage',
      files === 'all'
        ? { path, all: true }
        : Array.isArray(files)
          ? { path, files }
          : { path, group: files.group }
    );
  }

  unstage(path: string, files: string[] | 'all'): Promise<ICountsAnswer> {
    return this.post<ICountsAnswer>(
      'unstage',
      files === 'all' ? { path, all: true } : { path, files }
    );
  }

  discard(path: string, files: string[]): Promise<ICountsAnswer> {
    return this.post<ICountsAnswer>('discard', { path, files, confirm: true });
  }

  commit(
    path: string,
    message: string,
    options: { amend?: boolean; allow_empty?: boolean } = {}
  ): Promise<ICommitResult> {
    return this.post<ICommitResult>('commit', { path, message, ...options });
  }

  identity(): Promise<IIdentity> {
    return this.get<IIdentity>('identity');
  }

  setIdentity(name: string, email: string): Promise<IIdentity> {
    return this.put<IIdentity>('identity', { name, email });
  }

  ignore(path: string, pattern: string): Promise<{ pattern: string }> {
    return this.post<{ pattern: string }>('ignore', { path, pattern });
  }

  // ---- history, branches, tags, stash ---------------------------------------------

  log(
    path: string,
    options: { rev?: string; file?: string; offset?: number; limit?: number }
  ): Promise<ILog> {
    return this.get<ILog>('log', { path, ...options });
  }

  commitDetails(path: string, oid: string): Promise<ICommitDetails> {
    return this.get<ICommitDetails>('commit/detail', { path, oid });
  }

  branches(path: string): Promise<IBranches> {
    return this.get<IBranches>('branches', { path });
  }

  createBranch(
    path: string,
    name: string,
    options: { start?: string; switch?: boolean } = {}
  ): Promise<unknown> {
    return this.post('branches', { path, name, ...options });
  }

  switchBranch(path: string, branch: string): Promise<unknown> {
    return this.post('switch', { path, branch });
  }

  renameBranch(path: string, name: string, newName: string): Promise<unknown> {
    return this.post('branches/rename', { path, name, new_name: newName });
  }

  deleteBranch(path: string, name: string, force = false): Promise<unknown> {
    return this.post('branches/delete', { path, name, force });
  }

  merge(path: string, branch: string): Promise<IMergeResult> {
    return this.post<IMergeResult>('merge', { path, branch });
  }

  abortMerge(path: string): Promise<unknown> {
    return this.post('merge/abort', { path });
  }

  tags(path: string): Promise<{ tags: ITag[] }> {
    return this.get<{ tags: ITag[] }>('tags', { path });
  }

  createTag(
    path: string,
    name: string,
    options: { rev?: string; message?: string } = {}
  ): Promise<unknown> {
    return this.post('tags', { path, name, ...options });
  }

  deleteTag(path: string, name: string): Promise<unknown> {
    return this.post('tags/delete', { path, name });
  }

  stashes(path: string): Promise<{ stashes: IStash[] }> {
    return this.get<{ stashes: IStash[] }>('stash', { path });
  }

  stash(
    path: string,
    options: { message?: string; include_untracked?: boolean } = {}
  ): Promise<unknown> {
    return this.post('stash', { path, ...options });
  }

  applyStash(path: string, index: number, pop = false): Promise<unknown> {
    return this.post('stash/apply', { path, index, pop });
  }

  dropStash(path: string, index: number): Promise<unknown> {
    return this.post('stash/drop', { path, index });
  }

  // ---- remotes and jobs -------------------------------------------------------------

  remotes(path: string): Promise<{ remotes: IRemote[] }> {
    return this.get<{ remotes: IRemote[] }>('remotes', { path });
  }

  addRemote(path: string, name: string, url: string): Promise<unknown> {
    return this.post('remotes', { path, name, url });
  }

  removeRemote(path: string, name: string): Promise<unknown> {
    return this.post('remotes/remove', { path, name });
  }

  clone(
    path: string,
    url: string,
    options: { name?: string; depth?: number } = {}
  ): Promise<JobAccepted> {
    return this.post<JobAccepted>('clone', { path, url, ...options });
  }

  fetch(path: string, remote?: string): Promise<JobAccepted> {
    return this.post<JobAccepted>('fetch', { path, remote });
  }

  pull(path: string): Promise<JobAccepted> {
    return this.post<JobAccepted>('pull', { path });
  }

  push(
    path: string,
    options: { remote?: string; branch?: string; set_upstream?: boolean } = {}
  ): Promise<JobAccepted> {
    return this.post<JobAccepted>('push', { path, ...options });
  }

  update(path: string): Promise<JobAccepted> {
    return this.post<JobAccepted>('update', { path });
  }

  github(track = false): Promise<IGitHub> {
    return this.get<IGitHub>('github', {}, { track });
  }

  private _send<T>(method: string, route: string, body: unknown): Promise<T> {
    return requestAPI<T>(
      `git/${route}`,
      {
        method,
        ...(body === undefined ? {} : { body: JSON.stringify(body) })
      },
      { settings: this._settings }
    );
  }
}

/**
 * The page's git client.
 */
export const gitAPI = new GitAPI();
