"""Where the server runs (``GET /cloudscapes/earthdata/region``), against a real
jupyter_server and the IMDSv2 stand-in: admin config, env, the probe, and its retries."""

from __future__ import annotations

import asyncio
from urllib.parse import urlsplit

import pytest

from cloudscapes.testing.earthdata import start_imds


async def test_region_from_imds(api, earthdata_state):
    status, region = await api("earthdata/region")
    assert status == 200
    assert region == {
        "in_region": True,
        "region": "us-west-2",
        "source": "imds",
        "archive_region": "us-west-2",
    }
    paths = [r.path for r in earthdata_state.requests_to("imds")]
    assert paths == ["/latest/api/token", "/latest/meta-data/placement/region"]


@pytest.mark.parametrize("earthdata_config", [{"in_region": False}])
async def test_region_from_admin_config(api, earthdata_state, earthdata_config):
    _, region = await api("earthdata/region")
    assert (region["in_region"], region["source"]) == (False, "config")
    assert earthdata_state.requests_to("imds") == []


@pytest.mark.parametrize("server_env", [{"CLOUDSCAPES_IN_REGION": "true"}])
async def test_region_from_env(api, server_env):
    _, region = await api("earthdata/region")
    assert (region["in_region"], region["source"]) == (True, "env")


@pytest.mark.parametrize("earthdata_config", [{"imds_url": "http://127.0.0.1:9"}])
async def test_region_unknown_when_metadata_is_blocked(api, earthdata_config):
    _, region = await api("earthdata/region")
    assert region == {
        "in_region": None,
        "region": None,
        "source": "unknown",
        "archive_region": "us-west-2",
    }


class Clock:
    """The region probe's retry clock, moved forward by the test."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def probe_clock(serverapp) -> Clock:
    """A clock the running EarthdataService's region probe now reads."""
    clock = Clock()
    (app,) = serverapp.extension_manager.extension_apps["cloudscapes"]
    app.services["earthdata"].region_probe.clock = clock
    return clock


async def test_a_failed_region_probe_is_retried_later_and_a_success_kept(
    api, earthdata, earthdata_state, jp_serverapp
):
    clock = probe_clock(jp_serverapp)
    port = urlsplit(earthdata.imds_url).port
    earthdata.stop()  # the metadata service refuses connections
    _, region = await api("earthdata/region")
    assert (region["in_region"], region["source"]) == (None, "unknown")

    restarted, _ = start_imds(earthdata_state, port)  # now it answers, on the same address
    try:
        clock.now += 29  # before the retry: the failure still stands, nothing is asked
        _, region = await api("earthdata/region")
        assert region["source"] == "unknown"
        assert earthdata_state.requests_to("imds") == []
        clock.now += 1
        _, region = await api("earthdata/region")
        assert region == {
            "in_region": True,
            "region": "us-west-2",
            "source": "imds",
            "archive_region": "us-west-2",
        }
        assert len(earthdata_state.requests_to("imds")) == 2  # token, region
        # a region found is kept: no probe again, even much later
        clock.now += 86400
        _, region = await api("earthdata/region")
        assert region["source"] == "imds"
        assert len(earthdata_state.requests_to("imds")) == 2
    finally:
        restarted.stop()


async def test_region_probe_retries_back_off_to_ten_minutes(api, earthdata_state, jp_serverapp):
    clock = probe_clock(jp_serverapp)
    # the stand-in refuses every region request: its tokens expire as they are issued
    ticks = iter(range(10**9))
    earthdata_state.clock = lambda: float(next(ticks) * 10**6)

    async def probed() -> bool:
        before = len(earthdata_state.requests_to("imds"))
        _, region = await api("earthdata/region")
        assert region["source"] == "unknown"
        return len(earthdata_state.requests_to("imds")) > before

    assert await probed()
    for gap in (30, 60, 120, 240, 480, 600, 600):
        clock.now += gap - 1
        assert not await probed(), f"probed again before {gap} s"
        clock.now += 1
        assert await probed(), f"not probed again after {gap} s"


@pytest.mark.parametrize("earthdata_config", [{"imds_url": "ftp://127.0.0.1:9"}])
async def test_an_imds_url_tornado_cannot_fetch_is_an_unknown_region_not_a_500(
    api, earthdata_config, earthdata_state, jp_serverapp, caplog
):
    clock = probe_clock(jp_serverapp)
    for route in ("earthdata/region", "data/config", "earthdata/region"):
        status, answer = await api(route)
        assert status == 200, answer
    _, region = await api("earthdata/region")
    assert (region["in_region"], region["source"]) == (None, "unknown")
    # counted as a failure: one probe (one warning), then none until the retry is due
    warnings = [r for r in caplog.records if "could not probe IMDS" in r.getMessage()]
    assert len(warnings) == 1
    assert "ftp://127.0.0.1:9" in warnings[0].getMessage()
    clock.now += 30
    await api("earthdata/region")
    warnings = [r for r in caplog.records if "could not probe IMDS" in r.getMessage()]
    assert len(warnings) == 2


async def test_a_probe_whose_request_was_closed_does_not_block_retries(
    api, earthdata, earthdata_state, jp_serverapp
):
    clock = probe_clock(jp_serverapp)
    (app,) = jp_serverapp.extension_manager.extension_apps["cloudscapes"]
    probe = app.services["earthdata"].region_probe
    port = urlsplit(earthdata.imds_url).port
    earthdata.stop()  # the probe fails
    request = asyncio.ensure_future(probe.region())
    await asyncio.sleep(0)  # the probe has started
    probing = probe._probing
    assert probing is not None
    request.cancel()  # the request that started it was closed
    await asyncio.wait([probing])  # the probe runs on, and fails

    restarted, _ = start_imds(earthdata_state, port)
    try:
        clock.now += 30  # the retry is due: a new probe finds the region
        _, region = await api("earthdata/region")
        assert (region["region"], region["source"]) == ("us-west-2", "imds")
    finally:
        restarted.stop()
