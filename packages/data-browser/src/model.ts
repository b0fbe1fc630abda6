import { TranslationBundle, nullTranslator } from '@jupyterlab/translation';
import { VDomModel } from '@jupyterlab/ui-components';
import { ISignal, Signal } from '@lumino/signaling';

import {
  CloudscapesRequestError,
  DataComponents,
  Job,
  JobAccepted,
  JobTracker,
  requestAPI,
  toRequestError
} from '@cloudscapes/core';

import { BBox, formatBBox } from './geo';
import { IPage, PagedList } from './paging';
import { httpsUrl, listingPrefix, normalizeFolder, s3Url } from './s3path';
import {
  EMPTY_SELECTION,
  ISelectionState,
  clickKey,
  retain,
  selectAll,
  selectOnly,
  selectRange
} from './selection';

export type DataConfig = DataComponents['schemas']['DataConfig'];
export type Collection = DataComponents['schemas']['Collection'];
export type CollectionPage = DataComponents['schemas']['CollectionPage'];
export type Granule = DataComponents['schemas']['Granule'];
export type GranulePage = DataComponents['schemas']['GranulePage'];
export type S3Source = DataComponents['schemas']['S3Source'];
export type S3Folder = DataComponents['schemas']['S3Folder'];
export type S3ObjectSummary = DataComponents['schemas']['S3ObjectSummary'];
export type ObjectPage = DataComponents['schemas']['ObjectPage'];
export type ObjectDetail = DataComponents['schemas']['ObjectDetail'];
export type ObjectRef = DataComponents['schemas']['ObjectRef'];
export type CodeRequest = DataComponents['schemas']['CodeRequest'];
export type Code = DataComponents['schemas']['Code'];
export type DownloadRequest = DataComponents['schemas']['DownloadRequest'];

/**
 * Most granules or objects one code request may name (the server's limit).
 */
export const MAX_CODE_ITEMS = 100;

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
    'ornl',
    'ghrc',
    'obdaac',
    'laads',
    'asdc'
  ]
};

export type DataTab = 'search' | 's3';

/**
 * The filters of a collection search.
 */
export interface ISearchFilters {
  keyword: string;
  /**
   * `YYYY-MM-DD` or empty.
   */
  start: string;
  end: string;
  bbox: BBox | null;
  cloudHosted: boolean;
  /**
   * A DAAC name or CMR provider id; empty for any.
   */
  provider: string;
}

export const EMPTY_FILTERS: ISearchFilters = {
  keyword: '',
  start: '',
  end: '',
  bbox: null,
  cloudHosted: true,
  provider: ''
};

/**
 * One row of an S3 listing: a folder (its prefix is the key) or an object.
 */
export type S3Item =
  ({ kind: 'folder' } & S3Folder) | ({ kind: 'object' } & S3ObjectSummary);

/**
 * Where an S3 listing is: source, bucket, folder and the filter narrowing it.
 */
export interface IS3Location {
  source: string;
  bucket: string;
  folder: string;
  filter: string;
}

/**
 * The key of an S3 row (`data-key`): the folder's prefix or the object's key.
 */
export function s3ItemKey(item: S3Item): string {
  return item.kind === 'folder' ? item.prefix : item.key;
}

/**
 * The query parameters of a collection search.
 */
export function searchParams(
  filters: ISearchFilters,
  pageSize: number,
  cursor: string | null
): Record<string, string> {
  const params: Record<string, string> = { page_size: String(pageSize) };
  if (filters.keyword.trim()) {
    params.keyword = filters.keyword.trim();
  }
  if (filters.provider) {
    params.provider = filters.provider;
  }
  if (filters.cloudHosted) {
    params.cloud_hosted = 'true';
  }
  Object.assign(params, temporalParams(filters));
  if (filters.bbox) {
    params.bbox = formatBBox(filters.bbox);
  }
  if (cursor) {
    params.cursor = cursor;
  }
  return params;
}

/**
 * `temporal_start`/`temporal_end` of the filters (whole days, UTC).
 */
