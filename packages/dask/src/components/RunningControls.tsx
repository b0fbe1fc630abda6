import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { safeUrl } from '@cloudscapes/core';

import { Backend, Cluster, DaskModel } from '../model';
import { parseAdapt, parseScale } from '../options';
import type { IPanelActions } from '../tokens';
import { CountField } from './CountField';
import { DashboardMenu } from './DashboardMenu';
import { ClusterButton } from './ClusterButton';

export function RunningControls(props: {
  cluster: Cluster;
  backend: Backend | null;
  model: DaskModel;
  trans: TranslationBundle;
  actions: IPanelActions;
}): JSX.Element {
  const { cluster, backend, model, trans, actions } = props;
  // only an http(s) address becomes a link (never a javascript: URL)
  const dashboard = safeUrl(cluster.dashboard_link);
  const busy = model.isBusy(cluster.id);
  const max = backend?.max_workers ?? null;
  const [workers, setWorkers] = React.useState(
    String(cluster.requested_workers ?? cluster.workers ?? 1)
  );
  const [minimum, setMinimum] = React.useState(
    String(cluster.adapt?.minimum ?? 0)
  );
  const [maximum, setMaximum] = React.useState(
    String(cluster.adapt?.maximum ?? Math.max(1, max ?? 4))
  );
  const [error, setError] = React.useState('');
  const id = `cs-dask-${cluster.id}`;

  const scale = (event: React.FormEvent) => {
    event.preventDefault();
    const parsed = parseScale(workers, max, trans);
    setError(parsed.error ?? '');
    if (parsed.value !== undefined) {
      void actions.scale(cluster, parsed.value);
    }
  };
  const adapt = (event: React.FormEvent) => {
    event.preventDefault();
    const parsed = parseAdapt(minimum, maximum, max, trans);
    setError(parsed.error ?? '');
    if (parsed.value) {
      void actions.adapt(cluster, parsed.value);
    }
  };

  return (
    <div className="cs-ClusterControls">
      <form
        className="cs-ClusterControls-row cs-ClusterControls-scale"
        onSubmit={scale}
        aria-label={trans.__('Scale %1', cluster.name)}
      >
        <CountField
          label={trans.__('Workers')}
          className="cs-ClusterControls-scaleWorkers"
          min={0}
          max={max}
          value={workers}
          describedBy={error ? `${id}-error` : undefined}
          onChange={setWorkers}
        />
        <button
          type="submit"
          className="jp-Button jp-mod-styled cs-ClusterControls-scaleButton"
          disabled={busy}
        >
          {trans.__('Scale')}
        </button>
      </form>
      <form
        className="cs-ClusterControls-row cs-ClusterControls-adapt"
        onSubmit={adapt}
        aria-label={trans.__('Adaptive scaling of %1', cluster.name)}
      >
        <CountField
          label={trans.__('Min')}
          ariaLabel={trans.__('Fewest workers')}
          className="cs-ClusterControls-adaptMinimum"
          min={0}
          max={max}
          value={minimum}
          onChange={setMinimum}
        />
        <CountField
          label={trans.__('Max')}
          ariaLabel={trans.__('Most workers')}
          className="cs-ClusterControls-adaptMaximum"
          min={1}
          max={max}
          value={maximum}
          onChange={setMaximum}
        />
        <button
          type="submit"
          className="jp-Button jp-mod-styled cs-ClusterControls-adaptButton"
          disabled={busy}
        >
          {trans.__('Adapt')}
        </button>
      </form>
      {error ? (
        <div className="cs-DaskField-error" id={`${id}-error`} role="alert">
          {error}
        </div>
      ) : null}
      <div className="cs-ClusterCard-actions">
        <button
          type="button"
          className="jp-Button jp-mod-styled jp-mod-accept cs-ClusterControls-insertCode"
          onClick={() => actions.insertCode(cluster)}
        >
          {trans.__('Insert connect code')}
        </button>
        <DashboardMenu
          cluster={cluster}
          model={model}
          trans={trans}
          onOpen={plot => actions.openPlot(cluster, plot)}
        />
        {dashboard ? (
          <a
            className="jp-Button jp-mod-styled cs-ClusterControls-dashboardLink"
            href={dashboard}
            target="_blank"
            rel="noopener noreferrer"
            title={trans.__('Open the full dashboard in a new browser tab')}
          >
            {trans.__('Dashboard ↗')}
          </a>
        ) : null}
        <ClusterButton
          action="shutdown"
          cluster={cluster}
          busy={busy}
          trans={trans}
          actions={actions}
        />
      </div>
    </div>
  );
}
