/**
 * What to do when git answers `auth_required` for a host: the configured
 * GitHub host gets the device-flow card in a dialog (no password is ever typed
 * for GitHub); any other HTTPS host gets the credentials dialog, whose answer
 * goes in one `POST git/credentials` (git's credential cache by default). The
 * caller retries the push, pull or clone when this resolves `true`.
 */
import type { JupyterFrontEnd } from '@jupyterlab/application';
import { Dialog, ReactWidget, showDialog } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { notifyError } from '@cloudscapes/core';

import type { IGitRequests } from '../diff/requests';
import { askCredentials } from '../dialogs/credentials';
import { GitHubSignInCard } from './card';
import type { IGitHubState } from './types';

/**
 * A host as people compare them: lowercase, no scheme, user, path or default port.
 */
export function normalizeHost(host: string): string {
  let value = host.trim().toLowerCase();
  value = value.replace(/^[a-z][a-z0-9+.-]*:\/\//, '');
  value = value.replace(/^[^@/]*@/, '');
  value = value.split('/')[0];
  return value.replace(/:(443|80)$/, '');
}

/**
 * The address `POST git/credentials` takes for `host` (a host or a URL).
 */
export function credentialsUrl(host: string): string {
  const value = host.trim();
  if (/^https?:\/\//i.test(value)) {
    return value;
  }
  return `https://${normalizeHost(value)}/`;
}

/**
 * The sign-in card as a dialog body; remembers the server's last answer.
 */
export class GitHubCardBody extends ReactWidget {
  constructor(
    private readonly _api: IGitRequests,
    private readonly _trans: TranslationBundle
  ) {
    super();
    this.addClass('cs-GitDialog');
    this.addClass('cs-GitHubCardDialog');
  }

  /** The latest answer of `GET git/github` (`null` before the first). */
  state: IGitHubState | null = null;

  getValue(): IGitHubState | null {
    return this.state;
  }

  protected render(): JSX.Element {
    return (
      <GitHubSignInCard
        api={this._api}
        trans={this._trans}
        onChange={state => {
          this.state = state;
        }}
      />
    );
  }
}

/**
 * Show the sign-in card in a dialog; resolves whether the user is signed in
 * when it closes.
 */
export async function showGitHubSignIn(
  api: IGitRequests,
  trans: TranslationBundle
): Promise<boolean> {
  const body = new GitHubCardBody(api, trans);
  const result = await showDialog<IGitHubState | null>({
    title: trans.__('Sign in to GitHub'),
    body,
    buttons: [Dialog.okButton({ label: trans.__('Done') })]
  });
  const last = result.value ?? body.state;
  if (last?.signed_in) {
    return true;
  }
  try {
    return (await api.get<IGitHubState>('github')).signed_in;
  } catch {
    return false;
  }
}

/**
 * Sign in for `host` (GitHub's device flow when it is the configured GitHub
 * host, the credentials dialog otherwise); `true` when the caller may retry.
 */
export async function signInOrAskCredentials(
  app: JupyterFrontEnd,
  api: IGitRequests,
  trans: TranslationBundle,
  host: string
): Promise<boolean> {
  let github: IGitHubState | null;
  try {
    github = await api.get<IGitHubState>('github');
  } catch {
    github = null;
  }
  if (
    github?.configured &&
    normalizeHost(github.host) === normalizeHost(host)
  ) {
    return showGitHubSignIn(api, trans);
  }
  const answer = await askCredentials(trans, normalizeHost(host) || host);
  if (!answer) {
    return false;
  }
  try {
    await api.post('credentials', {
      url: credentialsUrl(host),
      username: answer.username,
      password: answer.password,
      remember: answer.remember
    });
    return true;
  } catch (reason) {
    notifyError(trans.__('The sign-in was not saved.'), reason);
    return false;
  }
}
