/**
 * The Clone dialog: a repository address (https or ssh, checked as it is
 * typed with a hint in plain words), an optional folder name, and once the
 * user is signed in to GitHub, "My GitHub repositories" to pick from. The
 * server has the last word on addresses (its scheme allow-list); this only
 * catches what a learner most often gets wrong: a web page address with a
 * password or token in it, a pasted `git clone` command, spaces.
 */
import { Dialog, showDialog } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { ErrorView, Loading, toRequestError } from '@cloudscapes/core';
import type { CloudscapesRequestError } from '@cloudscapes/core';

import type { IGitRequests } from '../diff/requests';
import { DialogBody, ValidityMarker, useFieldIds } from './body';

/**
 * One repository of `GET git/github/repos`.
 */
export interface IGitHubRepo {
  full_name: string;
  clone_url: string;
  private: boolean;
  description: string | null;
}

/**
 * What the Clone dialog answers.
 */
export interface ICloneAnswer {
  url: string;
  name?: string;
}

export type UrlCheck =
  | { ok: true; kind: 'https' | 'ssh' | 'other' }
  | {
      ok: false;
      reason: 'empty' | 'command' | 'spaces' | 'password' | 'unknown';
    };

/**
 * What the address looks like to the client (the server checks it again).
 */
export function checkCloneUrl(raw: string): UrlCheck {
  const url = raw.trim();
  if (!url) {
    return { ok: false, reason: 'empty' };
  }
  if (/^git\s+clone\b/.test(url)) {
    return { ok: false, reason: 'command' };
  }
  if (/\s/.test(url) || url.startsWith('-')) {
    return { ok: false, reason: 'spaces' };
  }
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/([^/]*)/.exec(url);
  if (scheme) {
    const kind = scheme[1].toLowerCase();
    const authority = scheme[2];
    if (!authority.replace(/^[^@]*@/, '')) {
      return { ok: false, reason: 'unknown' };
    }
    if (kind === 'https' || kind === 'http') {
      if (authority.includes('@')) {
        return { ok: false, reason: 'password' };
      }
      return { ok: true, kind: kind === 'https' ? 'https' : 'other' };
    }
    if (kind === 'ssh') {
      return { ok: true, kind: 'ssh' };
    }
    return { ok: true, kind: 'other' };
  }
  if (url.includes('::')) {
    return { ok: false, reason: 'unknown' };
  }
  // scp-like: [user@]host:path
  if (/^([^@/:\s]+@)?[^@/:\s]+:[^\s]+$/.test(url)) {
    return { ok: true, kind: 'ssh' };
  }
  return { ok: false, reason: 'unknown' };
}

/**
 * The folder git would create for `url` ("tutorial" for
 * `https://github.com/openscapes/tutorial.git`).
 */
export function defaultFolderName(url: string): string {
  const trimmed = url.trim().replace(/[/\\]+$/, '');
  const last = trimmed.split(/[/:\\]/).pop() ?? '';
  return last.replace(/\.git$/i, '');
}

/**
 * Whether `text` has a control character (a line break, a NUL…).
 */
export function hasControl(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) {
      return true;
    }
  }
  return false;
}

/**
 * A folder name the server can create beside the current folder.
 */
export function checkFolderName(name: string): boolean {
  const value = name.trim();
  if (value === '') {
    return true;
  }
  return (
    !/[/\\]/.test(value) &&
    !hasControl(value) &&
    value !== '.' &&
    value !== '..' &&
    !value.startsWith('-')
  );
}

