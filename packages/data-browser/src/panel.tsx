import type { TranslationBundle } from '@jupyterlab/translation';
import {
  VDomRenderer,
  closeIcon,
  fileIcon,
  folderIcon
} from '@jupyterlab/ui-components';
import type { Message } from '@lumino/messaging';
import * as React from 'react';

import {
  CloudscapesRequestError,
  EmptyState,
  ErrorBanner,
  Job,
  Loading,
  ProgressBar,
  REGION_TONE,
  TabList,
  isJobFinished,
  jobFraction
} from '@cloudscapes/core';

import {
  formatBytes,
  formatCount,
  formatRange,
  formatTime,
  jobResultPath
} from './format';
import { BBox, formatBBox, footprintLatLngs, parseBBox } from './geo';
import { DataList } from './list';
import type { IMapFootprint } from './map/MapView';
import {
  Collection,
  DataBrowserModel,
  DataTab,
  Granule,
  S3Item,
  s3ItemKey
} from './model';
import { PagedList } from './paging';
import { breadcrumbs, s3Url } from './s3path';

/**
 * The Leaflet map, in a chunk of its own loaded on first use.
 */
const MapView = React.lazy(() => import('./map/MapView'));

/**
 * What the panel's action buttons do: they run the commands (so the palette,
 * context menu and buttons behave the same).
 */

/** Download rows shown at most (running ones first). */
const MAX_JOB_ROWS = 20;
export interface IPanelActions {
  insertCode(): void;
  download(): void;
  copyS3(): void;
  copyHttps(): void;
}

/**
 * A hint of our own when the server gave none (the server's always wins).
 */
export function hintFor(
  error: CloudscapesRequestError,
  trans: TranslationBundle
): string {
  if (error.hint) {
    return error.hint;
  }
  if (error.status === 429) {
    return trans.__('NASA CMR is busy; wait a minute, then try again.');
  }
  if (error.status === 504) {
    return trans.__('The search took too long; narrow it and try again.');
  }
  return '';
}

function ErrorView(props: {
  error: CloudscapesRequestError;
  trans: TranslationBundle;
  onDismiss?: () => void;
  onRetry?: () => void;
}): JSX.Element {
  return (
    <div className="cs-data-error">
      <ErrorBanner
        message={props.error.message}
        hint={hintFor(props.error, props.trans)}
        code={props.error.code}
        prominent={props.error.status === 429}
        onDismiss={props.onDismiss}
        dismissLabel={props.trans.__('Dismiss')}
      />
      {props.onRetry ? (
        <button
          type="button"
          className="jp-Button jp-mod-styled jp-mod-reject cs-data-retry"
          onClick={props.onRetry}
        >
          {props.trans.__('Try again')}
        </button>
      ) : null}
    </div>
  );
}

/**
 * The left-sidebar panel: region badge, "Earthdata search" and "S3" tabs,
 * the selection's actions and the downloads.
 */
