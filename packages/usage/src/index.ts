/**
 * @cloudscapes/usage: cost, resources and idle culling in the status bar, a
 * details panel, keep-alive, "Stop my server", and warnings as notifications.
 */
import {
  ILabShell,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import {
  Dialog,
  ICommandPalette,
  Notification,
  showDialog
} from '@jupyterlab/apputils';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { IStatusBar } from '@jupyterlab/statusbar';
import {
  ITranslator,
  TranslationBundle,
  nullTranslator
} from '@jupyterlab/translation';
import { LabIcon, runningIcon } from '@jupyterlab/ui-components';

import {
  ICloudscapesUsage,
  followSettings,
  toRequestError
} from '@cloudscapes/core';

import { formatBytes } from './format';
import { DEFAULT_SETTINGS, IUsageSettings, UsageModel } from './model';
import { UsagePanel } from './panel';
import { UsageStatus } from './status';
import {
  CrossingTracker,
  WarningKind,
  diskFraction,
  memoryFraction,
  thresholdsFor
} from './thresholds';

export const PLUGIN_ID = '@cloudscapes/usage:plugin';

export namespace CommandIDs {
  export const open = 'cloudscapes-usage:open';
  export const keepAlive = 'cloudscapes-usage:keep-alive';
  export const endKeepAlive = 'cloudscapes-usage:end-keep-alive';
  export const stop = 'cloudscapes-usage:stop-server';
}

const PANEL_ID = 'cloudscapes-usage-panel';

export { UsageModel } from './model';
export * from './format';
export * from './thresholds';

function showError(
  trans: TranslationBundle,
  title: string,
  reason: unknown
): void {
  const error = toRequestError(reason);
  Notification.error(
    error.hint
      ? `${title} ${error.message} ${error.hint}`
      : `${title} ${error.message}`,
    {
      autoClose: false
    }
  );
}

const plugin: JupyterFrontEndPlugin<ICloudscapesUsage> = {
  id: PLUGIN_ID,
  description:
    'Server cost, memory/CPU/disk and idle-culler status in the status bar, with keep-alive and stop.',
  autoStart: true,
  provides: ICloudscapesUsage,
  optional: [
    ISettingRegistry,
    IStatusBar,
    ICommandPalette,
    ILabShell,
    ITranslator
  ],
  activate: async (
    app: JupyterFrontEnd,
    settingRegistry: ISettingRegistry | null,
    statusBar: IStatusBar | null,
    palette: ICommandPalette | null,
    labShell: ILabShell | null,
    translator: ITranslator | null
  ): Promise<ICloudscapesUsage> => {
    const trans = (translator ?? nullTranslator).load('cloudscapes');
    const model = new UsageModel();

    await followSettings<IUsageSettings>(
      settingRegistry,
      PLUGIN_ID,
      DEFAULT_SETTINGS,
      values => (model.settings = values)
    );

    const panel = new UsagePanel(model, trans, {
      keepAlive: minutes =>
        void app.commands.execute(CommandIDs.keepAlive, { minutes }),
      endKeepAlive: () => void app.commands.execute(CommandIDs.endKeepAlive),
      stop: () => void app.commands.execute(CommandIDs.stop)
    });
    panel.id = PANEL_ID;
    panel.title.icon = runningIcon as LabIcon;
    panel.title.caption = trans.__('Server usage');
    if (labShell) {
      labShell.add(panel, 'right', { rank: 900 });
    }

    app.commands.addCommand(CommandIDs.open, {
      label: trans.__('Show Server Usage'),
      caption: trans.__(
        'Cost, memory, CPU, disk and idle shutdown of this server'
      ),
      execute: () => {
        if (!panel.isAttached && !labShell) {
          app.shell.add(panel, 'right');
        }
        app.shell.activateById(PANEL_ID);
      }
    });

    app.commands.addCommand(CommandIDs.keepAlive, {
      label: args =>
        args.minutes
          ? trans.__('Keep Server Alive for %1 Minutes', args.minutes as number)
          : trans.__('Keep Server Alive'),
      caption: trans.__(
        'Keep this server from being stopped as idle for a while'
      ),
      execute: async args => {
        const max = model.usage?.activity.keepalive_max_minutes ?? 0;
        const minutes =
          (args.minutes as number | undefined) ??
          Math.min(model.settings.keepAliveChoices[0] ?? 30, max || 30);
        try {
          const result = await model.keepAlive(minutes);
          Notification.success(
            trans.__(
              'Your server is kept alive until %1.',
              new Date(result.keepalive_until as string).toLocaleTimeString(
                [],
                {
                  hour: '2-digit',
                  minute: '2-digit'
                }
              )
            ),
            { autoClose: 5000 }
          );
        } catch (reason) {
          showError(trans, trans.__('Keep-alive failed.'), reason);
        }
      }
    });

    app.commands.addCommand(CommandIDs.endKeepAlive, {
      label: trans.__('End Server Keep-Alive'),
      isEnabled: () => !!model.usage?.activity.keepalive_until,
      execute: async () => {
        try {
          await model.endKeepAlive();
        } catch (reason) {
          showError(trans, trans.__('Ending keep-alive failed.'), reason);
        }
      }
    });

    app.commands.addCommand(CommandIDs.stop, {
      label: trans.__('Stop My Server…'),
      caption: trans.__('Stop this Jupyter server (unsaved work is lost)'),
      isEnabled: () => model.usage?.hub.can_stop ?? true,
      execute: async () => {
        const underHub = model.usage?.hub.present ?? false;
        const result = await showDialog({
          title: trans.__('Stop your server?'),
          body: underHub
            ? trans.__(
                'Your kernels stop and unsaved changes are lost. You can start the server again from the hub.'
              )
            : trans.__(
                'Jupyter shuts down: your kernels stop and unsaved changes are lost.'
              ),
          buttons: [
            Dialog.cancelButton({ label: trans.__('Cancel') }),
            Dialog.warnButton({ label: trans.__('Stop my server') })
          ]
        });
        if (!result.button.accept) {
          return;
        }
        try {
          const stopped = await model.stopServer();
          if (stopped.redirect) {
            window.location.href = stopped.redirect;
          } else {
            Notification.info(
              trans.__('Your server is shutting down. You can close this tab.'),
              { autoClose: false }
            );
          }
        } catch (reason) {
          showError(trans, trans.__('The server was not stopped.'), reason);
        }
      }
    });

    if (palette) {
      const category = trans.__('Server Usage');
      for (const command of [
        CommandIDs.open,
        CommandIDs.keepAlive,
        CommandIDs.endKeepAlive,
        CommandIDs.stop
      ]) {
        palette.addItem({ command, category });
      }
    }

    if (statusBar) {
      const item = new UsageStatus(model, trans, () => {
        void app.commands.execute(CommandIDs.open);
      });
      statusBar.registerStatusItem(PLUGIN_ID, {
        item,
        align: 'left',
        rank: 10,
        isActive: () => true
      });
    }

    // Warnings: one notification per crossing, with "I'm still here" / "Stop now".
    const tracker = new CrossingTracker();
    const shown = new Map<WarningKind, string>();
    model.usageChanged.connect((_, usage) => {
      if (!usage) {
        return;
      }
      const thresholds = thresholdsFor(usage, model.settings);
      const fresh = tracker.update(usage, thresholds);
      for (const [kind, id] of shown) {
        if (!tracker.raised.has(kind)) {
          Notification.dismiss(id);
          shown.delete(kind);
        }
      }
      if (!model.settings.notifications) {
        return;
      }
      for (const kind of fresh) {
        shown.set(kind, notify(kind));
      }
    });

    function notify(kind: WarningKind): string {
      const usage = model.usage!;
      const stopAction = {
        label: trans.__('Stop now'),
        displayType: 'warn' as const,
        callback: () => void app.commands.execute(CommandIDs.stop)
      };
      if (kind === 'cull') {
        return Notification.warning(
          trans.__(
            'Your server has been idle for a while and may be stopped by the hub from %1.',
            new Date(usage.activity.cull_window!.earliest).toLocaleTimeString(
              [],
              {
                hour: '2-digit',
                minute: '2-digit'
              }
            )
          ),
          {
            autoClose: false,
            actions: [
              {
                label: trans.__("I'm still here"),
                displayType: 'accent',
                callback: () =>
                  void app.commands.execute(CommandIDs.keepAlive, {
                    minutes: 1
                  })
              },
              stopAction
            ]
          }
        );
      }
      const fraction =
        kind === 'memory' ? memoryFraction(usage) : diskFraction(usage);
      const message =
        kind === 'memory'
          ? trans.__(
              'Memory is %1% full (%2 of %3). Save your work; a kernel may be restarted when the limit is reached.',
              Math.round(fraction * 100),
              formatBytes(usage.memory.used),
              formatBytes(usage.memory.limit)
            )
          : trans.__(
              'Your disk is %1% full (%2 of %3). Delete or move files before saving fails.',
              Math.round(fraction * 100),
              formatBytes(usage.disk.used),
              formatBytes(usage.disk.total)
            );
      return Notification.warning(message, {
        autoClose: false,
        actions: [
          {
            label: trans.__('Show usage'),
            callback: () => void app.commands.execute(CommandIDs.open)
          },
          stopAction
        ]
      });
    }

    model.start();
    return model;
  }
};

export default plugin;
