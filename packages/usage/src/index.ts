/**
 * @cloudscapes/usage: cost, resources and idle culling in the status bar, a
 * details panel, keep-alive, "Stop my server", and warnings as notifications.
 *
 * Small plugins, one concern each, as JupyterLab's own packages are: the
 * model (with the settings), the shared `ICloudscapesUsage`, the commands, the
 * panel, the status item and the warnings. None waits on the network while
 * it activates: the model starts polling once the settings are in. With the
 * server's `usage` feature disabled they add nothing (one console line).
 */
import {
  ILabShell,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { IStatusBar } from '@jupyterlab/statusbar';
import { ITranslator } from '@jupyterlab/translation';
import { LabIcon, runningIcon } from '@jupyterlab/ui-components';

import {
  ICloudscapesUsage,
  addShowCommand,
  addSidebarPanel,
  cloudscapesTrans,
  requireFeature,
  startWithSettings
} from '@cloudscapes/core';

import { CommandIDs, addCommands, openCommand } from './commands';
import { UsagePanel } from './components/panel';
import { UsageStatus } from './components/status';
import { idlePlugin } from './idle';
import { DEFAULT_SETTINGS, UsageModel } from './model';
import { IUsageModel } from './tokens';
import { followWarnings } from './warnings';

/**
 * The model's plugin; its id names the settings (schema/plugin.json).
 */
export const PLUGIN_ID = '@cloudscapes/usage:plugin';

const PANEL_ID = 'cloudscapes-usage-panel';

export { CommandIDs } from './commands';
export { UsageModel } from './model';
export { IUsageModel } from './tokens';
export * from './format';
export * from './thresholds';

/**
 * The usage model, following the user's and the admin's settings; it starts
 * polling once they are loaded (not awaited: activation does not wait).
 */
const modelPlugin: JupyterFrontEndPlugin<UsageModel> = {
  id: PLUGIN_ID,
  description:
    'The server usage model (cost, memory/CPU/disk, idle culling), polled while the tab is visible.',
  autoStart: true,
  provides: IUsageModel,
  optional: [ISettingRegistry],
  activate: (
    app: JupyterFrontEnd,
    registry: ISettingRegistry | null
  ): UsageModel => {
    const model = new UsageModel();
    if (requireFeature('usage', PLUGIN_ID)) {
      void startWithSettings(registry, PLUGIN_ID, DEFAULT_SETTINGS, model);
    }
    return model;
  }
};

/**
 * The usage snapshot for the other Cloudscapes packages (the Dask panel shows
 * the server's cost next to its clusters).
 */
const usagePlugin: JupyterFrontEndPlugin<ICloudscapesUsage> = {
  id: '@cloudscapes/usage:usage',
  description: "Provides the usage indicator's live snapshot to other parts.",
  autoStart: true,
  provides: ICloudscapesUsage,
  requires: [IUsageModel],
  activate: (app: JupyterFrontEnd, model: UsageModel) => model
};

/**
 * Keep alive, end keep-alive, stop the server.
 */
const commandsPlugin: JupyterFrontEndPlugin<void> = {
  id: '@cloudscapes/usage:commands',
  description: 'Commands to keep the server alive and to stop it.',
  autoStart: true,
  requires: [IUsageModel],
  optional: [ICommandPalette, ITranslator],
  activate: (
    app: JupyterFrontEnd,
    model: UsageModel,
    palette: ICommandPalette | null,
    translator: ITranslator | null
  ) => {
    if (requireFeature('usage', '@cloudscapes/usage:commands')) {
      addCommands(app, model, cloudscapesTrans(translator), palette);
    }
  }
};

/**
 * The details panel in the right sidebar, and "Show Server Usage".
 */
const panelPlugin: JupyterFrontEndPlugin<void> = {
  id: '@cloudscapes/usage:panel',
  description: 'The server usage panel in the right sidebar.',
  autoStart: true,
  requires: [IUsageModel],
  optional: [ILabShell, ICommandPalette, ITranslator],
  activate: (
    app: JupyterFrontEnd,
    model: UsageModel,
    labShell: ILabShell | null,
    palette: ICommandPalette | null,
    translator: ITranslator | null
  ) => {
    if (!requireFeature('usage', '@cloudscapes/usage:panel')) {
      return;
    }
    const trans = cloudscapesTrans(translator);
    const run = (command: string, args = {}) =>
      void app.commands.execute(command, args);
    const panel = new UsagePanel(model, trans, {
      keepAlive: minutes => run(CommandIDs.keepAlive, { minutes }),
      endKeepAlive: () => run(CommandIDs.endKeepAlive),
      stop: () => run(CommandIDs.stop)
    });
    const show = addSidebarPanel(app, panel, {
      id: PANEL_ID,
      area: 'right',
      rank: 900,
      icon: runningIcon as LabIcon,
      caption: trans.__('Server usage'),
      labShell
    });
    addShowCommand(app, CommandIDs.open, show, openCommand(trans), palette);
  }
};

/**
 * The compact status bar item; a click (or Enter) shows the panel.
 */
const statusPlugin: JupyterFrontEndPlugin<void> = {
  id: '@cloudscapes/usage:status',
  description: 'Server cost, memory and idle time in the status bar.',
  autoStart: true,
  requires: [IUsageModel],
  optional: [IStatusBar, ITranslator],
  activate: (
    app: JupyterFrontEnd,
    model: UsageModel,
    statusBar: IStatusBar | null,
    translator: ITranslator | null
  ) => {
    if (!statusBar || !requireFeature('usage', '@cloudscapes/usage:status')) {
      return;
    }
    const item = new UsageStatus(model, cloudscapesTrans(translator), () => {
      void app.commands.execute(CommandIDs.open);
    });
    // the item's id as before the split, so a status bar setting that hides
    // it keeps working
    statusBar.registerStatusItem(PLUGIN_ID, {
      item,
      align: 'left',
      rank: 10,
      isActive: () => true
    });
  }
};

/**
 * Memory, disk and idle-shutdown warnings as notifications.
 */
const warningsPlugin: JupyterFrontEndPlugin<void> = {
  id: '@cloudscapes/usage:warnings',
  description:
    'Notifies when memory or disk cross their thresholds and before the idle culler may stop the server.',
  autoStart: true,
  requires: [IUsageModel],
  optional: [ITranslator],
  activate: (
    app: JupyterFrontEnd,
    model: UsageModel,
    translator: ITranslator | null
  ) => {
    if (requireFeature('usage', '@cloudscapes/usage:warnings')) {
      followWarnings(app, model, cloudscapesTrans(translator));
    }
  }
};

const plugins: JupyterFrontEndPlugin<any>[] = [
  modelPlugin,
  usagePlugin,
  commandsPlugin,
  panelPlugin,
  statusPlugin,
  warningsPlugin,
  idlePlugin
];

export default plugins;
