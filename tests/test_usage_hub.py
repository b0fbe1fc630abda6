"""The usage indicator under the JupyterHub API stand-in: the hub's record, the cull
window from the hub's view of activity, and "Stop my server" as a real hub stops it."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime, timedelta, timezone

import pytest
from tornado.httpclient import HTTPClientError

from .test_usage import ts

CULLER = {"CLOUDSCAPES_CULL_TIMEOUT": "3600", "CLOUDSCAPES_CULL_EVERY": "600"}


async def wait_for_hub_record(api, predicate, tries: int = 50):
    for _ in range(tries):
        _, usage = await api("usage")
        if predicate(usage):
            return usage
        await asyncio.sleep(0.05)
    raise AssertionError(f"hub record never arrived: {usage}")


async def wait_for_stop_state(api, status: str, tries: int = 100):
    for _ in range(tries):
        _, state = await api("usage/stop")
        if state["status"] == status:
            return state
        await asyncio.sleep(0.05)
    raise AssertionError(f"the stop never became {status!r}: {state}")


async def stop_accepted(api, hub_state) -> None:
    """POST the stop: the browser's answer comes first, then the hub is asked."""
    status, body = await api("usage/stop", method="POST")
    assert (status, body) == (202, {"status": "stopping", "redirect": "/hub/home"})
    for _ in range(100):
        if hub_state.stops:
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the hub was never asked to stop the server")


#: set when this module is collected, which may be minutes before the test runs
HUB_STARTED = datetime.now(timezone.utc) - timedelta(hours=2)
LONG_AGO = datetime.now(timezone.utc) - timedelta(days=1)


# ---- the hub's record ---------------------------------------------------------------


@pytest.mark.hub(
    scopes=["read:servers!server", "delete:servers!server"],
    started=HUB_STARTED,
    user_options={"profile": "large"},
)
async def test_profile_and_start_time_from_hub(api):
    usage = await wait_for_hub_record(api, lambda u: u["profile"]["source"] == "hub")
    assert usage["profile"]["name"] == "large"
    assert usage["cost"]["since_source"] == "hub"
    assert usage["cost"]["rate_per_hour"] == 0.96
    hours = (datetime.now(timezone.utc) - HUB_STARTED).total_seconds() / 3600
    assert usage["cost"]["accrued"] == pytest.approx(0.96 * hours, abs=0.01)
    assert usage["hub"] == {
        "present": True,
        "can_stop": True,
        "home_url": "/hub/home",
        "stop_scope": "delete:servers!server",
    }


@pytest.mark.hub(
    scopes=[],
    started=datetime.now(timezone.utc) - timedelta(hours=5),
    user_options={"profile": "large"},
)
async def test_without_read_scope_the_hub_record_is_not_used(api):
    usage = await wait_for_hub_record(api, lambda u: u["hub"]["can_stop"] is False)
    assert usage["profile"]["name"] == "small"  # the admin's default
    assert usage["cost"]["since_source"] == "server"


# ---- the cull window ----------------------------------------------------------------


@pytest.mark.hub(scopes=["read:servers!server"], last_activity=LONG_AGO)
@pytest.mark.parametrize(
    "server_env",
    [
        {
            **CULLER,
            "JUPYTERHUB_ACTIVITY_INTERVAL": "300",
            "CLOUDSCAPES_CULL_MAX_AGE": "28800",
            "CLOUDSCAPES_LAST_ACTIVITY_INTERVAL": "0",
        }
    ],
)
async def test_cull_window_under_hub_accounts_for_reporting_lag(api, server_env):
    """The hub's record is older than the server's own activity, and the hub does not
    count proxy traffic: the window counts from the server's activity, less its lag."""
    usage = await wait_for_hub_record(api, lambda u: u["activity"]["hub_last_activity"])
    activity = usage["activity"]
    assert ts(activity["hub_last_activity"]) == LONG_AGO
    last = ts(activity["last_activity"])
    window = activity["cull_window"]
    assert (ts(window["counted_from"]), window["source"]) == (last, "server")
    assert ts(window["earliest"]) == last + timedelta(seconds=3600 - 330)
    assert ts(window["latest"]) == last + timedelta(seconds=4200)
    assert activity["proxy_activity_interval"] is None
    assert ts(activity["max_age_at"]) == ts(usage["cost"]["since"]) + timedelta(hours=8)


