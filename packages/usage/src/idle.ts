import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ISettingRegistry } from '@jupyterlab/settingregistry';

import { IDLE_SETTINGS_PLUGIN, followIdleSettings } from '@cloudscapes/core';

/**
 * The page's idle setting (schema/idle.json), read once for every Cloudscapes
 * poller of every package: they all share core's `userIdle()`. It lives here,
 * beside the culler's view, because core has no plugins; it applies whether
 * or not the server's `usage` feature is on. Without this extension the
 * pollers keep core's default (30 minutes).
 */
export const idlePlugin: JupyterFrontEndPlugin<void> = {
  id: IDLE_SETTINGS_PLUGIN,
  description:
    'Pauses every Cloudscapes poll while the user has not touched the page for a while (an admin setting).',
  autoStart: true,
  optional: [ISettingRegistry],
  activate: (app: JupyterFrontEnd, registry: ISettingRegistry | null) => {
    void followIdleSettings(registry);
  }
};