function urlHint(trans: TranslationBundle, check: UrlCheck): string {
  if (check.ok) {
    switch (check.kind) {
      case 'https':
        return trans.__(
          'An https address: works with GitHub sign-in or a password.'
        );
      case 'ssh':
        return trans.__(
          'An ssh address: needs an ssh key set up on this server.'
        );
      default:
        return trans.__(
          'Not https or ssh: the server may refuse this kind of address.'
        );
    }
  }
  switch (check.reason) {
    case 'empty':
      return trans.__(
        'Paste the address from the green "Code" button of the repository page, for example https://github.com/owner/repo.git or git@github.com:owner/repo.git.'
      );
    case 'command':
      return trans.__(
        'Paste only the address, without "git clone" in front of it.'
      );
    case 'spaces':
      return trans.__('An address has no spaces and does not start with "-".');
    case 'password':
      return trans.__(
        'Leave the user name, password or token out of the address: git asks for them when it needs them, and an address keeps them in plain text.'
      );
    default:
      return trans.__(
        'This does not look like a repository address. Use https://host/owner/repo.git or git@host:owner/repo.git.'
      );
  }
}

function RepoList(props: {
  api: IGitRequests;
  trans: TranslationBundle;
  selected: string;
  onPick: (repo: IGitHubRepo) => void;
}): JSX.Element {
  const { api, trans } = props;
  const ids = useFieldIds();
  const [repos, setRepos] = React.useState<IGitHubRepo[] | null>(null);
  const [error, setError] = React.useState<CloudscapesRequestError | null>(
    null
  );
  const [filter, setFilter] = React.useState('');
  const [tick, setTick] = React.useState(0);
  React.useEffect(() => {
    let live = true;
    setError(null);
    api.get<{ repositories: IGitHubRepo[] }>('github/repos').then(
      answer => live && setRepos(answer.repositories),
      reason => live && setError(toRequestError(reason))
    );
    return () => {
      live = false;
    };
  }, [api, tick]);
  const needle = filter.trim().toLowerCase();
  const shown = (repos ?? []).filter(
    repo =>
      !needle ||
      repo.full_name.toLowerCase().includes(needle) ||
      (repo.description ?? '').toLowerCase().includes(needle)
  );
  return (
    <fieldset className="cs-GitClone-repos">
      <legend>{trans.__('My GitHub repositories')}</legend>
      {error ? (
        <ErrorView
          error={error}
          trans={trans}
          onRetry={() => setTick(tick + 1)}
        />
      ) : repos === null ? (
        <Loading label={trans.__('Loading your repositories…')} />
      ) : (
        <>
          <label htmlFor={`${ids}-filter`} className="cs-GitDialog-label">
            {trans.__('Filter')}
          </label>
          <input
            id={`${ids}-filter`}
            className="jp-mod-styled cs-GitClone-filter"
            type="search"
            value={filter}
            placeholder={trans.__('Type part of a name')}
            onChange={event => setFilter(event.target.value)}
          />
          {shown.length ? (
            <ul
              className="cs-GitClone-repoList"
              aria-label={trans.__('My GitHub repositories')}
            >
              {shown.map(repo => (
                <li key={repo.full_name}>
                  <button
                    type="button"
                    className="cs-GitClone-repo"
                    aria-pressed={props.selected === repo.clone_url}
                    onClick={() => props.onPick(repo)}
                  >
                    <span className="cs-GitClone-repoName">
                      {repo.full_name}
                    </span>
                    {repo.private ? (
                      <span className="cs-Badge" data-tone="muted">
                        {trans.__('private')}
                      </span>
                    ) : null}
                    {repo.description ? (
                      <span className="cs-GitClone-repoDescription">
                        {repo.description}
                      </span>
                    ) : null}
                  </button>
                </li>
              ))}
            </ul>
          ) : (
            <p className="cs-GitDialog-note">
              {repos.length
                ? trans.__('No repository matches.')
                : trans.__(
                    'The GitHub app can use none of your repositories yet: install it on the repositories you want to push to.'
                  )}
            </p>
          )}
        </>
      )}
    </fieldset>
  );
}

/**
 * The Clone form (exported for tests); `state` is where the dialog reads the answer.
 */
