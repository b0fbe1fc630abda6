import type { TranslationBundle } from '@jupyterlab/translation';
import { VDomRenderer } from '@jupyterlab/ui-components';
import * as React from 'react';

import {
  CloudscapesRequestError,
  EmptyState,
  ErrorBanner,
  Loading,
  REGION_TONE,
  TabList
} from '@cloudscapes/core';

import {
  absoluteTime,
  daacStatusText,
  displayName,
  expiryLevel,
  methodText,
  regionBadge,
  relativeTime,
  storageText
} from './format';
import {
  CredentialSource,
  DaacCredentials,
  EarthdataModel,
  Region,
  Session,
  SignInRequest
} from './model';

/**
 * Error codes whose hint the user must not miss (repeated failures lock the account).
 */
const PROMINENT_HINTS = new Set(['edl_invalid_credentials']);

/**
 * What the panel's buttons do that goes through commands (so they also live in
 * the palette, with their dialogs and notifications).
 */
export interface IPanelActions {
  signOut(): void;
  renew(): void;
  writeProfiles(): void;
}

/**
 * A token expiring sooner than this is shown in warning colours.
 */
const TOKEN_SOON_SECONDS = 7 * 24 * 3600;
/**
 * DAAC credentials expiring sooner than this are shown in warning colours.
 */
const DAAC_SOON_SECONDS = 10 * 60;

/**
 * A hint of our own when the server gave none (the server's always wins).
 */
export function hintFor(
  error: CloudscapesRequestError,
  trans: TranslationBundle
): string {
  if (error.hint) {
    return error.hint;
  }
  switch (error.code) {
    case 'edl_invalid_credentials':
      return trans.__(
        'Check your username and password. Repeated failures lock your Earthdata Login account for 10 minutes.'
      );
    case 'edl_invalid_token':
    case 'edl_token_expired':
      return trans.__(
        'Generate a new token at Earthdata Login (Generate Token) and paste it again, or sign in with your password.'
      );
    case 'edl_token_limit':
      return trans.__(
        'Earthdata Login allows two tokens per account. Revoke one you no longer use at Earthdata Login, then try again.'
      );
    case 'edl_unreachable':
    case 'edl_timeout':
      return trans.__('Earthdata Login may be down; try again in a minute.');
    case 'earthdata_not_signed_in':
      return trans.__('Sign in to Earthdata Login first.');
    default:
      return '';
  }
}

function ErrorView(props: {
  error: CloudscapesRequestError;
  trans: TranslationBundle;
  onDismiss?: () => void;
}): JSX.Element {
  return (
    <ErrorBanner
      message={props.error.message}
      hint={hintFor(props.error, props.trans)}
      code={props.error.code}
      prominent={PROMINENT_HINTS.has(props.error.code)}
      onDismiss={props.onDismiss}
      dismissLabel={props.trans.__('Dismiss')}
    />
  );
}

/**
 * The left-sidebar panel: the region badge, then the sign-in form or the
 * signed-in card with the DAACs' S3 credentials.
 */
export class EarthdataPanel extends VDomRenderer<EarthdataModel> {
  constructor(
    model: EarthdataModel,
    private _trans: TranslationBundle,
    private _actions: IPanelActions
  ) {
    super(model);
    this.addClass('cs-EarthdataPanel');
  }

  render(): JSX.Element {
    const trans = this._trans;
    const model = this.model;
    const session = model.session;
    const error = model.error;
    const now = Date.now();
    let body: JSX.Element | null;
    if (!session) {
      body = error ? (
        <button
          className="jp-Button jp-mod-styled jp-mod-accept cs-EarthdataPanel-retry"
          onClick={() => void model.refresh().catch(() => undefined)}
        >
          {trans.__('Try again')}
        </button>
      ) : (
        <Loading label={trans.__('Checking your Earthdata Login…')} />
      );
    } else if (session.signed_in) {
      body = (
        <>
          <SignedInCard
            session={session}
            trans={trans}
            busy={model.busy}
            now={now}
            onRenew={() => this._actions.renew()}
            onSignOut={() => this._actions.signOut()}
          />
          <DaacList
            model={model}
            trans={trans}
            now={now}
            onWriteProfiles={() => this._actions.writeProfiles()}
          />
        </>
      );
    } else {
      body = (
        <SignInForm
          session={session}
          trans={trans}
          busy={model.busy}
          rememberDefault={model.rememberDefault}
          environmentDefault={model.environmentDefault}
          onSignIn={request =>
            void model.signIn(request).catch(() => undefined)
          }
        />
      );
    }
    return (
      <div className="cs-EarthdataPanel-body">
        <div className="cs-PanelHeader cs-EarthdataPanel-header">
          <h2 className="cs-PanelTitle">{trans.__('Earthdata Login')}</h2>
          {model.regionChecked ? (
            <RegionBadge region={model.region} trans={trans} />
          ) : null}
        </div>
        {error ? (
          <ErrorView
            error={error}
            trans={trans}
            onDismiss={session ? () => model.dismissError() : undefined}
          />
        ) : null}
        {body}
      </div>
    );
  }
}

