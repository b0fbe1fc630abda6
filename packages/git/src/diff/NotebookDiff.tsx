/**
 * A notebook diff cell by cell, as the server matched the cells (by id, then
 * by source similarity): runs of unchanged cells collapse into one line that
 * opens on demand, a modified cell shows its source side by side, an added or
 * removed cell shows all its lines as added or removed. Outputs and metadata
 * are compared by the server but only named ("outputs changed"): a diff of
 * base64 PNGs and execution counts helps nobody, and raw notebook JSON is
 * never shown.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { TextDiff, wholeTextHunk } from './TextDiff';
import type { ICellDiff, INotebookDiff } from './types';

/**
 * A cell and where it sits: its number in the new notebook (`null` for a
 * removed cell) and in the old one (`null` for an added cell).
 */
interface IPlacedCell {
  cell: ICellDiff;
  oldNumber: number | null;
  newNumber: number | null;
}

type Block =
  | { kind: 'unchanged'; cells: IPlacedCell[] }
  | { kind: 'changed'; placed: IPlacedCell };

/**
 * Number the cells and group consecutive unchanged ones.
 */
export function notebookBlocks(cells: ICellDiff[]): Block[] {
  const blocks: Block[] = [];
  let oldCount = 0;
  let newCount = 0;
  for (const cell of cells) {
    const placed: IPlacedCell = {
      cell,
      oldNumber: cell.status === 'added' ? null : ++oldCount,
      newNumber: cell.status === 'removed' ? null : ++newCount
    };
    const last = blocks[blocks.length - 1];
    if (cell.status === 'unchanged') {
      if (last && last.kind === 'unchanged') {
        last.cells.push(placed);
      } else {
        blocks.push({ kind: 'unchanged', cells: [placed] });
      }
    } else {
      blocks.push({ kind: 'changed', placed });
    }
  }
  return blocks;
}

function cellTypeLabel(trans: TranslationBundle, type: string): string {
  switch (type) {
    case 'code':
      return trans.__('code');
    case 'markdown':
      return trans.__('markdown');
    case 'raw':
      return trans.__('raw');
    default:
      return type;
  }
}

function statusLabel(trans: TranslationBundle, cell: ICellDiff): string {
  switch (cell.status) {
    case 'added':
      return trans.__('added');
    case 'removed':
      return trans.__('removed');
    case 'modified':
      return trans.__('modified');
    default:
      return trans.__('unchanged');
  }
}

function cellTitle(trans: TranslationBundle, placed: IPlacedCell): string {
  const { cell } = placed;
  const type = cellTypeLabel(trans, cell.cell_type);
  if (cell.status === 'removed') {
    return trans.__('Cell %1 (%2), removed', placed.oldNumber ?? '', type);
  }
  return trans.__(
    'Cell %1 (%2), %3',
    placed.newNumber ?? '',
    type,
    statusLabel(trans, cell)
  );
}

function Notes(props: {
  cell: ICellDiff;
  trans: TranslationBundle;
}): JSX.Element | null {
  const { cell, trans } = props;
  const notes: string[] = [];
  if (cell.outputs_changed) {
    notes.push(trans.__('Outputs changed (not shown).'));
  }
  if (cell.metadata_changed) {
    notes.push(trans.__('Cell metadata changed.'));
  }
  if (!notes.length) {
    return null;
  }
  return (
    <ul className="cs-GitNbDiff-notes">
      {notes.map(note => (
        <li key={note} className="cs-GitNbDiff-note">
          {note}
        </li>
      ))}
    </ul>
  );
}

