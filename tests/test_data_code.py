"""Inserted code (``POST data/code``): files grouped by format with their openers, what is
left out, the DAAC and profile whose keys read the buckets, and the hosts that receive the
token. Generated code runs in a real Python process against the stand-ins and moto S3
(tests/kernels.py); the format rules also run on literal granule models shaped as CMR's."""

from __future__ import annotations

import json
import os
from urllib.parse import urlsplit

import pytest

from cloudscapes.earthdata.service import EarthdataService
from cloudscapes.testing import cmr
from cloudscapes.testing.datasets import (
    DEMO_PUBLIC_BUCKET,
    MANY_PREFIX,
    PUBLIC_GEOTIFF_KEY,
    PUBLIC_NETCDF_KEY,
    PUBLIC_README_KEY,
    elevation_geotiff,
)

from .kernels import run_python

# Every test of this module talks to the NASA stand-ins (EDL, DAACs, CMR, moto S3).
pytestmark = pytest.mark.usefixtures("earthdata")

PUBLIC = f"public:{DEMO_PUBLIC_BUCKET}"
SITE_TEMPLATE = "# site template\nfor url in $urls:\n    print(url)\n"


async def sign_in(api, remember: bool = True) -> None:
    status, _ = await api(
        "earthdata/session",
        method="POST",
        body={"username": "demo", "password": "s3cret #1", "remember": remember},
    )
    assert status == 200


def data_service(serverapp):
    (app,) = serverapp.extension_manager.extension_apps["cloudscapes"]
    return app.services["data"]


def kernel_env() -> dict[str, str]:
    env = dict(os.environ)
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        env.pop(name, None)
    return env


async def granule_code(
    api, count: int, ids: tuple[str, ...] = cmr.DEMO_GRANULE_IDS, **body
) -> tuple[int, dict, list[str]]:
    """``POST data/code`` for the first ``count`` granules of ``ids`` (the demo's):
    status, answer, their ids."""
    chosen = list(ids[:count])
    status, answer = await api("data/code", method="POST", body={"granules": chosen, **body})
    return status, answer, chosen


async def test_object_code_opens_the_public_netcdf_and_geotiff(api):
    status, answer = await api(
        "data/code", method="POST", body={"objects": [{"source": PUBLIC, "key": PUBLIC_NETCDF_KEY}]}
    )
    assert status == 200 and answer["access"] == "unsigned"
    code = answer["code"]
    assert code.startswith("# From the Cloudscapes data browser")
    assert f"s3://{DEMO_PUBLIC_BUCKET}/{PUBLIC_NETCDF_KEY}" in code
    out = await run_python(code + "\nprint(sorted(ds.data_vars))\n", kernel_env())
    assert "sea_ice_concentration" in out
    _, answer = await api(
        "data/code",
        method="POST",
        body={"objects": [{"source": PUBLIC, "key": PUBLIC_GEOTIFF_KEY}]},
    )
    out = await run_python(answer["code"] + "\nprint(ds.rio.crs, ds.shape)\n", kernel_env())
    assert "EPSG:4326" in out


@pytest.mark.parametrize("earthdata_config", [{"in_region": True}])
@pytest.mark.parametrize("data_config", [{"granule_code": "direct"}])
async def test_granule_code_in_region_reads_s3_through_the_profile(api):
    await sign_in(api, remember=True)
    status, answer, _ = await granule_code(api, 2)
    assert status == 200 and answer["access"] == "s3" and answer["template"] == "granules_s3"
    code = answer["code"]
    assert "DEMO_SEAICE v1" in code and "2 granules" in code
    assert 'profile="earthdata-nsidc"' in code or "profile='earthdata-nsidc'" in code
    assert "eyJ" not in code and "s3cret" not in code  # no secret in the notebook
    out = await run_python(code + "\nprint(dict(ds.sizes))\n", kernel_env())
    assert "'time': 2" in out


@pytest.mark.parametrize("earthdata_config", [{"in_region": False}])
@pytest.mark.parametrize("data_config", [{"granule_code": "direct"}])
async def test_granule_code_out_of_region_reads_https_with_the_token(api):
    await sign_in(api, remember=True)
    status, answer, _ = await granule_code(api, 1)
    assert status == 200 and answer["access"] == "https"
    assert "eyJ" not in answer["code"]
    out = await run_python(answer["code"] + "\nprint(sorted(ds.data_vars))\n", kernel_env())
    assert "sea_ice_concentration" in out


@pytest.mark.parametrize("earthdata_config", [{"in_region": True}])
@pytest.mark.parametrize("data_config", [{"granule_code": "direct"}])
async def test_the_answer_lists_the_formats_and_an_unknown_one_is_400_naming_them(api):
    await sign_in(api)
    status, answer, _ = await granule_code(api, 2)
    assert status == 200
    assert answer["formats"] == [
        {"id": "netcdf", "label": "NetCDF / HDF5", "files": 2, "opened": True}
    ]
    assert answer["left_out"] == []
    status, same, _ = await granule_code(api, 2, formats=["netcdf"])
    assert status == 200 and same["code"] == answer["code"]
    status, err, _ = await granule_code(api, 2, formats=["geotiff", "netcdf"])
    assert (status, err["error"]["code"]) == (400, "unknown_format")
    assert "geotiff" in err["error"]["message"] and "has netcdf" in err["error"]["message"]