export function CloneForm(props: {
  api: IGitRequests;
  trans: TranslationBundle;
  githubSignedIn: boolean;
  state: { url: string; name: string };
}): JSX.Element {
  const { trans, state } = props;
  const ids = useFieldIds();
  const [url, setUrl] = React.useState(state.url);
  const [name, setName] = React.useState(state.name);
  const [touched, setTouched] = React.useState(false);
  const check = checkCloneUrl(url);
  const nameOk = checkFolderName(name);
  const showUrlError = !check.ok && (touched || check.reason !== 'empty');
  const update = (next: { url?: string; name?: string }) => {
    if (next.url !== undefined) {
      setUrl(next.url);
      state.url = next.url;
    }
    if (next.name !== undefined) {
      setName(next.name);
      state.name = next.name;
    }
  };
  return (
    <div className="cs-GitClone">
      <label htmlFor={`${ids}-url`} className="cs-GitDialog-label">
        {trans.__('Repository address')}
      </label>
      <input
        id={`${ids}-url`}
        name="url"
        className={`jp-mod-styled cs-GitClone-url${showUrlError ? ' cs-mod-invalid' : ''}`}
        type="text"
        spellCheck={false}
        autoComplete="off"
        value={url}
        placeholder="https://github.com/owner/repo.git"
        aria-invalid={showUrlError}
        aria-describedby={`${ids}-urlHint`}
        onChange={event => update({ url: event.target.value })}
        onBlur={() => setTouched(true)}
      />
      <div
        id={`${ids}-urlHint`}
        className={`cs-GitDialog-hint${showUrlError ? ' cs-mod-error' : ''}`}
        aria-live="polite"
      >
        {urlHint(trans, check)}
      </div>
      <label htmlFor={`${ids}-name`} className="cs-GitDialog-label">
        {trans.__('Folder name (optional)')}
      </label>
      <input
        id={`${ids}-name`}
        name="name"
        className={`jp-mod-styled cs-GitClone-name${nameOk ? '' : ' cs-mod-invalid'}`}
        type="text"
        spellCheck={false}
        autoComplete="off"
        value={name}
        placeholder={defaultFolderName(url) || trans.__('from the address')}
        aria-invalid={!nameOk}
        aria-describedby={`${ids}-nameHint`}
        onChange={event => update({ name: event.target.value })}
      />
      <div
        id={`${ids}-nameHint`}
        className={`cs-GitDialog-hint${nameOk ? '' : ' cs-mod-error'}`}
      >
        {nameOk
          ? trans.__('The new folder is made in the current folder.')
          : trans.__('A folder name has no "/" and does not start with "-".')}
      </div>
      {props.githubSignedIn ? (
        <RepoList
          api={props.api}
          trans={trans}
          selected={url}
          onPick={repo =>
            update({
              url: repo.clone_url,
              name: defaultFolderName(repo.full_name)
            })
          }
        />
      ) : null}
      <ValidityMarker valid={check.ok && nameOk} />
    </div>
  );
}

/**
 * Ask what to clone. Resolves `null` when the user cancels.
 */
export async function showCloneDialog(
  api: IGitRequests,
  trans: TranslationBundle,
  options: { githubSignedIn: boolean; url?: string }
): Promise<ICloneAnswer | null> {
  const state = { url: options.url ?? '', name: '' };
  const body = new DialogBody<ICloneAnswer>(
    () => (
      <CloneForm
        api={api}
        trans={trans}
        githubSignedIn={options.githubSignedIn}
        state={state}
      />
    ),
    () => {
      const url = state.url.trim();
      const name = state.name.trim();
      if (!checkCloneUrl(url).ok || !checkFolderName(name)) {
        return null;
      }
      return name ? { url, name } : { url };
    },
    'cs-GitCloneDialog'
  );
  const result = await showDialog<ICloneAnswer | null>({
    title: trans.__('Clone a repository'),
    body,
    focusNodeSelector: 'input[name="url"]',
    buttons: [
      Dialog.cancelButton({ label: trans.__('Cancel') }),
      Dialog.okButton({ label: trans.__('Clone') })
    ]
  });
  return result.button.accept ? (result.value ?? null) : null;
}
