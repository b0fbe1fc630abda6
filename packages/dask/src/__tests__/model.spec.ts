import {
  CloudscapesRequestError,
  JobTracker,
  requestAPI
} from '@cloudscapes/core';

import { DaskModel } from '../model';
import { cluster, clusterList, job, plot, serveRoutes } from './fixture';

jest.mock('@cloudscapes/core', () => ({
  ...jest.requireActual('@cloudscapes/core'),
  requestAPI: jest.fn()
}));

const request = requestAPI as jest.MockedFunction<typeof requestAPI>;

function serve(routes: Record<string, (init: RequestInit) => unknown>): void {
  serveRoutes(request, routes);
}

describe('DaskModel', () => {
  beforeEach(() => request.mockReset());

  it('polls the list without counting as activity', async () => {
    serve({ 'GET dask/clusters': () => clusterList([cluster()]) });
    const model = new DaskModel();
    await model.refresh();
    expect(request).toHaveBeenCalledWith('dask/clusters', {}, { track: false });
    expect(model.clusters.map(c => c.id)).toEqual(['local-1a2b']);
    model.dispose();
  });

  it('records why the list failed and rejects, so the poll backs off', async () => {
    request.mockRejectedValue(
      new CloudscapesRequestError(503, 'x', 'Busy.', 'Wait.')
    );
    const model = new DaskModel();
    await expect(model.refresh()).rejects.toThrow('Busy.');
    expect(model.listError?.hint).toBe('Wait.');
    model.dispose();
  });

  it('shows a new cluster at once as starting and follows its job', async () => {
    const starting = cluster({
      id: 'local-new',
      name: 'local-new',
      status: 'starting',
      workers: 0,
      requested_workers: 1
    });
    const bodies: unknown[] = [];
    serve({
      'POST dask/clusters': init => {
        bodies.push(JSON.parse(init.body as string));
        return { job: job({ id: 'j1' }), cluster: starting };
      },
      // the list has not caught up yet
      'GET dask/clusters': () => clusterList([])
    });
    const jobs = new JobTracker({ interval: 60000 });
    const model = new DaskModel(undefined, jobs);
    await model.refresh();
    await model.create({ backend: 'local', options: {}, workers: 1 });
    expect(bodies).toEqual([{ backend: 'local', options: {}, workers: 1 }]);
    expect(model.clusters.map(c => [c.id, c.status])).toEqual([
      ['local-new', 'starting']
    ]);
    expect(model.startJob('local-new')?.id).toBe('j1');
    expect(jobs.isPolling('j1')).toBe(true);
    await model.refresh();
    expect(model.cluster('local-new')?.status).toBe('starting');
    expect(model.isGone('local-new')).toBe(false);
    model.dispose();
    jobs.dispose();
  });

  it('turns a failed start into a banner with the server message', async () => {
    const starting = cluster({
      id: 'local-new',
      name: 'big',
      status: 'starting'
    });
    let listed = [starting];
    serve({
      'POST dask/clusters': () => ({
        job: job({ id: 'j1' }),
        cluster: starting
      }),
      'GET dask/clusters': () => clusterList(listed)
    });
    const jobs = new JobTracker({ interval: 60000 });
    const model = new DaskModel(undefined, jobs);
    await model.create({ backend: 'local', workers: 1 });
    listed = [];
    jobs.track(
      job({
        id: 'j1',
        status: 'failed',
        error: {
          error: {
            code: 'dask_start_failed',
            message: 'The workers did not start.',
            hint: 'Ask for less memory per worker.'
          }
        }
      })
    );
    await model.refresh();
    expect(model.startFailures.map(f => [f.name, f.error.message])).toEqual([
      ['big', 'The workers did not start.']
    ]);
    expect(model.startFailures[0].error.hint).toBe(
      'Ask for less memory per worker.'
    );
    expect(model.jobClusterName('j1')).toBe('big');
    expect(model.clusters).toEqual([]);
    expect(model.isGone('local-new')).toBe(true);
    model.dismissStartFailure('j1');
    expect(model.startFailures).toEqual([]);
    model.dispose();
    jobs.dispose();
  });

  it('scales with PATCH and shows the answer at once', async () => {
    const bodies: unknown[] = [];
    let current = cluster();
    serve({
      'GET dask/clusters': () => clusterList([current]),
      'PATCH dask/clusters/local-1a2b': init => {
        const body = JSON.parse(init.body as string);
        bodies.push(body);
        current = cluster(
          body.workers !== undefined
            ? { requested_workers: body.workers }
            : { requested_workers: null, adapt: body.adapt }
        );
        return current;
      }
    });
    const model = new DaskModel();
    await model.refresh();
    await model.scale('local-1a2b', 3);
    expect(model.cluster('local-1a2b')?.requested_workers).toBe(3);
    await model.adapt('local-1a2b', { minimum: 1, maximum: 4 });
    expect(bodies).toEqual([
      { workers: 3 },
      { adapt: { minimum: 1, maximum: 4 } }
    ]);
    model.dispose();
  });

  it('keeps the error of a refused scale for the banner', async () => {
    serve({
      'GET dask/clusters': () => clusterList([cluster()]),
      'PATCH dask/clusters/local-1a2b': () => {
        throw new CloudscapesRequestError(
          409,
          'dask_not_running',
          'The cluster is not running.',
          'Wait until it has started.'
        );
      }
    });
    const model = new DaskModel();
    await model.refresh();
    await expect(model.scale('local-1a2b', 3)).rejects.toThrow(
      'The cluster is not running.'
    );
    expect(model.actionError?.code).toBe('dask_not_running');
    expect(model.isBusy('local-1a2b')).toBe(false);
    model.dispose();
  });

  it('forgets a cluster once shut down, even one the server already forgot', async () => {
    // the server still lists the first as stopping for a while
    const listed = [
      cluster({ status: 'stopping' }),
      cluster({ id: 'local-2', name: 'two' })
    ];
    serve({
      'GET dask/clusters': () => clusterList(listed),
      'DELETE dask/clusters/local-1a2b': () => cluster({ status: 'stopped' })
    });
    const model = new DaskModel();
    model.setList(
      clusterList([cluster(), cluster({ id: 'local-2', name: 'two' })])
    );
    const changed = jest.fn();
    model.clustersChanged.connect(changed);
    await model.shutdown('local-1a2b');
    expect(model.isGone('local-1a2b')).toBe(true);
    expect(model.clusters.map(c => c.id)).toEqual(['local-2']);
    expect(changed).toHaveBeenCalled();
    // local-2 is unknown to DELETE (404): it counts as shut down
    await model.shutdown('local-2');
    expect(model.clusters).toEqual([]);
    expect(model.isGone('local-2')).toBe(true);
    model.dispose();
  });

  it('shuts every cluster down', async () => {
    serve({
      'GET dask/clusters': () => clusterList([]),
      'DELETE dask/clusters': () => ({ stopped: ['local-1a2b'], errors: [] })
    });
    const model = new DaskModel();
    model.setList(clusterList([cluster()]));
    const result = await model.shutdownAll();
    expect(result.stopped).toEqual(['local-1a2b']);
    expect(model.isGone('local-1a2b')).toBe(true);
    model.dispose();
  });

  it('knows when a dashboard is gone: stopped, failed or no longer listed', () => {
    const model = new DaskModel();
    expect(model.isGone('local-1a2b')).toBe(false); // not loaded yet
    model.setList(clusterList([cluster()]));
    expect(model.isGone('local-1a2b')).toBe(false);
    model.setList(clusterList([cluster({ status: 'stopping' })]));
    expect(model.isGone('local-1a2b')).toBe(true);
    // once gone, always gone
    model.setList(clusterList([cluster()]));
    expect(model.isGone('local-1a2b')).toBe(true);
    model.setList(clusterList([]));
    expect(model.isGone('other')).toBe(true);
    model.dispose();
  });

  it('hides stopped clusters and picks the newest running one', () => {
    const model = new DaskModel();
    model.setList(
      clusterList([
        cluster({ id: 'c', status: 'starting' }),
        cluster({ id: 'b', status: 'stopped' }),
        cluster({ id: 'a', status: 'running' })
      ])
    );
    expect(model.clusters.map(c => c.id)).toEqual(['c', 'a']);
    expect(model.newestRunning?.id).toBe('a');
    model.dispose();
  });

  it('orders the plots of a cluster', async () => {
    serve({
      'GET dask/clusters/local-1a2b/plots': () => ({
        plots: [
          plot('individual-cpu', 'CPU'),
          plot('individual-task-stream', 'Task Stream')
        ]
      })
    });
    const model = new DaskModel();
    const plots = await model.plots('local-1a2b');
    expect(plots.map(p => p.title)).toEqual(['Task Stream', 'CPU']);
    model.dispose();
  });
});
