/**
 * The Earthdata commands. Their menu entries (the Cloudscapes menu, the
 * notebook's context menu) and keyboard shortcuts are declared in
 * schema/plugin.json, so admins and users can change them.
 */
import type { JupyterFrontEnd } from '@jupyterlab/application';
import { ICommandPalette, Notification } from '@jupyterlab/apputils';
import type { INotebookTracker } from '@jupyterlab/notebook';
import type { ITranslator, TranslationBundle } from '@jupyterlab/translation';

import {
  IShowCommandOptions,
  confirmWarning,
  insertCodeCell
} from '@cloudscapes/core';

import { absoluteTime } from './format';
import { earthdataIcon } from './icon';
import { loginCellSource } from './loginCell';
import type { EarthdataModel } from './model';

export namespace CommandIDs {
  export const open = 'cloudscapes-earthdata:open';
  export const signOut = 'cloudscapes-earthdata:sign-out';
  export const renew = 'cloudscapes-earthdata:renew';
  export const writeProfiles = 'cloudscapes-earthdata:write-aws-profiles';
  export const insertLoginCell = 'cloudscapes-earthdata:insert-login-cell';
}

/**
 * What the commands need besides the model.
 */
export interface ICommandOptions {
  trans: TranslationBundle;
  translator?: ITranslator;
  notebooks: INotebookTracker | null;
  palette: ICommandPalette | null;
  /**
   * Says that an action failed (a notification while the panel, which shows
   * the model's errors itself, is hidden).
   */
  report: (title: string, reason: unknown) => void;
}

function category(trans: TranslationBundle): string {
  return trans.__('Earthdata');
}

/**
 * Sign out (with the revoke choice), renew the token, write the AWS profiles
 * and insert the login cell; their enabled states follow the session and the
 * current notebook.
 */
export function addCommands(
  app: JupyterFrontEnd,
  model: EarthdataModel,
  options: ICommandOptions
): void {
  const { commands } = app;
  const { trans, notebooks, report } = options;

  commands.addCommand(CommandIDs.signOut, {
    label: trans.__('Sign Out of Earthdata'),
    caption: trans.__('Forget your Earthdata Login credentials on this server'),
    isEnabled: () => model.signedIn && !model.busy,
    execute: async () => {
      const passwordMade = ['password', 'env_password', 'netrc'].includes(
        model.session?.method ?? ''
      );
      const confirmed = await confirmWarning(trans, {
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
        accept: trans.__('Sign out')
      });
      if (!confirmed) {
        return;
      }
      try {
        const session = await model.signOut(confirmed.checked);
        // the server says whether the token was revoked (a failure there does
        // not undo the sign-out)
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

  commands.addCommand(CommandIDs.renew, {
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

  commands.addCommand(CommandIDs.writeProfiles, {
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
                      void commands.execute(CommandIDs.insertLoginCell)
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

  commands.addCommand(CommandIDs.insertLoginCell, {
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
      // always a new cell below the active one, even in an empty notebook
      insertCodeCell(
        current.content,
        loginCellSource(model.profiles),
        options.translator,
        { reuseEmpty: false }
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
                callback: () => void commands.execute(CommandIDs.open)
              }
            ]
          }
        );
      }
    }
  });

  model.sessionChanged.connect(() => {
    for (const id of [
      CommandIDs.signOut,
      CommandIDs.renew,
      CommandIDs.writeProfiles
    ]) {
      commands.notifyCommandChanged(id);
    }
  });
  notebooks?.currentChanged.connect(() =>
    commands.notifyCommandChanged(CommandIDs.insertLoginCell)
  );

  for (const command of [
    CommandIDs.insertLoginCell,
    CommandIDs.renew,
    CommandIDs.writeProfiles,
    CommandIDs.signOut
  ]) {
    options.palette?.addItem({ command, category: category(options.trans) });
  }
}

/**
 * What "Show Earthdata Login" (`CommandIDs.open`, added with core's
 * `addShowCommand`) says.
 */
export function openCommand(trans: TranslationBundle): IShowCommandOptions {
  return {
    label: trans.__('Show Earthdata Login'),
    caption: trans.__(
      'Sign in to NASA Earthdata Login and manage DAAC S3 credentials'
    ),
    icon: earthdataIcon,
    category: category(trans)
  };
}
