"""The catalogue's realistic collections: the shapes real CMR records have that the
generated ones lack, each in a collection appended at the END of the catalogue (so the
other collections' granule ids do not move). See ``docs/standins.md``, "Realistic
collections".

- :data:`MIXED_CONCEPT_ID` (``DEMO_GRACE_MASCON``, TELLUS-like): granules of three
  "GET DATA" files of mixed formats (``.nc``, ``.tif``, ``.txt``), browse, OPeNDAP and
  DMR++ links, sizes as ``Size`` + ``SizeUnit: "MB"`` (MiB, 4 decimals) only;
- :data:`CHECKSUM_CONCEPT_ID` (``DEMO_DAYMET_DAILY``, ORNL-like): a ``.nc`` and its
  ``.nc.sha256``, both "GET DATA"; no ``S3CredentialsAPIEndpoint`` in the collection;
- :data:`SWOT_CONCEPT_ID` (``DEMO_SWOT_L2_LR_SSH``): the credentials endpoint is the
  ``swot`` DAAC stand-in, outside the DAAC table servers are given;
- :data:`ORBIT_CONCEPT_ID` (``DEMO_ATL06``, ICESat-2-like): orbit and track only, no
  geometry, sizes with ``SizeUnit: "NA"``;
- :data:`SWATH_CONCEPT_ID` (``DEMO_MOD021KM``, on-premises LAADS): 5-minute swaths, 7
  across the antimeridian and 2 around a pole, files named "Not provided".

Their records: :mod:`.special_collections`; their granules: here. The files the cloud
ones announce are real (:mod:`cloudscapes.testing.specialdata`),
seeded in moto by :func:`cloudscapes.testing.datasets.seed_demo_data`
(:func:`special_objects`) and served by the data host.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import cache
from typing import Any

from .. import specialdata
from .catalogue import GRANULE_BASE, GRANULE_STRIDE, Collection, Granule, _unit
from .special_collections import special_collections

MIXED_CONCEPT_ID = "C2999000003-POCLOUD"
CHECKSUM_CONCEPT_ID = "C2999000004-ORNL_CLOUD"
SWOT_CONCEPT_ID = "C2999000005-POCLOUD"
ORBIT_CONCEPT_ID = "C2999000006-NSIDC_CPRD"
SWATH_CONCEPT_ID = "C2999000007-LAADS"
#: the on-premises archive of :data:`SWATH_CONCEPT_ID` (not served: code only)
LAADS_ARCHIVE = "https://ladsweb.modaps.eosdis.nasa.gov/archive/allData/61/MOD021KM"

NETCDF = "application/x-netcdf"
TIFF = "image/tiff"
TEXT = "text/plain"
HDF5 = "application/x-hdf5"
MIB = 1048576


@dataclass(frozen=True)
class Link:
    """A RelatedUrl of a realistic granule, resolved against the running stand-ins when
    rendered (:func:`cloudscapes.testing.cmr.render.resolve`)."""

    type: str
    #: "https" (``target`` under the collection's prefix on the data host), "s3" (same,
    #: in its bucket), "credentials" (its DAAC's endpoint), "opendap" (``target`` under
    #: the data host's ``/opendap/``) or "url" (``target`` as is)
    kind: str
    target: str = ""
    mime: str | None = None
    subtype: str | None = None
    description: str = ""


@dataclass(frozen=True)
class Shape:
    """What a realistic granule renders instead of the generated granules' defaults."""

    #: UMM-G ``SpatialExtent.HorizontalSpatialDomain``
    spatial: dict[str, Any]
    #: UMM-G ``DataGranule.ArchiveAndDistributionInformation``
    archive: tuple[dict[str, Any], ...]
    links: tuple[Link, ...]
    #: the Atom entry's spatial fields (``boxes``, ``polygons`` or ``orbit``...)
    atom: dict[str, Any]
    #: more top-level UMM-G fields (``OrbitCalculatedSpatialDomains``)
    umm: dict[str, Any] = field(default_factory=dict)
    coordinate_system: str = "CARTESIAN"


@dataclass(frozen=True)
class SeedObject:
    """An object :func:`cloudscapes.testing.datasets.seed_demo_data` puts in moto."""

    bucket: str
    key: str
    body: bytes
    content_type: str


