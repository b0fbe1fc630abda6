import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { TabList } from '@cloudscapes/core';

import type { CredentialSource, Session, SignInRequest } from '../model';

type Tab = 'password' | 'token';

/**
 * Sign in with a password or a pasted token, or with credentials found on the
 * server. Secrets stay in the form fields only until they are sent; the fields
 * are cleared on submit.
 */
export function SignInForm(props: {
  session: Session;
  trans: TranslationBundle;
  busy: boolean;
  rememberDefault: boolean;
  environmentDefault: string;
  onSignIn: (request: SignInRequest) => void;
}): JSX.Element {
  const { session, trans, busy } = props;
  const id = React.useId();
  const [tab, setTab] = React.useState<Tab>('password');
  const [remember, setRemember] = React.useState<boolean | null>(null);
  const [environment, setEnvironment] = React.useState<string | null>(null);
  const [missing, setMissing] = React.useState<string | null>(null);
  const username = React.useRef<HTMLInputElement>(null);
  const password = React.useRef<HTMLInputElement>(null);
  const token = React.useRef<HTMLInputElement>(null);

  const rememberValue = remember ?? props.rememberDefault;
  const showEnvironments = session.environments.length > 1;
  const environmentValue =
    environment !== null && session.environments.includes(environment)
      ? environment
      : props.environmentDefault;
  const common = (): { remember: boolean; environment?: string } =>
    showEnvironments && environmentValue
      ? { remember: rememberValue, environment: environmentValue }
      : { remember: rememberValue };

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    if (busy) {
      return;
    }
    if (tab === 'password') {
      const user = username.current?.value.trim() ?? '';
      const secret = password.current?.value ?? '';
      if (!user || !secret) {
        setMissing(
          !user
            ? trans.__('Enter your Earthdata Login username.')
            : trans.__('Enter your password.')
        );
        (!user ? username : password).current?.focus();
        return;
      }
      setMissing(null);
      if (password.current) {
        password.current.value = '';
      }
      props.onSignIn({ username: user, password: secret, ...common() });
    } else {
      const secret = token.current?.value.trim() ?? '';
      if (!secret) {
        setMissing(trans.__('Paste your Earthdata Login token.'));
        token.current?.focus();
        return;
      }
      setMissing(null);
      if (token.current) {
        token.current.value = '';
      }
      props.onSignIn({ token: secret, ...common() });
    }
  };

  const selectTab = (next: Tab) => {
    setTab(next);
    setMissing(null);
  };

  const sourceLabels: Record<CredentialSource, string> = {
    env_token: trans.__('Use EARTHDATA_TOKEN'),
    env_password: trans.__('Use EARTHDATA_USERNAME/PASSWORD'),
    netrc: trans.__('Use my ~/.netrc entry')
  };

  return (
    <section
      className="cs-EarthdataSignIn"
      aria-label={trans.__('Sign in to Earthdata Login')}
    >
      <p className="cs-EarthdataPanel-intro">
        {trans.__(
          'Sign in once: HTTPS downloads (~/.netrc) and S3 access in %1 then work in the browser, every kernel and Dask workers.',
          'us-west-2'
        )}
      </p>
      {session.sources.length > 0 ? (
        <div
          className="cs-EarthdataSources"
          role="group"
          aria-label={trans.__('Credentials found on this server')}
        >
          <div className="cs-EarthdataSources-title">
            {trans.__('Found on this server:')}
          </div>
          {session.sources.map(source => (
            <button
              key={source}
              type="button"
              className="jp-Button jp-mod-styled jp-mod-accept cs-EarthdataSources-button"
              data-source={source}
              disabled={busy}
              onClick={() => props.onSignIn({ source, ...common() })}
            >
              {sourceLabels[source] ?? source}
            </button>
          ))}
        </div>
      ) : null}
      <form className="cs-EarthdataForm" onSubmit={submit} noValidate>
        <TabList
          label={trans.__('How to sign in')}
          idPrefix={id}
          tabs={[
            { value: 'password', label: trans.__('Password') },
            { value: 'token', label: trans.__('Token') }
          ]}
          selected={tab}
          onSelect={selectTab}
        />
        <div
          className="cs-EarthdataForm-fields"
          role="tabpanel"
          id={`${id}-panel-${tab}`}
          aria-labelledby={`${id}-tab-${tab}`}
        >
          {tab === 'password' ? (
            <>
              <label className="cs-EarthdataForm-label" htmlFor={`${id}-user`}>
                {trans.__('Username')}
              </label>
              <input
                ref={username}
                id={`${id}-user`}
                name="username"
                className="jp-mod-styled cs-EarthdataForm-input"
                type="text"
                autoComplete="username"
                autoCapitalize="off"
                spellCheck={false}
                required
              />
              <label className="cs-EarthdataForm-label" htmlFor={`${id}-pass`}>
                {trans.__('Password')}
              </label>
              <input
                ref={password}
                id={`${id}-pass`}
                name="password"
                className="jp-mod-styled cs-EarthdataForm-input"
                type="password"
                autoComplete="current-password"
                required
              />
            </>
          ) : (
            <>
              <label className="cs-EarthdataForm-label" htmlFor={`${id}-token`}>
                {trans.__('Earthdata Login token')}
              </label>
              <input
                ref={token}
                id={`${id}-token`}
                name="token"
                className="jp-mod-styled cs-EarthdataForm-input"
                type="password"
                autoComplete="off"
                spellCheck={false}
                aria-describedby={`${id}-token-help`}
                required
              />
              <div className="cs-EarthdataForm-help" id={`${id}-token-help`}>
                {trans.__(
                  'Generate a token in your Earthdata Login profile (Generate Token) and paste it here.'
                )}
              </div>
            </>
          )}
          {showEnvironments ? (
            <>
              <label className="cs-EarthdataForm-label" htmlFor={`${id}-env`}>
                {trans.__('Environment')}
              </label>
              <select
                id={`${id}-env`}
                name="environment"
                className="jp-mod-styled cs-EarthdataForm-select"
                value={environmentValue}
                onChange={event => setEnvironment(event.target.value)}
              >
                {session.environments.map(env => (
                  <option key={env} value={env}>
                    {env}
                  </option>
                ))}
              </select>
            </>
          ) : null}
          <label className="cs-EarthdataForm-remember">
            <input
              type="checkbox"
              name="remember"
              checked={rememberValue}
              onChange={event => setRemember(event.target.checked)}
            />
            {trans.__('Remember me on this server')}
          </label>
          <div className="cs-EarthdataForm-help">
            {rememberValue
              ? trans.__(
                  'Your token is kept in ~/.netrc and Cloudscapes’ token file, so kernels, Dask workers and AWS profiles can use it, also after a restart.'
                )
              : trans.__(
                  "Your token is kept only in this server's memory: it is forgotten when the server stops, and notebooks cannot read it from ~/.netrc."
                )}
          </div>
          {missing ? (
            <div className="cs-EarthdataForm-missing" role="alert">
              {missing}
            </div>
          ) : null}
          <button
            type="submit"
            className="jp-Button jp-mod-styled jp-mod-accept cs-EarthdataForm-submit"
            disabled={busy}
          >
            {busy ? trans.__('Signing in…') : trans.__('Sign in')}
          </button>
        </div>
      </form>
    </section>
  );
}
