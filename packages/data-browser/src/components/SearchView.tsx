import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { Loading } from '@cloudscapes/core';

import { BBox, footprintLatLngs, formatBBox, parseBBox } from '../geo';
import type { IMapFootprint } from '../map/MapView';
import { DataBrowserModel } from '../model';
import { CollectionResults } from './CollectionResults';
import { CollectionView } from './CollectionView';

/**
 * The Leaflet map, in a chunk of its own loaded on first use.
 */
const MapView = React.lazy(() => import('../map/MapView'));

export function SearchView(props: {
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
        approximate: g.footprint.approximate,
        note: g.footprint.note,
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
    <div className="cs-DataSearch">
      <form
        className="cs-DataForm"
        onSubmit={submit}
        aria-label={trans.__('Search NASA Earthdata')}
      >
        <div className="cs-DataForm-row">
          <input
            type="search"
            className="jp-mod-styled cs-DataForm-input cs-DataSearch-keyword"
            placeholder={trans.__('Keyword, e.g. sea ice')}
            aria-label={trans.__('Keyword')}
            value={filters.keyword}
            onChange={event =>
              model.setFilters({ keyword: event.target.value })
            }
          />
          <button
            type="submit"
            className="jp-Button jp-mod-styled jp-mod-accept cs-DataSearch-submit"
            disabled={model.collections.loading && !model.collections.loaded}
          >
            {trans.__('Search')}
          </button>
        </div>
        <div className="cs-DataForm-row">
          <label className="cs-DataForm-field">
            <span>{trans.__('From')}</span>
            <input
              type="date"
              className="jp-mod-styled cs-DataForm-input cs-DataSearch-start"
              value={filters.start}
              max={filters.end || undefined}
              onChange={event =>
                model.setFilters({ start: event.target.value })
              }
            />
          </label>
          <label className="cs-DataForm-field">
            <span>{trans.__('To')}</span>
            <input
              type="date"
              className="jp-mod-styled cs-DataForm-input cs-DataSearch-end"
              value={filters.end}
              min={filters.start || undefined}
              onChange={event => model.setFilters({ end: event.target.value })}
            />
          </label>
        </div>
        <div className="cs-DataForm-row">
          <label className="cs-DataForm-field">
            <span>{trans.__('DAAC')}</span>
            <select
              className="jp-mod-styled cs-DataForm-input cs-DataSearch-provider"
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
          <label className="cs-DataForm-checkField">
            <input
              type="checkbox"
              className="cs-DataSearch-cloudHosted"
              checked={filters.cloudHosted}
              onChange={event =>
                model.setFilters({ cloudHosted: event.target.checked })
              }
            />
            <span>{trans.__('Cloud hosted only')}</span>
          </label>
        </div>
        <div className="cs-DataForm-row">
          <label className="cs-DataForm-field cs-DataSearch-bboxField">
            <span>{trans.__('Box (W,S,E,N)')}</span>
            <input
              type="text"
              className="jp-mod-styled cs-DataForm-input cs-DataSearch-bbox"
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
            className={`jp-Button jp-mod-styled jp-mod-reject cs-DataSearch-draw${drawing ? ' cs-mod-active' : ''}`}
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
            className="jp-Button jp-mod-styled jp-mod-reject cs-DataSearch-clearBbox"
            disabled={!filters.bbox}
            onClick={() => setBBox(null)}
          >
            {trans.__('Clear box')}
          </button>
        </div>
        {bboxInvalid ? (
          <div className="cs-DataForm-invalid" role="alert">
            {trans.__(
              'A box is four numbers W,S,E,N: longitudes −180…180, latitudes −90…90, south below north.'
            )}
          </div>
        ) : null}
      </form>
      <div className="cs-DataMap">
        <button
          type="button"
          className="jp-Button jp-mod-minimal cs-DataMap-toggle"
          aria-expanded={showMap}
          onClick={() => {
            setShowMap(!showMap);
            setDrawing(false);
          }}
        >
          {showMap ? trans.__('Hide map') : trans.__('Show map')}
        </button>
        {drawing ? (
          <span className="cs-DataMap-help" role="status">
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
