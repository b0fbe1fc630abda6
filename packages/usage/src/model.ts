import { VDomModel } from '@jupyterlab/ui-components';
import { Poll } from '@lumino/polling';
import { ISignal, Signal } from '@lumino/signaling';

import {
  CloudscapesRequestError,
  ICloudscapesUsage,
  Usage,
  UsageComponents,
  createPoller,
  requestAPI,
  setPollInterval,
  toRequestError
} from '@cloudscapes/core';

import type { CurrencyDisplay } from './format';
import {
  IFollowOptions,
  StopEnd,
  StopResult,
  followStop,
  serverIsGone
} from './stop';

type KeepAlive = UsageComponents['schemas']['KeepAlive'];

/**
 * The user's settings of the usage indicator (schema/plugin.json).
 */
export interface IUsageSettings {
  refreshInterval: number;
  showCost: boolean;
  showMemory: boolean;
  showIdle: boolean;
  memoryWarning: number | null;
  diskWarning: number | null;
  cullWarningMinutes: number;
  currencyDisplay: CurrencyDisplay;
  keepAliveChoices: number[];
  notifications: boolean;
}

export const DEFAULT_SETTINGS: IUsageSettings = {
  refreshInterval: 5,
  showCost: true,
  showMemory: true,
  showIdle: true,
  memoryWarning: null,
  diskWarning: null,
  cullWarningMinutes: 10,
  currencyDisplay: 'symbol',
  keepAliveChoices: [30, 60, 120, 240],
  notifications: true
};

/**
 * The live usage snapshot, polled from the server while the tab is visible.
 */
export class UsageModel extends VDomModel implements ICloudscapesUsage {
  constructor(settings: IUsageSettings = DEFAULT_SETTINGS) {
    super();
    this._settings = settings;
  }

  get usage(): Usage | null {
    return this._usage;
  }

  get error(): CloudscapesRequestError | null {
    return this._error;
  }

  get settings(): IUsageSettings {
    return this._settings;
  }

  set settings(value: IUsageSettings) {
    this._settings = value;
    if (this._poll) {
      setPollInterval(this._poll, value.refreshInterval * 1000);
    }
    this.stateChanged.emit();
  }

  get usageChanged(): ISignal<this, Usage | null> {
    return this._usageChanged;
  }

  /**
   * True while a keep-alive, stop or other user action is in flight.
   */
  get busy(): boolean {
    return this._busy;
  }

  /**
   * Start polling (stands by while the tab is hidden).
   */
  start(): void {
    if (this._poll) {
      return;
    }
    this._poll = createPoller({
      name: '@cloudscapes/usage:poll',
      interval: this._settings.refreshInterval * 1000,
      task: () => this.refresh()
    });
  }

  /**
   * Fetch one snapshot now. Rejects (after recording the error) so the poll backs off.
   */
  async refresh(): Promise<void> {
    try {
      this.setUsage(await requestAPI<Usage>('usage', {}, { track: false }));
    } catch (reason) {
      this._error = toRequestError(reason);
      this.stateChanged.emit();
      throw reason;
    }
  }

  /**
   * Replace the snapshot (used by refresh, and by tests).
   */
  setUsage(usage: Usage): void {
    this._usage = usage;
    this._error = null;
    this._usageChanged.emit(usage);
    this.stateChanged.emit();
  }

  async keepAlive(minutes: number): Promise<KeepAlive> {
    return this._act(() =>
      requestAPI<KeepAlive>('usage/keepalive', {
        method: 'POST',
        body: JSON.stringify({ minutes })
      })
    );
  }

  async endKeepAlive(): Promise<KeepAlive> {
    return this._act(() =>
      requestAPI<KeepAlive>('usage/keepalive', { method: 'DELETE' })
    );
  }

  /**
   * Stop the server, and under a hub follow the stop to its end (`end`): busy
   * until then. Outside a hub the server answers `shutting_down` and goes.
   */
  async stopServer(
    follow: IFollowOptions = {}
  ): Promise<StopResult & { end?: StopEnd }> {
    return this._act(async () => {
      let answer: StopResult;
      try {
        answer = await requestAPI<StopResult>('usage/stop', { method: 'POST' });
      } catch (reason) {
        const hub = this._usage?.hub;
        if (!hub?.present || !serverIsGone(toRequestError(reason))) {
          throw reason;
        }
        // The hub took the server down before its answer came through.
        answer = { status: 'stopping', redirect: hub.home_url };
      }
      this._poll?.dispose();
      this._poll = null;
      if (answer.status !== 'stopping') {
        return answer;
      }
      try {
        return { ...answer, end: await followStop(follow) };
      } catch (reason) {
        // the server stays: its status item and panel must go on refreshing
        this.start();
        throw reason;
      }
    }, false);
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._poll?.dispose();
    super.dispose();
  }

  private async _act<T>(action: () => Promise<T>, refresh = true): Promise<T> {
    this._busy = true;
    this.stateChanged.emit();
    try {
      const result = await action();
      if (refresh) {
        await this.refresh().catch(() => undefined);
      }
      return result;
    } finally {
      this._busy = false;
      this.stateChanged.emit();
    }
  }

  private _settings: IUsageSettings;
  private _usage: Usage | null = null;
  private _error: CloudscapesRequestError | null = null;
  private _busy = false;
  private _poll: Poll | null = null;
  private _usageChanged = new Signal<this, Usage | null>(this);
}
