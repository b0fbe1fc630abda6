/**
 * @cloudscapes/earthdata: sign in to NASA Earthdata Login once from a
 * left-sidebar panel; HTTPS (netrc) and in-region S3 access (DAAC temporary
 * credentials, AWS profiles) then work in every kernel. Commands insert a login
 * cell without secrets, show the panel and sign out.
 */
import {
  ILabShell,
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import {
  Dialog,
  ICommandPalette,
  Notification,
  showDialog
} from '@jupyterlab/apputils';
import { INotebookTracker, NotebookActions } from '@jupyterlab/notebook';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import {
  ITranslator,
  TranslationBundle,
  nullTranslator
} from '@jupyterlab/translation';

import { followSettings, toRequestError } from '@cloudscapes/core';

import { absoluteTime } from './format';
import { earthdataIcon } from './icon';
import { loginCellSource } from './loginCell';
import { DEFAULT_SETTINGS, EarthdataModel, IEarthdataSettings } from './model';
import { EarthdataPanel, hintFor } from './panel';
import { IEarthdataModel } from './tokens';

export const PLUGIN_ID = '@cloudscapes/earthdata:plugin';

export namespace CommandIDs {
  export const open = 'cloudscapes-earthdata:open';
  export const signOut = 'cloudscapes-earthdata:sign-out';
  export const renew = 'cloudscapes-earthdata:renew';
  export const writeProfiles = 'cloudscapes-earthdata:write-aws-profiles';
  export const insertLoginCell = 'cloudscapes-earthdata:insert-login-cell';
}

const PANEL_ID = 'cloudscapes-earthdata-panel';

export { EarthdataModel, DEFAULT_SETTINGS } from './model';
export type {
  IEarthdataSettings,
  Session,
  SignInRequest,
  DaacCredentials,
  AwsProfiles,
  Region
} from './model';
export { EarthdataPanel } from './panel';
export { loginCellSource } from './loginCell';
export { IEarthdataModel } from './tokens';
export { earthdataIcon } from './icon';
export * from './format';

function showError(
  trans: TranslationBundle,
  title: string,
  reason: unknown
): void {
  const error = toRequestError(reason);
  const hint = hintFor(error, trans);
  Notification.error(
    hint ? `${title} ${error.message} ${hint}` : `${title} ${error.message}`,
    { autoClose: false }
  );
}

const plugin: JupyterFrontEndPlugin<IEarthdataModel> = {
  id: PLUGIN_ID,
  description:
    'Sign in to NASA Earthdata Login; DAAC S3 credentials, AWS profiles and a login cell without secrets.',
  autoStart: true,
  provides: IEarthdataModel,
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
  ): Promise<IEarthdataModel> => {
    const trans = (translator ?? nullTranslator).load('cloudscapes');
    const model = new EarthdataModel();

    await followSettings<IEarthdataSettings>(
      settingRegistry,
      PLUGIN_ID,
      DEFAULT_SETTINGS,
      values => (model.settings = values)
    );

    const panel = new EarthdataPanel(model, trans, {
      signOut: () => void app.commands.execute(CommandIDs.signOut),
      renew: () => void app.commands.execute(CommandIDs.renew),
      writeProfiles: () => void app.commands.execute(CommandIDs.writeProfiles)
    });
    panel.id = PANEL_ID;
    panel.title.icon = earthdataIcon;
    panel.title.caption = trans.__('Earthdata Login');
    if (labShell) {
      labShell.add(panel, 'left', { rank: 450 });
    }
    if (restorer) {
      restorer.add(panel, PANEL_ID);
    }

    // Failures of actions started from the panel show in the panel; from the
    // palette (panel hidden) they also become notifications.
    const report = (title: string, reason: unknown) => {
      if (!panel.isVisible) {
        showError(trans, title, reason);
      }
    };

    app.commands.addCommand(CommandIDs.open, {
      label: trans.__('Show Earthdata Login'),
      caption: trans.__(
        'Sign in to NASA Earthdata Login and manage DAAC S3 credentials'
      ),
      icon: args => (args['isPalette'] ? undefined : earthdataIcon),
      execute: () => {
        if (!panel.isAttached && !labShell) {
          app.shell.add(panel, 'left');
        }
        app.shell.activateById(PANEL_ID);
      }
    });

    app.commands.addCommand(CommandIDs.signOut, {
      label: trans.__('Sign Out of Earthdata'),
      caption: trans.__(
        'Forget your Earthdata Login credentials on this server'
      ),
      isEnabled: () => model.signedIn && !model.busy,
      execute: async () => {
        const passwordMade = ['password', 'env_password', 'netrc'].includes(
          model.session?.method ?? ''
        );
        const result = await showDialog({
          title: trans.__('Sign out of Earthdata Login?'),
          body: trans.__(
            'Cloudscapes forgets your Earthdata credentials on this server and removes the ~/.netrc entry it wrote. Running kernels keep what they have already read.'
          ),
          checkbox: {
            label: trans.__('Also revoke the token at Earthdata Login'),
            caption: trans.__(
              'The token then stops working everywhere, also outside this server.'
            ),
            checked: passwordMade
          },
          buttons: [
            Dialog.cancelButton({ label: trans.__('Cancel') }),
            Dialog.warnButton({ label: trans.__('Sign out') })
          ]
        });
        if (!result.button.accept) {
          return;
        }
        try {
          const session = await model.signOut(result.isChecked === true);
          // the server says whether the token was revoked (a failure there does not
          // undo the sign-out)
          const notice =
            session.notice ?? trans.__('Signed out of Earthdata Login.');
          const failed = notice.includes('not revoked');
          Notification.emit(notice, failed ? 'warning' : 'info', {
            autoClose: failed ? false : 4000
          });
        } catch (reason) {
          report(trans.__('Signing out failed.'), reason);
        }
      }
    });

    app.commands.addCommand(CommandIDs.renew, {
      label: trans.__('Renew Earthdata Token'),
      caption: trans.__('Replace your Earthdata Login token with a fresh one'),
      isEnabled: () =>
        model.signedIn && (model.session?.can_renew ?? false) && !model.busy,
      execute: async () => {
        try {
          const session = await model.renew();
          Notification.success(
            session.token_expires
              ? trans.__(
                  'Your Earthdata token was renewed; it expires %1.',
                  absoluteTime(session.token_expires)
                )
              : trans.__('Your Earthdata token was renewed.'),
            { autoClose: 5000 }
          );
        } catch (reason) {
          report(trans.__('The token was not renewed.'), reason);
        }
      }
    });

    app.commands.addCommand(CommandIDs.writeProfiles, {
      label: trans.__('Set Up AWS Profiles for Earthdata'),
      caption: trans.__(
        'Write earthdata-<daac> profiles into ~/.aws/config for boto3, s3fs and Dask'
      ),
      isEnabled: () =>
        model.signedIn && model.shownCredentials.length > 0 && !model.busy,
      execute: async () => {
        try {
          const result = await model.writeProfiles();
          Notification.success(
            trans._n(
              'AWS profile %2 written to %3.',
              'AWS profiles %2 written to %3.',
              result.profiles.length,
              result.profiles.join(', '),
              result.path
            ),
            {
              autoClose: 8000,
              actions: notebooks?.currentWidget
                ? [
                    {
                      label: trans.__('Insert login cell'),
                      callback: () =>
                        void app.commands.execute(CommandIDs.insertLoginCell)
                    }
                  ]
                : []
            }
          );
        } catch (reason) {
          report(trans.__('The AWS profiles were not written.'), reason);
        }
      }
    });

    app.commands.addCommand(CommandIDs.insertLoginCell, {
      label: trans.__('Insert Earthdata Login Cell'),
      caption: trans.__(
        'Insert a code cell that uses your stored Earthdata credentials (no secrets in the notebook)'
      ),
      isEnabled: () => !!notebooks?.currentWidget,
      execute: () => {
        const current = notebooks?.currentWidget;
        if (!current) {
          return;
        }
        const notebook = current.content;
        NotebookActions.insertBelow(notebook);
        if (notebook.activeCell && notebook.activeCell.model.type !== 'code') {
          NotebookActions.changeCellType(
            notebook,
            'code',
            translator ?? undefined
          );
        }
        notebook.activeCell?.model.sharedModel.setSource(
          loginCellSource(model.profiles)
        );
        if (!model.signedIn) {
          Notification.info(
            trans.__(
              'The cell uses the credentials stored when you sign in to Earthdata Login with "Remember me on this server".'
            ),
            {
              autoClose: 8000,
              actions: [
                {
                  label: trans.__('Show Earthdata Login'),
                  callback: () => void app.commands.execute(CommandIDs.open)
                }
              ]
            }
          );
        }
      }
    });

    const refreshCommands = () => {
      for (const id of [
        CommandIDs.signOut,
        CommandIDs.renew,
        CommandIDs.writeProfiles
      ]) {
        app.commands.notifyCommandChanged(id);
      }
    };
    model.sessionChanged.connect(refreshCommands);
    notebooks?.currentChanged.connect(() =>
      app.commands.notifyCommandChanged(CommandIDs.insertLoginCell)
    );

    if (palette) {
      const category = trans.__('Earthdata');
      for (const command of [
        CommandIDs.open,
        CommandIDs.insertLoginCell,
        CommandIDs.renew,
        CommandIDs.writeProfiles,
        CommandIDs.signOut
      ]) {
        palette.addItem({ command, category });
      }
    }

    model.start();
    return model;
  }
};

export default plugin;
