import {
  bboxFromCorners,
  bboxRectangles,
  crossesAntimeridian,
  footprintLatLngs,
  formatBBox,
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
