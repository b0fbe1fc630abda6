import type { JupyterFrontEnd } from '@jupyterlab/application';
import { PageConfig } from '@jupyterlab/coreutils';
import { CommandRegistry } from '@lumino/commands';
import { Widget } from '@lumino/widgets';

import { LazyPanel, requestAPI } from '@cloudscapes/core';

import { recordLoads } from '../../../core/src/__tests__/app';
import { CommandIDs, IDaskClusters } from '../tokens';

jest.mock('@cloudscapes/core', () => ({
  ...jest.requireActual('@cloudscapes/core'),
  requestAPI: jest.fn()
}));

const request = requestAPI as jest.MockedFunction<typeof requestAPI>;

// the view's modules, in the order they were first required
const loaded = recordLoads({
  view: require.resolve('../view'),
  panel: require.resolve('../panel')
});
// imported once the view's loads are recorded
let plugins: (typeof import('../index'))['default'];
beforeAll(async () => {
  plugins = (await import('../index')).default;
});

/**
 * Activate the package's plugins as JupyterLab would, without the optional
 * services (settings, palette, restorer, notebooks, translator).
 */
function activate(features: string) {
  PageConfig.setOption('cloudscapesFeatures', features);
  const commands = new CommandRegistry();
  const shell = { add: jest.fn(), activateById: jest.fn() };
  const app = { commands, shell } as unknown as JupyterFrontEnd;
  const labShell = { add: jest.fn() };
  const [panelPlugin, commandsPlugin, dashboardsPlugin, notificationsPlugin] =
    plugins;
  const clusters = panelPlugin.activate(
    app,
    null,
    labShell,
    null,
    null
  ) as IDaskClusters | null;
  commandsPlugin.activate(app, clusters, null, null, null);
  dashboardsPlugin.activate(app, clusters, null, null);
  notificationsPlugin.activate(app, clusters, null);
  return { clusters, labShell, commands };
}

describe('Dask plugins', () => {
  beforeEach(() => request.mockReset());
  afterEach(() => PageConfig.setOption('cloudscapesFeatures', ''));

  it('are small plugins, one of which owns the settings', () => {
    expect(plugins.map(p => p.id)).toEqual([
      '@cloudscapes/dask:plugin',
      '@cloudscapes/dask:commands',
      '@cloudscapes/dask:dashboards',
      '@cloudscapes/dask:notifications'
    ]);
  });

  it('add no panel and no command when the server has no dask feature', () => {
    const info = jest.spyOn(console, 'info').mockImplementation(() => {});
    const { clusters, labShell, commands } = activate('usage,earthdata,data');
    expect(clusters).toBeNull();
    expect(labShell.add).not.toHaveBeenCalled();
    expect(commands.listCommands()).toEqual([]);
    expect(info).toHaveBeenCalledWith(
      expect.stringContaining('"dask" is disabled')
    );
    info.mockRestore();
  });

  it('activate at once without a request; the view loads on first show', async () => {
    const { clusters, labShell, commands } = activate(
      'usage,earthdata,data,dask'
    );
    expect(clusters).not.toBeNull();
    expect(labShell.add).toHaveBeenCalledWith(expect.any(LazyPanel), 'left', {
      rank: 470
    });
    expect(commands.hasCommand(CommandIDs.openDashboard)).toBe(true);
    expect(commands.hasCommand(CommandIDs.newCluster)).toBe(true);
    expect(clusters!.view).toBeNull();
    expect(request).not.toHaveBeenCalled();
    // neither the view nor the panel's code has been required yet
    expect(loaded).toEqual([]);

    // the sidebar shows the panel: its code loads, and the view fills it
    const host = labShell.add.mock.calls[0][0] as LazyPanel<Widget>;
    Widget.attach(host, document.body);
    const view = await clusters!.ready;
    expect(loaded).toEqual(['view', 'panel']);
    const { DaskPanel } = await import('../panel');
    expect(view.panel).toBeInstanceOf(DaskPanel);
    expect(host.content).toBe(view.panel);
    expect(host.node.contains(view.panel.node)).toBe(true);
    host.dispose();
    view.model.dispose();
  });
});
