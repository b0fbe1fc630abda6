import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { GitHubSignInCard } from '../github';
import type { GitModel } from '../model';
import type { IPanelActions } from '../tokens';

/**
 * Remotes (where Push and Pull go): each with its address (credentials
 * masked by the server) and remove; add one; and the GitHub sign-in card when
 * the admin configured GitHub.
 */
export function RemotesList(props: {
  model: GitModel;
  trans: TranslationBundle;
  actions: IPanelActions;
}): JSX.Element {
  const { model, trans, actions } = props;
  const remotes = model.refs.remotes ?? [];
  return (
    <section className="cs-Git-section cs-Git-remotes">
      <div className="cs-Git-sectionHeader">
        <h3>{trans.__('Remotes')}</h3>
        <button
          type="button"
          className="jp-Button jp-mod-minimal cs-Git-addRemote"
          onClick={() => actions.addRemote()}
        >
          {trans.__('Add…')}
        </button>
      </div>
      {remotes.length ? (
        <ul className="cs-Git-refList" aria-label={trans.__('Remotes')}>
          {remotes.map(r => (
            <li key={r.name}>
              <span className="cs-Git-refName">{r.name}</span>
              <span className="cs-Git-url" title={r.url}>
                {r.url}
              </span>
              <button
                type="button"
                className="jp-Button jp-mod-minimal cs-Git-delete"
                aria-label={trans.__('Remove remote %1', r.name)}
                onClick={() => actions.removeRemote(r.name)}
              >
                <span aria-hidden="true">✕</span>
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="cs-Git-hint">
          {trans.__(
            'No remote: this repository is only here. Add one (for example a new empty repository on GitHub) to push your commits.'
          )}
        </p>
      )}
      {model.github?.configured ? (
        <GitHubSignInCard api={model.api} trans={trans} />
      ) : null}
    </section>
  );
}
