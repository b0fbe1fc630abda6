/**
 * The search map (Leaflet), loaded on first use as a chunk of its own:
 * the bundled land outline (works without tiles), optional tiles from the
 * admin's `tileUrl`, the search box (drawn by dragging while "Draw box" is on)
 * and the footprints of the loaded granules. The math lives in ../geo.ts.
 */
import 'leaflet/dist/leaflet.css';

import * as L from 'leaflet';
import * as React from 'react';

import { BBox, LatLngTuple, bboxFromCorners, bboxRectangles } from '../geo';
import { LAND_RINGS } from './coastline';

/**
 * A granule footprint to draw.
 */
export interface IMapFootprint {
  key: string;
  rings: LatLngTuple[][];
  selected: boolean;
  title: string;
}

export interface IMapViewProps {
  /**
   * Accessible name of the map.
   */
  label: string;
  tileUrl: string;
  tileAttribution: string;
  bbox: BBox | null;
  /**
   * Whether a drag draws a box (instead of panning).
   */
  drawing: boolean;
  onBBox: (bbox: BBox) => void;
  footprints: IMapFootprint[];
  onFootprintClick?: (key: string, shift: boolean) => void;
}

/**
 * Most footprints drawn at once (the first loaded ones).
 */
export const MAX_FOOTPRINTS = 1000;

export default function MapView(props: IMapViewProps): JSX.Element {
  const node = React.useRef<HTMLDivElement>(null);
  const map = React.useRef<L.Map | null>(null);
  const bboxLayer = React.useRef<L.LayerGroup | null>(null);
  const footprintLayer = React.useRef<L.LayerGroup | null>(null);
  const tiles = React.useRef<L.TileLayer | null>(null);
  // handlers read the latest props through refs
  const latest = React.useRef(props);
  latest.current = props;

  // The map itself, once.
  React.useEffect(() => {
    if (!node.current) {
      return;
    }
    const m = L.map(node.current, {
      center: [20, 0],
      zoom: 1,
      minZoom: 1,
      worldCopyJump: true,
      attributionControl: true,
      zoomSnap: 0.5
    });
    L.polygon(
      LAND_RINGS.map(ring =>
        ring.map(([lon, lat]) => [lat, lon] as LatLngTuple)
      ),
      {
        className: 'cs-DataMap-land',
        interactive: false,
        weight: 1
      }
    ).addTo(m);
    bboxLayer.current = L.layerGroup().addTo(m);
    footprintLayer.current = L.layerGroup().addTo(m);

    let start: L.LatLng | null = null;
    let draft: L.Rectangle | null = null;
    m.on('mousedown', (event: L.LeafletMouseEvent) => {
      if (!latest.current.drawing) {
        return;
      }
      start = event.latlng;
      draft = L.rectangle(L.latLngBounds(start, start), {
        className: 'cs-DataMap-bbox cs-mod-draft',
        interactive: false
      }).addTo(m);
    });
    m.on('mousemove', (event: L.LeafletMouseEvent) => {
      if (start && draft) {
        draft.setBounds(L.latLngBounds(start, event.latlng));
      }
    });
    const finish = (event: L.LeafletMouseEvent) => {
      if (!start) {
        return;
      }
      const from = start;
      start = null;
      draft?.remove();
      draft = null;
      const to = event.latlng;
      if (from.equals(to)) {
        return;
      }
      latest.current.onBBox(
        bboxFromCorners([from.lat, from.lng], [to.lat, to.lng])
      );
    };
    m.on('mouseup', finish);

    map.current = m;
    const observer =
      typeof ResizeObserver !== 'undefined'
        ? new ResizeObserver(() => m.invalidateSize())
        : null;
    observer?.observe(node.current);
    return () => {
      observer?.disconnect();
      m.remove();
      map.current = null;
    };
  }, []);

  // Tiles from the admin's setting ("" = none).
  React.useEffect(() => {
    const m = map.current;
    if (!m) {
      return;
    }
    tiles.current?.remove();
    tiles.current = null;
    if (props.tileUrl) {
      tiles.current = L.tileLayer(props.tileUrl, {
        attribution: props.tileAttribution,
        maxZoom: 18,
        className: 'cs-DataMap-tiles'
      }).addTo(m);
      tiles.current.bringToBack();
    }
  }, [props.tileUrl, props.tileAttribution]);

  // Drawing mode: no panning while dragging a box.
  React.useEffect(() => {
    const m = map.current;
    if (!m) {
      return;
    }
    if (props.drawing) {
      m.dragging.disable();
      m.getContainer().classList.add('cs-mod-drawing');
    } else {
      m.dragging.enable();
      m.getContainer().classList.remove('cs-mod-drawing');
    }
  }, [props.drawing]);

  // The search box.
  React.useEffect(() => {
    const layer = bboxLayer.current;
    if (!layer) {
      return;
    }
    layer.clearLayers();
    if (props.bbox) {
      for (const bounds of bboxRectangles(props.bbox)) {
        L.rectangle(bounds, {
          className: 'cs-DataMap-bbox',
          interactive: false
        }).addTo(layer);
      }
    }
  }, [props.bbox]);

  // Footprints of the loaded granules.
  React.useEffect(() => {
    const layer = footprintLayer.current;
    if (!layer) {
      return;
    }
    layer.clearLayers();
    for (const footprint of props.footprints.slice(0, MAX_FOOTPRINTS)) {
      if (footprint.rings.length === 0) {
        continue;
      }
      const polygon = L.polygon(footprint.rings, {
        className: `cs-DataMap-footprint${footprint.selected ? ' cs-mod-selected' : ''}`,
        weight: footprint.selected ? 2 : 1
      });
      polygon.bindTooltip(footprint.title, { sticky: true });
      polygon.on('click', (event: L.LeafletMouseEvent) => {
        latest.current.onFootprintClick?.(
          footprint.key,
          event.originalEvent.shiftKey
        );
      });
      polygon.addTo(layer);
      if (footprint.selected) {
        polygon.bringToFront();
      }
    }
  }, [props.footprints]);

  return (
    <div
      ref={node}
      className="cs-DataMap-canvas"
      role="application"
      aria-label={props.label}
    />
  );
}
