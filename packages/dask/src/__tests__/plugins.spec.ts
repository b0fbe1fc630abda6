import type { JupyterFrontEnd } from '@jupyterlab/application';
import { PageConfig } from '@jupyterlab/coreutils';
import { CommandRegistry } from '@lumino/commands';

import { LazyPanel, requestAPI } from '@cloudscapes/core';

import plugins from '../index';
import { DaskPanel } from '../panel';
import { CommandIDs, IDaskClusters } from '../tokens';

jest.mock('@cloudscapes/core', () => ({
  ...jest.requireActual('@cloudscapes/core'),
  requestAPI: jest.fn()
}));

const request = requestAPI as jest.MockedFunction<typeof requestAPI>;

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

  it('activate at once without a request; the view is built on first show', async () => {
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

    const view = await clusters!.load();
    expect(view.panel).toBeInstanceOf(DaskPanel);
    const host = labShell.add.mock.calls[0][0] as LazyPanel<DaskPanel>;
    expect(host.content).toBe(view.panel);
    host.dispose();
    view.model.dispose();
  });
});
