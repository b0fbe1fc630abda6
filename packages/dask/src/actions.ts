/**
 * What the Dask panel's buttons do (loaded with the view). Those that need a
 * dialog or a notification live here, and those that the palette and menus
 * offer too run the commands, so both behave the same.
 */
import type { JupyterFrontEnd } from '@jupyterlab/application';
import { Notification } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';
import type { Widget } from '@lumino/widgets';

import { confirmWarning, reportWhenHidden } from '@cloudscapes/core';

import type { Cluster, DaskModel } from './model';
import { CommandIDs, IPanelActions } from './tokens';

/**
 * The panel's actions on `model`. Failures show in the panel's banner; while
 * `panel()` is hidden they also become notifications.
 */
export function panelActions(options: {
  model: DaskModel;
  commands: JupyterFrontEnd['commands'];
  trans: TranslationBundle;
  panel: () => Widget | null;
}): IPanelActions {
  const { model, commands, trans } = options;
  const report = (title: string, reason: unknown) => {
    const panel = options.panel();
    if (panel) {
      reportWhenHidden(panel)(title, reason);
    }
  };

  const shutdown = async (cluster: Cluster) => {
    if (model.settings.confirmShutdown) {
      const confirmed = await confirmWarning(trans, {
        title: trans.__('Shut down Dask cluster %1?', cluster.name),
        body: trans.__(
          'Its workers stop and the data they hold in memory is lost; notebooks connected to it lose their cluster.'
        ),
        accept: trans.__('Shut down')
      });
      if (!confirmed) {
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

  return {
    create: async request => {
      try {
        await model.create(request);
        return true;
      } catch (reason) {
        report(trans.__('The cluster was not created.'), reason);
        return false;
      }
    },
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
    shutdownAll: () => void commands.execute(CommandIDs.shutdownAll),
    insertCode: cluster =>
      void commands.execute(CommandIDs.insertCode, { clusterId: cluster.id }),
    openPlot: (cluster, plot) =>
      void commands.execute(CommandIDs.openDashboard, {
        clusterId: cluster.id,
        clusterName: cluster.name,
        ...plot
      })
  };
}
