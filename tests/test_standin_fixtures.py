"""The fixture plugins (cloudscapes.testing.fixtures): a server test starts only the
stand-ins it asks for, and whatever it did not ask for is refused at once, never the
real service."""

from __future__ import annotations

import socket
from urllib.parse import urlsplit

import pytest


def refused(url: str) -> bool:
    parts = urlsplit(url)
    with socket.socket() as sock:
        sock.settimeout(5)
        try:
            sock.connect((parts.hostname, parts.port))
        except ConnectionRefusedError:
            return True
    return False


async def test_a_server_test_that_asks_for_no_stand_in_starts_none(
    request, jp_serverapp, jp_server_config, closed_url
):
    assert not {"earthdata", "earthdata_state", "moto_s3"} & set(request.fixturenames)
    earthdata, data = jp_server_config["CloudscapesEarthdata"], jp_server_config["CloudscapesData"]
    upstreams = [
        *earthdata["environments"].values(),
        *earthdata["daacs"].values(),
        earthdata["imds_url"],
        earthdata["s3_endpoint_url"],
        *earthdata["credential_origins"],
        data["cmr_url"],
        data["s3_endpoint_url"],
        *data["token_origins"],
    ]
    assert all(url.startswith(closed_url) for url in upstreams), upstreams
    assert refused(closed_url)


async def test_asking_for_earthdata_wires_the_server_to_the_stand_ins(
    api, earthdata, moto_s3, jp_server_config
):
    settings = jp_server_config["CloudscapesEarthdata"]
    assert settings["environments"] == {"test": earthdata.edl_url}
    assert settings["imds_url"] == earthdata.imds_url
    assert settings["s3_endpoint_url"] == moto_s3.endpoint_url
    # the DAAC table, without the swot DAAC the stand-ins also serve; its origin may
    # receive the token for a collection's own endpoint (SWOT-like)
    assert set(settings["daacs"]) == {"nsidc", "podaac", "ornldaac"}
    assert settings["credential_origins"] == [earthdata.daac_base_url]
    assert earthdata.daac_url("swot").startswith(settings["credential_origins"][0] + "/")
    assert jp_server_config["CloudscapesData"]["cmr_url"] == earthdata.cmr_url
    status, body = await api("earthdata/region")
    assert status == 200
    assert body["source"] == "imds"
    assert earthdata.state.requests_to("imds")


@pytest.mark.usefixtures("moto_s3")
async def test_moto_alone_gives_s3_and_no_nasa(jp_server_config, closed_url):
    data = jp_server_config["CloudscapesData"]
    assert not data["s3_endpoint_url"].startswith(closed_url)
    assert data["cmr_url"].startswith(closed_url)
