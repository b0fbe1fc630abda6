import { VDomModel } from '@jupyterlab/ui-components';
import { Poll } from '@lumino/polling';
import { ISignal, Signal } from '@lumino/signaling';

import {
  CloudscapesRequestError,
  EarthdataComponents,
  createPoller,
  requestAPI,
  setPollInterval,
  toRequestError
} from '@cloudscapes/core';

import type { IEarthdataModel } from './tokens';

export type Session = EarthdataComponents['schemas']['Session'];
export type SignInRequest = EarthdataComponents['schemas']['SignInRequest'];
export type DaacCredentials = EarthdataComponents['schemas']['DaacCredentials'];
export type CredentialList = EarthdataComponents['schemas']['CredentialList'];
export type AwsProfiles = EarthdataComponents['schemas']['AwsProfiles'];
export type Region = EarthdataComponents['schemas']['Region'];
export type CredentialSource = Session['sources'][number];

/**
 * The user's settings of the Earthdata panel (schema/plugin.json).
 */
export interface IEarthdataSettings {
  /**
   * EDL environment to sign in to; "" is the server's default.
   */
  environment: string;
  /**
   * Initial state of "Remember me"; `null` follows the server's default.
   */
  remember: boolean | null;
  /**
   * DAACs shown; empty shows every DAAC the server lists.
   */
  daacs: string[];
  /**
   * Seconds between refreshes of the DAAC credential list.
   */
  refreshInterval: number;
}

export const DEFAULT_SETTINGS: IEarthdataSettings = {
  environment: '',
  remember: null,
  daacs: [],
  refreshInterval: 30
};

/**
 * The Earthdata Login state of this server: the session, the DAACs' S3
 * credentials (polled while signed in) and the region. The model never holds
 * a password or token: it sends what the form gives it and keeps only the answer.
 */
export class EarthdataModel extends VDomModel implements IEarthdataModel {
  constructor(settings: IEarthdataSettings = DEFAULT_SETTINGS) {
    super();
    this._settings = settings;
  }

  get settings(): IEarthdataSettings {
    return this._settings;
  }

  set settings(value: IEarthdataSettings) {
    this._settings = value;
    if (this._poll) {
      setPollInterval(this._poll, value.refreshInterval * 1000);
    }
    this.stateChanged.emit();
  }

  /**
   * The session, or `null` before the first answer.
   */
  get session(): Session | null {
    return this._session;
  }

  get signedIn(): boolean {
    return this._session?.signed_in ?? false;
  }

  get sessionChanged(): ISignal<this, Session | null> {
    return this._sessionChanged;
  }

  /**
   * Every DAAC the server lists, or `null` before the first answer.
   */
  get credentials(): DaacCredentials[] | null {
    return this._credentials;
  }

  /**
   * The DAACs the user chose to see (setting `daacs`; empty = all).
   */
  get shownCredentials(): DaacCredentials[] {
    const all = this._credentials ?? [];
    const wanted = this._settings.daacs.map(d => d.toLowerCase());
    if (wanted.length === 0) {
      return all;
    }
    return all.filter(row => wanted.includes(row.daac.toLowerCase()));
  }

  /**
   * AWS profiles that exist for the shown DAACs (e.g. `earthdata-nsidc`),
   * those with valid credentials first and failing ones last.
   */
  get profiles(): string[] {
    const rank = (row: DaacCredentials) =>
      row.status === 'valid' ? 0 : row.status === 'error' ? 2 : 1;
    return this.shownCredentials
      .filter(row => !!row.profile)
      .map((row, index) => ({ row, index }))
      .sort((a, b) => rank(a.row) - rank(b.row) || a.index - b.index)
      .map(({ row }) => row.profile as string);
  }

  get region(): Region | null {
    return this._region;
  }

  /**
   * Whether the region has been asked (the badge waits for the first answer).
   */
  get regionChecked(): boolean {
    return this._regionChecked;
  }

  /**
   * True while a sign-in, sign-out, renewal or profile write is in flight.
   */
  get busy(): boolean {
    return this._busy;
  }

  /**
   * The last failed user action (or failed session load), shown at the top.
   */
  get error(): CloudscapesRequestError | null {
    return this._error;
  }

