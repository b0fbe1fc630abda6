"""CMR records as NASA really writes them, turned into the data browser's models: sizes
in CMR's units (MB is a MiB, "NA" is unknown), footprints across the antimeridian, round
a pole and along an orbit, files named "Not provided", and the links' media types.

The records are literal, shaped as recorded answers of PO.DAAC, GES DISC, NSIDC
(ICESat-2), LAADS (MODIS) and ORNL; each model is checked against the REST contract."""

from __future__ import annotations

from typing import Any

import pytest
from jsonschema import Draft202012Validator

from cloudscapes.data.cmr import collection_model, granule_model, inclination_of
from cloudscapes.data.footprints import orbit_only
from cloudscapes.testing import cmr
from cloudscapes.testing.cmr.special import (
    SWATH_ACROSS,
    SWATH_NORTH_POLE,
    SWATH_SOUTH_POLE,
    special_objects,
    swath_ring,
)

from .conftest import CONTRACT

GRANULE_SCHEMA = Draft202012Validator(
    {"$ref": "data.yaml#/components/schemas/Granule"}, registry=CONTRACT.registry
)
COLLECTION_SCHEMA = Draft202012Validator(
    {"$ref": "data.yaml#/components/schemas/Collection"}, registry=CONTRACT.registry
)


def granule(umm: dict[str, Any], **kw: Any) -> dict[str, Any]:
    item = {
        "meta": {"concept-id": "G1-TEST", "collection-concept-id": "C1-TEST"},
        "umm": {"GranuleUR": "test-granule", **umm},
    }
    model = granule_model(item, "C1-TEST", **kw)
    GRANULE_SCHEMA.validate(model)
    return model


def archive(*entries: dict[str, Any]) -> dict[str, Any]:
    return {"DataGranule": {"ArchiveAndDistributionInformation": list(entries)}}


def geometry(**shapes: Any) -> dict[str, Any]:
    return {"SpatialExtent": {"HorizontalSpatialDomain": {"Geometry": shapes}}}


def ring(*points: tuple[float, float]) -> dict[str, Any]:
    return {"Boundary": {"Points": [{"Longitude": lon, "Latitude": lat} for lon, lat in points]}}


def rect(west: float, south: float, east: float, north: float) -> dict[str, float]:
    return {
        "WestBoundingCoordinate": west,
        "SouthBoundingCoordinate": south,
        "EastBoundingCoordinate": east,
        "NorthBoundingCoordinate": north,
    }


# ---- sizes -------------------------------------------------------------------------------


def test_gesdisc_megabytes_are_mebibytes():
    # GES DISC writes Size in MB (a MiB) only: 10,562,588 bytes, not 10,073,268.89
    model = granule(
        archive({"Name": "3B-HHR.MS.MRG.3IMERG.nc4", "Size": 10.073268890380859, "SizeUnit": "MB"})
    )
    assert model["files"][0]["size_bytes"] == 10_562_588
    assert model["size_bytes"] == 10_562_588


def test_podaac_sizes_rounded_to_four_decimals_and_the_other_binary_units():
    model = granule(
        archive(
            {
                "Name": "GRCTellus.JPL.200204_200205.GLO.RL06.3M.MSCNv04CRI.nc",
                "Size": 2.5043,
                "SizeUnit": "MB",
            },
            {
                "Name": "GRCTellus.JPL.200204_200205.GLO.RL06.3M.MSCNv04CRI.tif",
                "Size": 12.5,
                "SizeUnit": "KB",
            },
            {"Name": "big.h5", "Size": 1.5, "SizeUnit": "GB"},
            {"Name": "bytes.txt", "Size": 812, "SizeUnit": "B"},
        )
    )
    sizes = [f["size_bytes"] for f in model["files"]]
    assert sizes == [round(2.5043 * 2**20), 12_800, 1.5 * 2**30, 812]
    assert model["size_bytes"] == sum(sizes)


def test_size_in_bytes_wins_over_size_and_unit():
    # PO.DAAC and LAADS give both; the ratio is exactly 1.048576
    model = granule(
        archive({"Name": "a.nc", "SizeInBytes": 10_485_760, "Size": 10.0, "SizeUnit": "MB"}),
    )
    assert model["files"][0]["size_bytes"] == 10_485_760


def test_nsidc_na_unit_is_unknown_and_so_is_the_granule_total():
    model = granule(
        archive(
            {"Name": "ATL06_20240101000000_01234567_006_02.h5", "Size": 37.8, "SizeUnit": "NA"},
            {"Name": "ATL06_20240101000000_01234567_006_02.iso.xml", "SizeInBytes": 41_230},
        )
    )
    assert [f["size_bytes"] for f in model["files"]] == [None, 41_230]
    assert model["size_bytes"] is None  # not 41,230: one file's size is unknown


