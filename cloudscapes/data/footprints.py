"""Footprints of CMR records on a round Earth: bounding boxes that cross the antimeridian
(west > east, as CMR writes them), rings that enclose a pole, and orbit-only granules
(ICESat-2) drawn as an approximate latitude band.

The model is schema ``Granule.footprint``: ``{bbox, polygons, kind, approximate, note}``.
Garbled coordinates are left out, never fatal: a record CMR accepted must not break a page.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

#: Highest latitude of ICESat-2's ground track (inclination 92°: 180 - 92).
DEFAULT_TURNING_LATITUDE = 88.0

Ring = list[list[float]]
#: An arc of longitude: (start in [-180, 180), length in degrees, 0..360).
Arc = tuple[float, float]


def _number(value: Any) -> float:
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(value)
    return number


def _lat(value: Any) -> float:
    number = _number(value)
    if not -90.0 <= number <= 90.0:
        raise ValueError(value)
    return number


def _wrap(lon: float) -> float:
    """A longitude in [-180, 180)."""
    return (lon + 180.0) % 360.0 - 180.0


def _arc(west: float, east: float) -> Arc:
    """The arc from ``west`` eastwards to ``east`` (west > east crosses ±180)."""
    if east - west >= 360.0:
        return (-180.0, 360.0)
    return (_wrap(west), (east - west) % 360.0)


def union_of_arcs(arcs: Iterable[Arc]) -> tuple[float, float] | None:
    """The shortest ``(west, east)`` covering every arc: the circle minus its largest gap.

    West > east when the result crosses the antimeridian; ``(-180, 180)`` when the arcs
    go all the way round."""
    items = sorted(arcs)
    if not items:
        return None
    if any(length >= 360.0 for _, length in items):
        return (-180.0, 180.0)
    # merge on the line from the first start; then close the circle: the last arc may run
    # past +180 over the first ones
    merged: list[list[float]] = []
    for start, length in items:
        end = start + length
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    while len(merged) > 1 and merged[-1][1] - 360.0 >= merged[0][0]:
        _, end = merged.pop(0)
        merged[-1][1] = max(merged[-1][1], end + 360.0)
    if merged[-1][1] - merged[0][0] >= 360.0:
        return (-180.0, 180.0)
    # the largest gap: between consecutive arcs, or from the last back round to the first
    best_gap, best_after = -1.0, len(merged) - 1
    for i in range(len(merged)):
        following = merged[0][0] + 360.0 if i == len(merged) - 1 else merged[i + 1][0]
        gap = following - merged[i][1]
        if gap > best_gap:
            best_gap, best_after = gap, i
    if best_gap <= 0.0:
        return (-180.0, 180.0)
    start = merged[(best_after + 1) % len(merged)][0]
    end = merged[best_after][1]
    west = _wrap(start)
    length = (end - start) % 360.0
    east = west + length
    return (west, east - 360.0 if east > 180.0 else east)


def _unwrap(lons: list[float]) -> list[float]:
    """Longitudes made continuous: a jump of more than 180° between consecutive points
    is a crossing of ±180, not a trip the long way round."""
    out = lons[:1]
    for lon in lons[1:]:
        out.append(out[-1] + (lon - out[-1] + 180.0) % 360.0 - 180.0)
    return out


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _path_arc(lons: list[float]) -> Arc:
    """The arc a path of unwrapped longitudes covers."""
    low, high = min(lons), max(lons)
    return _arc(low, high) if high - low < 360.0 else (-180.0, 360.0)


def _ring(polygon: Any) -> Ring:
    points = polygon["Boundary"]["Points"]
    return [[_number(p["Longitude"]), _lat(p["Latitude"])] for p in points]


def polygons_of(geometry: dict[str, Any]) -> list[Ring]:
    """The outer rings of ``GPolygons``; a garbled polygon is left off."""
    rings = []
    for polygon in _list(geometry.get("GPolygons")):
        try:
            ring = _ring(polygon)
        except (AttributeError, KeyError, TypeError, ValueError):
            continue
        if ring:
            rings.append(ring)
    return rings


def _ring_extent(ring: Ring) -> tuple[Arc, float, float]:
    """A ring's arc of longitude and its latitude range, reaching the pole when the ring
    goes round it."""
    lons = _unwrap([p[0] for p in ring] + [ring[0][0]])  # closed, whether CMR closed it
    lats = [p[1] for p in ring]
    south, north = min(lats), max(lats)
    winding = lons[-1] - lons[0]
    if abs(winding) >= 359.999:
        # encloses a pole: the one on the ring's side of the equator
        if sum(lats) >= 0:
            north = 90.0
        else:
            south = -90.0
        return (-180.0, 360.0), south, north
    return _path_arc(lons), south, north


def _rectangle(rect: Any) -> tuple[Arc, float, float]:
    west = _number(rect["WestBoundingCoordinate"])
    east = _number(rect["EastBoundingCoordinate"])
    south = _lat(rect["SouthBoundingCoordinate"])
    north = _lat(rect["NorthBoundingCoordinate"])
    return _arc(west, east), min(south, north), max(south, north)


def _points(geometry: dict[str, Any]) -> Iterable[tuple[Arc, float, float]]:
    for point in _list(geometry.get("Points")):
        try:
            lon, lat = _number(point["Longitude"]), _lat(point["Latitude"])
        except (AttributeError, KeyError, TypeError, ValueError):
            continue
        yield (_wrap(lon), 0.0), lat, lat
    for line in _list(geometry.get("Lines")):
        try:
            coords = [[_number(p["Longitude"]), _lat(p["Latitude"])] for p in line["Points"]]
        except (AttributeError, KeyError, TypeError, ValueError):
            continue
        if coords:
            lats = [c[1] for c in coords]
            yield _path_arc(_unwrap([c[0] for c in coords])), min(lats), max(lats)


def _extents(geometry: dict[str, Any], rings: list[Ring]) -> list[tuple[Arc, float, float]]:
    extents = []
    for rect in _list(geometry.get("BoundingRectangles")):
        try:
            extents.append(_rectangle(rect))
        except (AttributeError, KeyError, TypeError, ValueError):
            continue
    extents += [_ring_extent(ring) for ring in rings]
    extents += list(_points(geometry))
    return extents


def bbox_of(geometry: Any, rings: list[Ring] | None = None) -> list[float] | None:
    """``[west, south, east, north]`` of a UMM ``Geometry``: rectangles, polygons, points
    and lines united on the circle; None when it has none (or only garbled ones)."""
    if not isinstance(geometry, dict):
        return None
    extents = _extents(geometry, polygons_of(geometry) if rings is None else rings)
    lons = union_of_arcs(arc for arc, _, _ in extents)
    if lons is None:
        return None
    south = min(s for _, s, _ in extents)
    north = max(n for _, _, n in extents)
    return [lons[0], south, lons[1], north]


def turning_latitude(inclination: float | None) -> float:
    """The highest latitude a ground track reaches (retrograde orbits: 180 - i)."""
    if inclination is None or not math.isfinite(inclination) or not 0 < inclination < 180:
        return DEFAULT_TURNING_LATITUDE
    return 180.0 - inclination if inclination > 90 else inclination


def _degrees(value: float, positive: str, negative: str) -> str:
    return f"{abs(value):.1f}° {positive if value >= 0 else negative}"


def _orbit_ends(orbit: dict[str, Any]) -> tuple[float, float, tuple[str, str]] | None:
    """Start and end latitudes and their directions (``A``/``D``), when all are given."""
    try:
        start, end = _lat(orbit["StartLatitude"]), _lat(orbit["EndLatitude"])
        up = str(orbit["StartDirection"]).upper()[:1], str(orbit["EndDirection"]).upper()[:1]
    except (KeyError, TypeError, ValueError):
        return None
    return (start, end, up) if set(up) <= {"A", "D"} else None


def orbit_band(orbit: dict[str, Any], inclination: float | None = None) -> dict[str, Any]:
    """The latitude band of an orbit segment (``HorizontalSpatialDomain.Orbit``).

    Ascending to descending passes the northern turning latitude, descending to ascending
    the southern one; a segment that cannot be placed is the whole band the orbit covers.
    """
    turn = turning_latitude(inclination)
    crossing = None
    try:
        crossing = _number(orbit["AscendingCrossing"])
    except (KeyError, TypeError, ValueError):
        pass
    ends = _orbit_ends(orbit)
    passing = ""
    if ends is None:
        south, north = -turn, turn
        where = f"orbit between {_degrees(-turn, 'N', 'S')} and {_degrees(turn, 'N', 'S')}"
    else:
        start, end, up = ends
        low, high = min(start, end), max(start, end)
        if up == ("A", "D"):
            south, north = low, max(turn, high)
            passing = f" over {_degrees(north, 'N', 'S')}"
        elif up == ("D", "A"):
            south, north = min(-turn, low), high
            passing = f" over {_degrees(south, 'N', 'S')}"
        elif (up == ("A", "A") and start <= end) or (up == ("D", "D") and start >= end):
            south, north = low, high
        else:  # round a whole orbit and more
            south, north = min(-turn, low), max(turn, high)
            passing = " round the whole orbit"
        where = f"orbit from {_degrees(start, 'N', 'S')}{passing} to {_degrees(end, 'N', 'S')}"
    if crossing is not None:
        where += f" (ascending crossing {_degrees(_wrap(crossing), 'E', 'W')})"
    return {
        "bbox": [-180.0, south, 180.0, north],
        "polygons": [],
        "kind": "orbit",
        "approximate": True,
        "note": f"Approximate: {where}; CMR has no footprint for this granule",
    }


def _domain(umm: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """``HorizontalSpatialDomain`` of a UMM-G record and its ``Geometry`` ({} if none)."""
    spatial = umm.get("SpatialExtent") if isinstance(umm, dict) else None
    domain = spatial.get("HorizontalSpatialDomain") if isinstance(spatial, dict) else None
    domain = domain if isinstance(domain, dict) else {}
    geometry = domain.get("Geometry")
    return domain, geometry if isinstance(geometry, dict) else {}


def geometry_of(umm: Any) -> dict[str, Any]:
    """The ``Geometry`` of a UMM-C or UMM-G record's horizontal domain ({} if none)."""
    return _domain(umm)[1]


