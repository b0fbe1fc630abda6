"""What the generated catalogue is made of: the providers (which DAAC stand-in and
bucket each points at), their topics, regions, cadences and file formats."""

from __future__ import annotations

from dataclasses import dataclass

from ..datasets import DAAC_BUCKETS

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
    Provider("NSIDC_CPRD", "nsidc", DAAC_BUCKETS["nsidc"], "NASA NSIDC DAAC", 44, _topics("NSIDC")),
    Provider("POCLOUD", "podaac", DAAC_BUCKETS["podaac"], "NASA/JPL/PODAAC", 55, _topics("PODAAC")),
    Provider("LPCLOUD", "lpdaac", DAAC_BUCKETS["lpdaac"], "LP DAAC", 45, _topics("LPDAAC")),
    Provider("GES_DISC", "gesdisc", DAAC_BUCKETS["gesdisc"], "GES DISC", 45, _topics("GESDISC")),
    Provider("ORNL_CLOUD", "ornldaac", DAAC_BUCKETS["ornldaac"], "ORNL_DAAC", 30, _topics("ORNL")),
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