def special_granule(c: Collection, j: int) -> Granule:
    """Granule ``j`` of the realistic collection ``c``."""
    start = c.start + j * c.step
    end = start + c.step - 1
    return _BUILDERS[c.special](c, j, start, end)


def _granule_ids(concept_id: str) -> tuple[str, ...]:
    (c,) = (c for c in special_collections() if c.concept_id == concept_id)
    return tuple(
        f"G{GRANULE_BASE + c.index * GRANULE_STRIDE + j}-{c.provider}"
        for j in range(c.granule_count)
    )


def _moment(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, timezone.utc)


def _box_spatial(bbox: tuple[float, float, float, float]) -> dict[str, Any]:
    west, south, east, north = bbox
    return {
        "Geometry": {
            "BoundingRectangles": [
                {
                    "WestBoundingCoordinate": west,
                    "NorthBoundingCoordinate": north,
                    "EastBoundingCoordinate": east,
                    "SouthBoundingCoordinate": south,
                }
            ]
        }
    }


def _atom_box(bbox: tuple[float, float, float, float]) -> dict[str, Any]:
    west, south, east, north = bbox
    return {"boxes": [f"{south} {west} {north} {east}"]}


def _polygon_spatial(ring: tuple[tuple[float, float], ...]) -> dict[str, Any]:
    points = [{"Longitude": lon, "Latitude": lat} for lon, lat in ring]
    return {"Geometry": {"GPolygons": [{"Boundary": {"Points": points}}]}}


def _atom_polygon(ring: tuple[tuple[float, float], ...]) -> dict[str, Any]:
    return {"polygons": [[" ".join(f"{lat} {lon}" for lon, lat in ring)]]}


def _wrap(lon: float) -> float:
    return round((lon + 180.0) % 360.0 - 180.0, 4)


def _ring_bbox(ring: tuple[tuple[float, float], ...]) -> tuple[float, float, float, float]:
    """The search box of a ring: across the antimeridian when it is, to a pole when it
    goes round one (as the search indexes CMR builds)."""
    lats = [lat for _, lat in ring]
    unwrapped = [ring[0][0]]
    for lon, _ in ring[1:]:
        step = (lon - unwrapped[-1] + 180.0) % 360.0 - 180.0
        unwrapped.append(unwrapped[-1] + step)
    turn = unwrapped[-1] - unwrapped[0]
    if abs(turn) > 180.0:  # goes round a pole
        return (-180.0, -90.0, 180.0, max(lats)) if turn < 0 else (-180.0, min(lats), 180.0, 90.0)
    west, east = min(unwrapped), max(unwrapped)
    if east - west >= 360.0:
        return (-180.0, min(lats), 180.0, max(lats))
    return (_wrap(west), min(lats), _wrap(east), max(lats))


def _https_and_s3(name: str, mime: str) -> tuple[Link, Link]:
    return (
        Link("GET DATA", "https", name, mime, description=f"Download {name}"),
        Link(
            "GET DATA VIA DIRECT ACCESS",
            "s3",
            name,
            mime,
            description="This link provides direct download access via S3 to the granule",
        ),
    )


_CREDENTIALS = Link(
    "VIEW RELATED INFORMATION",
    "credentials",
    description="api endpoint to retrieve temporary credentials valid for same-region "
    "direct s3 access",
)


# -- mixed formats (TELLUS-like) ------------------------------------------------------


def _mixed_ur(start: int, end: int) -> str:
    return f"GRCTellus.JPL.{_moment(start):%Y%m%d}_{_moment(end):%Y%m%d}.GLO.RL06.3M.MSCNv04CRI"


def _mixed(c: Collection, j: int, start: int, end: int) -> Granule:
    ur = _mixed_ur(start, end)
    files = [
        (f"{ur}{ext}", mime) for ext, mime in ((".nc", NETCDF), (".tif", TIFF), (".txt", TEXT))
    ]
    sizes = _sizes()
    sized = tuple((name, sizes[c.bucket or "", c.prefix + name]) for name, _ in files)
    links: list[Link] = []
    for name, mime in files:
        links += _https_and_s3(name, mime)
    links += [
        Link("GET RELATED VISUALIZATION", "https", f"{ur}.png", "image/png", None, "Browse image"),
        Link(
            "USE SERVICE API",
            "opendap",
            f"collections/{c.concept_id}/granules/{ur}",
            subtype="OPENDAP DATA",
            description="OPeNDAP request URL",
        ),
        _CREDENTIALS,
        Link(
            "EXTENDED METADATA",
            "https",
            f"{ur}.nc.dmrpp",
            subtype="DMR++",
            description="OPeNDAP DMR++ metadata of the granule",
        ),
    ]
    archive = tuple(
        {"Name": name, "Size": round(size / MIB, 4), "SizeUnit": "MB"} for name, size in sized
    )
    shape = Shape(_box_spatial(c.bbox), archive, tuple(links), _atom_box(c.bbox))
    return Granule(c, j, ur, start, end, c.bbox, None, sized, shape)


