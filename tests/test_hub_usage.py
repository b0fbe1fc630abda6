"""The usage indicator under a real JupyterHub: what the panel shows with the hub's
default server token and with the scopes docs/hub-install.md grants, keep-alive seen by
the hub, and "Stop my server" as the browser sees it."""

from __future__ import annotations

import time
from datetime import datetime, timezone

from cloudscapes.handlers import parse_time
from cloudscapes.testing.fixtures.realhub import DEFAULT, GRANTED
from cloudscapes.testing.realhub import PRICES, until

from .conftest import CONTRACT, SEEN

UNTRACKED = {"no_track_activity": "1"}


def usage(browser) -> dict:
    response = browser.call("GET", "cloudscapes/usage", params=UNTRACKED)
    assert response.status_code == 200, response.text[:300]
    CONTRACT.validate("GET", "/cloudscapes/usage", 200, response.content)
    return response.json()


def hub_time(value: str) -> datetime:
    return parse_time(value).astimezone(timezone.utc)


def test_usage_with_read_servers_shows_the_spawned_profile_and_cost_since_the_hubs_start(
    real_hub, hub_browser
):
    browser = hub_browser(GRANTED)
    record = real_hub.server_model(GRANTED)
    snapshot = usage(browser)
    large = PRICES["price_table"]["large"]
    # the profile the user picked at spawn (user_options.profile), priced by the admin
    assert snapshot["profile"] == {
        "name": "large",
        "display_name": large["display_name"],
        "source": "hub",
        "priced": True,
    }
    cost = snapshot["cost"]
    assert cost["since_source"] == "hub"
    assert hub_time(cost["since"]) == hub_time(record["started"])
    assert cost["rate_per_hour"] == large["rate_per_hour"] and cost["currency"] == "USD"
    hours = (hub_time(snapshot["time"]) - hub_time(record["started"])).total_seconds() / 3600
    assert abs(cost["accrued"] - round(large["rate_per_hour"] * hours, 4)) <= 0.0001
    assert snapshot["hub"] == {
        "present": True,
        "can_stop": True,
        "home_url": "/hub/home",
        "stop_scope": "delete:servers!server",
    }


def test_usage_with_the_default_token_prices_the_default_profile_from_the_servers_start(
    real_hub, hub_browser
):
    """The default token cannot read the server's record: the admin's default profile,
    and the cost since the server process started (moments after the hub's start)."""
    browser = hub_browser(DEFAULT)
    record = real_hub.server_model(DEFAULT)
    snapshot = usage(browser)
    small = PRICES["price_table"]["small"]
    assert snapshot["profile"]["name"] == "small" and snapshot["profile"]["source"] == "config"
    assert snapshot["profile"]["display_name"] == small["display_name"]
    cost = snapshot["cost"]
    assert cost["since_source"] == "server" and cost["rate_per_hour"] == small["rate_per_hour"]
    lag = (hub_time(cost["since"]) - hub_time(record["started"])).total_seconds()
    assert 0 <= lag < 30, lag
    assert cost["accrued"] is not None and cost["accrued"] >= 0
    # the hub says which scopes the token has: no stop button without the scope
    assert snapshot["hub"]["present"] is True and snapshot["hub"]["can_stop"] is False


def test_keepalive_moves_the_hubs_last_activity(real_hub, hub_browser):
    """Keep-alive reaches the hub through the server's activity reports; the usage polls
    themselves do not."""
    browser = hub_browser(GRANTED)
    interval = real_hub.settings.activity_interval

    def hub_last() -> datetime:
        return hub_time(real_hub.server_model(GRANTED)["last_activity"])

    # polls alone leave it where it is (give the server two reports' time)
    before = hub_last()
    for _ in range(int(2.5 * interval)):
        usage(browser)
        time.sleep(1)
    assert hub_last() == before
    asked = datetime.now(timezone.utc)
    response = browser.call("POST", "cloudscapes/usage/keepalive", {"minutes": 30})
    assert response.status_code == 200, response.text
    SEEN.add(("post", "/cloudscapes/usage/keepalive", 200))
    try:
        moved = until(
            lambda: hub_last() if hub_last() >= asked else None,
            timeout=3 * interval,
            what="the hub's last_activity to pass the keep-alive",
        )
        assert moved >= asked
        assert usage(browser)["activity"]["keepalive_until"] is not None
    finally:
        ended = browser.call("DELETE", "cloudscapes/usage/keepalive")
        assert ended.status_code == 200 and ended.json() == {"keepalive_until": None}


def test_stop_with_the_default_token_is_refused_naming_the_scope(real_hub, hub_browser):
    browser = hub_browser(DEFAULT)
    response = browser.call("POST", "cloudscapes/usage/stop")
    assert response.status_code == 403, response.text[:300]
    CONTRACT.validate("POST", "/cloudscapes/usage/stop", 403, response.content)
    error = response.json()["error"]
    assert error["code"] == "hub_forbidden"
    assert "delete:servers!server" in error["message"]
    assert "c.Spawner.server_token_scopes" in error["hint"] and "/hub/home" in error["hint"]
    assert real_hub.server_model(DEFAULT) is not None, "the server was stopped anyway"


def test_stop_with_the_scope_answers_stopping_and_the_server_is_gone(real_hub, hub_browser):
    """The hub stops the server while the request is in flight: the browser must still
    get an answer from Cloudscapes (not the proxy's 503), and then the server is gone."""
    browser = hub_browser(GRANTED)
    response = browser.call("POST", "cloudscapes/usage/stop")
    assert response.status_code in (200, 202), f"{response.status_code} {response.text[:200]}"
    body = response.json()
    CONTRACT.validate("POST", "/cloudscapes/usage/stop", response.status_code, response.content)
    SEEN.add(("post", "/cloudscapes/usage/stop", response.status_code))
    assert body["status"] in ("stopping", "stopped") and body["redirect"] == "/hub/home"
    until(lambda: real_hub.server_model(GRANTED) is None, 60, what="the hub to stop it")
    until(lambda: not real_hub.server_processes(GRANTED), 30, what="the process to end")
    # where the panel sends the browser: the hub's home, with the server stopped
    home = browser.session.get(f"{real_hub.url}/hub/home", timeout=30)
    text = " ".join(home.text.split())
    assert home.status_code == 200 and "Start My Server" in text and 'id="stop"' not in text