export function temporalParams(
  filters: Pick<ISearchFilters, 'start' | 'end'>
): Record<string, string> {
  const params: Record<string, string> = {};
  if (filters.start) {
    params.temporal_start = `${filters.start}T00:00:00Z`;
  }
  if (filters.end) {
    params.temporal_end = `${filters.end}T23:59:59Z`;
  }
  return params;
}

interface IGranuleFilters {
  collection: string;
  start: string;
  end: string;
  bbox: BBox | null;
}

/**
 * Everything the data browser shows: the region, the Earthdata search
 * (collections, one collection's granules and their selection), the S3
 * listing (and its selection) and the downloads' jobs.
 */
export class DataBrowserModel extends VDomModel {
  constructor(
    settings: IDataBrowserSettings = DEFAULT_SETTINGS,
    jobs: JobTracker = new JobTracker(),
    trans: TranslationBundle = nullTranslator.load('cloudscapes')
  ) {
    super();
    this._trans = trans;
    this._settings = settings;
    this._filters = { ...EMPTY_FILTERS, cloudHosted: settings.cloudHostedOnly };
    this.jobs = jobs;
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
    this.objects = new PagedList<S3Item, IS3Location>(
      (location, cursor) => this._fetchObjects(location, cursor),
      s3ItemKey,
      items => [
        ...items.filter(i => i.kind === 'folder'),
        ...items.filter(i => i.kind === 'object')
      ]
    );
    const emit = () => this.stateChanged.emit();
    this.collections.changed.connect(emit);
    this.granules.changed.connect(() => {
      this._granuleSelection = retain(
        this._granuleSelection,
        this.granules.keys
      );
      emit();
    });
    this.objects.changed.connect(emit);
    this.jobs.jobChanged.connect(this._onJobChanged, this);
  }

  readonly jobs: JobTracker;
  readonly collections: PagedList<Collection, ISearchFilters>;
  readonly granules: PagedList<Granule, IGranuleFilters>;
  readonly objects: PagedList<S3Item, IS3Location>;

  get settings(): IDataBrowserSettings {
    return this._settings;
  }

