import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import type { GitModel } from '../model';
import type { IPanelActions } from '../tokens';

/**
 * Stashes: changes put aside (to switch branch or pull with a clean folder),
 * each to apply (keep the stash), pop (apply and drop) or drop.
 */
export function StashList(props: {
  model: GitModel;
  trans: TranslationBundle;
  actions: IPanelActions;
}): JSX.Element {
  const { model, trans, actions } = props;
  const stashes = model.refs.stashes ?? [];
  return (
    <section className="cs-Git-section cs-Git-stashes">
      <div className="cs-Git-sectionHeader">
        <h3>{trans.__('Stashes')}</h3>
        <button
          type="button"
          className="jp-Button jp-mod-styled cs-Git-stash"
          onClick={() => actions.stash()}
        >
          {trans.__('Stash changes…')}
        </button>
      </div>
      {stashes.length ? (
        <ul className="cs-Git-refList" aria-label={trans.__('Stashes')}>
          {stashes.map(s => (
            <li key={s.index}>
              <span className="cs-Git-refName" title={s.date ?? undefined}>
                {s.message}
              </span>
              <button
                type="button"
                className="jp-Button jp-mod-minimal cs-Git-apply"
                aria-label={trans.__('Apply stash %1 (keep it)', s.message)}
                onClick={() => actions.applyStash(s.index, false)}
              >
                {trans.__('Apply')}
              </button>
              <button
                type="button"
                className="jp-Button jp-mod-minimal cs-Git-pop"
                aria-label={trans.__(
                  'Pop stash %1 (apply and drop it)',
                  s.message
                )}
                onClick={() => actions.applyStash(s.index, true)}
              >
                {trans.__('Pop')}
              </button>
              <button
                type="button"
                className="jp-Button jp-mod-minimal cs-Git-delete"
                aria-label={trans.__('Drop stash %1', s.message)}
                onClick={() => actions.dropStash(s.index)}
              >
                <span aria-hidden="true">✕</span>
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="cs-Git-hint">
          {trans.__(
            'No stashes. Stashing puts your uncommitted changes aside so the folder matches the last commit; apply the stash to get them back.'
          )}
        </p>
      )}
    </section>
  );
}
