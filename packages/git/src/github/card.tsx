/**
 * The GitHub sign-in card (device flow). The server does the talking to
 * GitHub: `POST git/github/device` asks GitHub for a user code and keeps
 * polling GitHub's token endpoint in a task (honouring `interval` and
 * `slow_down`); the card only shows what `GET git/github` says. It shows the
 * user code large with a Copy button and the verification link, follows each
 * state of the flow in plain words, offers "Try again" when the code expired,
 * was refused, or failed, and ends with who is signed in, for which
 * repositories and until when. The token itself never reaches the browser.
 *
 * The card asks the server again only while a flow waits for the user, every
 * few seconds, with `no_track_activity` and core's poller (standing by in a
 * hidden or idle tab), so an open card never keeps a server from being culled.
 */
import { Clipboard } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';
import type { Poll } from '@lumino/polling';
import * as React from 'react';

import {
  ErrorView,
  Loading,
  createPoller,
  safeUrl,
  toRequestError
} from '@cloudscapes/core';
import type { CloudscapesRequestError, UserIdle } from '@cloudscapes/core';

import type { IGitRequests } from '../diff/requests';
import { isWaiting } from './types';
import type { IGitHubDevice, IGitHubState } from './types';

/**
 * Milliseconds between the card's looks at the server while a flow waits.
 */
export const DEVICE_POLL_INTERVAL = 3000;

/**
 * A time the way the user's browser writes it ("14:05" or "2:05 PM"), with
 * the date when it is not today.
 */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) {
    return '';
  }
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) {
    return '';
  }
  const sameDay = date.toDateString() === new Date().toDateString();
  const time = date.toLocaleTimeString(undefined, {
    hour: '2-digit',
    minute: '2-digit'
  });
  return sameDay
    ? time
    : `${date.toLocaleDateString(undefined, { day: 'numeric', month: 'short' })} ${time}`;
}

export interface IGitHubSignInCardProps {
  api: IGitRequests;
  trans: TranslationBundle;
  /** Called with each answer of the server (the dialog follows `signed_in`). */
  onChange?: (state: IGitHubState) => void;
  /** Milliseconds between looks while a flow waits (default 3 s). */
  pollInterval?: number;
  /** Whose idleness stands the poll by (default the page's; `null` never). */
  idle?: UserIdle | null;
}

function SignedIn(props: {
  state: IGitHubState;
  trans: TranslationBundle;
  busy: boolean;
  onSignOut: () => void;
}): JSX.Element {
  const { state, trans } = props;
  const repos = state.repositories;
  const until = formatTime(state.expires_at);
  return (
    <div className="cs-GitHubCard-signedIn" data-state="signed_in">
      <p className="cs-GitHubCard-who" role="status">
        {trans.__('Signed in as %1', state.login ?? '?')}
        {repos && repos.length
          ? trans.__(', for these repositories: %1', repos.join(', '))
          : repos
            ? trans.__(', for no repository yet')
            : ''}
        {until ? trans.__(', until %1', until) : ''}.
      </p>
      {repos && !repos.length ? (
        <p className="cs-GitDialog-note">
          {trans.__(
            'Install the GitHub app on the repositories you want to push to (on GitHub: Settings, Applications), then sign in again.'
          )}
        </p>
      ) : null}
      <p className="cs-GitDialog-note">
        {trans.__(
          'Git on this server uses this sign-in for %1 only; the key stays on the server and is renewed while you work.',
          state.host
        )}
      </p>
      <button
        type="button"
        className="jp-Button jp-mod-styled jp-mod-reject cs-GitHubCard-signOut"
        disabled={props.busy}
        onClick={props.onSignOut}
      >
        {trans.__('Sign out')}
      </button>
    </div>
  );
}

function Waiting(props: {
  device: IGitHubDevice;
  trans: TranslationBundle;
}): JSX.Element {
  const { device, trans } = props;
  const [copied, setCopied] = React.useState(false);
  const link = safeUrl(device.verification_uri, { base: false });
  const expires = formatTime(device.expires_at);
  return (
    <div className="cs-GitHubCard-device" data-state={device.state}>
      <ol className="cs-GitHubCard-steps">
        <li>
          <span>{trans.__('Copy this code:')}</span>
          <div className="cs-GitHubCard-codeRow">
            <output
              className="cs-GitHubCard-code"
              aria-label={trans.__('Your GitHub code')}
            >
              {device.user_code}
            </output>
            <button
              type="button"
              className="jp-Button jp-mod-styled jp-mod-accept cs-GitHubCard-copy"
              onClick={() => {
                Clipboard.copyToSystem(device.user_code);
                setCopied(true);
              }}
            >
              {copied ? trans.__('Copied') : trans.__('Copy')}
            </button>
          </div>
        </li>
        <li>
          {link ? (
            <>
              {trans.__('Open')}{' '}
              <a
                className="cs-GitHubCard-link"
                href={link}
                target="_blank"
                rel="noopener noreferrer"
              >
                {device.verification_uri}
              </a>{' '}
              {trans.__('and paste the code there.')}
            </>
          ) : (
            <>
              {trans.__(
                'Open this address in your browser and paste the code:'
              )}{' '}
              <span className="cs-GitHubCard-link">
                {device.verification_uri}
              </span>
            </>
          )}
        </li>
        <li>
          {trans.__('Approve the access on GitHub. This card follows along.')}
        </li>
      </ol>
      <p className="cs-GitHubCard-status" role="status" aria-live="polite">
        {device.state === 'slow_down'
          ? trans.__(
              'GitHub asked us to check less often. Still waiting for you to approve…'
            )
          : trans.__('Waiting for you to enter the code on GitHub…')}
      </p>
      {expires ? (
        <p className="cs-GitDialog-note">
          {trans.__('The code works until %1.', expires)}
        </p>
      ) : null}
    </div>
  );
}