/**
 * "In us-west-2 (direct S3 access)" / "Outside us-west-2: use HTTPS links" /
 * "Region unknown", with how that is known in its title and label.
 */
export function RegionBadge(props: {
  region: Region | null;
  trans: TranslationBundle;
}): JSX.Element {
  const badge = regionBadge(props.region, props.trans);
  return (
    <span
      className={`cs-Badge cs-EarthdataRegion cs-mod-${badge.state}`}
      data-tone={REGION_TONE[badge.state]}
      role="status"
      title={badge.title}
      aria-label={`${badge.text}. ${badge.title}`}
      data-state={badge.state}
    >
      {badge.text}
    </span>
  );
}

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

/**
 * Who is signed in, where the credentials live, and when the token expires.
 */
export function SignedInCard(props: {
  session: Session;
  trans: TranslationBundle;
  busy: boolean;
  now: number;
  onRenew: () => void;
  onSignOut: () => void;
}): JSX.Element {
  const { session, trans, now } = props;
  const profile = session.profile;
  const name = displayName(profile);
  const places = storageText(session, trans);
  const level = expiryLevel(session.token_expires, TOKEN_SOON_SECONDS, now);
  const memoryOnly =
    session.stored_in.length > 0 &&
    session.stored_in.every(place => place === 'memory');
  return (
    <section
      className="cs-EarthdataCard"
      aria-label={trans.__('Signed in to Earthdata Login')}
    >
      <div className="cs-EarthdataCard-name">
        {name || trans.__('Signed in')}
      </div>
      <dl className="cs-Facts cs-EarthdataPanel-facts">
        <dt>{trans.__('Username')}</dt>
        <dd className="cs-EarthdataCard-uid">{profile?.uid ?? '—'}</dd>
        {profile?.email_address ? (
          <>
            <dt>{trans.__('Email')}</dt>
            <dd className="cs-EarthdataCard-email">{profile.email_address}</dd>
          </>
        ) : null}
        {profile?.affiliation ? (
          <>
            <dt>{trans.__('Affiliation')}</dt>
            <dd className="cs-EarthdataCard-affiliation">
              {profile.affiliation}
            </dd>
          </>
        ) : null}
        {session.environments.length > 1 ? (
          <>
            <dt>{trans.__('Environment')}</dt>
            <dd
              className="cs-EarthdataCard-environment"
              title={session.edl_host}
            >
              {session.environment}
            </dd>
          </>
        ) : null}
        <dt>{trans.__('Signed in with')}</dt>
        <dd className="cs-EarthdataCard-method">
          {methodText(session.method, trans)}
        </dd>
        <dt>{trans.__('Stored')}</dt>
        <dd className="cs-EarthdataCard-storage">
          {places.length === 0 ? (
            trans.__('nowhere')
          ) : places.length === 1 ? (
            places[0]
          ) : (
            <ul>
              {places.map(place => (
                <li key={place}>{place}</li>
              ))}
            </ul>
          )}
        </dd>
        <dt>{trans.__('Token expires')}</dt>
        <dd
          className={`cs-EarthdataCard-expiry cs-mod-${level}`}
          data-level={level}
        >
          {session.token_expires ? (
            <>
              <span className="cs-EarthdataCard-relative">
                {relativeTime(session.token_expires, trans, now)}
              </span>{' '}
              <span className="cs-EarthdataCard-absolute">
                ({absoluteTime(session.token_expires)})
              </span>
            </>
          ) : (
            trans.__('unknown')
          )}
        </dd>
      </dl>
      {memoryOnly ? (
        <p className="cs-EarthdataCard-note">
          {trans.__(
            'Notebooks and AWS profiles cannot use credentials kept only in memory: sign in again with "Remember me on this server" to use Earthdata from kernels.'
          )}
        </p>
      ) : null}
      <div className="cs-EarthdataCard-actions">
        {session.can_renew ? (
          <button
            className="jp-Button jp-mod-styled jp-mod-accept cs-EarthdataCard-renew"
            disabled={props.busy}
            onClick={props.onRenew}
            title={trans.__('Replace the token with a fresh one')}
          >
            {trans.__('Renew')}
          </button>
        ) : null}
        <button
          className="jp-Button jp-mod-styled jp-mod-reject cs-EarthdataCard-signout"
          disabled={props.busy}
          onClick={props.onSignOut}
        >
          {trans.__('Sign out')}
        </button>
      </div>
    </section>
  );
}

