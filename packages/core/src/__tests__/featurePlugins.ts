import { ILabShell, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { PageConfig } from '@jupyterlab/coreutils';
import type { Token } from '@lumino/coreutils';
import { Widget } from '@lumino/widgets';

import { FEATURES_OPTION } from '../features';
import { ILazyView, LazyPanel } from '../lazy';
import { activateWith, recordLoads } from './app';

/**
 * The specs every feature with a lazy sidebar panel (`lazySidebarPlugin`)
 * runs on its package's plugins, written once: small plugins with the
 * expected ids; nothing added when the server disabled the feature; and with
 * it enabled, activation without a request or the view's code, which loads
 * when the sidebar first shows the panel. Call it at the top level of a
 * spec (inside its `describe`): it mocks core's `requestAPI` and records the
 * loads of the view's modules before the plugins are imported.
 */
export interface IFeaturePluginSpecs {
  /**
   * Import the package's plugins (`() => import('../index')`).
   */
  index: () => Promise<{ default: JupyterFrontEndPlugin<any>[] }>;
  /**
   * The view's modules (`require.resolve('../view')`, `'../panel'`).
   */
  modules: { view: string; panel: string };
  /**
   * The name of the view's panel class, exported by `modules.panel`.
   */
  panelClass: string;
  ids: string[];
  feature: string;
  /**
   * The token the panel plugin provides its `ILazyView` with.
   */
  view: Token<ILazyView<any> | null>;
  rank: number;
  /**
   * Commands that must exist once the plugins activated.
   */
  commands: string[];
}

const ALL_FEATURES = ['usage', 'earthdata', 'data', 'dask'];

export function describeFeaturePlugins(specs: IFeaturePluginSpecs): void {
  jest.doMock('@cloudscapes/core', () => ({
    ...jest.requireActual('@cloudscapes/core'),
    requestAPI: jest.fn()
  }));
  // the view's modules, in the order they were first required
  const loaded = recordLoads(specs.modules);
  let plugins: JupyterFrontEndPlugin<any>[] = [];
  let request: jest.Mock;
  beforeAll(async () => {
    plugins = (await specs.index()).default;
    request = jest.requireMock('@cloudscapes/core').requestAPI;
  });

  async function activate(features: string) {
    const labShell = { add: jest.fn() };
    const { app, provided } = await activateWith(
      features,
      plugins,
      new Map<Token<any>, unknown>([[ILabShell, labShell]])
    );
    const view = provided.get(specs.view) as ILazyView<any> | null;
    return { view, labShell, commands: app.commands };
  }

  beforeEach(() => request.mockReset());
  afterEach(() => PageConfig.setOption(FEATURES_OPTION, ''));

  it('are small plugins, one of which owns the settings', () => {
    expect(plugins.map(p => p.id)).toEqual(specs.ids);
  });

  it(`add no panel and no command when the server has no ${specs.feature} feature`, async () => {
    const info = jest.spyOn(console, 'info').mockImplementation(() => {});
    const others = ALL_FEATURES.filter(f => f !== specs.feature).join(',');
    const { view, labShell, commands } = await activate(others);
    expect(view).toBeNull();
    expect(labShell.add).not.toHaveBeenCalled();
    expect(commands.listCommands()).toEqual([]);
    expect(info).toHaveBeenCalledWith(
      expect.stringContaining(`"${specs.feature}" is disabled`)
    );
    info.mockRestore();
  });

  it('activate at once without a request; the view loads on first show', async () => {
    const { view, labShell, commands } = await activate(ALL_FEATURES.join(','));
    expect(view).not.toBeNull();
    expect(labShell.add).toHaveBeenCalledWith(expect.any(LazyPanel), 'left', {
      rank: specs.rank
    });
    for (const id of specs.commands) {
      expect(commands.hasCommand(id)).toBe(true);
    }
    expect(view!.view).toBeNull();
    expect(request).not.toHaveBeenCalled();
    // neither the view nor the panel's code has been required yet
    expect(loaded).toEqual([]);

    // the sidebar shows the panel: its code loads, and the view fills it
    const host = labShell.add.mock.calls[0][0] as LazyPanel<Widget>;
    Widget.attach(host, document.body);
    const loadedView = await view!.ready;
    expect(loaded).toEqual(['view', 'panel']);
    const panelModule = jest.requireActual(specs.modules.panel);
    expect(loadedView.panel).toBeInstanceOf(panelModule[specs.panelClass]);
    expect(view!.view).toBe(loadedView);
    await host.load();
    expect(host.content).toBe(loadedView.panel);
    expect(host.node.contains(loadedView.panel.node)).toBe(true);
    // a command showing it again brings the same view
    await expect(view!.show()).resolves.toBe(loadedView);
    host.dispose();
    loadedView.model.dispose();
  });
}
