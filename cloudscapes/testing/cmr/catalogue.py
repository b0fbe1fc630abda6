"""The CMR stand-in's catalogue: collections (generated once, deterministically, and
stored) and their granules (computed from an index, never stored), with the two special
collections the demo and the tests lean on first and the realistic ones of
:mod:`.special` last. See ``docs/standins.md``, "The catalogue"."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import cache
from typing import TYPE_CHECKING

from ..datasets import DAAC_BUCKETS, DEMO_GRANULE_PREFIX
from .providers import CADENCES, DAY, EXTENSIONS, LEVELS, PROVIDERS, REGIONS, RESOLUTIONS

if TYPE_CHECKING:
    from .special import Shape

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


_CONCEPT = re.compile(r"([CG])(\d+)-([A-Za-z0-9_]+)")


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
    #: one of the realistic collections of :mod:`.special` ("" for the others)
    special: str = ""
    #: DirectDistributionInformation names its S3CredentialsAPIEndpoint (ORNL's do not)
    credentials_in_metadata: bool = True
    #: GranuleSpatialRepresentation ("": from ``footprint``)
    spatial_representation: str = ""
    #: OrbitParameters: (inclination in degrees, period in minutes, swath width in km)
    orbit: tuple[float, float, float] | None = None

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
    #: what a realistic granule renders differently (:mod:`.special`), else None
    shape: Shape | None = None

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
        if c.special:
            from .special import special_granule

            return special_granule(c, j)
        step, tile = divmod(j, c.per_step)
        start = c.start + step * c.step
        end = start + c.step - 1
        polygon = None
        moment = datetime.fromtimestamp(start, timezone.utc)
        if c.seq == DEMO_SEQ:
            from ..datasets import demo_granule_files

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


def _tile(bbox: tuple[float, float, float, float], tile: int) -> tuple[float, float, float, float]:
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
    """The demo and swath collections, then ~300 generated ones (deterministic), then
    the realistic ones of :mod:`.special` (last, so the others' granule ids stay)."""
    from .special_collections import special_collections

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
    collections += special_collections(len(collections))
    return Catalogue(collections)


@cache
def default_catalogue() -> Catalogue:
    """The catalogue every stand-in uses unless its state has another (one per process)."""
    return generate_catalogue()