@pytest.mark.parametrize(
    "entry",
    [
        {"Name": "x.nc", "Size": 3.2},  # a Size with no unit
        {"Name": "x.nc", "Size": 3.2, "SizeUnit": "furlongs"},
        {"Name": "x.nc", "Size": "big", "SizeUnit": "MB"},
        {"Name": "x.nc"},
    ],
)
def test_a_size_cmr_does_not_pin_down_is_unknown(entry):
    model = granule(archive(entry))
    assert model["files"][0]["size_bytes"] is None
    assert model["size_bytes"] is None


# ---- footprints --------------------------------------------------------------------------


def test_modis_swath_across_the_antimeridian_is_a_narrow_box_west_of_east():
    swath = ring((165.2, 10.1), (-170.4, 12.3), (-166.0, 30.2), (171.9, 28.0), (165.2, 10.1))
    model = granule(geometry(GPolygons=[swath]))
    footprint = model["footprint"]
    assert footprint["bbox"] == [165.2, 10.1, -166.0, 30.2]  # not [-170.4, …, 171.9]: 342° wide
    assert footprint["kind"] == "polygon" and footprint["approximate"] is False
    assert footprint["note"] is None
    assert footprint["polygons"] == [
        [[p["Longitude"], p["Latitude"]] for p in swath["Boundary"]["Points"]]
    ]


def test_an_ordinary_polygon_keeps_its_plain_box():
    model = granule(geometry(GPolygons=[ring((-10, 40), (5, 40), (5, 55), (-10, 55), (-10, 40))]))
    assert model["footprint"]["bbox"] == [-10, 40, 5, 55]


@pytest.mark.parametrize("pole", [1, -1])
def test_a_ring_round_a_pole_reaches_the_pole(pole):
    # MODIS swaths over the pole: 12 points that go all the way round in longitude
    points = [(lon, pole * (78 + (i % 3))) for i, lon in enumerate(range(-180, 180, 30))]
    model = granule(geometry(GPolygons=[ring(*points, points[0])]))
    footprint = model["footprint"]
    expected = [-180, 78, 180, 90] if pole == 1 else [-180, -90, 180, -78]
    assert footprint["bbox"] == expected
    assert len(footprint["polygons"][0]) == 13  # the ring is kept for the map


def test_a_polar_ring_written_westwards_and_not_closed():
    points = [(lon, -79.5) for lon in range(170, -190, -40)]
    model = granule(geometry(GPolygons=[ring(*points)]))
    assert model["footprint"]["bbox"] == [-180, -90, 180, -79.5]


def test_several_rectangles_are_united_on_the_circle():
    # CMR writes boxes across the antimeridian with west > east
    model = granule(geometry(BoundingRectangles=[rect(170, -5, -175, 5), rect(-178, 0, -160, 8)]))
    assert model["footprint"]["bbox"] == [170, -5, -160, 8]
    assert model["footprint"]["kind"] == "box" and model["footprint"]["polygons"] == []
    # two boxes either side of ±180: the 40° box across it, not 340° the other way
    model = granule(geometry(BoundingRectangles=[rect(-170, 0, -160, 1), rect(160, 2, 170, 3)]))
    assert model["footprint"]["bbox"] == [160, 0, -160, 3]
    # a global box stays global
    model = granule(geometry(BoundingRectangles=[rect(-180, -90, 180, 90)]))
    assert model["footprint"]["bbox"] == [-180, -90, 180, 90]


def test_rectangles_that_go_all_the_way_round_are_global():
    boxes = [rect(-180, 0, -30, 10), rect(-40, 0, 100, 10), rect(90, 0, -170, 10)]
    model = granule(geometry(BoundingRectangles=boxes))
    assert model["footprint"]["bbox"] == [-180, 0, 180, 10]


def test_a_collection_split_at_the_antimeridian_is_one_box_across_it():
    # collections over the Pacific often come as two boxes meeting at ±180
    boxes = [rect(120, -30, 180, 30), rect(-180, -30, -70, 30)]
    item = {
        "meta": {"concept-id": "C1-TEST", "provider-id": "POCLOUD"},
        "umm": {
            "ShortName": "PACIFIC",
            "SpatialExtent": {
                "HorizontalSpatialDomain": {"Geometry": {"BoundingRectangles": boxes}}
            },
        },
    }
    model = collection_model(item, lambda *_: None)
    COLLECTION_SCHEMA.validate(model)
    assert model["bbox"] == [120, -30, -70, 30]  # not the whole world


