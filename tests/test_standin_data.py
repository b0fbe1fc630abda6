"""The data host and presigned-S3 stand-ins (cloudscapes.testing.earthdata), public
buckets and bulk seeding (.s3) and the demo data (.datasets), read as users read them:
through the data host's redirect, boto3, s3fs, xarray and rasterio.

The stand-ins run on their own IOLoop in a background thread, so these tests use
blocking clients (cloudscapes.testing.client, boto3, s3fs) and never pytest-jupyter's
loop; ``nasa_demo`` (cloudscapes.testing.fixtures.standins) serves them. CMR's search:
test_standin_cmr.py.
"""

from __future__ import annotations

import io
import json
import socket
import time
from http.client import HTTPConnection, HTTPResponse, IncompleteRead
from typing import Any
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import ClientError

from cloudscapes.testing import datasets
from cloudscapes.testing.client import http
from cloudscapes.testing.earthdata import data_server_config, presign
from cloudscapes.testing.fixtures.standins import NasaDemo
from cloudscapes.testing.s3 import MotoS3

SEAICE = f"{datasets.DEMO_GRANULE_PREFIX}seaice_20240903.nc"


# -- data host and presigned S3 ----------------------------------------------------------


def test_download_through_the_data_host(nasa_demo: NasaDemo) -> None:
    token = nasa_demo.token()
    redirect = http("GET", nasa_demo.data(SEAICE), bearer=token)
    assert redirect.status == 307
    location = redirect.header("Location")
    target, data_host = urlsplit(location), urlsplit(nasa_demo.standins.data_url)
    assert target.netloc != data_host.netloc  # another host:port, as S3 is
    query = parse_qs(target.query)
    assert query["X-Amz-Algorithm"] == ["AWS4-HMAC-SHA256"]
    assert {"X-Amz-Expires", "X-Amz-Signature", "X-Amz-Credential", "X-Amz-Date"} <= set(query)
    assert token not in location
    got = http("GET", location)  # without Authorization, as a careful client does
    assert got.status == 200
    expected = nasa_demo.s3.client().get_object(Bucket="demo-nsidc-protected", Key=SEAICE)
    assert got.body == expected["Body"].read()
    assert got.header("Content-Length") == str(len(got.body))
    assert got.header("Content-Type") == "application/x-netcdf"
    assert nasa_demo.state.transfers[-1].complete
    # the data host saw the token, the presign host never did
    assert nasa_demo.state.requests_to("data")[-1].headers["Authorization"] == f"Bearer {token}"
    assert "Authorization" not in nasa_demo.state.requests_to("presign")[-1].headers
    # HEAD gets its own (HEAD-signed) URL
    head = http("HEAD", nasa_demo.data(SEAICE), bearer=token)
    assert head.status == 307
    answer = http("HEAD", head.header("Location"))
    assert answer.status == 200 and answer.header("Content-Length") == str(len(got.body))
    # a URL signed for GET does not work for HEAD (S3 signs the method)
    assert http("HEAD", location).status == 403
    # ranges
    part = http("GET", location, {"Range": "bytes=0-99"})
    assert part.status == 206 and part.body == got.body[:100]
    assert part.header("Content-Range") == f"bytes 0-99/{len(got.body)}"


def test_presign_refuses_a_second_auth_mechanism(nasa_demo: NasaDemo) -> None:
    token = nasa_demo.token()
    location = http("GET", nasa_demo.data(SEAICE), bearer=token).header("Location")
    refused = http("GET", location, bearer=token)
    assert refused.status == 400
    assert refused.header("Content-Type") == "application/xml"
    text = refused.body.decode()
    assert "<Code>InvalidArgument</Code>" in text
    assert (
        "<Message>Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, "
        "Signature query string parameter or the Authorization header should be specified"
        "</Message>"
    ) in text
    assert "<ArgumentName>Authorization</ArgumentName>" in text
    assert token not in text
    # urllib keeps Authorization on redirects to another port: exactly this failure
    followed = http("GET", nasa_demo.data(SEAICE), bearer=token, follow=True)
    assert followed.status == 400 and b"InvalidArgument" in followed.body