  /**
   * The last failure of the credential list refresh.
   */
  get credentialsError(): CloudscapesRequestError | null {
    return this._credentialsError;
  }

  /**
   * The last failure of "Set up AWS profiles".
   */
  get profilesError(): CloudscapesRequestError | null {
    return this._profilesError;
  }

  /**
   * The failure of the last "Refresh" of `daac`, if any.
   */
  daacError(daac: string): CloudscapesRequestError | null {
    return this._daacErrors.get(daac) ?? null;
  }

  /**
   * Whether a refresh of `daac` is in flight.
   */
  daacBusy(daac: string): boolean {
    return this._daacBusy.has(daac);
  }

  /**
   * Initial state of "Remember me": the user's setting, else the server's default.
   */
  get rememberDefault(): boolean {
    return this._settings.remember ?? this._session?.remember_default ?? false;
  }

  /**
   * The environments offered (more than one only when the admin allows it).
   */
  get environments(): string[] {
    return this._session?.environments ?? [];
  }

  /**
   * The environment preselected in the form: the setting when the server allows
   * it, else the server's default.
   */
  get environmentDefault(): string {
    const wanted = this._settings.environment;
    if (wanted && this.environments.includes(wanted)) {
      return wanted;
    }
    return this._session?.environment ?? '';
  }

  /**
   * Load the session and the region; the credential poll starts once signed in.
   */
  start(): void {
    if (this._started) {
      return;
    }
    this._started = true;
    void this.refresh().catch(() => undefined);
    void this.refreshRegion().catch(() => undefined);
  }

  /**
   * Reload the session (and with it the credentials when signed in).
   */
  async refresh(): Promise<void> {
    try {
      this.setSession(
        await requestAPI<Session>('earthdata/session', {}, { track: false })
      );
    } catch (reason) {
      this._error = toRequestError(reason);
      this.stateChanged.emit();
      throw reason;
    }
  }

  async refreshRegion(): Promise<void> {
    try {
      this.setRegion(
        await requestAPI<Region>('earthdata/region', {}, { track: false })
      );
    } catch (reason) {
      // The badge then says "Region unknown".
      this.setRegion(null);
      throw reason;
    }
  }

  /**
   * Fetch the DAAC list now. Rejects (after recording the error) so the poll
   * backs off.
   */
  async refreshCredentials(): Promise<void> {
    try {
      const list = await requestAPI<CredentialList>(
        'earthdata/credentials',
        {},
        { track: false }
      );
      this.setCredentials(list.daacs);
    } catch (reason) {
      const error = toRequestError(reason);
      this._credentialsError = error;
      this.stateChanged.emit();
      if (error.code === 'earthdata_not_signed_in') {
        // Signed out elsewhere (or the server restarted and forgot it).
        void this.refresh().catch(() => undefined);
      }
      throw reason;
    }
  }

  /**
   * Sign in with a password, a token or a detected source. The request is
   * sent as given and not kept.
   */
  async signIn(request: SignInRequest): Promise<Session> {
    return this._act(async () => {
      const session = await requestAPI<Session>('earthdata/session', {
        method: 'POST',
        body: JSON.stringify(request)
      });
      this.setSession(session);
      return session;
    });
  }

  /**
   * Sign out; with `revoke`, the token is revoked at Earthdata Login too.
   */
  async signOut(revoke: boolean): Promise<Session> {
    return this._act(async () => {
      const session = await requestAPI<Session>(
        'earthdata/session',
        { method: 'DELETE' },
        { params: { revoke: revoke ? '1' : '0' } }
      );
      this.setSession(session);
      return session;
    });
  }

  /**
   * Replace the token with a fresh one.
   */
  async renew(): Promise<Session> {
    return this._act(async () => {
      const session = await requestAPI<Session>('earthdata/session/renew', {
        method: 'POST'
      });
      this.setSession(session);
      return session;
    });
  }

