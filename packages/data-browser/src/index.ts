/**
 * @cloudscapes/data-browser: a left-sidebar panel to search NASA Earthdata
 * (CMR) collections and granules on a map, browse S3 buckets, download with
 * progress and insert code that opens the selection into the notebook.
 */
import {
  ILabShell,
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { Clipboard, ICommandPalette, Notification } from '@jupyterlab/apputils';
import { INotebookTracker } from '@jupyterlab/notebook';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import {
  ITranslator,
  TranslationBundle,
  nullTranslator
} from '@jupyterlab/translation';

import {
  insertIntoCurrentNotebook,
  Job,
  JobTracker,
  followSettings,
  toRequestError
} from '@cloudscapes/core';

import { jobResultFolder, jobResultPath } from './format';
import { dataIcon } from './icon';
import {
  DEFAULT_SETTINGS,
  DataBrowserModel,
  IDataBrowserSettings
} from './model';
import { hintFor } from './components/ErrorView';
import { DataBrowserPanel } from './panel';

export const PLUGIN_ID = '@cloudscapes/data-browser:plugin';

export namespace CommandIDs {
  export const open = 'cloudscapes-data:open';
  export const search = 'cloudscapes-data:search';
  export const browseS3 = 'cloudscapes-data:browse-s3';
  export const insertCode = 'cloudscapes-data:insert-code';
  export const download = 'cloudscapes-data:download';
  export const copyS3 = 'cloudscapes-data:copy-s3-urls';
  export const copyHttps = 'cloudscapes-data:copy-https-urls';
}

const PANEL_ID = 'cloudscapes-data-browser';

export { DataBrowserModel, DEFAULT_SETTINGS } from './model';
export type { IDataBrowserSettings } from './model';
export { DataBrowserPanel } from './panel';
export { dataIcon } from './icon';
export * from './geo';
export * from './s3path';
export * from './selection';

function errorText(trans: TranslationBundle, title: string, reason: unknown) {
  const error = toRequestError(reason);
  const hint = hintFor(error, trans);
  return hint
    ? `${title} ${error.message} ${hint}`
    : `${title} ${error.message}`;
}

const plugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description:
    'Search NASA Earthdata on a map, browse S3, download with progress and insert code for the selection.',
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
    const model = new DataBrowserModel(DEFAULT_SETTINGS, jobs, trans);

    let first = true;
    await followSettings<IDataBrowserSettings>(
      settingRegistry,
      PLUGIN_ID,
      DEFAULT_SETTINGS,
      values => {
        model.settings = values;
        if (first) {
          // the admin's default of "Cloud hosted only", once; later it is the user's
          model.setFilters({ cloudHosted: values.cloudHostedOnly });
          first = false;
        }
      }
    );

    const panel = new DataBrowserPanel(model, trans, {
      insertCode: () => void app.commands.execute(CommandIDs.insertCode),
      download: () => void app.commands.execute(CommandIDs.download),
      copyS3: () => void app.commands.execute(CommandIDs.copyS3),
      copyHttps: () => void app.commands.execute(CommandIDs.copyHttps)
    });
    panel.id = PANEL_ID;
    panel.title.icon = dataIcon;
    panel.title.caption = trans.__('Data: Earthdata search and S3');
    if (labShell) {
      labShell.add(panel, 'left', { rank: 460 });
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
    // hidden (palette, context menu) they also become notifications.
    const report = (title: string, reason: unknown) => {
      if (!panel.isVisible) {
        Notification.error(errorText(trans, title, reason), {
          autoClose: false
        });
      }
    };

    jobs.jobFinished.connect((_, job: Job) => {
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
    });

    const hasSelection = () => model.selectionCount > 0;

    app.commands.addCommand(CommandIDs.open, {
      label: trans.__('Open Data Browser'),
      caption: trans.__('Search NASA Earthdata and browse S3 buckets'),
      icon: args => (args['isPalette'] ? undefined : dataIcon),
      execute: show
    });

    app.commands.addCommand(CommandIDs.search, {
      label: trans.__('Search Earthdata'),
      caption: trans.__('Search NASA Earthdata (CMR) collections and granules'),
      execute: () => {
        model.tab = 'search';
        show();
        panel.focusSearch();
      }
    });

    app.commands.addCommand(CommandIDs.browseS3, {
      label: trans.__('Browse S3'),
      caption: trans.__('Browse S3 buckets: public data, scratch and DAACs'),
      execute: () => {
        model.tab = 's3';
        show();
        if (model.sources === null) {
          void model.loadSources();
        }
      }
    });

    app.commands.addCommand(CommandIDs.insertCode, {
      label: args =>
        args['isPalette']
          ? trans.__('Insert Code for Data Selection')
          : trans.__('Insert Code'),
      caption: trans.__(
        'Insert a code cell that opens the selected granules or objects into the active notebook'
      ),
      isEnabled: hasSelection,
      execute: async () => {
        let code: string;
        try {
          code = (await model.generateCode()).code;
        } catch (reason) {
          report(trans.__('No code was generated.'), reason);
          return;
        }
        await insertIntoCurrentNotebook(
          app,
          notebooks,
          code,
          trans,
          translator ?? undefined
        );
      }
    });

    app.commands.addCommand(CommandIDs.download, {
      label: args =>
        args['isPalette']
          ? trans.__('Download Data Selection')
          : trans.__('Download'),
      caption: trans.__(
        'Download the selected granules or objects into your files, with progress'
      ),
      isEnabled: hasSelection,
      execute: async () => {
        try {
          const started = await model.downloadSelection();
          if (!panel.isVisible) {
            Notification.info(
              trans._n(
                '%1 download started; see Downloads in the Data panel.',
                '%1 downloads started; see Downloads in the Data panel.',
                started.length
              ),
              {
                autoClose: 5000,
                actions: [
                  {
                    label: trans.__('Show'),
                    callback: show
                  }
                ]
              }
            );
          }
        } catch (reason) {
          report(trans.__('The download did not start.'), reason);
        }
      }
    });

    const copy = (urls: string[], none: string) => {
      if (urls.length === 0) {
        Notification.warning(none, { autoClose: 5000 });
        return;
      }
      Clipboard.copyToSystem(urls.join('\n'));
      Notification.info(
        trans._n('%1 URL copied.', '%1 URLs copied.', urls.length),
        { autoClose: 3000 }
      );
    };

    app.commands.addCommand(CommandIDs.copyS3, {
      label: trans.__('Copy S3 URL'),
      caption: trans.__('Copy the s3:// URLs of the selection'),
      isEnabled: hasSelection,
      execute: () =>
        copy(
          model.s3Urls(),
          trans.__('The selection has no S3 URLs (it is not cloud hosted).')
        )
    });

    app.commands.addCommand(CommandIDs.copyHttps, {
      label: trans.__('Copy HTTPS URL'),
      caption: trans.__('Copy the HTTPS URLs of the selection'),
      isEnabled: () => hasSelection() && model.httpsAvailable,
      execute: () =>
        copy(
          model.httpsUrls(),
          trans.__('The selection has no public HTTPS URLs.')
        )
    });

    model.stateChanged.connect(() => {
      for (const id of [
        CommandIDs.insertCode,
        CommandIDs.download,
        CommandIDs.copyS3,
        CommandIDs.copyHttps
      ]) {
        app.commands.notifyCommandChanged(id);
      }
    });

    if (palette) {
      const category = trans.__('Cloudscapes');
      for (const command of [
        CommandIDs.open,
        CommandIDs.search,
        CommandIDs.browseS3,
        CommandIDs.insertCode,
        CommandIDs.download
      ]) {
        palette.addItem({ command, category });
      }
    }
  }
};

export default plugin;