def orbit(start: float, start_dir: str, end: float, end_dir: str, crossing: float = -123.4):
    return {
        "SpatialExtent": {
            "HorizontalSpatialDomain": {
                "Orbit": {
                    "AscendingCrossing": crossing,
                    "StartLatitude": start,
                    "StartDirection": start_dir,
                    "EndLatitude": end,
                    "EndDirection": end_dir,
                },
                "Track": {"Cycle": 22, "Passes": [{"Pass": 1234, "Tiles": ["1L", "1R"]}]},
            }
        }
    }


def test_icesat2_orbit_only_granule_is_an_approximate_latitude_band():
    footprint = granule(orbit(27.0, "A", 59.5, "A"))["footprint"]
    assert footprint["kind"] == "orbit" and footprint["approximate"] is True
    assert footprint["polygons"] == []
    assert footprint["bbox"] == [-180, 27.0, 180, 59.5]
    assert footprint["note"] == (
        "Approximate: orbit from 27.0° N to 59.5° N (ascending crossing 123.4° W); "
        "CMR has no footprint for this granule"
    )


def test_orbit_bands_that_pass_a_turning_latitude():
    # ascending to descending goes over ICESat-2's 88° N (inclination 92°)
    over_north = granule(orbit(60.0, "A", 70.5, "D"))["footprint"]
    assert over_north["bbox"] == [-180, 60.0, 180, 88.0]
    assert "88.0° N" in over_north["note"]
    over_south = granule(orbit(-65.0, "D", -40.0, "A", crossing=45.0))["footprint"]
    assert over_south["bbox"] == [-180, -88.0, 180, -40.0]
    assert "88.0° S" in over_south["note"] and "45.0° E" in over_south["note"]
    descending = granule(orbit(59.5, "D", 27.0, "D"))["footprint"]
    assert descending["bbox"] == [-180, 27.0, 180, 59.5]


def test_an_orbit_that_cannot_be_placed_is_the_whole_band_it_covers():
    # a track with no orbit latitudes (ATL08-like), and an ascending segment ending lower
    # than it started (it went round a whole orbit)
    track_only = {"SpatialExtent": {"HorizontalSpatialDomain": {"Track": {"Cycle": 3}}}}
    footprint = granule(track_only)["footprint"]
    assert footprint["kind"] == "orbit" and footprint["bbox"] == [-180, -88.0, 180, 88.0]
    assert footprint["approximate"] is True and "88.0° S" in footprint["note"]
    assert granule(orbit(50.0, "A", 20.0, "A"))["footprint"]["bbox"] == [-180, -88, 180, 88]


def test_points_and_lines_have_a_box():
    shapes = geometry(
        Points=[{"Longitude": 179.5, "Latitude": 1.0}],
        Lines=[
            {
                "Points": [
                    {"Longitude": -179.0, "Latitude": 2.0},
                    {"Longitude": -175.0, "Latitude": 3.0},
                ]
            }
        ],
    )
    footprint = granule(shapes)["footprint"]
    assert footprint["bbox"] == [179.5, 1.0, -175.0, 3.0] and footprint["kind"] == "box"


def test_a_granule_without_spatial_information_has_no_footprint():
    footprint = granule({})["footprint"]
    assert footprint == {
        "bbox": None,
        "polygons": [],
        "kind": "none",
        "approximate": False,
        "note": None,
    }


def test_garbled_coordinates_are_left_out_not_fatal():
    model = granule(
        geometry(
            GPolygons=[ring(("x", 1), (2, 3)), ring((10, 95), (11, 0))],
            BoundingRectangles=[rect(1, 2, 3, 4), {"WestBoundingCoordinate": None}],
        )
    )
    assert model["footprint"]["bbox"] == [1, 2, 3, 4]
    assert model["footprint"]["polygons"] == []


# ---- names and media types ---------------------------------------------------------------

LAADS = "https://ladsweb.modaps.eosdis.nasa.gov/archive/allData/61/MOD021KM/2024/001/"


def test_not_provided_names_come_from_the_data_link():
    model = granule(
        {
            **archive({"Name": "Not provided", "Size": 146.2, "SizeUnit": "MB"}),
            "RelatedUrls": [
                {"URL": LAADS + "MOD021KM.A2024001.0000.061.2024001123456.hdf", "Type": "GET DATA"},
                {
                    "URL": "https://ladsweb.modaps.eosdis.nasa.gov/browse.jpg",
                    "Type": "GET RELATED VISUALIZATION",
                },
            ],
        }
    )
    assert model["files"][0]["name"] == "MOD021KM.A2024001.0000.061.2024001123456.hdf"
    assert model["files"][0]["size_bytes"] == round(146.2 * 2**20)


