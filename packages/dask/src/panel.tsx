import type { TranslationBundle } from '@jupyterlab/translation';
import { VDomRenderer } from '@jupyterlab/ui-components';
import type { Message } from '@lumino/messaging';
import * as React from 'react';

import {
  CloudscapesRequestError,
  EmptyState,
  ErrorBanner,
  Loading,
  ProgressBar,
  isJobFinished,
  jobFraction,
  toRequestError
} from '@cloudscapes/core';

import {
  clusterCostText,
  formatBytes,
  formatCores,
  idleText,
  totalCostText,
  workersText
} from './format';
import {
  Adapt,
  Backend,
  CREATING,
  Cluster,
  ClusterStatus,
  CreateRequest,
  DaskModel,
  Option,
  Plot,
  SHUTTING_DOWN_ALL
} from './model';
import {
  FieldValue,
  FormErrors,
  IClusterForm,
  WorkersMode,
  buildCreateRequest,
  chooseBackend,
  initialForm,
  optionKey,
  parseAdapt,
  parseScale
} from './options';

/**
 * What the panel's buttons do. Actions that need a dialog, a notebook or a
 * notification are the plugin's (commands), so the palette and the panel behave
 * the same.
 */
export interface IPanelActions {
  /**
   * Start a cluster; resolves `true` when the server accepted it.
   */
  create(request: CreateRequest): Promise<boolean>;
  scale(cluster: Cluster, workers: number): Promise<void>;
  adapt(cluster: Cluster, adapt: Adapt): Promise<void>;
  /**
   * Shut a cluster down (after confirming, when the settings say so).
   */
  shutdown(cluster: Cluster): void;
  /**
   * Remove a failed cluster from the list (nothing runs, nothing to confirm).
   */
  remove(cluster: Cluster): void;
  shutdownAll(): void;
  insertCode(cluster: Cluster): void;
  openPlot(cluster: Cluster, plot: Plot): void;
}

const FORM_ID = 'cs-dask-new-cluster';

/**
 * The Dask panel in the left sidebar: the clusters and their cost, "New
 * cluster" with the backend's options, and each cluster's actions.
 */
export class DaskPanel extends VDomRenderer<DaskModel> {
  constructor(
    model: DaskModel,
    private _trans: TranslationBundle,
    private _actions: IPanelActions
  ) {
    super(model);
    this.addClass('cs-Dask');
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

  protected onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    this.model.start();
  }

  protected onAfterAttach(msg: Message): void {
    super.onAfterAttach(msg);
    if (this.isVisible) {
      this.model.start();
    }
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
      <div className="cs-Dask-body">
        <div className="cs-PanelHeader">
          <h2 className="cs-PanelTitle">{trans.__('Dask')}</h2>
          <div className="cs-Dask-header-actions">
            <button
              type="button"
              className="jp-Button jp-mod-styled jp-mod-accept cs-dask-new"
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
              className="jp-Button jp-mod-styled jp-mod-warn cs-dask-shutdown-all"
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
          <div className="cs-dask-list-error">
            <ErrorBanner
              message={model.listError.message}
              hint={model.listError.hint}
              code={model.listError.code}
            />
            <button
              type="button"
              className="jp-Button jp-mod-styled jp-mod-reject cs-dask-retry"
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
              <div className="cs-dask-total" role="status">
                <span>{trans.__('Cost of running clusters')}</span>
                <span className="cs-dask-total-value">
                  {totalCostText(list.cost_per_hour, list.currency, trans)}
                </span>
              </div>
            ) : null}
            <ul
              className="cs-dask-clusters"
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

// ---- cluster cards ---------------------------------------------------------------

/**
 * A cluster's status in words.
 */
