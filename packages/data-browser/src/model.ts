import type { TranslationBundle } from '@jupyterlab/translation';
import { ISignal, Signal } from '@lumino/signaling';

import {
  CloudscapesRequestError,
  Job,
  JobAccepted,
  JobTracker,
  JobsModel,
  requestAPI,
  toRequestError
} from '@cloudscapes/core';

import { formatBBox } from './geo';
import { checkSelectionSize } from './limits';
import {
  EMPTY_FILTERS,
  IGranuleFilters,
  ISearchFilters,
  searchParams,
  temporalParams
} from './search';
import { PagedList } from './paging';
import { S3Model } from './s3';
import { ISelectionState, ListSelection } from './selection';
import type {
  Code,
  CodeRequest,
  Collection,
  CollectionPage,
  DataConfig,
  DownloadRequest,
  Granule,
  GranulePage
} from './types';

export * from './types';
export * from './search';
export { S3Model, s3ItemKey } from './s3';
export type { IS3Location, S3Item } from './s3';

export { MAX_CODE_ITEMS } from './limits';

/**
 * The busy key of the actions on the selection (code, downloads): the panel
 * shows `busy` while one is in flight.
 */
const SELECTION_ACTION = 'selection';

/**
 * The user's settings of the data browser (schema/plugin.json).
 */
export interface IDataBrowserSettings {
  tileUrl: string;
  tileAttribution: string;
  pageSize: number;
  cloudHostedOnly: boolean;
  providers: string[];
}

export const DEFAULT_SETTINGS: IDataBrowserSettings = {
  tileUrl: 'https://tile.openstreetmap.org/{z}/{x}/{y}.png',
  tileAttribution:
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
  pageSize: 100,
  cloudHostedOnly: true,
  providers: [
    'nsidc',
    'podaac',
    'lpdaac',
    'gesdisc',
    'asf',
    'ornldaac',
    'ghrc',
    'obdaac',
    'laads',
    'asdc'
  ]
};

export type DataTab = 'search' | 's3';

/**
 * Everything the data browser shows: the region, the Earthdata search
 * (collections, one collection's granules and their selection), the S3
 * listing (and its selection) and the downloads' jobs.
 */
export class DataBrowserModel extends JobsModel<IDataBrowserSettings> {
  constructor(
    settings = DEFAULT_SETTINGS,
    jobs?: JobTracker,
    trans?: TranslationBundle
  ) {
    super(settings, jobs, trans);
    this._filters = { ...EMPTY_FILTERS, cloudHosted: settings.cloudHostedOnly };
    this.collections = new PagedList<Collection, ISearchFilters>(
      (filters, cursor) =>
        requestAPI<CollectionPage>(
          'data/collections',
          {},
          { params: searchParams(filters, this._settings.pageSize, cursor) }
        ),
      c => c.concept_id
    );
    this.granules = new PagedList<Granule, IGranuleFilters>(
      (filters, cursor) => {
        const params: Record<string, string> = {
          page_size: String(this._settings.pageSize),
          ...temporalParams(filters)
        };
        if (filters.bbox) {
          params.bbox = formatBBox(filters.bbox);
        }
        if (cursor) {
          params.cursor = cursor;
        }
        return requestAPI<GranulePage>(
          `data/collections/${encodeURIComponent(filters.collection)}/granules`,
          {},
          { params }
        );
      },
      g => g.concept_id
    );
    this.s3 = new S3Model(this._trans);
    const emit = () => this.stateChanged.emit();
    this.collections.changed.connect(emit);
    this.granules.changed.connect(() => {
      this._granuleSelection.retain();
      emit();
    });
    this.s3.stateChanged.connect(emit);
  }

  readonly collections: PagedList<Collection, ISearchFilters>;
  readonly granules: PagedList<Granule, IGranuleFilters>;
  /**
   * The S3 tab.
   */
  readonly s3: S3Model;

  /**
   * Emitted when the user asks to see a tab (commands, "Show in S3").
   */
  get tabRequested(): ISignal<this, DataTab> {
    return this._tabRequested;
  }

  get tab(): DataTab {
    return this._tab;
  }

  set tab(value: DataTab) {
    if (value === this._tab) {
      return;
    }
    this._tab = value;
    this.stateChanged.emit();
    this._tabRequested.emit(value);
  }

  /**
   * Load what the panel needs first (the region); called when it is first
   * shown, so JupyterLab's startup makes no request for it.
   */
  start(): void {
    if (this._started) {
      return;
    }
    this._started = true;
    void this.loadConfig();
  }

