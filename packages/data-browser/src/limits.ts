import type { TranslationBundle } from '@jupyterlab/translation';

import { CloudscapesRequestError } from '@cloudscapes/core';

/**
 * Most granules or objects one code request may name (the server's limit).
 */
export const MAX_CODE_ITEMS = 100;

/**
 * Before an action on the selection (code, downloads) asks the server:
 * throw the error the banner shows when nothing is selected, or more than
 * the server takes. `tooMany` words the second case for the action (its
 * limit and the count are given to it), so each message stays one string
 * for translators.
 */
export function checkSelectionSize(
  count: number,
  trans: TranslationBundle,
  tooMany: (max: number, count: number) => [string, string]
): void {
  if (count === 0) {
    throw new CloudscapesRequestError(
      0,
      'nothing_selected',
      trans.__('Nothing is selected.'),
      trans.__('Select granules or objects with their checkboxes first.')
    );
  }
  if (count > MAX_CODE_ITEMS) {
    const [message, hint] = tooMany(MAX_CODE_ITEMS, count);
    throw new CloudscapesRequestError(0, 'too_many_selected', message, hint);
  }
}
