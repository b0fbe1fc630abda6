"""The demo's stand-ins (``python -m cloudscapes.testing.earthdata``, ``demo_state``): what
``make demo`` starts for a researcher trying the suite without NASA accounts.

Blocking clients only (the stand-ins run on their own loop), as in test_standin_earthdata.py.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import boto3
import pytest

from cloudscapes.testing.client import http
from cloudscapes.testing.earthdata import (
    DEMO_BUCKET,
    EarthdataStandIns,
    demo_state,
    server_config,
)
from cloudscapes.testing.serving import LoopThread

ROOT = Path(__file__).resolve().parents[1]


def test_cli_runs_the_demo_until_sigterm(tmp_path: Path) -> None:
    info_file = tmp_path / "earthdata.json"
    # The CLI's MotoS3 runs in its own process (MotoS3 is one per process).
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "cloudscapes.testing.earthdata",
            "--s3",
            "--many",
            "500",
            "--allow",
            "ornldaac",
            "--info-file",
            str(info_file),
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        deadline = time.monotonic() + 15
        while not info_file.exists():
            assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
            assert time.monotonic() < deadline
            time.sleep(0.05)
        info = json.loads(info_file.read_text())
        assert set(info) == {
            "edl_url",
            "imds_url",
            "daacs",
            "daac_base_url",
            "s3_endpoint_url",
            "bucket",
            "cmr_url",
            "data_url",
            "public_bucket",
        }
        # the DAAC table; swot is served but outside it
        assert set(info["daacs"]) == {"nsidc", "podaac", "lpdaac", "gesdisc", "ornldaac", "asf"}
        assert info["bucket"] == DEMO_BUCKET
        assert info["public_bucket"] == "demo-public-data"
        assert info["cmr_url"].endswith("/search/")
        token = http(
            "POST", info["edl_url"] + "/api/users/find_or_create_token", basic=("demo", "s3cret #1")
        ).json()["access_token"]
        profile = http("GET", info["edl_url"] + "/api/users/demo", bearer=token).json()
        assert (profile["first_name"], profile["affiliation"]) == ("Demo", "Cloudscapes demo")
        assert http("GET", info["daacs"]["podaac"], bearer=token).status == 403
        assert http("GET", info["daacs"]["ornldaac"], bearer=token).status == 200  # --allow
        swot = info["daac_base_url"] + "/swot/s3credentials"
        assert http("GET", swot, bearer=token).status == 200
        creds = http("GET", info["daacs"]["nsidc"], bearer=token).json()
        client = boto3.client(
            "s3",
            endpoint_url=info["s3_endpoint_url"],
            region_name="us-west-2",
            aws_access_key_id=creds["accessKeyId"],
            aws_secret_access_key=creds["secretAccessKey"],
            aws_session_token=creds["sessionToken"],
        )
        top = client.list_objects_v2(Bucket=DEMO_BUCKET, Delimiter="/")
        assert {o["Key"] for o in top["Contents"]} == {"hello.txt", "sea_ice_extent.csv"}
        assert [p["Prefix"] for p in top["CommonPrefixes"]] == ["DEMO_ATL06/", "seaice/"]
        body = client.get_object(Bucket=DEMO_BUCKET, Key="hello.txt")["Body"].read()
        assert body == b"Hello from the Cloudscapes demo bucket\n"
        # CMR finds the demo granules, whose HTTPS links lead to the bytes in moto
        granules = http(
            "GET", info["cmr_url"] + "granules.umm_json?short_name=DEMO_SEAICE&page_size=8"
        ).json()["items"]
        assert len(granules) == 8
        link = next(u["URL"] for u in granules[0]["umm"]["RelatedUrls"] if u["Type"] == "GET DATA")
        assert link.startswith(info["data_url"])
        presigned = http("GET", link, bearer=token)
        assert presigned.status == 307
        stored = client.get_object(Bucket=DEMO_BUCKET, Key="seaice/seaice_20240901.nc")
        assert http("GET", presigned.headers["Location"]).body == stored["Body"].read()
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
        if proc.stderr:
            proc.stderr.close()
    assert not info_file.exists()


def test_server_config_gives_the_table_and_the_daac_origin() -> None:
    info = {
        "edl_url": "http://127.0.0.1:1",
        "imds_url": "http://127.0.0.1:2",
        "daacs": {"nsidc": "http://127.0.0.1:3/nsidc/s3credentials"},
        "daac_base_url": "http://127.0.0.1:3",
        "s3_endpoint_url": None,
    }
    config = server_config(info)
    assert config["daacs"] == info["daacs"]
    assert config["credential_origins"] == ["http://127.0.0.1:3"]
    del info["daac_base_url"]  # an older info file: the table's origin
    assert server_config(info)["credential_origins"] == ["http://127.0.0.1:3"]


def test_demo_state_allows_daacs_on_request() -> None:
    state = demo_state()
    assert "podaac" in state.eula_daacs and "ornldaac" in state.forbidden_daacs
    assert state.listed_daacs() == ["nsidc", "podaac", "lpdaac", "gesdisc", "ornldaac", "asf"]
    assert state.daacs["swot"] == ["demo-swot-protected"]
    allowed = demo_state(allow=("podaac", "ornldaac"))
    assert not allowed.eula_daacs and not allowed.forbidden_daacs
    with pytest.raises(ValueError, match="no DAAC 'ornl'"):
        demo_state(allow=("ornl",))


def test_demo_state_without_s3(standin_loop: LoopThread) -> None:
    state = demo_state()
    standins = standin_loop.call(EarthdataStandIns, state)
    try:
        token = http(
            "POST", standins.edl_url + "/api/users/token", basic=("demo", "s3cret #1")
        ).json()["access_token"]
        reply = http("GET", standins.daac_url("lpdaac"), bearer=token)
        assert reply.status == 200
        assert http("GET", standins.daac_url("ornldaac"), bearer=token).status == 403
    finally:
        standin_loop.call(standins.aclose)
    for url in (standins.edl_url, standins.daac_base_url, standins.imds_url):
        port = urlsplit(url).port
        with socket.socket() as sock, pytest.raises(ConnectionRefusedError):
            sock.connect(("127.0.0.1", port))
