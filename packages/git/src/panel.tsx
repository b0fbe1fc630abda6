import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import {
  ErrorBanner,
  ErrorView,
  Loading,
  ModelPanel,
  TabList
} from '@cloudscapes/core';

import { BranchMenu } from './components/BranchMenu';
import { ChangesGroup } from './components/ChangesGroup';
import { CommitBox } from './components/CommitBox';
import { HistoryTab } from './components/HistoryTab';
import { NoRepo } from './components/NoRepo';
import { RemotesList } from './components/RemotesList';
import { RepoHeader } from './components/RepoHeader';
import { StashList } from './components/StashList';
import { COMMITTING, GitModel } from './model';
import { GROUPS } from './status';
import type { IPanelActions, PanelTab } from './tokens';

const TAB_PREFIX = 'cs-git';

/**
 * The Git panel in the left sidebar: the repository of the file browser's
 * folder (or how to get one), and three tabs: Changes (the groups of changed
 * files and the commit box), History (the log with its graph) and Branches
 * (branches, tags, stashes, remotes and the GitHub sign-in).
 */
export class GitPanel extends ModelPanel<GitModel> {
  constructor(
    model: GitModel,
    private _trans: TranslationBundle,
    private _actions: IPanelActions
  ) {
    super(model);
    this.addClass('cs-Git');
    this.addClass('cs-SidebarPanel');
    this.node.setAttribute('aria-label', _trans.__('Git'));
  }

  get tab(): PanelTab {
    return this._tab;
  }

  showTab(tab: PanelTab): void {
    this._tab = tab;
    if (tab === 'branches') {
      void this.model.refs.load().catch(() => undefined);
    }
    this.update();
  }

  /**
   * Show the Changes tab and put the focus in the commit summary.
   */
  focusCommit(): void {
    this.showTab('changes');
    requestAnimationFrame(() => this._summary.current?.focus());
  }

  render(): JSX.Element {
    const trans = this._trans;
    const model = this.model;
    const repo = model.repo;
    return (
      <div className="cs-SidebarPanel-body">
        {model.actionError ? (
          <ErrorBanner
            message={model.actionError.message}
            hint={model.actionError.hint}
            code={model.actionError.code}
            onDismiss={() => model.setActionError(null)}
            dismissLabel={trans.__('Dismiss')}
          />
        ) : null}
        {model.error ? (
          <ErrorView
            error={model.error}
            trans={trans}
            onRetry={() => void model.refresh().catch(() => undefined)}
          />
        ) : null}
        {repo === null ? (
          model.error ? null : (
            <Loading label={trans.__('Looking for a repository…')} />
          )
        ) : !model.inRepo ? (
          <NoRepo
            repo={repo}
            model={model}
            trans={trans}
            actions={this._actions}
          />
        ) : (
          this._renderRepo()
        )}
      </div>
    );
  }

  private _renderRepo(): JSX.Element {
    const trans = this._trans;
    const model = this.model;
    const actions = this._actions;
    if (!model.refs.loaded && !this._refsAsked) {
      // the remotes name the upstream ("GitHub") in the header
      this._refsAsked = true;
      void model.refs.load().finally(() => (this._refsAsked = false));
    }
    const tabs: { value: PanelTab; label: string }[] = [
      { value: 'changes', label: trans.__('Changes') },
      { value: 'history', label: trans.__('History') },
      { value: 'branches', label: trans.__('Branches') }
    ];
    const status = model.status;
    const total = status ? GROUPS.reduce((n, g) => n + status.counts[g], 0) : 0;
    return (
      <>
        <RepoHeader
          model={model}
          trans={trans}
          actions={actions}
          onShowBranches={() => this.showTab('branches')}
        />
        <TabList
          label={trans.__('Git')}
          idPrefix={TAB_PREFIX}
          tabs={tabs}
          selected={this._tab}
          onSelect={tab => this.showTab(tab)}
        />
        <div
          role="tabpanel"
          id={`${TAB_PREFIX}-panel-${this._tab}`}
          aria-labelledby={`${TAB_PREFIX}-tab-${this._tab}`}
          className="cs-Git-tabPanel"
        >
          {this._tab === 'changes' ? (
            <>
              <CommitBox
                trans={trans}
                staged={model.count('staged')}
                busy={model.isBusy(COMMITTING)}
                onCommit={(summary, description, amend) =>
                  actions.commit(summary, description, amend)
                }
                summaryRef={this._summary}
              />
              {status === null ? (
                <Loading label={trans.__('Reading the changes…')} />
              ) : total === 0 ? (
                <div className="cs-Git-empty" role="status">
                  {trans.__('No changes: every file is as in the last commit.')}
                </div>
              ) : (
                GROUPS.map(group => (
                  <ChangesGroup
                    key={group}
                    group={group}
                    model={model}
                    trans={trans}
                    actions={actions}
                  />
                ))
              )}
              {status?.untracked_collapsed ? (
                <div className="cs-Git-hint" role="note">
                  {trans.__(
                    'There are many new files: they are shown by folder. Ignore folders of data or outputs (.gitignore) to keep them out of commits.'
                  )}
                </div>
              ) : null}
            </>
          ) : this._tab === 'history' ? (
            <HistoryTab model={model} trans={trans} actions={actions} />
          ) : (
            <>
              <BranchMenu model={model} trans={trans} actions={actions} />
              <StashList model={model} trans={trans} actions={actions} />
              <RemotesList model={model} trans={trans} actions={actions} />
            </>
          )}
        </div>
      </>
    );
  }

  private _tab: PanelTab = 'changes';
  private _refsAsked = false;
  private _summary = React.createRef<HTMLInputElement>();
}