def _mixed_objects(c: Collection) -> list[SeedObject]:
    objects = []
    for j in range(c.granule_count):
        start = c.start + j * c.step
        ur = _mixed_ur(start, start + c.step - 1)
        month = _moment(start).date()
        nc = specialdata.mascon_netcdf(month)
        for name, body, kind in (
            (f"{ur}.nc", nc, NETCDF),
            (f"{ur}.tif", specialdata.mascon_geotiff(month), TIFF),
            (f"{ur}.txt", specialdata.mascon_readme(ur), TEXT),
            (f"{ur}.png", specialdata.browse_png(), "image/png"),
            (f"{ur}.nc.dmrpp", specialdata.dmrpp(f"{ur}.nc"), "application/xml"),
        ):
            objects.append(SeedObject(c.bucket or "", c.prefix + name, body, kind))
    return objects


# -- a checksum beside each file (Daymet-like) ----------------------------------------


def _checksum_name(start: int) -> str:
    return f"daymet_v4_daily_hi_tmax_{_moment(start):%Y}.nc"


def _checksum(c: Collection, j: int, start: int, end: int) -> Granule:
    name = _checksum_name(start)
    sizes = _sizes()
    sized = tuple((n, sizes[c.bucket or "", c.prefix + n]) for n in (name, f"{name}.sha256"))
    links = (*_https_and_s3(name, NETCDF), *_https_and_s3(f"{name}.sha256", TEXT))
    archive = tuple(
        {"Name": n, "SizeInBytes": size, "Size": size / MIB, "SizeUnit": "MB"} for n, size in sized
    )
    shape = Shape(_box_spatial(c.bbox), archive, links, _atom_box(c.bbox))
    return Granule(c, j, f"Daymet_Daily_V4R1.{name}", start, end, c.bbox, None, sized, shape)


def _checksum_objects(c: Collection) -> list[SeedObject]:
    objects = []
    for j in range(c.granule_count):
        start = c.start + j * c.step
        name = _checksum_name(start)
        body = specialdata.daymet_netcdf(_moment(start).year)
        objects.append(SeedObject(c.bucket or "", c.prefix + name, body, NETCDF))
        checksum = specialdata.sha256_sidecar(name, body)
        objects.append(SeedObject(c.bucket or "", f"{c.prefix}{name}.sha256", checksum, TEXT))
    return objects


# -- SWOT-like: its own credentials endpoint ------------------------------------------

#: counter-clockwise swath rings; the second crosses the antimeridian
SWOT_RINGS = (
    ((-130.0, -30.0), (-125.0, -30.0), (-115.0, 10.0), (-120.0, 10.0), (-130.0, -30.0)),
    ((172.0, -20.0), (177.0, -20.0), (-172.0, 20.0), (-177.0, 20.0), (172.0, -20.0)),
    ((20.0, -60.0), (26.0, -60.0), (40.0, -20.0), (34.0, -20.0), (20.0, -60.0)),
)


def _swot_name(j: int, start: int, end: int) -> str:
    return (
        f"SWOT_L2_LR_SSH_Expert_010_{497 + j:03d}_{_moment(start):%Y%m%dT%H%M%S}_"
        f"{_moment(end):%Y%m%dT%H%M%S}_PIC0_01.nc"
    )


def _swot(c: Collection, j: int, start: int, end: int) -> Granule:
    name = _swot_name(j, start, end)
    size = _sizes()[c.bucket or "", c.prefix + name]
    ring = SWOT_RINGS[j]
    archive = ({"Name": name, "SizeInBytes": size},)
    links = (*_https_and_s3(name, NETCDF), _CREDENTIALS)
    shape = Shape(_polygon_spatial(ring), archive, links, _atom_polygon(ring), {}, "GEODETIC")
    return Granule(c, j, name[:-3], start, end, _ring_bbox(ring), ring, ((name, size),), shape)


