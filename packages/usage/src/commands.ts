/**
 * The usage commands. Their menu entries (the Cloudscapes menu) and any
 * keyboard shortcuts are declared in schema/plugin.json, so admins and users
 * can change them.
 */
import type { JupyterFrontEnd } from '@jupyterlab/application';
import { ICommandPalette, Notification } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';

import {
  IShowCommandOptions,
  confirmWarning,
  notifyError
} from '@cloudscapes/core';

import { clockTime } from './format';
import type { UsageModel } from './model';
import { hubHomeUrl, navigation } from './stop';

export namespace CommandIDs {
  export const open = 'cloudscapes-usage:open';
  export const keepAlive = 'cloudscapes-usage:keep-alive';
  export const endKeepAlive = 'cloudscapes-usage:end-keep-alive';
  export const stop = 'cloudscapes-usage:stop-server';
}

/**
 * The palette's category of every usage command.
 */
function category(trans: TranslationBundle): string {
  return trans.__('Server Usage');
}

/**
 * Keep alive, end keep-alive and stop the server (with its confirmation).
 * Failures become notifications; the model's `error` shows them in the panel.
 */
export function addCommands(
  app: JupyterFrontEnd,
  model: UsageModel,
  trans: TranslationBundle,
  palette: ICommandPalette | null
): void {
  const { commands } = app;

  commands.addCommand(CommandIDs.keepAlive, {
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
            clockTime(result.keepalive_until as string)
          ),
          { autoClose: 5000 }
        );
      } catch (reason) {
        notifyError(trans.__('Keep-alive failed.'), reason);
      }
    }
  });

  commands.addCommand(CommandIDs.endKeepAlive, {
    label: trans.__('End Server Keep-Alive'),
    isEnabled: () => !!model.usage?.activity.keepalive_until,
    execute: async () => {
      try {
        await model.endKeepAlive();
      } catch (reason) {
        notifyError(trans.__('Ending keep-alive failed.'), reason);
      }
    }
  });

  commands.addCommand(CommandIDs.stop, {
    label: trans.__('Stop My Server…'),
    caption: trans.__('Stop this Jupyter server (unsaved work is lost)'),
    isEnabled: () => model.usage?.hub.can_stop ?? true,
    execute: async () => {
      const underHub = model.usage?.hub.present ?? false;
      const confirmed = await confirmWarning(trans, {
        title: trans.__('Stop your server?'),
        body: underHub
          ? trans.__(
              'Your kernels stop and unsaved changes are lost. You can start the server again from the hub.'
            )
          : trans.__(
              'Jupyter shuts down: your kernels stop and unsaved changes are lost.'
            ),
        accept: trans.__('Stop my server')
      });
      if (!confirmed) {
        return;
      }
      const progress = underHub
        ? Notification.emit(trans.__('Stopping your server…'), 'in-progress', {
            autoClose: false
          })
        : null;
      try {
        const stopped = await model.stopServer();
        const home = hubHomeUrl(stopped.redirect);
        if (home) {
          // stopped, or still stopping after a long wait: the hub's home shows which
          navigation.go(home);
        } else {
          Notification.info(
            trans.__('Your server is shutting down. You can close this tab.'),
            { autoClose: false }
          );
        }
      } catch (reason) {
        notifyError(trans.__('The server was not stopped.'), reason);
      } finally {
        if (progress) {
          Notification.dismiss(progress);
        }
      }
    }
  });

  for (const command of [
    CommandIDs.keepAlive,
    CommandIDs.endKeepAlive,
    CommandIDs.stop
  ]) {
    palette?.addItem({ command, category: category(trans) });
  }
}

/**
 * What "Show Server Usage" (`CommandIDs.open`, added with core's
 * `addShowCommand`) says.
 */
export function openCommand(trans: TranslationBundle): IShowCommandOptions {
  return {
    label: trans.__('Show Server Usage'),
    caption: trans.__(
      'Cost, memory, CPU, disk and idle shutdown of this server'
    ),
    category: category(trans)
  };
}
