/**
 * Answers of the git routes as the server gives them, and a fake server for
 * the mocked `requestAPI` of core (routes by method and path, recording each
 * request with its query and body).
 */
import { CloudscapesRequestError } from '@cloudscapes/core';
import type { IRequestOptions, Job, requestAPI } from '@cloudscapes/core';
import { makeJob } from '../../../core/src/__tests__/fixtures';

import type { IRepoInfo, IStatus, IStatusFile } from '../api';

export function repoInfo(overrides: Partial<IRepoInfo> = {}): IRepoInfo {
  return {
    found: true,
    path: 'tutorial',
    above_root: false,
    name: 'tutorial',
    is_home: false,
    branch: 'main',
    nested: [],
    submodules: [],
    upstream_configured: true,
    ...overrides
  };
}

export function noRepo(): IRepoInfo {
  return repoInfo({
    found: false,
    path: null,
    name: '',
    branch: null,
    upstream_configured: false
  });
}

export function statusFile(
  file: string,
  overrides: Partial<IStatusFile> = {}
): IStatusFile {
  return {
    file,
    orig_file: null,
    group: 'changed',
    status: 'modified',
    folder: false,
    submodule: false,
    size: 1000,
    ...overrides
  };
}

export function status(
  files: IStatusFile[] = [],
  overrides: Partial<IStatus> = {}
): IStatus {
  const counts = { staged: 0, changed: 0, untracked: 0, conflicted: 0 };
  for (const f of files) {
    counts[f.group]++;
  }
  return {
    path: 'tutorial',
    branch: {
      head: 'main',
      oid: '0123456789abcdef0123456789abcdef01234567',
      upstream: 'origin/main',
      ahead: 0,
      behind: 0,
      detached: false
    },
    state: null,
    stash_count: 0,
    counts,
    files,
    offset: 0,
    next_offset: null,
    untracked_collapsed: false,
    ...overrides
  };
}

export function gitJob(overrides: Partial<Job> = {}): Job {
  return makeJob({
    id: 'gj1',
    kind: 'git-push',
    title: 'Push to origin',
    progress: { done: 0, total: null, unit: 'objects' },
    ...overrides
  });
}

export interface IRecorded {
  key: string;
  params: Record<string, unknown>;
  body: any;
  track: boolean | undefined;
}

/**
 * Answer the mocked `requestAPI` by `METHOD path` (without `git/`), like the
 * server would (a 404 for any other request); returns the requests made.
 */
export function serve(
  request: jest.MockedFunction<typeof requestAPI>,
  routes: Record<
    string,
    (body: any, params: Record<string, unknown>) => unknown
  >
): IRecorded[] {
  const seen: IRecorded[] = [];
  request.mockImplementation(
    async (
      path: string,
      init: RequestInit = {},
      options: IRequestOptions = {}
    ) => {
      const key = `${init.method ?? 'GET'} ${path.replace(/^git\//, '')}`;
      const body = init.body ? JSON.parse(init.body as string) : undefined;
      const params = (options.params ?? {}) as Record<string, unknown>;
      seen.push({ key, params, body, track: options.track });
      const route = routes[key];
      if (!route) {
        throw new CloudscapesRequestError(404, 'not_found', `No route ${key}`);
      }
      return (await route(body, params)) as any;
    }
  );
  return seen;
}

export function gitError(status: number, code: string, message = code) {
  return new CloudscapesRequestError(status, code, message, `hint for ${code}`);
}
