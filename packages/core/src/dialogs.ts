import { Dialog, showDialog } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';

/**
 * A confirmation before something that cannot be undone (shut down a
 * cluster, stop the server, sign out).
 */
export interface IConfirmOptions {
  title: string;
  body: string;
  /**
   * The label of the warning button that goes ahead.
   */
  accept: string;
  /**
   * A choice that goes with the action (for example "Also revoke the token").
   */
  checkbox?: Partial<Dialog.ICheckbox>;
}

/**
 * Ask as every Cloudscapes confirmation asks: "Cancel" and a warning button.
 * Resolves `null` when the user did not go ahead, otherwise with whether the
 * checkbox (if any) was ticked.
 */
export async function confirmWarning(
  trans: TranslationBundle,
  options: IConfirmOptions
): Promise<{ checked: boolean } | null> {
  const result = await showDialog({
    title: options.title,
    body: options.body,
    ...(options.checkbox ? { checkbox: options.checkbox } : {}),
    buttons: [
      Dialog.cancelButton({ label: trans.__('Cancel') }),
      Dialog.warnButton({ label: options.accept })
    ]
  });
  return result.button.accept ? { checked: result.isChecked === true } : null;
}