  /**
   * Fetch (or refresh) one DAAC's S3 credentials. A failure is kept for that
   * DAAC's row (and rethrown).
   */
  async refreshDaac(daac: string): Promise<DaacCredentials> {
    this._daacBusy.add(daac);
    this._daacErrors.delete(daac);
    this.stateChanged.emit();
    try {
      const row = await requestAPI<DaacCredentials>(
        `earthdata/credentials/${encodeURIComponent(daac)}`,
        { method: 'POST' }
      );
      this._replaceRow(row);
      return row;
    } catch (reason) {
      const error = toRequestError(reason);
      this._daacErrors.set(daac, error);
      if (error.code === 'earthdata_not_signed_in') {
        void this.refresh().catch(() => undefined);
      }
      throw reason;
    } finally {
      this._daacBusy.delete(daac);
      this.stateChanged.emit();
    }
  }

  /**
   * Write `earthdata-<daac>` AWS profiles for `daacs` (default: the shown DAACs).
   */
  async writeProfiles(daacs?: string[]): Promise<AwsProfiles> {
    const wanted = daacs ?? this.shownCredentials.map(row => row.daac);
    this._profilesError = null;
    try {
      return await this._act(async () => {
        const result = await requestAPI<AwsProfiles>('earthdata/aws-profiles', {
          method: 'POST',
          body: JSON.stringify({ daacs: wanted })
        });
        await this.refreshCredentials().catch(() => undefined);
        return result;
      }, false);
    } catch (reason) {
      this._profilesError = toRequestError(reason);
      this.stateChanged.emit();
      throw reason;
    }
  }

  /**
   * Replace the session (used by every action, and by tests). After `start()`,
   * starts the credential poll when signed in; stops it when signed out.
   */
  setSession(session: Session): void {
    this._session = session;
    this._error = null;
    if (session.signed_in) {
      if (this._started) {
        this._startPoll();
      }
    } else {
      this._stopPoll();
      this._credentials = null;
      this._credentialsError = null;
      this._profilesError = null;
      this._daacErrors.clear();
    }
    this._sessionChanged.emit(session);
    this.stateChanged.emit();
  }

  /**
   * Replace the DAAC list (used by the poll, and by tests).
   */
  setCredentials(rows: DaacCredentials[]): void {
    this._credentials = rows;
    this._credentialsError = null;
    this.stateChanged.emit();
  }

  setRegion(region: Region | null): void {
    this._region = region;
    this._regionChecked = true;
    this.stateChanged.emit();
  }

  /**
   * Forget the last action's error (the banner's dismiss button).
   */
  dismissError(): void {
    this._error = null;
    this.stateChanged.emit();
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._stopPoll();
    super.dispose();
  }

  private _startPoll(): void {
    if (this._poll) {
      return;
    }
    this._poll = createPoller({
      name: '@cloudscapes/earthdata:credentials',
      interval: this._settings.refreshInterval * 1000,
      task: () => this.refreshCredentials()
    });
  }

  private _stopPoll(): void {
    this._poll?.dispose();
    this._poll = null;
  }

  private _replaceRow(row: DaacCredentials): void {
    const rows = this._credentials ?? [];
    const index = rows.findIndex(r => r.daac === row.daac);
    this._credentials =
      index >= 0
        ? [...rows.slice(0, index), row, ...rows.slice(index + 1)]
        : [...rows, row];
  }

  private async _act<T>(
    action: () => Promise<T>,
    recordError = true
  ): Promise<T> {
    this._busy = true;
    if (recordError) {
      this._error = null;
    }
    this.stateChanged.emit();
    try {
      return await action();
    } catch (reason) {
      if (recordError) {
        this._error = toRequestError(reason);
      }
      throw reason;
    } finally {
      this._busy = false;
      this.stateChanged.emit();
    }
  }

  private _settings: IEarthdataSettings;
  private _session: Session | null = null;
  private _credentials: DaacCredentials[] | null = null;
  private _region: Region | null = null;
  private _regionChecked = false;
  private _busy = false;
  private _started = false;
  private _error: CloudscapesRequestError | null = null;
  private _credentialsError: CloudscapesRequestError | null = null;
  private _profilesError: CloudscapesRequestError | null = null;
  private _daacErrors = new Map<string, CloudscapesRequestError>();
  private _daacBusy = new Set<string>();
  private _poll: Poll | null = null;
  private _sessionChanged = new Signal<this, Session | null>(this);
}
