"""The CMR stand-in's records (cloudscapes.testing.cmr): collections and granules in UMM
JSON and Atom as real CMR writes them, with links that lead to the data host and moto.

``nasa_demo`` (cloudscapes.testing.fixtures.standins) serves the stand-ins on a loop in
a thread; the searches themselves: test_standin_cmr.py.
"""

from __future__ import annotations

import pytest

from cloudscapes.testing import cmr, datasets
from cloudscapes.testing.client import http
from cloudscapes.testing.fixtures.standins import NasaDemo, entries


def test_demo_collection_umm_and_atom(nasa_demo: NasaDemo) -> None:
    umm = nasa_demo.search("collections.umm_json", {"concept_id": cmr.DEMO_CONCEPT_ID})
    assert umm.header("Content-Type").startswith("application/vnd.nasa.cmr.umm_results+json")
    body = umm.json()
    assert body["hits"] == 1 and isinstance(body["took"], int)
    item = body["items"][0]
    meta, record = item["meta"], item["umm"]
    assert meta["concept-id"] == cmr.DEMO_CONCEPT_ID
    assert meta["provider-id"] == "NSIDC_CPRD"
    assert meta["revision-id"] >= 1 and meta["revision-date"].endswith("Z")
    assert meta["s3-links"] == ["s3://demo-nsidc-protected/seaice"]
    assert (record["ShortName"], record["Version"]) == ("DEMO_SEAICE", "1")
    assert record["EntryTitle"] == "Cloudscapes demo: daily sea ice concentration (stand-in)"
    assert record["Abstract"] and record["DOI"]["DOI"].startswith("10.5067/")
    assert record["ProcessingLevel"] == {"Id": "3"}
    assert record["Platforms"][0]["Instruments"]
    extent = record["TemporalExtents"][0]["RangeDateTimes"][0]
    assert extent == {
        "BeginningDateTime": "2024-09-01T00:00:00.000Z",
        "EndingDateTime": "2024-09-08T23:59:59.000Z",
    }
    rectangle = record["SpatialExtent"]["HorizontalSpatialDomain"]["Geometry"][
        "BoundingRectangles"
    ][0]
    assert rectangle == {
        "WestBoundingCoordinate": -180,
        "NorthBoundingCoordinate": 90,
        "EastBoundingCoordinate": 180,
        "SouthBoundingCoordinate": 60,
    }
    direct = record["DirectDistributionInformation"]
    assert direct == {
        "Region": "us-west-2",
        "S3BucketAndObjectPrefixNames": ["demo-nsidc-protected/seaice/"],
        "S3CredentialsAPIEndpoint": nasa_demo.state.daac_url("nsidc"),
        "S3CredentialsAPIDocumentationURL": nasa_demo.state.daac_url("nsidc") + "README",
    }
    assert http("GET", direct["S3CredentialsAPIDocumentationURL"]).status == 200

    atom = entries(nasa_demo.search("collections.json", {"concept_id": cmr.DEMO_CONCEPT_ID}))[0]
    assert atom["id"] == cmr.DEMO_CONCEPT_ID
    assert atom["title"] == atom["dataset_id"] == record["EntryTitle"]
    assert (atom["short_name"], atom["version_id"], atom["data_center"]) == (
        "DEMO_SEAICE",
        "1",
        "NSIDC_CPRD",
    )
    assert atom["summary"] == record["Abstract"]
    assert (atom["time_start"], atom["time_end"]) == (
        "2024-09-01T00:00:00.000Z",
        "2024-09-08T23:59:59.000Z",
    )
    assert atom["boxes"] == ["60 -180 90 180"]
    assert atom["cloud_hosted"] is True and atom["online_access_flag"] is True
    assert atom["links"][0]["rel"].startswith("http://esipfed.org/ns/fedsearch/1.1/")


def test_non_cloud_collection_has_no_direct_distribution(nasa_demo: NasaDemo) -> None:
    reply = nasa_demo.search("collections.umm_json", {"provider": "NSIDC_ECS", "page_size": "1"})
    item = reply.json()["items"][0]
    assert "DirectDistributionInformation" not in item["umm"]
    assert "s3-links" not in item["meta"]
    atom = entries(
        nasa_demo.search("collections.json", {"provider": "NSIDC_ECS", "page_size": "1"})
    )
    assert atom[0]["cloud_hosted"] is False