@pytest.mark.parametrize("earthdata_config", [{"in_region": True}])
async def test_earthaccess_code_names_the_granules(api):
    status, answer, ids = await granule_code(api, 2)
    assert status == 200 and answer["template"] == "granules_earthaccess"
    code = answer["code"]
    compile(code, "<inserted>", "exec")
    assert "earthaccess.search_data(concept_id=" in code
    assert all(repr(i) in code for i in ids)
    assert "S3 in us-west-2" in code


async def test_object_code_of_mixed_formats_opens_each_with_its_opener(api):
    keys = [PUBLIC_README_KEY, PUBLIC_GEOTIFF_KEY, PUBLIC_NETCDF_KEY, "netcdf/x.nc.sha256"]
    body = {"objects": [{"source": PUBLIC, "key": k} for k in keys]}
    status, answer = await api("data/code", method="POST", body=body)
    assert status == 200
    assert [(f["id"], f["files"]) for f in answer["formats"]] == [
        ("netcdf", 1),
        ("geotiff", 1),
        ("text", 1),
    ]
    assert answer["left_out"] == [{"name": "x.nc.sha256", "reason": "checksum"}]
    code = answer["code"]
    assert "#   Left out 1 file (checksum): x.nc.sha256\n" in code
    check = "\nprint(sorted(ds_netcdf.data_vars), da_geotiff.rio.crs)\n"
    out = await run_python(code + check, kernel_env())
    assert "sea_ice_concentration" in out and "EPSG:4326" in out
    assert "Cloudscapes demo public bucket" in out  # the README, printed
    # only the GeoTIFF: it is ``ds`` then, and the others are left out as not chosen
    status, answer = await api("data/code", method="POST", body={**body, "formats": ["geotiff"]})
    assert [f["opened"] for f in answer["formats"]] == [False, True, False]
    assert {x["reason"] for x in answer["left_out"]} == {"checksum", "format not chosen"}
    out = await run_python(answer["code"] + "\nprint(ds.rio.crs)\n", kernel_env())
    assert "EPSG:4326" in out


async def test_a_picked_object_that_is_not_data_is_opened_not_refused(api):
    # a JSON key of the "many/" prefix: not a data format, but the user chose it
    key = f"{MANY_PREFIX}granule_000001.json"
    body = {"objects": [{"source": PUBLIC, "key": key}]}
    status, answer = await api("data/code", method="POST", body=body)
    assert status == 200, answer
    assert [(f["id"], f["files"]) for f in answer["formats"]] == [("other", 1)]
    assert answer["left_out"] == []
    out = await run_python(answer["code"], kernel_env())
    assert "granule_000001.json" in out


@pytest.mark.parametrize(
    "data_config",
    [{"code_templates": {"objects_unsigned": SITE_TEMPLATE}}],
)
async def test_admin_templates_replace_the_default(api):
    _, answer = await api(
        "data/code", method="POST", body={"objects": [{"source": PUBLIC, "key": "a'b\"c.txt"}]}
    )
    assert answer["code"].startswith("# site template")
    # a quote in a key cannot break out of its string literal
    out = await run_python(answer["code"], kernel_env())
    assert "a'b\"c.txt" in out


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"granules": [], "objects": []},
        {"granules": ["x"]},
        {"granules": ["G1-A"] * 101},
        {"objects": [{"source": PUBLIC}]},
        {"objects": [{"source": PUBLIC, "key": "a"}, {"source": "default", "key": "b"}]},
        {"objects": [{"source": PUBLIC, "key": "a"}], "access": "ftp"},
        {"granules": ["G1-A"], "colour": "red"},
        {"objects": [{"source": "x", "bucket": ["b"], "key": "k"}]},
        {"granules": ["G1-A\n"]},
        {"granules": ["G1-A"], "formats": []},
        {"granules": ["G1-A"], "formats": ["NetCDF"]},
        {"granules": ["G1-A"], "formats": "netcdf"},
    ],
)
async def test_bad_code_requests_are_400(api, body):
    status, err = await api("data/code", method="POST", body=body)
    assert status == 400 and err["error"]["message"]


async def test_code_for_nasa_buckets_needs_a_session(api):
    status, err = await api(
        "data/code",
        method="POST",
        body={
            "objects": [
                {
                    "source": "earthdata:nsidc",
                    "bucket": "demo-nsidc-protected",
                    "key": "seaice/seaice_20240901.nc",
                }
            ]
        },
    )
    assert status == 409 and err["error"]["code"] == "earthdata_not_signed_in"


