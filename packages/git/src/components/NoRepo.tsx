import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { EmptyState } from '@cloudscapes/core';

import type { IRepoInfo } from '../api';
import { INITIALIZING } from '../model';
import type { GitModel } from '../model';
import type { IPanelActions } from '../tokens';

/**
 * The file browser's folder is in no repository (or in one above the
 * server's root, which the panel does not enter): what a repository is, and
 * the two ways to get one, Clone (a copy of a tutorial or a project) and
 * Init (start tracking this folder).
 */
export function NoRepo(props: {
  repo: IRepoInfo;
  model: GitModel;
  trans: TranslationBundle;
  actions: IPanelActions;
}): JSX.Element {
  const { repo, model, trans, actions } = props;
  if (repo.above_root) {
    return (
      <EmptyState title={trans.__('This folder is inside a larger repository')}>
        <p>
          {trans.__(
            'The repository starts above the folder this server shows (for example your home folder is inside it), so the Git panel does not work on it. Open a folder that is its own repository, or clone one.'
          )}
        </p>
        <button
          type="button"
          className="jp-Button jp-mod-styled jp-mod-accept cs-Git-clone"
          onClick={() => actions.clone()}
        >
          {trans.__('Clone a repository…')}
        </button>
      </EmptyState>
    );
  }
  const where = model.path ? model.path : trans.__('the top folder');
  return (
    <EmptyState title={trans.__('Not a git repository')}>
      <p>
        {trans.__(
          'The folder %1 (open in the file browser) is not in a git repository. A repository keeps the history of its files: each commit is a saved version you can go back to and share.',
          where
        )}
      </p>
      <div className="cs-Git-noRepoActions">
        <button
          type="button"
          className="jp-Button jp-mod-styled jp-mod-accept cs-Git-clone"
          onClick={() => actions.clone()}
        >
          {trans.__('Clone a repository…')}
        </button>
        <button
          type="button"
          className="jp-Button jp-mod-styled cs-Git-init"
          disabled={model.isBusy(INITIALIZING)}
          onClick={() => actions.init()}
        >
          {trans.__('Make this folder a repository')}
        </button>
      </div>
      <p className="cs-Git-hint">
        {trans.__(
          'Clone copies a repository (a tutorial, a project on GitHub) into a new folder here.'
        )}
      </p>
    </EmptyState>
  );
}