function ChangedCell(props: {
  placed: IPlacedCell;
  trans: TranslationBundle;
  oldLabel: string;
  newLabel: string;
}): JSX.Element {
  const { placed, trans } = props;
  const { cell } = placed;
  const title = cellTitle(trans, placed);
  let hunks = cell.hunks;
  if (cell.status === 'added' && !hunks.length && cell.new_source) {
    hunks = [wholeTextHunk(cell.new_source, 'add')];
  } else if (cell.status === 'removed' && !hunks.length && cell.old_source) {
    hunks = [wholeTextHunk(cell.old_source, 'del')];
  }
  return (
    <section
      className={`cs-GitNbDiff-cell cs-mod-${cell.status}`}
      data-status={cell.status}
      aria-label={title}
    >
      <h3 className="cs-GitNbDiff-cellTitle">{title}</h3>
      {hunks.length ? (
        <TextDiff
          hunks={hunks}
          trans={trans}
          oldLabel={props.oldLabel}
          newLabel={props.newLabel}
          label={trans.__('Source of %1', title)}
        />
      ) : cell.status === 'modified' ? (
        <p className="cs-GitNbDiff-same">{trans.__('Source unchanged.')}</p>
      ) : (
        <p className="cs-GitNbDiff-same">{trans.__('Empty cell.')}</p>
      )}
      <Notes cell={cell} trans={trans} />
    </section>
  );
}

function UnchangedCells(props: {
  cells: IPlacedCell[];
  trans: TranslationBundle;
}): JSX.Element {
  const { cells, trans } = props;
  const [open, setOpen] = React.useState(false);
  const first = cells[0].newNumber;
  const last = cells[cells.length - 1].newNumber;
  const range =
    cells.length === 1
      ? trans.__('cell %1', first ?? '')
      : trans.__('cells %1–%2', first ?? '', last ?? '');
  return (
    <div className="cs-GitNbDiff-unchanged" data-count={cells.length}>
      <button
        type="button"
        className="cs-GitNbDiff-toggle"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
      >
        <span className="cs-GitNbDiff-caret" aria-hidden="true">
          {open ? '▾' : '▸'}
        </span>
        {trans._n(
          '%1 unchanged cell (%2)',
          '%1 unchanged cells (%2)',
          cells.length,
          range
        )}
      </button>
      {open ? (
        <div className="cs-GitNbDiff-unchangedCells">
          {cells.map(({ cell, newNumber }, i) => (
            <div key={i} className="cs-GitNbDiff-plain">
              <div className="cs-GitNbDiff-plainTitle">
                {trans.__(
                  'Cell %1 (%2)',
                  newNumber ?? '',
                  cellTypeLabel(trans, cell.cell_type)
                )}
              </div>
              <pre className="cs-GitNbDiff-source">
                {cell.new_source ?? cell.old_source ?? ''}
              </pre>
              <Notes cell={cell} trans={trans} />
            </div>
          ))}
        </div>
      ) : null}
    </div>
  );
}

/**
 * The cell-by-cell view of a notebook diff.
 */
export function NotebookDiff(props: {
  notebook: INotebookDiff;
  trans: TranslationBundle;
  oldLabel: string;
  newLabel: string;
}): JSX.Element {
  const { notebook, trans } = props;
  const blocks = React.useMemo(
    () => notebookBlocks(notebook.cells),
    [notebook]
  );
  const changed = notebook.cells.filter(c => c.status !== 'unchanged').length;
  return (
    <div className="cs-GitNbDiff">
      <p className="cs-GitNbDiff-summary" role="status">
        {changed
          ? trans._n(
              '%1 cell changed out of %2.',
              '%1 cells changed out of %2.',
              changed,
              notebook.cells.length
            )
          : trans.__('No cell changed.')}
        {notebook.metadata_changed
          ? ' ' + trans.__('The notebook metadata changed.')
          : ''}
      </p>
      {blocks.map((block, i) =>
        block.kind === 'unchanged' ? (
          <UnchangedCells key={i} cells={block.cells} trans={trans} />
        ) : (
          <ChangedCell
            key={i}
            placed={block.placed}
            trans={trans}
            oldLabel={props.oldLabel}
            newLabel={props.newLabel}
          />
        )
      )}
    </div>
  );
}