def _swot_objects(c: Collection) -> list[SeedObject]:
    objects = []
    for j in range(c.granule_count):
        start = c.start + j * c.step
        name = _swot_name(j, start, start + c.step - 1)
        body = specialdata.swot_netcdf(SWOT_RINGS[j])
        objects.append(SeedObject(c.bucket or "", c.prefix + name, body, NETCDF))
    return objects


# -- ICESat-2-like: orbit and track only ----------------------------------------------

#: (start latitude, direction, end latitude, direction, ascending crossing, RGT)
ORBITS = (
    (27.0, "A", 59.5, "A", -123.4, 201),  # ascending only
    (60.0, "A", 65.0, "D", 45.2, 202),  # over the northern turn (the pole band)
    (50.0, "D", -10.0, "D", 100.7, 203),  # descending only
    (-60.0, "D", -65.0, "A", -10.5, 204),  # under the southern turn
)
#: how far an ICESat-2 track reaches (its inclination is 92 degrees)
TURNING_LATITUDE = 88.0


def _orbit_name(j: int, start: int) -> str:
    rgt = ORBITS[j][5]
    return f"ATL06_{_moment(start):%Y%m%d%H%M%S}_{rgt:04d}2203_006_02.h5"


def _orbit_band(j: int) -> tuple[float, float, float, float]:
    start_lat, start_dir, end_lat, end_dir, _, _ = ORBITS[j]
    south, north = min(start_lat, end_lat), max(start_lat, end_lat)
    if (start_dir, end_dir) == ("A", "D"):
        north = TURNING_LATITUDE
    elif (start_dir, end_dir) == ("D", "A"):
        south = -TURNING_LATITUDE
    return (-180.0, south, 180.0, north)


def _orbit(c: Collection, j: int, start: int, end: int) -> Granule:
    name = _orbit_name(j, start)
    size = _sizes()[c.bucket or "", c.prefix + name]
    start_lat, start_dir, end_lat, end_dir, crossing, rgt = ORBITS[j]
    orbit = {
        "AscendingCrossing": crossing,
        "StartLatitude": start_lat,
        "StartDirection": start_dir,
        "EndLatitude": end_lat,
        "EndDirection": end_dir,
    }
    track = {
        "Cycle": 22,
        "Passes": [{"Pass": rgt, "Tiles": ["1L", "1R", "2L", "2R", "3L", "3R"]}],
    }
    orbit_number = 22_000 + rgt
    atom = {
        "orbit": {
            "ascending_crossing": str(crossing),
            "start_lat": str(start_lat),
            "start_direction": start_dir,
            "end_lat": str(end_lat),
            "end_direction": end_dir,
        },
        "orbit_calculated_spatial_domains": [
            {"start_orbit_number": str(orbit_number), "stop_orbit_number": str(orbit_number)}
        ],
    }
    ur = name[:-3]
    links = (
        *_https_and_s3(name, HDF5),
        _CREDENTIALS,
        Link("EXTENDED METADATA", "https", f"{ur}.iso.xml", "text/xml", None, "ISO metadata"),
    )
    shape = Shape(
        {"Orbit": orbit, "Track": track},
        ({"Name": name, "Size": round(size / MIB, 4), "SizeUnit": "NA", "Format": "HDF5"},),
        links,
        atom,
        {
            "OrbitCalculatedSpatialDomains": [
                {"BeginOrbitNumber": orbit_number, "EndOrbitNumber": orbit_number}
            ]
        },
        "ORBIT",
    )
    return Granule(c, j, name, start, end, _orbit_band(j), None, ((name, size),), shape)


def _orbit_objects(c: Collection) -> list[SeedObject]:
    objects = []
    for j in range(c.granule_count):
        name = _orbit_name(j, c.start + j * c.step)
        start_lat, _, end_lat, _, _, _ = ORBITS[j]
        body = specialdata.atl06_hdf5(start_lat, end_lat)
        objects.append(SeedObject(c.bucket or "", c.prefix + name, body, HDF5))
        xml = f'<?xml version="1.0"?>\n<gmi:MI_Metadata id="{name}"/>\n'.encode()
        iso_key = f"{c.prefix}{name[:-3]}.iso.xml"
        objects.append(SeedObject(c.bucket or "", iso_key, xml, "text/xml"))
    return objects