function Ended(props: {
  device: IGitHubDevice;
  trans: TranslationBundle;
  busy: boolean;
  onRetry: () => void;
}): JSX.Element {
  const { device, trans } = props;
  let text: string;
  switch (device.state) {
    case 'expired':
      text = trans.__(
        'The code expired before it was entered on GitHub. Codes work for 15 minutes.'
      );
      break;
    case 'denied':
      text = trans.__(
        'The sign-in was cancelled on GitHub, so nothing was given access.'
      );
      break;
    default:
      text = device.message || trans.__('GitHub did not complete the sign-in.');
  }
  return (
    <div className="cs-GitHubCard-ended" data-state={device.state}>
      <p className="cs-GitHubCard-status" role="alert">
        {text}
      </p>
      <button
        type="button"
        className="jp-Button jp-mod-styled jp-mod-accept cs-GitHubCard-retry"
        disabled={props.busy}
        onClick={props.onRetry}
      >
        {trans.__('Try again')}
      </button>
    </div>
  );
}

/**
 * The sign-in card.
 */
export function GitHubSignInCard(props: IGitHubSignInCardProps): JSX.Element {
  const { api, trans } = props;
  const [state, setState] = React.useState<IGitHubState | null>(null);
  const [error, setError] = React.useState<CloudscapesRequestError | null>(
    null
  );
  const [busy, setBusy] = React.useState(false);
  const [tick, setTick] = React.useState(0);
  const onChange = React.useRef(props.onChange);
  onChange.current = props.onChange;
  const live = React.useRef(true);
  React.useEffect(
    () => () => {
      live.current = false;
    },
    []
  );

  const show = React.useCallback((answer: IGitHubState) => {
    if (!live.current) {
      return;
    }
    setState(answer);
    setError(null);
    onChange.current?.(answer);
  }, []);

  // first look (a user action: it counts as activity)
  React.useEffect(() => {
    api.get<IGitHubState>('github').then(show, reason => {
      if (live.current) {
        setError(toRequestError(reason));
      }
    });
  }, [api, show, tick]);

  // follow a flow while it waits for the user
  const waiting = isWaiting(state);
  React.useEffect(() => {
    if (!waiting) {
      return;
    }
    const poll: Poll = createPoller({
      name: 'cloudscapes:git-github-device',
      interval: props.pollInterval ?? DEVICE_POLL_INTERVAL,
      idle: props.idle,
      task: async () => {
        show(await api.get<IGitHubState>('github', {}, { track: false }));
      }
    });
    return () => poll.dispose();
  }, [api, show, waiting, props.pollInterval, props.idle]);

  const act = async (action: () => Promise<IGitHubState | null>) => {
    setBusy(true);
    try {
      const answer = await action();
      show(answer ?? (await api.get<IGitHubState>('github')));
    } catch (reason) {
      if (live.current) {
        setError(toRequestError(reason));
      }
    } finally {
      if (live.current) {
        setBusy(false);
      }
    }
  };
  const start = () => act(() => api.post<IGitHubState>('github/device', {}));
  const signOut = () => act(() => api.del<IGitHubState | null>('github'));

  let content: JSX.Element;
  if (error && !state) {
    content = (
      <ErrorView
        error={error}
        trans={trans}
        onRetry={() => setTick(tick + 1)}
      />
    );
  } else if (!state) {
    content = <Loading label={trans.__('Asking the server…')} />;
  } else if (!state.configured) {
    content = (
      <p className="cs-GitDialog-note" data-state="not_configured">
        {trans.__(
          'GitHub sign-in is not set up on this server. Your administrator can set it up with a GitHub App; until then, git asks for a user name and token when it needs them.'
        )}
      </p>
    );
  } else if (state.signed_in) {
    content = (
      <SignedIn state={state} trans={trans} busy={busy} onSignOut={signOut} />
    );
  } else if (state.device && isWaiting(state)) {
    content = <Waiting device={state.device} trans={trans} />;
  } else if (state.device && state.device.state !== 'signed_in') {
    content = (
      <Ended device={state.device} trans={trans} busy={busy} onRetry={start} />
    );
  } else {
    content = (
      <div className="cs-GitHubCard-start" data-state="signed_out">
        <p className="cs-GitDialog-note">
          {trans.__(
            'Sign in to %1 to clone your private repositories and push your work. You approve the access on GitHub; no password is typed here.',
            state.host
          )}
        </p>
        <button
          type="button"
          className="jp-Button jp-mod-styled jp-mod-accept cs-GitHubCard-signIn"
          disabled={busy}
          onClick={start}
        >
          {trans.__('Sign in to GitHub')}
        </button>
      </div>
    );
  }
  return (
    <section className="cs-GitHubCard" aria-label={trans.__('GitHub sign-in')}>
      {content}
      {error && state ? (
        <ErrorView
          error={error}
          trans={trans}
          onDismiss={() => setError(null)}
        />
      ) : null}
    </section>
  );
}
