import { TranslationBundle, nullTranslator } from '@jupyterlab/translation';
import { VDomModel } from '@jupyterlab/ui-components';

import {
  CloudscapesRequestError,
  requestAPI,
  toRequestError
} from '@cloudscapes/core';

import { IPage, PagedList } from './paging';
import { httpsUrl, listingPrefix, normalizeFolder, s3Url } from './s3path';
import { ISelectionState, ListSelection } from './selection';
import type {
  Collection,
  ObjectDetail,
  ObjectPage,
  ObjectRef,
  S3Folder,
  S3ObjectSummary,
  S3Source
} from './types';

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
 * The S3 tab: the bucket sources, where the listing is (source, bucket,
 * folder, prefix filter), its pages, the selected objects and one object's
 * details.
 */
export class S3Model extends VDomModel {
  constructor(trans: TranslationBundle = nullTranslator.load('cloudscapes')) {
    super();
    this._trans = trans;
    this.objects = new PagedList<S3Item, IS3Location>(
      (location, cursor) => this._fetchObjects(location, cursor),
      s3ItemKey,
      items => [
        ...items.filter(i => i.kind === 'folder'),
        ...items.filter(i => i.kind === 'object')
      ]
    );
    this.objects.changed.connect(() => this.stateChanged.emit());
  }

  readonly objects: PagedList<S3Item, IS3Location>;

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
    this._objectSelection.clear();
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
    this._objectSelection.clear();
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
    this._objectSelection.clear();
    this.stateChanged.emit();
    await this.objects.reset({ ...this._location });
  }

  /**
   * "Show in S3" of a collection's bucket prefix (the sources loaded): the Earthdata source of the
   * collection's DAAC (`earthdata:<daac>`), that bucket and prefix.
   */
  async showIn(
    collection: Pick<Collection, 'daac'>,
    bucket: string,
    prefix: string
  ): Promise<void> {
    const wanted = collection.daac ? `earthdata:${collection.daac}` : '';
    const source =
      this._sources?.find(s => s.id === wanted) ??
      this._sources?.find(s => s.kind === 'earthdata' && !s.daac) ??
      null;
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
    return this._objectSelection.state;
  }

  /**
   * The selected objects (folders are not selectable), in list order.
   */
  get selectedObjects(): S3ObjectSummary[] {
    const selected = this._objectSelection.state.selected;
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
    this._objectSelection.click(key, shift);
    this.stateChanged.emit();
  }

  extendObjects(key: string): void {
    this._objectSelection.extend(key);
    this.stateChanged.emit();
  }

  setObjectSelection(state: ISelectionState): void {
    this._objectSelection.state = state;
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

  /**
   * Whether the selected objects can be read over public HTTPS URLs.
   */
  get httpsAvailable(): boolean {
    return this.source?.access === 'unsigned';
  }

  /**
   * The s3:// URLs of the selected objects.
   */
  s3Urls(): string[] {
    const location = this._location;
    if (!location) {
      return [];
    }
    return this.selectedObjects.map(o => s3Url(location.bucket, o.key));
  }

  /**
   * The public HTTPS URLs of the selected objects (none unless unsigned).
   */
  httpsUrls(): string[] {
    const location = this._location;
    if (!location || !this.httpsAvailable) {
      return [];
    }
    return this.selectedObjects.map(o => httpsUrl(location.bucket, o.key));
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

  selectAll(): void {
    this._objectSelection.selectAll();
    this.stateChanged.emit();
  }

  clearSelection(): void {
    this._objectSelection.clear();
    this.stateChanged.emit();
  }

  /**
   * Before a context menu on a row that is not selected: select only it.
   */
  selectForMenu(key: string): void {
    this._objectSelection.focus(key);
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

  private _trans: TranslationBundle;
  private _sources: S3Source[] | null = null;
  private _sourcesError: CloudscapesRequestError | null = null;
  private _sourceId = '';
  private _location: IS3Location | null = null;
  private _filter = '';
  private _objectSelection = new ListSelection(() => this.objectKeys);
  private _detail: ObjectDetail | null = null;
  private _detailKey: string | null = null;
  private _detailError: CloudscapesRequestError | null = null;
}