def test_presign_signature_and_expiry(nasa_demo: NasaDemo) -> None:
    token = nasa_demo.token()
    location = http("GET", nasa_demo.data(SEAICE), bearer=token).header("Location")
    tampered = location.replace("seaice_20240903", "seaice_20240904")
    reply = http("GET", tampered)
    assert reply.status == 403 and b"<Code>SignatureDoesNotMatch</Code>" in reply.body
    unsigned = http("GET", location.split("?")[0])
    assert unsigned.status == 403 and b"<Code>AccessDenied</Code>" in unsigned.body
    partial = location.replace("X-Amz-Date=", "X-Amz-Nope=")
    assert b"AuthorizationQueryParametersError" in http("GET", partial).body
    missing = presign(nasa_demo.state, "GET", "demo-nsidc-protected", "seaice/nothing.nc", "demo")
    gone = http("GET", missing)
    assert gone.status == 404 and b"<Code>NoSuchKey</Code>" in gone.body
    nasa_demo.state.presign_lifetime = 0
    stale = presign(nasa_demo.state, "GET", "demo-nsidc-protected", SEAICE, "demo")
    time.sleep(1.1)
    expired = http("GET", stale)
    assert expired.status == 403
    assert b"<Message>Request has expired</Message>" in expired.body


def test_data_host_refusals(nasa_demo: NasaDemo) -> None:
    unauthenticated = http("GET", nasa_demo.data(SEAICE))
    assert unauthenticated.status == 302
    target = urlsplit(unauthenticated.header("Location"))
    assert f"{target.scheme}://{target.netloc}" == nasa_demo.standins.edl_url
    assert target.path == "/oauth/authorize"
    query = parse_qs(target.query)
    assert query["client_id"] == ["nsidc"]
    assert query["redirect_uri"] == [f"{nasa_demo.standins.data_url}/login"]
    bad = http("GET", nasa_demo.data(SEAICE), bearer="x.y.z")
    assert bad.status == 401 and bad.json()["error"] == "invalid_token"
    token = nasa_demo.token()
    eula = http("GET", nasa_demo.data("x.nc", "demo-podaac-protected"), bearer=token)
    assert eula.status == 403 and eula.json()["error_description"] == "EULA Acceptance Failure"
    forbidden = http("GET", nasa_demo.data("x.nc", "demo-ornldaac-protected"), bearer=token)
    assert forbidden.status == 403 and forbidden.header("Content-Type").startswith("text/html")
    assert http("GET", nasa_demo.data("x.nc", "no-such-bucket"), bearer=token).status == 404


def _raw_get(url: str) -> tuple[HTTPResponse, HTTPConnection]:
    parts = urlsplit(url)
    connection = HTTPConnection(parts.hostname, parts.port, timeout=30)
    connection.request("GET", f"{parts.path}?{parts.query}")
    return connection.getresponse(), connection


def test_presign_can_fail_midway(nasa_demo: NasaDemo) -> None:
    location = http("GET", nasa_demo.data(SEAICE), bearer=nasa_demo.token()).header("Location")
    nasa_demo.state.data_fail_after[SEAICE] = 10_000
    response, connection = _raw_get(location)
    try:
        assert response.status == 200
        total = int(response.headers["Content-Length"])
        assert total > 10_000
        with pytest.raises(IncompleteRead) as cut:
            response.read()
        assert len(cut.value.partial) == 10_000
    finally:
        connection.close()
    transfer = nasa_demo.state.transfers[-1]
    assert transfer.cut and not transfer.complete and transfer.sent == 10_000
    # the hook also takes "bucket/key"; other objects are unaffected
    nasa_demo.state.data_fail_after.clear()
    nasa_demo.state.data_fail_after[f"demo-nsidc-protected/{SEAICE}"] = 100
    response, connection = _raw_get(location)
    with pytest.raises(IncompleteRead):
        response.read()
    connection.close()


