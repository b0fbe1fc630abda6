"""A local stand-in for NASA's CMR search API (``/search/``) over a generated catalogue.

It shares :class:`~cloudscapes.testing.earthdata.EarthdataState` with the EDL, DAAC and
data-host stand-ins: it checks EDL tokens with :meth:`EarthdataState.check_token`, its
collections point at the DAAC stand-in's ``/s3credentials`` and its granules at the data
host (:attr:`EarthdataState.data_url`). Every request is recorded as service ``"cmr"``.

What follows ``nasa-apis.md`` (and CMR's own API documentation and source)
---------------------------------------------------------------------------

- ``GET`` or form-encoded ``POST`` (same parameters; query string and body merge) of
  ``/search/collections.json``, ``collections.umm_json``, ``granules.json``,
  ``granules.umm_json``. Parameter names may end in ``[]``.
- Parameters: ``keyword`` (collections; case-insensitive, ``*``/``?`` wildcards, every
  word must match the short name, entry title or abstract), ``short_name``, ``version``,
  ``entry_title``, ``provider`` (alias ``provider_id``), ``concept_id`` (repeatable),
  ``collection_concept_id`` (granules), ``readable_granule_name``/``granule_ur``
  (granules), ``cloud_hosted`` and ``has_granules`` (collections; ``true``, ``false`` or
  ``unset``), ``temporal`` = ``start,end`` (ISO 8601, either end open; ranges overlap;
  several values: any of them), ``bounding_box`` = ``W,S,E,N`` (intersects; ``W > E``
  crosses the antimeridian; several values: all of them), ``page_size`` (default 10,
  0..2000), ``page_num`` (1-based, supported, not with search-after), ``sort_key``
  (``-`` descending, ``+`` ascending; several allowed), and
  ``options[<param>][pattern|ignore_case]`` for the string parameters (exact,
  case-insensitive matches unless ``pattern=true``, which enables ``*``/``?``).
- Errors are ``{"errors": [...]}`` with ``Content-Type: application/json;charset=utf-8``:
  ``Parameter [foo] was not recognized.``, ``page_size must be a number between 0 and
  2000``, ``The sort key [foo] is not a valid field for sorting collections.``, a granule
  query without a collection constraint (``concept_id``, ``provider``, ``provider_id``,
  ``short_name``, ``version``, ``entry_title``, ``collection_concept_id``) gets CMR's
  ``The CMR does not allow querying across granules in all collections...``; temporal,
  bounding box and boolean messages are CMR's.
- Paging: ``CMR-Hits``, ``CMR-Took`` (ms), ``CMR-Request-Id`` (and ``X-Request-Id``)
  on every answer; ``CMR-Search-After`` (a JSON array: the sort values of the page's
  last item, strings lower-cased, dates in epoch milliseconds, then the concept's
  sequence number, e.g. ``["nsidc_cprd",1725148800000,3000000000]``) when more items
  follow. The client sends it back as a request header with the same parameters; a
  value that is not a JSON array, or does not fit the sort, is a 400 with CMR's
  messages. Every sort ends with the sequence number, so it is total and search-after
  paging yields every item exactly once. ``page_size=0`` answers the hits only.
- Default sort: collections with ``keyword`` by relevance (``score`` descending, then
  community usage descending), otherwise by ``entry_title`` then ``provider``; granules
  by ``provider`` then ``start_date`` (as in the reference's search-after example).
- Auth: no ``Authorization`` is fine (public metadata). ``Authorization: Bearer <EDL
  token>`` must be a valid token of the state: an expired one gets 401 ``Token [<scrubbed
  header>] has expired. Note the token value has been partially redacted.``, anything
  else (bad signature, unknown, revoked, not a JWT) 401 ``Token <scrubbed header> does not
  exist``. Scrubbing is CMR's: at least 25 characters keep the first 10 and the last 5,
  15..24 the first and last 5, 5..14 lose the last 5, shorter ones everything, and
  ``XXX`` marks the cut; it applies to the header value as sent (``Bearer eyJ...``).
- UMM JSON: ``{"hits","took","items":[{"meta","umm"}]}``; collection ``meta`` carries
  ``concept-id``, ``provider-id``, ``revision-id``, ``revision-date``, ``native-id``,
  ``format`` and, for cloud-hosted collections, ``s3-links`` (as real CMR does; the
  granule ``meta`` has no ``s3-links``). Atom JSON: ``{"feed":{"updated","id","title",
  "entry":[...]}}``; granule links use the ``http://esipfed.org/ns/fedsearch/1.1/
  {data,s3,metadata}#`` rels; ``granule_size`` is in MB (MiB, as CMR computes it), a
  string.

Test hooks (attributes of the state)
------------------------------------

- ``cmr_throttle = n``: the next ``n`` requests get 429 with ``Retry-After:
  <cmr_retry_after>`` and ``{"errors":["Too many requests. Please wait and try again
  later."]}`` (the message is ASSUMED; CMR's rate limiter documents only the status).
- ``cmr_failures = [500, 503, ...]``: the next requests get these statuses, in order:
  500 is CMR's JSON ``An Internal Error has occurred.``; 502/503/504 are HTML pages, as
  from the load balancer in front of CMR (ASSUMED).
- ``cmr_timed_out = True``: answers carry ``CMR-Timed-Out: true`` (CMR's header name;
  ``nasa-apis.md`` writes ``CMR-Time-Out``).
- ``cmr_search_after_on_last_page = True``: ``CMR-Search-After`` also on the last
  non-empty page, as real CMR does (its integration tests page until an empty answer);
  the default, absent on the last page, follows ``nasa-apis.md``.
- ``cmr_max_url_length``: longer GET request URIs get 413 with an HTML body (ASSUMED
  limit 8192; the reference only says very long URLs get 413).

Beyond the reference (assumed)
------------------------------

Periodic temporal ranges, spatial parameters other than ``bounding_box``, facets,
scrolling and JSON queries are not supported (unknown parameters are refused). Polygon
footprints intersect by their bounding box. Date-only temporal values mean midnight UTC.
Other error wordings not found in CMR's sources: ``Parameter [x] must have a single
value.``, ``page_num must be a number greater than or equal to 1``, the paging-depth
message, and search-after values of the wrong type.

The catalogue
-------------

:func:`default_catalogue` generates ~300 collections deterministically (seeded) from
NSIDC_CPRD, POCLOUD, LPCLOUD, GES_DISC, ORNL_CLOUD and ASF (cloud hosted, with
``DirectDistributionInformation``) and NSIDC_ECS, LPDAAC_ECS (not cloud hosted).
Granules are computed from their index, never stored. Two collections are special:

- :data:`DEMO_CONCEPT_ID` (``NSIDC_CPRD`` / ``DEMO_SEAICE`` / ``1``): 8 daily granules in
  September 2024 whose NetCDF files exist in moto (see
  :mod:`cloudscapes.testing.datasets`), with their true sizes; found first by the
  keywords ``sea ice`` and ``DEMO_SEAICE``.
- :data:`SWATHS_CONCEPT_ID` (``POCLOUD`` / ``DEMO_SST_SWATHS``): exactly
  :data:`SWATHS_GRANULES` (10 000) 5-minute swath granules with polygon footprints.
"""

from __future__ import annotations

import json
import random
import re
import time
import uuid
from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import cache, cmp_to_key
from typing import TYPE_CHECKING, Any, NoReturn
from urllib.parse import quote, urlencode

from tornado import web
from tornado.httpserver import HTTPServer

from .datasets import DAAC_BUCKETS, DEMO_GRANULE_PREFIX
from .earthdata import _app, _listen, _Recorded

if TYPE_CHECKING:
    from .earthdata import EarthdataState

CMR_JSON_TYPE = "application/json;charset=utf-8"
UMM_C_VERSION = "1.18.1"
UMM_G_VERSION = "1.6.6"
UMM_TYPES = {
    "collections": f"application/vnd.nasa.cmr.umm_results+json;version={UMM_C_VERSION}; "
    "charset=utf-8",
    "granules": f"application/vnd.nasa.cmr.umm_results+json;version={UMM_G_VERSION}; charset=utf-8",
}
SEARCH_AFTER_HEADER = "CMR-Search-After"
TIMED_OUT_HEADER = "CMR-Timed-Out"
EXPOSED_HEADERS = (
    "CMR-Hits, CMR-Request-Id, X-Request-Id, CMR-Scroll-Id, CMR-Search-After, "
    "CMR-Timed-Out, CMR-Took"
)
DEFAULT_PAGE_SIZE = 10
MAX_PAGE_SIZE = 2000
MAX_PAGING_DEPTH = 1_000_000
RELS = "http://esipfed.org/ns/fedsearch/1.1/"

