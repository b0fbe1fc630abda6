import {
  bboxFromCorners,
  bboxRectangles,
  crossesAntimeridian,
  footprintLatLngs,
  formatBBox,
  lngWinding,
  parseBBox,
  ringToLatLngs,
  wrapLng
} from '../geo';
import { LAND_RINGS, landGeoJSON } from '../map/coastline';

describe('bbox', () => {
  it('formats W,S,E,N with at most 4 decimals', () => {
    expect(formatBBox([-20.123456, 60, 10, 70.5])).toBe('-20.1235,60,10,70.5');
    expect(formatBBox([-0, 0, 1, 1])).toBe('0,0,1,1');
  });

  it('parses commas or spaces, and rejects what is not a box', () => {
    expect(parseBBox('-20, 60, 10, 70')).toEqual([-20, 60, 10, 70]);
    expect(parseBBox('-20 60 10 70')).toEqual([-20, 60, 10, 70]);
    expect(parseBBox('-20,60,10')).toBeNull();
    expect(parseBBox('a,b,c,d')).toBeNull();
    expect(parseBBox('-200,60,10,70')).toBeNull();
    expect(parseBBox('-20,95,10,70')).toBeNull();
    expect(parseBBox('-20,70,10,60')).toBeNull(); // south above north
    expect(parseBBox('10,0,10,5')).toBeNull(); // no width
  });

  it('keeps west > east: a box across the antimeridian', () => {
    const box = parseBBox('170,-10,-170,10');
    expect(box).toEqual([170, -10, -170, 10]);
    expect(crossesAntimeridian(box!)).toBe(true);
    expect(bboxRectangles(box!)).toEqual([
      [
        [-10, 170],
        [10, 180]
      ],
      [
        [-10, -180],
        [10, -170]
      ]
    ]);
  });

  it('makes a box from two dragged corners in any order', () => {
    expect(bboxFromCorners([70, 10], [60, -20])).toEqual([-20, 60, 10, 70]);
  });

  it('wraps corners dragged on a panned world copy', () => {
    // 190°E..200°E is 170°W..160°W
    expect(bboxFromCorners([0, 190], [10, 200])).toEqual([-170, 0, -160, 10]);
    // 170°E..190°E straddles the antimeridian
    expect(bboxFromCorners([0, 170], [10, 190])).toEqual([170, 0, -170, 10]);
    // wider than the world is the whole world
    expect(bboxFromCorners([-80, -200], [80, 200])).toEqual([
      -180, -80, 180, 80
    ]);
    // latitudes are clamped
    expect(bboxFromCorners([-95, 0], [95, 10])).toEqual([0, -90, 10, 90]);
  });

  it('wraps longitudes', () => {
    expect(wrapLng(190)).toBe(-170);
    expect(wrapLng(-190)).toBe(170);
    expect(wrapLng(180)).toBe(180);
    expect(wrapLng(540)).toBe(180);
  });
});

describe('footprints', () => {
  it('turns [lon, lat] rings into [lat, lng] and unwraps the antimeridian', () => {
    expect(
      ringToLatLngs([
        [170, -10],
        [-170, -10],
        [-170, 10],
        [170, 10]
      ])
    ).toEqual([
      [-10, 170],
      [-10, 190],
      [10, 190],
      [10, 170]
    ]);
  });

  it('falls back to the bbox, split at the antimeridian', () => {
    expect(footprintLatLngs({ bbox: [0, 1, 2, 3], polygons: [] })).toEqual([
      [
        [1, 0],
        [3, 0],
        [3, 2],
        [1, 2]
      ]
    ]);
    expect(
      footprintLatLngs({ bbox: [170, -10, -170, 10], polygons: [] })
    ).toHaveLength(2);
    expect(footprintLatLngs({ bbox: null, polygons: [] })).toEqual([]);
    expect(footprintLatLngs(null)).toEqual([]);
  });

  it('skips degenerate rings and bad points', () => {
    expect(
      footprintLatLngs({
        bbox: null,
        polygons: [
          [
            [0, 0],
            [1, 1]
          ],
          [
            [0, 0],
            [NaN, 1],
            [1, 0],
            [1, 1]
          ]
        ]
      })
    ).toEqual([
      [
        [0, 0],
        [0, 1],
        [1, 1]
      ]
    ]);
  });
});

/**
 * A ring of 12 points all the way round at latitudes lat..lat+2 (as a MODIS
 * swath over a pole), [lon, lat], closed, longitudes in [-180, 180].
 */
function polarRing(lat: number): number[][] {
  const ring = Array.from({ length: 12 }, (_, i) => {
    const lon = i * 30 > 180 ? i * 30 - 360 : i * 30;
    return [lon, lat + (i % 2) * 2];
  });
  return [...ring, ring[0]];
}

/**
 * Whether no edge of the ring jumps more than 180° in longitude (it is drawn
 * as one shape, not across the world).
 */
