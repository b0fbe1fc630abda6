/**
 * The data browser's commands. They work from the palette, the menus and the
 * context menu as from the panel's buttons; the view they act on is loaded on
 * first use.
 */
import type { JupyterFrontEnd } from '@jupyterlab/application';
import { Clipboard, Notification } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';

import {
  IFeatureCommandOptions,
  addShowCommand,
  reportWhenHidden
} from '@cloudscapes/core';

import { chooseFormats } from './formats';
import { dataHints } from './hints';
import { dataIcon } from './icon';
import { CommandIDs, IDataBrowser, IDataBrowserView } from './tokens';

/**
 * What the commands need besides the view: the messages and the notebook
 * inserter (core's, as every feature's).
 */
export type ICommandOptions = IFeatureCommandOptions;

/**
 * Failures of actions show in the panel's banner; when the panel is hidden
 * (palette, menu) they also become notifications.
 */
function reporter(view: IDataBrowserView, trans: TranslationBundle) {
  return reportWhenHidden(view.panel, dataHints(trans));
}

export function addCommands(
  app: JupyterFrontEnd,
  browser: IDataBrowser,
  options: ICommandOptions
): void {
  const { commands } = app;
  const { trans } = options;
  const hasSelection = () => (browser.view?.model.selectionCount ?? 0) > 0;

  addShowCommand(app, CommandIDs.open, () => void browser.show(), {
    label: trans.__('Open Data Browser'),
    caption: trans.__('Search NASA Earthdata and browse S3 buckets'),
    icon: dataIcon
  });

  commands.addCommand(CommandIDs.search, {
    label: trans.__('Search Earthdata'),
    caption: trans.__('Search NASA Earthdata (CMR) collections and granules'),
    execute: async () => {
      const { model, panel } = await browser.show();
      model.tab = 'search';
      panel.focusSearch();
    }
  });

  commands.addCommand(CommandIDs.browseS3, {
    label: trans.__('Browse S3'),
    caption: trans.__('Browse S3 buckets: public data, scratch and DAACs'),
    execute: async () => {
      const { model } = await browser.show();
      model.tab = 's3';
      if (model.s3.sources === null) {
        void model.s3.loadSources();
      }
    }
  });

  commands.addCommand(CommandIDs.insertCode, {
    label: args =>
      args['isPalette']
        ? trans.__('Insert Code for Data Selection')
        : trans.__('Insert Code'),
    caption: trans.__(
      'Insert a code cell that opens the selected granules or objects into the active notebook'
    ),
    isEnabled: hasSelection,
    execute: async () => {
      const view = await browser.load();
      const { model } = view;
      let code: string;
      try {
        let answer = await model.generateCode();
        // granules of several formats: ask which to open (objects cannot choose)
        if (answer.formats.length > 1 && model.codeRequest()?.granules) {
          const chosen = await chooseFormats(answer, trans);
          if (chosen === null) {
            return;
          }
          const opened = answer.formats.filter(f => f.opened).map(f => f.id);
          if (chosen.join(',') !== opened.join(',')) {
            answer = await model.generateCode(chosen);
          }
        }
        code = answer.code;
      } catch (reason) {
        reporter(view, trans)(trans.__('No code was generated.'), reason);
        return;
      }
      await options.insert(code);
    }
  });

  commands.addCommand(CommandIDs.download, {
    label: args =>
      args['isPalette']
        ? trans.__('Download Data Selection')
        : trans.__('Download'),
    caption: trans.__(
      'Download the selected granules or objects into your files, with progress'
    ),
    isEnabled: hasSelection,
    execute: async () => {
      const view = await browser.load();
      try {
        const started = await view.model.downloadSelection();
        if (!view.panel.isVisible) {
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
                  callback: () => void browser.show()
                }
              ]
            }
          );
        }
      } catch (reason) {
        reporter(view, trans)(trans.__('The download did not start.'), reason);
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

  commands.addCommand(CommandIDs.copyS3, {
    label: trans.__('Copy S3 URL'),
    caption: trans.__('Copy the s3:// URLs of the selection'),
    isEnabled: hasSelection,
    execute: async () =>
      copy(
        (await browser.load()).model.s3Urls(),
        trans.__('The selection has no S3 URLs (it is not cloud hosted).')
      )
  });

  commands.addCommand(CommandIDs.copyHttps, {
    label: trans.__('Copy HTTPS URL'),
    caption: trans.__('Copy the HTTPS URLs of the selection'),
    isEnabled: () => hasSelection() && !!browser.view?.model.httpsAvailable,
    execute: async () =>
      copy(
        (await browser.load()).model.httpsUrls(),
        trans.__('The selection has no public HTTPS URLs.')
      )
  });

  // the selection's commands follow the selection once the view is there
  void browser.ready.then(({ model }) =>
    model.stateChanged.connect(() => {
      for (const id of [
        CommandIDs.insertCode,
        CommandIDs.download,
        CommandIDs.copyS3,
        CommandIDs.copyHttps
      ]) {
        commands.notifyCommandChanged(id);
      }
    })
  );
}

/**
 * The commands the palette lists, in its "Cloudscapes" category.
 */
export const PALETTE_COMMANDS = [
  CommandIDs.open,
  CommandIDs.search,
  CommandIDs.browseS3,
  CommandIDs.insertCode,
  CommandIDs.download
];