  // ---- region ----------------------------------------------------------------

  get config(): DataConfig | null {
    return this._config;
  }

  get configChecked(): boolean {
    return this._configChecked;
  }

  /**
   * `true` in region (S3 links), `false` out of region (HTTPS), `null` unknown.
   */
  get inRegion(): boolean | null {
    return this._config?.in_region ?? null;
  }

  async loadConfig(): Promise<void> {
    try {
      this._config = await requestAPI<DataConfig>(
        'data/config',
        {},
        { track: false }
      );
    } catch (reason) {
      this._config = null;
      this._configError = toRequestError(reason);
    } finally {
      this._configChecked = true;
      this.stateChanged.emit();
    }
  }

  get configError(): CloudscapesRequestError | null {
    return this._configError;
  }

  // ---- Earthdata search --------------------------------------------------------

  get filters(): ISearchFilters {
    return this._filters;
  }

  /**
   * Change the filters (the form); `search()` applies them.
   */
  setFilters(change: Partial<ISearchFilters>): void {
    this._filters = { ...this._filters, ...change };
    this.stateChanged.emit();
  }

  /**
   * Search collections with the current filters (first page).
   */
  async search(): Promise<void> {
    this.closeCollection();
    this._searched = true;
    await this.collections.reset({ ...this._filters });
  }

  get searched(): boolean {
    return this._searched;
  }

  /**
   * The collection whose detail and granules are shown.
   */
  get collection(): Collection | null {
    return this._collection;
  }

  get collectionError(): CloudscapesRequestError | null {
    return this._collectionError;
  }

  /**
   * Show a collection (from the result list) and load its granules with the
   * search's time range and box. The full record is fetched for its S3 prefixes.
   */
  async openCollection(collection: Collection): Promise<void> {
    this._collection = collection;
    this._collectionError = null;
    this._granuleSelection.clear();
    this.stateChanged.emit();
    const filters = this.collections.filters ?? this._filters;
    const granules = this.granules.reset({
      collection: collection.concept_id,
      start: filters.start,
      end: filters.end,
      bbox: filters.bbox
    });
    try {
      const full = await requestAPI<Collection>(
        `data/collections/${encodeURIComponent(collection.concept_id)}`
      );
      if (this._collection?.concept_id === collection.concept_id) {
        this._collection = full;
      }
    } catch (reason) {
      if (this._collection?.concept_id === collection.concept_id) {
        this._collectionError = toRequestError(reason);
      }
    }
    this.stateChanged.emit();
    await granules;
  }

  closeCollection(): void {
    this._collection = null;
    this._collectionError = null;
    this._granuleSelection.clear();
    this.granules.clear();
    this.stateChanged.emit();
  }

  get granuleSelection(): ISelectionState {
    return this._granuleSelection.state;
  }

  /**
   * The selected granules, in list order.
   */
  get selectedGranules(): Granule[] {
    return this.granules.items.filter(g =>
      this._granuleSelection.has(g.concept_id)
    );
  }

  clickGranule(key: string, shift: boolean): void {
    this._granuleSelection.click(key, shift);
    this.stateChanged.emit();
  }

  extendGranules(key: string): void {
    this._granuleSelection.extend(key);
    this.stateChanged.emit();
  }

  setGranuleSelection(state: ISelectionState): void {
    this._granuleSelection.state = state;
    this.stateChanged.emit();
  }

  // ---- S3 ----------------------------------------------------------------------

  /**
   * "Show in S3" of a collection's bucket prefix: the S3 tab, on the Earthdata
   * source of the collection's DAAC (`earthdata:<daac>`), that bucket and prefix.
   */
  async showInS3(
    collection: Pick<Collection, 'daac'>,
    bucket: string,
    prefix: string
  ): Promise<void> {
    if (this.s3.sources === null) {
      await this.s3.loadSources();
    }
    this.tab = 's3';
    await this.s3.showIn(collection, bucket, prefix);
  }

  // ---- actions on the selection ------------------------------------------------------

  /**
   * How many items the actions would apply to (granules on the search tab,
   * objects on the S3 tab).
   */
  get selectionCount(): number {
    return this._tab === 'search'
      ? this.selectedGranules.length
      : this.s3.selectedObjects.length;
  }

  /**
   * Whether the selected objects can be read over public HTTPS URLs.
   */
  get httpsAvailable(): boolean {
    if (this._tab === 'search') {
      return this.selectedGranules.some(g => g.https_urls.length > 0);
    }
    return this.s3.httpsAvailable;
  }