export class DataBrowserPanel extends VDomRenderer<DataBrowserModel> {
  constructor(
    model: DataBrowserModel,
    private _trans: TranslationBundle,
    private _actions: IPanelActions
  ) {
    super(model);
    this.addClass('cs-DataBrowser');
    this.node.setAttribute('aria-label', _trans.__('Data browser'));
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

  /**
   * Move keyboard focus to the keyword box (command "Search Earthdata").
   */
  focusSearch(): void {
    requestAnimationFrame(() => {
      (
        this.node.querySelector('.cs-data-keyword') as HTMLInputElement | null
      )?.focus();
    });
  }

  render(): JSX.Element {
    const trans = this._trans;
    const model = this.model;
    const tab = model.tab;
    const selectTab = (value: DataTab) => {
      model.tab = value;
      if (value === 's3' && model.sources === null) {
        void model.loadSources();
      }
    };
    return (
      <div className="cs-DataBrowser-body">
        <div className="cs-PanelHeader">
          <h2 className="cs-PanelTitle">{trans.__('Data')}</h2>
          {model.configChecked ? (
            <RegionBadge inRegion={model.inRegion} trans={trans} />
          ) : null}
        </div>
        <TabList
          label={trans.__('Data sources')}
          idPrefix="cs-data"
          tabs={[
            { value: 'search', label: trans.__('Earthdata search') },
            { value: 's3', label: trans.__('S3') }
          ]}
          selected={tab}
          onSelect={selectTab}
        />
        {model.actionError ? (
          <ErrorView
            error={model.actionError}
            trans={trans}
            onDismiss={() => model.setActionError(null)}
          />
        ) : null}
        <div
          className="cs-data-tabpanel"
          role="tabpanel"
          id={`cs-data-panel-${tab}`}
          aria-labelledby={`cs-data-tab-${tab}`}
        >
          {tab === 'search' ? (
            <SearchView model={model} trans={trans} />
          ) : (
            <S3View model={model} trans={trans} />
          )}
        </div>
        <SelectionBar model={model} trans={trans} actions={this._actions} />
        <Downloads model={model} trans={trans} />
      </div>
    );
  }
}

/**
 * "In region: S3 links" / "Out of region: HTTPS links" / "Region unknown".
 */
export function RegionBadge(props: {
  inRegion: boolean | null;
  trans: TranslationBundle;
}): JSX.Element {
  const { trans } = props;
  const [mod, text, title] =
    props.inRegion === true
      ? [
          'in',
          trans.__('In region: S3 links'),
          trans.__(
            'This server runs in the archive’s AWS region: inserted code reads data directly from S3.'
          )
        ]
      : props.inRegion === false
        ? [
            'out',
            trans.__('Out of region: HTTPS links'),
            trans.__(
              'This server runs outside the archive’s AWS region: inserted code reads data over HTTPS.'
            )
          ]
        : [
            'unknown',
            trans.__('Region unknown'),
            trans.__(
              'Whether this server can read the archive’s S3 buckets directly is not known; inserted code uses HTTPS.'
            )
          ];
  return (
    <span
      className={`cs-Badge cs-data-region cs-mod-${mod}`}
      data-tone={REGION_TONE[mod]}
      title={title}
      aria-label={title}
      role="status"
    >
      {text}
    </span>
  );
}

// ---- Earthdata search ----------------------------------------------------------

function SearchView(props: {
  model: DataBrowserModel;
  trans: TranslationBundle;
}): JSX.Element {
  const { model, trans } = props;
  const filters = model.filters;
  const [drawing, setDrawing] = React.useState(false);
  const [showMap, setShowMap] = React.useState(true);
  const [bboxText, setBBoxText] = React.useState(
    filters.bbox ? formatBBox(filters.bbox) : ''
  );
  const [bboxInvalid, setBBoxInvalid] = React.useState(false);
  React.useEffect(() => {
    setBBoxText(filters.bbox ? formatBBox(filters.bbox) : '');
    setBBoxInvalid(false);
  }, [filters.bbox]);

  const setBBox = (bbox: BBox | null) => {
    model.setFilters({ bbox });
    setDrawing(false);
  };

  const granules = model.granules.items;
  const selection = model.granuleSelection;
  const footprints = React.useMemo<IMapFootprint[]>(
    () =>
      granules.map(g => ({
        key: g.concept_id,
        title: g.title,
        rings: footprintLatLngs(g.footprint),
        selected: selection.selected.has(g.concept_id)
      })),
    [granules, selection]
  );

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    if (bboxText.trim() && !parseBBox(bboxText)) {
      setBBoxInvalid(true);
      return;
    }
    void model.search();
  };