ALL_GRANULES_ERROR = (
    "The CMR does not allow querying across granules in all collections. To help optimize "
    "your search, you should limit your query using conditions that identify one or more "
    "collections, such as provider, provider_id, concept_id, collection_concept_id, "
    "short_name, version or entry_title. For any questions please contact "
    "cmr-support@earthdata.nasa.gov."
)
PAGE_SIZE_ERROR = "page_size must be a number between 0 and 2000"
SEARCH_AFTER_ERROR = "search-after header value is invalid, must be in the form of a JSON array."
THROTTLE_ERROR = "Too many requests. Please wait and try again later."
INTERNAL_ERROR = "An Internal Error has occurred."

# -- the special collections --------------------------------------------------------

DEMO_PROVIDER = "NSIDC_CPRD"
DEMO_SHORT_NAME = "DEMO_SEAICE"
DEMO_VERSION = "1"
DEMO_ENTRY_TITLE = "Cloudscapes demo: daily sea ice concentration (stand-in)"
DEMO_SEQ = 2_999_000_001
DEMO_CONCEPT_ID = f"C{DEMO_SEQ}-{DEMO_PROVIDER}"
DEMO_DAAC = "nsidc"
DEMO_BUCKET = DAAC_BUCKETS[DEMO_DAAC]
DEMO_PREFIX = DEMO_GRANULE_PREFIX
DEMO_BBOX = (-180.0, 60.0, 180.0, 90.0)

SWATHS_PROVIDER = "POCLOUD"
SWATHS_SHORT_NAME = "DEMO_SST_SWATHS"
SWATHS_VERSION = "1.0"
SWATHS_SEQ = 2_999_000_002
SWATHS_CONCEPT_ID = f"C{SWATHS_SEQ}-{SWATHS_PROVIDER}"
SWATHS_GRANULES = 10_000

#: Granule concept ids: ``G<GRANULE_BASE + collection index * GRANULE_STRIDE + index>``.
GRANULE_BASE = 3_000_000_000
GRANULE_STRIDE = 20_000
#: The demo collection (first in the catalogue) has granules G3000000000..07-NSIDC_CPRD.
DEMO_GRANULE_IDS = tuple(f"G{GRANULE_BASE + j}-{DEMO_PROVIDER}" for j in range(8))
#: The catalogue's "now": ongoing collections have granules up to here.
CATALOGUE_NOW = int(datetime(2025, 6, 1, tzinfo=timezone.utc).timestamp())
CATALOGUE_SEED = 20240901
NO_END_MS = 253402300799000  # 9999-12-31T23:59:59Z, the sort value of an open end

DAY = 86400


@dataclass(frozen=True)
class Topic:
    name: str
    code: str
    #: GCMD science keyword term
    term: str
    #: (platform, instrument) pairs
    platforms: tuple[tuple[str, str], ...]
    regions: tuple[str, ...]
    formats: tuple[str, ...]


@dataclass(frozen=True)
class Provider:
    id: str
    #: the DAAC stand-in (EarthdataState.daacs) whose credentials read its buckets
    daac: str | None
    bucket: str | None
    data_center: str
    #: how many collections to generate
    count: int
    topics: tuple[Topic, ...]

    @property
    def cloud(self) -> bool:
        return self.bucket is not None


REGIONS: dict[str, tuple[float, float, float, float]] = {
    "global": (-180.0, -90.0, 180.0, 90.0),
    "arctic": (-180.0, 60.0, 180.0, 90.0),
    "antarctic": (-180.0, -90.0, 180.0, -60.0),
    "greenland": (-75.0, 58.0, -10.0, 84.0),
    "conus": (-125.0, 24.0, -66.0, 50.0),
    "north-america": (-170.0, 10.0, -50.0, 85.0),
    "above": (-170.0, 50.0, -100.0, 75.0),
    "pacific": (160.0, -30.0, -120.0, 30.0),  # crosses the antimeridian
    "amazon": (-80.0, -20.0, -45.0, 5.0),
    "africa": (-20.0, -35.0, 52.0, 38.0),
}

# group | topic | code | science term | platform:instrument; ... | regions | formats
_TOPIC_TABLE = """
NSIDC | Sea Ice Concentration | SIC | SEA ICE CONCENTRATION | GCOM-W1:AMSR2; DMSP 5D-3/F17:SSMIS; Aqua:AMSR-E | arctic antarctic | netCDF-4
NSIDC | Sea Ice Thickness | SIT | ICE DEPTH/THICKNESS | ICESat-2:ATLAS; CryoSat-2:SIRAL | arctic antarctic | netCDF-4
NSIDC | Snow Depth on Sea Ice | SDSI | SNOW DEPTH | ICESat-2:ATLAS | arctic | netCDF-4
NSIDC | Sea Ice Motion Vectors | SIMV | SEA ICE MOTION | DMSP 5D-3/F18:SSMIS; Aqua:AMSR-E | arctic antarctic | netCDF-4
NSIDC | Ice Sheet Surface Elevation | ISE | ICE SHEET ELEVATION | ICESat-2:ATLAS; ICESat:GLAS | greenland antarctic | HDF5
NSIDC | Glacier Velocity | GVEL | GLACIER MOTION/ICE SHEET MOTION | Landsat-8:OLI; Sentinel-1A:C-SAR | greenland antarctic | GeoTIFF
NSIDC | Snow Cover Extent | SNOW | SNOW COVER | Terra:MODIS; Aqua:MODIS | global north-america | HDF-EOS2
NSIDC | Freeze/Thaw State | FT | FREEZE/THAW | SMAP:SMAP L-BAND RADIOMETER | global | HDF5
PODAAC | Sea Surface Temperature | SST | SEA SURFACE TEMPERATURE | Aqua:MODIS; Terra:MODIS; Suomi-NPP:VIIRS; GCOM-W1:AMSR2 | global pacific | netCDF-4
PODAAC | Sea Surface Height Anomaly | SSHA | SEA SURFACE HEIGHT | Jason-3:Poseidon-3B; Sentinel-6A:Poseidon-4; SWOT:KaRIn | global | netCDF-4
PODAAC | Ocean Surface Wind Vectors | WIND | OCEAN WINDS | CYGNSS:DDMI; MetOp-B:ASCAT | global pacific | netCDF-4
PODAAC | Sea Surface Salinity | SSS | SALINITY | SMAP:SMAP L-BAND RADIOMETER | global | netCDF-4
PODAAC | Ocean Surface Currents | CUR | OCEAN CURRENTS | Jason-3:Poseidon-3B | global pacific | netCDF-4
LPDAAC | Surface Reflectance | SR | REFLECTANCE | Landsat-8:OLI; Sentinel-2A:MSI; Terra:MODIS | global conus amazon | COG
LPDAAC | Vegetation Indices | VI | VEGETATION INDEX | Terra:MODIS; Aqua:MODIS | global africa amazon | HDF-EOS2
LPDAAC | Land Surface Temperature and Emissivity | LST | LAND SURFACE TEMPERATURE | Terra:MODIS; ISS:ECOSTRESS | global conus | HDF-EOS2
LPDAAC | Land Cover Type | LC | LAND USE/LAND COVER CLASSIFICATION | Terra:MODIS | global | HDF-EOS2
LPDAAC | Digital Elevation Model | DEM | TOPOGRAPHY | Terra:ASTER; SRTM:SRTM | global conus | GeoTIFF
LPDAAC | Evapotranspiration | ET | EVAPOTRANSPIRATION | ISS:ECOSTRESS | conus africa | GeoTIFF
LPDAAC | Canopy Height | CH | VEGETATION HEIGHT | ISS:GEDI | global amazon | HDF5
GESDISC | Precipitation | PRECIP | PRECIPITATION AMOUNT | GPM:GMI; TRMM:TMI | global | netCDF-4
GESDISC | Aerosol Optical Depth | AOD | AEROSOL OPTICAL DEPTH/THICKNESS | Aqua:MODIS; Suomi-NPP:VIIRS | global africa | netCDF-4
GESDISC | Atmospheric Temperature Profiles | TPROF | ATMOSPHERIC TEMPERATURE | Aqua:AIRS | global | HDF-EOS2
GESDISC | Total Column Ozone | O3 | OZONE | Aura:OMI; Suomi-NPP:OMPS | global | HDF-EOS5
GESDISC | Column-averaged Carbon Dioxide | XCO2 | CARBON DIOXIDE | OCO-2:OCO-2 | global | netCDF-4
GESDISC | Surface Soil Moisture Reanalysis | SM | SOIL MOISTURE/WATER CONTENT | MERRA-2:MODEL | global north-america | netCDF-4
ORNL | Aboveground Biomass Density | AGB | BIOMASS | ISS:GEDI; ALOS:PALSAR | global amazon africa | GeoTIFF
ORNL | Net Ecosystem Carbon Flux | NEE | CARBON FLUX | FIELD:EDDY COVARIANCE | north-america above | netCDF-4
ORNL | Daily Surface Weather | DAYMET | SURFACE TEMPERATURE | MODEL:DAYMET | north-america | netCDF-4
ORNL | Permafrost Active Layer Thickness | ALT | ACTIVE LAYER | FIELD:PROBE | above | CSV
ASF | Radiometric Terrain Corrected Backscatter | RTC | RADAR BACKSCATTER | Sentinel-1A:C-SAR; Sentinel-1B:C-SAR | global above | GeoTIFF
ASF | Geocoded Unwrapped Interferograms | GUNW | INTERFEROMETRY | Sentinel-1A:C-SAR | conus pacific | netCDF-4
ASF | SAR Coherence | COH | RADAR BACKSCATTER | ALOS:PALSAR | global | GeoTIFF
"""  # noqa: E501


