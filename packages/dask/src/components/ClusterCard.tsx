import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import {
  ErrorBanner,
  ProgressBar,
  isJobFinished,
  jobFraction
} from '@cloudscapes/core';

import {
  clusterCostText,
  formatBytes,
  formatCores,
  idleText,
  workersText
} from '../format';
import { Cluster, ClusterStatus, DaskModel } from '../model';
import type { IPanelActions } from '../tokens';
import { RunningControls } from './RunningControls';
import { ClusterButton } from './ClusterButton';

/** How each cluster status is coloured (a `.cs-Badge` tone). */
const STATUS_TONE: Record<ClusterStatus, string | undefined> = {
  starting: 'busy',
  running: 'good',
  stopping: 'warn',
  stopped: undefined,
  failed: 'bad'
};

/**
 * A cluster's status in words.
 */
export function statusText(
  status: ClusterStatus,
  trans: TranslationBundle
): string {
  switch (status) {
    case 'starting':
      return trans.__('Starting');
    case 'running':
      return trans.__('Running');
    case 'stopping':
      return trans.__('Shutting down');
    case 'stopped':
      return trans.__('Stopped');
    case 'failed':
      return trans.__('Failed');
  }
  return status;
}

/**
 * One cluster: name, backend, status, workers, cores, memory, cost, idle
 * shutdown, and the actions its status allows.
 */
export function ClusterCard(props: {
  cluster: Cluster;
  model: DaskModel;
  trans: TranslationBundle;
  actions: IPanelActions;
}): JSX.Element {
  const { cluster, model, trans, actions } = props;
  const backend = model.backend(cluster.backend);
  const job = model.startJob(cluster.id);
  const starting =
    cluster.status === 'starting' || (job !== null && !isJobFinished(job));
  const busy = model.isBusy(cluster.id);
  const headingId = `cs-dask-card-${cluster.id}`;
  return (
    <li
      className={`cs-ClusterCard cs-mod-${cluster.status}`}
      data-cluster-id={cluster.id}
      data-status={cluster.status}
      aria-labelledby={headingId}
      aria-busy={starting || busy}
    >
      <div className="cs-ClusterCard-head">
        <h3 className="cs-ClusterCard-name" id={headingId} title={cluster.id}>
          {cluster.name}
        </h3>
        <span
          className={`cs-Badge cs-ClusterCard-backend cs-mod-${cluster.backend}`}
          title={backend?.connect_hint || undefined}
        >
          {backend?.title ?? cluster.backend}
        </span>
        <span
          className={`cs-Badge cs-ClusterCard-status cs-mod-${cluster.status}`}
          data-tone={STATUS_TONE[cluster.status]}
        >
          {statusText(cluster.status, trans)}
        </span>
      </div>
      {starting ? (
        <div className="cs-ClusterCard-starting">
          <ProgressBar
            value={job && job.status !== 'succeeded' ? jobFraction(job) : null}
            label={trans.__('Starting Dask cluster %1', cluster.name)}
            valueText={job?.message || undefined}
          />
          <div className="cs-ClusterCard-startingMessage">
            {job?.message || trans.__('Starting the scheduler and workers…')}
          </div>
        </div>
      ) : null}
      <dl className="cs-Facts cs-ClusterCard-facts">
        <dt>{trans.__('Workers')}</dt>
        <dd className="cs-ClusterCard-workers">
          {workersText(cluster, trans)}
        </dd>
        <dt>{trans.__('Cores')}</dt>
        <dd className="cs-ClusterCard-cores">
          {cluster.cores === null
            ? trans.__('unknown')
            : formatCores(cluster.cores)}
        </dd>
        <dt>{trans.__('Memory')}</dt>
        <dd className="cs-ClusterCard-memory">
          {cluster.memory === null
            ? trans.__('unknown')
            : formatBytes(cluster.memory)}
        </dd>
        <dt>{trans.__('Cost')}</dt>
        <dd className="cs-ClusterCard-cost">
          {clusterCostText(cluster, trans)}
        </dd>
        <dt>{trans.__('Idle shutdown')}</dt>
        <dd className="cs-ClusterCard-idle">
          {idleText(cluster.idle_timeout_seconds, trans)}
        </dd>
      </dl>
      {cluster.status === 'failed' && cluster.error ? (
        <ErrorBanner
          message={cluster.error.error.message}
          hint={cluster.error.error.hint}
          code={cluster.error.error.code}
        />
      ) : null}
      {cluster.status === 'running' ? (
        <RunningControls
          cluster={cluster}
          backend={backend}
          model={model}
          trans={trans}
          actions={actions}
        />
      ) : null}
      {cluster.status === 'starting' || cluster.status === 'failed' ? (
        <div className="cs-ClusterCard-actions">
          {/* a starting cluster can be shut down, a failed one removed */}
          <ClusterButton
            action={cluster.status === 'starting' ? 'shutdown' : 'remove'}
            cluster={cluster}
            busy={busy}
            trans={trans}
            actions={actions}
          />
        </div>
      ) : null}
    </li>
  );
}
