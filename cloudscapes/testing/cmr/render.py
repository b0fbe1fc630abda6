"""Collections and granules as CMR renders them: UMM JSON (``meta`` + ``umm``) and
Atom JSON entries, with links into the running stand-ins."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any
from urllib.parse import quote

from .catalogue import Collection, Granule
from .providers import MIME, SCIENCE_TOPICS
from .special import Link

UMM_C_VERSION = "1.18.1"
UMM_G_VERSION = "1.6.6"


RELS = "http://esipfed.org/ns/fedsearch/1.1/"


def iso(seconds: int | None) -> str | None:
    if seconds is None:
        return None
    return datetime.fromtimestamp(seconds, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _num(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


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
            "GranuleSpatialRepresentation": _spatial_representation(c),
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
    if c.orbit is not None:
        inclination, period, swath_width = c.orbit
        umm["SpatialExtent"]["OrbitParameters"] = {
            "SwathWidth": _num(swath_width),
            "SwathWidthUnit": "Kilometer",
            "OrbitPeriod": _num(period),
            "OrbitPeriodUnit": "Decimal Minute",
            "InclinationAngle": _num(inclination),
            "InclinationAngleUnit": "Degree",
            "NumberOfOrbits": 0.071,
            "StartCircularLatitude": 0,
        }
    if c.cloud:
        direct: dict[str, Any] = {
            "Region": "us-west-2",
            "S3BucketAndObjectPrefixNames": [f"{c.bucket}/{c.prefix}"],
        }
        if c.credentials_in_metadata:
            credentials = links.credentials(c)
            direct["S3CredentialsAPIEndpoint"] = credentials
            direct["S3CredentialsAPIDocumentationURL"] = credentials + "README"
        umm["DirectDistributionInformation"] = direct
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


def _spatial_representation(c: Collection) -> str:
    if c.spatial_representation:
        return c.spatial_representation
    return "GEODETIC" if c.footprint == "swath" else "CARTESIAN"


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
    if c.orbit is not None:
        inclination, period, swath_width = c.orbit
        entry["orbit_parameters"] = {
            "swath_width": str(float(swath_width)),
            "period": str(float(period)),
            "inclination_angle": str(float(inclination)),
            "number_of_orbits": "0.071",
            "start_circular_latitude": "0.0",
        }
    return entry


def resolve(link: Link, c: Collection, links: Links) -> dict[str, str]:
    """A realistic granule's :class:`~.special.Link` as a UMM-G RelatedUrl."""
    if link.kind == "https":
        url = links.https(c, link.target)
    elif link.kind == "s3":
        url = f"s3://{c.bucket}/{c.prefix}{link.target}"
    elif link.kind == "credentials":
        url = links.credentials(c)
    elif link.kind == "opendap":
        url = f"{links.data_url}/opendap/{link.target}"
    else:
        url = link.target
    related = {"URL": url, "Type": link.type}
    if link.subtype:
        related["Subtype"] = link.subtype
    if link.description:
        related["Description"] = link.description
    if link.mime:
        related["MimeType"] = link.mime
    return related


def _related_urls(g: Granule, links: Links) -> list[dict[str, str]]:
    c = g.collection
    if g.shape is not None:
        return [resolve(link, c, links) for link in g.shape.links]
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
    spatial = {"Geometry": geometry} if g.shape is None else g.shape.spatial
    archive = [
        {"Name": name, "SizeInBytes": size, "Format": c.file_format} for name, size in g.files
    ]
    if g.shape is not None:
        archive = list(g.shape.archive)
    umm: dict[str, Any] = {
        "GranuleUR": g.ur,
        "ProviderDates": [
            {"Date": iso(g.revision_date), "Type": "Insert"},
            {"Date": iso(g.revision_date), "Type": "Update"},
        ],
        "CollectionReference": {"ShortName": c.short_name, "Version": c.version},
        "TemporalExtent": {
            "RangeDateTime": {"BeginningDateTime": iso(g.start), "EndingDateTime": iso(g.end)}
        },
        "SpatialExtent": {"HorizontalSpatialDomain": spatial},
        "DataGranule": {
            "ArchiveAndDistributionInformation": archive,
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
    if g.shape is not None:
        umm.update(g.shape.umm)
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
    "GET RELATED VISUALIZATION": "browse#",
    "USE SERVICE API": "service#",
}


def atom_granule(g: Granule, links: Links) -> dict[str, Any]:
    c = g.collection
    related = _related_urls(g, links)
    if g.shape is not None:
        coordinate_system = g.shape.coordinate_system
    else:
        coordinate_system = "GEODETIC" if g.polygon is not None else "CARTESIAN"
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
        "coordinate_system": coordinate_system,
        "online_access_flag": True,
        "browse_flag": any(u["Type"] == "GET RELATED VISUALIZATION" for u in related),
        "day_night_flag": "UNSPECIFIED",
        "links": [
            {
                "rel": RELS + _ATOM_RELS[url["Type"]],
                "title": f"{url.get('Description', url['Type'])} ({url['Type']})",
                "hreflang": "en-US",
                "href": url["URL"],
                **({"type": url["MimeType"]} if "MimeType" in url else {}),
            }
            for url in related
        ],
    }
    if g.shape is not None:
        entry.update(g.shape.atom)
    elif g.polygon is not None:
        entry["polygons"] = [[" ".join(f"{_num(lat)} {_num(lon)}" for lon, lat in g.polygon)]]
    else:
        entry["boxes"] = [_atom_box(g.bbox)]
    return entry