# -- MODIS-like swaths on premises -----------------------------------------------------

#: granules (of 20) whose swath crosses the antimeridian, and those round a pole
SWATH_ACROSS = (1, 4, 7, 10, 13, 16, 19)
SWATH_NORTH_POLE, SWATH_SOUTH_POLE = 5, 14


def swath_ring(j: int) -> tuple[tuple[float, float], ...]:
    """The counter-clockwise ring of MODIS-like swath ``j``."""
    if j == SWATH_NORTH_POLE:  # eastwards all the way round: encloses the North Pole
        points = [(-165.0 + 30 * k, 78.0 + 2 * (k % 2)) for k in range(12)]
    elif j == SWATH_SOUTH_POLE:  # westwards all the way round: encloses the South Pole
        points = [(165.0 - 30 * k, -78.0 - 2 * (k % 2)) for k in range(12)]
    else:
        if j in SWATH_ACROSS:
            west = 160.0 + (j % 5) * 3  # 160..172, 28 degrees wide: east -172..-160
        else:
            west = -150.0 + (j * 17) % 280  # never within 30 degrees of 180
        south = -60.0 + (j % 5) * 22
        north = south + 18.0
        points = [(west, south), (west + 28, south), (west + 30, north), (west + 2, north)]
        points = [(_wrap(lon), lat) for lon, lat in points]
    return (*points, points[0])


def _swath_name(start: int) -> str:
    moment = _moment(start)
    return f"MOD021KM.A{moment:%Y%j}.{moment:%H%M}.061.{moment:%Y%j}093512.hdf"


def _swath(c: Collection, j: int, start: int, end: int) -> Granule:
    name = _swath_name(start)
    day = _moment(start)
    ring = swath_ring(j)
    size_mb = round(38.0 + 20.0 * _unit(c.seq, j), 2)
    links = (
        Link(
            "GET DATA",
            "url",
            f"{LAADS_ARCHIVE}/{day:%Y}/{day:%j}/{name}",
            "application/x-hdf",
            description="Download from the LAADS archive",
        ),
        Link(
            "GET RELATED VISUALIZATION",
            "url",
            f"https://ladsweb.modaps.eosdis.nasa.gov/browse/MOD021KM/{day:%Y/%j}/{name[:-4]}.jpg",
            "image/jpeg",
            description="Browse image",
        ),
    )
    archive = ({"Name": "Not provided", "Size": size_mb, "SizeUnit": "MB"},)
    shape = Shape(_polygon_spatial(ring), archive, links, _atom_polygon(ring), {}, "GEODETIC")
    files = ((name, int(size_mb * MIB)),)
    return Granule(c, j, name, start, end, _ring_bbox(ring), ring, files, shape)


_BUILDERS = {
    "mixed": _mixed,
    "checksum": _checksum,
    "swot": _swot,
    "orbit": _orbit,
    "swath": _swath,
}
_OBJECTS = {
    "mixed": _mixed_objects,
    "checksum": _checksum_objects,
    "swot": _swot_objects,
    "orbit": _orbit_objects,
}


@cache
def special_objects() -> tuple[SeedObject, ...]:
    """Every file of the realistic cloud collections, generated once per process."""
    objects: list[SeedObject] = []
    for c in special_collections():
        if c.special in _OBJECTS:
            objects += _OBJECTS[c.special](c)
    return tuple(objects)


@cache
def _sizes() -> dict[tuple[str, str], int]:
    return {(o.bucket, o.key): len(o.body) for o in special_objects()}


MIXED_GRANULE_IDS = _granule_ids(MIXED_CONCEPT_ID)
CHECKSUM_GRANULE_IDS = _granule_ids(CHECKSUM_CONCEPT_ID)
SWOT_GRANULE_IDS = _granule_ids(SWOT_CONCEPT_ID)
ORBIT_GRANULE_IDS = _granule_ids(ORBIT_CONCEPT_ID)
SWATH_GRANULE_IDS = _granule_ids(SWATH_CONCEPT_ID)