/** How each cluster status is coloured (a `.cs-Badge` tone). */
const STATUS_TONE: Record<ClusterStatus, string | undefined> = {
  starting: 'busy',
  running: 'good',
  stopping: 'warn',
  stopped: undefined,
  failed: 'bad'
};

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
      className={`cs-dask-card cs-mod-${cluster.status}`}
      data-cluster-id={cluster.id}
      data-status={cluster.status}
      aria-labelledby={headingId}
      aria-busy={starting || busy}
    >
      <div className="cs-dask-card-head">
        <h3 className="cs-dask-card-name" id={headingId} title={cluster.id}>
          {cluster.name}
        </h3>
        <span
          className={`cs-Badge cs-dask-badge cs-mod-${cluster.backend}`}
          title={backend?.connect_hint || undefined}
        >
          {backend?.title ?? cluster.backend}
        </span>
        <span
          className={`cs-Badge cs-dask-status cs-mod-${cluster.status}`}
          data-tone={STATUS_TONE[cluster.status]}
        >
          {statusText(cluster.status, trans)}
        </span>
      </div>
      {starting ? (
        <div className="cs-dask-starting">
          <ProgressBar
            value={job && job.status !== 'succeeded' ? jobFraction(job) : null}
            label={trans.__('Starting Dask cluster %1', cluster.name)}
            valueText={job?.message || undefined}
          />
          <div className="cs-dask-starting-message">
            {job?.message || trans.__('Starting the scheduler and workers…')}
          </div>
        </div>
      ) : null}
      <dl className="cs-Facts cs-dask-facts">
        <dt>{trans.__('Workers')}</dt>
        <dd className="cs-dask-workers">{workersText(cluster, trans)}</dd>
        <dt>{trans.__('Cores')}</dt>
        <dd className="cs-dask-cores">
          {cluster.cores === null
            ? trans.__('unknown')
            : formatCores(cluster.cores)}
        </dd>
        <dt>{trans.__('Memory')}</dt>
        <dd className="cs-dask-memory">
          {cluster.memory === null
            ? trans.__('unknown')
            : formatBytes(cluster.memory)}
        </dd>
        <dt>{trans.__('Cost')}</dt>
        <dd className="cs-dask-cost">{clusterCostText(cluster, trans)}</dd>
        <dt>{trans.__('Idle shutdown')}</dt>
        <dd className="cs-dask-idle">
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
      {cluster.status === 'starting' ? (
        <div className="cs-dask-card-actions">
          <button
            type="button"
            className="jp-Button jp-mod-styled jp-mod-warn cs-dask-shutdown"
            disabled={busy}
            onClick={() => actions.shutdown(cluster)}
          >
            {trans.__('Shut down')}
          </button>
        </div>
      ) : null}
      {cluster.status === 'failed' ? (
        <div className="cs-dask-card-actions">
          <button
            type="button"
            className="jp-Button jp-mod-styled jp-mod-reject cs-dask-remove"
            disabled={busy}
            onClick={() => actions.remove(cluster)}
          >
            {trans.__('Remove')}
          </button>
        </div>
      ) : null}
    </li>
  );
}

function RunningControls(props: {
  cluster: Cluster;
  backend: Backend | null;
  model: DaskModel;
  trans: TranslationBundle;
  actions: IPanelActions;
}): JSX.Element {
  const { cluster, backend, model, trans, actions } = props;
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
    <div className="cs-dask-controls">
      <form
        className="cs-dask-control-row cs-dask-scale"
        onSubmit={scale}
        aria-label={trans.__('Scale %1', cluster.name)}
      >
        <CountField
          label={trans.__('Workers')}
          className="cs-dask-scale-workers"
          min={0}
          max={max}
          value={workers}
          describedBy={error ? `${id}-error` : undefined}
          onChange={setWorkers}
        />
        <button
          type="submit"
          className="jp-Button jp-mod-styled cs-dask-scale-button"
          disabled={busy}
        >
          {trans.__('Scale')}
        </button>
      </form>
      <form
        className="cs-dask-control-row cs-dask-adapt"
        onSubmit={adapt}
        aria-label={trans.__('Adaptive scaling of %1', cluster.name)}
      >
        <CountField
          label={trans.__('Min')}
          ariaLabel={trans.__('Fewest workers')}
          className="cs-dask-adapt-minimum"
          min={0}
          max={max}
          value={minimum}
          onChange={setMinimum}
        />
        <CountField
          label={trans.__('Max')}
          ariaLabel={trans.__('Most workers')}
          className="cs-dask-adapt-maximum"
          min={1}
          max={max}
          value={maximum}
          onChange={setMaximum}
        />
        <button
          type="submit"
          className="jp-Button jp-mod-styled cs-dask-adapt-button"
          disabled={busy}
        >
          {trans.__('Adapt')}
        </button>
      </form>
      {error ? (
        <div className="cs-dask-field-error" id={`${id}-error`} role="alert">
          {error}
        </div>
      ) : null}
      <div className="cs-dask-card-actions">
        <button
          type="button"
          className="jp-Button jp-mod-styled jp-mod-accept cs-dask-insert-code"
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
        {cluster.dashboard_link ? (
          <a
            className="jp-Button jp-mod-styled cs-dask-dashboard-link"
            href={cluster.dashboard_link}
            target="_blank"
            rel="noopener noreferrer"
            title={trans.__('Open the full dashboard in a new browser tab')}
          >
            {trans.__('Dashboard ↗')}
          </a>
        ) : null}
        <button
          type="button"
          className="jp-Button jp-mod-styled jp-mod-warn cs-dask-shutdown"
          disabled={busy}
          onClick={() => actions.shutdown(cluster)}
        >
          {trans.__('Shut down')}
        </button>
      </div>
    </div>
  );
}

