import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import {
  absoluteTime,
  displayName,
  expiryLevel,
  methodText,
  relativeTime,
  storageText
} from '../format';
import type { Session } from '../model';

/**
 * A token expiring sooner than this is shown in warning colours.
 */
const TOKEN_SOON_SECONDS = 7 * 24 * 3600;

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
