"""The usage indicator's routes against a real jupyter_server, outside a hub (under the
hub API stand-in: test_usage_hub.py)."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime, timedelta, timezone

import pytest


def ts(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


async def last_activity(jp_fetch) -> datetime:
    response = await jp_fetch("api", "status")
    return ts(json.loads(response.body)["last_activity"])


# ---- the snapshot ---------------------------------------------------------------------


async def test_usage_reports_real_figures(api, tmp_path):
    (tmp_path / "data.bin").write_bytes(b"\0" * 1024)
    status, usage = await api("usage")
    assert status == 200
    assert usage["memory"]["used"] > 10 * 2**20  # a Python server uses more than 10 MiB
    assert usage["memory"]["used"] < usage["memory"]["limit"]
    assert usage["cpu"]["limit"] > 0
    assert usage["disk"]["path"] == str(tmp_path)
    assert 0 < usage["disk"]["used"] <= usage["disk"]["total"]
    assert usage["profile"] == {
        "name": "small",
        "display_name": "Small: 2 CPU, 8 GB",
        "source": "config",
        "priced": True,
    }
    assert usage["cost"]["currency"] == "USD"
    assert usage["cost"]["rate_per_hour"] == 0.12
    assert usage["cost"]["since_source"] == "server"
    assert usage["activity"]["cull_window"] is None  # no culler configured
    assert usage["hub"] == {
        "present": False,
        "can_stop": True,
        "home_url": None,
        "stop_scope": None,
    }


async def test_limits_come_from_spawner_variables(api, monkeypatch):
    monkeypatch.setenv("MEM_LIMIT", str(8 * 2**30))
    monkeypatch.setenv("CPU_LIMIT", "2.5")
    _, usage = await api("usage")
    assert usage["memory"]["limit"] == 8 * 2**30
    assert usage["memory"]["source"] == "env"
    assert usage["cpu"] == {**usage["cpu"], "limit": 2.5, "source": "env"}


async def test_memory_counts_kernels(api, jp_fetch):
    _, before = await api("usage")
    await jp_fetch("api", "kernels", method="POST", body=json.dumps({"name": "python3"}))
    await asyncio.sleep(1.2)  # past the sample TTL
    _, after = await api("usage")
    assert after["memory"]["used"] > before["memory"]["used"]


@pytest.mark.parametrize("usage_config", [{"price_table": {}, "default_profile": ""}])
async def test_no_price_table_means_no_cost(api, usage_config):
    _, usage = await api("usage")
    assert usage["profile"]["name"] is None
    assert usage["cost"]["rate_per_hour"] is None
    assert usage["cost"]["accrued"] is None


async def test_profile_from_env_variable(api, monkeypatch):
    monkeypatch.setenv("CLOUDSCAPES_PROFILE", "large")
    _, usage = await api("usage")
    assert usage["profile"]["name"] == "large"
    assert usage["profile"]["source"] == "env"
    assert usage["cost"]["rate_per_hour"] == 0.96


async def test_polling_is_not_activity(api, jp_fetch):
    before = await last_activity(jp_fetch)
    for _ in range(10):
        status, _ = await api("usage")
        assert status == 200
        await asyncio.sleep(0.01)
    assert await last_activity(jp_fetch) == before


async def test_an_ordinary_api_call_is_activity(api, jp_fetch):
    """The control for the test above: the server does track activity here."""
    before = await last_activity(jp_fetch)
    await asyncio.sleep(0.01)
    await jp_fetch("api", "contents")
    assert await last_activity(jp_fetch) > before


# ---- keep-alive ---------------------------------------------------------------------


@pytest.mark.parametrize("usage_config", [{"keepalive_refresh_seconds": 0.2}])
async def test_keepalive_moves_last_activity_until_ended(api, jp_fetch, usage_config):
    before = await last_activity(jp_fetch)
    await asyncio.sleep(0.05)
    status, body = await api("usage/keepalive", method="POST", body={"minutes": 30})
    assert status == 200
    until = ts(body["keepalive_until"])
    expected = datetime.now(timezone.utc) + timedelta(minutes=30)
    assert abs((until - expected).total_seconds()) < 5
    started = await last_activity(jp_fetch)
    assert started > before
    await asyncio.sleep(0.6)
    refreshed = await last_activity(jp_fetch)
    assert refreshed > started  # the keep-alive keeps recording activity
    _, usage = await api("usage")
    assert usage["activity"]["keepalive_until"] == body["keepalive_until"]

    status, body = await api("usage/keepalive", method="DELETE")
    assert (status, body) == (200, {"keepalive_until": None})
    ended = await last_activity(jp_fetch)
    await asyncio.sleep(0.6)
    assert await last_activity(jp_fetch) == ended
    _, usage = await api("usage")
    assert usage["activity"]["keepalive_until"] is None


@pytest.mark.parametrize(
    "raw, code, words",
    [
        (b"", "invalid_json", "no body"),
        (b"{minutes: 30", "invalid_json", "not valid JSON"),
        (b"[30]", "invalid_json", "JSON object"),
        (b'{"minutes": "30"}', "invalid_field", "'minutes' must be a whole number"),
        (b'{"minutes": 2.5}', "invalid_field", "'minutes' must be a whole number"),
        (b'{"minutes": true}', "invalid_field", "'minutes' must be a whole number"),
        (b"{}", "invalid_field", "'minutes' is required (a whole number)"),
        (b'{"minutes": 0}', "invalid_field", "'minutes' must be at least 1"),
        (b'{"minutes": 5, "seconds": 1}', "invalid_field", "Unknown field 'seconds'"),
        (b'{"minutes": 241}', "keepalive_out_of_range", "1 to 240"),
    ],
)
async def test_keepalive_rejects_bad_bodies(api, jp_fetch, raw, code, words):
    status, body = await api("usage/keepalive", method="POST", raw=raw)
    assert status == 400
    assert body["error"]["code"] == code
    assert words in body["error"]["message"]
    assert body["error"]["hint"]
    _, usage = await api("usage")
    assert usage["activity"]["keepalive_until"] is None  # nothing was started


async def test_keepalive_body_size_limit(api):
    status, body = await api(
        "usage/keepalive", method="POST", raw=b'{"minutes": 5, "pad": "' + b"x" * 70000 + b'"}'
    )
    assert status == 413
    assert body["error"]["code"] == "body_too_large"


@pytest.mark.parametrize("usage_config", [{"keepalive_max_minutes": 0}])
async def test_keepalive_can_be_disabled_by_admin(api, usage_config):
    status, body = await api("usage/keepalive", method="POST", body={"minutes": 5})
    assert status == 403
    assert body["error"]["code"] == "keepalive_disabled"


# ---- culling ------------------------------------------------------------------------


@pytest.mark.parametrize("usage_config", [{"cull_timeout": 3600, "cull_every": 600}])
async def test_cull_window_standalone(api, usage_config):
    _, usage = await api("usage")
    last = ts(usage["activity"]["last_activity"])
    window = usage["activity"]["cull_window"]
    assert ts(window["earliest"]) == last + timedelta(seconds=3600)
    assert ts(window["latest"]) == last + timedelta(seconds=4200)
    assert (window["counted_from"], window["source"]) == (
        usage["activity"]["last_activity"],
        "server",
    )
    assert usage["activity"]["cull_timeout_seconds"] == 3600
    # no hub, so no hub record and no proxy that counts traffic
    assert usage["activity"]["hub_last_activity"] is None
    assert usage["activity"]["proxy_activity_interval"] is None


@pytest.mark.parametrize("usage_config", [{"cull_timeout": None}])
async def test_jupyter_servers_own_idle_shutdown_is_a_culler(api, jp_serverapp, usage_config):
    jp_serverapp.shutdown_no_activity_timeout = 900
    _, usage = await api("usage")
    assert usage["activity"]["cull_timeout_seconds"] == 900
    last = ts(usage["activity"]["last_activity"])
    assert ts(usage["activity"]["cull_window"]["latest"]) == last + timedelta(seconds=960)


@pytest.mark.parametrize("usage_config", [{"allow_stop": False}])
async def test_admin_can_remove_the_stop_button(api, usage_config):
    _, usage = await api("usage")
    assert usage["hub"]["can_stop"] is False
    status, body = await api("usage/stop", method="POST")
    assert status == 403
    assert body["error"]["code"] == "stop_disabled"
