import type { JupyterFrontEnd } from '@jupyterlab/application';
import {
  MainAreaWidget,
  Notification,
  WidgetTracker
} from '@jupyterlab/apputils';
import { nullTranslator } from '@jupyterlab/translation';
import { CommandRegistry } from '@lumino/commands';

import { requestAPI } from '@cloudscapes/core';

import { addCommands, addDashboardCommand } from '../commands';
import type { DashboardPane } from '../dashboard';
import { DEFAULT_SETTINGS, DaskModel } from '../model';
import type { DaskPanel } from '../panel';
import { CommandIDs, IDaskClusters, IDaskView } from '../tokens';
import { cluster, clusterList, serveRoutes } from './fixture';

jest.mock('@cloudscapes/core', () => ({
  ...jest.requireActual('@cloudscapes/core'),
  requestAPI: jest.fn()
}));

const request = requestAPI as jest.MockedFunction<typeof requestAPI>;
const trans = nullTranslator.load('cloudscapes');

/**
 * The commands over a real model (its list answered by `routes`); the panel
 * is the part they call. The view "loads" on the first load() or show().
 */
function setUp() {
  const commands = new CommandRegistry();
  const model = new DaskModel({ ...DEFAULT_SETTINGS, confirmShutdown: false });
  const panel = { isVisible: true, openNewClusterForm: jest.fn() };
  const view: IDaskView = { model, panel: panel as unknown as DaskPanel };
  let loaded: IDaskView | null = null;
  const shown = jest.fn();
  const load = jest.fn(async () => (loaded = view));
  const clusters: IDaskClusters = {
    get view() {
      return loaded;
    },
    ready: Promise.resolve(view),
    load,
    show: async () => {
      shown();
      return load();
    }
  };
  const insert = jest.fn(async (_code: string) => undefined);
  addCommands({ commands } as unknown as JupyterFrontEnd, clusters, {
    trans,
    insert
  });
  return { commands, model, panel, clusters, shown, insert };
}

describe('Dask commands', () => {
  beforeEach(() => request.mockReset());

  it('registers every panel command with a label', () => {
    const { commands } = setUp();
    for (const id of [
      CommandIDs.open,
      CommandIDs.newCluster,
      CommandIDs.shutdownAll,
      CommandIDs.insertCode
    ]) {
      expect(commands.hasCommand(id)).toBe(true);
      expect(commands.label(id)).not.toBe('');
    }
    expect(commands.label(CommandIDs.insertCode)).toBe(
      'Insert Code to Connect to the Newest Dask Cluster'
    );
    expect(commands.label(CommandIDs.insertCode, { clusterId: 'x' })).toBe(
      'Insert Connect Code'
    );
  });

  it('new cluster shows the panel and opens its form', async () => {
    const { commands, panel, shown } = setUp();
    await commands.execute(CommandIDs.newCluster);
    expect(shown).toHaveBeenCalledTimes(1);
    expect(panel.openNewClusterForm).toHaveBeenCalledTimes(1);
  });

  it('insert connect code fetches the list and inserts the newest running cluster’s code', async () => {
    const { commands, insert } = setUp();
    serveRoutes(request, {
      'GET dask/clusters': () =>
        clusterList([
          cluster({ id: 'local-a', status: 'starting' }),
          cluster({ id: 'local-b', connect_code: 'client = Client("b")' })
        ])
    });
    expect(commands.isEnabled(CommandIDs.insertCode)).toBe(true);
    await commands.execute(CommandIDs.insertCode);
    expect(request).toHaveBeenCalledWith('dask/clusters', {}, { track: false });
    expect(insert).toHaveBeenCalledWith('client = Client("b")');
  });

  it('without a running cluster, insert code warns and offers a new cluster', async () => {
    const { commands, insert } = setUp();
    serveRoutes(request, { 'GET dask/clusters': () => clusterList([]) });
    const warning = jest.spyOn(Notification, 'warning').mockReturnValue('n');
    await commands.execute(CommandIDs.insertCode);
    expect(insert).not.toHaveBeenCalled();
    expect(warning).toHaveBeenCalledWith(
      'No Dask cluster is running; create one first.',
      expect.objectContaining({
        actions: [expect.objectContaining({ label: 'New cluster' })]
      })
    );
    // the list is known now: nothing to connect to, nothing to shut down
    expect(commands.isEnabled(CommandIDs.insertCode)).toBe(false);
    expect(commands.isEnabled(CommandIDs.shutdownAll)).toBe(false);
    warning.mockRestore();
  });

  it('shut down all stops every cluster and says how many', async () => {
    const { commands, model } = setUp();
    const deletes: string[] = [];
    serveRoutes(request, {
      'GET dask/clusters': () =>
        clusterList(deletes.length ? [] : [cluster({ id: 'local-a' })]),
      'DELETE dask/clusters': () => {
        deletes.push('all');
        return { stopped: ['local-a'], errors: [] };
      }
    });
    const success = jest.spyOn(Notification, 'success').mockReturnValue('n');
    await commands.execute(CommandIDs.shutdownAll);
    expect(deletes).toEqual(['all']);
    expect(success).toHaveBeenCalledWith(
      '1 Dask cluster has shut down.',
      expect.anything()
    );
    success.mockRestore();
    model.dispose();
  });
});

describe('Dask dashboard command', () => {
  beforeEach(() => request.mockReset());

  it('opens one tab per cluster and plot, and brings an open one back', async () => {
    const { clusters } = setUp();
    serveRoutes(request, {
      'GET dask/clusters': () => clusterList([cluster()])
    });
    const commands = new CommandRegistry();
    const shell = { add: jest.fn(), activateById: jest.fn() };
    const app = { commands, shell } as unknown as JupyterFrontEnd;
    const tracker = new WidgetTracker<MainAreaWidget<DashboardPane>>({
      namespace: 'cs-test-dashboards'
    });
    addDashboardCommand(app, clusters, tracker, trans);
    const args = {
      clusterId: 'local-1a2b',
      clusterName: 'local-1a2b',
      name: 'status',
      title: 'Task Stream',
      url: '/dashboard/status'
    };
    expect(commands.label(CommandIDs.openDashboard, args)).toBe(
      'Open Task Stream'
    );
    const first = await commands.execute(CommandIDs.openDashboard, args);
    expect(shell.add).toHaveBeenCalledWith(first, 'main', {
      mode: 'split-right'
    });
    expect(tracker.size).toBe(1);
    const again = await commands.execute(CommandIDs.openDashboard, args);
    expect(again).toBe(first);
    expect(shell.add).toHaveBeenCalledTimes(1);
    expect(shell.activateById).toHaveBeenLastCalledWith(first.id);
    first.dispose();
    (await clusters.load()).model.dispose();
  });
});
