/**
 * @cloudscapes/dask: a left-sidebar panel to create, scale, watch and shut
 * down Dask clusters (LocalCluster inside this server, or Dask Gateway), with
 * their cost, dashboard plots in main-area tabs and code that connects a
 * notebook to them.
 *
 * Small plugins, one concern each: the panel (whose view loads when it is
 * first shown), the commands (palette and menus; the menus are declared in
 * schema/plugin.json), the dashboard tabs (a chunk of their own, restored with
 * the layout) and the notifications of clusters that started or failed. None
 * of them waits on the network; all stay out of the way when the server's
 * `dask` feature is disabled.
 */
import {
  ILabShell,
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import {
  ICommandPalette,
  MainAreaWidget,
  Notification,
  WidgetTracker
} from '@jupyterlab/apputils';
import { INotebookTracker } from '@jupyterlab/notebook';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';

import {
  Job,
  addLazySidebarPanel,
  insertIntoCurrentNotebook,
  requireFeature
} from '@cloudscapes/core';

import { PALETTE_COMMANDS, addCommands, addDashboardCommand } from './commands';
import type { DashboardPane } from './dashboard';
import { daskIcon } from './icon';
import { jobError } from './jobs';
import { CommandIDs, IDaskClusters, PANEL_ID, PLUGIN_ID } from './tokens';

export { CommandIDs, IDaskClusters, PLUGIN_ID } from './tokens';
export type { IDaskView } from './tokens';
export { daskIcon } from './icon';

const FEATURE = 'dask';

/**
 * The Dask panel in the left sidebar; its view is built on first show.
 */
const clustersPlugin: JupyterFrontEndPlugin<IDaskClusters | null> = {
  id: PLUGIN_ID,
  description:
    'The Dask panel: create, scale, watch and shut down Dask clusters.',
  autoStart: true,
  provides: IDaskClusters,
  optional: [ISettingRegistry, ILabShell, ILayoutRestorer, ITranslator],
  activate: (
    app: JupyterFrontEnd,
    settingRegistry: ISettingRegistry | null,
    labShell: ILabShell | null,
    restorer: ILayoutRestorer | null,
    translator: ITranslator | null
  ): IDaskClusters | null => {
    if (!requireFeature(FEATURE, PLUGIN_ID)) {
      return null;
    }
    const trans = (translator ?? nullTranslator).load('cloudscapes');
    return addLazySidebarPanel(
      app,
      async () => {
        const { createView } = await import('./view');
        return createView({ settingRegistry, trans, commands: app.commands });
      },
      {
        id: PANEL_ID,
        area: 'left',
        rank: 470,
        icon: daskIcon,
        caption: trans.__('Dask clusters'),
        labShell,
        restorer
      }
    );
  }
};

/**
 * The Dask commands, in the palette under "Dask".
 */
const commandsPlugin: JupyterFrontEndPlugin<void> = {
  id: '@cloudscapes/dask:commands',
  description:
    'Commands of the Dask panel: open it, new cluster, insert connect code, shut down all.',
  autoStart: true,
  optional: [IDaskClusters, ICommandPalette, INotebookTracker, ITranslator],
  activate: (
    app: JupyterFrontEnd,
    clusters: IDaskClusters | null,
    palette: ICommandPalette | null,
    notebooks: INotebookTracker | null,
    translator: ITranslator | null
  ): void => {
    if (!clusters) {
      return;
    }
    const trans = (translator ?? nullTranslator).load('cloudscapes');
    addCommands(app, clusters, {
      trans,
      insert: code =>
        insertIntoCurrentNotebook(
          app,
          notebooks,
          code,
          trans,
          translator ?? undefined
        )
    });
    if (palette) {
      const category = trans.__('Dask');
      for (const command of PALETTE_COMMANDS) {
        palette.addItem({ command, category });
      }
    }
  }
};

/**
 * Dashboard plots in main-area tabs, restored with the layout.
 */
const dashboardsPlugin: JupyterFrontEndPlugin<void> = {
  id: '@cloudscapes/dask:dashboards',
  description: "Plots of a Dask cluster's dashboard in main-area tabs.",
  autoStart: true,
  optional: [IDaskClusters, ILayoutRestorer, ITranslator],
  activate: (
    app: JupyterFrontEnd,
    clusters: IDaskClusters | null,
    restorer: ILayoutRestorer | null,
    translator: ITranslator | null
  ): void => {
    if (!clusters) {
      return;
    }
    const trans = (translator ?? nullTranslator).load('cloudscapes');
    const dashboards = new WidgetTracker<MainAreaWidget<DashboardPane>>({
      namespace: 'cloudscapes-dask-dashboard'
    });
    addDashboardCommand(app, clusters, dashboards, trans);
    if (restorer) {
      void restorer.restore(dashboards, {
        command: CommandIDs.openDashboard,
        args: widget => ({
          clusterId: widget.content.clusterId,
          clusterName: widget.content.clusterName,
          ...widget.content.plot
        }),
        name: widget =>
          `${widget.content.clusterId}:${widget.content.plot.name}`
      });
    }
  }
};

/**
 * A notification when a cluster has started, or did not (with the reason).
 */
const notificationsPlugin: JupyterFrontEndPlugin<void> = {
  id: '@cloudscapes/dask:notifications',
  description: 'Notifications of Dask clusters that started or failed to.',
  autoStart: true,
  optional: [IDaskClusters, ITranslator],
  activate: (
    app: JupyterFrontEnd,
    clusters: IDaskClusters | null,
    translator: ITranslator | null
  ): void => {
    if (!clusters) {
      return;
    }
    const trans = (translator ?? nullTranslator).load('cloudscapes');
    void clusters.ready.then(({ model }) =>
      model.jobs.jobFinished.connect((_, job: Job) => {
        const name = model.jobClusterName(job.id) ?? job.title;
        if (job.status === 'succeeded') {
          Notification.success(trans.__('Dask cluster %1 is running.', name), {
            autoClose: 5000
          });
        } else if (job.status === 'cancelled') {
          // shut down (or cancelled) by the user while it started: nothing failed
          return;
        } else {
          const error = jobError(job, trans);
          Notification.error(
            [
              trans.__('Dask cluster %1 did not start:', name),
              error.message,
              error.hint
            ]
              .filter(Boolean)
              .join(' '),
            { autoClose: false }
          );
        }
      })
    );
  }
};

export default [
  clustersPlugin,
  commandsPlugin,
  dashboardsPlugin,
  notificationsPlugin
];
