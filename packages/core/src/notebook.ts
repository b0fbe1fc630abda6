import type { JupyterFrontEnd } from '@jupyterlab/application';
import { Clipboard, Notification } from '@jupyterlab/apputils';
import {
  INotebookTracker,
  Notebook,
  NotebookActions,
  NotebookPanel
} from '@jupyterlab/notebook';
import type { ITranslator, TranslationBundle } from '@jupyterlab/translation';

/**
 * Insert a code cell with `source` below the active cell of `notebook` (or
 * fill the active cell when it is an empty code cell, as in a new notebook,
 * unless `reuseEmpty` is `false`).
 */
export function insertCodeCell(
  notebook: Notebook,
  source: string,
  translator?: ITranslator,
  options: { reuseEmpty?: boolean } = {}
): void {
  const active = notebook.activeCell;
  const reuse =
    options.reuseEmpty !== false &&
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

/**
 * Insert `source` as a code cell into the current notebook and bring it to the
 * front; without an open notebook, say so and offer a new notebook (with the
 * code in it) or copying the code.
 */
export async function insertIntoCurrentNotebook(
  app: JupyterFrontEnd,
  notebooks: INotebookTracker | null,
  source: string,
  trans: TranslationBundle,
  translator?: ITranslator
): Promise<void> {
  const insertInto = async (panel: NotebookPanel) => {
    await panel.context.ready;
    insertCodeCell(panel.content, source, translator);
    app.shell.activateById(panel.id);
  };
  const current = notebooks?.currentWidget ?? null;
  if (current) {
    await insertInto(current);
    return;
  }
  Notification.warning(trans.__('Open a notebook to insert the code into.'), {
    autoClose: 10000,
    actions: [
      {
        label: trans.__('New notebook'),
        callback: async () => {
          const created = (await app.commands.execute(
            'notebook:create-new'
          )) as NotebookPanel | undefined;
          if (created) {
            await insertInto(created);
          }
        }
      },
      {
        label: trans.__('Copy code'),
        callback: () => Clipboard.copyToSystem(source)
      }
    ]
  });
}