  return (
    <div className="cs-data-search">
      <form
        className="cs-data-form"
        onSubmit={submit}
        aria-label={trans.__('Search NASA Earthdata')}
      >
        <div className="cs-data-form-row">
          <input
            type="search"
            className="jp-mod-styled cs-data-input cs-data-keyword"
            placeholder={trans.__('Keyword, e.g. sea ice')}
            aria-label={trans.__('Keyword')}
            value={filters.keyword}
            onChange={event =>
              model.setFilters({ keyword: event.target.value })
            }
          />
          <button
            type="submit"
            className="jp-Button jp-mod-styled jp-mod-accept cs-data-search-button"
            disabled={model.collections.loading && !model.collections.loaded}
          >
            {trans.__('Search')}
          </button>
        </div>
        <div className="cs-data-form-row">
          <label className="cs-data-field">
            <span>{trans.__('From')}</span>
            <input
              type="date"
              className="jp-mod-styled cs-data-input cs-data-start"
              value={filters.start}
              max={filters.end || undefined}
              onChange={event =>
                model.setFilters({ start: event.target.value })
              }
            />
          </label>
          <label className="cs-data-field">
            <span>{trans.__('To')}</span>
            <input
              type="date"
              className="jp-mod-styled cs-data-input cs-data-end"
              value={filters.end}
              min={filters.start || undefined}
              onChange={event => model.setFilters({ end: event.target.value })}
            />
          </label>
        </div>
        <div className="cs-data-form-row">
          <label className="cs-data-field">
            <span>{trans.__('DAAC')}</span>
            <select
              className="jp-mod-styled cs-data-input cs-data-provider"
              value={filters.provider}
              onChange={event =>
                model.setFilters({ provider: event.target.value })
              }
            >
              <option value="">{trans.__('Any DAAC')}</option>
              {model.settings.providers.map(p => (
                <option key={p} value={p}>
                  {p}
                </option>
              ))}
            </select>
          </label>
          <label className="cs-data-check-field">
            <input
              type="checkbox"
              className="cs-data-cloud-hosted"
              checked={filters.cloudHosted}
              onChange={event =>
                model.setFilters({ cloudHosted: event.target.checked })
              }
            />
            <span>{trans.__('Cloud hosted only')}</span>
          </label>
        </div>
        <div className="cs-data-form-row">
          <label className="cs-data-field cs-data-bbox-field">
            <span>{trans.__('Box (W,S,E,N)')}</span>
            <input
              type="text"
              className="jp-mod-styled cs-data-input cs-data-bbox"
              placeholder={trans.__('e.g. -20,60,10,70')}
              value={bboxText}
              aria-invalid={bboxInvalid}
              onChange={event => {
                setBBoxText(event.target.value);
                setBBoxInvalid(false);
              }}
              onBlur={() => {
                if (!bboxText.trim()) {
                  model.setFilters({ bbox: null });
                  return;
                }
                const parsed = parseBBox(bboxText);
                if (parsed) {
                  model.setFilters({ bbox: parsed });
                } else {
                  setBBoxInvalid(true);
                }
              }}
            />
          </label>
          <button
            type="button"
            className={`jp-Button jp-mod-styled jp-mod-reject cs-data-draw${drawing ? ' cs-mod-active' : ''}`}
            aria-pressed={drawing}
            onClick={() => {
              setShowMap(true);
              setDrawing(!drawing);
            }}
          >
            {trans.__('Draw box')}
          </button>
          <button
            type="button"
            className="jp-Button jp-mod-styled jp-mod-reject cs-data-clear-bbox"
            disabled={!filters.bbox}
            onClick={() => setBBox(null)}
          >
            {trans.__('Clear box')}
          </button>
        </div>
        {bboxInvalid ? (
          <div className="cs-data-invalid" role="alert">
            {trans.__(
              'A box is four numbers W,S,E,N: longitudes −180…180, latitudes −90…90, south below north.'
            )}
          </div>
        ) : null}
      </form>
      <div className="cs-data-map">
        <button
          type="button"
          className="jp-Button jp-mod-minimal cs-data-map-toggle"
          aria-expanded={showMap}
          onClick={() => {
            setShowMap(!showMap);
            setDrawing(false);
          }}
        >
          {showMap ? trans.__('Hide map') : trans.__('Show map')}
        </button>
        {drawing ? (
          <span className="cs-data-map-help" role="status">
            {trans.__('Drag on the map to draw the box.')}
          </span>
        ) : null}
        {showMap ? (
          <React.Suspense
            fallback={<Loading label={trans.__('Loading map…')} />}
          >
            <MapView
              label={trans.__(
                'Map: search box and granule footprints; drag with "Draw box" on to set the box'
              )}
              tileUrl={model.settings.tileUrl}
              tileAttribution={model.settings.tileAttribution}
              bbox={filters.bbox}
              drawing={drawing}
              onBBox={bbox => setBBox(bbox)}
              footprints={footprints}
              onFootprintClick={(key, shift) => model.clickGranule(key, shift)}
            />
          </React.Suspense>
        ) : null}
      </div>
      {model.collection ? (
        <CollectionView
          model={model}
          trans={trans}
          collection={model.collection}
        />
      ) : (
        <CollectionResults model={model} trans={trans} />
      )}
    </div>
  );
}

function countText(
  list: PagedList<any, any>,
  trans: TranslationBundle
): string {
  const loaded = list.items.length;
  if (list.hits !== null) {
    return loaded < list.hits
      ? trans.__(
          '%1 results, %2 loaded',
          formatCount(list.hits),
          formatCount(loaded)
        )
      : trans._n('%1 result', '%1 results', list.hits, formatCount(list.hits));
  }
  return list.done
    ? trans._n('%1 item', '%1 items', loaded, formatCount(loaded))
    : trans.__('%1 of many loaded', formatCount(loaded));
}

