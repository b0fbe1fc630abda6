/**
 * The name and email git records with each commit, asked once (the first
 * commit fails with `identity_required` until they are set). The dialog only
 * asks: the caller writes the answer with `PUT git/identity` (the user's
 * global git config) and commits again, so a failed write is reported where
 * the commit was started.
 */
import { Dialog, showDialog } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { DialogBody, ValidityMarker, useFieldIds } from './body';
import { hasControl } from './clone';

export interface IIdentity {
  name: string;
  email: string;
}

/**
 * Whether `name` can be a git user name (not empty, one line).
 */
export function checkName(name: string): boolean {
  return name.trim() !== '' && !hasControl(name) && !/[<>]/.test(name);
}

/**
 * Whether `email` looks like an address (something@something, one line, no spaces).
 */
export function checkEmail(email: string): boolean {
  return /^[^\s@<>]+@[^\s@<>]+$/.test(email.trim());
}

export function IdentityForm(props: {
  trans: TranslationBundle;
  state: IIdentity;
}): JSX.Element {
  const { trans, state } = props;
  const ids = useFieldIds();
  const [name, setName] = React.useState(state.name);
  const [email, setEmail] = React.useState(state.email);
  const [touched, setTouched] = React.useState({ name: false, email: false });
  const nameOk = checkName(name);
  const emailOk = checkEmail(email);
  return (
    <div className="cs-GitIdentity">
      <p className="cs-GitDialog-note" id={`${ids}-why`}>
        {trans.__(
          'Git writes a name and an email address into every commit, so that everyone can see who made each change. They are saved in your git settings on this server and used for all your repositories.'
        )}
      </p>
      <label htmlFor={`${ids}-name`} className="cs-GitDialog-label">
        {trans.__('Your name')}
      </label>
      <input
        id={`${ids}-name`}
        name="name"
        className={`jp-mod-styled${!nameOk && touched.name ? ' cs-mod-invalid' : ''}`}
        type="text"
        autoComplete="name"
        value={name}
        aria-invalid={!nameOk && touched.name}
        onChange={event => {
          setName(event.target.value);
          state.name = event.target.value;
        }}
        onBlur={() => setTouched({ ...touched, name: true })}
      />
      <label htmlFor={`${ids}-email`} className="cs-GitDialog-label">
        {trans.__('Your email')}
      </label>
      <input
        id={`${ids}-email`}
        name="email"
        className={`jp-mod-styled${!emailOk && touched.email ? ' cs-mod-invalid' : ''}`}
        type="email"
        autoComplete="email"
        value={email}
        aria-invalid={!emailOk && touched.email}
        aria-describedby={`${ids}-emailHint`}
        onChange={event => {
          setEmail(event.target.value);
          state.email = event.target.value;
        }}
        onBlur={() => setTouched({ ...touched, email: true })}
      />
      <div
        id={`${ids}-emailHint`}
        className={`cs-GitDialog-hint${!emailOk && touched.email ? ' cs-mod-error' : ''}`}
      >
        {trans.__(
          'Use the email of your GitHub account so GitHub links your commits to you, or its "noreply" address (GitHub settings, Emails) to keep your email private.'
        )}
      </div>
      <ValidityMarker valid={nameOk && emailOk} />
    </div>
  );
}

/**
 * Ask for the commit identity; `null` when the user cancels. The caller saves
 * it (`PUT git/identity`).
 */
export async function askIdentity(
  trans: TranslationBundle,
  initial: Partial<IIdentity> = {}
): Promise<IIdentity | null> {
  const state: IIdentity = {
    name: initial.name ?? '',
    email: initial.email ?? ''
  };
  const body = new DialogBody<IIdentity>(
    () => <IdentityForm trans={trans} state={state} />,
    () =>
      checkName(state.name) && checkEmail(state.email)
        ? { name: state.name.trim(), email: state.email.trim() }
        : null,
    'cs-GitIdentityDialog'
  );
  const result = await showDialog<IIdentity | null>({
    title: trans.__('Who is making this commit?'),
    body,
    focusNodeSelector: 'input[name="name"]',
    buttons: [
      Dialog.cancelButton({ label: trans.__('Cancel') }),
      Dialog.okButton({ label: trans.__('Save') })
    ]
  });
  return result.button.accept ? (result.value ?? null) : null;
}
