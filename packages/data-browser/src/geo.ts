/**
 * Map math kept out of Leaflet so it is unit-tested: bounding boxes (`W,S,E,N`,
 * west > east when a box crosses the antimeridian) and granule footprints as
 * Leaflet lat/lng rings.
 */

/**
 * [west, south, east, north] in degrees.
 */
export type BBox = [number, number, number, number];

/**
 * A point as Leaflet takes it: [lat, lng].
 */
export type LatLngTuple = [number, number];

/**
 * A granule's footprint as the server answers it.
 */
export interface IFootprint {
  bbox: number[] | null;
  polygons: number[][][];
}

/**
 * `lng` wrapped into [-180, 180] (180 stays 180).
 */
export function wrapLng(lng: number): number {
  if (lng >= -180 && lng <= 180) {
    return lng;
  }
  const wrapped = ((((lng + 180) % 360) + 360) % 360) - 180;
  return wrapped === -180 && lng > 0 ? 180 : wrapped;
}

function clampLat(lat: number): number {
  return Math.min(90, Math.max(-90, lat));
}

function round(value: number): number {
  return Math.round(value * 10000) / 10000;
}

/**
 * Whether the box crosses the antimeridian (west > east).
 */
export function crossesAntimeridian(bbox: BBox): boolean {
  return bbox[0] > bbox[2];
}

/**
 * The box as the `bbox` query parameter: `W,S,E,N`, 4 decimals at most.
 */
export function formatBBox(bbox: BBox): string {
  return bbox.map(v => String(round(v) + 0)).join(',');
}

/**
 * `W,S,E,N` (commas and/or spaces) as a box, or `null` when it is not one:
 * four numbers, longitudes in [-180, 180], latitudes in [-90, 90], south not
 * above north. West > east is kept: the box crosses the antimeridian.
 */
export function parseBBox(text: string): BBox | null {
  const parts = text
    .trim()
    .split(/[\s,]+/)
    .filter(part => part.length > 0);
  if (parts.length !== 4) {
    return null;
  }
  const values = parts.map(Number);
  if (values.some(v => !Number.isFinite(v))) {
    return null;
  }
  const [w, s, e, n] = values;
  if (Math.abs(w) > 180 || Math.abs(e) > 180) {
    return null;
  }
  if (Math.abs(s) > 90 || Math.abs(n) > 90 || s > n) {
    return null;
  }
  if (w === e) {
    return null;
  }
  return [w, s, e, n];
}

/**
 * The box spanned by two corners dragged on the map. Leaflet's longitudes run
 * past ±180 when the world is panned; the box is then wrapped, and becomes an
 * antimeridian-crossing box (west > east) when it straddles ±180.
 */
export function bboxFromCorners(a: LatLngTuple, b: LatLngTuple): BBox {
  const south = round(clampLat(Math.min(a[0], b[0])));
  const north = round(clampLat(Math.max(a[0], b[0])));
  const lo = Math.min(a[1], b[1]);
  const hi = Math.max(a[1], b[1]);
  if (hi - lo >= 360) {
    return [-180, south, 180, north];
  }
  let west = round(wrapLng(lo));
  let east = round(wrapLng(hi));
  if (west === 180 && hi > lo) {
    west = -180;
  }
  if (east === -180 && hi > lo) {
    east = 180;
  }
  return [west, south, east, north];
}

/**
 * The box as one or two Leaflet rectangles ([[south, west], [north, east]]),
 * split at the antimeridian when it crosses it.
 */
export function bboxRectangles(bbox: BBox): [LatLngTuple, LatLngTuple][] {
  const [w, s, e, n] = bbox;
  if (!crossesAntimeridian(bbox)) {
    return [
      [
        [s, w],
        [n, e]
      ]
    ];
  }
  return [
    [
      [s, w],
      [n, 180]
    ],
    [
      [s, -180],
      [n, e]
    ]
  ];
}

/**
 * A ring of [lon, lat] points as [lat, lng] for Leaflet. Longitudes are
 * unwrapped (±360) where consecutive points jump across the antimeridian, so
 * the ring is drawn as one shape across ±180 instead of across the world.
 */
export function ringToLatLngs(ring: number[][]): LatLngTuple[] {
  const out: LatLngTuple[] = [];
  let previous: number | null = null;
  for (const point of ring) {
    if (point.length < 2) {
      continue;
    }
    const [lon, lat] = point;
    if (!Number.isFinite(lon) || !Number.isFinite(lat)) {
      continue;
    }
    let lng = lon;
    if (previous !== null) {
      while (lng - previous > 180) {
        lng -= 360;
      }
      while (previous - lng > 180) {
        lng += 360;
      }
    }
    previous = lng;
    out.push([clampLat(lat), lng]);
  }
  return out;
}

/**
 * How far a ring of Leaflet points winds round in longitude, closing edge
 * included: about ±360 when the ring encloses a pole, about 0 otherwise.
 */
export function lngWinding(ring: LatLngTuple[]): number {
  if (ring.length < 2) {
    return 0;
  }
  let closing = ring[0][1] - ring[ring.length - 1][1];
  closing -= 360 * Math.round(closing / 360);
  return ring[ring.length - 1][1] - ring[0][1] + closing;
}

/**
 * A ring that goes all the way round in longitude (it encloses a pole) as the
 * cap it bounds on the map: along the ring, then up to the pole and back along
 * it, so that Leaflet fills the area between the ring and the pole instead of
 * a thin strip that closes back across the world. `pole` is 90 or -90.
 */
export function poleCap(ring: LatLngTuple[], pole: 90 | -90): LatLngTuple[] {
  const winding = lngWinding(ring);
  const points = ring.slice();
  const first = points[0];
  const last = points[points.length - 1];
  const end = first[1] + winding;
  if (Math.abs(last[1] - end) > 1e-9 || last[0] !== first[0]) {
    points.push([first[0], end]); // close the ring one turn further round
  }
  points.push([pole, end], [pole, first[1]]);
  return points;
}

/**
 * The pole a ring that winds round encloses: the footprint's bbox says so when
 * it reaches one pole (as the server writes it), else the ring's side of the
 * equator.
 */
function enclosedPole(ring: LatLngTuple[], bbox: number[] | null): 90 | -90 {
  if (bbox && bbox.length === 4) {
    if (bbox[3] >= 90 && bbox[1] > -90) {
      return 90;
    }
    if (bbox[1] <= -90 && bbox[3] < 90) {
      return -90;
    }
  }
  const mean = ring.reduce((sum, [lat]) => sum + lat, 0) / ring.length;
  return mean >= 0 ? 90 : -90;
}

/**
 * A footprint's rings for Leaflet polygons: its polygons (a ring crossing ±180
 * as one shape, a ring round a pole as a cap up to the pole), or its bbox
 * (split at the antimeridian) when it has none, as for an orbit's latitude
 * band; empty when it has neither.
 */
export function footprintLatLngs(
  footprint: IFootprint | null | undefined
): LatLngTuple[][] {
  if (!footprint) {
    return [];
  }
  const rings = footprint.polygons
    .map(ringToLatLngs)
    .filter(ring => ring.length >= 3)
    .map(ring =>
      Math.abs(lngWinding(ring)) >= 180
        ? poleCap(ring, enclosedPole(ring, footprint.bbox))
        : ring
    );
  if (rings.length > 0) {
    return rings;
  }
  if (footprint.bbox && footprint.bbox.length === 4) {
    return bboxRectangles(footprint.bbox as BBox).map(([[s, w], [n, e]]) => [
      [s, w],
      [n, w],
      [n, e],
      [s, e]
    ]);
  }
  return [];
}