function ListFooter(props: {
  list: PagedList<any, any>;
  trans: TranslationBundle;
}): JSX.Element | null {
  const { list, trans } = props;
  if (list.loading && list.loaded) {
    return (
      <div className="cs-data-list-footer">
        <Loading label={trans.__('Loading more…')} />
      </div>
    );
  }
  return null;
}

function ListError(props: {
  list: PagedList<any, any>;
  trans: TranslationBundle;
}): JSX.Element | null {
  const { list, trans } = props;
  if (!list.error) {
    return null;
  }
  return (
    <ErrorView
      error={list.error}
      trans={trans}
      onRetry={() => void list.retry()}
    />
  );
}

/**
 * A paged list's states, the same for collections, granules and S3 listings:
 * loading (or its error) until the first page, then the count, the list (or
 * `empty` when there is nothing) and the error of a later page.
 */
function PagedResults(props: {
  list: PagedList<any, any>;
  trans: TranslationBundle;
  loadingLabel: string;
  empty: JSX.Element;
  className?: string;
  children: JSX.Element;
}): JSX.Element {
  const { list, trans } = props;
  if (!list.loaded) {
    return list.error ? (
      <ListError list={list} trans={trans} />
    ) : (
      <Loading label={props.loadingLabel} />
    );
  }
  const content = (
    <>
      <div className="cs-data-count" role="status" aria-live="polite">
        {countText(list, trans)}
      </div>
      {list.items.length === 0 ? props.empty : props.children}
      <ListError list={list} trans={trans} />
    </>
  );
  return props.className ? (
    <div className={props.className}>{content}</div>
  ) : (
    content
  );
}

function CollectionResults(props: {
  model: DataBrowserModel;
  trans: TranslationBundle;
}): JSX.Element {
  const { model, trans } = props;
  const list = model.collections;
  const items = list.items;
  const onNearEnd = React.useCallback(() => void list.loadMore(), [list]);
  if (!model.searched) {
    return (
      <EmptyState title={trans.__('Search NASA Earthdata')}>
        {trans.__(
          'Find collections by keyword, time and place; open one to see and select its granules.'
        )}
      </EmptyState>
    );
  }
  return (
    <PagedResults
      list={list}
      trans={trans}
      className="cs-data-results"
      loadingLabel={trans.__('Searching NASA Earthdata…')}
      empty={
        <EmptyState title={trans.__('No collections match')}>
          {trans.__('Try other words, a longer time range or a larger box.')}
        </EmptyState>
      }
    >
      <DataList
        label={trans.__('Collections')}
        className="cs-data-collections"
        count={items.length}
        rowHeight={44}
        keyAt={i => items[i].concept_id}
        onActivate={i => void model.openCollection(items[i])}
        onNearEnd={onNearEnd}
        footer={<ListFooter list={list} trans={trans} />}
        renderRow={i => <CollectionRow collection={items[i]} trans={trans} />}
      />
    </PagedResults>
  );
}

function CollectionRow(props: {
  collection: Collection;
  trans: TranslationBundle;
}): JSX.Element {
  const { collection: c, trans } = props;
  return (
    <div className="cs-data-row-text">
      <div className="cs-data-row-title" title={c.title}>
        {c.title}
      </div>
      <div className="cs-data-row-meta">
        {`${c.short_name} v${c.version} · ${c.provider}`}
        {c.cloud_hosted ? ` · ${trans.__('cloud')}` : ''}
      </div>
    </div>
  );
}

