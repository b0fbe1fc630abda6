import type {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { PageConfig } from '@jupyterlab/coreutils';
import { CommandRegistry } from '@lumino/commands';
import type { Token } from '@lumino/coreutils';
import type { Widget } from '@lumino/widgets';

import { FEATURES_OPTION } from '../features';

/**
 * Plugin helpers of every package's jest specs (they import this file from
 * `../../../core/src/__tests__/app`).
 */

/**
 * A front end with a real command registry and a shell that records what is
 * added and activated (enough for plugins' `activate`).
 */
export interface ITestApp extends JupyterFrontEnd {
  readonly added: Array<{ widget: Widget; area?: string }>;
  readonly activated: string[];
}

export function testApp(): ITestApp {
  const added: Array<{ widget: Widget; area?: string }> = [];
  const activated: string[] = [];
  const shell = {
    add: (widget: Widget, area?: string) => added.push({ widget, area }),
    activateById: (id: string) => activated.push(id),
    widgets: function* (area?: string) {
      for (const entry of added) {
        if (!area || entry.area === area) {
          yield entry.widget;
        }
      }
    },
    currentWidget: null
  };
  return {
    commands: new CommandRegistry(),
    shell,
    restored: Promise.resolve(),
    added,
    activated
  } as unknown as ITestApp;
}

/**
 * Activate `plugins` in order as JupyterLab would: each gets what it
 * requires and what it takes optionally from `services` (or from a plugin
 * activated before it), `null` for an optional service nobody provides.
 */
export async function activate(
  app: JupyterFrontEnd,
  plugins: JupyterFrontEndPlugin<any>[],
  services: Map<Token<any>, unknown> = new Map()
): Promise<Map<Token<any>, unknown>> {
  const provided = new Map(services);
  for (const plugin of plugins) {
    const args = [
      ...(plugin.requires ?? []).map(token => {
        if (!provided.has(token)) {
          throw new Error(`${plugin.id} requires ${token.name}`);
        }
        return provided.get(token);
      }),
      ...(plugin.optional ?? []).map(token => provided.get(token) ?? null)
    ];
    const value = await plugin.activate(app, ...args);
    if (plugin.provides) {
      provided.set(plugin.provides, value);
    }
  }
  return provided;
}

/**
 * A fresh `testApp()` with `plugins` activated while the server enables
 * `features` (the page config's comma-separated list; `''` for none).
 */
export async function activateWith(
  features: string,
  plugins: JupyterFrontEndPlugin<any>[],
  services: Map<Token<any>, unknown> = new Map()
): Promise<{ app: ITestApp; provided: Map<Token<any>, unknown> }> {
  PageConfig.setOption(FEATURES_OPTION, features);
  const app = testApp();
  const provided = await activate(app, plugins, services);
  return { app, provided };
}

/**
 * Record when modules load: each of `paths` (absolute, e.g.
 * `require.resolve('../view')`) is still the real module, but its first
 * `require` adds its name to the returned list. Call it before importing the
 * code that may load them (a package's plugins), to see that a view's code
 * loads on first show and not with the plugins.
 */
export function recordLoads(paths: Record<string, string>): string[] {
  const loaded: string[] = [];
  for (const [name, path] of Object.entries(paths)) {
    jest.doMock(path, () => {
      loaded.push(name);
      return jest.requireActual(path);
    });
  }
  return loaded;
}