// ---- the "Dashboard" menu ---------------------------------------------------------

/**
 * "Dashboard ▾": the cluster's plots (task stream, progress, worker memory
 * first), each opening in a main-area tab. A WAI-ARIA menu button: Enter,
 * Space or ArrowDown open it, arrows move, Escape closes.
 */
export function DashboardMenu(props: {
  cluster: Cluster;
  model: DaskModel;
  trans: TranslationBundle;
  onOpen: (plot: Plot) => void;
}): JSX.Element {
  const { cluster, model, trans } = props;
  const [open, setOpen] = React.useState(false);
  const [plots, setPlots] = React.useState<Plot[] | null>(null);
  const [error, setError] = React.useState<CloudscapesRequestError | null>(
    null
  );
  const button = React.useRef<HTMLButtonElement>(null);
  const menu = React.useRef<HTMLUListElement>(null);
  const menuId = `cs-dask-plots-${cluster.id}`;

  const items = () =>
    Array.from(
      menu.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? []
    );
  const focusItem = (index: number) => {
    const all = items();
    if (all.length) {
      all[(index + all.length) % all.length].focus();
    }
  };
  const close = (refocus: boolean) => {
    setOpen(false);
    if (refocus) {
      button.current?.focus();
    }
  };
  const show = () => {
    setOpen(true);
    setError(null);
    model
      .plots(cluster.id)
      .then(setPlots)
      .catch(reason => setError(toRequestError(reason)));
  };

  // focus the first plot once they are shown
  React.useEffect(() => {
    if (open && plots) {
      focusItem(0);
    }
  }, [open, plots]);

  // a click elsewhere closes the menu
  React.useEffect(() => {
    if (!open) {
      return;
    }
    const onDown = (event: MouseEvent) => {
      const target = event.target as Node;
      if (
        !menu.current?.contains(target) &&
        !button.current?.contains(target)
      ) {
        setOpen(false);
      }
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, [open]);

  const onButtonKey = (event: React.KeyboardEvent) => {
    if (event.key === 'ArrowDown' && !open) {
      event.preventDefault();
      show();
    }
  };
  const onMenuKey = (event: React.KeyboardEvent) => {
    const all = items();
    const index = all.indexOf(document.activeElement as HTMLElement);
    const moves: Record<string, number> = {
      ArrowDown: index + 1,
      ArrowUp: index - 1,
      Home: 0,
      End: all.length - 1
    };
    if (event.key in moves) {
      event.preventDefault();
      focusItem(moves[event.key]);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      close(true);
    } else if (event.key === 'Tab') {
      close(false);
    }
  };

  return (
    <div className="cs-dask-menu-wrapper">
      <button
        ref={button}
        type="button"
        className="jp-Button jp-mod-styled cs-dask-dashboard"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={() => (open ? close(false) : show())}
        onKeyDown={onButtonKey}
      >
        {trans.__('Dashboard')}
        <span className="cs-dask-caret" aria-hidden="true">
          ▾
        </span>
      </button>
      {open ? (
        <div className="cs-dask-menu-popup">
          {error ? (
            <ErrorBanner
              message={error.message}
              hint={error.hint}
              code={error.code}
            />
          ) : plots === null ? (
            <Loading label={trans.__('Loading plots…')} />
          ) : plots.length === 0 ? (
            <div className="cs-dask-menu-empty">
              {trans.__('This cluster has no dashboard plots.')}
            </div>
          ) : null}
          <ul
            ref={menu}
            id={menuId}
            className="cs-dask-menu"
            role="menu"
            aria-label={trans.__('Dashboard plots of %1', cluster.name)}
            onKeyDown={onMenuKey}
            hidden={!plots || plots.length === 0}
          >
            {(plots ?? []).map(plot => (
              <li key={plot.name} role="none">
                <button
                  type="button"
                  role="menuitem"
                  tabIndex={-1}
                  className="cs-dask-menu-item"
                  data-plot={plot.name}
                  onClick={() => {
                    close(false);
                    props.onOpen(plot);
                  }}
                >
                  {plot.title}
                </button>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}

// ---- "New cluster" ------------------------------------------------------------------

function OptionField(props: {
  option: Option;
  value: FieldValue | undefined;
  error: string | undefined;
  onChange: (value: FieldValue) => void;
}): JSX.Element {
  const { option, value, error } = props;
  const id = `${FORM_ID}-option-${option.field}`;
  const described =
    [option.description ? `${id}-description` : '', error ? `${id}-error` : '']
      .filter(Boolean)
      .join(' ') || undefined;
  const common = {
    id,
    'aria-describedby': described,
    'aria-invalid': error ? true : undefined,
    'data-field': option.field
  };
  let input: JSX.Element;
  switch (option.type) {
    case 'boolean':
      input = (
        <input
          {...common}
          type="checkbox"
          className="cs-dask-option-input"
          checked={value === true}
          onChange={event => props.onChange(event.target.checked)}
        />
      );
      break;
    case 'select':
      input = (
        <select
          {...common}
          className="jp-mod-styled cs-dask-input cs-dask-option-input"
          value={String(value ?? '')}
          onChange={event => props.onChange(event.target.value)}
        >
          {(option.choices ?? []).map(choice => (
            <option key={choice} value={choice}>
              {choice}
            </option>
          ))}
        </select>
      );
      break;
    case 'integer':
    case 'number':
      input = (
        <input
          {...common}
          type="number"
          className="jp-mod-styled cs-dask-input cs-dask-option-input"
          min={option.minimum ?? undefined}
          max={option.maximum ?? undefined}
          step={option.step ?? (option.type === 'integer' ? 1 : 'any')}
          value={String(value ?? '')}
          onChange={event => props.onChange(event.target.value)}
        />
      );
      break;
    default:
      input = (
        <input
          {...common}
          type="text"
          className="jp-mod-styled cs-dask-input cs-dask-option-input"
          value={String(value ?? '')}
          onChange={event => props.onChange(event.target.value)}
        />
      );
  }
  const checkbox = option.type === 'boolean';
  return (
    <div
      className={`cs-dask-field${checkbox ? ' cs-mod-checkbox' : ''}`}
      data-field={option.field}
    >
      {checkbox ? (
        <label htmlFor={id} className="cs-dask-check">
          {input}
          <span>{option.label}</span>
        </label>
      ) : (
        <>
          <label htmlFor={id} className="cs-dask-label">
            {option.label}
          </label>
          <div className="cs-dask-input-row">
            {input}
            {option.unit ? (
              <span className="cs-dask-unit">{option.unit}</span>
            ) : null}
          </div>
        </>
      )}
      {option.description ? (
        <div id={`${id}-description`} className="cs-dask-help">
          {option.description}
        </div>
      ) : null}
      {error ? (
        <div id={`${id}-error`} className="cs-dask-field-error">
          {error}
        </div>
      ) : null}
    </div>
  );
}

function NumberField(props: {
  name: string;
  label: string;
  value: string;
  min: number;
  max: number | null;
  error: string | undefined;
  onChange: (value: string) => void;
}): JSX.Element {
  const id = `${FORM_ID}-${props.name}`;
  return (
    <div className="cs-dask-field" data-field={props.name}>
      <label htmlFor={id} className="cs-dask-label">
        {props.label}
      </label>
      <input
        id={id}
        type="number"
        className={`jp-mod-styled cs-dask-input cs-dask-${props.name}`}
        min={props.min}
        max={props.max ?? undefined}
        step={1}
        value={props.value}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={props.error ? `${id}-error` : undefined}
        onChange={event => props.onChange(event.target.value)}
      />
      {props.error ? (
        <div id={`${id}-error`} className="cs-dask-field-error">
          {props.error}
        </div>
      ) : null}
    </div>
  );
}

/**
 * The "New cluster" form: the backend, its options (from the server's option
 * list), and a fixed number of workers or an adaptive range.
 */
export function NewClusterForm(props: {
  model: DaskModel;
  trans: TranslationBundle;
  onCreate: (request: CreateRequest) => Promise<void>;
  onCancel: () => void;
}): JSX.Element {
  const { model, trans } = props;
  const backends = model.backends;
  const [form, setForm] = React.useState<IClusterForm | null>(() =>
    backends
      ? initialForm(chooseBackend(backends, model.settings.defaultBackend))
      : null
  );
  const [errors, setErrors] = React.useState<FormErrors>({});

  // the backends may arrive after the form opened
  React.useEffect(() => {
    if (backends && form === null) {
      setForm(
        initialForm(chooseBackend(backends, model.settings.defaultBackend))
      );
    }
  }, [backends]);

  const body = (): JSX.Element => {
    if (model.backendsError && !backends) {
      return (
        <>
          <ErrorBanner
            message={model.backendsError.message}
            hint={model.backendsError.hint}
            code={model.backendsError.code}
          />
          <button
            type="button"
            className="jp-Button jp-mod-styled jp-mod-reject cs-dask-retry-backends"
            onClick={() => void model.loadBackends()}
          >
            {trans.__('Try again')}
          </button>
        </>
      );
    }
    if (!backends || !form) {
      return <Loading label={trans.__('Loading backends…')} />;
    }
    const available = backends.filter(b => b.available);
    const unavailable = backends.filter(b => !b.available);
    const backend = model.backend(form.backend);
    const reasons = unavailable.length ? (
      <ul className="cs-dask-unavailable" aria-label={trans.__('Unavailable')}>
        {unavailable.map(b => (
          <li key={b.name} data-backend={b.name}>
            <strong>{b.title}</strong>
            {': '}
            {b.reason || trans.__('not available on this server.')}
          </li>
        ))}
      </ul>
    ) : null;
    if (!backend || available.length === 0) {
      return (
        <>
          <EmptyState title={trans.__('No Dask backend is available')} />
          {reasons}
        </>
      );
    }
    const setValue = (field: string, value: FieldValue) =>
      setForm({ ...form, values: { ...form.values, [field]: value } });
    const setWorkersField = (
      name: 'workers' | 'minimum' | 'maximum',
      value: string
    ) => setForm({ ...form, [name]: value });
    const max = backend.max_workers;
    const submit = (event: React.FormEvent) => {
      event.preventDefault();
      const built = buildCreateRequest(form, backend, trans);
      if (built.errors) {
        setErrors(built.errors);
        requestAnimationFrame(() => {
          document
            .querySelector<HTMLElement>(`#${FORM_ID} [aria-invalid="true"]`)
            ?.focus();
        });
        return;
      }
      setErrors({});
      void props.onCreate(built.request);
    };
    return (
      <form onSubmit={submit} noValidate>
        <div className="cs-dask-field" data-field="backend">
          <label htmlFor={`${FORM_ID}-backend`} className="cs-dask-label">
            {trans.__('Runs on')}
          </label>
          <select
            id={`${FORM_ID}-backend`}
            className="jp-mod-styled cs-dask-input cs-dask-backend"
            value={form.backend}
            aria-describedby={`${FORM_ID}-backend-hint`}
            onChange={event => {
              setErrors({});
              setForm(initialForm(model.backend(event.target.value)));
            }}
          >
            {available.map(b => (
              <option key={b.name} value={b.name}>
                {b.title}
              </option>
            ))}
          </select>
          <div id={`${FORM_ID}-backend-hint`} className="cs-dask-help">
            {backend.connect_hint}
          </div>
          {errors.backend ? (
            <div className="cs-dask-field-error">{errors.backend}</div>
          ) : null}
          {reasons}
        </div>
        {backend.options.map(option => (
          <OptionField
            key={`${backend.name}:${option.field}`}
            option={option}
            value={form.values[option.field]}
            error={errors[optionKey(option)]}
            onChange={value => setValue(option.field, value)}
          />
        ))}
        <fieldset className="cs-dask-workers-mode">
          <legend className="cs-dask-label">{trans.__('Workers')}</legend>
          {(['fixed', 'adaptive'] as WorkersMode[]).map(mode => (
            <label key={mode} className="cs-dask-check">
              <input
                type="radio"
                name={`${FORM_ID}-mode`}
                value={mode}
                checked={form.mode === mode}
                onChange={() => setForm({ ...form, mode })}
              />
              <span>
                {mode === 'fixed'
                  ? trans.__('Fixed number')
                  : trans.__('Adaptive (scales with the work)')}
              </span>
            </label>
          ))}
          {form.mode === 'fixed' ? (
            <NumberField
              name="workers"
              label={trans.__('Number of workers')}
              value={form.workers}
              min={0}
              max={max}
              error={errors.workers}
              onChange={value => setWorkersField('workers', value)}
            />
          ) : (
            <div className="cs-dask-adapt-fields">
              <NumberField
                name="minimum"
                label={trans.__('Fewest workers')}
                value={form.minimum}
                min={0}
                max={max}
                error={errors.minimum}
                onChange={value => setWorkersField('minimum', value)}
              />
              <NumberField
                name="maximum"
                label={trans.__('Most workers')}
                value={form.maximum}
                min={1}
                max={max}
                error={errors.maximum}
                onChange={value => setWorkersField('maximum', value)}
              />
            </div>
          )}
          {max !== null ? (
            <div className="cs-dask-help">
              {trans._n(
                'At most %1 worker per cluster on this server.',
                'At most %1 workers per cluster on this server.',
                max
              )}
            </div>
          ) : null}
          {backend.idle_timeout_seconds ? (
            <div className="cs-dask-help">
              {trans.__(
                'Shuts itself down %1.',
                idleText(backend.idle_timeout_seconds, trans)
              )}
            </div>
          ) : null}
        </fieldset>
        <div className="cs-dask-form-actions">
          <button
            type="submit"
            className="jp-Button jp-mod-styled jp-mod-accept cs-dask-create"
            disabled={model.isBusy(CREATING)}
          >
            {trans.__('Create')}
          </button>
          <button
            type="button"
            className="jp-Button jp-mod-styled jp-mod-reject cs-dask-cancel"
            onClick={props.onCancel}
          >
            {trans.__('Cancel')}
          </button>
        </div>
      </form>
    );
  };

  return (
    <section
      id={FORM_ID}
      className="cs-dask-new-form"
      aria-label={trans.__('New Dask cluster')}
    >
      <h3 className="cs-dask-subtitle">{trans.__('New cluster')}</h3>
      {body()}
    </section>
  );
}

/**
 * A labelled whole-number input of the scale and adaptive controls.
 */
function CountField(props: {
  label: string;
  ariaLabel?: string;
  className: string;
  min: number;
  max: number | null;
  value: string;
  describedBy?: string;
  onChange: (value: string) => void;
}): JSX.Element {
  return (
    <label className="cs-dask-inline-field">
      <span>{props.label}</span>
      <input
        type="number"
        className={`jp-mod-styled cs-dask-input ${props.className}`}
        min={props.min}
        max={props.max ?? undefined}
        step={1}
        value={props.value}
        aria-label={props.ariaLabel}
        aria-describedby={props.describedBy}
        onChange={event => props.onChange(event.target.value)}
      />
    </label>
  );
}
