import { CloudscapesRequestError } from '@cloudscapes/core';
import type { Job, requestAPI } from '@cloudscapes/core';
import { makeJob } from '../../../core/src/__tests__/fixtures';

import type { Backend, Cluster, ClusterList, Plot } from '../model';

const GiB = 1024 ** 3;

export function localBackend(overrides: Partial<Backend> = {}): Backend {
  return {
    name: 'local',
    title: 'This server',
    available: true,
    reason: '',
    options: [
      {
        field: 'threads_per_worker',
        label: 'Threads per worker',
        type: 'integer',
        default: 1,
        minimum: 1,
        maximum: 4,
        step: 1
      },
      {
        field: 'memory_limit',
        label: 'Memory per worker',
        type: 'number',
        default: 2,
        minimum: 0.5,
        maximum: 8,
        step: 0.5,
        unit: 'GiB',
        description: 'Workers past this limit are restarted.'
      },
      {
        field: 'processes',
        label: 'Workers in their own processes',
        type: 'boolean',
        default: true
      }
    ],
    max_workers: 4,
    idle_timeout_seconds: 1800,
    connect_hint: 'Connects with distributed.Client to the scheduler address.',
    ...overrides
  };
}

export function gatewayBackend(overrides: Partial<Backend> = {}): Backend {
  return {
    name: 'gateway',
    title: 'Dask Gateway',
    available: true,
    reason: '',
    options: [
      {
        field: 'image',
        label: 'Image',
        type: 'string',
        default: 'pangeo/pangeo-notebook:latest'
      },
      {
        field: 'profile',
        label: 'Worker size',
        type: 'select',
        default: 'small',
        choices: ['small', 'medium', 'large']
      }
    ],
    max_workers: null,
    idle_timeout_seconds: null,
    connect_hint: 'Connects through Dask Gateway.',
    ...overrides
  };
}

export function cluster(overrides: Partial<Cluster> = {}): Cluster {
  return {
    id: 'local-1a2b',
    name: 'local-1a2b',
    backend: 'local',
    status: 'running',
    workers: 2,
    requested_workers: 2,
    adapt: null,
    cores: 2,
    memory: 4 * GiB,
    worker_cores: 1,
    worker_memory: 2 * GiB,
    dashboard_link:
      '/user/demo/cloudscapes/dask/clusters/local-1a2b/dashboard/status',
    scheduler_address: 'tcp://127.0.0.1:40000',
    idle_timeout_seconds: 1800,
    cost_per_hour: 0,
    currency: 'USD',
    created: '2026-11-21T12:00:00Z',
    options: {},
    connect_code:
      'from distributed import Client\nclient = Client("tcp://127.0.0.1:40000")\nclient',
    error: null,
    ...overrides
  };
}

export function clusterList(
  clusters: Cluster[],
  overrides: Partial<ClusterList> = {}
): ClusterList {
  return {
    clusters,
    cost_per_hour: 0,
    currency: 'USD',
    errors: [],
    ...overrides
  };
}

export function job(overrides: Partial<Job> = {}): Job {
  return makeJob({
    id: 'job1',
    kind: 'dask-cluster',
    title: 'Start Dask cluster local-1a2b',
    progress: { done: 1, total: 2, unit: 'workers' },
    message: 'Waiting for workers (1 of 2)',
    created: '2026-11-21T12:00:00Z',
    updated: '2026-11-21T12:00:01Z',
    ...overrides
  });
}

export function plot(name: string, title: string): Plot {
  return {
    name,
    title,
    url: `/cloudscapes/dask/clusters/local-1a2b/dashboard/${name}`
  };
}

/**
 * Answer the mocked `requestAPI` by path and method, like the server would
 * (a 404 error for any other request).
 */
export function serveRoutes(
  request: jest.MockedFunction<typeof requestAPI>,
  routes: Record<string, (init: RequestInit) => unknown>
): void {
  request.mockImplementation(async (path: string, init: RequestInit = {}) => {
    const key = `${init.method ?? 'GET'} ${path}`;
    const route = routes[key];
    if (!route) {
      throw new CloudscapesRequestError(404, 'not_found', `No route ${key}`);
    }
    return route(init) as any;
  });
}
