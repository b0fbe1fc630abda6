"""jupyterhub-idle-culler against the cull window the usage panel shows, on real hubs
with short timeouts (40 s, checked every 10 s, activity reported every 10 s), while a
client polls every Cloudscapes route as a visible tab does (``no_track_activity``).

Two hubs, as admins run them: ``last_activity_interval = 0`` (only the servers' own
reports count: the tab's polls do not keep the server alive), and a hub that merges the
proxy's traffic into ``last_activity`` (JupyterHub's default, here every 10 s instead
of 300 s: an open tab keeps the server alive, and the panel must follow the hub's view)."""

from __future__ import annotations

import time
from datetime import datetime, timezone

import pytest

from cloudscapes.handlers import parse_time
from cloudscapes.testing.realhub import HubBrowser, HubSettings, RealHub, until

from .conftest import CONTRACT

USER = "alice"
TIMEOUT, EVERY, REPORTS = 40, 10, 10
#: a usage poll's interval (the panel's refreshInterval) and the other pollers'
POLL_SECONDS = 5
#: how far the stop may be outside the window: the test sees the hub every second
SLACK = 2.0
#: every GET route without a path parameter: what open panels and their polls ask
POLLED = sorted(
    op.path.removeprefix("/")
    for op in CONTRACT.operations
    if op.method == "get" and "{" not in op.path
)


def cull_hub(last_activity_interval: int) -> RealHub:
    return RealHub(
        HubSettings(
            users=(USER,),
            last_activity_interval=last_activity_interval,
            activity_interval=REPORTS,
            cull_timeout=TIMEOUT,
            cull_every=EVERY,
            # re-read the hub's record about as often, relative to the timeout, as the
            # default (300 s) does against Zero to JupyterHub's hour
            cloudscapes={"CloudscapesUsage": {"hub_refresh_seconds": 5}},
        )
    )


def seconds(value: str) -> float:
    return parse_time(value).astimezone(timezone.utc).timestamp()


def poll_every_route(browser: HubBrowser) -> dict | None:
    """One round of a visible tab's polls; the usage snapshot (None once stopped)."""
    snapshot = None
    for path in POLLED:
        response = browser.call("GET", path, params={"no_track_activity": "1"}, timeout=30)
        # a stopped server's routes land on the hub's "not running" page
        answered = response.status_code == 200 and "/hub/" not in response.url
        if path == "cloudscapes/usage" and answered:
            snapshot = response.json()
    return snapshot


def window(snapshot: dict) -> tuple[float, float]:
    cull = snapshot["activity"]["cull_window"]
    assert cull is not None, snapshot["activity"]
    return seconds(cull["earliest"]), seconds(cull["latest"])


def gone(hub: RealHub) -> float | None:
    return time.time() if hub.server_model(USER) is None else None


def assert_culled_inside(hub: RealHub, stopped_at: float, predicted: tuple[float, float]) -> None:
    earliest, latest = predicted
    at = datetime.fromtimestamp(stopped_at, timezone.utc).isoformat()
    span = f"{datetime.fromtimestamp(earliest, timezone.utc).isoformat()} .. " + (
        datetime.fromtimestamp(latest, timezone.utc).isoformat()
    )
    assert earliest - SLACK <= stopped_at <= latest + SLACK, f"stopped {at}, predicted {span}"
    assert f"Culling server {USER}" in hub.log_path.read_text(), "not stopped by the culler"
    until(lambda: not hub.server_processes(USER), 30, what="the server process to end")


@pytest.mark.timeout(300)
def test_the_culler_stops_a_polled_server_inside_the_predicted_window():
    """``last_activity_interval = 0``: the open tab's polls are no activity anywhere, and
    the server is stopped inside the window the panel showed all along."""
    with cull_hub(0) as hub:
        hub.start_server(USER, {"profile": "small"})
        browser = HubBrowser(hub.url)
        browser.login(USER, hub.settings.password)
        assert browser.open_lab().status_code == 200
        opened = time.time()
        predictions: list[tuple[float, tuple[float, float]]] = []
        next_poll, stopped_at = 0.0, None
        deadline = opened + TIMEOUT + EVERY + 2 * REPORTS + 30
        while stopped_at is None and time.time() < deadline:
            if time.time() >= next_poll:
                next_poll = time.time() + POLL_SECONDS
                snapshot = poll_every_route(browser)
                if snapshot is not None:
                    predictions.append((time.time(), window(snapshot)))
            stopped_at = gone(hub)
            time.sleep(1)
        assert stopped_at is not None, "the culler never stopped the polled server"
        # once the hub has the server's reports, every prediction held
        settled = [p for t, p in predictions if t > opened + 2 * REPORTS]
        assert settled, "no prediction to check"
        for predicted in settled:
            assert_culled_inside(hub, stopped_at, predicted)


@pytest.mark.timeout(300)
def test_with_the_proxys_traffic_counted_the_window_follows_the_hub():
    """The hub merges the proxy's traffic: while the tab polls, the window the panel
    shows moves on with the polls (an open tab keeps the server alive); once the tab is
    quiet (the panels' polls stand by when the user is idle) the server is stopped inside
    the window its last refresh showed."""
    with cull_hub(10) as hub:
        hub.start_server(USER, {"profile": "small"})
        browser = HubBrowser(hub.url)
        browser.login(USER, hub.settings.password)
        assert browser.open_lab().status_code == 200
        first = window(poll_every_route(browser) or {})
        polled_until = time.time() + TIMEOUT - 10
        while time.time() < polled_until:
            time.sleep(POLL_SECONDS)
            latest_seen = poll_every_route(browser)
        assert hub.server_model(USER) is not None, "culled while a tab was open"
        last = window(latest_seen or {})
        assert last[0] >= first[0] + TIMEOUT - 10 - 2 * REPORTS, (
            "the window did not follow the hub's last_activity while the tab polled"
        )
        # the tab goes quiet: what it showed last is when the culler stops the server
        predicted = last
        stopped_at = until(lambda: gone(hub), TIMEOUT + EVERY + 2 * REPORTS + 30, every=1)
        assert_culled_inside(hub, stopped_at, predicted)
