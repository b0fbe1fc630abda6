/**
 * "Which formats should the code open?": real granules carry several data
 * files of mixed formats (a TELLUS granule has a .nc, a .tif and a .txt), each
 * opened by its own reader. When the code answer lists more than one format,
 * Insert code asks with one checkbox per format (all checked), then asks the
 * server for code that opens the chosen ones.
 */
import { Dialog, showDialog } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';

import type { Code } from './types';

export type CodeFormat = Code['formats'][number];

let nextId = 0;

/**
 * The dialog's body: a group of checkboxes, one a format ("NetCDF / HDF5 —
 * 3 files"), and what the code leaves out. Choosing none is an error that
 * keeps the dialog from being accepted.
 */
export class FormatsBody
  extends Widget
  implements Dialog.IBodyWidget<string[]>
{
  constructor(code: Code, trans: TranslationBundle) {
    super();
    this.addClass('cs-FormatsDialog');
    const group = document.createElement('fieldset');
    group.className = 'cs-FormatsDialog-group';
    const legend = document.createElement('legend');
    legend.className = 'cs-FormatsDialog-legend';
    legend.textContent = trans.__(
      'The selection holds files of %1 formats; the code opens each format with its own reader.',
      code.formats.length
    );
    group.appendChild(legend);
    for (const format of code.formats) {
      const label = document.createElement('label');
      label.className = 'cs-FormatsDialog-format';
      label.dataset.format = format.id;
      const box = document.createElement('input');
      box.type = 'checkbox';
      box.value = format.id;
      box.checked = true;
      const text = document.createElement('span');
      text.textContent = trans._n(
        '%2 (%1 file)',
        '%2 (%1 files)',
        format.files,
        format.label
      );
      label.append(box, text);
      group.appendChild(label);
      this._boxes.push(box);
    }
    this._error = document.createElement('div');
    this._error.className = 'cs-FormatsDialog-error';
    this._error.id = `cs-FormatsDialog-error-${nextId++}`;
    this._error.setAttribute('role', 'alert');
    group.setAttribute('aria-describedby', this._error.id);
    this.node.append(group, this._error);
    const others = code.left_out;
    if (others.length > 0) {
      const note = document.createElement('p');
      note.className = 'cs-FormatsDialog-leftOut';
      note.textContent = trans._n(
        '%1 other file is left out: %2.',
        '%1 other files are left out: %2.',
        others.length,
        leftOutSummary(others)
      );
      this.node.appendChild(note);
    }
    group.addEventListener('change', () => this._check(trans));
  }

  /**
   * The ids of the checked formats, in the answer's order.
   */
  getValue(): string[] {
    return this._boxes.filter(box => box.checked).map(box => box.value);
  }

  private _check(trans: TranslationBundle): void {
    const none = this.getValue().length === 0;
    this.node.classList.toggle('jp-mod-error', none);
    this._error.textContent = none
      ? trans.__('Choose at least one format to open.')
      : '';
    // the dialog checks its validity on `input`, which comes before `change`:
    // tell it again now that the error is set (or cleared)
    this.node.dispatchEvent(new Event('input', { bubbles: true }));
  }

  private _boxes: HTMLInputElement[] = [];
  private _error: HTMLElement;
}

/**
 * "checksum: a.sha256; metadata: a.xml, b.xml" (at most 3 names a reason).
 */
export function leftOutSummary(leftOut: Code['left_out']): string {
  const byReason = new Map<string, string[]>();
  for (const file of leftOut) {
    const names = byReason.get(file.reason) ?? [];
    names.push(file.name);
    byReason.set(file.reason, names);
  }
  return Array.from(byReason, ([reason, names]) => {
    const shown = names.slice(0, 3).join(', ');
    const more = names.length > 3 ? ', …' : '';
    return `${reason}: ${shown}${more}`;
  }).join('; ');
}

/**
 * Ask which formats to open. Resolves the chosen ids, or `null` when the user
 * cancelled.
 */
export async function chooseFormats(
  code: Code,
  trans: TranslationBundle
): Promise<string[] | null> {
  const result = await showDialog({
    title: trans.__('Open which formats?'),
    body: new FormatsBody(code, trans),
    focusNodeSelector: 'input[type="checkbox"]',
    buttons: [
      Dialog.cancelButton({ label: trans.__('Cancel') }),
      Dialog.okButton({ label: trans.__('Insert code') })
    ]
  });
  if (!result.button.accept || !result.value || result.value.length === 0) {
    return null;
  }
  return result.value;
}
