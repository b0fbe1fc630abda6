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
import {
  ILabShell,
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette, Notification } from '@jupyterlab/apputils';
import { INotebookTracker } from '@jupyterlab/notebook';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';

import { Job, addLazySidebarPanel, requireFeature } from '@cloudscapes/core';

import { PALETTE_COMMANDS, addCommands, notebookInserter } from './commands';
import { jobResultFolder, jobResultPath } from './format';
import { dataIcon } from './icon';
import { CommandIDs, IDataBrowser, PANEL_ID, PLUGIN_ID } from './tokens';

export { CommandIDs, IDataBrowser, PLUGIN_ID } from './tokens';
export type { IDataBrowserView } from './tokens';
export { dataIcon } from './icon';

const FEATURE = 'data';

/**
 * The Data panel in the left sidebar; its view is built on first show.
 */
const browserPlugin: JupyterFrontEndPlugin<IDataBrowser | null> = {
  id: PLUGIN_ID,
  description:
    'The Data panel: search NASA Earthdata on a map, browse S3 and follow downloads.',
  autoStart: true,
  provides: IDataBrowser,
  optional: [ISettingRegistry, ILabShell, ILayoutRestorer, ITranslator],
  activate: (
    app: JupyterFrontEnd,
    settingRegistry: ISettingRegistry | null,
    labShell: ILabShell | null,
    restorer: ILayoutRestorer | null,
    translator: ITranslator | null
  ): IDataBrowser | null => {
    if (!requireFeature(FEATURE, PLUGIN_ID)) {
      return null;
    }
    const trans = (translator ?? nullTranslator).load('cloudscapes');
    return addLazySidebarPanel(
      app,
      async () => {
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
      },
      {
        id: PANEL_ID,
        area: 'left',
        rank: 460,
        icon: dataIcon,
        caption: trans.__('Data: Earthdata search and S3'),
        labShell,
        restorer
      }
    );
  }
};

/**
 * The data browser's commands, in the palette under "Cloudscapes".
 */
const commandsPlugin: JupyterFrontEndPlugin<void> = {
  id: '@cloudscapes/data-browser:commands',
  description:
    'Commands of the Data panel: open it, search, browse S3, insert code, download and copy URLs.',
  autoStart: true,
  optional: [IDataBrowser, ICommandPalette, INotebookTracker, ITranslator],
  activate: (
    app: JupyterFrontEnd,
    browser: IDataBrowser | null,
    palette: ICommandPalette | null,
    notebooks: INotebookTracker | null,
    translator: ITranslator | null
  ): void => {
    if (!browser) {
      return;
    }
    const trans = (translator ?? nullTranslator).load('cloudscapes');
    addCommands(app, browser, {
      trans,
      insert: notebookInserter(app, notebooks, trans, translator)
    });
    if (palette) {
      const category = trans.__('Cloudscapes');
      for (const command of PALETTE_COMMANDS) {
        palette.addItem({ command, category });
      }
    }
  }
};

/**
 * A notification when a download finishes (saved, with "Open folder"; or
 * failed, with the reason), wherever the user is.
 */
const downloadsPlugin: JupyterFrontEndPlugin<void> = {
  id: '@cloudscapes/data-browser:download-notifications',
  description: 'Notifications of finished and failed downloads.',
  autoStart: true,
  optional: [IDataBrowser, ITranslator],
  activate: (
    app: JupyterFrontEnd,
    browser: IDataBrowser | null,
    translator: ITranslator | null
  ): void => {
    if (!browser) {
      return;
    }
    const trans = (translator ?? nullTranslator).load('cloudscapes');
    void browser.ready.then(({ model }) =>
      model.jobs.jobFinished.connect((_, job: Job) => {
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
      })
    );
  }
};

export default [browserPlugin, commandsPlugin, downloadsPlugin];
