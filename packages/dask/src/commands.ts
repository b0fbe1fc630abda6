/**
 * The Dask panel's commands, for the palette, the menus and the panel's
 * buttons alike. The view they act on (model, panel) is loaded on first use.
 */
import type { JupyterFrontEnd } from '@jupyterlab/application';
import {
  MainAreaWidget,
  Notification,
  WidgetTracker
} from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';

import {
  IFeatureCommandOptions,
  addShowCommand,
  confirmWarning,
  errorText
} from '@cloudscapes/core';

import type { DashboardPane } from './dashboard';
import { daskIcon } from './icon';
import type { DaskModel, Plot } from './model';
import { CommandIDs, IDaskClusters } from './tokens';

/**
 * What the commands need besides the view: the messages and the notebook
 * inserter (core's, as every feature's).
 */
export type ICommandOptions = IFeatureCommandOptions;

/**
 * The clusters' list, fetched now when nothing has asked for it yet (palette).
 */
async function listed(clusters: IDaskClusters): Promise<DaskModel> {
  const { model } = await clusters.load();
  model.start();
  if (model.list === null) {
    await model.refresh().catch(() => undefined);
  }
  return model;
}

function live(model: DaskModel) {
  return model.clusters.filter(
    c => c.status === 'running' || c.status === 'starting'
  );
}

export function addCommands(
  app: JupyterFrontEnd,
  clusters: IDaskClusters,
  options: ICommandOptions
): void {
  const { commands } = app;
  const { trans } = options;

  addShowCommand(app, CommandIDs.open, () => void clusters.show(), {
    label: trans.__('Open Dask Clusters'),
    caption: trans.__('Create, scale, watch and shut down Dask clusters'),
    icon: daskIcon
  });

  commands.addCommand(CommandIDs.newCluster, {
    label: trans.__('New Dask Cluster…'),
    caption: trans.__('Start a Dask cluster (choose where and how big)'),
    execute: async () => {
      const { panel } = await clusters.show();
      panel.openNewClusterForm();
    }
  });

  commands.addCommand(CommandIDs.shutdownAll, {
    label: trans.__('Shut Down All Dask Clusters…'),
    caption: trans.__('Shut down every Dask cluster (they stop costing)'),
    isEnabled: () => {
      const model = clusters.view?.model;
      return !model || model.list === null || live(model).length > 0;
    },
    execute: async () => {
      const model = await listed(clusters);
      const running = live(model);
      if (running.length === 0) {
        Notification.info(trans.__('No Dask cluster is running.'), {
          autoClose: 4000
        });
        return;
      }
      if (model.settings.confirmShutdown) {
        const confirmed = await confirmWarning(trans, {
          title: trans.__('Shut down all Dask clusters?'),
          body: trans._n(
            '%1 cluster stops; the data its workers hold in memory is lost.',
            '%1 clusters stop; the data their workers hold in memory is lost.',
            running.length
          ),
          accept: trans.__('Shut down all')
        });
        if (!confirmed) {
          return;
        }
      }
      try {
        const result = await model.shutdownAll();
        if (result.errors.length === 0) {
          Notification.success(
            trans._n(
              '%1 Dask cluster has shut down.',
              '%1 Dask clusters have shut down.',
              result.stopped.length
            ),
            { autoClose: 4000 }
          );
        } else {
          const first = result.errors[0].error.error;
          Notification.error(
            [
              trans._n(
                '%1 Dask cluster could not be shut down:',
                '%1 Dask clusters could not be shut down:',
                result.errors.length
              ),
              first.message,
              first.hint
            ]
              .filter(Boolean)
              .join(' '),
            { autoClose: false }
          );
        }
      } catch (reason) {
        Notification.error(
          errorText(trans.__('The clusters were not shut down.'), reason),
          { autoClose: false }
        );
      }
    }
  });

  commands.addCommand(CommandIDs.insertCode, {
    label: args =>
      args['clusterId']
        ? trans.__('Insert Connect Code')
        : trans.__('Insert Code to Connect to the Newest Dask Cluster'),
    caption: trans.__(
      'Insert a code cell that connects the notebook to a running Dask cluster'
    ),
    isEnabled: args => {
      const model = clusters.view?.model;
      return (
        !!args['clusterId'] ||
        !model ||
        model.list === null ||
        !!model.newestRunning
      );
    },
    execute: async args => {
      const model = await listed(clusters);
      const id = args['clusterId'] as string | undefined;
      const cluster = id ? model.cluster(id) : model.newestRunning;
      if (!cluster || cluster.status !== 'running') {
        Notification.warning(
          trans.__('No Dask cluster is running; create one first.'),
          {
            autoClose: 5000,
            actions: [
              {
                label: trans.__('New cluster'),
                callback: () => void commands.execute(CommandIDs.newCluster)
              }
            ]
          }
        );
        return;
      }
      await options.insert(cluster.connect_code);
    }
  });
}

/**
 * "Open <plot>": a dashboard plot of a cluster in a main-area tab (one per
 * cluster and plot; the tab's code is a chunk of its own, loaded on first use).
 */
export function addDashboardCommand(
  app: JupyterFrontEnd,
  clusters: IDaskClusters,
  dashboards: WidgetTracker<MainAreaWidget<DashboardPane>>,
  trans: TranslationBundle
): void {
  app.commands.addCommand(CommandIDs.openDashboard, {
    label: args =>
      args['title']
        ? trans.__('Open %1', args['title'] as string)
        : trans.__('Open Dask Dashboard Plot'),
    caption: trans.__("Show a plot of a Dask cluster's dashboard in a tab"),
    execute: async args => {
      const clusterId = args['clusterId'] as string;
      const plot: Plot = {
        name: args['name'] as string,
        title: args['title'] as string,
        url: args['url'] as string
      };
      const open = dashboards.find(
        w =>
          w.content.clusterId === clusterId && w.content.plot.name === plot.name
      );
      if (open) {
        app.shell.activateById(open.id);
        return open;
      }
      const [{ createDashboard }, { model }] = await Promise.all([
        import('./dashboard'),
        clusters.load()
      ]);
      const clusterName =
        (args['clusterName'] as string) ||
        model.cluster(clusterId)?.name ||
        clusterId;
      const widget = createDashboard({
        model,
        clusterId,
        clusterName,
        plot,
        trans
      });
      widget.id = `cloudscapes-dask-dashboard-${dashboards.size}-${Date.now()}`;
      await dashboards.add(widget);
      app.shell.add(widget, 'main', { mode: 'split-right' });
      app.shell.activateById(widget.id);
      return widget;
    }
  });
}

/**
 * The commands the palette lists, in its "Dask" category.
 */
export const PALETTE_COMMANDS = [
  CommandIDs.open,
  CommandIDs.newCluster,
  CommandIDs.shutdownAll,
  CommandIDs.insertCode
];