def test_unnamed_files_match_their_links_by_position_and_names_are_url_decoded():
    model = granule(
        {
            **archive(
                {"Name": "NOT PROVIDED", "SizeInBytes": 1},
                {"Name": "", "SizeInBytes": 2},
                {"Name": "given.txt", "SizeInBytes": 3},
            ),
            "RelatedUrls": [
                {"URL": "https://data.example/a/first%20file.nc", "Type": "GET DATA"},
                {"URL": "https://data.example/a/second.tif", "Type": "GET DATA"},
                {"URL": "https://data.example/a/given.txt", "Type": "GET DATA"},
            ],
        }
    )
    assert [f["name"] for f in model["files"]] == ["first file.nc", "second.tif", "given.txt"]


def test_unnamed_files_past_the_links_take_the_first_link_or_the_s3_one():
    model = granule(
        {
            **archive({"Name": "x.nc"}, {"Name": "Not provided"}),
            "RelatedUrls": [
                {"URL": "s3://bucket/path/only.nc", "Type": "GET DATA VIA DIRECT ACCESS"},
            ],
        }
    )
    assert [f["name"] for f in model["files"]] == ["x.nc", "only.nc"]


def test_media_types_of_the_data_links():
    model = granule(
        {
            "RelatedUrls": [
                {
                    "URL": "https://d.example/g.nc",
                    "Type": "GET DATA",
                    "MimeType": "application/x-netcdf",
                },
                {"URL": "https://d.example/g.tif", "Type": "GET DATA", "MimeType": "image/tiff"},
                {"URL": "https://d.example/g.txt", "Type": "GET DATA"},
                {
                    "URL": "s3://b/g.nc",
                    "Type": "GET DATA VIA DIRECT ACCESS",
                    "MimeType": "application/x-netcdf",
                },
                {
                    "URL": "https://d.example/g.png",
                    "Type": "GET RELATED VISUALIZATION",
                    "MimeType": "image/png",
                },
                {
                    "URL": "https://d.example/opendap/g.nc",
                    "Type": "USE SERVICE API",
                    "Subtype": "OPENDAP DATA",
                    "MimeType": "text/html",
                },
            ]
        }
    )
    assert model["media_types"] == {
        "https://d.example/g.nc": "application/x-netcdf",
        "https://d.example/g.tif": "image/tiff",
        "s3://b/g.nc": "application/x-netcdf",
    }
    assert model["browse_url"] == "https://d.example/g.png"
    assert model["https_urls"] == [
        "https://d.example/g.nc",
        "https://d.example/g.tif",
        "https://d.example/g.txt",
    ]


def test_the_collections_inclination_places_its_orbit_bands():
    collection = {
        "umm": {
            "SpatialExtent": {
                "GranuleSpatialRepresentation": "ORBIT",
                "OrbitParameters": {"InclinationAngle": 98.2, "SwathWidth": 2330, "Period": 98.9},
            }
        }
    }
    inclination = inclination_of(collection)
    assert inclination == 98.2
    # the service asks for the collection only when a granule needs it
    assert orbit_only(orbit(60.0, "A", 70.5, "D"))
    assert not orbit_only(geometry(BoundingRectangles=[rect(1, 2, 3, 4)])) and not orbit_only({})
    band = granule(orbit(60.0, "A", 70.5, "D"), inclination=inclination)["footprint"]["bbox"]
    assert band == pytest.approx([-180, 60.0, 180, 81.8])
    assert inclination_of({"umm": {}}) is None
    assert (
        inclination_of({"umm": {"SpatialExtent": {"OrbitParameters": {"InclinationAngle": "x"}}}})
        is None
    )


# ---- through the route, against the stand-in's realistic collections ---------------------

MIB = 2**20


async def all_granules(api, concept_id: str) -> list[dict[str, Any]]:
    status, page = await api(f"data/collections/{concept_id}/granules?page_size=50")
    assert status == 200 and page["cursor"] is None
    assert len(page["items"]) == page["hits"]
    return page["items"]


def seeded_sizes() -> dict[str, int]:
    return {o.key.rsplit("/", 1)[-1]: len(o.body) for o in special_objects()}


