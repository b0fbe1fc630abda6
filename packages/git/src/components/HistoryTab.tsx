import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { ErrorBanner, Loading } from '@cloudscapes/core';

import type { GitModel } from '../model';
import type { IPanelActions } from '../tokens';
import { Graph } from './Graph';
import { WindowedList } from './WindowedList';

const ROW = 28;

function when(date: string | null): string {
  if (!date) {
    return '';
  }
  const d = new Date(date);
  return Number.isNaN(d.getTime()) ? date : d.toLocaleString();
}

/**
 * The History tab: the log (or one file's history) with the branch graph,
 * windowed and paged (the next page loads as the user scrolls), and the
 * selected commit's message and files, each opening its diff.
 */
export function HistoryTab(props: {
  model: GitModel;
  trans: TranslationBundle;
  actions: IPanelActions;
}): JSX.Element {
  const { model, trans, actions } = props;
  const history = model.history;
  React.useEffect(() => {
    void history.load();
  }, [history, history.loaded, history.file]);
  const commits = history.commits;
  const rows = history.rows;
  const lanes = rows.reduce((max, r) => Math.max(max, r.width), 1);
  const onNearEnd = React.useCallback(() => void history.loadMore(), [history]);
  const details = history.details;
  return (
    <div className="cs-Git-history">
      {history.file ? (
        <div className="cs-Git-historyFile">
          <span>{trans.__('History of %1', history.file)}</span>
          <button
            type="button"
            className="jp-Button jp-mod-minimal cs-Git-historyAll"
            onClick={() => actions.showHistory(null)}
          >
            {trans.__('Show all commits')}
          </button>
        </div>
      ) : null}
      {history.error ? (
        <ErrorBanner
          message={history.error.message}
          hint={history.error.hint}
          code={history.error.code}
        />
      ) : null}
      {!history.loaded && history.loading ? (
        <Loading label={trans.__('Loading the history…')} />
      ) : history.loaded && commits.length === 0 ? (
        <div className="cs-Git-empty">{trans.__('No commits yet.')}</div>
      ) : (
        <WindowedList
          label={trans.__('Commits')}
          className="cs-Git-commits"
          count={commits.length}
          keyAt={i => commits[i].oid}
          rowHeight={ROW}
          maxHeight={480}
          onNearEnd={history.hasMore ? onNearEnd : undefined}
          rowClass={i =>
            commits[i].oid === history.selected ? 'cs-mod-selected' : ''
          }
          renderRow={i => {
            const commit = commits[i];
            return (
              <div className="cs-Git-logRow">
                <Graph
                  row={rows[i]}
                  height={ROW}
                  lanes={lanes}
                  merge={commit.parents.length > 1}
                />
                <button
                  type="button"
                  className="cs-Git-commitButton"
                  aria-pressed={commit.oid === history.selected}
                  title={`${commit.oid.slice(0, 7)} — ${commit.author}, ${when(commit.date)}`}
                  onClick={() =>
                    void history.select(
                      commit.oid === history.selected ? null : commit.oid
                    )
                  }
                >
                  {commit.refs.map(ref => (
                    <span
                      key={ref.name}
                      className={`cs-Git-ref cs-mod-${ref.kind}`}
                    >
                      {ref.name}
                    </span>
                  ))}
                  <span className="cs-Git-subject">{commit.subject}</span>
                </button>
              </div>
            );
          }}
        />
      )}
      {details ? (
        <div
          className="cs-Git-commitDetails"
          aria-label={trans.__('Commit %1', details.oid.slice(0, 7))}
          role="region"
        >
          <div className="cs-Git-commitMeta">
            <code>{details.oid.slice(0, 7)}</code> {details.author} ·{' '}
            {when(details.date)}
          </div>
          <pre className="cs-Git-message">{details.message}</pre>
          <ul className="cs-Git-commitFiles" aria-label={trans.__('Files')}>
            {details.files.map(f => (
              <li key={f.file}>
                <button
                  type="button"
                  className="cs-Git-link"
                  aria-label={trans.__(
                    'Show the changes of %1 in this commit',
                    f.file
                  )}
                  onClick={() =>
                    actions.openCommitFile(
                      details.oid,
                      details.parents[0] ?? null,
                      f.file
                    )
                  }
                >
                  {f.file}
                </button>
                {f.additions !== null ? (
                  <span className="cs-Git-adds">+{f.additions}</span>
                ) : null}
                {f.deletions !== null ? (
                  <span className="cs-Git-dels">−{f.deletions}</span>
                ) : null}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}
