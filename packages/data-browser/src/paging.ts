import { ISignal, Signal } from '@lumino/signaling';

import { CloudscapesRequestError, toRequestError } from '@cloudscapes/core';

/**
 * One page as a route answers it.
 */
export interface IPage<T> {
  items: T[];
  /**
   * Opaque; `null` on the last page.
   */
  cursor: string | null;
  /**
   * Total matches when the server knows them (CMR hits).
   */
  hits?: number | null;
}

/**
 * Fetch one page for `filters`, continuing after `cursor` (`null` = first page).
 */
export type PageFetcher<T, F> = (
  filters: F,
  cursor: string | null
) => Promise<IPage<T>>;

/**
 * A list loaded one server page at a time: `reset(filters)` loads the first
 * page, `loadMore()` sends the last `cursor` back with the same filters and
 * appends the new items (an item already loaded is not appended twice), until
 * the server answers `cursor: null` or the loaded items reach its `hits`.
 * Answers to superseded requests are dropped.
 */
export class PagedList<T, F> {
  constructor(
    private _fetch: PageFetcher<T, F>,
    private _keyOf: (item: T) => string,
    private _arrange?: (items: T[]) => T[]
  ) {}

  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /**
   * The filters of the loaded pages, or `null` before the first `reset`.
   */
  get filters(): F | null {
    return this._filters;
  }

  get items(): readonly T[] {
    return this._items;
  }

  get keys(): readonly string[] {
    return this._keys;
  }

  /**
   * Total matches, when the server says.
   */
  get hits(): number | null {
    return this._hits;
  }

  /**
   * Whether the last page has been loaded.
   */
  get done(): boolean {
    return this._done;
  }

  get loading(): boolean {
    return this._loading;
  }

  /**
   * Whether a first page has been answered for the current filters.
   */
  get loaded(): boolean {
    return this._loaded;
  }

  get error(): CloudscapesRequestError | null {
    return this._error;
  }

  /**
   * How many pages were fetched for the current filters.
   */
  get pages(): number {
    return this._pages;
  }

  has(key: string): boolean {
    return this._seen.has(key);
  }

  get(key: string): T | undefined {
    return this._byKey.get(key);
  }

  /**
   * Forget everything and load the first page for `filters`.
   */
  async reset(filters: F): Promise<void> {
    this._forget(filters);
    await this._load();
  }

  /**
   * Forget everything (no request).
   */
  clear(): void {
    this._forget(null);
    this._changed.emit();
  }

  /**
   * Drop every page and start over with `filters`; answers still on their way
   * belong to an older generation and are ignored.
   */
  private _forget(filters: F | null): void {
    this._generation++;
    this._filters = filters;
    this._items = [];
    this._keys = [];
    this._seen = new Set();
    this._byKey = new Map();
    this._cursor = null;
    this._hits = null;
    this._done = false;
    this._loaded = false;
    this._loading = false;
    this._pages = 0;
    this._error = null;
  }

  /**
   * Load the next page (nothing when loading, done, or failed until `retry`).
   */
  async loadMore(): Promise<void> {
    if (
      this._filters === null ||
      this._loading ||
      this._done ||
      this._error ||
      !this._loaded
    ) {
      return;
    }
    await this._load();
  }

  /**
   * After a failure: load the page that failed again.
   */
  async retry(): Promise<void> {
    if (this._filters === null || this._loading) {
      return;
    }
    this._error = null;
    await this._load();
  }

  private async _load(): Promise<void> {
    const generation = this._generation;
    const filters = this._filters as F;
    this._loading = true;
    this._changed.emit();
    try {
      const page = await this._fetch(filters, this._cursor);
      if (generation !== this._generation) {
        return;
      }
      const fresh: T[] = [];
      for (const item of page.items) {
        const key = this._keyOf(item);
        if (this._seen.has(key)) {
          continue;
        }
        this._seen.add(key);
        this._byKey.set(key, item);
        fresh.push(item);
      }
      const items = this._items.concat(fresh);
      this._items = this._arrange ? this._arrange(items) : items;
      this._keys = this._items.map(this._keyOf);
      if (page.hits !== undefined && page.hits !== null) {
        this._hits = page.hits;
      }
      // A repeated cursor would loop forever: treat it as the end. CMR sends
      // a search-after value on its last page too: the items reaching the
      // hits also end it.
      const cursor = page.cursor ?? null;
      this._done =
        cursor === null ||
        cursor === this._cursor ||
        (this._hits !== null && this._items.length >= this._hits);
      this._cursor = cursor;
      this._loaded = true;
      this._pages++;
      this._error = null;
    } catch (reason) {
      if (generation !== this._generation) {
        return;
      }
      this._error = toRequestError(reason);
    } finally {
      if (generation === this._generation) {
        this._loading = false;
        this._changed.emit();
      }
    }
  }

  private _generation = 0;
  private _filters: F | null = null;
  private _items: T[] = [];
  private _keys: string[] = [];
  private _seen = new Set<string>();
  private _byKey = new Map<string, T>();
  private _cursor: string | null = null;
  private _hits: number | null = null;
  private _done = false;
  private _loaded = false;
  private _loading = false;
  private _pages = 0;
  private _error: CloudscapesRequestError | null = null;
  private _changed = new Signal<this, void>(this);
}
