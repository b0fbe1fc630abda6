import type { TranslationBundle } from '@jupyterlab/translation';
import { Poll } from '@lumino/polling';
import { ISignal, Signal } from '@lumino/signaling';

import {
  CloudscapesRequestError,
  DaskComponents,
  ErrorBody,
  Job,
  JobTracker,
  JobsModel,
  createPoller,
  requestAPI,
  setPollInterval,
  toRequestError
} from '@cloudscapes/core';

import { jobError } from './jobs';
import { orderPlots } from './plots';

/** Ids of local clusters start with this; other ids are gateway cluster names. */
const LOCAL_PREFIX = 'local-';

export type Backend = DaskComponents['schemas']['Backend'];
export type BackendName = DaskComponents['schemas']['BackendName'];
export type Option = DaskComponents['schemas']['Option'];
export type Cluster = DaskComponents['schemas']['Cluster'];
export type ClusterStatus = DaskComponents['schemas']['ClusterStatus'];
export type ClusterList = DaskComponents['schemas']['ClusterList'];
export type CreateRequest = DaskComponents['schemas']['CreateRequest'];
export type ScaleRequest = DaskComponents['schemas']['ScaleRequest'];
export type Adapt = DaskComponents['schemas']['Adapt'];
export type Plot = DaskComponents['schemas']['Plot'];

/**
 * The answer of `POST /cloudscapes/dask/clusters`.
 */
export interface IClusterStarted {
  job: Job;
  cluster: Cluster;
}

/**
 * The answer of `DELETE /cloudscapes/dask/clusters`.
 */
export interface IShutdownAll {
  stopped: string[];
  errors: { id: string; error: ErrorBody }[];
}

/**
 * The user's settings of the Dask panel (schema/plugin.json).
 */
export interface IDaskSettings {
  /**
   * Seconds between refreshes of the cluster list (as the other panels).
   */
  refreshInterval: number;
  /**
   * The backend "New cluster" starts with ("" = the server's first).
   */
  defaultBackend: string;
  /**
   * Ask before shutting clusters down.
   */
  confirmShutdown: boolean;
}

export const DEFAULT_SETTINGS: IDaskSettings = {
  refreshInterval: 5,
  defaultBackend: '',
  confirmShutdown: true
};

/**
 * `isBusy` keys of the actions that concern no one cluster.
 */
export const CREATING = '#create';
export const SHUTTING_DOWN_ALL = '#all';

/**
 * Statuses after which a cluster's dashboard is gone for good.
 */
const ENDED: ReadonlySet<ClusterStatus> = new Set<ClusterStatus>([
  'stopping',
  'stopped',
  'failed'
]);

/**
 * A cluster start that failed, shown as a banner until dismissed.
 */
export interface IStartFailure {
  /**
   * The start job's id.
   */
  id: string;
  name: string;
  error: CloudscapesRequestError;
}

/**
 * The Dask clusters of this server: the backends and their option forms, the
 * polled cluster list, the jobs of the clusters being started, and the
 * actions (create, scale, adapt, shut down).
 */
export class DaskModel extends JobsModel<IDaskSettings> {
  constructor(
    settings = DEFAULT_SETTINGS,
    jobs?: JobTracker,
    trans?: TranslationBundle
  ) {
    super(settings, jobs, trans);
    this.jobs.jobFinished.connect(this._onJobFinished, this);
  }

  protected onSettingsChanged(value: IDaskSettings): void {
    if (this._poll) {
      setPollInterval(this._poll, value.refreshInterval * 1000);
    }
  }

  // ---- backends ----------------------------------------------------------------

  /**
   * The backends, the server's default first; `null` before they loaded.
   */
  get backends(): Backend[] | null {
    return this._backends;
  }

  get backendsError(): CloudscapesRequestError | null {
    return this._backendsError;
  }

  backend(name: string): Backend | null {
    return this._backends?.find(b => b.name === name) ?? null;
  }

  async loadBackends(): Promise<void> {
    try {
      const answer = await requestAPI<{ backends: Backend[] }>(
        'dask/backends',
        {},
        { track: false }
      );
      this._backends = answer.backends;
      this._backendsError = null;
    } catch (reason) {
      this._backendsError = toRequestError(reason);
    } finally {
      this.stateChanged.emit();
    }
  }

  // ---- the cluster list ----------------------------------------------------------

  /**
   * The last list answer; `null` before the first.
   */
  get list(): ClusterList | null {
    return this._list;
  }

  /**
   * Why the list could not be fetched (cleared by the next answer).
   */
  get listError(): CloudscapesRequestError | null {
    return this._listError;
  }