def _topics(group: str) -> tuple[Topic, ...]:
    topics = []
    for line in _TOPIC_TABLE.strip().splitlines():
        row = [cell.strip() for cell in line.split("|")]
        if row[0] != group:
            continue
        platforms = tuple(
            (p.split(":")[0].strip(), p.split(":")[1].strip()) for p in row[4].split(";")
        )
        topics.append(
            Topic(row[1], row[2], row[3], platforms, tuple(row[5].split()), tuple(row[6].split()))
        )
    return tuple(topics)


# id, DAAC stand-in, protected bucket (None: not cloud hosted), data center, count, topics
PROVIDERS = (
    Provider("NSIDC_CPRD", "nsidc", DEMO_BUCKET, "NASA NSIDC DAAC", 44, _topics("NSIDC")),
    Provider("POCLOUD", "podaac", DAAC_BUCKETS["podaac"], "NASA/JPL/PODAAC", 55, _topics("PODAAC")),
    Provider("LPCLOUD", "lpdaac", DAAC_BUCKETS["lpdaac"], "LP DAAC", 45, _topics("LPDAAC")),
    Provider("GES_DISC", "gesdisc", DAAC_BUCKETS["gesdisc"], "GES DISC", 45, _topics("GESDISC")),
    Provider("ORNL_CLOUD", "ornl", DAAC_BUCKETS["ornl"], "ORNL_DAAC", 30, _topics("ORNL")),
    Provider("ASF", "asf", DAAC_BUCKETS["asf"], "ASF", 20, _topics("ASF")),
    Provider("NSIDC_ECS", None, None, "NASA NSIDC DAAC", 30, _topics("NSIDC")),
    Provider("LPDAAC_ECS", None, None, "LP DAAC", 29, _topics("LPDAAC")),
)

SCIENCE_TOPICS = {
    "NASA NSIDC DAAC": "CRYOSPHERE",
    "NASA/JPL/PODAAC": "OCEANS",
    "LP DAAC": "LAND SURFACE",
    "GES DISC": "ATMOSPHERE",
    "ORNL_DAAC": "BIOSPHERE",
    "ASF": "SPECTRAL/ENGINEERING",
}
CADENCES = (
    ("Hourly", 3600, 1),
    ("Daily", DAY, 1),
    ("8-Day", 8 * DAY, 1),
    ("Monthly", 30 * DAY, 1),
    ("Daily Tiled", DAY, 8),
)
RESOLUTIONS = ("500 m", "1 km", "4 km", "9 km", "12.5 km", "25 km", "0.25 degree", "1 degree")
LEVELS = ("1B", "2", "3", "4")
MIME = {
    "netCDF-4": "application/x-netcdf",
    "HDF5": "application/x-hdf5",
    "HDF-EOS2": "application/x-hdf",
    "HDF-EOS5": "application/x-hdf5",
    "GeoTIFF": "image/tiff",
    "COG": "image/tiff",
    "CSV": "text/csv",
}
EXTENSIONS = {
    "netCDF-4": ".nc",
    "HDF5": ".h5",
    "HDF-EOS2": ".hdf",
    "HDF-EOS5": ".he5",
    "GeoTIFF": ".tif",
    "COG": ".tif",
    "CSV": ".csv",
}


# -- catalogue ----------------------------------------------------------------------


@dataclass(frozen=True)
class Collection:
    #: position in the catalogue (granule concept ids derive from it)
    index: int
    seq: int
    provider: str
    short_name: str
    version: str
    entry_title: str
    abstract: str
    doi: str
    level: str
    platform: str
    instrument: str
    science_term: str
    data_center: str
    #: epoch seconds; ``end`` None: ongoing
    start: int
    end: int | None
    bbox: tuple[float, float, float, float]
    cloud: bool
    daac: str | None
    bucket: str | None
    #: object prefix inside ``bucket`` (ends in ``/``)
    prefix: str
    revision_id: int
    revision_date: int
    usage: int
    granule_count: int
    #: seconds between granule time steps; granules per time step (tiles)
    step: int
    per_step: int
    #: "box" (the collection's), "tiles" (a 4x2 grid of it) or "swath" (polygons)
    footprint: str
    file_format: str
    #: typical granule size in bytes
    size: int

    @property
    def concept_id(self) -> str:
        return f"C{self.seq}-{self.provider}"

    @property
    def native_id(self) -> str:
        return f"{self.short_name}_{self.version}"


@dataclass(frozen=True)
class Granule:
    collection: Collection
    index: int
    ur: str
    start: int
    end: int
    bbox: tuple[float, float, float, float]
    #: closed counter-clockwise ring of (lon, lat), or None
    polygon: tuple[tuple[float, float], ...] | None
    files: tuple[tuple[str, int], ...]

    @property
    def seq(self) -> int:
        return GRANULE_BASE + self.collection.index * GRANULE_STRIDE + self.index

    @property
    def concept_id(self) -> str:
        return f"G{self.seq}-{self.collection.provider}"

    @property
    def revision_date(self) -> int:
        return min(self.end + 6 * 3600, CATALOGUE_NOW)

    @property
    def size(self) -> int:
        return sum(size for _, size in self.files)


def _ts(year: int, month: int = 1, day: int = 1) -> int:
    return int(datetime(year, month, day, tzinfo=timezone.utc).timestamp())


def _unit(*numbers: int) -> float:
    """A deterministic number in [0, 1) from integers (cheap; no Random per granule)."""
    value = 0x9E3779B9
    for number in numbers:
        value = ((value ^ number) * 0x85EBCA6B + 0xC2B2AE35) & 0xFFFFFFFF
        value ^= value >> 13
    return value / 2**32


