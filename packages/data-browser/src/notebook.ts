import { Notebook, NotebookActions } from '@jupyterlab/notebook';
import type { ITranslator } from '@jupyterlab/translation';

/**
 * Insert a code cell with `source` below the active cell of `notebook` (or
 * fill the active cell when it is an empty code cell, as in a new notebook).
 */
export function insertCodeCell(
  notebook: Notebook,
  source: string,
  translator?: ITranslator
): void {
  const active = notebook.activeCell;
  const reuse =
    !!active &&
    active.model.type === 'code' &&
    active.model.sharedModel.getSource().trim() === '' &&
    notebook.widgets.length === 1;
  if (!reuse) {
    NotebookActions.insertBelow(notebook);
    if (notebook.activeCell && notebook.activeCell.model.type !== 'code') {
      NotebookActions.changeCellType(notebook, 'code', translator);
    }
  }
  notebook.activeCell?.model.sharedModel.setSource(source);
}