def test_slow_streaming_and_cancel(nasa_demo: NasaDemo) -> None:
    location = http("GET", nasa_demo.data(SEAICE), bearer=nasa_demo.token()).header("Location")
    nasa_demo.state.data_rate = 20_000  # bytes per second: ~2.4 s for the file
    response, connection = _raw_get(location)
    started = time.monotonic()
    first = response.read(5_000)
    assert len(first) == 5_000
    assert time.monotonic() - started < 2
    transfer = nasa_demo.state.transfers[-1]
    assert not transfer.complete
    connection.sock.shutdown(socket.SHUT_RDWR)  # the user cancels mid-download
    connection.close()
    deadline = time.monotonic() + 5
    while not transfer.aborted and time.monotonic() < deadline:
        time.sleep(0.05)
    assert transfer.aborted and not transfer.complete
    assert transfer.sent < transfer.size


# -- S3: public buckets, bulk seeding, real files -------------------------------------


def _anonymous(s3: MotoS3) -> Any:
    return boto3.client(
        "s3",
        endpoint_url=s3.endpoint_url,
        region_name="us-west-2",
        config=Config(signature_version=UNSIGNED),
    )


def test_public_bucket_reads_anonymously(moto_s3: MotoS3, nasa_demo_data: Any) -> None:
    anonymous = _anonymous(moto_s3)
    top = anonymous.list_objects_v2(Bucket=datasets.DEMO_PUBLIC_BUCKET, Delimiter="/")
    assert [p["Prefix"] for p in top["CommonPrefixes"]] == ["geotiff/", "many/", "netcdf/"]
    assert [o["Key"] for o in top["Contents"]] == ["README.txt"]
    readme = anonymous.get_object(Bucket=datasets.DEMO_PUBLIC_BUCKET, Key="README.txt")
    assert readme["Body"].read().decode().startswith("Cloudscapes demo public bucket")
    head = anonymous.head_object(Bucket=datasets.DEMO_PUBLIC_BUCKET, Key=datasets.PUBLIC_NETCDF_KEY)
    assert head["ContentType"] == "application/x-netcdf"
    anonymous.head_bucket(Bucket=datasets.DEMO_PUBLIC_BUCKET)
    assert anonymous.list_objects(Bucket=datasets.DEMO_PUBLIC_BUCKET, MaxKeys=1)["Contents"]


def test_private_buckets_refuse_anonymous_requests(moto_s3: MotoS3, nasa_demo_data: Any) -> None:
    anonymous = _anonymous(moto_s3)
    for call in (
        lambda: anonymous.get_object(Bucket="demo-nsidc-protected", Key=SEAICE),
        lambda: anonymous.list_objects_v2(Bucket="demo-nsidc-protected"),
        lambda: anonymous.head_object(Bucket="demo-nsidc-protected", Key=SEAICE),
        lambda: anonymous.list_buckets(),
        lambda: anonymous.put_object(Bucket=datasets.DEMO_PUBLIC_BUCKET, Key="x", Body=b"x"),
        lambda: anonymous.get_bucket_acl(Bucket=datasets.DEMO_PUBLIC_BUCKET),
    ):
        with pytest.raises(ClientError) as refused:
            call()
        error = refused.value.response
        assert error["ResponseMetadata"]["HTTPStatusCode"] == 403
        assert error["Error"]["Code"] in ("AccessDenied", "403")


def test_seed_many_is_fast_and_lists_like_s3(
    moto_s3: MotoS3, nasa_demo_data: dict[str, float]
) -> None:
    print(f"seed timings: {nasa_demo_data}")
    started = time.perf_counter()
    keys = moto_s3.seed_many("cloudscapes-seed-test", "bulk/", 10_000)
    elapsed = time.perf_counter() - started
    print(f"seed_many: 10000 keys in {elapsed:.2f} s")
    assert elapsed < 15
    assert len(keys) == 10_000 and keys == sorted(keys)
    client = moto_s3.client()
    page = client.list_objects_v2(Bucket="cloudscapes-seed-test", Prefix="bulk/", Delimiter="/")
    assert [p["Prefix"] for p in page["CommonPrefixes"]][:2] == [
        "bulk/2024-09-01/",
        "bulk/2024-09-02/",
    ]
    assert page["IsTruncated"]
    assert page["Contents"][0]["Key"] == "bulk/granule_000001.json"
    body = client.get_object(Bucket="cloudscapes-seed-test", Key="bulk/granule_000001.json")
    assert json.loads(body["Body"].read())["key"] == "bulk/granule_000001.json"
    assert body["ContentType"] == "application/json"
    anonymous = _anonymous(moto_s3)
    count = sum(
        page["KeyCount"]
        for page in anonymous.get_paginator("list_objects_v2").paginate(
            Bucket=datasets.DEMO_PUBLIC_BUCKET, Prefix=datasets.MANY_PREFIX
        )
    )
    assert count == datasets.TEST_MANY_KEYS if nasa_demo_data else count >= 1000


