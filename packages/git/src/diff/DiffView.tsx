/**
 * The body of a diff tab: asks `GET git/diff` once (and again on "Refresh"),
 * then shows the kind of diff the server chose: text side by side, a notebook
 * cell by cell, an image, or a sentence for binary and too large files.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import {
  CloudscapesRequestError,
  EmptyState,
  ErrorView,
  Loading,
  formatBytes,
  toRequestError
} from '@cloudscapes/core';

import { ImageDiff } from './ImageDiff';
import { DEFAULT_FROM, DEFAULT_TO, rangeLabel, sideLabel } from './labels';
import { NotebookDiff } from './NotebookDiff';
import type { IGitRequests } from './requests';
import { TextDiff, diffStats } from './TextDiff';
import type { IDiffAnswer, IDiffArgs } from './types';

type State =
  | { phase: 'loading' }
  | { phase: 'error'; error: CloudscapesRequestError }
  | { phase: 'done'; diff: IDiffAnswer };

function sizes(
  trans: TranslationBundle,
  diff: IDiffAnswer,
  oldLabel: string,
  newLabel: string
): string {
  const parts: string[] = [];
  if (diff.old_size !== null && diff.old_size !== undefined) {
    parts.push(`${oldLabel}: ${formatBytes(diff.old_size)}`);
  }
  if (diff.new_size !== null && diff.new_size !== undefined) {
    parts.push(`${newLabel}: ${formatBytes(diff.new_size)}`);
  }
  return parts.length ? trans.__('Sizes — %1.', parts.join(', ')) : '';
}

/**
 * What a diff shows, once the answer is there.
 */
export function DiffBody(props: {
  diff: IDiffAnswer;
  from: string;
  to: string;
  trans: TranslationBundle;
}): JSX.Element {
  const { diff, trans } = props;
  const oldLabel = sideLabel(trans, props.from);
  const newLabel = sideLabel(trans, props.to);
  switch (diff.kind) {
    case 'notebook':
      if (diff.notebook) {
        return (
          <NotebookDiff
            notebook={diff.notebook}
            trans={trans}
            oldLabel={oldLabel}
            newLabel={newLabel}
          />
        );
      }
      break;
    case 'image':
      return (
        <ImageDiff
          old={diff.image?.old ?? null}
          new={diff.image?.new ?? null}
          oldSize={diff.old_size}
          newSize={diff.new_size}
          oldLabel={oldLabel}
          newLabel={newLabel}
          trans={trans}
        />
      );
    case 'binary':
      return (
        <EmptyState title={trans.__('This is a binary file')}>
          {trans.__('It is not text, so there are no lines to compare.')}{' '}
          {sizes(trans, diff, oldLabel, newLabel)}
        </EmptyState>
      );
    case 'too_large':
      return (
        <EmptyState title={trans.__('This file is too large to compare here')}>
          {trans.__(
            'Open it on its own, or compare it in a terminal with git diff.'
          )}{' '}
          {sizes(trans, diff, oldLabel, newLabel)}
        </EmptyState>
      );
    default:
      break;
  }
  if (!diff.hunks.length) {
    return (
      <EmptyState title={trans.__('No differences')}>
        {trans.__('The two versions of this file are the same.')}
      </EmptyState>
    );
  }
  return (
    <TextDiff
      hunks={diff.hunks}
      trans={trans}
      oldLabel={oldLabel}
      newLabel={newLabel}
      label={trans.__('Differences in %1', diff.file)}
    />
  );
}

/**
 * A diff tab's content: header (file, what is compared, counts, Refresh),
 * then the diff.
 */
export function DiffView(props: {
  api: IGitRequests;
  args: IDiffArgs;
  trans: TranslationBundle;
  /** Changes when the owner wants a fresh answer (e.g. after a save). */
  reload?: number;
}): JSX.Element {
  const { api, args, trans } = props;
  const from = args.from ?? DEFAULT_FROM;
  const to = args.to ?? DEFAULT_TO;
  const [state, setState] = React.useState<State>({ phase: 'loading' });
  const [tick, setTick] = React.useState(0);
  React.useEffect(() => {
    let live = true;
    api
      .get<IDiffAnswer>('diff', {
        path: args.path,
        file: args.file,
        from: args.from,
        to: args.to
      })
      .then(
        diff => live && setState({ phase: 'done', diff }),
        reason =>
          live && setState({ phase: 'error', error: toRequestError(reason) })
      );
    return () => {
      live = false;
    };
  }, [api, args.path, args.file, args.from, args.to, tick, props.reload]);

  const diff = state.phase === 'done' ? state.diff : null;
  const stats =
    diff && (diff.kind === 'text' || diff.kind === 'notebook')
      ? diffStats(
          diff.kind === 'text'
            ? diff.hunks
            : (diff.notebook?.cells ?? []).flatMap(cell => cell.hunks)
        )
      : null;
  const fileName =
    diff && diff.orig_file && diff.orig_file !== diff.file
      ? trans.__('%1 → %2', diff.orig_file, diff.file)
      : args.file;
  return (
    <div className="cs-GitDiff" data-kind={diff?.kind}>
      <div className="cs-GitDiff-header">
        <div className="cs-GitDiff-heading">
          <h2 className="cs-GitDiff-file">{fileName}</h2>
          <span className="cs-GitDiff-range">
            {rangeLabel(trans, from, to)}
          </span>
          {stats ? (
            <span
              className="cs-GitDiff-stats"
              aria-label={trans.__(
                '%1 lines added, %2 lines removed',
                stats.added,
                stats.removed
              )}
            >
              <span className="cs-GitDiff-statAdd">+{stats.added}</span>{' '}
              <span className="cs-GitDiff-statDel">−{stats.removed}</span>
            </span>
          ) : null}
        </div>
        <button
          type="button"
          className="jp-Button jp-mod-styled jp-mod-reject cs-GitDiff-refresh"
          onClick={() => setTick(tick + 1)}
        >
          {trans.__('Refresh')}
        </button>
      </div>
      <div className="cs-GitDiff-body">
        {state.phase === 'loading' ? (
          <Loading label={trans.__('Comparing…')} />
        ) : state.phase === 'error' ? (
          <ErrorView
            error={state.error}
            trans={trans}
            onRetry={() => setTick(tick + 1)}
          />
        ) : (
          <DiffBody diff={state.diff} from={from} to={to} trans={trans} />
        )}
      </div>
    </div>
  );
}
