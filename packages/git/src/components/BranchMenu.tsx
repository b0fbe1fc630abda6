import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import type { GitModel } from '../model';
import type { IPanelActions } from '../tokens';

/**
 * Branches and tags: the current branch, the others with switch, merge,
 * rename and delete, the remote ones (switching to one makes a local branch
 * that follows it), and the tags.
 */
export function BranchMenu(props: {
  model: GitModel;
  trans: TranslationBundle;
  actions: IPanelActions;
}): JSX.Element {
  const { model, trans, actions } = props;
  const refs = model.refs;
  const branches = refs.branches;
  const local = branches?.branches.filter(b => !b.remote) ?? [];
  const remote = branches?.branches.filter(b => b.remote) ?? [];
  const current = branches?.current ?? null;
  return (
    <section className="cs-Git-section cs-Git-branches">
      <div className="cs-Git-sectionHeader">
        <h3>{trans.__('Branches')}</h3>
        <button
          type="button"
          className="jp-Button jp-mod-styled cs-Git-newBranch"
          onClick={() => actions.createBranch()}
        >
          {trans.__('New branch…')}
        </button>
      </div>
      <p className="cs-Git-hint">
        {trans.__(
          'A branch is a line of work: commits go to the current branch. Switch to try something apart, merge to bring it back.'
        )}
      </p>
      <ul className="cs-Git-refList" aria-label={trans.__('Local branches')}>
        {local.map(b => (
          <li
            key={b.name}
            className={b.name === current ? 'cs-mod-current' : ''}
            aria-current={b.name === current ? 'true' : undefined}
          >
            <span className="cs-Git-refName" title={b.subject}>
              {b.name}
            </span>
            {b.name === current ? (
              <span className="cs-Git-refCurrent">{trans.__('current')}</span>
            ) : (
              <>
                <button
                  type="button"
                  className="jp-Button jp-mod-minimal cs-Git-switch"
                  aria-label={trans.__('Switch to %1', b.name)}
                  onClick={() => actions.switchBranch(b.name)}
                >
                  {trans.__('Switch')}
                </button>
                <button
                  type="button"
                  className="jp-Button jp-mod-minimal cs-Git-merge"
                  aria-label={trans.__(
                    'Merge %1 into the current branch',
                    b.name
                  )}
                  onClick={() => actions.mergeBranch(b.name)}
                >
                  {trans.__('Merge')}
                </button>
                <button
                  type="button"
                  className="jp-Button jp-mod-minimal cs-Git-delete"
                  aria-label={trans.__('Delete %1', b.name)}
                  onClick={() => actions.deleteBranch(b.name)}
                >
                  <span aria-hidden="true">✕</span>
                </button>
              </>
            )}
            <button
              type="button"
              className="jp-Button jp-mod-minimal cs-Git-rename"
              aria-label={trans.__('Rename %1', b.name)}
              onClick={() => actions.renameBranch(b.name)}
            >
              <span aria-hidden="true">✎</span>
            </button>
          </li>
        ))}
      </ul>
      {remote.length ? (
        <>
          <h4>{trans.__('On the remote')}</h4>
          <ul
            className="cs-Git-refList"
            aria-label={trans.__('Remote branches')}
          >
            {remote.map(b => (
              <li key={b.name}>
                <span className="cs-Git-refName" title={b.subject}>
                  {b.name}
                </span>
                <button
                  type="button"
                  className="jp-Button jp-mod-minimal cs-Git-switch"
                  aria-label={trans.__('Switch to %1', b.name)}
                  onClick={() => actions.switchBranch(b.name)}
                >
                  {trans.__('Switch')}
                </button>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <div className="cs-Git-sectionHeader">
        <h3>{trans.__('Tags')}</h3>
        <button
          type="button"
          className="jp-Button jp-mod-minimal cs-Git-newTag"
          onClick={() => actions.createTag()}
        >
          {trans.__('New tag…')}
        </button>
      </div>
      {refs.tags && refs.tags.length ? (
        <ul className="cs-Git-refList" aria-label={trans.__('Tags')}>
          {refs.tags.map(t => (
            <li key={t.name}>
              <span className="cs-Git-refName" title={t.subject}>
                {t.name}
              </span>
              <button
                type="button"
                className="jp-Button jp-mod-minimal cs-Git-delete"
                aria-label={trans.__('Delete tag %1', t.name)}
                onClick={() => actions.deleteTag(t.name)}
              >
                <span aria-hidden="true">✕</span>
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="cs-Git-hint">{trans.__('No tags.')}</p>
      )}
    </section>
  );
}