  /**
   * The clusters to show, newest first: the list's, plus those just started
   * from this page that the list does not show yet. Stopped clusters are left
   * out (nothing runs, nothing costs), and so are those shut down from this
   * page, even while the server still lists them as stopping.
   */
  get clusters(): Cluster[] {
    const listed = this._list?.clusters ?? [];
    const ids = new Set(listed.map(c => c.id));
    const pending = [...this._pending.values()]
      .filter(c => !ids.has(c.id))
      .reverse();
    return [...pending, ...listed].filter(
      c => c.status !== 'stopped' && !this._shutDown.has(c.id)
    );
  }

  cluster(id: string): Cluster | null {
    return this.clusters.find(c => c.id === id) ?? null;
  }

  /**
   * The newest running cluster (the list is newest first).
   */
  get newestRunning(): Cluster | null {
    return this.clusters.find(c => c.status === 'running') ?? null;
  }

  /**
   * Whether cluster `id` has shut down, failed or left the list: its
   * dashboard is gone for good. `false` until the list has loaded.
   */
  isGone(id: string): boolean {
    if (this._gone.has(id)) {
      return true;
    }
    if (this._list === null) {
      return false;
    }
    const cluster =
      this._list.clusters.find(c => c.id === id) ?? this._pending.get(id);
    if (cluster) {
      return ENDED.has(cluster.status);
    }
    // Missing from a list whose backend could not be asked (a gateway hiccup)
    // is not gone: only missing from a complete list is.
    return !(this._list.errors.length > 0 && !id.startsWith(LOCAL_PREFIX));
  }

  /**
   * Emitted after every change of the cluster list.
   */
  get clustersChanged(): ISignal<this, Cluster[]> {
    return this._clustersChanged;
  }

  /**
   * Start polling the list (stands by while the tab is hidden, backs off on
   * errors) and load the backends; called when the panel or a dashboard is
   * first shown, so JupyterLab's startup makes no request.
   */
  start(): void {
    if (this._poll) {
      return;
    }
    this._poll = createPoller({
      name: '@cloudscapes/dask:clusters',
      interval: this._settings.refreshInterval * 1000,
      task: () => this.refresh()
    });
    if (this._backends === null) {
      void this.loadBackends();
    }
  }

  get started(): boolean {
    return this._poll !== null;
  }

  /**
   * Fetch the list now. Rejects (after recording the error) so the poll backs off.
   */
  async refresh(): Promise<void> {
    try {
      this.setList(
        await requestAPI<ClusterList>('dask/clusters', {}, { track: false })
      );
    } catch (reason) {
      this._listError = toRequestError(reason);
      this.stateChanged.emit();
      throw this._listError;
    }
  }

  /**
   * Replace the list (used by refresh, and by tests).
   */
  setList(list: ClusterList): void {
    this._list = list;
    this._listError = null;
    for (const cluster of list.clusters) {
      this._pending.delete(cluster.id);
      if (ENDED.has(cluster.status)) {
        this._gone.add(cluster.id);
      }
    }
    // a started cluster the server no longer lists once its job has ended
    for (const [id] of this._pending) {
      const jobId = this._startJobs.get(id);
      const job = jobId ? this.jobs.get(jobId) : undefined;
      if (!job || job.status === 'failed' || job.status === 'cancelled') {
        this._pending.delete(id);
      }
    }
    for (const id of this._startJobs.keys()) {
      if (!this._pending.has(id) && !list.clusters.some(c => c.id === id)) {
        this._gone.add(id);
      }
    }
    this._changed();
  }

  /**
   * The list after an action; its failure only shows as the list's error.
   */
  private _refreshSoon(): Promise<void> {
    return this.refresh().catch(() => undefined);
  }

  // ---- jobs of starting clusters ------------------------------------------------

  /**
   * The start job of cluster `id`, when it was started from this page.
   */
  startJob(id: string): Job | null {
    const jobId = this._startJobs.get(id);
    return (jobId && this.jobs.get(jobId)) || null;
  }

  /**
   * The name of the cluster that start job `jobId` (made from this page) starts.
   */
  jobClusterName(jobId: string): string | null {
    return this._names.get(jobId) ?? null;
  }

  /**
   * Cluster starts that failed, newest first.
   */
  get startFailures(): IStartFailure[] {
    return [...this._failures].reverse();
  }

  dismissStartFailure(id: string): void {
    this._failures = this._failures.filter(f => f.id !== id);
    this.jobs.forget(id);
    this.stateChanged.emit();
  }

  // ---- actions -------------------------------------------------------------------

