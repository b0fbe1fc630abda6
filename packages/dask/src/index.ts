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
import { ILayoutRestorer } from '@jupyterlab/application';
import {
  MainAreaWidget,
  Notification,
  WidgetTracker
} from '@jupyterlab/apputils';

import {
  featureCommandsPlugin,
  featurePlugin,
  jobNotificationsPlugin,
  lazySidebarPlugin,
  notifyError
} from '@cloudscapes/core';

import { PALETTE_COMMANDS, addCommands, addDashboardCommand } from './commands';
import type { DashboardPane } from './dashboard';
import { daskIcon } from './icon';
import { jobError } from './jobs';
import {
  CommandIDs,
  IDaskClusters,
  IDaskView,
  PANEL_ID,
  PLUGIN_ID
} from './tokens';

export { CommandIDs, IDaskClusters, PLUGIN_ID } from './tokens';
export type { IDaskView } from './tokens';
export { daskIcon } from './icon';

/**
 * The Dask panel in the left sidebar; its view is built on first show.
 */
const clustersPlugin = lazySidebarPlugin<IDaskView>({
  id: PLUGIN_ID,
  description:
    'The Dask panel: create, scale, watch and shut down Dask clusters.',
  feature: 'dask',
  provides: IDaskClusters,
  panelId: PANEL_ID,
  rank: 470,
  icon: daskIcon,
  caption: trans => trans.__('Dask clusters'),
  build: async ({ app, settingRegistry, trans }) => {
    const { createView } = await import('./view');
    return createView({ settingRegistry, trans, commands: app.commands });
  }
});

/**
 * The Dask commands, in the palette under "Dask".
 */
const commandsPlugin = featureCommandsPlugin<IDaskClusters>({
  id: '@cloudscapes/dask:commands',
  description:
    'Commands of the Dask panel: open it, new cluster, insert connect code, shut down all.',
  view: IDaskClusters,
  addCommands,
  palette: PALETTE_COMMANDS,
  category: trans => trans.__('Dask')
});

/**
 * Dashboard plots in main-area tabs, restored with the layout.
 */
const dashboardsPlugin = featurePlugin<IDaskClusters>({
  id: '@cloudscapes/dask:dashboards',
  description: "Plots of a Dask cluster's dashboard in main-area tabs.",
  view: IDaskClusters,
  optional: [ILayoutRestorer],
  activate: (app, clusters, { trans }, restorer: ILayoutRestorer | null) => {
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
});

/**
 * A notification when a cluster has started, or did not (with the reason).
 */
const notificationsPlugin = jobNotificationsPlugin<IDaskView>({
  id: '@cloudscapes/dask:notifications',
  description: 'Notifications of Dask clusters that started or failed to.',
  view: IDaskClusters,
  notify: (app, { model }, job, trans) => {
    const name = model.jobClusterName(job.id) ?? job.title;
    if (job.status === 'succeeded') {
      Notification.success(trans.__('Dask cluster %1 is running.', name), {
        autoClose: 5000
      });
    } else if (job.status === 'cancelled') {
      // shut down (or cancelled) by the user while it started: nothing failed
      return;
    } else {
      notifyError(
        trans.__('Dask cluster %1 did not start:', name),
        jobError(job, trans)
      );
    }
  }
});

export default [
  clustersPlugin,
  commandsPlugin,
  dashboardsPlugin,
  notificationsPlugin
];
