import type { JupyterFrontEnd } from '@jupyterlab/application';
import { PageConfig } from '@jupyterlab/coreutils';
import { CommandRegistry } from '@lumino/commands';
import { Widget } from '@lumino/widgets';

import { LazyPanel, requestAPI } from '@cloudscapes/core';

import { recordLoads } from '../../../core/src/__tests__/app';
import { CommandIDs, IDataBrowser } from '../tokens';

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

  it('activate at once without a request; the view loads on first show', async () => {
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
    // neither the view nor the panel's code has been required yet
    expect(loaded).toEqual([]);

    // the sidebar shows the panel: its code loads, and the view fills it
    const host = labShell.add.mock.calls[0][0] as LazyPanel<Widget>;
    Widget.attach(host, document.body);
    const view = await browser!.ready;
    expect(loaded).toEqual(['view', 'panel']);
    const { DataBrowserPanel } = await import('../panel');
    expect(view.panel).toBeInstanceOf(DataBrowserPanel);
    expect(browser!.view).toBe(view);
    expect(host.content).toBe(view.panel);
    // a command showing it again brings the same view
    await expect(browser!.show()).resolves.toBe(view);
    host.dispose();
    view.model.dispose();
  });
});
