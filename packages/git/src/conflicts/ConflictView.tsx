/**
 * A merge conflict as a learner can solve it: what happened in plain words
 * (the server's explanation), the three versions side by side — yours, the
 * common ancestor, theirs — and an editable result that starts as the file
 * git left (with its `<<<<<<<` markers). "Take mine" and "Take theirs" fill
 * the result with one side (still editable), "Mark as resolved" saves the
 * result and stages it (`POST git/resolve`). A side that deleted the file, and
 * a binary file, are resolved by taking a side on the server instead.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import {
  ErrorView,
  Loading,
  confirmWarning,
  toRequestError
} from '@cloudscapes/core';
import type { CloudscapesRequestError } from '@cloudscapes/core';

import type { IGitRequests } from '../diff/requests';
import type { IConflict, IConflictArgs, IResolveAnswer, Side } from './types';

/**
 * Whether `text` still has a line git writes around a conflict.
 */
export function hasConflictMarkers(text: string): boolean {
  return /^(<{7}|={7}|>{7}|\|{7})(\s|$)/m.test(text);
}

function Version(props: {
  title: string;
  text: string | null;
  missing: string;
  kind: 'ours' | 'base' | 'theirs';
}): JSX.Element {
  return (
    <section
      className={`cs-GitConflict-version cs-mod-${props.kind}`}
      aria-label={props.title}
    >
      <h3 className="cs-GitConflict-versionTitle">{props.title}</h3>
      {props.text === null ? (
        <p className="cs-GitConflict-missing">{props.missing}</p>
      ) : (
        <pre className="cs-GitConflict-source" tabIndex={0}>
          {props.text}
        </pre>
      )}
    </section>
  );
}

type Phase =
  | { phase: 'loading' }
  | { phase: 'error'; error: CloudscapesRequestError }
  | { phase: 'ready'; conflict: IConflict };

export interface IConflictViewProps {
  api: IGitRequests;
  trans: TranslationBundle;
  args: IConflictArgs;
  /** After a successful resolve (the panel refreshes its status). */
  onResolved?: (answer: IResolveAnswer) => void;
  /** Open another conflicted file (the "still in conflict" list). */
  onOpen?: (file: string) => void;
}