@pytest.mark.hub(scopes=["read:servers!server"])
@pytest.mark.parametrize("usage_config", [{"hub_activity_refresh_seconds": 0.1}])
@pytest.mark.parametrize("server_env", [{**CULLER, "CLOUDSCAPES_LAST_ACTIVITY_INTERVAL": "0"}])
async def test_cull_window_counts_from_the_hubs_last_activity(
    api, hub_env, usage_config, server_env
):
    """The hub saw activity of this server that the server did not report (another
    client of it): the culler compares the server's last_activity, so the window counts
    from there. ``read:servers!server`` reads it."""
    _, usage = await api("usage")
    own = ts(usage["activity"]["last_activity"])
    seen_by_hub = own + timedelta(minutes=20)
    hub_env.last_activity = seen_by_hub
    usage = await wait_for_hub_record(
        api,
        lambda u: (
            u["activity"]["hub_last_activity"] and u["activity"]["cull_window"]["source"] == "hub"
        ),
    )
    window = usage["activity"]["cull_window"]
    assert ts(window["counted_from"]) == seen_by_hub
    assert ts(window["earliest"]) == seen_by_hub + timedelta(seconds=3600)
    assert ts(window["latest"]) == seen_by_hub + timedelta(seconds=4200)
    assert ts(usage["activity"]["last_activity"]) == own  # the user's own idle time


@pytest.mark.hub(scopes=["read:servers!server"], last_activity=LONG_AGO)
@pytest.mark.parametrize("server_env", [CULLER])
async def test_a_hub_that_counts_proxy_traffic_is_kept_alive_by_polls(api, server_env):
    """With JupyterHub's default last_activity_interval (300 s), every request through
    the proxy counts, this tab's polls too: the window moves with each poll, though
    the server's own activity does not."""
    _, first = await api("usage")
    await asyncio.sleep(0.3)
    before = datetime.now(timezone.utc)
    _, usage = await api("usage")
    activity = usage["activity"]
    assert activity["proxy_activity_interval"] == 300
    window = activity["cull_window"]
    assert window["source"] == "proxy"
    assert ts(window["counted_from"]) >= before - timedelta(seconds=0.05)
    assert ts(window["earliest"]) == ts(window["counted_from"]) + timedelta(seconds=3600)
    assert ts(window["earliest"]) > ts(first["activity"]["cull_window"]["earliest"])
    assert activity["last_activity"] == first["activity"]["last_activity"]


# ---- stop -----------------------------------------------------------------------------


@pytest.mark.hub(scopes=["delete:servers!server"], kill_on_stop=True)
async def test_stop_answers_before_the_hub_takes_the_server_down(
    api, jp_fetch, hub_state, hub_kills_server
):
    """A real hub interrupts the server before its DELETE returns: the browser must have
    its answer by then, and the hub must then be asked."""
    await stop_accepted(api, hub_state)
    assert hub_state.stops == [("alice", "")]
    with pytest.raises((HTTPClientError, OSError)):
        await jp_fetch("api", "status")  # the server is gone


@pytest.mark.hub(scopes=["delete:servers!server"])
async def test_stop_under_hub_204(api, hub_env, hub_state):
    server = hub_env
    _, state = await api("usage/stop")
    assert state == {"status": "running", "error": None}
    status, body = await api("usage/stop", method="POST")
    assert (status, body) == (202, {"status": "stopping", "redirect": "/hub/home"})
    assert await wait_for_stop_state(api, "stopped") == {"status": "stopped", "error": None}
    assert hub_state.stops == [("alice", "")]
    assert server.started is None


@pytest.mark.hub(name="gpu", scopes=["delete:servers!server"], stop_delay=5)
async def test_stop_named_server_while_spawner_stops_202(api, hub_state):
    await stop_accepted(api, hub_state)
    await asyncio.sleep(0.2)
    _, state = await api("usage/stop")
    assert state == {"status": "stopping", "error": None}
    # asking again while it stops does not ask the hub twice
    status, body = await api("usage/stop", method="POST")
    assert (status, body["status"]) == (202, "stopping")
    await asyncio.sleep(0.5)
    assert hub_state.stops == [("alice", "gpu")]


@pytest.mark.hub(name="gpu", scopes=["delete:servers!server"], stop_delay=60)
async def test_a_slow_stop_that_never_ended_can_be_asked_again(
    api, hub_env, hub_state, monkeypatch
):
    """The hub accepted the stop (202) but its spawner gave up and the server runs on:
    once the page has stopped following it, the button asks the hub again instead of
    answering "stopping" for the rest of the server's life."""
    from cloudscapes.usage import service

    await stop_accepted(api, hub_state)
    hub_env.stop_pending = False  # the hub's slow stop failed; the server still runs
    monkeypatch.setattr(service, "STALE_STOP", 0.3)
    await asyncio.sleep(0.5)
    await stop_accepted(api, hub_state)
    for _ in range(40):
        if len(hub_state.stops) == 2:
            break
        await asyncio.sleep(0.05)
    assert hub_state.stops == [("alice", "gpu"), ("alice", "gpu")]