function CollectionView(props: {
  model: DataBrowserModel;
  trans: TranslationBundle;
  collection: Collection;
}): JSX.Element {
  const { model, trans, collection: c } = props;
  const list = model.granules;
  const items = list.items;
  const selection = model.granuleSelection;
  const onNearEnd = React.useCallback(() => void list.loadMore(), [list]);
  return (
    <div className="cs-data-collection">
      <button
        type="button"
        className="jp-Button jp-mod-minimal cs-data-back"
        onClick={() => model.closeCollection()}
      >
        {trans.__('← Collections')}
      </button>
      <h3 className="cs-data-collection-title">{c.title}</h3>
      <dl className="cs-Facts cs-data-facts">
        <dt>{trans.__('Short name')}</dt>
        <dd className="cs-data-short-name">{`${c.short_name} v${c.version}`}</dd>
        <dt>{trans.__('Provider')}</dt>
        <dd>{c.daac ? `${c.provider} (${c.daac})` : c.provider}</dd>
        {c.doi ? (
          <>
            <dt>{trans.__('DOI')}</dt>
            <dd>
              <a
                className="cs-link"
                href={`https://doi.org/${encodeURI(c.doi.replace(/^doi:/i, ''))}`}
                target="_blank"
                rel="noopener noreferrer"
              >
                {c.doi}
              </a>
            </dd>
          </>
        ) : null}
        <dt>{trans.__('Cloud hosted')}</dt>
        <dd>{c.cloud_hosted ? trans.__('yes') : trans.__('no')}</dd>
        {c.time_start || c.time_end ? (
          <>
            <dt>{trans.__('Time')}</dt>
            <dd>{formatRange(c.time_start, c.time_end)}</dd>
          </>
        ) : null}
        {c.s3_prefixes.length > 0 ? (
          <>
            <dt>{trans.__('S3')}</dt>
            <dd>
              <ul className="cs-data-prefixes">
                {c.s3_prefixes.map(p => (
                  <li key={`${p.bucket}/${p.prefix}`}>
                    <code>{s3Url(p.bucket, p.prefix)}</code>{' '}
                    <button
                      type="button"
                      className="jp-Button jp-mod-minimal cs-data-show-in-s3"
                      onClick={() => void model.showInS3(c, p.bucket, p.prefix)}
                    >
                      {trans.__('Show in S3')}
                    </button>
                  </li>
                ))}
              </ul>
            </dd>
          </>
        ) : null}
      </dl>
      {model.collectionError ? (
        <ErrorView error={model.collectionError} trans={trans} />
      ) : null}
      <h4 className="cs-data-subtitle">{trans.__('Granules')}</h4>
      <PagedResults
        list={list}
        trans={trans}
        loadingLabel={trans.__('Loading granules…')}
        empty={
          <EmptyState title={trans.__('No granules match')}>
            {trans.__('Widen the time range or the box.')}
          </EmptyState>
        }
      >
        <DataList
          label={trans.__('Granules')}
          className="cs-data-granules"
          count={items.length}
          rowHeight={44}
          keyAt={i => items[i].concept_id}
          isSelectable={() => true}
          isSelected={i => selection.selected.has(items[i].concept_id)}
          onToggle={(i, shift) =>
            model.clickGranule(items[i].concept_id, shift)
          }
          onExtend={i => model.extendGranules(items[i].concept_id)}
          onActivate={i => model.clickGranule(items[i].concept_id, false)}
          onSelectAll={() => model.selectAllLoaded()}
          onContextRow={i => model.selectForMenu(items[i].concept_id)}
          onNearEnd={onNearEnd}
          footer={<ListFooter list={list} trans={trans} />}
          renderRow={i => <GranuleRow granule={items[i]} />}
        />
      </PagedResults>
    </div>
  );
}

function GranuleRow(props: { granule: Granule }): JSX.Element {
  const g = props.granule;
  const size = formatBytes(g.size_bytes);
  const time = formatRange(g.time_start, g.time_end);
  return (
    <div className="cs-data-row-text">
      <div className="cs-data-row-title" title={g.title}>
        {g.title}
      </div>
      <div className="cs-data-row-meta">
        {[time, size].filter(Boolean).join(' · ')}
      </div>
    </div>
  );
}

// ---- S3 ------------------------------------------------------------------------------

