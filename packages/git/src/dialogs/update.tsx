/**
 * What "Update the tutorial" did, in plain words: the server's one-line
 * summary, then each list of files (updated from the tutorial, new from the
 * tutorial, the learner's own changes kept, files kept under a new name
 * because the tutorial added one with the same name, files brought back), and
 * the backup branch when one was made. Long lists are cut with "and N more".
 */
import { Dialog, showDialog } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

/**
 * The result of the `git-update` job.
 */
export interface IUpdateResult {
  up_to_date: boolean;
  /** The tutorial changed them, the learner had not. */
  changed: string[];
  /** The tutorial added them. */
  added: string[];
  /** Both changed them: the learner's edits kept. */
  kept: string[];
  /** The learner's untracked files moved to make room for the tutorial's. */
  renamed: Array<{ file: string; to: string }>;
  /** Deleted by the learner, brought back because the tutorial changed them. */
  restored: string[];
  /** Deleted by the learner, unchanged by the tutorial: still deleted. */
  still_deleted: string[];
  /** Removed by the tutorial (the learner had not changed them). */
  removed: string[];
  /** The tutorial's version written beside the learner's, as `to`. */
  beside: Array<{ file: string; to: string }>;
  summary: string;
  backup_branch: string | null;
}

/**
 * Files listed per section before "and N more".
 */
export const LIST_LIMIT = 20;

function Section(props: {
  title: string;
  explanation: string;
  items: string[];
  trans: TranslationBundle;
  kind: string;
}): JSX.Element | null {
  const { items, trans } = props;
  if (!items.length) {
    return null;
  }
  const shown = items.slice(0, LIST_LIMIT);
  return (
    <section className="cs-GitUpdate-section" data-kind={props.kind}>
      <h3 className="cs-GitUpdate-title">
        {props.title} ({items.length})
      </h3>
      <p className="cs-GitDialog-note">{props.explanation}</p>
      <ul className="cs-GitUpdate-files">
        {shown.map((item, i) => (
          <li key={i} className="cs-GitUpdate-file">
            {item}
          </li>
        ))}
      </ul>
      {items.length > shown.length ? (
        <p className="cs-GitDialog-note">
          {trans.__('and %1 more', items.length - shown.length)}
        </p>
      ) : null}
    </section>
  );
}

/**
 * The result with every list present (an older server may leave some out).
 */
function complete(result: Partial<IUpdateResult>): IUpdateResult {
  return {
    up_to_date: result.up_to_date ?? false,
    changed: result.changed ?? [],
    added: result.added ?? [],
    kept: result.kept ?? [],
    renamed: result.renamed ?? [],
    restored: result.restored ?? [],
    still_deleted: result.still_deleted ?? [],
    removed: result.removed ?? [],
    beside: result.beside ?? [],
    summary: result.summary ?? '',
    backup_branch: result.backup_branch ?? null
  };
}

export function UpdateResult(props: {
  result: Partial<IUpdateResult>;
  trans: TranslationBundle;
}): JSX.Element {
  const { trans } = props;
  const result = complete(props.result);
  const nothing =
    result.up_to_date ||
    (!result.changed.length &&
      !result.added.length &&
      !result.kept.length &&
      !result.renamed.length &&
      !result.restored.length &&
      !result.removed.length &&
      !result.beside.length);
  const pairs = (items: Array<{ file: string; to: string }>) =>
    items.map(({ file, to }) => trans.__('%1 → %2', file, to));
  return (
    <div className="cs-GitUpdate">
      <p className="cs-GitUpdate-summary">
        {result.summary ||
          (nothing
            ? trans.__('Your copy of the tutorial was already up to date.')
            : trans.__('The tutorial was updated.'))}
      </p>
      <Section
        kind="changed"
        title={trans.__('Updated from the tutorial')}
        explanation={trans.__(
          'You had not changed these files, so they now have the new version.'
        )}
        items={result.changed}
        trans={trans}
      />
      <Section
        kind="added"
        title={trans.__('New in the tutorial')}
        explanation={trans.__('These files were added by the instructors.')}
        items={result.added}
        trans={trans}
      />
      <Section
        kind="kept"
        title={trans.__('Your changes, kept')}
        explanation={trans.__(
          "You and the tutorial both changed these files: your edits stay, and the tutorial's other changes were brought in."
        )}
        items={result.kept}
        trans={trans}
      />
      <Section
        kind="beside"
        title={trans.__("The tutorial's version, beside yours")}
        explanation={trans.__(
          "Some of your edits and the tutorial's could not be combined: your file stays as it was, and the tutorial's version was saved next to it under the second name."
        )}
        items={pairs(result.beside)}
        trans={trans}
      />
      <Section
        kind="renamed"
        title={trans.__('Kept under a new name')}
        explanation={trans.__(
          'The tutorial brought a file with the same name as one of yours: yours was moved to the new name, nothing was overwritten.'
        )}
        items={pairs(result.renamed)}
        trans={trans}
      />
      <Section
        kind="restored"
        title={trans.__('Brought back')}
        explanation={trans.__(
          'You had deleted these files, and the tutorial changed them: they are back, with the new version.'
        )}
        items={result.restored}
        trans={trans}
      />
      <Section
        kind="removed"
        title={trans.__('Removed by the tutorial')}
        explanation={trans.__(
          'The instructors removed these files, and you had not changed them.'
        )}
        items={result.removed}
        trans={trans}
      />
      <Section
        kind="still_deleted"
        title={trans.__('Still deleted')}
        explanation={trans.__(
          'You had deleted these files and the tutorial did not change them, so they stay deleted.'
        )}
        items={result.still_deleted}
        trans={trans}
      />
      {result.backup_branch ? (
        <p className="cs-GitDialog-note cs-GitUpdate-backup">
          {trans.__(
            'A copy of your work before the update is kept on the branch "%1".',
            result.backup_branch
          )}
        </p>
      ) : null}
    </div>
  );
}

/**
 * Show the result of "Update the tutorial".
 */
export async function showUpdateResult(
  trans: TranslationBundle,
  result: Partial<IUpdateResult>
): Promise<void> {
  await showDialog({
    title: trans.__('Tutorial updated'),
    body: <UpdateResult result={result} trans={trans} />,
    buttons: [Dialog.okButton({ label: trans.__('OK') })]
  });
}
