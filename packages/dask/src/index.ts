/**
 * @cloudscapes/dask: a left-sidebar panel to create, scale, watch and shut
 * down Dask clusters (LocalCluster inside this server, or Dask Gateway), with
 * their cost, dashboard plots in main-area tabs and code that connects a
 * notebook to them.
 */
import {
  ILabShell,
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import {
  Dialog,
  ICommandPalette,
  MainAreaWidget,
  Notification,
  WidgetTracker,
  showDialog
} from '@jupyterlab/apputils';
import { INotebookTracker } from '@jupyterlab/notebook';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';

import {
  insertIntoCurrentNotebook,
  Job,
  JobTracker,
  followSettings,
  toRequestError
} from '@cloudscapes/core';

import type { DashboardPane } from './dashboard';
import { daskIcon } from './icon';
import {
  Cluster,
  DEFAULT_SETTINGS,
  DaskModel,
  IDaskSettings,
  Plot,
  jobError
} from './model';
import { DaskPanel } from './panel';

export const PLUGIN_ID = '@cloudscapes/dask:plugin';

export namespace CommandIDs {
  export const open = 'cloudscapes-dask:open';
  export const newCluster = 'cloudscapes-dask:new-cluster';
  export const shutdownAll = 'cloudscapes-dask:shutdown-all';
  export const insertCode = 'cloudscapes-dask:insert-connect-code';
  export const openDashboard = 'cloudscapes-dask:open-dashboard';
}

const PANEL_ID = 'cloudscapes-dask-panel';

export { DaskModel, DEFAULT_SETTINGS } from './model';
export type { IDaskSettings } from './model';
export { DaskPanel } from './panel';
export { daskIcon } from './icon';
export * from './format';
export * from './options';
export * from './plots';

function errorText(title: string, reason: unknown): string {
  const error = toRequestError(reason);
  return [title, error.message, error.hint].filter(Boolean).join(' ');
}

const plugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description:
    'Create, scale, watch and shut down Dask clusters, with dashboards and connect code.',
  autoStart: true,
  optional: [
    ISettingRegistry,
    ICommandPalette,
    ILabShell,
    ILayoutRestorer,
    INotebookTracker,
    ITranslator
  ],
  activate: async (
    app: JupyterFrontEnd,
    settingRegistry: ISettingRegistry | null,
    palette: ICommandPalette | null,
    labShell: ILabShell | null,
    restorer: ILayoutRestorer | null,
    notebooks: INotebookTracker | null,
    translator: ITranslator | null
  ): Promise<void> => {
    const trans = (translator ?? nullTranslator).load('cloudscapes');
    const jobs = new JobTracker();
    const model = new DaskModel(DEFAULT_SETTINGS, jobs, trans);

    await followSettings<IDaskSettings>(
      settingRegistry,
      PLUGIN_ID,
      DEFAULT_SETTINGS,
      values => (model.settings = values)
    );

    const panel = new DaskPanel(model, trans, {
      create: request => create(request),
      scale: async (cluster, workers) => {
        try {
          await model.scale(cluster.id, workers);
          Notification.info(
            trans._n(
              'Scaling %2 to %1 worker.',
              'Scaling %2 to %1 workers.',
              workers,
              cluster.name
            ),
            { autoClose: 3000 }
          );
        } catch (reason) {
          report(trans.__('The cluster was not scaled.'), reason);
        }
      },
      adapt: async (cluster, adapt) => {
        try {
          await model.adapt(cluster.id, adapt);
          Notification.info(
            trans.__(
              '%1 now scales between %2 and %3 workers with the work.',
              cluster.name,
              adapt.minimum,
              adapt.maximum
            ),
            { autoClose: 3000 }
          );
        } catch (reason) {
          report(trans.__('Adaptive scaling was not set.'), reason);
        }
      },
      shutdown: cluster => void shutdown(cluster),
      remove: cluster =>
        void model
          .shutdown(cluster.id)
          .catch(reason =>
            report(trans.__('The cluster was not removed.'), reason)
          ),
      shutdownAll: () => void app.commands.execute(CommandIDs.shutdownAll),
      insertCode: cluster =>
        void app.commands.execute(CommandIDs.insertCode, {
          clusterId: cluster.id
        }),
      openPlot: (cluster, plot) =>
        void app.commands.execute(CommandIDs.openDashboard, {
          clusterId: cluster.id,
          clusterName: cluster.name,
          ...plot
        })
    });
    panel.id = PANEL_ID;
    panel.title.icon = daskIcon;
    panel.title.caption = trans.__('Dask clusters');
    if (labShell) {
      labShell.add(panel, 'left', { rank: 470 });
    }
    if (restorer) {
      restorer.add(panel, PANEL_ID);
    }

    const show = () => {
      if (!panel.isAttached && !labShell) {
        app.shell.add(panel, 'left');
      }
      app.shell.activateById(PANEL_ID);
    };

    // Failures of actions show in the panel's banner; when the panel is
    // hidden (palette) they also become notifications.
    const report = (title: string, reason: unknown) => {
      if (!panel.isVisible) {
        Notification.error(errorText(title, reason), { autoClose: false });
      }
    };

    /**
     * The list, fetched now when nothing has asked for it yet (palette).
     */
    const ensureList = async () => {
      model.start();
      if (model.list === null) {
        await model.refresh().catch(() => undefined);
      }
    };

    const create = async (
      request: Parameters<DaskModel['create']>[0]
    ): Promise<boolean> => {
      try {
        await model.create(request);
        return true;
      } catch (reason) {
        report(trans.__('The cluster was not created.'), reason);
        return false;
      }
    };

    const shutdown = async (cluster: Cluster) => {
      if (model.settings.confirmShutdown) {
        const result = await showDialog({
          title: trans.__('Shut down Dask cluster %1?', cluster.name),
          body: trans.__(
            'Its workers stop and the data they hold in memory is lost; notebooks connected to it lose their cluster.'
          ),
          buttons: [
            Dialog.cancelButton({ label: trans.__('Cancel') }),
            Dialog.warnButton({ label: trans.__('Shut down') })
          ]
        });
        if (!result.button.accept) {
          return;
        }
      }
      try {
        await model.shutdown(cluster.id);
        Notification.success(
          trans.__('Dask cluster %1 has shut down.', cluster.name),
          { autoClose: 4000 }
        );
      } catch (reason) {
        report(trans.__('The cluster was not shut down.'), reason);
      }
    };

    jobs.jobFinished.connect((_, job: Job) => {
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
    });

    app.commands.addCommand(CommandIDs.open, {
      label: trans.__('Open Dask Clusters'),
      caption: trans.__('Create, scale, watch and shut down Dask clusters'),
      icon: args => (args['isPalette'] ? undefined : daskIcon),
      execute: show
    });

    app.commands.addCommand(CommandIDs.newCluster, {
      label: trans.__('New Dask Cluster…'),
      caption: trans.__('Start a Dask cluster (choose where and how big)'),
      execute: () => {
        show();
        panel.openNewClusterForm();
      }
    });

    app.commands.addCommand(CommandIDs.shutdownAll, {
      label: trans.__('Shut Down All Dask Clusters…'),
      caption: trans.__('Shut down every Dask cluster (they stop costing)'),
      isEnabled: () =>
        model.list === null ||
        model.clusters.some(
          c => c.status === 'running' || c.status === 'starting'
        ),
      execute: async () => {
        await ensureList();
        const live = model.clusters.filter(
          c => c.status === 'running' || c.status === 'starting'
        );
        if (live.length === 0) {
          Notification.info(trans.__('No Dask cluster is running.'), {
            autoClose: 4000
          });
          return;
        }
        if (model.settings.confirmShutdown) {
          const result = await showDialog({
            title: trans.__('Shut down all Dask clusters?'),
            body: trans._n(
              '%1 cluster stops; the data its workers hold in memory is lost.',
              '%1 clusters stop; the data their workers hold in memory is lost.',
              live.length
            ),
            buttons: [
              Dialog.cancelButton({ label: trans.__('Cancel') }),
              Dialog.warnButton({ label: trans.__('Shut down all') })
            ]
          });
          if (!result.button.accept) {
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

    app.commands.addCommand(CommandIDs.insertCode, {
      label: args =>
        args['clusterId']
          ? trans.__('Insert Connect Code')
          : trans.__('Insert Code to Connect to the Newest Dask Cluster'),
      caption: trans.__(
        'Insert a code cell that connects the notebook to a running Dask cluster'
      ),
      isEnabled: args =>
        !!args['clusterId'] || model.list === null || !!model.newestRunning,
      execute: async args => {
        await ensureList();
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
                  callback: () =>
                    void app.commands.execute(CommandIDs.newCluster)
                }
              ]
            }
          );
          return;
        }
        const code = cluster.connect_code;
        await insertIntoCurrentNotebook(
          app,
          notebooks,
          code,
          trans,
          translator ?? undefined
        );
      }
    });

    // Dashboard plots in main-area tabs, restored with the layout.
    const dashboards = new WidgetTracker<MainAreaWidget<DashboardPane>>({
      namespace: 'cloudscapes-dask-dashboard'
    });
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
            w.content.clusterId === clusterId &&
            w.content.plot.name === plot.name
        );
        if (open) {
          app.shell.activateById(open.id);
          return open;
        }
        // the dashboard view is a chunk of its own, loaded on first use
        const { createDashboard } = await import('./dashboard');
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

    if (palette) {
      const category = trans.__('Dask');
      for (const command of [
        CommandIDs.open,
        CommandIDs.newCluster,
        CommandIDs.shutdownAll,
        CommandIDs.insertCode
      ]) {
        palette.addItem({ command, category });
      }
    }
  }
};

export default plugin;
