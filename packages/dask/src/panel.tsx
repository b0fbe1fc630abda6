import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import {
  EmptyState,
  ErrorBanner,
  Loading,
  ModelPanel
} from '@cloudscapes/core';

import { ClusterCard } from './components/ClusterCard';
import { NewClusterForm } from './components/NewClusterForm';
import { totalCostText } from './format';
import { DaskModel, SHUTTING_DOWN_ALL } from './model';
import { FORM_ID, IPanelActions } from './tokens';

/**
 * The Dask panel in the left sidebar: the clusters and their cost, "New
 * cluster" with the backend's options, and each cluster's actions.
 */
export class DaskPanel extends ModelPanel<DaskModel> {
  constructor(
    model: DaskModel,
    private _trans: TranslationBundle,
    private _actions: IPanelActions
  ) {
    super(model);
    this.addClass('cs-Dask');
    this.addClass('cs-SidebarPanel');
    this.node.setAttribute('aria-label', _trans.__('Dask clusters'));
  }

  /**
   * Whether the "New cluster" form is open.
   */
  get formOpen(): boolean {
    return this._formOpen;
  }

  /**
   * Open the "New cluster" form and move the focus into it.
   */
  openNewClusterForm(): void {
    if (!this._formOpen) {
      this._formOpen = true;
      this._formKey++;
      this.update();
    }
    this.model.start();
    requestAnimationFrame(() => {
      this.node
        .querySelector<HTMLElement>(`#${FORM_ID} select, #${FORM_ID} input`)
        ?.focus();
    });
  }

  closeNewClusterForm(): void {
    if (this.isDisposed) {
      return;
    }
    this._formOpen = false;
    this.update();
  }

  render(): JSX.Element {
    const trans = this._trans;
    const model = this.model;
    const list = model.list;
    const clusters = model.clusters;
    const live = clusters.some(
      c => c.status === 'running' || c.status === 'starting'
    );
    return (
      <div className="cs-SidebarPanel-body">
        <div className="cs-PanelHeader">
          <h2 className="cs-PanelTitle">{trans.__('Dask')}</h2>
          <div className="cs-Dask-header-actions">
            <button
              type="button"
              className="jp-Button jp-mod-styled jp-mod-accept cs-Dask-new"
              aria-expanded={this._formOpen}
              aria-controls={FORM_ID}
              onClick={() =>
                this._formOpen
                  ? this.closeNewClusterForm()
                  : this.openNewClusterForm()
              }
            >
              {trans.__('New cluster')}
            </button>
            <button
              type="button"
              className="jp-Button jp-mod-styled jp-mod-warn cs-Dask-shutdownAll"
              disabled={!live || model.isBusy(SHUTTING_DOWN_ALL)}
              onClick={() => this._actions.shutdownAll()}
            >
              {trans.__('Shut down all')}
            </button>
          </div>
        </div>
        {model.actionError ? (
          <ErrorBanner
            message={model.actionError.message}
            hint={model.actionError.hint}
            code={model.actionError.code}
            onDismiss={() => model.setActionError(null)}
            dismissLabel={trans.__('Dismiss')}
          />
        ) : null}
        {model.startFailures.map(failure => (
          <ErrorBanner
            key={failure.id}
            message={trans.__(
              'Dask cluster %1 did not start: %2',
              failure.name,
              failure.error.message
            )}
            hint={failure.error.hint}
            code={failure.error.code}
            onDismiss={() => model.dismissStartFailure(failure.id)}
            dismissLabel={trans.__('Dismiss')}
          />
        ))}
        {(list?.errors ?? []).map(({ backend, error }) => (
          <ErrorBanner
            key={backend}
            message={`${model.backend(backend)?.title ?? backend}: ${error.error.message}`}
            hint={error.error.hint}
            code={error.error.code}
          />
        ))}
        {model.listError ? (
          <div className="cs-Dask-listError">
            <ErrorBanner
              message={model.listError.message}
              hint={model.listError.hint}
              code={model.listError.code}
            />
            <button
              type="button"
              className="jp-Button jp-mod-styled jp-mod-reject cs-Dask-retry"
              onClick={() => void model.refresh().catch(() => undefined)}
            >
              {trans.__('Try again')}
            </button>
          </div>
        ) : null}
        {this._formOpen ? (
          <NewClusterForm
            key={this._formKey}
            model={model}
            trans={trans}
            onCreate={async request => {
              if (await this._actions.create(request)) {
                this.closeNewClusterForm();
              }
            }}
            onCancel={() => this.closeNewClusterForm()}
          />
        ) : null}
        {list === null && clusters.length === 0 ? (
          model.listError ? null : (
            <Loading label={trans.__('Loading clusters…')} />
          )
        ) : clusters.length === 0 ? (
          <EmptyState title={trans.__('No Dask clusters')}>
            <p>
              {trans.__(
                'A Dask cluster is a group of worker processes that run your computations in parallel: dask.array, dask.dataframe and xarray split their work across its workers, which can together use more cores and memory than one kernel.'
              )}
            </p>
            <p>
              {trans.__(
                'Create one with “New cluster”, then insert the code that connects your notebook to it.'
              )}
            </p>
          </EmptyState>
        ) : (
          <>
            {list ? (
              <div className="cs-Dask-total" role="status">
                <span>{trans.__('Cost of running clusters')}</span>
                <span className="cs-Dask-totalValue">
                  {totalCostText(list.cost_per_hour, list.currency, trans)}
                </span>
              </div>
            ) : null}
            <ul
              className="cs-Dask-clusters"
              aria-label={trans.__('Dask clusters')}
            >
              {clusters.map(cluster => (
                <ClusterCard
                  key={cluster.id}
                  cluster={cluster}
                  model={model}
                  trans={trans}
                  actions={this._actions}
                />
              ))}
            </ul>
          </>
        )}
      </div>
    );
  }

  private _formOpen = false;
  private _formKey = 0;
}
