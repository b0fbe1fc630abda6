import type { JupyterFrontEnd } from '@jupyterlab/application';
import { PageConfig } from '@jupyterlab/coreutils';
import { CommandRegistry } from '@lumino/commands';

import { LazyPanel, requestAPI } from '@cloudscapes/core';

import plugins from '../index';
import { DataBrowserPanel } from '../panel';
import { CommandIDs, IDataBrowser } from '../tokens';

jest.mock('@cloudscapes/core', () => ({
  ...jest.requireActual('@cloudscapes/core'),
  requestAPI: jest.fn()
}));

const request = requestAPI as jest.MockedFunction<typeof requestAPI>;

function lab() {
  const commands = new CommandRegistry();
  const shell = { add: jest.fn(), activateById: jest.fn() };
  return { app: { commands, shell } as unknown as JupyterFrontEnd, commands };
}

/**
 * Activate the package's plugins as JupyterLab would, without the optional
 * services (settings, palette, restorer, notebooks, translator).
 */
function activate(features: string) {
  PageConfig.setOption('cloudscapesFeatures', features);
  const { app, commands } = lab();
  const labShell = { add: jest.fn() };
  const [panelPlugin, commandsPlugin, downloadsPlugin] = plugins;
  const browser = panelPlugin.activate(
    app,
    null,
    labShell,
    null,
    null
  ) as IDataBrowser | null;
  commandsPlugin.activate(app, browser, null, null, null);
  downloadsPlugin.activate(app, browser, null);
  return { browser, labShell, commands };
}

describe('data browser plugins', () => {
  beforeEach(() => request.mockReset());
  afterEach(() => PageConfig.setOption('cloudscapesFeatures', ''));

  it('are small plugins, one of which owns the settings', () => {
    expect(plugins.map(p => p.id)).toEqual([
      '@cloudscapes/data-browser:plugin',
      '@cloudscapes/data-browser:commands',
      '@cloudscapes/data-browser:download-notifications'
    ]);
  });

  it('add no panel and no command when the server has no data feature', () => {
    const info = jest.spyOn(console, 'info').mockImplementation(() => {});
    const { browser, labShell, commands } = activate('usage,earthdata,dask');
    expect(browser).toBeNull();
    expect(labShell.add).not.toHaveBeenCalled();
    expect(commands.listCommands()).toEqual([]);
    expect(info).toHaveBeenCalledWith(
      expect.stringContaining('"data" is disabled')
    );
    info.mockRestore();
  });

  it('activate at once without a request; the view is built on first show', async () => {
    const { browser, labShell, commands } = activate(
      'usage,earthdata,data,dask'
    );
    expect(browser).not.toBeNull();
    expect(labShell.add).toHaveBeenCalledWith(expect.any(LazyPanel), 'left', {
      rank: 460
    });
    expect(commands.hasCommand(CommandIDs.insertCode)).toBe(true);
    expect(browser!.view).toBeNull();
    expect(request).not.toHaveBeenCalled();

    const view = await browser!.show();
    expect(view.panel).toBeInstanceOf(DataBrowserPanel);
    expect(browser!.view).toBe(view);
    const host = labShell.add.mock.calls[0][0] as LazyPanel<DataBrowserPanel>;
    expect(host.content).toBe(view.panel);
    host.dispose();
    view.model.dispose();
  });
});