def test_demo_granules_umm_and_atom_match_moto(nasa_demo: NasaDemo) -> None:
    params = {"collection_concept_id": cmr.DEMO_CONCEPT_ID, "page_size": "8"}
    items = nasa_demo.search("granules.umm_json", params).json()["items"]
    assert len(items) == 8
    admin = nasa_demo.s3.client()
    for day, item in zip(datasets.DEMO_DAYS, items, strict=True):
        meta, record = item["meta"], item["umm"]
        name = datasets.granule_name(day)
        assert meta["collection-concept-id"] == cmr.DEMO_CONCEPT_ID
        assert meta["concept-id"] == cmr.DEMO_GRANULE_IDS[datasets.DEMO_DAYS.index(day)]
        assert record["GranuleUR"] == name[:-3]
        assert record["CollectionReference"] == {"ShortName": "DEMO_SEAICE", "Version": "1"}
        assert record["TemporalExtent"]["RangeDateTime"] == {
            "BeginningDateTime": f"{day.isoformat()}T00:00:00.000Z",
            "EndingDateTime": f"{day.isoformat()}T23:59:59.000Z",
        }
        assert record["SpatialExtent"]["HorizontalSpatialDomain"]["Geometry"][
            "BoundingRectangles"
        ] == [
            {
                "WestBoundingCoordinate": -180,
                "NorthBoundingCoordinate": 90,
                "EastBoundingCoordinate": 180,
                "SouthBoundingCoordinate": 60,
            }
        ]
        files = record["DataGranule"]["ArchiveAndDistributionInformation"]
        key = f"seaice/{name}"
        size = admin.head_object(Bucket="demo-nsidc-protected", Key=key)["ContentLength"]
        assert [(f["Name"], f["SizeInBytes"]) for f in files] == [(name, size)]
        urls = {u["Type"]: u["URL"] for u in record["RelatedUrls"]}
        assert urls["GET DATA"] == f"{nasa_demo.standins.data_url}/demo-nsidc-protected/{key}"
        assert urls["GET DATA VIA DIRECT ACCESS"] == f"s3://demo-nsidc-protected/{key}"
        assert urls["VIEW RELATED INFORMATION"] == nasa_demo.state.daac_url("nsidc")
        assert urls["EXTENDED METADATA"].endswith(".dmrpp")

    atom = entries(nasa_demo.search("granules.json", params))
    first = atom[0]
    assert first["id"] == items[0]["meta"]["concept-id"]
    assert first["title"] == "seaice_20240901"
    assert first["collection_concept_id"] == cmr.DEMO_CONCEPT_ID
    assert (first["time_start"], first["time_end"]) == (
        "2024-09-01T00:00:00.000Z",
        "2024-09-01T23:59:59.000Z",
    )
    size = items[0]["umm"]["DataGranule"]["ArchiveAndDistributionInformation"][0]["SizeInBytes"]
    assert float(first["granule_size"]) == pytest.approx(size / 1048576)
    assert first["boxes"] == ["60 -180 90 180"]
    rels = {link["rel"].rsplit("/", 1)[1]: link["href"] for link in first["links"]}
    assert rels["data#"].startswith(nasa_demo.standins.data_url)
    assert rels["s3#"] == "s3://demo-nsidc-protected/seaice/seaice_20240901.nc"
    assert any(
        link["href"] == nasa_demo.state.daac_url("nsidc") and link["rel"].endswith("metadata#")
        for link in first["links"]
    )


def test_swath_granules_have_polygons(nasa_demo: NasaDemo) -> None:
    params = {"collection_concept_id": cmr.SWATHS_CONCEPT_ID, "page_size": "1"}
    umm = nasa_demo.search("granules.umm_json", params).json()["items"][0]["umm"]
    points = umm["SpatialExtent"]["HorizontalSpatialDomain"]["Geometry"]["GPolygons"][0][
        "Boundary"
    ]["Points"]
    assert points[0] == points[-1] and len(points) == 5
    atom = entries(nasa_demo.search("granules.json", params))[0]
    ring = atom["polygons"][0][0].split()
    assert len(ring) == 10  # lat lon pairs
    assert float(ring[0]) == points[0]["Latitude"] and float(ring[1]) == points[0]["Longitude"]