export function ConflictView(props: IConflictViewProps): JSX.Element {
  const { api, trans, args } = props;
  const [state, setState] = React.useState<Phase>({ phase: 'loading' });
  const [result, setResult] = React.useState('');
  const [busy, setBusy] = React.useState(false);
  const [actionError, setActionError] =
    React.useState<CloudscapesRequestError | null>(null);
  const [resolved, setResolved] = React.useState<IResolveAnswer | null>(null);
  const [tick, setTick] = React.useState(0);
  const ids = React.useMemo(
    () => `cs-git-conflict-${Math.random().toString(36).slice(2, 8)}`,
    []
  );

  React.useEffect(() => {
    let live = true;
    api.get<IConflict>('conflict', { path: args.path, file: args.file }).then(
      conflict => {
        if (live) {
          setState({ phase: 'ready', conflict });
          setResult(conflict.merged ?? '');
        }
      },
      reason =>
        live && setState({ phase: 'error', error: toRequestError(reason) })
    );
    return () => {
      live = false;
    };
  }, [api, args.path, args.file, tick]);

  if (state.phase === 'loading') {
    return <Loading label={trans.__('Reading the conflict…')} />;
  }
  if (state.phase === 'error') {
    return (
      <ErrorView
        error={state.error}
        trans={trans}
        onRetry={() => setTick(tick + 1)}
      />
    );
  }
  const { conflict } = state;
  const oursTitle = trans.__('Yours (%1)', conflict.ours_label || 'HEAD');
  const theirsTitle = trans.__(
    'Theirs (%1)',
    conflict.theirs_label || trans.__('incoming')
  );

  const resolve = async (body: { content?: string; take?: Side }) => {
    setBusy(true);
    setActionError(null);
    try {
      const answer = await api.post<IResolveAnswer>('resolve', {
        path: args.path,
        file: args.file,
        ...body
      });
      setResolved(answer);
      props.onResolved?.(answer);
    } catch (reason) {
      setActionError(toRequestError(reason));
    } finally {
      setBusy(false);
    }
  };

  const take = async (side: Side) => {
    const text = side === 'ours' ? conflict.ours : conflict.theirs;
    if (!conflict.binary && text !== null) {
      setResult(text);
      return;
    }
    const confirmed = await confirmWarning(trans, {
      title:
        side === 'ours'
          ? trans.__('Keep your version?')
          : trans.__('Keep their version?'),
      body:
        text === null
          ? trans.__(
              'That version deleted %1: keeping it deletes the file and marks the conflict as resolved.',
              args.file
            )
          : trans.__(
              '%1 is not a text file: keeping this version replaces the file and marks the conflict as resolved.',
              args.file
            ),
      accept: trans.__('Keep it')
    });
    if (confirmed) {
      await resolve({ take: side });
    }
  };

  const markResolved = async () => {
    if (hasConflictMarkers(result)) {
      const confirmed = await confirmWarning(trans, {
        title: trans.__('Conflict markers are still there'),
        body: trans.__(
          'The result still has lines starting with <<<<<<<, ======= or >>>>>>>. Remove them (and keep the lines you want between them) unless they belong in the file.'
        ),
        accept: trans.__('Mark as resolved anyway')
      });
      if (!confirmed) {
        return;
      }
    }
    await resolve({ content: result });
  };

  return (
    <div className="cs-GitConflict" data-file={args.file}>
      <div className="cs-GitConflict-header">
        <h2 className="cs-GitConflict-file">{args.file}</h2>
        <p className="cs-GitConflict-explanation">
          {conflict.explanation ||
            trans.__(
              'You and the other side both changed the same part of this file, and git cannot tell which version to keep.'
            )}
        </p>
        <p className="cs-GitDialog-note">
          {conflict.binary
            ? trans.__('This file is not text: keep one of the two versions.')
            : trans.__(
                'Make the result below what the file should contain (take one side, or edit it by hand), then mark it as resolved.'
              )}
        </p>
      </div>
      <div className="cs-GitConflict-versions">
        <Version
          kind="ours"
          title={oursTitle}
          text={conflict.binary ? null : conflict.ours}
          missing={
            conflict.binary
              ? trans.__('Binary file.')
              : trans.__('Your side deleted this file.')
          }
        />
        <Version
          kind="base"
          title={trans.__('Common ancestor')}
          text={conflict.binary ? null : conflict.base}
          missing={
            conflict.binary
              ? trans.__('Binary file.')
              : trans.__('The file did not exist before the two sides split.')
          }
        />
        <Version
          kind="theirs"
          title={theirsTitle}
          text={conflict.binary ? null : conflict.theirs}
          missing={
            conflict.binary
              ? trans.__('Binary file.')
              : trans.__('Their side deleted this file.')
          }
        />
      </div>
      {conflict.binary ? null : (
        <div className="cs-GitConflict-result">
          <label htmlFor={`${ids}-result`} className="cs-GitDialog-label">
            {trans.__('Result (what %1 will contain)', args.file)}
          </label>
          <textarea
            id={`${ids}-result`}
            className="cs-GitConflict-editor jp-mod-styled"
            spellCheck={false}
            value={result}
            disabled={busy || !!resolved}
            onChange={event => setResult(event.target.value)}
          />
        </div>
      )}
      <div className="cs-GitConflict-actions">
        <button
          type="button"
          className="jp-Button jp-mod-styled jp-mod-reject cs-GitConflict-takeOurs"
          disabled={busy || !!resolved}
          onClick={() => void take('ours')}
        >
          {trans.__('Take mine')}
        </button>
        <button
          type="button"
          className="jp-Button jp-mod-styled jp-mod-reject cs-GitConflict-takeTheirs"
          disabled={busy || !!resolved}
          onClick={() => void take('theirs')}
        >
          {trans.__('Take theirs')}
        </button>
        {conflict.binary ? null : (
          <button
            type="button"
            className="jp-Button jp-mod-styled jp-mod-accept cs-GitConflict-resolve"
            disabled={busy || !!resolved}
            onClick={() => void markResolved()}
          >
            {trans.__('Mark as resolved')}
          </button>
        )}
      </div>
      {actionError ? (
        <ErrorView
          error={actionError}
          trans={trans}
          onDismiss={() => setActionError(null)}
        />
      ) : null}
      {resolved ? (
        <div className="cs-GitConflict-done" role="status">
          {resolved.remaining.length ? (
            <>
              <p>
                {trans._n(
                  'Resolved and staged. %1 file is still in conflict:',
                  'Resolved and staged. %1 files are still in conflict:',
                  resolved.remaining.length
                )}
              </p>
              <ul className="cs-GitConflict-remaining">
                {resolved.remaining.map(file => (
                  <li key={file}>
                    {props.onOpen ? (
                      <button
                        type="button"
                        className="jp-Button jp-mod-minimal cs-GitConflict-next"
                        onClick={() => props.onOpen?.(file)}
                      >
                        {file}
                      </button>
                    ) : (
                      file
                    )}
                  </li>
                ))}
              </ul>
            </>
          ) : (
            <p>
              {trans.__(
                'Resolved and staged. No conflict is left: commit to finish the merge.'
              )}
            </p>
          )}
        </div>
      ) : null}
    </div>
  );
}