def test_netcdf_opens_with_xarray_through_s3fs_and_daac_keys(nasa_demo: NasaDemo) -> None:
    s3fs = pytest.importorskip("s3fs")
    xr = pytest.importorskip("xarray")
    keys = http("GET", nasa_demo.state.daac_url("nsidc"), bearer=nasa_demo.token()).json()
    fs = s3fs.S3FileSystem(
        key=keys["accessKeyId"],
        secret=keys["secretAccessKey"],
        token=keys["sessionToken"],
        client_kwargs={"endpoint_url": nasa_demo.s3.endpoint_url, "region_name": "us-west-2"},
    )
    listed = fs.ls("demo-nsidc-protected/seaice/")
    assert len(listed) == 8
    with fs.open(f"demo-nsidc-protected/{SEAICE}", "rb") as f:
        dataset = xr.open_dataset(f, engine="h5netcdf").load()
    concentration = dataset["sea_ice_concentration"]
    assert concentration.dims == ("time", "y", "x")
    assert concentration.attrs["units"] == "percent"
    assert str(dataset["time"].values[0]).startswith("2024-09-03")
    assert 0 <= float(concentration.min()) and float(concentration.max()) <= 100
    assert dataset["lat"].attrs["standard_name"] == "latitude"
    # anonymous s3fs reads the public copy
    public = s3fs.S3FileSystem(
        anon=True,
        client_kwargs={"endpoint_url": nasa_demo.s3.endpoint_url, "region_name": "us-west-2"},
    )
    assert public.cat(f"{datasets.DEMO_PUBLIC_BUCKET}/{datasets.PUBLIC_README_KEY}")


def test_geotiff_opens_with_rasterio(moto_s3: MotoS3, nasa_demo_data: Any) -> None:
    rasterio = pytest.importorskip("rasterio")
    from rasterio.io import MemoryFile

    body = (
        _anonymous(moto_s3)
        .get_object(Bucket=datasets.DEMO_PUBLIC_BUCKET, Key=datasets.PUBLIC_GEOTIFF_KEY)["Body"]
        .read()
    )
    with MemoryFile(body) as memory, memory.open() as raster:
        assert raster.crs == rasterio.crs.CRS.from_epsg(4326)
        assert raster.count == 1
        assert raster.bounds == (-180.0, -90.0, 180.0, 90.0)
        band = raster.read(1)
        assert band.shape == (raster.height, raster.width) and band.std() > 0
    netcdf = (
        _anonymous(moto_s3)
        .get_object(Bucket=datasets.DEMO_PUBLIC_BUCKET, Key=datasets.PUBLIC_NETCDF_KEY)["Body"]
        .read()
    )
    assert datasets.open_netcdf_bytes(netcdf)["sea_ice_concentration"].shape == (1, 48, 64)
    assert io.BytesIO(netcdf).read(4) == b"\x89HDF"


def test_data_server_config() -> None:
    info = {
        "cmr_url": "http://127.0.0.1:1/search/",
        "s3_endpoint_url": "http://127.0.0.1:2",
        "public_bucket": "demo-public-data",
        "data_url": "http://127.0.0.1:3",
    }
    assert data_server_config(info) == {
        "cmr_url": "http://127.0.0.1:1/search/",
        "s3_endpoint_url": "http://127.0.0.1:2",
        "public_buckets": [{"bucket": "demo-public-data", "label": "Demo public data"}],
        "token_origins": ["http://127.0.0.1:3"],
    }
