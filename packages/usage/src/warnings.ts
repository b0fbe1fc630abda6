/**
 * Warnings as notifications: one per crossing of a threshold (memory, disk)
 * and before the idle culler may stop the server, each with "Stop now" and
 * either "I'm still here" or "Show usage". A warning that no longer holds is
 * dismissed.
 */
import type { JupyterFrontEnd } from '@jupyterlab/application';
import { Notification } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';

import type { Usage } from '@cloudscapes/core';

import { CommandIDs } from './commands';
import { clockTime, formatBytes } from './format';
import type { UsageModel } from './model';
import {
  CrossingTracker,
  WarningKind,
  diskFraction,
  memoryFraction,
  thresholdsFor
} from './thresholds';

/**
 * Follow `model`'s snapshots and notify at each new crossing (unless the
 * user turned notifications off).
 */
export function followWarnings(
  app: JupyterFrontEnd,
  model: UsageModel,
  trans: TranslationBundle
): void {
  const tracker = new CrossingTracker();
  const shown = new Map<WarningKind, string>();
  const run = (command: string, args = {}) =>
    void app.commands.execute(command, args);

  const notify = (kind: WarningKind, usage: Usage): string => {
    const stopAction = {
      label: trans.__('Stop now'),
      displayType: 'warn' as const,
      callback: () => run(CommandIDs.stop)
    };
    if (kind === 'cull') {
      return Notification.warning(
        trans.__(
          'Your server has been idle for a while and may be stopped by the hub from %1.',
          clockTime(usage.activity.cull_window!.earliest)
        ),
        {
          autoClose: false,
          actions: [
            {
              label: trans.__("I'm still here"),
              displayType: 'accent',
              callback: () => run(CommandIDs.keepAlive, { minutes: 1 })
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
          callback: () => run(CommandIDs.open)
        },
        stopAction
      ]
    });
  };

  model.usageChanged.connect((_, usage) => {
    if (!usage) {
      return;
    }
    const fresh = tracker.update(usage, thresholdsFor(usage, model.settings));
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
      shown.set(kind, notify(kind, usage));
    }
  });
}