def orbit_only(umm: Any) -> bool:
    """Whether a UMM-G record's footprint is an orbit band (no usable geometry): the
    collection's inclination then places it (see :func:`footprint`). Cheap for the
    granules that have no orbit, which are most: their geometry is not read."""
    domain, geometry = _domain(umm)
    if not (isinstance(domain.get("Orbit"), dict) or domain.get("Track")):
        return False
    return bbox_of(geometry, polygons_of(geometry)) is None


def footprint(umm: Any, inclination: float | None = None) -> dict[str, Any]:
    """The footprint of a UMM-G record (schema ``Granule.footprint``).

    CMR's geometry when it has one; else the orbit band (``Orbit``, or a ``Track`` alone:
    the whole band), approximate; else kind ``none``."""
    domain, geometry = _domain(umm)
    rings = polygons_of(geometry)
    bbox = bbox_of(geometry, rings)
    if bbox is not None:
        return {
            "bbox": bbox,
            "polygons": rings,
            "kind": "polygon" if rings else "box",
            "approximate": False,
            "note": None,
        }
    orbit = domain.get("Orbit")
    if isinstance(orbit, dict) or domain.get("Track"):
        return orbit_band(orbit if isinstance(orbit, dict) else {}, inclination)
    return {"bbox": None, "polygons": [], "kind": "none", "approximate": False, "note": None}