@pytest.mark.usefixtures("earthdata")
async def test_route_tellus_like_sizes_in_mib_and_media_types(api):
    sizes = seeded_sizes()
    granules = await all_granules(api, cmr.MIXED_CONCEPT_ID)
    assert len(granules) == 3
    for granule in granules:
        names = [f["name"] for f in granule["files"]]
        assert [n.rsplit(".", 1)[-1] for n in names] == ["nc", "tif", "txt"]
        for f in granule["files"]:
            # Size is MiB rounded to 4 decimals: within 53 bytes, not 4.9 % off
            assert abs(f["size_bytes"] - sizes[f["name"]]) <= 0.00005 * MIB
        assert granule["size_bytes"] == sum(f["size_bytes"] for f in granule["files"])
        types = granule["media_types"]
        assert len(types) == 6  # https and s3 of the three data files; not browse, OPeNDAP
        nc = [u for u in granule["https_urls"] + granule["s3_urls"] if u.endswith(".nc")]
        assert len(nc) == 2 and {types[u] for u in nc} == {"application/x-netcdf"}
        assert {types[u] for u in types if u.endswith(".tif")} == {"image/tiff"}
        assert granule["footprint"]["kind"] == "box"


@pytest.mark.usefixtures("earthdata")
async def test_route_daymet_like_size_in_bytes_is_exact(api):
    sizes = seeded_sizes()
    for granule in await all_granules(api, cmr.CHECKSUM_CONCEPT_ID):
        assert [f["size_bytes"] for f in granule["files"]] == [
            sizes[f["name"]] for f in granule["files"]
        ]
        assert granule["footprint"]["bbox"] == [-160, 19, -155, 22]


@pytest.mark.usefixtures("earthdata")
async def test_route_icesat2_like_orbit_bands(api):
    granules = await all_granules(api, cmr.ORBIT_CONCEPT_ID)
    assert [g["concept_id"] for g in granules] == list(cmr.ORBIT_GRANULE_IDS)
    bands = [g["footprint"]["bbox"] for g in granules]
    assert bands == [
        [-180, 27.0, 180, 59.5],  # ascending
        [-180, 60.0, 180, 88.0],  # over the northern turn
        [-180, -10.0, 180, 50.0],  # descending
        [-180, -88.0, 180, -60.0],  # under the southern turn
    ]
    for granule in granules:
        footprint = granule["footprint"]
        assert footprint["kind"] == "orbit" and footprint["approximate"] is True
        assert footprint["polygons"] == [] and footprint["note"].startswith("Approximate: orbit")
        assert granule["files"][0]["size_bytes"] is None  # SizeUnit "NA"
        assert granule["size_bytes"] is None
    assert "123.4° W" in granules[0]["footprint"]["note"]


@pytest.mark.usefixtures("earthdata")
async def test_route_modis_like_swaths_across_the_antimeridian_and_round_the_poles(api):
    granules = await all_granules(api, cmr.SWATH_CONCEPT_ID)
    assert [g["concept_id"] for g in granules] == list(cmr.SWATH_GRANULE_IDS)
    for j, granule in enumerate(granules):
        ring = swath_ring(j)
        footprint = granule["footprint"]
        assert footprint["kind"] == "polygon"
        assert footprint["polygons"] == [[list(p) for p in ring]]
        west, _, east, _ = footprint["bbox"]
        if j == SWATH_NORTH_POLE:
            assert footprint["bbox"] == [-180, 78, 180, 90]
        elif j == SWATH_SOUTH_POLE:
            assert footprint["bbox"] == [-180, -90, 180, -78]
        else:
            assert footprint["bbox"] == [ring[0][0], ring[0][1], ring[2][0], ring[2][1]]
            assert (west > east) == (j in SWATH_ACROSS)
            assert (east - west) % 360 == 30  # never 330 the wrong way round
        # "Not provided" in CMR: the name of the LAADS link
        (file,) = granule["files"]
        assert file["name"] == granule["title"] == granule["https_urls"][0].rsplit("/", 1)[-1]
        assert file["size_bytes"] == round(round(file["size_bytes"] / MIB, 2) * MIB)
        assert 38 * MIB <= file["size_bytes"] <= 58 * MIB
        assert granule["media_types"] == {granule["https_urls"][0]: "application/x-hdf"}
    assert sum(g["footprint"]["bbox"][0] > g["footprint"]["bbox"][2] for g in granules) == 7


@pytest.mark.usefixtures("earthdata")
async def test_route_swot_like_swath_across_the_antimeridian(api):
    granules = await all_granules(api, cmr.SWOT_CONCEPT_ID)
    assert [g["footprint"]["bbox"] for g in granules] == [
        [-130, -30, -115, 10],
        [172, -20, -172, 20],
        [20, -60, 40, -20],
    ]
