"""The five realistic collections of :mod:`.special` (their records; their granules
are built there), appended at the end of the catalogue."""

from __future__ import annotations

import dataclasses
from typing import Any

from ..datasets import DAAC_BUCKETS, SWOT_BUCKET
from .catalogue import Collection, _ts
from .providers import DAY, PROVIDERS, REGIONS

#: catalogue position of the first realistic collection: after the demo and swath
#: collections and every generated one (each provider makes exactly its count)
FIRST_INDEX = 2 + sum(p.count for p in PROVIDERS)


def _realistic(**fields: Any) -> Collection:
    """A realistic collection: one granule per time step, a box footprint unless said."""
    defaults = {"index": 0, "revision_id": 2, "usage": 2_000, "per_step": 1, "footprint": "box"}
    return Collection(**{**defaults, **fields})


def special_collections(index: int = FIRST_INDEX) -> list[Collection]:
    """The five realistic collections, numbered from catalogue position ``index``."""
    assert index == FIRST_INDEX, "the realistic collections come last, after the generated"
    made = [
        _realistic(
            seq=2_999_000_003,
            provider="POCLOUD",
            short_name="DEMO_GRACE_MASCON",
            version="RL06.3",
            entry_title="Cloudscapes demo: GRACE-like monthly mass grids in three formats "
            "(stand-in)",
            abstract="Monthly liquid water equivalent thickness on a coarse global grid, "
            "a TELLUS-like product made up for the Cloudscapes demo. Each granule holds the "
            "grid as NetCDF-4 and as GeoTIFF, and a README text file.",
            doi="10.5067/DEMO0MASCON3",
            level="3",
            platform="GRACE-FO",
            instrument="MWI",
            science_term="MASS",
            data_center="NASA/JPL/PODAAC",
            start=_ts(2024, 1, 1),
            end=_ts(2024, 1, 1) + 3 * 30 * DAY - 1,
            bbox=REGIONS["global"],
            cloud=True,
            daac="podaac",
            bucket=DAAC_BUCKETS["podaac"],
            prefix="DEMO_GRACE_MASCON/",
            revision_date=_ts(2024, 5, 1),
            granule_count=3,
            step=30 * DAY,
            file_format="netCDF-4",
            size=40_000,
            special="mixed",
        ),
        _realistic(
            seq=2_999_000_004,
            provider="ORNL_CLOUD",
            short_name="DEMO_DAYMET_DAILY",
            version="4.R1",
            entry_title="Cloudscapes demo: Daymet-like daily surface weather with checksums "
            "(stand-in)",
            abstract="Yearly files of daily maximum temperature on a tiny grid over Hawaii, "
            "a Daymet-like product made up for the Cloudscapes demo. Each granule holds a "
            "NetCDF-4 file and its SHA-256 checksum file.",
            doi="10.3334/DEMO0DAYMET4",
            level="4",
            platform="MODEL",
            instrument="DAYMET",
            science_term="SURFACE TEMPERATURE",
            data_center="ORNL_DAAC",
            start=_ts(2022, 1, 1),
            end=_ts(2022, 1, 1) + 2 * 365 * DAY - 1,
            bbox=(-160.0, 19.0, -155.0, 22.0),
            cloud=True,
            daac="ornldaac",
            bucket=DAAC_BUCKETS["ornldaac"],
            prefix="DEMO_DAYMET_DAILY/",
            revision_date=_ts(2024, 3, 1),
            granule_count=2,
            step=365 * DAY,
            file_format="netCDF-4",
            size=40_000,
            special="checksum",
            credentials_in_metadata=False,
        ),
        _realistic(
            seq=2_999_000_005,
            provider="POCLOUD",
            short_name="DEMO_SWOT_L2_LR_SSH",
            version="2.0",
            entry_title="Cloudscapes demo: SWOT-like level 2 low-rate sea surface height "
            "(stand-in)",
            abstract="Half-orbit swaths of sea surface height, a SWOT-like product made up "
            "for the Cloudscapes demo. Its files are read with the keys of its own "
            "credentials endpoint, which is not in the DAAC table.",
            doi="10.5067/DEMO0SWOTSSH",
            level="2",
            platform="SWOT",
            instrument="KaRIn",
            science_term="SEA SURFACE HEIGHT",
            data_center="NASA/JPL/PODAAC",
            start=_ts(2024, 1, 1),
            end=_ts(2024, 1, 1) + 3 * 3060 - 1,
            bbox=REGIONS["global"],
            cloud=True,
            daac="swot",
            bucket=SWOT_BUCKET,
            prefix="DEMO_SWOT_L2_LR_SSH/",
            revision_date=_ts(2024, 2, 1),
            granule_count=3,
            step=3060,
            file_format="netCDF-4",
            size=20_000,
            special="swot",
            spatial_representation="GEODETIC",
        ),
        _realistic(
            seq=2_999_000_006,
            provider="NSIDC_CPRD",
            short_name="DEMO_ATL06",
            version="006",
            entry_title="Cloudscapes demo: ICESat-2-like land ice height along tracks (stand-in)",
            abstract="Along-track land ice height segments, an ATL06-like product made up "
            "for the Cloudscapes demo. Its granules have an orbit and a track, and no "
            "footprint geometry.",
            doi="10.5067/DEMO0ATL06V6",
            level="3A",
            platform="ICESat-2",
            instrument="ATLAS",
            science_term="ICE SHEET ELEVATION",
            data_center="NASA NSIDC DAAC",
            start=_ts(2024, 1, 1),
            end=_ts(2024, 1, 1) + 4 * 5400 - 1,
            bbox=REGIONS["global"],
            cloud=True,
            daac="nsidc",
            bucket=DAAC_BUCKETS["nsidc"],
            prefix="DEMO_ATL06/",
            revision_date=_ts(2024, 2, 1),
            granule_count=4,
            step=5400,
            file_format="HDF5",
            size=20_000,
            special="orbit",
            spatial_representation="ORBIT",
            orbit=(92.0, 94.29, 36.0),
        ),
        _realistic(
            seq=2_999_000_007,
            provider="LAADS",
            short_name="DEMO_MOD021KM",
            version="61",
            entry_title="Cloudscapes demo: MODIS-like level 1B 5-minute swaths, on premises "
            "(stand-in)",
            abstract="Twenty 5-minute swaths of calibrated radiances from a polar orbit, a "
            "MOD021KM-like product made up for the Cloudscapes demo. Archived on premises "
            "(not in the cloud); some swaths cross the antimeridian or go round a pole.",
            doi="10.5067/DEMO0MOD021KM",
            level="1B",
            platform="Terra",
            instrument="MODIS",
            science_term="REFLECTANCE",
            data_center="MODAPS",
            start=_ts(2024, 1, 1),
            end=_ts(2024, 1, 1) + 20 * 300 - 1,
            bbox=REGIONS["global"],
            cloud=False,
            daac=None,
            bucket=None,
            prefix="",
            revision_date=_ts(2024, 1, 2),
            granule_count=20,
            step=300,
            file_format="HDF-EOS2",
            size=45_000_000,
            special="swath",
            spatial_representation="GEODETIC",
            footprint="swath",
        ),
    ]
    return [dataclasses.replace(c, index=index + n) for n, c in enumerate(made)]