function continuous(ring: [number, number][]): boolean {
  return ring.every(
    (point, i) => i === 0 || Math.abs(point[1] - ring[i - 1][1]) <= 180
  );
}

describe('footprints across the antimeridian and round the poles', () => {
  it('draws a MODIS swath crossing 172 → -168 as one shape', () => {
    const swath = [
      [160.2, 60.1],
      [172.4, 62.3],
      [-168.3, 65.0],
      [-171.9, 48.2],
      [176.5, 46.4],
      [160.2, 60.1]
    ];
    const [ring] = footprintLatLngs({
      bbox: [160.2, 46.4, -168.3, 65.0],
      polygons: [swath]
    });
    expect(continuous(ring)).toBe(true);
    expect(ring.map(([, lng]) => lng)).toEqual([
      160.2, 172.4, 191.7, 188.1, 176.5, 160.2
    ]);
    expect(lngWinding(ring)).toBeCloseTo(0);
    expect(ring).toHaveLength(6); // no cap
  });

  it('splits a bbox with west > east (as CMR writes it) at ±180', () => {
    expect(
      footprintLatLngs({ bbox: [172, -10, -168, 10], polygons: [] })
    ).toEqual([
      [
        [-10, 172],
        [10, 172],
        [10, 180],
        [-10, 180]
      ],
      [
        [-10, -180],
        [10, -180],
        [10, -168],
        [-10, -168]
      ]
    ]);
  });

  it('draws a ring round the North Pole as a cap up to the pole', () => {
    const [cap] = footprintLatLngs({
      bbox: [-180, 78, 180, 90],
      polygons: [polarRing(78)]
    });
    // along the ring one turn round (0 → 360), then up to the pole and back
    expect(cap.slice(0, 13).map(([, lng]) => lng)).toEqual(
      Array.from({ length: 13 }, (_, i) => i * 30)
    );
    expect(cap.slice(13)).toEqual([
      [90, 360],
      [90, 0]
    ]);
    // the ring part is one shape (only the edge along the pole spans 360°)
    expect(continuous(cap.slice(0, 14))).toBe(true);
    // the area between the ring and the pole, not a strip at 78–80°
    expect(Math.max(...cap.map(([lat]) => lat))).toBe(90);
    expect(Math.min(...cap.map(([lat]) => lat))).toBe(78);
  });

  it('draws a ring round the South Pole as a cap down to the pole', () => {
    const [cap] = footprintLatLngs({
      bbox: [-180, -90, 180, -78],
      polygons: [polarRing(-80)]
    });
    expect(cap.slice(-2)).toEqual([
      [-90, 360],
      [-90, 0]
    ]);
    expect(Math.max(...cap.map(([lat]) => lat))).toBe(-78);
  });

  it('closes an open polar ring one turn round, and finds the pole without a bbox', () => {
    const open = polarRing(-80).slice(0, 12).reverse(); // westward, not closed
    const [cap] = footprintLatLngs({ bbox: null, polygons: [open] });
    expect(lngWinding(cap.slice(0, 12))).toBeCloseTo(-360);
    expect(cap.slice(-3)).toEqual([
      [cap[0][0], cap[0][1] - 360],
      [-90, cap[0][1] - 360],
      [-90, cap[0][1]]
    ]);
  });

  it('leaves a ring near a pole that does not go round it as it is', () => {
    const ring = [
      [10, 80],
      [60, 80],
      [60, 85],
      [10, 85],
      [10, 80]
    ];
    expect(
      footprintLatLngs({ bbox: [10, 80, 60, 85], polygons: [ring] })
    ).toEqual([
      [
        [80, 10],
        [80, 60],
        [85, 60],
        [85, 10],
        [80, 10]
      ]
    ]);
  });

  it('draws an orbit band (no polygons) round the whole world', () => {
    const band = footprintLatLngs({
      bbox: [-180, 27, 180, 59.5],
      polygons: []
    });
    expect(band).toEqual([
      [
        [27, -180],
        [59.5, -180],
        [59.5, 180],
        [27, 180]
      ]
    ]);
  });
});

describe('bundled coastline', () => {
  it('is closed rings of valid [lon, lat] points, a few hundred in all', () => {
    let points = 0;
    for (const ring of LAND_RINGS) {
      expect(ring.length).toBeGreaterThanOrEqual(4);
      expect(ring[0]).toEqual(ring[ring.length - 1]);
      for (const [lon, lat] of ring) {
        expect(Math.abs(lon)).toBeLessThanOrEqual(180);
        expect(Math.abs(lat)).toBeLessThanOrEqual(90);
      }
      points += ring.length;
    }
    expect(points).toBeGreaterThan(200);
    expect(points).toBeLessThan(2000);
    expect(landGeoJSON().features[0].geometry.coordinates).toHaveLength(
      LAND_RINGS.length
    );
  });
});
