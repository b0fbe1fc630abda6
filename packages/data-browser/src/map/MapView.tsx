/**
 * The search map (Leaflet), loaded on first use as a chunk of its own:
 * the bundled land outline (works without tiles), optional tiles from the
 * admin's `tileUrl`, the search box (drawn by dragging while "Draw box" is on)
 * and the footprints of the loaded granules. The math lives in ../geo.ts.
 *
 * Leaflet sets string content (tooltips, popups, attribution) with innerHTML:
 * everything shown here is given to it as DOM nodes built from text (./text.ts).
 */
import 'leaflet/dist/leaflet.css';

import * as L from 'leaflet';
import * as React from 'react';

import { BBox, LatLngTuple, bboxFromCorners, bboxRectangles } from '../geo';
import { LAND_RINGS } from './coastline';
import { attributionNodes, textElement } from './text';

/**
 * A granule footprint to draw.
 */
export interface IMapFootprint {
  key: string;
  rings: LatLngTuple[][];
  selected: boolean;
  title: string;
  /**
   * An estimate (an orbit's latitude band), drawn dashed.
   */
  approximate?: boolean;
  /**
   * What an approximate footprint stands for, shown under the title.
   */
  note?: string | null;
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
  const attributionNode = React.useRef<HTMLElement | null>(null);
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
      // Leaflet's own control sets its text with innerHTML: ours is text
      attributionControl: false,
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
    const attribution = new L.Control({ position: 'bottomright' });
    attribution.onAdd = () => {
      const container = L.DomUtil.create(
        'div',
        'leaflet-control-attribution leaflet-control cs-DataMap-attribution'
      );
      L.DomEvent.disableClickPropagation(container);
      return container;
    };
    attribution.addTo(m);
    attributionNode.current = attribution.getContainer() ?? null;
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
        maxZoom: 18,
        className: 'cs-DataMap-tiles'
      }).addTo(m);
      tiles.current.bringToBack();
    }
    const attribution = attributionNode.current;
    if (attribution) {
      const parts = props.tileUrl
        ? attributionNodes(props.tileAttribution)
        : [];
      attribution.replaceChildren(...parts);
      attribution.hidden = parts.length === 0;
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
      const classes = ['cs-DataMap-footprint'];
      if (footprint.selected) {
        classes.push('cs-mod-selected');
      }
      if (footprint.approximate) {
        classes.push('cs-mod-approximate');
      }
      const polygon = L.polygon(footprint.rings, {
        className: classes.join(' '),
        weight: footprint.selected ? 2 : 1,
        dashArray: footprint.approximate ? '6 4' : undefined
      });
      polygon.bindTooltip(textElement([footprint.title, footprint.note]), {
        sticky: true
      });
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
