/**
 * The credentials dialog for an HTTPS host that is not the configured GitHub
 * (GitLab, a university server): a user name, a password or token, and how
 * long to remember them. By default git's credential cache keeps them in
 * memory for an hour; saving them in a file is an opt-in with a warning,
 * because git's `store` helper writes them in plain text.
 *
 * The password lives only in the DOM input's value until the dialog closes:
 * the input is uncontrolled (a controlled React input mirrors its value into
 * the `value` attribute), it is read once when the dialog is accepted and
 * cleared when the body is disposed, and the caller sends it in one POST body.
 */
import { Dialog, showDialog } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { formatDuration } from '@cloudscapes/core';

import { DialogBody, ValidityMarker, useFieldIds } from './body';

export type RememberChoice = 'cache' | 'file';

export interface ICredentials {
  username: string;
  password: string;
  remember: RememberChoice;
}

/**
 * The form's fields, read by the dialog (the password through `passwordInput`).
 */
interface ICredentialsState {
  username: string;
  remember: RememberChoice;
  passwordInput: HTMLInputElement | null;
}

/**
 * "1 hour", "30 minutes", "2h 30m": how long the cache keeps credentials.
 */
function cacheDuration(trans: TranslationBundle, seconds: number): string {
  if (seconds % 3600 === 0) {
    return trans._n('%1 hour', '%1 hours', seconds / 3600);
  }
  if (seconds % 60 === 0 && seconds < 3600) {
    return trans._n('%1 minute', '%1 minutes', seconds / 60);
  }
  return formatDuration(seconds);
}

export function CredentialsForm(props: {
  trans: TranslationBundle;
  host: string;
  cacheSeconds: number;
  state: ICredentialsState;
}): JSX.Element {
  const { trans, state } = props;
  const ids = useFieldIds();
  const [username, setUsername] = React.useState(state.username);
  const [hasPassword, setHasPassword] = React.useState(false);
  const [remember, setRemember] = React.useState<RememberChoice>(
    state.remember
  );
  // a stable ref: React calls an inline one with null on every render
  const passwordRef = React.useCallback((input: HTMLInputElement | null) => {
    if (input) {
      state.passwordInput = input;
    }
  }, []);
  React.useEffect(
    () => () => {
      // unmounted: leave no copy behind in a detached node
      if (state.passwordInput) {
        state.passwordInput.value = '';
      }
      state.passwordInput = null;
    },
    []
  );
  const choose = (value: RememberChoice) => {
    setRemember(value);
    state.remember = value;
  };
  return (
    <div className="cs-GitCredentials">
      <p className="cs-GitDialog-note">
        {trans.__(
          '%1 asks who you are. Enter your user name and a password or, better, an access token made on that site for git.',
          props.host
        )}
      </p>
      <label htmlFor={`${ids}-user`} className="cs-GitDialog-label">
        {trans.__('User name')}
      </label>
      <input
        id={`${ids}-user`}
        name="username"
        className="jp-mod-styled"
        type="text"
        autoComplete="username"
        spellCheck={false}
        value={username}
        onChange={event => {
          setUsername(event.target.value);
          state.username = event.target.value;
        }}
      />
      <label htmlFor={`${ids}-password`} className="cs-GitDialog-label">
        {trans.__('Password or token')}
      </label>
      <input
        id={`${ids}-password`}
        name="password"
        className="jp-mod-styled"
        type="password"
        autoComplete="off"
        spellCheck={false}
        ref={passwordRef}
        onChange={event => setHasPassword(event.target.value !== '')}
      />
      <fieldset className="cs-GitCredentials-remember">
        <legend>{trans.__('Remember them')}</legend>
        <label className="cs-GitDialog-choice">
          <input
            type="radio"
            name={`${ids}-remember`}
            value="cache"
            checked={remember === 'cache'}
            onChange={() => choose('cache')}
          />
          {trans.__(
            'For %1, in memory only',
            cacheDuration(trans, props.cacheSeconds)
          )}
        </label>
        <label className="cs-GitDialog-choice">
          <input
            type="radio"
            name={`${ids}-remember`}
            value="file"
            checked={remember === 'file'}
            aria-describedby={`${ids}-fileWarning`}
            onChange={() => choose('file')}
          />
          {trans.__('Save them in a file on this server')}
        </label>
        <div
          id={`${ids}-fileWarning`}
          className={`cs-GitDialog-hint${remember === 'file' ? ' cs-mod-warn' : ''}`}
          role={remember === 'file' ? 'alert' : undefined}
        >
          {trans.__(
            'The file (~/.git-credentials) is not encrypted: anyone who can read your files on this server can read the password. Use a token that can only reach this repository.'
          )}
        </div>
      </fieldset>
      <ValidityMarker valid={username.trim() !== '' && hasPassword} />
    </div>
  );
}

/**
 * Ask for `host`'s credentials; `null` when the user cancels.
 */
export async function askCredentials(
  trans: TranslationBundle,
  host: string,
  options: { cacheSeconds?: number; username?: string } = {}
): Promise<ICredentials | null> {
  const state: ICredentialsState = {
    username: options.username ?? '',
    remember: 'cache',
    passwordInput: null
  };
  const body = new DialogBody<ICredentials>(
    () => (
      <CredentialsForm
        trans={trans}
        host={host}
        cacheSeconds={options.cacheSeconds ?? 3600}
        state={state}
      />
    ),
    () => {
      const password = state.passwordInput?.value ?? '';
      const username = state.username.trim();
      if (!username || !password) {
        return null;
      }
      return { username, password, remember: state.remember };
    },
    'cs-GitCredentialsDialog'
  );
  body.disposed.connect(() => {
    if (state.passwordInput) {
      state.passwordInput.value = '';
    }
    state.passwordInput = null;
  });
  const result = await showDialog<ICredentials | null>({
    title: trans.__('Sign in to %1', host),
    body,
    focusNodeSelector: state.username
      ? 'input[name="password"]'
      : 'input[name="username"]',
    buttons: [
      Dialog.cancelButton({ label: trans.__('Cancel') }),
      Dialog.okButton({ label: trans.__('Sign in') })
    ]
  });
  return result.button.accept ? (result.value ?? null) : null;
}
