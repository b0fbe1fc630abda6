/**
 * A side-by-side text diff: the old version on the left, the new on the right,
 * each with its line numbers, removed and added lines coloured with the
 * theme's diff colours, one header row per hunk. Removed lines are paired with
 * the added lines that replace them, so a changed line reads across one row.
 *
 * Long diffs are capped (a notebook with a 20 MB CSV pasted in would otherwise
 * build hundreds of thousands of rows): the first `rowLimit` rows show, and a
 * button shows the next ones. Every line is a React text node (diff lines come
 * from files anyone could have committed).
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import type { IDiffHunk, IDiffLine } from './types';

/**
 * Rows shown before "Show more" (and added by each click).
 */
export const ROW_LIMIT = 2000;

/**
 * One side of a row: a line of the old or of the new version.
 */
export interface ISideLine {
  number: number | null;
  text: string;
  kind: 'context' | 'add' | 'del';
  /** The last line of its side, without a newline. */
  noEol?: boolean;
}

/**
 * One row of the side-by-side view; `null` is a blank cell (the line has no
 * counterpart on that side).
 */
export interface IDiffRow {
  left: ISideLine | null;
  right: ISideLine | null;
}

/**
 * Lay a hunk out in rows: context lines on both sides, each run of removed
 * lines beside the run of added lines that follows it.
 */
export function sideBySide(hunk: IDiffHunk): IDiffRow[] {
  const rows: IDiffRow[] = [];
  let dels: IDiffLine[] = [];
  let adds: IDiffLine[] = [];
  const flush = () => {
    const count = Math.max(dels.length, adds.length);
    for (let i = 0; i < count; i++) {
      const del = dels[i];
      const add = adds[i];
      rows.push({
        left: del
          ? { number: del.old, text: del.text, kind: 'del', noEol: del.no_eol }
          : null,
        right: add
          ? { number: add.new, text: add.text, kind: 'add', noEol: add.no_eol }
          : null
      });
    }
    dels = [];
    adds = [];
  };
  for (const line of hunk.lines) {
    if (line.kind === 'del') {
      if (adds.length) {
        flush();
      }
      dels.push(line);
    } else if (line.kind === 'add') {
      adds.push(line);
    } else {
      flush();
      rows.push({
        left: {
          number: line.old,
          text: line.text,
          kind: 'context',
          noEol: line.no_eol
        },
        right: {
          number: line.new,
          text: line.text,
          kind: 'context',
          noEol: line.no_eol
        }
      });
    }
  }
  flush();
  return rows;
}

/**
 * Lines added and removed by `hunks`.
 */
export function diffStats(hunks: IDiffHunk[]): {
  added: number;
  removed: number;
} {
  let added = 0;
  let removed = 0;
  for (const hunk of hunks) {
    for (const line of hunk.lines) {
      if (line.kind === 'add') {
        added++;
      } else if (line.kind === 'del') {
        removed++;
      }
    }
  }
  return { added, removed };
}

/**
 * A whole text as one hunk of added (or removed) lines: a notebook cell that
 * was added or removed shows as a diff against nothing.
 */
export function wholeTextHunk(text: string, kind: 'add' | 'del'): IDiffHunk {
  const parts = text.length ? text.replace(/\n$/, '').split('\n') : [];
  const lines: IDiffLine[] = parts.map((part, i) => ({
    kind,
    text: part,
    old: kind === 'del' ? i + 1 : null,
    new: kind === 'add' ? i + 1 : null
  }));
  const count = lines.length;
  return {
    header:
      kind === 'add' ? `@@ -0,0 +1,${count} @@` : `@@ -1,${count} +0,0 @@`,
    old_start: kind === 'del' ? 1 : 0,
    old_lines: kind === 'del' ? count : 0,
    new_start: kind === 'add' ? 1 : 0,
    new_lines: kind === 'add' ? count : 0,
    lines
  };
}