class Catalogue:
    """Collections (stored) and their granules (computed from an index)."""

    def __init__(self, collections: list[Collection]) -> None:
        self.collections = collections
        self.by_seq = {c.seq: c for c in collections}
        assert len(self.by_seq) == len(collections), "collection sequence numbers collide"

    def collection(self, concept_id: str) -> Collection | None:
        match = _CONCEPT.fullmatch(concept_id)
        if not match or match.group(1) != "C":
            return None
        found = self.by_seq.get(int(match.group(2)))
        return found if found is not None and found.provider == match.group(3) else None

    def granule_by_id(self, concept_id: str) -> Granule | None:
        match = _CONCEPT.fullmatch(concept_id)
        if not match or match.group(1) != "G":
            return None
        index, number = divmod(int(match.group(2)) - GRANULE_BASE, GRANULE_STRIDE)
        if not 0 <= index < len(self.collections):
            return None
        collection = self.collections[index]
        if collection.provider != match.group(3) or not 0 <= number < collection.granule_count:
            return None
        return self.granule(collection, number)

    def indexes(self, c: Collection, start: int | None, end: int | None) -> range:
        """Granule indexes of ``c`` whose time overlaps [start, end] (None: open)."""
        duration = c.step
        first_step = 0 if start is None else max(0, -(-(start - c.start - duration + 1) // c.step))
        if end is None:
            last_step = 10**12
        else:
            last_step = (end - c.start) // c.step
        first = first_step * c.per_step
        last = min(c.granule_count, (last_step + 1) * c.per_step) if last_step >= 0 else 0
        return range(first, max(first, last))

    def granule(self, c: Collection, j: int) -> Granule:
        step, tile = divmod(j, c.per_step)
        start = c.start + step * c.step
        end = start + c.step - 1
        polygon = None
        moment = datetime.fromtimestamp(start, timezone.utc)
        if c.seq == DEMO_SEQ:
            from .datasets import demo_granule_files

            name = f"seaice_{moment:%Y%m%d}.nc"
            ur = name[:-3]
            files = ((name, len(demo_granule_files()[name])),)
            bbox = c.bbox
        else:
            if c.footprint == "swath":
                lon0 = -180.0 + (j * 23) % 340
                lat0 = -70.0 + (j % 7) * 20
                polygon = (
                    (lon0, lat0),
                    (lon0 + 12, lat0),
                    (lon0 + 16, lat0 + 20),
                    (lon0 + 4, lat0 + 20),
                    (lon0, lat0),
                )
                bbox = (lon0, lat0, lon0 + 16, lat0 + 20)
            elif c.footprint == "tiles":
                bbox = _tile(c.bbox, tile)
            else:
                bbox = c.bbox
            if c.seq == SWATHS_SEQ:
                ur = f"{moment:%Y%m%d%H%M%S}-DEMO-L2P_GHRSST-SSTskin-SWATH-v01.0-fv01.0"
            elif c.per_step > 1:
                ur = f"{c.short_name}.A{moment:%Y%j}.T{tile + 1:02d}.{c.version}"
            else:
                ur = f"{c.short_name}.{moment:%Y%m%dT%H%M%S}.{c.version}"
            size = int(c.size * (0.75 + 0.5 * _unit(c.seq, j)))
            files = ((ur + EXTENSIONS[c.file_format], size),)
        return Granule(c, j, ur, start, end, bbox, polygon, files)


def _tile(bbox: tuple[float, float, float, float], tile: int) -> tuple[float, ...]:
    west, south, east, north = bbox
    width = (east - west) % 360 or 360.0
    col, row = tile % 4, tile // 4
    w = west + width * col / 4
    w = w - 360 if w > 180 else w
    e = w + width / 4
    e = e - 360 if e > 180 else e
    s = south + (north - south) * row / 2
    return (round(w, 4), round(s, 4), round(e, 4), round(s + (north - south) / 2, 4))


def _demo_collections(index: int) -> list[Collection]:
    demo = Collection(
        index=index,
        seq=DEMO_SEQ,
        provider=DEMO_PROVIDER,
        short_name=DEMO_SHORT_NAME,
        version=DEMO_VERSION,
        entry_title=DEMO_ENTRY_TITLE,
        abstract=(
            "Daily Arctic sea ice concentration on a small polar grid, synthetic data made "
            "for the Cloudscapes demo. The NetCDF-4 files live in the protected bucket of "
            "the NSIDC DAAC stand-in and are read with temporary S3 credentials in region, "
            "or over HTTPS with an Earthdata token anywhere."
        ),
        doi="10.5067/DEMO0SEAICE1",
        level="3",
        platform="DMSP 5D-3/F18",
        instrument="SSMIS",
        science_term="SEA ICE CONCENTRATION",
        data_center="NASA NSIDC DAAC",
        start=_ts(2024, 9, 1),
        end=_ts(2024, 9, 9) - 1,
        bbox=DEMO_BBOX,
        cloud=True,
        daac=DEMO_DAAC,
        bucket=DEMO_BUCKET,
        prefix=DEMO_PREFIX,
        revision_id=3,
        revision_date=_ts(2024, 10, 1),
        usage=1_000_000,
        granule_count=8,
        step=DAY,
        per_step=1,
        footprint="box",
        file_format="netCDF-4",
        size=48_000,
    )
    swaths = Collection(
        index=index + 1,
        seq=SWATHS_SEQ,
        provider=SWATHS_PROVIDER,
        short_name=SWATHS_SHORT_NAME,
        version=SWATHS_VERSION,
        entry_title="Cloudscapes demo: L2P 5-minute sea surface temperature swaths (stand-in)",
        abstract=(
            "Ten thousand 5-minute swaths of skin sea surface temperature, a GHRSST-like "
            "Level 2P product made up for the Cloudscapes demo to exercise paging through "
            "long granule lists."
        ),
        doi="10.5067/DEMO0SSTSWATH",
        level="2",
        platform="Suomi-NPP",
        instrument="VIIRS",
        science_term="SEA SURFACE TEMPERATURE",
        data_center="NASA/JPL/PODAAC",
        start=_ts(2024, 1, 1),
        end=_ts(2024, 1, 1) + SWATHS_GRANULES * 300 - 1,
        bbox=REGIONS["global"],
        cloud=True,
        daac="podaac",
        bucket=DAAC_BUCKETS["podaac"],
        prefix=f"{SWATHS_SHORT_NAME}/",
        revision_id=1,
        revision_date=_ts(2024, 3, 1),
        usage=5_000,
        granule_count=SWATHS_GRANULES,
        step=300,
        per_step=1,
        footprint="swath",
        file_format="netCDF-4",
        size=22_000_000,
    )
    return [demo, swaths]


def generate_catalogue(seed: int = CATALOGUE_SEED) -> Catalogue:
    """The demo and swath collections, then ~300 generated ones (deterministic)."""
    rng = random.Random(seed)  # noqa: S311 - a reproducible catalogue, not a secret
    collections = _demo_collections(0)
    used_seqs = {DEMO_SEQ, SWATHS_SEQ}
    seen: set[tuple[str, str, str]] = set()
    for provider in PROVIDERS:
        made = 0
        while made < provider.count:
            topic = rng.choice(provider.topics)
            platform, instrument = rng.choice(topic.platforms)
            cadence, step, per_step = rng.choice(CADENCES)
            resolution = rng.choice(RESOLUTIONS)
            level = rng.choice(LEVELS)
            version = rng.choice(("001", "002", "003", "1", "2.0", "4.1", "061"))
            if not provider.cloud:
                version = rng.choice(("001", "002", "005", "006"))
            region = rng.choice(topic.regions)
            prefix_code = re.sub(r"[^A-Z0-9]", "", instrument.upper())[:6] or "X"
            res_code = re.sub(r"[^0-9A-Z]", "", resolution.upper().replace(" ", ""))
            short_name = f"{prefix_code}_{topic.code}_L{level}_{cadence.split()[0][:2].upper()}"
            short_name += f"_{res_code}"
            if (provider.id, short_name, version) in seen:
                continue
            seen.add((provider.id, short_name, version))
            seq = rng.randrange(1_100_000_000, 2_990_000_000)
            if seq in used_seqs:
                continue
            used_seqs.add(seq)
            start_year = rng.randint(1990, 2022)
            start = _ts(start_year, rng.randint(1, 12), 1)
            ongoing = rng.random() < 0.55
            end = None if ongoing else min(start + rng.randint(2, 15) * 365 * DAY, CATALOGUE_NOW)
            steps = ((end or CATALOGUE_NOW) - start) // step
            wanted = rng.choice((0, 3, 12, 40, 120, 365, 800))
            count = min(wanted, steps) * per_step
            fmt = rng.choice(topic.formats)
            region_name = {"global": "global", "pacific": "the tropical Pacific"}.get(
                region, region.replace("-", " ").title()
            )
            title = (
                f"{platform} {instrument} L{level} {cadence} {resolution} {topic.name}"
                f" V{version.lstrip('0') or '0'}"
            )
            abstract = (
                f"This data set provides {cadence.lower()} {topic.name.lower()} at "
                f"{resolution} over {region_name}, derived from {instrument} observations on "
                f"{platform}. Level {level} product distributed by {provider.data_center}"
                + (" from the Earthdata Cloud (AWS us-west-2)." if provider.cloud else ".")
            )
            collections.append(
                Collection(
                    index=len(collections),
                    seq=seq,
                    provider=provider.id,
                    short_name=short_name,
                    version=version,
                    entry_title=title,
                    abstract=abstract,
                    doi="10.5067/" + "".join(rng.choices("ABCDEFGHJKLMNPQRSTUVWXYZ23456789", k=12)),
                    level=level,
                    platform=platform,
                    instrument=instrument,
                    science_term=topic.term,
                    data_center=provider.data_center,
                    start=start,
                    end=end,
                    bbox=REGIONS[region],
                    cloud=provider.cloud,
                    daac=provider.daac,
                    bucket=provider.bucket,
                    prefix=f"{short_name}.{version}/",
                    revision_id=rng.randint(1, 40),
                    revision_date=rng.randint(_ts(2020), CATALOGUE_NOW),
                    usage=rng.randint(0, 50_000),
                    granule_count=count,
                    step=step,
                    per_step=per_step,
                    footprint="tiles" if per_step > 1 else "box",
                    file_format=fmt,
                    size=rng.choice((80_000, 2_000_000, 35_000_000, 250_000_000)),
                )
            )
            made += 1
    return Catalogue(collections)


@cache
def default_catalogue() -> Catalogue:
    """The catalogue every stand-in uses unless its state has another (one per process)."""
    return generate_catalogue()


# -- helpers ------------------------------------------------------------------------

_CONCEPT = re.compile(r"([CG])(\d+)-([A-Za-z0-9_]+)")
_DATETIME = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})?)?"
)


def scrub_token(token: str) -> str:
    """CMR's redaction of a token in messages (cmr.common.util/scrub-token)."""
    n = len(token)
    if n >= 25:
        return f"{token[:10]}XXX{token[-5:]}"
    if n >= 15:
        return f"{token[:5]}XXX{token[-5:]}"
    if n >= 5:
        return f"{token[:-5]}XXX"
    return "XXX"