async def test_a_key_cannot_break_out_of_the_comment_into_code(api):
    key = "a.nc\nimport os; os.system('id')  #\u2028print('x')"
    status, answer = await api(
        "data/code", method="POST", body={"objects": [{"source": PUBLIC, "key": key}]}
    )
    assert status == 200
    code_lines = [line for line in answer["code"].splitlines() if not line.startswith("#")]
    assert not any(line.startswith("import os") for line in code_lines)
    compile(answer["code"], "<inserted>", "exec")
    # the key itself is still there, as a string literal
    assert repr(f"s3://{DEMO_PUBLIC_BUCKET}/{key}") in answer["code"]


@pytest.mark.parametrize("earthdata_config", [{"in_region": False}])
@pytest.mark.parametrize("data_config", [{"granule_code": "direct", "token_origins": []}])
async def test_https_code_never_sends_the_token_to_hosts_outside_the_allowed_ones(api):
    await sign_in(api, remember=True)
    status, err, _ = await granule_code(api, 1)
    # the stand-in's data host is plain http on 127.0.0.1, not an Earthdata domain
    assert status == 400 and "token_hosts" in err["error"]["hint"]


@pytest.mark.parametrize("earthdata_config", [{"in_region": False}])
@pytest.mark.parametrize("data_config", [{"granule_code": "direct"}])
async def test_https_code_needs_a_remembered_session(api):
    await sign_in(api, remember=False)
    status, err, _ = await granule_code(api, 1)
    assert status == 409 and err["error"]["code"] == "earthdata_not_remembered"


def test_token_hosts_match_whole_domains():
    from cloudscapes.handlers import on_domain as _on_domain

    assert _on_domain("data.nsidc.earthdatacloud.nasa.gov", ".earthdatacloud.nasa.gov")
    assert _on_domain("data.nsidc.earthdatacloud.nasa.gov", "earthdatacloud.nasa.gov")
    assert not _on_domain("evilearthdatacloud.nasa.gov", "earthdatacloud.nasa.gov")
    assert not _on_domain("earthdatacloud.nasa.gov.evil.com", ".earthdatacloud.nasa.gov")


def lpcloud_granule_id() -> str:
    """A granule of the catalogue's LP DAAC GeoTIFF collection, whose credentials endpoint
    is the stand-in's ``lpdaac`` DAAC: not in the test server's DAAC table."""
    catalogue = cmr.default_catalogue()
    collection = next(c for c in catalogue.collections if c.provider == "LPCLOUD" and c.cloud)
    return catalogue.granule(collection, 0).concept_id


def daac_origin(standins) -> str:
    parts = urlsplit(standins.daac_url("lpdaac"))
    return f"{parts.scheme}://{parts.netloc}"


@pytest.mark.parametrize("earthdata_config", [{"in_region": True, "credential_origins": []}])
@pytest.mark.parametrize("data_config", [{"granule_code": "direct"}])
async def test_an_own_endpoint_outside_the_allowed_hosts_is_refused_naming_the_traits(
    api, jp_serverapp
):
    await sign_in(api)
    status, err, _ = await granule_code(api, 1, (lpcloud_granule_id(),))
    assert (status, err["error"]["code"]) == (400, "endpoint_not_allowed")
    assert "credential_origins" in err["error"]["hint"]
    # the provider's DAAC is not used instead, and nothing was registered
    assert "lpdaac" not in data_service(jp_serverapp).earthdata.daacs


class TestOwnEndpoints:
    """A collection's own credentials endpoint, allowed by ``credential_origins``."""

    @pytest.fixture
    def earthdata_config(self, earthdata):
        return {"in_region": True, "credential_origins": [daac_origin(earthdata)]}

    @pytest.fixture
    def data_config(self):
        return {"granule_code": "direct"}

    async def test_its_code_reads_through_its_own_profile_after_a_restart_too(
        self, api, jp_serverapp, earthdata, moto_s3
    ):
        await sign_in(api)
        service = data_service(jp_serverapp)
        granule_id = lpcloud_granule_id()
        model = await service.granule(granule_id)
        for url in model["s3_urls"]:  # real GeoTIFFs behind the granule's links
            bucket, key = url[5:].split("/", 1)
            moto_s3.seed(bucket, key, elevation_geotiff(), "image/tiff")
        status, answer, _ = await granule_code(api, 1, (granule_id,))
        assert status == 200 and answer["template"] == "granules_s3"
        assert "profile='earthdata-lpdaac'" in answer["code"]
        out = await run_python(answer["code"] + "\nprint(ds.rio.crs)\n", kernel_env())
        assert "EPSG:4326" in out
        # the DAAC is listed, and kept in the state file for kernels and restarts
        _, listing = await api("earthdata/credentials")
        assert "lpdaac" in [d["daac"] for d in listing["daacs"]]
        saved = json.loads(service.earthdata.state_path.read_text())
        assert saved["own_daacs"] == {"lpdaac": earthdata.daac_url("lpdaac")}
        restarted = EarthdataService(service.earthdata.config)
        restarted.start()
        restarted.stop()
        assert restarted.daacs["lpdaac"].endpoint == earthdata.daac_url("lpdaac")
        # ... unless the admin no longer allows its endpoint
        service.earthdata.config.credential_origins = []
        restarted = EarthdataService(service.earthdata.config)
        restarted.start()
        restarted.stop()
        assert "lpdaac" not in restarted.daacs