function S3View(props: {
  model: DataBrowserModel;
  trans: TranslationBundle;
}): JSX.Element {
  const { model, trans } = props;
  const source = model.source;
  const location = model.location;
  const [bucket, setBucket] = React.useState('');
  const [filter, setFilter] = React.useState(model.filter);
  const timer = React.useRef<number | null>(null);
  React.useEffect(() => setFilter(model.filter), [model.filter, location]);
  React.useEffect(() => {
    if (model.sources === null && !model.sourcesError) {
      void model.loadSources();
    }
    return () => {
      if (timer.current !== null) {
        window.clearTimeout(timer.current);
      }
    };
  }, []);

  const applyFilter = (value: string) => {
    if (timer.current !== null) {
      window.clearTimeout(timer.current);
      timer.current = null;
    }
    if (value !== model.filter) {
      void model.setFilter(value);
    }
  };

  return (
    <div className="cs-data-s3">
      {model.sourcesError ? (
        <ErrorView
          error={model.sourcesError}
          trans={trans}
          onRetry={() => void model.loadSources()}
        />
      ) : null}
      {model.sources === null ? (
        model.sourcesError ? null : (
          <Loading label={trans.__('Loading S3 sources…')} />
        )
      ) : (
        <label className="cs-data-field">
          <span>{trans.__('Source')}</span>
          <select
            className="jp-mod-styled cs-data-input cs-data-source"
            value={model.sourceId}
            onChange={event => void model.selectSource(event.target.value)}
          >
            <option value="" disabled>
              {trans.__('Choose a source…')}
            </option>
            {model.sources.map(s => (
              <option key={s.id} value={s.id} title={s.description}>
                {s.label}
              </option>
            ))}
          </select>
        </label>
      )}
      {source && source.bucket === null ? (
        <form
          className="cs-data-form-row cs-data-bucket-form"
          onSubmit={event => {
            event.preventDefault();
            if (bucket.trim()) {
              void model.browse(bucket.trim(), source.prefix);
            }
          }}
        >
          <input
            type="text"
            className="jp-mod-styled cs-data-input cs-data-bucket"
            placeholder={trans.__('Bucket name')}
            aria-label={trans.__('Bucket name')}
            value={bucket}
            onChange={event => setBucket(event.target.value)}
          />
          <button
            type="submit"
            className="jp-Button jp-mod-styled jp-mod-accept cs-data-open-bucket"
            disabled={!bucket.trim()}
          >
            {trans.__('Open')}
          </button>
        </form>
      ) : null}
      {source ? (
        <div className="cs-data-source-description">{source.description}</div>
      ) : null}
      {location ? (
        <>
          <nav className="cs-data-breadcrumbs" aria-label={trans.__('S3 path')}>
            {breadcrumbs(
              location.folder,
              location.bucket,
              source?.bucket === location.bucket ? source.prefix : ''
            ).map((crumb, i, all) => (
              <React.Fragment key={crumb.prefix}>
                {i > 0 ? (
                  <span className="cs-data-crumb-sep" aria-hidden="true">
                    /
                  </span>
                ) : null}
                <button
                  type="button"
                  className="cs-data-crumb"
                  data-prefix={crumb.prefix}
                  aria-current={i === all.length - 1 ? 'location' : undefined}
                  onClick={() => void model.openFolder(crumb.prefix)}
                >
                  {crumb.label}
                </button>
              </React.Fragment>
            ))}
          </nav>
          <input
            type="search"
            className="jp-mod-styled cs-data-input cs-data-filter"
            placeholder={trans.__('Filter by prefix')}
            aria-label={trans.__('Filter by prefix')}
            value={filter}
            onChange={event => {
              const value = event.target.value;
              setFilter(value);
              if (timer.current !== null) {
                window.clearTimeout(timer.current);
              }
              timer.current = window.setTimeout(() => applyFilter(value), 400);
            }}
            onKeyDown={event => {
              if (event.key === 'Enter') {
                applyFilter(filter);
              }
            }}
          />
          <S3Listing model={model} trans={trans} />
          <ObjectDetailView model={model} trans={trans} />
        </>
      ) : model.sources !== null && !source ? (
        <EmptyState title={trans.__('Browse S3')}>
          {trans.__(
            'Choose a bucket source: public datasets, your scratch and persistent buckets, or NASA DAAC buckets with your Earthdata Login.'
          )}
        </EmptyState>
      ) : null}
    </div>
  );
}

function S3Listing(props: {
  model: DataBrowserModel;
  trans: TranslationBundle;
}): JSX.Element {
  const { model, trans } = props;
  const list = model.objects;
  const items = list.items as S3Item[];
  const selection = model.objectSelection;
  const folder = model.location?.folder ?? '';
  const onNearEnd = React.useCallback(() => void list.loadMore(), [list]);
  return (
    <PagedResults
      list={list}
      trans={trans}
      className="cs-data-results"
      loadingLabel={trans.__('Listing…')}
      empty={
        <EmptyState title={trans.__('Nothing here')}>
          {model.filter
            ? trans.__('No key starts with “%1” in this folder.', model.filter)
            : trans.__('This folder is empty.')}
        </EmptyState>
      }
    >
      <DataList
        label={trans.__(
          'Objects in %1',
          `s3://${model.location?.bucket}/${folder}`
        )}
        className="cs-data-objects"
        count={items.length}
        rowHeight={28}
        keyAt={i => s3ItemKey(items[i])}
        isSelectable={i => items[i].kind === 'object'}
        isSelected={i => selection.selected.has(s3ItemKey(items[i]))}
        onToggle={(i, shift) => {
          const item = items[i];
          model.clickObject(item.kind === 'object' ? item.key : '', shift);
          if (item.kind === 'object' && !shift) {
            void model.showDetail(item.key);
          }
        }}
        onExtend={i => model.extendObjects(s3ItemKey(items[i]))}
        onActivate={i => {
          const item = items[i];
          if (item.kind === 'folder') {
            void model.openFolder(item.prefix);
          } else {
            void model.showDetail(item.key);
          }
        }}
        onSelectAll={() => model.selectAllLoaded()}
        onContextRow={i => {
          if (items[i].kind === 'object') {
            model.selectForMenu(s3ItemKey(items[i]));
          }
        }}
        onNearEnd={onNearEnd}
        footer={<ListFooter list={list} trans={trans} />}
        renderRow={i => <S3Row item={items[i]} folder={folder} />}
      />
    </PagedResults>
  );
}