def iso(seconds: int | None) -> str | None:
    if seconds is None:
        return None
    return datetime.fromtimestamp(seconds, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _num(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _double(value: float) -> str:
    return repr(float(value))


def _glob(pattern: str) -> re.Pattern[str]:
    parts = ("." if ch == "?" else ".*" if ch == "*" else re.escape(ch) for ch in pattern)
    return re.compile("".join(parts), re.IGNORECASE | re.DOTALL)


class CmrError(Exception):
    def __init__(self, status: int, *errors: str, headers: dict[str, str] | None = None):
        super().__init__(status, errors)
        self.status = status
        self.errors = list(errors)
        self.headers = headers or {}


# -- queries ------------------------------------------------------------------------

COLLECTION_PARAMS = frozenset(
    {
        "keyword",
        "short_name",
        "version",
        "entry_title",
        "concept_id",
        "provider",
        "provider_id",
        "cloud_hosted",
        "has_granules",
        "temporal",
        "bounding_box",
        "page_size",
        "page_num",
        "sort_key",
    }
)
GRANULE_PARAMS = frozenset(
    {
        "short_name",
        "version",
        "entry_title",
        "concept_id",
        "collection_concept_id",
        "provider",
        "provider_id",
        "readable_granule_name",
        "granule_ur",
        "temporal",
        "bounding_box",
        "page_size",
        "page_num",
        "sort_key",
    }
)
SINGLE_VALUED = frozenset({"keyword", "page_size", "page_num", "cloud_hosted", "has_granules"})
STRING_PARAMS = frozenset(
    {"short_name", "version", "entry_title", "provider", "readable_granule_name", "granule_ur"}
)
LIMITING = (
    "concept_id",
    "provider",
    "short_name",
    "version",
    "entry_title",
    "collection_concept_id",
)
OPTIONS = frozenset({"pattern", "ignore_case"})
_OPTION = re.compile(r"options\[([a-z_]+)\]\[([a-z_]+)\]")

COLLECTION_SORT: dict[str, Callable[[Collection, float], Any]] = {
    "short_name": lambda c, s: c.short_name.lower(),
    "entry_title": lambda c, s: c.entry_title.lower(),
    "dataset_id": lambda c, s: c.entry_title.lower(),
    "version": lambda c, s: c.version.lower(),
    "provider": lambda c, s: c.provider.lower(),
    "start_date": lambda c, s: c.start * 1000,
    "end_date": lambda c, s: NO_END_MS if c.end is None else c.end * 1000,
    "revision_date": lambda c, s: c.revision_date * 1000,
    "score": lambda c, s: s,
    "usage_score": lambda c, s: c.usage,
}
GRANULE_SORT: dict[str, Callable[[Granule], Any]] = {
    "granule_ur": lambda g: g.ur.lower(),
    "readable_granule_name": lambda g: g.ur.lower(),
    "producer_granule_id": lambda g: g.ur.lower(),
    "start_date": lambda g: g.start * 1000,
    "end_date": lambda g: g.end * 1000,
    "revision_date": lambda g: g.revision_date * 1000,
    "provider": lambda g: g.collection.provider.lower(),
    "data_size": lambda g: g.size / 1048576,
    "short_name": lambda g: g.collection.short_name.lower(),
    "version": lambda g: g.collection.version.lower(),
    "entry_title": lambda g: g.collection.entry_title.lower(),
    "dataset_id": lambda g: g.collection.entry_title.lower(),
}
STRING_SORTS = frozenset(
    {
        "short_name",
        "entry_title",
        "dataset_id",
        "version",
        "provider",
        "granule_ur",
        "readable_granule_name",
        "producer_granule_id",
    }
)


@dataclass
class Match:
    """A string parameter: any of ``values``, exactly or as a pattern."""

    values: list[str]
    pattern: bool = False
    ignore_case: bool = True

    def __call__(self, value: str) -> bool:
        for wanted in self.values:
            if self.pattern:
                flags = re.IGNORECASE if self.ignore_case else 0
                if re.fullmatch(_glob(wanted).pattern, value, flags | re.DOTALL):
                    return True
            elif (value.lower() == wanted.lower()) if self.ignore_case else value == wanted:
                return True
        return False


@dataclass
class Query:
    kind: str  # "collections" or "granules"
    strings: dict[str, Match] = field(default_factory=dict)
    concept_ids: list[str] = field(default_factory=list)
    collection_concept_ids: list[str] = field(default_factory=list)
    keyword: list[str] = field(default_factory=list)
    cloud_hosted: bool | None = None
    has_granules: bool | None = None
    temporal: list[tuple[int | None, int | None]] = field(default_factory=list)
    boxes: list[tuple[float, float, float, float]] = field(default_factory=list)
    page_size: int = DEFAULT_PAGE_SIZE
    page_num: int | None = None
    sort: list[tuple[str, bool]] = field(default_factory=list)
    search_after: list[Any] | None = None


def _normalise(name: str) -> str:
    return name[:-2] if name.endswith("[]") else name


def _parse_time(text: str, which: str) -> int:
    match = _DATETIME.fullmatch(text.strip())
    error = CmrError(
        400, f"temporal {which} datetime is invalid: [{text}] is not a valid datetime."
    )
    if not match:
        raise error
    year, month, day, hour, minute, second, _, zone = match.groups()
    try:
        moment = datetime(
            int(year),
            int(month),
            int(day),
            int(hour or 0),
            int(minute or 0),
            int(second or 0),
            tzinfo=timezone.utc,
        )
    except ValueError:
        raise error from None
    if zone and zone != "Z":
        sign = 1 if zone[0] == "+" else -1
        moment = moment.replace(tzinfo=None)
        offset = sign * (int(zone[1:3]) * 3600 + int(zone[4:6]) * 60)
        return int(moment.replace(tzinfo=timezone.utc).timestamp()) - offset
    return int(moment.timestamp())


def _parse_temporal(value: str) -> tuple[int | None, int | None]:
    parts = value.split(",")
    if len(parts) > 2:
        raise CmrError(
            400,
            f"Periodic temporal ranges are not supported by this stand-in: [{value}]",
        )
    start_text = parts[0].strip()
    end_text = parts[1].strip() if len(parts) > 1 else ""
    start = _parse_time(start_text, "start") if start_text else None
    end = _parse_time(end_text, "end") if end_text else None
    if start is not None and end is not None and start > end:
        raise CmrError(400, f"start_date [{start_text}] must be before end_date [{end_text}]")
    return start, end


def _parse_box(value: str) -> tuple[float, float, float, float]:
    parts = value.split(",")
    try:
        if len(parts) != 4:
            raise ValueError(value)
        west, south, east, north = (float(p) for p in parts)
    except ValueError:
        raise CmrError(400, f"[{value}] is not a valid URL encoded bounding_box") from None
    errors = [
        f"Point longitude [{_double(lon)}] must be within -180.0 and 180.0"
        for lon in (west, east)
        if not -180 <= lon <= 180
    ] + [
        f"Point latitude [{_double(lat)}] must be within -90 and 90.0"
        for lat in (south, north)
        if not -90 <= lat <= 90
    ]
    if not errors and north < south:
        errors.append(
            f"The bounding rectangle north value [{_double(north)}] was less than the "
            f"south value [{_double(south)}]"
        )
    if errors:
        raise CmrError(400, *errors)
    return west, south, east, north


def _parse_bool(name: str, value: str) -> bool | None:
    lowered = value.lower()
    if lowered not in ("true", "false", "unset"):
        raise CmrError(
            400, f"Parameter {name} must take value of true, false, or unset, but was [{value}]"
        )
    return None if lowered == "unset" else lowered == "true"


def _parse_int(value: str) -> int | None:
    try:
        return int(value.strip())
    except ValueError:
        return None


def parse_query(kind: str, arguments: Iterable[tuple[str, str]], search_after: str | None) -> Query:
    """Validate CMR parameters (name, value pairs in order) into a :class:`Query`."""
    allowed = COLLECTION_PARAMS if kind == "collections" else GRANULE_PARAMS
    values: dict[str, list[str]] = {}
    options: dict[tuple[str, str], str] = {}
    errors: list[str] = []
    for raw_name, value in arguments:
        name = _normalise(raw_name)
        option = _OPTION.fullmatch(name)
        if option:
            param, key = option.groups()
            if param not in allowed or param not in STRING_PARAMS:
                errors.append(f"Parameter [{name}] was not recognized.")
            elif key not in OPTIONS:
                errors.append(f"Option [{key}] is not supported for param [{param}]")
            else:
                options[(param, key)] = value
            continue
        if name not in allowed:
            errors.append(f"Parameter [{name}] was not recognized.")
            continue
        values.setdefault(name, []).append(value)
    if errors:
        raise CmrError(400, *dict.fromkeys(errors))
    for name in SINGLE_VALUED & values.keys():
        if len(values[name]) > 1:
            errors.append(f"Parameter [{name}] must have a single value.")
    if errors:
        raise CmrError(400, *errors)

    query = Query(kind)
    if "page_size" in values:
        size = _parse_int(values["page_size"][0])
        if size is None or not 0 <= size <= MAX_PAGE_SIZE:
            raise CmrError(400, PAGE_SIZE_ERROR)
        query.page_size = size
    if "page_num" in values:
        number = _parse_int(values["page_num"][0])
        if number is None or number < 1:
            raise CmrError(400, "page_num must be a number greater than or equal to 1")
        if number * query.page_size > MAX_PAGING_DEPTH:
            raise CmrError(
                400,
                f"The paging depth (page_num * page_size) of [{number * query.page_size}] "
                f"exceeds the limit of {MAX_PAGING_DEPTH}.",
            )
        query.page_num = number
    # empty values constrain nothing (CMR drops them)
    values = {k: [v for v in vs if v.strip()] for k, vs in values.items()}
    values = {k: vs for k, vs in values.items() if vs}
    if "provider_id" in values:
        values.setdefault("provider", []).extend(values.pop("provider_id"))

    for name in STRING_PARAMS & values.keys():
        pattern = options.get((name, "pattern"), "false").lower() == "true"
        ignore_case = options.get((name, "ignore_case"), "true").lower() != "false"
        query.strings[name] = Match(values[name], pattern, ignore_case)
    for concept_id in values.get("concept_id", []):
        if kind == "granules" and concept_id[:1] not in ("C", "G"):
            raise CmrError(
                400,
                f"Invalid concept_id [{concept_id}]. For granule queries concept_id must be "
                "either a granule or collection concept ID.",
            )
        if not _CONCEPT.fullmatch(concept_id) or (kind == "collections" and concept_id[0] != "C"):
            raise CmrError(400, f"Concept-id [{concept_id}] is not valid.")
        query.concept_ids.append(concept_id)
    for concept_id in values.get("collection_concept_id", []):
        if not _CONCEPT.fullmatch(concept_id) or concept_id[0] != "C":
            raise CmrError(400, f"Concept-id [{concept_id}] is not valid.")
        query.collection_concept_ids.append(concept_id)
    if "keyword" in values:
        query.keyword = values["keyword"][0].split()
    if "cloud_hosted" in values:
        query.cloud_hosted = _parse_bool("cloud_hosted", values["cloud_hosted"][0])
    if "has_granules" in values:
        query.has_granules = _parse_bool("has_granules", values["has_granules"][0])
    query.temporal = [_parse_temporal(v) for v in values.get("temporal", [])]
    query.boxes = [_parse_box(v) for v in values.get("bounding_box", [])]

    sorts = COLLECTION_SORT if kind == "collections" else GRANULE_SORT
    for key in values.get("sort_key", []):
        descending = key.startswith("-")
        name = key.lstrip("+-")
        if name not in sorts:
            raise CmrError(400, f"The sort key [{name}] is not a valid field for sorting {kind}.")
        query.sort.append((name, descending))
    if not query.sort:
        if kind == "granules":
            query.sort = [("provider", False), ("start_date", False)]
        elif query.keyword:
            query.sort = [("score", True), ("usage_score", True)]
        else:
            query.sort = [("entry_title", False), ("provider", False)]

    if kind == "granules" and not any(name in values for name in LIMITING):
        raise CmrError(400, ALL_GRANULES_ERROR)
    if search_after is not None:
        try:
            parsed = json.loads(search_after)
        except ValueError:
            parsed = None
        if not isinstance(parsed, list):
            raise CmrError(400, SEARCH_AFTER_ERROR)
        if query.page_num is not None:
            raise CmrError(400, "page_num is not allowed with search-after")
        _check_search_after(query, parsed)
        query.search_after = parsed
    return query


def _search_after_failure(reason: str) -> CmrError:
    return CmrError(
        400,
        'The search failed with error: [{:type "illegal_argument_exception", :reason '
        f'"{reason}"}}]. Please double check your search_after header.',
    )


def _check_search_after(query: Query, values: list[Any]) -> None:
    expected = len(query.sort) + 1
    if len(values) != expected:
        raise _search_after_failure(
            f"search_after has {len(values)} value(s) but sort has {expected}."
        )
    for (name, _), value in zip([*query.sort, ("concept_seq_id", False)], values, strict=True):
        wanted: tuple[type, ...] = (str,) if name in STRING_SORTS else (int, float)
        if isinstance(value, bool) or not isinstance(value, wanted):
            raise _search_after_failure(
                f"Failed to parse search_after value [{json.dumps(value)}] for field [{name}]."
            )


# -- matching -----------------------------------------------------------------------


def _intervals(west: float, east: float) -> list[tuple[float, float]]:
    if west <= east:
        return [(west, east)]
    return [(west, 180.0), (-180.0, east)]


def intersects(box: tuple[float, ...], other: tuple[float, ...]) -> bool:
    """Whether two W,S,E,N rectangles intersect (either may cross the antimeridian)."""
    if box[1] > other[3] or other[1] > box[3]:
        return False
    return any(
        a0 <= b1 and b0 <= a1
        for a0, a1 in _intervals(box[0], box[2])
        for b0, b1 in _intervals(other[0], other[2])
    )


def _overlaps(start: int, end: int | None, ranges: list[tuple[int | None, int | None]]) -> bool:
    return any(
        (q_end is None or start <= q_end) and (q_start is None or end is None or end >= q_start)
        for q_start, q_end in ranges
    )


def _words(text: str) -> list[str]:
    lowered = text.lower()
    words = lowered.split()
    return [lowered, *words, *re.findall(r"[a-z0-9]+", lowered)]


def keyword_score(c: Collection, terms: list[str]) -> float:
    """0 when some term does not match; else the sum of each term's best field weight
    (short name 3, entry title 2, abstract 1)."""
    fields = ((_words(c.short_name), 3.0), (_words(c.entry_title), 2.0), (_words(c.abstract), 1.0))
    score = 0.0
    for term in terms:
        regex = _glob(term.lower())
        best = max(
            (weight for words, weight in fields if any(regex.fullmatch(w) for w in words)),
            default=0.0,
        )
        if not best:
            return 0.0
        score += best
    return score


def _compare(a: tuple[Any, ...], b: tuple[Any, ...], descending: tuple[bool, ...]) -> int:
    for x, y, desc in zip(a, b, descending, strict=True):
        if x != y:
            result = -1 if x < y else 1
            return -result if desc else result
    return 0


@dataclass
class Result:
    hits: int
    items: list[Any]
    search_after: list[Any] | None


def _page(
    query: Query, entries: list[tuple[tuple[Any, ...], Any]], realistic_last_page: bool
) -> Result:
    """Sort (stable multi-pass, total thanks to the trailing sequence number) and cut
    one page of ``(sort values + seq, item)`` entries."""
    descending = (*(desc for _, desc in query.sort), False)
    for position in range(len(descending) - 1, -1, -1):
        entries.sort(key=lambda e, p=position: e[0][p], reverse=descending[position])
    hits = len(entries)
    if query.search_after is not None:
        key = cmp_to_key(lambda a, b: _compare(a, b, descending))
        try:
            start = bisect_right(entries, key(tuple(query.search_after)), key=lambda e: key(e[0]))
        except TypeError:
            raise _search_after_failure("search_after values do not fit the sort.") from None
    else:
        start = ((query.page_num or 1) - 1) * query.page_size
    page = entries[start : start + query.page_size]
    more = start + len(page) < hits
    after = list(page[-1][0]) if page and (more or realistic_last_page) else None
    return Result(hits, [item for _, item in page], after)


def search_collections(catalogue: Catalogue, query: Query, realistic: bool = False) -> Result:
    wanted_ids = set(query.concept_ids)
    entries = []
    for c in catalogue.collections:
        if wanted_ids and c.concept_id not in wanted_ids:
            continue
        if not all(match(_collection_string(c, name)) for name, match in query.strings.items()):
            continue
        if query.cloud_hosted is not None and c.cloud != query.cloud_hosted:
            continue
        if query.has_granules is not None and (c.granule_count > 0) != query.has_granules:
            continue
        if query.temporal and not _overlaps(c.start, c.end, query.temporal):
            continue
        if not all(intersects(c.bbox, box) for box in query.boxes):
            continue
        score = keyword_score(c, query.keyword) if query.keyword else 0.0
        if query.keyword and not score:
            continue
        values = tuple(COLLECTION_SORT[name](c, score) for name, _ in query.sort)
        entries.append(((*values, c.seq), c))
    return _page(query, entries, realistic)


def _collection_string(c: Collection, name: str) -> str:
    return {
        "short_name": c.short_name,
        "version": c.version,
        "entry_title": c.entry_title,
        "provider": c.provider,
    }[name]


def search_granules(catalogue: Catalogue, query: Query, realistic: bool = False) -> Result:
    """Granules of the collections the query names; ``concept_id`` values (collection or
    granule ids) are alternatives, other parameters all apply."""
    by_collection = {i for i in query.concept_ids if i.startswith("C")}
    by_granule: dict[str, list[int]] = {}
    for concept_id in query.concept_ids:
        if concept_id.startswith("G") and (g := catalogue.granule_by_id(concept_id)):
            by_granule.setdefault(g.collection.concept_id, []).append(g.index)
    name_matches = [
        query.strings[n] for n in ("readable_granule_name", "granule_ur") if n in query.strings
    ]
    entries = []
    for c in catalogue.collections:
        if query.collection_concept_ids and c.concept_id not in query.collection_concept_ids:
            continue
        if not all(
            match(_collection_string(c, name))
            for name, match in query.strings.items()
            if name in ("short_name", "version", "entry_title", "provider")
        ):
            continue
        if query.concept_ids and c.concept_id not in by_collection:
            indexes: Iterable[int] = sorted(set(by_granule.get(c.concept_id, ())))
        elif query.temporal:
            found: set[int] = set()
            for start, end in query.temporal:
                found.update(catalogue.indexes(c, start, end))
            indexes = sorted(found)
        else:
            indexes = range(c.granule_count)
        for j in indexes:
            g = catalogue.granule(c, j)
            if query.temporal and not _overlaps(g.start, g.end, query.temporal):
                continue
            if not all(intersects(g.bbox, box) for box in query.boxes):
                continue
            if not all(match(g.ur) for match in name_matches):
                continue
            values = tuple(GRANULE_SORT[name](g) for name, _ in query.sort)
            entries.append(((*values, g.seq), g))
    return _page(query, entries, realistic)


# -- rendering ----------------------------------------------------------------------


@dataclass
class Links:
    """Where the rendered metadata points (the running stand-ins)."""

    data_url: str
    daac_url: Callable[[str], str]

    def credentials(self, c: Collection) -> str:
        assert c.daac is not None
        return self.daac_url(c.daac)

    def https(self, c: Collection, name: str) -> str:
        if c.cloud:
            return f"{self.data_url}/{c.bucket}/{quote(c.prefix + name)}"
        # on-premises archive (not served: the data host knows no such bucket)
        return f"{self.data_url}/{c.provider.lower()}-onprem/{quote(c.prefix + name)}"


def _bounding_rectangle(box: tuple[float, ...]) -> dict[str, float]:
    west, south, east, north = box
    return {
        "WestBoundingCoordinate": _num(west),
        "NorthBoundingCoordinate": _num(north),
        "EastBoundingCoordinate": _num(east),
        "SouthBoundingCoordinate": _num(south),
    }


def _atom_box(box: tuple[float, ...]) -> str:
    west, south, east, north = box
    return " ".join(str(_num(v)) for v in (south, west, north, east))


def umm_collection(c: Collection, links: Links) -> dict[str, Any]:
    extent: dict[str, Any] = {"BeginningDateTime": iso(c.start)}
    if c.end is not None:
        extent["EndingDateTime"] = iso(c.end)
    umm: dict[str, Any] = {
        "ShortName": c.short_name,
        "Version": c.version,
        "EntryTitle": c.entry_title,
        "Abstract": c.abstract,
        "DOI": {"DOI": c.doi, "Authority": "https://doi.org"},
        "CollectionProgress": "ACTIVE" if c.end is None else "COMPLETE",
        "ProcessingLevel": {"Id": c.level},
        "Platforms": [{"ShortName": c.platform, "Instruments": [{"ShortName": c.instrument}]}],
        "ScienceKeywords": [
            {
                "Category": "EARTH SCIENCE",
                "Topic": SCIENCE_TOPICS.get(c.data_center, "LAND SURFACE"),
                "Term": c.science_term,
            }
        ],
        "TemporalExtents": [{"RangeDateTimes": [extent], "EndsAtPresentFlag": c.end is None}],
        "SpatialExtent": {
            "HorizontalSpatialDomain": {
                "Geometry": {
                    "CoordinateSystem": "CARTESIAN",
                    "BoundingRectangles": [_bounding_rectangle(c.bbox)],
                }
            },
            "GranuleSpatialRepresentation": "GEODETIC" if c.footprint == "swath" else "CARTESIAN",
        },
        "DataCenters": [{"Roles": ["ARCHIVER", "DISTRIBUTOR"], "ShortName": c.data_center}],
        "ArchiveAndDistributionInformation": {
            "FileDistributionInformation": [{"FormatType": "Native", "Format": c.file_format}]
        },
        "RelatedUrls": [
            {
                "URL": f"https://doi.org/{c.doi}",
                "URLContentType": "CollectionURL",
                "Type": "DATA SET LANDING PAGE",
            }
        ],
        "MetadataSpecification": {
            "URL": f"https://cdn.earthdata.nasa.gov/umm/collection/v{UMM_C_VERSION}",
            "Name": "UMM-C",
            "Version": UMM_C_VERSION,
        },
    }
    if c.cloud:
        credentials = links.credentials(c)
        umm["DirectDistributionInformation"] = {
            "Region": "us-west-2",
            "S3BucketAndObjectPrefixNames": [f"{c.bucket}/{c.prefix}"],
            "S3CredentialsAPIEndpoint": credentials,
            "S3CredentialsAPIDocumentationURL": credentials + "README",
        }
    meta: dict[str, Any] = {
        "concept-type": "collection",
        "concept-id": c.concept_id,
        "revision-id": c.revision_id,
        "native-id": c.native_id,
        "provider-id": c.provider,
        "format": "application/vnd.nasa.cmr.umm+json",
        "revision-date": iso(c.revision_date),
        "deleted": False,
        "has-variables": False,
        "has-formats": False,
        "has-transforms": False,
        "has-combine": False,
        "has-spatial-subsetting": False,
        "has-temporal-subsetting": False,
    }
    if c.cloud:
        meta["s3-links"] = [f"s3://{c.bucket}/{c.prefix.rstrip('/')}"]
    return {"meta": meta, "umm": umm}


def atom_collection(c: Collection, links: Links) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "id": c.concept_id,
        "title": c.entry_title,
        "summary": c.abstract,
        "updated": iso(c.revision_date),
        "dataset_id": c.entry_title,
        "short_name": c.short_name,
        "version_id": c.version,
        "original_format": "UMM_JSON",
        "data_center": c.provider,
        "archive_center": c.data_center,
        "organizations": [c.data_center],
        "processing_level_id": c.level,
        "time_start": iso(c.start),
        "coordinate_system": "CARTESIAN",
        "boxes": [_atom_box(c.bbox)],
        "platforms": [c.platform],
        "browse_flag": False,
        "has_variables": False,
        "has_formats": False,
        "has_transforms": False,
        "has_spatial_subsetting": False,
        "has_temporal_subsetting": False,
        "online_access_flag": c.granule_count > 0,
        "cloud_hosted": c.cloud,
        "consortiums": ["EOSDIS"],
        "links": [
            {
                "rel": RELS + "metadata#",
                "hreflang": "en-US",
                "href": f"https://doi.org/{c.doi}",
            }
        ],
    }
    if c.end is not None:
        entry["time_end"] = iso(c.end)
    return entry


def _related_urls(g: Granule, links: Links) -> list[dict[str, str]]:
    c = g.collection
    mime = MIME[c.file_format]
    urls = []
    for name, _ in g.files:
        urls.append(
            {
                "URL": links.https(c, name),
                "Type": "GET DATA",
                "Description": f"Download {name}",
                "MimeType": mime,
            }
        )
        if c.cloud:
            urls.append(
                {
                    "URL": f"s3://{c.bucket}/{c.prefix}{name}",
                    "Type": "GET DATA VIA DIRECT ACCESS",
                    "Description": "This link provides direct download access via S3 to the "
                    "granule",
                }
            )
    if c.cloud:
        urls.append(
            {
                "URL": links.credentials(c),
                "Type": "VIEW RELATED INFORMATION",
                "Description": "api endpoint to retrieve temporary credentials valid for "
                "same-region direct s3 access",
            }
        )
        if c.file_format in ("netCDF-4", "HDF5"):
            name = g.files[0][0]
            urls.append(
                {
                    "URL": links.https(c, name) + ".dmrpp",
                    "Type": "EXTENDED METADATA",
                    "Subtype": "DMR++",
                    "Description": "OPeNDAP DMR++ metadata of the granule",
                }
            )
    return urls


def umm_granule(g: Granule, links: Links) -> dict[str, Any]:
    c = g.collection
    if g.polygon is not None:
        geometry: dict[str, Any] = {
            "GPolygons": [
                {
                    "Boundary": {
                        "Points": [
                            {"Longitude": _num(lon), "Latitude": _num(lat)}
                            for lon, lat in g.polygon
                        ]
                    }
                }
            ]
        }
    else:
        geometry = {"BoundingRectangles": [_bounding_rectangle(g.bbox)]}
    umm = {
        "GranuleUR": g.ur,
        "ProviderDates": [
            {"Date": iso(g.revision_date), "Type": "Insert"},
            {"Date": iso(g.revision_date), "Type": "Update"},
        ],
        "CollectionReference": {"ShortName": c.short_name, "Version": c.version},
        "TemporalExtent": {
            "RangeDateTime": {"BeginningDateTime": iso(g.start), "EndingDateTime": iso(g.end)}
        },
        "SpatialExtent": {"HorizontalSpatialDomain": {"Geometry": geometry}},
        "DataGranule": {
            "ArchiveAndDistributionInformation": [
                {"Name": name, "SizeInBytes": size, "Format": c.file_format}
                for name, size in g.files
            ],
            "DayNightFlag": "Unspecified",
            "ProductionDateTime": iso(g.revision_date),
        },
        "RelatedUrls": _related_urls(g, links),
        "MetadataSpecification": {
            "URL": f"https://cdn.earthdata.nasa.gov/umm/granule/v{UMM_G_VERSION}",
            "Name": "UMM-G",
            "Version": UMM_G_VERSION,
        },
    }
    meta = {
        "concept-type": "granule",
        "concept-id": g.concept_id,
        "revision-id": 1,
        "native-id": g.ur,
        "collection-concept-id": c.concept_id,
        "provider-id": c.provider,
        "format": "application/vnd.nasa.cmr.umm+json",
        "revision-date": iso(g.revision_date),
    }
    return {"meta": meta, "umm": umm}


_ATOM_RELS = {
    "GET DATA": "data#",
    "GET DATA VIA DIRECT ACCESS": "s3#",
    "VIEW RELATED INFORMATION": "metadata#",
    "EXTENDED METADATA": "metadata#",
}


def atom_granule(g: Granule, links: Links) -> dict[str, Any]:
    c = g.collection
    entry: dict[str, Any] = {
        "id": g.concept_id,
        "title": g.ur,
        "dataset_id": c.entry_title,
        "producer_granule_id": g.ur,
        "updated": iso(g.revision_date),
        "time_start": iso(g.start),
        "time_end": iso(g.end),
        "collection_concept_id": c.concept_id,
        "data_center": c.provider,
        "original_format": "UMM_JSON",
        "granule_size": str(g.size / 1048576),
        "coordinate_system": "GEODETIC" if g.polygon is not None else "CARTESIAN",
        "online_access_flag": True,
        "browse_flag": False,
        "day_night_flag": "UNSPECIFIED",
        "links": [
            {
                "rel": RELS + _ATOM_RELS[url["Type"]],
                "title": f"{url['Description']} ({url['Type']})",
                "hreflang": "en-US",
                "href": url["URL"],
                **({"type": url["MimeType"]} if "MimeType" in url else {}),
            }
            for url in _related_urls(g, links)
        ],
    }
    if g.polygon is not None:
        entry["polygons"] = [[" ".join(f"{_num(lat)} {_num(lon)}" for lon, lat in g.polygon)]]
    else:
        entry["boxes"] = [_atom_box(g.bbox)]
    return entry


# -- the HTTP handler ---------------------------------------------------------------


def _gateway_page(status: int, reason: str) -> str:
    return (
        f"<html>\r\n<head><title>{status} {reason}</title></head>\r\n<body>\r\n"
        f"<center><h1>{status} {reason}</h1></center>\r\n</body>\r\n</html>\r\n"
    )


class SearchHandler(_Recorded):
    """``/search/(collections|granules).(json|umm_json)``."""

    service = "cmr"

    def set_default_headers(self) -> None:
        request_id = str(uuid.uuid4())
        self.set_header("CMR-Request-Id", request_id)
        self.set_header("X-Request-Id", request_id)
        self.set_header("Access-Control-Allow-Origin", "*")
        self.set_header("Access-Control-Expose-Headers", EXPOSED_HEADERS)

    def fail(self, error: CmrError) -> NoReturn:
        self.set_status(error.status)
        self.set_header("Content-Type", CMR_JSON_TYPE)
        for name, value in error.headers.items():
            self.set_header(name, value)
        raise web.Finish(json.dumps({"errors": error.errors}))

    def page(self, status: int, reason: str) -> NoReturn:
        self.set_status(status)
        self.set_header("Content-Type", "text/html")
        raise web.Finish(_gateway_page(status, reason))

    def injected_faults(self) -> None:
        state = self.state
        if state.cmr_failures:
            status = state.cmr_failures.pop(0)
            if status == 500:
                self.fail(CmrError(500, INTERNAL_ERROR))
            reasons = {
                502: "Bad Gateway",
                503: "Service Temporarily Unavailable",
                504: "Gateway Time-out",
            }
            self.page(status, reasons.get(status, "Error"))
        if state.cmr_throttle > 0:
            state.cmr_throttle -= 1
            self.fail(
                CmrError(429, THROTTLE_ERROR, headers={"Retry-After": str(state.cmr_retry_after)})
            )

    def check_auth(self) -> None:
        header = self.request.headers.get("Authorization", "").strip()
        if not header:
            return
        scheme, _, token = header.partition(" ")
        token = token.strip() if scheme.lower() == "bearer" else header
        payload, why = self.state.check_token(token)
        if payload is not None:
            return
        if why == "Token has expired":
            self.fail(
                CmrError(
                    401,
                    f"Token [{scrub_token(header)}] has expired. Note the token value has been "
                    "partially redacted.",
                )
            )
        self.fail(CmrError(401, f"Token {scrub_token(header)} does not exist"))

    def arguments(self) -> list[tuple[str, str]]:
        pairs = [
            (name, value.decode("utf-8", "replace"))
            for name, values in self.request.query_arguments.items()
            for value in values
        ]
        if self.request.method == "POST":
            content_type = self.request.headers.get("Content-Type", "").split(";")[0].strip()
            if content_type not in ("", "application/x-www-form-urlencoded"):
                self.fail(CmrError(415, f"Unsupported content type [{content_type}]"))
            pairs += [
                (name, value.decode("utf-8", "replace"))
                for name, values in self.request.body_arguments.items()
                for value in values
            ]
        return pairs

    def search(self, kind: str, fmt: str) -> None:
        started = time.perf_counter()
        state = self.state
        if self.request.method == "GET" and len(self.request.uri or "") > state.cmr_max_url_length:
            self.page(413, "Request Entity Too Large")
        self.injected_faults()
        self.check_auth()
        catalogue: Catalogue = state.cmr_catalogue or default_catalogue()
        arguments = self.arguments()
        try:
            query = parse_query(kind, arguments, self.request.headers.get(SEARCH_AFTER_HEADER))
            realistic = state.cmr_search_after_on_last_page
            if kind == "collections":
                result = search_collections(catalogue, query, realistic)
            else:
                result = search_granules(catalogue, query, realistic)
        except CmrError as error:
            self.fail(error)
        if query.page_size == 0:
            result.items, result.search_after = [], None
        links = Links(state.data_url or "", state.daac_url)
        took = int((time.perf_counter() - started) * 1000)
        if fmt == "umm_json":
            render = umm_collection if kind == "collections" else umm_granule
            body: dict[str, Any] = {
                "hits": result.hits,
                "took": took,
                "items": [render(item, links) for item in result.items],
            }
            content_type = UMM_TYPES[kind]
        else:
            render = atom_collection if kind == "collections" else atom_granule
            title = "ECHO dataset metadata" if kind == "collections" else "ECHO granule metadata"
            body = {
                "feed": {
                    "updated": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3]
                    + "Z",
                    "id": f"{state.cmr_url}{kind}.json"
                    + (f"?{urlencode(arguments)}" if arguments else ""),
                    "title": title,
                    "entry": [render(item, links) for item in result.items],
                }
            }
            content_type = CMR_JSON_TYPE
        self.set_header("Content-Type", content_type)
        self.set_header("CMR-Hits", str(result.hits))
        self.set_header("CMR-Took", str(took))
        if result.search_after is not None:
            self.set_header(
                SEARCH_AFTER_HEADER, json.dumps(result.search_after, separators=(",", ":"))
            )
        if state.cmr_timed_out:
            self.set_header(TIMED_OUT_HEADER, "true")
        self.finish(json.dumps(body))

    def get(self, kind: str, fmt: str) -> None:
        self.search(kind, fmt)

    def post(self, kind: str, fmt: str) -> None:
        self.search(kind, fmt)


def start_cmr(
    state: EarthdataState, port: int = 0, address: str = "127.0.0.1"
) -> tuple[HTTPServer, int]:
    """CMR search on loopback; sets ``state.cmr_url`` (ending in ``/search/``)."""
    _ = state.cmr_catalogue or default_catalogue()  # built before the first request
    app = _app(
        state,
        "cmr",
        [(r"/search/(collections|granules)\.(json|umm_json)", SearchHandler)],
    )
    server, bound = _listen(app, port, address)
    state.cmr_url = f"http://{address}:{bound}/search/"
    return server, bound
