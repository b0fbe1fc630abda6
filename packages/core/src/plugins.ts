import {
  ILabShell,
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { INotebookTracker } from '@jupyterlab/notebook';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import {
  ITranslator,
  TranslationBundle,
  nullTranslator
} from '@jupyterlab/translation';
import type { LabIcon } from '@jupyterlab/ui-components';
import type { Token } from '@lumino/coreutils';
import type { Widget } from '@lumino/widgets';

import { CloudscapesFeature, requireFeature } from './features';
import { ILazyView, addLazySidebarPanel } from './lazy';
import type { Job, JobTracker } from './jobs';
import { insertIntoCurrentNotebook } from './notebook';

/**
 * Plugin factories for what every feature's lab extension has: a sidebar
 * panel whose view loads on first show, and a plugin that adds the feature's
 * commands to the palette. Written once so that each feature's `index.ts`
 * says only what is its own (ids, rank, captions, its view and commands),
 * and every feature stays out of the way in the same manner when the server
 * disabled it.
 */

/**
 * The bundle of Cloudscapes' messages in the user's language.
 */
export function cloudscapesTrans(
  translator: ITranslator | null
): TranslationBundle {
  return (translator ?? nullTranslator).load('cloudscapes');
}

/**
 * What a feature's view is built from when its panel is first shown.
 */
export interface ILazyViewContext {
  app: JupyterFrontEnd;
  settingRegistry: ISettingRegistry | null;
  trans: TranslationBundle;
}

/**
 * A feature's sidebar panel plugin (see `lazySidebarPlugin`).
 */
export interface ILazySidebarPluginOptions<V extends { panel: Widget }> {
  id: string;
  description: string;
  /**
   * The server feature without which the plugin adds nothing and provides
   * `null`.
   */
  feature: CloudscapesFeature;
  provides: Token<ILazyView<V> | null>;
  /**
   * The panel's DOM id (and layout-restorer name).
   */
  panelId: string;
  rank: number;
  icon: LabIcon;
  caption: (trans: TranslationBundle) => string;
  /**
   * Load the view: `import()` its chunk and create it.
   */
  build: (context: ILazyViewContext) => Promise<V>;
}

/**
 * A plugin that puts a feature's panel in the left sidebar at once (no
 * request, no view code) and builds the view on first show; it provides the
 * `ILazyView` that the feature's other plugins reach the view through, or
 * `null` when the server disabled the feature.
 */
export function lazySidebarPlugin<V extends { panel: Widget }>(
  options: ILazySidebarPluginOptions<V>
): JupyterFrontEndPlugin<ILazyView<V> | null> {
  return {
    id: options.id,
    description: options.description,
    autoStart: true,
    provides: options.provides,
    optional: [ISettingRegistry, ILabShell, ILayoutRestorer, ITranslator],
    activate: (
      app: JupyterFrontEnd,
      settingRegistry: ISettingRegistry | null,
      labShell: ILabShell | null,
      restorer: ILayoutRestorer | null,
      translator: ITranslator | null
    ): ILazyView<V> | null => {
      if (!requireFeature(options.feature, options.id)) {
        return null;
      }
      const trans = cloudscapesTrans(translator);
      return addLazySidebarPanel(
        app,
        () => options.build({ app, settingRegistry, trans }),
        {
          id: options.panelId,
          area: 'left',
          rank: options.rank,
          icon: options.icon,
          caption: options.caption(trans),
          labShell,
          restorer
        }
      );
    }
  };
}

/**
 * What a feature's `addCommands` is given besides the app and its view.
 */
export interface IFeatureCommandOptions {
  trans: TranslationBundle;
  /**
   * Insert code as JupyterLab users expect: into the current notebook.
   */
  insert: (code: string) => Promise<void>;
}

/**
 * What a feature plugin's `activate` is given besides the app and the view.
 */
export interface IFeaturePluginContext {
  trans: TranslationBundle;
  translator: ITranslator | null;
}

/**
 * A plugin of a feature beyond its panel (see `featurePlugin`).
 */
export interface IFeaturePluginOptions<T> {
  id: string;
  description: string;
  /**
   * The feature's panel (`null` when the server disabled the feature).
   */
  view: Token<T | null>;
  /**
   * Further optional services, given to `activate` after the context in
   * this order (`null` for one nobody provides).
   */
  optional?: Token<any>[];
  activate: (
    app: JupyterFrontEnd,
    view: T,
    context: IFeaturePluginContext,
    ...services: any[]
  ) => void;
}

/**
 * A plugin of a feature that acts on its panel's view (commands, tabs,
 * notifications): it activates only when the panel plugin provided the
 * view, so it stays out of the way when the server disabled the feature.
 */
export function featurePlugin<T>(
  options: IFeaturePluginOptions<T>
): JupyterFrontEndPlugin<void> {
  const optional = options.optional ?? [];
  return {
    id: options.id,
    description: options.description,
    autoStart: true,
    optional: [options.view, ...optional, ITranslator],
    activate: (app: JupyterFrontEnd, view: T | null, ...rest: any[]): void => {
      if (!view) {
        return;
      }
      const translator = (rest[optional.length] ?? null) as ITranslator | null;
      const trans = cloudscapesTrans(translator);
      options.activate(
        app,
        view,
        { trans, translator },
        ...rest.slice(0, optional.length)
      );
    }
  };
}

/**
 * A feature's commands plugin (see `featureCommandsPlugin`).
 */
export interface IFeatureCommandsPluginOptions<T> {
  id: string;
  description: string;
  view: Token<T | null>;
  addCommands: (
    app: JupyterFrontEnd,
    view: T,
    options: IFeatureCommandOptions
  ) => void;
  /**
   * The commands listed in the palette, and their category there.
   */
  palette: readonly string[];
  category: (trans: TranslationBundle) => string;
}

/**
 * A plugin that adds a feature's commands (their menus and shortcuts are in
 * the feature's settings schema) and lists them in the palette.
 */
export function featureCommandsPlugin<T>(
  options: IFeatureCommandsPluginOptions<T>
): JupyterFrontEndPlugin<void> {
  return featurePlugin<T>({
    id: options.id,
    description: options.description,
    view: options.view,
    optional: [ICommandPalette, INotebookTracker],
    activate: (
      app,
      view,
      { trans, translator },
      palette: ICommandPalette | null,
      notebooks: INotebookTracker | null
    ) => {
      options.addCommands(app, view, {
        trans,
        insert: notebookInserter(app, notebooks, trans, translator)
      });
      if (palette) {
        const category = options.category(trans);
        for (const command of options.palette) {
          palette.addItem({ command, category });
        }
      }
    }
  });
}

/**
 * A plugin that tells the user (a notification, wherever they are) when a
 * job of the feature's view finishes: `notify` says what, once the view has
 * loaded (no view, no jobs).
 */
export function jobNotificationsPlugin<
  V extends { model: { jobs: JobTracker } }
>(options: {
  id: string;
  description: string;
  view: Token<ILazyView<V> | null>;
  notify: (
    app: JupyterFrontEnd,
    view: V,
    job: Job,
    trans: TranslationBundle
  ) => void;
}): JupyterFrontEndPlugin<void> {
  return featurePlugin<ILazyView<V>>({
    id: options.id,
    description: options.description,
    view: options.view,
    activate: (app, lazy, { trans }) => {
      void lazy.ready.then(view =>
        view.model.jobs.jobFinished.connect((_, job: Job) =>
          options.notify(app, view, job, trans)
        )
      );
    }
  });
}

/**
 * Insert `code` as JupyterLab users expect: into the current notebook.
 */
export function notebookInserter(
  app: JupyterFrontEnd,
  notebooks: INotebookTracker | null,
  trans: TranslationBundle,
  translator: ITranslator | null
): (code: string) => Promise<void> {
  return code =>
    insertIntoCurrentNotebook(
      app,
      notebooks,
      code,
      trans,
      translator ?? undefined
    );
}