function S3Row(props: { item: S3Item; folder: string }): JSX.Element {
  const { item } = props;
  if (item.kind === 'folder') {
    return (
      <div className="cs-data-row-text cs-mod-folder">
        <folderIcon.react tag="span" className="cs-data-row-icon" />
        <span className="cs-data-row-name">{item.name}</span>
      </div>
    );
  }
  return (
    <div className="cs-data-row-text cs-mod-object">
      <fileIcon.react tag="span" className="cs-data-row-icon" />
      <span className="cs-data-row-name" title={item.key}>
        {item.name}
      </span>
      <span className="cs-data-row-size">{formatBytes(item.size)}</span>
    </div>
  );
}

function ObjectDetailView(props: {
  model: DataBrowserModel;
  trans: TranslationBundle;
}): JSX.Element | null {
  const { model, trans } = props;
  const detail = model.detail;
  if (model.detailError) {
    return (
      <ErrorView
        error={model.detailError}
        trans={trans}
        onDismiss={() => model.closeDetail()}
      />
    );
  }
  if (!detail) {
    return null;
  }
  return (
    <section className="cs-data-detail" aria-label={trans.__('Object details')}>
      <div className="cs-data-detail-head">
        <h4 className="cs-data-subtitle">{detail.key.split('/').pop()}</h4>
        <button
          type="button"
          className="jp-Button jp-mod-minimal cs-data-detail-close"
          aria-label={trans.__('Close details')}
          title={trans.__('Close details')}
          onClick={() => model.closeDetail()}
        >
          <closeIcon.react tag="span" />
        </button>
      </div>
      <dl className="cs-Facts cs-data-facts">
        <dt>{trans.__('Size')}</dt>
        <dd>{`${formatBytes(detail.size)} (${formatCount(detail.size)} B)`}</dd>
        <dt>{trans.__('Modified')}</dt>
        <dd>{formatTime(detail.last_modified)}</dd>
        <dt>{trans.__('Content type')}</dt>
        <dd>{detail.content_type ?? trans.__('unknown')}</dd>
        <dt>{trans.__('S3 URL')}</dt>
        <dd>
          <code className="cs-data-s3-url">{detail.s3_url}</code>
        </dd>
      </dl>
    </section>
  );
}

// ---- selection and downloads -------------------------------------------------

function SelectionBar(props: {
  model: DataBrowserModel;
  trans: TranslationBundle;
  actions: IPanelActions;
}): JSX.Element | null {
  const { model, trans, actions } = props;
  const count = model.selectionCount;
  const what =
    model.tab === 'search'
      ? trans._n('%1 granule selected', '%1 granules selected', count)
      : trans._n('%1 object selected', '%1 objects selected', count);
  const disabled = count === 0 || model.busy;
  return (
    <div
      className="cs-data-actions"
      role="toolbar"
      aria-label={trans.__('Actions on the selection')}
    >
      <span className="cs-data-selection-count" aria-live="polite">
        {what}
      </span>
      <button
        type="button"
        className="jp-Button jp-mod-styled jp-mod-accept cs-data-insert-code"
        disabled={disabled}
        onClick={() => actions.insertCode()}
        title={trans.__(
          'Insert code that opens the selection into the notebook'
        )}
      >
        {trans.__('Insert code')}
      </button>
      <button
        type="button"
        className="jp-Button jp-mod-styled jp-mod-reject cs-data-download"
        disabled={disabled}
        onClick={() => actions.download()}
        title={trans.__('Download the selection into your server’s files')}
      >
        {trans.__('Download')}
      </button>
      <button
        type="button"
        className="jp-Button jp-mod-styled jp-mod-reject cs-data-copy-s3"
        disabled={disabled}
        onClick={() => actions.copyS3()}
      >
        {trans.__('Copy S3 URL')}
      </button>
      <button
        type="button"
        className="jp-Button jp-mod-styled jp-mod-reject cs-data-copy-https"
        disabled={disabled || !model.httpsAvailable}
        onClick={() => actions.copyHttps()}
      >
        {trans.__('Copy HTTPS URL')}
      </button>
      <button
        type="button"
        className="jp-Button jp-mod-minimal cs-data-clear-selection"
        disabled={count === 0}
        onClick={() => model.clearSelection()}
      >
        {trans.__('Clear')}
      </button>
    </div>
  );
}