  set settings(value: IDataBrowserSettings) {
    this._settings = value;
    this.stateChanged.emit();
  }

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
    this._granuleSelection = EMPTY_SELECTION;
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
    this._granuleSelection = EMPTY_SELECTION;
    this.granules.clear();
    this.stateChanged.emit();
  }

  get granuleSelection(): ISelectionState {
    return this._granuleSelection;
  }

  /**
   * The selected granules, in list order.
   */
  get selectedGranules(): Granule[] {
    const selected = this._granuleSelection.selected;
    return this.granules.items.filter(g => selected.has(g.concept_id));
  }

  clickGranule(key: string, shift: boolean): void {
    this._granuleSelection = clickKey(
      this._granuleSelection,
      this.granules.keys,
      key,
      shift
    );
    this.stateChanged.emit();
  }

  extendGranules(key: string): void {
    this._granuleSelection = selectRange(
      this._granuleSelection,
      this.granules.keys,
      key
    );
    this.stateChanged.emit();
  }

  setGranuleSelection(state: ISelectionState): void {
    this._granuleSelection = state;
    this.stateChanged.emit();
  }

  // ---- S3 ----------------------------------------------------------------------

  get sources(): S3Source[] | null {
    return this._sources;
  }

  get sourcesError(): CloudscapesRequestError | null {
    return this._sourcesError;
  }

  async loadSources(): Promise<void> {
    try {
      const answer = await requestAPI<{ sources: S3Source[] }>(
        'data/s3/sources'
      );
      this._sources = answer.sources;
      this._sourcesError = null;
    } catch (reason) {
      this._sourcesError = toRequestError(reason);
    }
    this.stateChanged.emit();
  }

  /**
   * The chosen source (also before a bucket is named).
   */
  get source(): S3Source | null {
    return this._sources?.find(s => s.id === this._sourceId) ?? null;
  }

  get sourceId(): string {
    return this._sourceId;
  }

  /**
   * Choose a source; one with a fixed bucket is listed at once.
   */
  async selectSource(id: string): Promise<void> {
    this._sourceId = id;
    this._objectSelection = EMPTY_SELECTION;
    this._detail = null;
    this._detailError = null;
    this._filter = '';
    const source = this.source;
    if (source?.bucket) {
      await this.browse(source.bucket, source.prefix);
    } else {
      this._location = null;
      this.objects.clear();
      this.stateChanged.emit();
    }
  }

  /**
   * Where the listing is, or `null` before a bucket is chosen.
   */
  get location(): IS3Location | null {
    return this._location;
  }

  get filter(): string {
    return this._filter;
  }

  /**
   * List `folder` of `bucket` of the chosen source (first page).
   */
  async browse(bucket: string, folder: string): Promise<void> {
    const source = this._sourceId;
    this._location = {
      source,
      bucket: bucket.trim(),
      folder: normalizeFolder(folder),
      filter: ''
    };
    this._filter = '';
    this._objectSelection = EMPTY_SELECTION;
    this._detail = null;
    this._detailError = null;
    this.stateChanged.emit();
    await this.objects.reset({ ...this._location });
  }

  /**
   * Open a folder of the current bucket.
   */
  async openFolder(folder: string): Promise<void> {
    if (!this._location) {
      return;
    }
    await this.browse(this._location.bucket, folder);
  }

  /**
   * Narrow the listing to keys starting with `filter` inside the folder: the
   * narrower prefix is sent to the server (no filtering of loaded pages).
   */
  async setFilter(filter: string): Promise<void> {
    this._filter = filter;
    if (!this._location) {
      this.stateChanged.emit();
      return;
    }
    this._location = { ...this._location, filter };
    this._objectSelection = retain(this._objectSelection, []);
    this.stateChanged.emit();
    await this.objects.reset({ ...this._location });
  }

  /**
   * "Show in S3" of a collection's bucket prefix: the Earthdata source of the
   * collection's DAAC (`earthdata:<daac>`), that bucket and prefix.
   */
  async showInS3(
    collection: Pick<Collection, 'daac'>,
    bucket: string,
    prefix: string
  ): Promise<void> {
    if (this._sources === null) {
      await this.loadSources();
    }
    const wanted = collection.daac ? `earthdata:${collection.daac}` : '';
    const source =
      this._sources?.find(s => s.id === wanted) ??
      this._sources?.find(s => s.kind === 'earthdata' && !s.daac) ??
      null;
    this.tab = 's3';
    if (!source) {
      this._sourceId = wanted;
      this._location = null;
      this.objects.clear();
      this._sourcesError = new CloudscapesRequestError(
        0,
        'no_source',
        collection.daac
          ? this._trans.__(
              'No S3 source for the DAAC "%1" is configured on this server.',
              collection.daac
            )
          : this._trans.__('This collection does not say which DAAC holds it.'),
        this._trans.__(
          'Ask your hub admin to add the DAAC to c.CloudscapesData.providers.'
        )
      );
      this.stateChanged.emit();
      return;
    }
    this._sourceId = source.id;
    await this.browse(bucket, prefix);
  }

  get objectSelection(): ISelectionState {
    return this._objectSelection;
  }

  /**
   * The selected objects (folders are not selectable), in list order.
   */
  get selectedObjects(): S3ObjectSummary[] {
    const selected = this._objectSelection.selected;
    const out: S3ObjectSummary[] = [];
    for (const item of this.objects.items) {
      if (item.kind === 'object' && selected.has(item.key)) {
        out.push(item);
      }
    }
    return out;
  }

  /**
   * Keys of the objects (not folders) in list order: what ranges run over.
   */
  get objectKeys(): string[] {
    return this.objects.items.filter(i => i.kind === 'object').map(s3ItemKey);
  }

  clickObject(key: string, shift: boolean): void {
    this._objectSelection = clickKey(
      this._objectSelection,
      this.objectKeys,
      key,
      shift
    );
    this.stateChanged.emit();
  }

  extendObjects(key: string): void {
    this._objectSelection = selectRange(
      this._objectSelection,
      this.objectKeys,
      key
    );
    this.stateChanged.emit();
  }

  setObjectSelection(state: ISelectionState): void {
    this._objectSelection = state;
    this.stateChanged.emit();
  }

  get detail(): ObjectDetail | null {
    return this._detail;
  }

  get detailError(): CloudscapesRequestError | null {
    return this._detailError;
  }

  /**
   * Show one object's metadata (HEAD).
   */
  async showDetail(key: string): Promise<void> {
    const location = this._location;
    if (!location) {
      return;
    }
    this._detailKey = key;
    this._detailError = null;
    this.stateChanged.emit();
    try {
      const detail = await requestAPI<ObjectDetail>(
        'data/s3/object',
        {},
        {
          params: {
            source: location.source,
            bucket: location.bucket,
            key
          }
        }
      );
      if (this._detailKey === key) {
        this._detail = detail;
      }
    } catch (reason) {
      if (this._detailKey === key) {
        this._detail = null;
        this._detailError = toRequestError(reason);
      }
    }
    this.stateChanged.emit();
  }

  closeDetail(): void {
    this._detail = null;
    this._detailError = null;
    this._detailKey = null;
    this.stateChanged.emit();
  }

  // ---- actions on the selection ------------------------------------------------------

  /**
   * How many items the actions would apply to (granules on the search tab,
   * objects on the S3 tab).
   */
  get selectionCount(): number {
    return this._tab === 'search'
      ? this.selectedGranules.length
      : this.selectedObjects.length;
  }

  /**
   * Whether the selected objects can be read over public HTTPS URLs.
   */
  get httpsAvailable(): boolean {
    if (this._tab === 'search') {
      return this.selectedGranules.some(g => g.https_urls.length > 0);
    }
    return this.source?.access === 'unsigned';
  }

  /**
   * S3 URLs of the selection (every file of each granule).
   */
  s3Urls(): string[] {
    if (this._tab === 'search') {
      return this.selectedGranules.flatMap(g => g.s3_urls);
    }
    const location = this._location;
    if (!location) {
      return [];
    }
    return this.selectedObjects.map(o => s3Url(location.bucket, o.key));
  }

  /**
   * HTTPS URLs of the selection.
   */
  httpsUrls(): string[] {
    if (this._tab === 'search') {
      return this.selectedGranules.flatMap(g => g.https_urls);
    }
    const location = this._location;
    if (!location || !this.httpsAvailable) {
      return [];
    }
    return this.selectedObjects.map(o => httpsUrl(location.bucket, o.key));
  }

  /**
   * The code request for the selection, or `null` when nothing is selected.
   */
  codeRequest(): CodeRequest | null {
    if (this._tab === 'search') {
      const ids = this.selectedGranules.map(g => g.concept_id);
      return ids.length > 0 ? { granules: ids } : null;
    }
    const refs = this.objectRefs();
    return refs.length > 0 ? { objects: refs } : null;
  }

  objectRefs(): ObjectRef[] {
    const location = this._location;
    if (!location) {
      return [];
    }
    return this.selectedObjects.map(o => ({
      source: location.source,
      bucket: location.bucket,
      key: o.key
    }));
  }

  /**
   * The last failure of an action (code, download, copy), shown in a banner.
   */
  get actionError(): CloudscapesRequestError | null {
    return this._actionError;
  }

  setActionError(error: unknown): void {
    this._actionError = error === null ? null : toRequestError(error);
    this.stateChanged.emit();
  }

  get busy(): boolean {
    return this._busy;
  }

  /**
   * Code that opens the selection (`POST /cloudscapes/data/code`).
   */
  async generateCode(): Promise<Code> {
    const request = this.codeRequest();
    return this._act(async () => {
      if (!request) {
        throw new CloudscapesRequestError(
          0,
          'nothing_selected',
          this._trans.__('Nothing is selected.'),
          this._trans.__(
            'Select granules or objects with their checkboxes first.'
          )
        );
      }
      const count = (request.granules ?? request.objects ?? []).length;
      if (count > MAX_CODE_ITEMS) {
        throw new CloudscapesRequestError(
          0,
          'too_many_selected',
          this._trans.__(
            'Code can open at most %1 items at once; %2 are selected.',
            MAX_CODE_ITEMS,
            count
          ),
          this._trans.__(
            'Select fewer items, or write a loop over a search in your notebook.'
          )
        );
      }
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
        : this.objectRefs().map(object => ({ object, overwrite: false }));
    return this._act(async () => {
      if (requests.length === 0) {
        throw new CloudscapesRequestError(
          0,
          'nothing_selected',
          this._trans.__('Nothing is selected.'),
          this._trans.__(
            'Select granules or objects with their checkboxes first.'
          )
        );
      }
      if (requests.length > MAX_CODE_ITEMS) {
        throw new CloudscapesRequestError(
          0,
          'too_many_selected',
          this._trans.__(
            'Download at most %1 items at once; %2 are selected.',
            MAX_CODE_ITEMS,
            requests.length
          ),
          this._trans.__(
            'Select fewer items, or download in a loop from your notebook.'
          )
        );
      }
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
      this._granuleSelection = selectAll(this.granules.keys);
    } else {
      this._objectSelection = selectAll(this.objectKeys);
    }
    this.stateChanged.emit();
  }

  clearSelection(): void {
    if (this._tab === 'search') {
      this._granuleSelection = EMPTY_SELECTION;
    } else {
      this._objectSelection = EMPTY_SELECTION;
    }
    this.stateChanged.emit();
  }

  /**
   * Before a context menu on a row that is not selected: select only it.
   */
  selectForMenu(key: string): void {
    if (this._tab === 'search') {
      if (!this._granuleSelection.selected.has(key)) {
        this._granuleSelection = selectOnly(key);
      }
    } else if (!this._objectSelection.selected.has(key)) {
      this._objectSelection = selectOnly(key);
    }
    this.stateChanged.emit();
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this.jobs.jobChanged.disconnect(this._onJobChanged, this);
    super.dispose();
  }

  private _onJobChanged(): void {
    this.stateChanged.emit();
  }

  private async _fetchObjects(
    location: IS3Location,
    cursor: string | null
  ): Promise<IPage<S3Item>> {
    const prefix = listingPrefix(location.folder, location.filter);
    const params: Record<string, string> = {
      source: location.source,
      prefix,
      delimiter: '/'
    };
    if (location.bucket) {
      params.bucket = location.bucket;
    }
    if (cursor) {
      params.cursor = cursor;
    }
    const page = await requestAPI<ObjectPage>(
      'data/s3/objects',
      {},
      { params }
    );
    const items: S3Item[] = [
      ...page.folders.map(f => ({ kind: 'folder' as const, ...f })),
      // a zero-byte "folder marker" object named like the folder is not listed
      ...page.objects
        .filter(o => o.key !== location.folder)
        .map(o => ({ kind: 'object' as const, ...o }))
    ];
    return { items, cursor: page.cursor };
  }

  private async _act<T>(action: () => Promise<T>): Promise<T> {
    this._busy = true;
    this._actionError = null;
    this.stateChanged.emit();
    try {
      return await action();
    } catch (reason) {
      this._actionError = toRequestError(reason);
      throw this._actionError;
    } finally {
      this._busy = false;
      this.stateChanged.emit();
    }
  }

  private _settings: IDataBrowserSettings;
  private _trans: TranslationBundle;
  private _started = false;
  private _tab: DataTab = 'search';
  private _config: DataConfig | null = null;
  private _configChecked = false;
  private _configError: CloudscapesRequestError | null = null;
  private _filters: ISearchFilters;
  private _searched = false;
  private _collection: Collection | null = null;
  private _collectionError: CloudscapesRequestError | null = null;
  private _granuleSelection: ISelectionState = EMPTY_SELECTION;
  private _sources: S3Source[] | null = null;
  private _sourcesError: CloudscapesRequestError | null = null;
  private _sourceId = '';
  private _location: IS3Location | null = null;
  private _filter = '';
  private _objectSelection: ISelectionState = EMPTY_SELECTION;
  private _detail: ObjectDetail | null = null;
  private _detailKey: string | null = null;
  private _detailError: CloudscapesRequestError | null = null;
  private _actionError: CloudscapesRequestError | null = null;
  private _busy = false;
  private _tabRequested = new Signal<this, DataTab>(this);
}