@pytest.mark.hub(scopes=["delete:servers!server"], started=None)
async def test_a_stop_the_hub_refuses_later_is_reported(api, hub_state):
    """The scopes allow it, but the hub refuses (400: it does not think the server is
    running): the page, following the stop, learns why."""
    status, _ = await api("usage/stop", method="POST")
    assert status == 202
    state = await wait_for_stop_state(api, "failed")
    assert state["error"]["code"] == "hub_error"
    assert "400" in state["error"]["message"]
    assert "/hub/home" in state["error"]["hint"]


@pytest.mark.parametrize(
    "scopes",
    [
        pytest.param(
            ["read:servers!server"],
            marks=pytest.mark.hub(scopes=["read:servers!server"]),
            id="default-and-read",
        ),
        pytest.param(
            ["delete:servers!user=bob"],
            marks=pytest.mark.hub(scopes=["delete:servers!user=bob"]),
            id="another-users-servers",
        ),
    ],
)
async def test_stop_without_scope_names_the_scope_403(api, hub_state, scopes):
    """Refused before the hub is asked, naming the scope and the admin's setting."""
    status, body = await api("usage/stop", method="POST")
    assert status == 403
    assert body["error"]["code"] == "hub_forbidden"
    assert "delete:servers!server" in body["error"]["message"]
    assert "c.Spawner.server_token_scopes" in body["error"]["hint"]
    await asyncio.sleep(0.5)
    assert hub_state.stops == []
    _, state = await api("usage/stop")
    assert state == {"status": "running", "error": None}


@pytest.mark.hub(unreachable=True)
async def test_stop_when_hub_is_down_502(api, caplog):
    status, body = await api("usage/stop", method="POST")
    assert status == 502
    assert body["error"]["code"] == "hub_unreachable"
    assert "/hub/home" in body["error"]["hint"]
    assert "server-token" not in json.dumps(body)
    assert "server-token" not in caplog.text


@pytest.mark.hub(scopes=[])
@pytest.mark.parametrize("usage_config", [{"hub_refresh_seconds": 0.1}])
@pytest.mark.parametrize("server_env", [{**CULLER, "CLOUDSCAPES_LAST_ACTIVITY_INTERVAL": "0"}])
async def test_the_users_own_hub_activity_does_not_move_the_window(
    api, hub_env, hub_state, usage_config, server_env
):
    """With the default token the hub tells only the user's last_activity, which its
    own pages move (a new tab's login round trip) while the culler still compares the
    server's: counting from it would promise time the server does not have."""
    _, usage = await api("usage")
    own = ts(usage["activity"]["last_activity"])
    hub_state.user_activity["alice"] = own + timedelta(minutes=20)
    await asyncio.sleep(0.5)  # several of the hub record's refreshes
    _, usage = await api("usage")
    window = usage["activity"]["cull_window"]
    assert hub_state.user_reads >= 3, "the hub record was not re-read"
    assert window["source"] == "server"
    assert ts(window["counted_from"]) < own + timedelta(minutes=1)
    assert usage["activity"]["hub_last_activity"] is None


async def hub_reads_over(api, hub_state, seconds: float) -> int:
    await api("usage")
    before = hub_state.user_reads
    await asyncio.sleep(seconds)
    return hub_state.user_reads - before


@pytest.mark.hub(scopes=[])
@pytest.mark.parametrize("usage_config", [{"hub_activity_refresh_seconds": 0.1}])
@pytest.mark.parametrize("server_env", [CULLER])
async def test_a_token_that_cannot_read_the_servers_activity_reads_the_hub_rarely(
    api, hub_env, hub_state, usage_config, server_env
):
    """Every server of a hub reads its record; more often than ``hub_refresh_seconds``
    (300 s) only where that moves the cull window, so a large hub is not asked in vain."""
    assert await hub_reads_over(api, hub_state, 0.6) == 0


@pytest.mark.hub(scopes=["read:servers!server"])
@pytest.mark.parametrize("usage_config", [{"hub_activity_refresh_seconds": 0.1}])
@pytest.mark.parametrize("server_env", [CULLER])
async def test_with_a_culler_and_read_servers_the_hub_is_read_for_the_window(
    api, hub_env, hub_state, usage_config, server_env
):
    assert await hub_reads_over(api, hub_state, 0.6) >= 3
