import type { Job } from '../jobs';

/**
 * A job as `GET /cloudscapes/jobs/{id}` answers it, for every package's
 * specs (they import this file from `../../../core/src/__tests__/fixtures`):
 * running, without error, result or log lines, changed by `overrides` (each
 * feature's fixture sets its kind, title and progress).
 */
export function makeJob(overrides: Partial<Job> = {}): Job {
  return {
    id: 'j1',
    kind: 'download',
    title: 'Download a.nc',
    status: 'running',
    progress: { done: 0, total: 100, unit: 'bytes' },
    message: '',
    error: null,
    result: null,
    created: '2024-09-01T00:00:00Z',
    updated: '2024-09-01T00:00:00Z',
    log: { lines: [], dropped: 0, next: 1 },
    ...overrides
  };
}