function Side(props: {
  line: ISideLine | null;
  side: 'old' | 'new';
  trans: TranslationBundle;
}): JSX.Element {
  const { line, side, trans } = props;
  if (!line) {
    return (
      <>
        <td className="cs-GitDiff-num cs-mod-empty" data-side={side} />
        <td className="cs-GitDiff-code cs-mod-empty" data-side={side} />
      </>
    );
  }
  const marker =
    line.kind === 'add'
      ? trans.__('added')
      : line.kind === 'del'
        ? trans.__('removed')
        : '';
  return (
    <>
      <td className={`cs-GitDiff-num cs-mod-${line.kind}`} data-side={side}>
        {line.number ?? ''}
      </td>
      <td className={`cs-GitDiff-code cs-mod-${line.kind}`} data-side={side}>
        {marker ? <span className="cs-GitDiff-srOnly">{marker}: </span> : null}
        <span className="cs-GitDiff-text">{line.text}</span>
        {line.noEol ? (
          <span
            className="cs-GitDiff-noEol"
            title={trans.__('No newline at the end of the file')}
          >
            {' '}
            {trans.__('(no newline at end)')}
          </span>
        ) : null}
      </td>
    </>
  );
}

/**
 * The side-by-side table of `hunks`.
 */
export function TextDiff(props: {
  hunks: IDiffHunk[];
  trans: TranslationBundle;
  /** Column headings (for example "Last commit" and "Working copy"). */
  oldLabel: string;
  newLabel: string;
  /** What the table is, for screen readers. */
  label: string;
  /** Rows shown before "Show more" (default `ROW_LIMIT`). */
  rowLimit?: number;
}): JSX.Element {
  const { hunks, trans } = props;
  const step = props.rowLimit ?? ROW_LIMIT;
  const [limit, setLimit] = React.useState(step);
  const laidOut = React.useMemo(
    () => hunks.map(hunk => ({ hunk, rows: sideBySide(hunk) })),
    [hunks]
  );
  const total = laidOut.reduce((sum, { rows }) => sum + rows.length, 0);
  let budget = limit;
  const bodies: JSX.Element[] = [];
  laidOut.forEach(({ hunk, rows }, index) => {
    if (budget <= 0) {
      return;
    }
    const shown = rows.slice(0, budget);
    budget -= shown.length;
    bodies.push(
      <tbody key={index} className="cs-GitDiff-hunk" data-hunk={index}>
        <tr className="cs-GitDiff-hunkHeader">
          <th colSpan={4} scope="rowgroup">
            {hunk.header}
          </th>
        </tr>
        {shown.map((row, i) => (
          <tr key={i} className="cs-GitDiff-row">
            <Side line={row.left} side="old" trans={trans} />
            <Side line={row.right} side="new" trans={trans} />
          </tr>
        ))}
      </tbody>
    );
  });
  const hidden = total - Math.min(total, limit);
  return (
    <div className="cs-GitDiff-sideBySide">
      <table className="cs-GitDiff-table" aria-label={props.label}>
        <colgroup data-side="old">
          <col className="cs-GitDiff-numCol" />
          <col className="cs-GitDiff-codeCol" />
        </colgroup>
        <colgroup data-side="new">
          <col className="cs-GitDiff-numCol" />
          <col className="cs-GitDiff-codeCol" />
        </colgroup>
        <thead>
          <tr className="cs-GitDiff-sides">
            <th colSpan={2} scope="colgroup" data-side="old">
              {props.oldLabel}
            </th>
            <th colSpan={2} scope="colgroup" data-side="new">
              {props.newLabel}
            </th>
          </tr>
        </thead>
        {bodies}
      </table>
      {hidden > 0 ? (
        <div className="cs-GitDiff-more">
          <span>
            {trans._n(
              '%1 more line not shown.',
              '%1 more lines not shown.',
              hidden
            )}
          </span>
          <button
            type="button"
            className="jp-Button jp-mod-styled jp-mod-reject"
            onClick={() => setLimit(limit + step)}
          >
            {trans.__('Show %1 more', Math.min(step, hidden))}
          </button>
          <button
            type="button"
            className="jp-Button jp-mod-styled jp-mod-reject"
            onClick={() => setLimit(total)}
          >
            {trans.__('Show all')}
          </button>
        </div>
      ) : null}
    </div>
  );
}
