import type { ISettingRegistry } from '@jupyterlab/settingregistry';
import { IDisposable } from '@lumino/disposable';
import { ISignal, Signal } from '@lumino/signaling';

import { followSettings } from './settings';

/**
 * The settings that say how long the user may leave the page untouched before
 * Cloudscapes' polls stand by (`packages/usage/schema/idle.json`). One setting
 * for the whole page: every poller of every package shares one `userIdle()`.
 */
export const IDLE_SETTINGS_PLUGIN = '@cloudscapes/usage:idle';

/**
 * Minutes without input after which polls stand by, unless the settings say
 * otherwise (0 never).
 */
export const DEFAULT_IDLE_MINUTES = 30;

/**
 * The user's input that counts as using the page. Listened to in the capture
 * phase (widgets that stop propagation cannot hide it) and passively (never
 * delays scrolling or typing). `focusin` covers moving through the page with
 * the keyboard; the window's `focus` and the tab becoming visible count too.
 */
export const INPUT_EVENTS = [
  'pointerdown',
  'pointermove',
  'keydown',
  'wheel',
  'touchstart',
  'focusin'
] as const;

/**
 * Options of a `UserIdle`.
 */
export interface IUserIdleOptions {
  /**
   * Milliseconds without input after which the user is idle; 0 never
   * (default `DEFAULT_IDLE_MINUTES`).
   */
  timeout?: number;
  /**
   * Input closer than this to the last one recorded is not recorded again
   * (default 1 s): a moving pointer costs one clock read per event.
   */
  throttle?: number;
}

/**
 * Whether the user has left the page untouched for longer than `timeout`: an
 * open but abandoned tab. Pollers stand by while `isIdle`, and `resumed` fires
 * on the first input after an idle spell so that they tick at once.
 */
export class UserIdle implements IDisposable {
  constructor(options: IUserIdleOptions = {}) {
    this._timeout = Math.max(
      0,
      options.timeout ?? DEFAULT_IDLE_MINUTES * 60 * 1000
    );
    this._throttle = options.throttle ?? 1000;
    this._lastInput = Date.now();
    if (typeof document === 'undefined') {
      return;
    }
    const listen = { capture: true, passive: true };
    for (const type of INPUT_EVENTS) {
      document.addEventListener(type, this._onInput, listen);
    }
    document.addEventListener('visibilitychange', this._onVisible, listen);
    window.addEventListener('focus', this._onInput, listen);
  }

  /**
   * Milliseconds without input after which the user is idle; 0 never. A
   * longer timeout that ends an idle spell fires `resumed`.
   */
  get timeout(): number {
    return this._timeout;
  }
  set timeout(timeout: number) {
    const wasIdle = this.isIdle;
    this._timeout = Math.max(0, Number.isFinite(timeout) ? timeout : 0);
    if (wasIdle && !this.isIdle) {
      this._resumed.emit();
    }
  }

  /**
   * When the last input was recorded (`Date.now()` milliseconds).
   */
  get lastInput(): number {
    return this._lastInput;
  }

  /**
   * Whether the page has gone untouched for longer than `timeout`.
   */
  get isIdle(): boolean {
    return this._timeout > 0 && Date.now() - this._lastInput >= this._timeout;
  }

  /**
   * Emitted on the first input after an idle spell.
   */
  get resumed(): ISignal<this, void> {
    return this._resumed;
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  /**
   * Record input now (the listeners call it; so may a view that knows of
   * input the page cannot see, such as a dashboard's iframe).
   */
  notify(): void {
    const now = Date.now();
    const since = now - this._lastInput;
    const wasIdle = this._timeout > 0 && since >= this._timeout;
    if (!wasIdle && since < this._throttle) {
      return;
    }
    this._lastInput = now;
    if (wasIdle) {
      this._resumed.emit();
    }
  }

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    if (typeof document !== 'undefined') {
      const listen = { capture: true };
      for (const type of INPUT_EVENTS) {
        document.removeEventListener(type, this._onInput, listen);
      }
      document.removeEventListener('visibilitychange', this._onVisible, listen);
      window.removeEventListener('focus', this._onInput, listen);
    }
    Signal.clearData(this);
  }

  private _onInput = (): void => this.notify();

  private _onVisible = (): void => {
    if (document.visibilityState === 'visible') {
      this.notify();
    }
  };

  private _timeout: number;
  private _throttle: number;
  private _lastInput: number;
  private _isDisposed = false;
  private _resumed = new Signal<this, void>(this);
}

let shared: UserIdle | null = null;

/**
 * The page's `UserIdle`, shared by every Cloudscapes package (core is one
 * singleton module for all of them); created, with its listeners, by the first
 * poller.
 */
export function userIdle(): UserIdle {
  if (!shared || shared.isDisposed) {
    shared = new UserIdle();
  }
  return shared;
}

/**
 * The idle settings' values.
 */
export interface IIdleSettings {
  idleMinutes: number;
}

let following: Promise<void> | null = null;

/**
 * Keep `userIdle().timeout` following `idleMinutes` of `IDLE_SETTINGS_PLUGIN`
 * (the admin's overrides.json under the user's value). Reads the settings
 * once per page, however many callers: the first call with a registry loads
 * them, later calls get the same promise. Until they are in (or when they
 * cannot be read) the timeout is `DEFAULT_IDLE_MINUTES`.
 */
export function followIdleSettings(
  registry: ISettingRegistry | null
): Promise<void> {
  if (!registry) {
    return Promise.resolve();
  }
  if (!following) {
    following = followSettings<IIdleSettings>(
      registry,
      IDLE_SETTINGS_PLUGIN,
      { idleMinutes: DEFAULT_IDLE_MINUTES },
      ({ idleMinutes }) => {
        userIdle().timeout = Number(idleMinutes) * 60 * 1000;
      }
    );
  }
  return following;
}
