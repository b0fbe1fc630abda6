/**
 * @cloudscapes/data-browser: a left-sidebar panel to search NASA Earthdata
 * (CMR) collections and granules on a map, browse S3 buckets, download with
 * progress and insert code that opens the selection into the notebook.
 *
 * Small plugins, one concern each: the panel (whose view, map and lists load
 * when it is first shown), the commands (palette and menus; the menus and the
 * context menu are declared in schema/plugin.json) and the downloads'
 * notifications. None of them waits on the network; all stay out of the way
 * when the server's `data` feature is disabled.
 */
import { Notification } from '@jupyterlab/apputils';

import {
  featureCommandsPlugin,
  jobNotificationsPlugin,
  lazySidebarPlugin
} from '@cloudscapes/core';

import { PALETTE_COMMANDS, addCommands } from './commands';
import { jobResultFolder, jobResultPath } from './format';
import { dataIcon } from './icon';
import {
  CommandIDs,
  IDataBrowser,
  IDataBrowserView,
  PANEL_ID,
  PLUGIN_ID
} from './tokens';

export { CommandIDs, IDataBrowser, PLUGIN_ID } from './tokens';
export type { IDataBrowserView } from './tokens';
export { dataIcon } from './icon';

/**
 * The Data panel in the left sidebar; its view is built on first show.
 */
const browserPlugin = lazySidebarPlugin<IDataBrowserView>({
  id: PLUGIN_ID,
  description:
    'The Data panel: search NASA Earthdata on a map, browse S3 and follow downloads.',
  feature: 'data',
  provides: IDataBrowser,
  panelId: PANEL_ID,
  rank: 460,
  icon: dataIcon,
  caption: trans => trans.__('Data: Earthdata search and S3'),
  build: async ({ app, settingRegistry, trans }) => {
    const { createView } = await import('./view');
    return createView({
      settingRegistry,
      trans,
      actions: {
        insertCode: () => void app.commands.execute(CommandIDs.insertCode),
        download: () => void app.commands.execute(CommandIDs.download),
        copyS3: () => void app.commands.execute(CommandIDs.copyS3),
        copyHttps: () => void app.commands.execute(CommandIDs.copyHttps)
      }
    });
  }
});

/**
 * The data browser's commands, in the palette under "Cloudscapes".
 */
const commandsPlugin = featureCommandsPlugin<IDataBrowser>({
  id: '@cloudscapes/data-browser:commands',
  description:
    'Commands of the Data panel: open it, search, browse S3, insert code, download and copy URLs.',
  view: IDataBrowser,
  addCommands,
  palette: PALETTE_COMMANDS,
  category: trans => trans.__('Cloudscapes')
});

/**
 * A notification when a download finishes (saved, with "Open folder"; or
 * failed, with the reason), wherever the user is.
 */
const downloadsPlugin = jobNotificationsPlugin<IDataBrowserView>({
  id: '@cloudscapes/data-browser:download-notifications',
  description: 'Notifications of finished and failed downloads.',
  view: IDataBrowser,
  notify: (app, view, job, trans) => {
    if (job.status === 'succeeded') {
      const path = jobResultPath(job.result);
      const folder = jobResultFolder(job.result);
      Notification.success(
        path
          ? trans.__('%1: saved to %2', job.title, path)
          : trans.__('%1: done', job.title),
        {
          autoClose: 10000,
          actions:
            folder !== null
              ? [
                  {
                    label: trans.__('Open folder'),
                    callback: () =>
                      void app.commands.execute('filebrowser:go-to-path', {
                        path: folder,
                        showBrowser: true
                      })
                  }
                ]
              : []
        }
      );
    } else if (job.status === 'failed') {
      const error = job.error?.error;
      Notification.error(
        error
          ? [trans.__('%1 failed:', job.title), error.message, error.hint]
              .filter(Boolean)
              .join(' ')
          : trans.__('%1 failed.', job.title),
        { autoClose: false }
      );
    }
  }
});

export default [browserPlugin, commandsPlugin, downloadsPlugin];