  // `isBusy(id)` (JobsModel): whether an action on cluster `id` is in flight
  // (`CREATING`: a cluster is being created; `SHUTTING_DOWN_ALL`: every
  // cluster is being shut down).

  /**
   * Start a cluster: `POST /cloudscapes/dask/clusters`. The cluster is shown at
   * once as starting, and its job is followed until it runs (or fails).
   */
  async create(request: CreateRequest): Promise<IClusterStarted> {
    return this._act(CREATING, async () => {
      const started = await requestAPI<IClusterStarted>('dask/clusters', {
        method: 'POST',
        body: JSON.stringify(request)
      });
      this._pending.set(started.cluster.id, started.cluster);
      this._startJobs.set(started.cluster.id, started.job.id);
      this._names.set(started.job.id, started.cluster.name);
      this.jobs.track(started.job);
      this._changed();
      void this._refreshSoon();
      return started;
    });
  }

  /**
   * Scale cluster `id` to a fixed number of workers.
   */
  async scale(id: string, workers: number): Promise<Cluster> {
    return this._patch(id, { workers });
  }

  /**
   * Make cluster `id` adaptive between `adapt.minimum` and `adapt.maximum` workers.
   */
  async adapt(id: string, adapt: Adapt): Promise<Cluster> {
    return this._patch(id, { adapt });
  }

  /**
   * Shut cluster `id` down (a cluster the server no longer knows counts as
   * shut down).
   */
  async shutdown(id: string): Promise<void> {
    await this._act(id, async () => {
      try {
        await requestAPI<Cluster>(this._path(id), { method: 'DELETE' });
      } catch (reason) {
        if (toRequestError(reason).status !== 404) {
          throw reason;
        }
      }
      this._markGone(id);
      await this._refreshSoon();
    });
  }

  /**
   * Shut every cluster down: `DELETE /cloudscapes/dask/clusters`.
   */
  async shutdownAll(): Promise<IShutdownAll> {
    return this._act(SHUTTING_DOWN_ALL, async () => {
      const result = await requestAPI<IShutdownAll>('dask/clusters', {
        method: 'DELETE'
      });
      for (const id of result.stopped) {
        this._markGone(id);
      }
      await this._refreshSoon();
      return result;
    });
  }

  /**
   * The dashboard plots of cluster `id`: task stream, progress and worker
   * memory first.
   */
  async plots(id: string): Promise<Plot[]> {
    const answer = await requestAPI<{ plots: Plot[] }>(
      `${this._path(id)}/plots`
    );
    return orderPlots(answer.plots);
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._poll?.dispose();
    this._poll = null;
    this.jobs.jobFinished.disconnect(this._onJobFinished, this);
    super.dispose();
  }

  private _path(id: string): string {
    return `dask/clusters/${encodeURIComponent(id)}`;
  }

  private async _patch(id: string, body: ScaleRequest): Promise<Cluster> {
    return this._act(id, async () => {
      const cluster = await requestAPI<Cluster>(this._path(id), {
        method: 'PATCH',
        body: JSON.stringify(body)
      });
      this._replace(cluster);
      void this._refreshSoon();
      return cluster;
    });
  }

  private _replace(cluster: Cluster): void {
    if (this._list) {
      this._list = {
        ...this._list,
        clusters: this._list.clusters.map(c =>
          c.id === cluster.id ? cluster : c
        )
      };
      this._changed();
    }
  }

  private _markGone(id: string): void {
    this._gone.add(id);
    this._shutDown.add(id);
    this._pending.delete(id);
    if (this._list) {
      this._list = {
        ...this._list,
        clusters: this._list.clusters.filter(c => c.id !== id)
      };
    }
    this._changed();
  }

  private _changed(): void {
    this._clustersChanged.emit(this.clusters);
    this.stateChanged.emit();
  }

  private _onJobFinished(_: JobTracker, job: Job): void {
    if (job.status !== 'succeeded' && this._names.has(job.id)) {
      this._failures.push({
        id: job.id,
        name: this._names.get(job.id)!,
        error: jobError(job, this._trans)
      });
    }
    void this._refreshSoon();
  }

  private _poll: Poll | null = null;
  private _backends: Backend[] | null = null;
  private _backendsError: CloudscapesRequestError | null = null;
  private _list: ClusterList | null = null;
  private _listError: CloudscapesRequestError | null = null;
  private _pending = new Map<string, Cluster>();
  private _gone = new Set<string>();
  private _shutDown = new Set<string>();
  private _startJobs = new Map<string, string>();
  private _names = new Map<string, string>();
  private _failures: IStartFailure[] = [];
  private _clustersChanged = new Signal<this, Cluster[]>(this);
}
