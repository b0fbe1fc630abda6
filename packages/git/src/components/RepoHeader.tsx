import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { ProgressBar, jobFraction } from '@cloudscapes/core';

import { urlHost } from '../jobs';
import type { GitModel, RemoteOp } from '../model';
import {
  aheadBehindWords,
  detachedExplanation,
  stateExplanation
} from '../status';
import type { IPanelActions } from '../tokens';

/**
 * How the learner knows the branch's remote: "GitHub" when it lives on the
 * configured GitHub host, else its name ("origin").
 */
export function remoteLabel(model: GitModel, trans: TranslationBundle): string {
  const remote = model.upstreamRemote ?? 'origin';
  const host = urlHost(model.refs.remoteUrl(remote));
  const github = model.github?.host?.toLowerCase();
  if (host && (host === github || host === 'github.com')) {
    return trans.__('GitHub');
  }
  return remote;
}

const OPS: RemoteOp[] = ['clone', 'fetch', 'pull', 'push', 'update'];

/**
 * The header of a repository: its name and branch, ahead/behind in words,
 * what a detached HEAD or a merge in progress means, the network buttons
 * (with the progress of the one running) and "Update the tutorial" when the
 * branch follows an upstream.
 */
export function RepoHeader(props: {
  model: GitModel;
  trans: TranslationBundle;
  actions: IPanelActions;
  onShowBranches: () => void;
}): JSX.Element {
  const { model, trans, actions } = props;
  const repo = model.repo!;
  const status = model.status;
  const branch = status?.branch ?? null;
  const where = remoteLabel(model, trans);
  const words = branch
    ? aheadBehindWords(branch, trans, where, repo.upstream_configured)
    : [];
  const detached = branch ? detachedExplanation(branch, trans) : null;
  const state = status
    ? stateExplanation(status.state, status.counts.conflicted, trans)
    : null;
  const running = OPS.map(op => model.runningJob(op)).find(Boolean) ?? null;
  const busy = (op: RemoteOp) =>
    model.isBusy(`#${op}`) || model.runningJob(op) !== null;
  const branchName = branch?.detached
    ? trans.__('detached at %1', (branch.oid ?? '').slice(0, 7))
    : (branch?.head ?? repo.branch ?? trans.__('no branch yet'));
  return (
    <div className="cs-Git-header">
      <div className="cs-Git-titleRow">
        <h2 className="cs-PanelTitle cs-Git-repoName" title={repo.path ?? ''}>
          {repo.name ?? repo.path}
        </h2>
        <button
          type="button"
          className="jp-Button jp-mod-minimal cs-Git-branch"
          aria-label={trans.__('Branch: %1. Show the branches', branchName)}
          title={trans.__('Branches, tags, stashes and remotes')}
          onClick={props.onShowBranches}
        >
          <span aria-hidden="true">⎇ </span>
          {branchName}
        </button>
      </div>
      {words.length ? (
        <ul className="cs-Git-aheadBehind" aria-label={trans.__('Remote')}>
          {words.map(text => (
            <li key={text}>{text}</li>
          ))}
        </ul>
      ) : branch && !branch.upstream && !branch.detached && branch.head ? (
        <div className="cs-Git-noUpstream">
          {trans.__('This branch is not on a remote yet: Push publishes it.')}
        </div>
      ) : null}
      {detached ? (
        <div className="cs-Git-explain cs-mod-warn" role="note">
          {detached}
        </div>
      ) : null}
      {state ? (
        <div className="cs-Git-explain cs-mod-warn" role="note">
          {state}
          {status?.state === 'merging' ? (
            <button
              type="button"
              className="jp-Button jp-mod-styled jp-mod-reject cs-Git-abortMerge"
              onClick={() => actions.abortMerge()}
            >
              {trans.__('Abort the merge')}
            </button>
          ) : null}
        </div>
      ) : null}
      {repo.above_root ? null : (
        <div
          className="cs-Git-toolbar"
          role="toolbar"
          aria-label={trans.__('Git')}
        >
          <button
            type="button"
            className="jp-Button jp-mod-styled cs-Git-pull"
            disabled={busy('pull')}
            onClick={() => actions.pull()}
          >
            {trans.__('Pull')}
          </button>
          <button
            type="button"
            className="jp-Button jp-mod-styled cs-Git-push"
            disabled={busy('push')}
            onClick={() => actions.push()}
          >
            {trans.__('Push')}
          </button>
          <button
            type="button"
            className="jp-Button jp-mod-minimal cs-Git-fetch"
            disabled={busy('fetch')}
            title={trans.__(
              'Check the remote for new commits (changes no file)'
            )}
            onClick={() => actions.fetch()}
          >
            {trans.__('Fetch')}
          </button>
          <button
            type="button"
            className="jp-Button jp-mod-minimal cs-Git-terminal"
            title={trans.__('Open a terminal in this repository')}
            aria-label={trans.__('Open a terminal in this repository')}
            onClick={() => actions.openTerminal()}
          >
            <span aria-hidden="true">❯_</span>
          </button>
        </div>
      )}
      {repo.upstream_configured ? (
        <button
          type="button"
          className="jp-Button jp-mod-styled jp-mod-accept cs-Git-update"
          disabled={busy('update')}
          title={trans.__(
            'Bring in the instructors’ latest version; your own changes are kept'
          )}
          onClick={() => actions.update()}
        >
          {trans.__('Update the tutorial')}
        </button>
      ) : null}
      {running ? (
        <div className="cs-Git-job">
          <ProgressBar
            value={jobFraction(running)}
            label={running.title}
            valueText={running.message || undefined}
          />
          <div className="cs-Git-jobMessage" role="status">
            {running.message || running.title}
          </div>
        </div>
      ) : null}
      {repo.nested.length ? (
        <div className="cs-Git-nested">
          <span>{trans.__('Repositories inside this one:')}</span>
          <ul>
            {repo.nested.map(n => (
              <li key={n.path}>
                <button
                  type="button"
                  className="cs-Git-link"
                  onClick={() => actions.goTo(n.path)}
                >
                  {n.path}
                </button>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {repo.submodules.some(s => !s.initialized) ? (
        <div className="cs-Git-explain" role="note">
          {trans.__(
            'Some submodules (repositories this one includes) are not downloaded: %1',
            repo.submodules
              .filter(s => !s.initialized)
              .map(s => s.path)
              .join(', ')
          )}
        </div>
      ) : null}
    </div>
  );
}
