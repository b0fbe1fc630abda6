import { TranslationBundle, nullTranslator } from '@jupyterlab/translation';
import { VDomModel } from '@jupyterlab/ui-components';

import { CloudscapesRequestError, toRequestError } from './request';
import { JobTracker } from './jobs';

/**
 * The base of a feature's model that starts server jobs (Dask clusters,
 * downloads): its settings, its messages, the tracker of the jobs started
 * from this page (whose every change re-renders the panel), and the user's
 * actions: which are in flight, and why the last one failed. Written once so
 * that each feature's model holds only what is its own.
 */
export class JobsModel<S> extends VDomModel {
  /**
   * Without `jobs` the model tracks its own; without `trans` it speaks
   * English (tests, pages without a translator).
   */
  constructor(
    settings: S,
    jobs: JobTracker = new JobTracker(),
    trans: TranslationBundle = nullTranslator.load('cloudscapes')
  ) {
    super();
    this._settings = settings;
    this._trans = trans;
    this.jobs = jobs;
    this.jobs.jobChanged.connect(this._onJobChanged, this);
  }

  /**
   * The jobs started from this page.
   */
  readonly jobs: JobTracker;

  get settings(): S {
    return this._settings;
  }

  /**
   * New settings (the user changed them): `onSettingsChanged` applies them,
   * then the panel re-renders.
   */
  set settings(value: S) {
    this._settings = value;
    this.onSettingsChanged(value);
    this.stateChanged.emit();
  }

  /**
   * Why the last action failed (shown in a banner until dismissed).
   */
  get actionError(): CloudscapesRequestError | null {
    return this._actionError;
  }

  setActionError(reason: unknown): void {
    this._actionError = reason === null ? null : toRequestError(reason);
    this.stateChanged.emit();
  }

  /**
   * Whether any action is in flight.
   */
  get busy(): boolean {
    return this._busy.size > 0;
  }

  /**
   * Whether an action with `key` is in flight.
   */
  isBusy(key: string): boolean {
    return this._busy.has(key);
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this.jobs.jobChanged.disconnect(this._onJobChanged, this);
    super.dispose();
  }

  /**
   * What a subclass does with new settings beyond re-rendering.
   */
  protected onSettingsChanged(settings: S): void {
    // nothing by default
  }

  /**
   * Run an action under `key` (busy meanwhile, which re-renders); its failure
   * becomes `actionError` and is thrown on.
   */
  protected async _act<T>(key: string, action: () => Promise<T>): Promise<T> {
    this._busy.add(key);
    this._actionError = null;
    this.stateChanged.emit();
    try {
      return await action();
    } catch (reason) {
      this._actionError = toRequestError(reason);
      throw this._actionError;
    } finally {
      this._busy.delete(key);
      this.stateChanged.emit();
    }
  }

  protected _settings: S;
  protected readonly _trans: TranslationBundle;

  private _actionError: CloudscapesRequestError | null = null;
  private _busy = new Set<string>();

  private _onJobChanged(): void {
    this.stateChanged.emit();
  }
}
