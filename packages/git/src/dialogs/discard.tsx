/**
 * The confirmation before discarding changes: it names the files (as text)
 * and says plainly that this cannot be undone and that new files are deleted,
 * since `POST git/discard` throws the changes away for good.
 */
import { Dialog, showDialog } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { LIST_LIMIT } from './update';

export function DiscardBody(props: {
  files: string[];
  trans: TranslationBundle;
}): JSX.Element {
  const { files, trans } = props;
  const shown = files.slice(0, LIST_LIMIT);
  return (
    <div className="cs-GitDiscard">
      <p className="cs-GitDialog-note">
        {trans._n(
          'Your changes to this file will be thrown away. This cannot be undone; a new file that git does not track yet is deleted.',
          'Your changes to these %1 files will be thrown away. This cannot be undone; new files that git does not track yet are deleted.',
          files.length
        )}
      </p>
      <ul className="cs-GitDiscard-files">
        {shown.map((file, i) => (
          <li key={i}>{file}</li>
        ))}
      </ul>
      {files.length > shown.length ? (
        <p className="cs-GitDialog-note">
          {trans.__('and %1 more', files.length - shown.length)}
        </p>
      ) : null}
    </div>
  );
}

/**
 * Ask before discarding the changes of `files`; `true` to go ahead.
 */
export async function confirmDiscard(
  trans: TranslationBundle,
  files: string[]
): Promise<boolean> {
  if (!files.length) {
    return false;
  }
  const result = await showDialog({
    title: trans.__('Discard changes?'),
    body: <DiscardBody files={files} trans={trans} />,
    buttons: [
      Dialog.cancelButton({ label: trans.__('Cancel') }),
      Dialog.warnButton({ label: trans.__('Discard') })
    ],
    defaultButton: 0
  });
  return result.button.accept;
}