  /**
   * S3 URLs of the selection (every file of each granule).
   */
  s3Urls(): string[] {
    if (this._tab === 'search') {
      return this.selectedGranules.flatMap(g => g.s3_urls);
    }
    return this.s3.s3Urls();
  }

  /**
   * HTTPS URLs of the selection.
   */
  httpsUrls(): string[] {
    if (this._tab === 'search') {
      return this.selectedGranules.flatMap(g => g.https_urls);
    }
    return this.s3.httpsUrls();
  }

  /**
   * The code request for the selection, or `null` when nothing is selected.
   */
  codeRequest(): CodeRequest | null {
    if (this._tab === 'search') {
      const ids = this.selectedGranules.map(g => g.concept_id);
      return ids.length > 0 ? { granules: ids } : null;
    }
    const refs = this.s3.objectRefs();
    return refs.length > 0 ? { objects: refs } : null;
  }

  /**
   * Code that opens the selection (`POST /cloudscapes/data/code`); for
   * granules, only the data formats in `formats` (ids of an earlier answer's
   * `formats`) when given.
   */
  async generateCode(formats?: string[]): Promise<Code> {
    const base = this.codeRequest();
    const request =
      base?.granules && formats && formats.length > 0
        ? { ...base, formats }
        : base;
    return this._act(SELECTION_ACTION, async () => {
      const items = request?.granules ?? request?.objects ?? [];
      checkSelectionSize(items.length, this._trans, (max, count) => [
        this._trans.__(
          'Code can open at most %1 items at once; %2 are selected.',
          max,
          count
        ),
        this._trans.__(
          'Select fewer items, or write a loop over a search in your notebook.'
        )
      ]);
      return requestAPI<Code>('data/code', {
        method: 'POST',
        body: JSON.stringify(request)
      });
    });
  }

  /**
   * Start one download job per selected granule or object and track them.
   */
  async downloadSelection(): Promise<Job[]> {
    const requests: DownloadRequest[] =
      this._tab === 'search'
        ? this.selectedGranules.map(g => ({
            granule: g.concept_id,
            overwrite: false
          }))
        : this.s3.objectRefs().map(object => ({ object, overwrite: false }));
    return this._act(SELECTION_ACTION, async () => {
      checkSelectionSize(requests.length, this._trans, (max, count) => [
        this._trans.__(
          'Download at most %1 items at once; %2 are selected.',
          max,
          count
        ),
        this._trans.__(
          'Select fewer items, or download in a loop from your notebook.'
        )
      ]);
      const started: Job[] = [];
      for (const request of requests) {
        started.push(await this.download(request));
      }
      return started;
    });
  }

  /**
   * Start one download (`POST /cloudscapes/data/downloads`) and track its job.
   */
  async download(request: DownloadRequest): Promise<Job> {
    const accepted = await requestAPI<JobAccepted>('data/downloads', {
      method: 'POST',
      body: JSON.stringify(request)
    });
    this.jobs.track(accepted.job);
    return accepted.job;
  }

  /**
   * Cancel a download; a failure shows in the banner.
   */
  async cancelJob(id: string): Promise<void> {
    try {
      await this.jobs.cancel(id);
    } catch (reason) {
      this.setActionError(reason);
    }
  }

  /**
   * Select every loaded granule or object (Ctrl/Cmd+A).
   */
  selectAllLoaded(): void {
    if (this._tab === 'search') {
      this._granuleSelection.selectAll();
      this.stateChanged.emit();
    } else {
      this.s3.selectAll();
    }
  }

  clearSelection(): void {
    if (this._tab === 'search') {
      this._granuleSelection.clear();
      this.stateChanged.emit();
    } else {
      this.s3.clearSelection();
    }
  }

  /**
   * Before a context menu on a row that is not selected: select only it.
   */
  selectForMenu(key: string): void {
    if (this._tab === 'search') {
      this._granuleSelection.focus(key);
      this.stateChanged.emit();
    } else {
      this.s3.selectForMenu(key);
    }
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this.s3.dispose();
    super.dispose();
  }

  private _started = false;
  private _tab: DataTab = 'search';
  private _config: DataConfig | null = null;
  private _configChecked = false;
  private _configError: CloudscapesRequestError | null = null;
  private _filters: ISearchFilters;
  private _searched = false;
  private _collection: Collection | null = null;
  private _collectionError: CloudscapesRequestError | null = null;
  private _granuleSelection = new ListSelection(() => this.granules.keys);
  private _tabRequested = new Signal<this, DataTab>(this);
}