function jobStatusText(job: Job, trans: TranslationBundle): string {
  switch (job.status) {
    case 'pending':
      return trans.__('Waiting');
    case 'running':
      return job.message || trans.__('Downloading');
    case 'succeeded': {
      const path = jobResultPath(job.result);
      return path ? trans.__('Saved to %1', path) : trans.__('Done');
    }
    case 'failed':
      return trans.__('Failed');
    case 'cancelled':
      return trans.__('Cancelled');
  }
  return job.status;
}

function Downloads(props: {
  model: DataBrowserModel;
  trans: TranslationBundle;
}): JSX.Element | null {
  const { model, trans } = props;
  const all = model.jobs.jobs;
  if (all.length === 0) {
    return null;
  }
  // running jobs first, then the most recent finished ones: the list stays short
  const running = all.filter(job => !isJobFinished(job));
  const finishedJobs = all.filter(job => isJobFinished(job));
  const jobs = [
    ...running,
    ...finishedJobs.slice(0, Math.max(0, MAX_JOB_ROWS - running.length))
  ].slice(0, MAX_JOB_ROWS);
  const hidden = all.length - jobs.length;
  return (
    <section className="cs-data-downloads" aria-label={trans.__('Downloads')}>
      <h3 className="cs-data-subtitle">{trans.__('Downloads')}</h3>
      {hidden > 0 && (
        <p className="cs-data-jobs-more">
          {trans._n(
            '%1 older download is not shown.',
            '%1 older downloads are not shown.',
            hidden
          )}
        </p>
      )}
      <ul className="cs-data-jobs">
        {jobs.map(job => {
          const finished = isJobFinished(job);
          const { done, total } = job.progress;
          const bytes = job.progress.unit === 'bytes';
          const valueText =
            total !== null
              ? bytes
                ? trans.__('%1 of %2', formatBytes(done), formatBytes(total))
                : trans.__('%1 of %2', formatCount(done), formatCount(total))
              : bytes
                ? formatBytes(done)
                : formatCount(done);
          const pollError = model.jobs.error(job.id);
          return (
            <li
              key={job.id}
              className={`cs-data-job cs-mod-${job.status}`}
              data-job-id={job.id}
              data-status={job.status}
            >
              <div className="cs-data-job-head">
                <span className="cs-data-job-title" title={job.title}>
                  {job.title}
                </span>
                {finished ? (
                  <button
                    type="button"
                    className="jp-Button jp-mod-minimal cs-data-job-dismiss"
                    aria-label={trans.__('Remove %1 from the list', job.title)}
                    title={trans.__('Remove from the list')}
                    onClick={() => model.jobs.forget(job.id)}
                  >
                    <closeIcon.react tag="span" />
                  </button>
                ) : (
                  <button
                    type="button"
                    className="jp-Button jp-mod-styled jp-mod-warn cs-data-job-cancel"
                    aria-label={trans.__('Cancel %1', job.title)}
                    onClick={() => void model.cancelJob(job.id)}
                  >
                    {trans.__('Cancel')}
                  </button>
                )}
              </div>
              {finished && job.status !== 'succeeded' ? null : (
                <ProgressBar
                  value={jobFraction(job)}
                  label={trans.__('Progress of %1', job.title)}
                  valueText={valueText}
                />
              )}
              <div className="cs-data-job-status">
                {jobStatusText(job, trans)}
                {!finished && valueText ? ` · ${valueText}` : ''}
              </div>
              {job.status === 'failed' && job.error ? (
                <ErrorBanner
                  message={job.error.error.message}
                  hint={job.error.error.hint}
                  code={job.error.error.code}
                />
              ) : null}
              {pollError && !finished ? (
                <ErrorView error={pollError} trans={trans} />
              ) : null}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
