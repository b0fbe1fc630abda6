"""Inserted code for the stand-in's collections shaped as NASA's real ones, run in a real
Python process (tests/kernels.py) against the DAAC and data-host stand-ins and moto S3:
a TELLUS-like granule of NetCDF + GeoTIFF + text (S3 and HTTPS), Daymet-like NetCDF with
its checksum (ORNL by provider), SWOT-like granules whose collection names its own
credentials endpoint, and on-premises LAADS swaths (HDF4) over HTTPS."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from cloudscapes.testing.cmr import (
    CHECKSUM_CONCEPT_ID,
    CHECKSUM_GRANULE_IDS,
    MIXED_GRANULE_IDS,
    ORBIT_GRANULE_IDS,
    SWATH_GRANULE_IDS,
    SWOT_GRANULE_IDS,
)
from cloudscapes.testing.datasets import SWOT_BUCKET

from .kernels import run_python
from .test_data_code import granule_code, kernel_env, sign_in

pytestmark = pytest.mark.usefixtures("earthdata")

IN_REGION = pytest.mark.parametrize("earthdata_config", [{"in_region": True}])
OUT_OF_REGION = pytest.mark.parametrize("earthdata_config", [{"in_region": False}])
DIRECT = pytest.mark.parametrize("data_config", [{"granule_code": "direct"}])
#: what the mixed granules' code prints when every format was opened
MIXED_CHECK = """
print("netcdf", sorted(ds_netcdf.data_vars), dict(ds_netcdf.sizes)["time"])
print("geotiff", len(da_geotiff), da_geotiff[0].rio.crs)
"""


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def check_mixed(answer: dict, out: str) -> None:
    assert [(f["id"], f["files"], f["opened"]) for f in answer["formats"]] == [
        ("netcdf", 2, True),
        ("geotiff", 2, True),
        ("text", 2, True),
    ]
    assert "netcdf ['lwe_thickness'] 2" in out
    assert "geotiff 2 EPSG:4326" in out
    assert out.count("--- ") == 2  # both README texts printed


@IN_REGION
@DIRECT
async def test_mixed_format_granules_open_each_format_through_s3(api, earthdata_state):
    earthdata_state.eula_daacs.discard("podaac")  # the demo user accepted PO.DAAC's EULA
    await sign_in(api)
    status, answer, _ = await granule_code(api, 2, MIXED_GRANULE_IDS)
    assert status == 200 and answer["template"] == "granules_s3"
    assert "profile='earthdata-podaac'" in answer["code"]
    out = await run_python(answer["code"] + MIXED_CHECK, kernel_env())
    check_mixed(answer, out)
    # the user picks one format: only it is opened, and it is ``ds``
    status, answer, _ = await granule_code(api, 2, MIXED_GRANULE_IDS, formats=["netcdf"])
    assert [f["opened"] for f in answer["formats"]] == [True, False, False]
    assert [x["reason"] for x in answer["left_out"]] == ["format not chosen"] * 4
    out = await run_python(answer["code"] + "\nprint(sorted(ds.data_vars))\n", kernel_env())
    assert "lwe_thickness" in out and ".tif" not in answer["code"].split("urls = ")[1]


@OUT_OF_REGION
@DIRECT
async def test_mixed_format_granules_open_each_format_over_https(api, earthdata_state):
    earthdata_state.eula_daacs.discard("podaac")
    await sign_in(api)
    status, answer, _ = await granule_code(api, 2, MIXED_GRANULE_IDS)
    assert status == 200 and answer["template"] == "granules_https"
    assert "eyJ" not in answer["code"]
    out = await run_python(answer["code"] + MIXED_CHECK, kernel_env())
    check_mixed(answer, out)


@IN_REGION
async def test_earthaccess_code_keeps_only_the_chosen_files(api):
    status, answer, _ = await granule_code(api, 2, CHECKSUM_GRANULE_IDS)
    assert status == 200 and answer["template"] == "granules_earthaccess"
    code = answer["code"]
    compile(code, "<inserted>", "exec")
    kept = code.split("names = ", 1)[1].split("]", 1)[0]
    assert ".nc'" in kept and ".sha256" not in kept
    assert "checksum" in code.split("import earthaccess")[0]  # said in the header


@IN_REGION
@DIRECT
async def test_checksums_are_left_out_and_ornl_is_found_by_its_provider(api, earthdata_state):
    earthdata_state.forbidden_daacs.discard("ornldaac")  # the demo user may read ORNL
    await sign_in(api)
    status, collection = await api(f"data/collections/{CHECKSUM_CONCEPT_ID}")
    assert status == 200 and collection["s3_credentials_endpoint"] is None
    assert collection["daac"] == "ornldaac"
    status, answer, _ = await granule_code(api, 2, CHECKSUM_GRANULE_IDS)
    assert status == 200
    assert answer["formats"] == [
        {"id": "netcdf", "label": "NetCDF / HDF5", "files": 2, "opened": True}
    ]
    assert [x["reason"] for x in answer["left_out"]] == ["checksum", "checksum"]
    assert all(x["name"].endswith(".nc.sha256") for x in answer["left_out"])
    assert "profile='earthdata-ornldaac'" in answer["code"]
    out = await run_python(answer["code"] + "\nprint(sorted(ds.data_vars))\n", kernel_env())
    assert "[" in out


class TestSwot:
    """A collection whose S3CredentialsAPIEndpoint is outside the DAAC table."""

    @pytest.fixture
    def earthdata_config(self, earthdata):
        return {"in_region": True, "credential_origins": [origin(earthdata.daac_url("swot"))]}

    @pytest.fixture
    def data_config(self):
        return {"granule_code": "direct"}

    async def test_its_code_reads_its_bucket_through_its_own_profile(self, api, earthdata_state):
        earthdata_state.eula_daacs.discard("podaac")
        await sign_in(api)
        status, answer, _ = await granule_code(api, 3, SWOT_GRANULE_IDS)
        assert status == 200
        code = answer["code"]
        assert "profile='earthdata-swot'" in code and f"s3://{SWOT_BUCKET}/" in code
        out = await run_python(code + "\nprint('swot', dict(ds.sizes))\n", kernel_env())
        assert "swot {" in out
        # PO.DAAC's keys (the provider's DAAC) are refused on the SWOT bucket
        podaac = code.replace("profile='earthdata-swot'", "profile='earthdata-podaac'")
        await api("earthdata/aws-profiles", method="POST", body={"daacs": ["podaac"]})
        with pytest.raises(AssertionError, match="HeadObject operation: Forbidden"):
            await run_python(podaac, kernel_env())
        _, listing = await api("earthdata/credentials")
        swot = next(d for d in listing["daacs"] if d["daac"] == "swot")
        assert swot["endpoint"] == earthdata_state.daac_url("swot")
        assert swot["profile"] == "earthdata-swot"


@pytest.mark.parametrize("earthdata_config", [{"in_region": True, "credential_origins": []}])
@DIRECT
async def test_swot_without_an_allowed_endpoint_is_refused_not_podaac(api, jp_serverapp):
    await sign_in(api)
    status, err, _ = await granule_code(api, 1, SWOT_GRANULE_IDS)
    assert (status, err["error"]["code"]) == (400, "endpoint_not_allowed")
    assert "credential_origins" in err["error"]["hint"]


@OUT_OF_REGION
@DIRECT
async def test_on_premises_laads_swaths_get_https_code_for_hdf4(api):
    await sign_in(api)
    status, answer, _ = await granule_code(api, 3, SWATH_GRANULE_IDS)
    assert status == 200 and answer["template"] == "granules_https"
    assert [(f["id"], f["files"]) for f in answer["formats"]] == [("hdf4", 3)]
    code = answer["code"]
    assert "https://ladsweb.modaps.eosdis.nasa.gov/archive/allData/61/MOD021KM/" in code
    assert "pyhdf" in code and 'engine="h5netcdf"' not in code
    compile(code, "<inserted>", "exec")


@IN_REGION
async def test_icesat2_h5_files_open_as_netcdf_and_the_iso_xml_is_not_a_data_file(api):
    status, answer, _ = await granule_code(api, 2, ORBIT_GRANULE_IDS)
    assert status == 200
    assert [f["id"] for f in answer["formats"]] == ["netcdf"]
    assert ".iso.xml" not in answer["code"]