/**
 * The DAACs' temporary S3 credentials: status, countdown, refresh, AWS profile.
 */
export function DaacList(props: {
  model: EarthdataModel;
  trans: TranslationBundle;
  now: number;
  onWriteProfiles: () => void;
}): JSX.Element {
  const { model, trans, now } = props;
  const rows = model.credentials === null ? null : model.shownCredentials;
  return (
    <section
      className="cs-EarthdataDaacs"
      aria-label={trans.__('S3 credentials by DAAC')}
    >
      <h3 className="cs-EarthdataPanel-subtitle">
        {trans.__('S3 credentials by DAAC')}
      </h3>
      {model.credentialsError ? (
        <ErrorView error={model.credentialsError} trans={trans} />
      ) : null}
      {rows === null ? (
        model.credentialsError ? null : (
          <Loading label={trans.__('Loading DAACs…')} />
        )
      ) : rows.length === 0 ? (
        <EmptyState title={trans.__('No DAACs')}>
          {model.settings.daacs.length > 0
            ? trans.__(
                'None of the DAACs in your settings (%1) is known to this server.',
                model.settings.daacs.join(', ')
              )
            : trans.__('This server lists no DAACs.')}
        </EmptyState>
      ) : (
        <ul className="cs-EarthdataDaacs-list">
          {rows.map(row => (
            <DaacRow
              key={row.daac}
              row={row}
              trans={trans}
              now={now}
              busy={model.daacBusy(row.daac)}
              error={model.daacError(row.daac)}
              onRefresh={() =>
                void model.refreshDaac(row.daac).catch(() => undefined)
              }
            />
          ))}
        </ul>
      )}
      {rows && rows.length > 0 ? (
        <div className="cs-EarthdataDaacs-profiles">
          <button
            className="jp-Button jp-mod-styled jp-mod-accept cs-EarthdataDaacs-setup"
            disabled={model.busy}
            onClick={props.onWriteProfiles}
            title={trans.__(
              'Write earthdata-<daac> profiles into ~/.aws/config; boto3, s3fs and Dask workers then read S3 with them.'
            )}
          >
            {trans.__('Set up AWS profiles')}
          </button>
          {model.profilesError ? (
            <ErrorView error={model.profilesError} trans={trans} />
          ) : null}
        </div>
      ) : null}
    </section>
  );
}

function DaacRow(props: {
  row: DaacCredentials;
  trans: TranslationBundle;
  now: number;
  busy: boolean;
  error: CloudscapesRequestError | null;
  onRefresh: () => void;
}): JSX.Element {
  const { row, trans, now } = props;
  const name = row.daac.toUpperCase();
  const level =
    row.status === 'error' || props.error
      ? 'error'
      : row.status === 'none'
        ? 'none'
        : expiryLevel(row.expiration, DAAC_SOON_SECONDS, now);
  const serverError = row.error?.error ?? null;
  const error =
    props.error ??
    (serverError
      ? new CloudscapesRequestError(
          0,
          serverError.code,
          serverError.message,
          serverError.hint
        )
      : null);
  return (
    <li
      className="cs-EarthdataDaac"
      data-daac={row.daac}
      data-status={row.status}
    >
      <div className="cs-EarthdataDaac-head">
        <span className="cs-EarthdataDaac-name" title={row.endpoint}>
          {name}
        </span>
        <button
          className="jp-Button jp-mod-styled cs-EarthdataDaac-refresh"
          disabled={props.busy}
          aria-label={trans.__('Refresh %1 S3 credentials', name)}
          onClick={props.onRefresh}
        >
          {props.busy ? trans.__('Refreshing…') : trans.__('Refresh')}
        </button>
      </div>
      <div
        className={`cs-EarthdataDaac-status cs-mod-${level}`}
        title={row.expiration ? absoluteTime(row.expiration) : undefined}
      >
        {props.error ? trans.__('failed') : daacStatusText(row, trans, now)}
      </div>
      <div
        className={`cs-EarthdataDaac-profile${row.profile ? ' cs-mod-present' : ''}`}
      >
        {row.profile
          ? trans.__('AWS profile %1', row.profile)
          : trans.__('No AWS profile yet (earthdata-%1)', row.daac)}
      </div>
      {error ? <ErrorView error={error} trans={trans} /> : null}
    </li>
  );
}
