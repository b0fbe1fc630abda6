"""A hub served under a base URL (``c.JupyterHub.base_url = "/jh/"``), as hubs behind a
shared domain are: the lab page, the usage route and "Stop my server" must use the
hub's prefix, never a hard-coded ``/hub/``."""

from __future__ import annotations

import pytest

from cloudscapes.testing.realhub import (
    CLOUDSCAPES_SERVER_SCOPES,
    HubBrowser,
    HubSettings,
    RealHub,
    page_config,
    until,
)

from .conftest import CONTRACT

USER = "alice"
PREFIX = "/jh/"


@pytest.mark.timeout(240)
def test_under_a_hub_base_url_the_lab_usage_and_stop_follow_the_prefix():
    settings = HubSettings(
        users=(USER,), base_url=PREFIX, server_token_scopes={USER: CLOUDSCAPES_SERVER_SCOPES}
    )
    with RealHub(settings) as hub:
        assert hub.url.endswith("/jh")
        hub.start_server(USER, {"profile": "small"})
        browser = HubBrowser(hub.url)
        browser.login(USER, settings.password)
        page = browser.open_lab()
        assert page.status_code == 200 and page.url.endswith(f"{PREFIX}user/{USER}/lab")
        config = page_config(page.text)
        assert config["baseUrl"] == f"{PREFIX}user/{USER}/"
        assert config["hubPrefix"] == f"{PREFIX}hub/"
        assert any(e["name"].startswith("@cloudscapes/") for e in config["federated_extensions"])

        usage = browser.call("GET", "cloudscapes/usage", params={"no_track_activity": "1"})
        assert usage.status_code == 200, usage.text[:300]
        CONTRACT.validate("GET", "/cloudscapes/usage", 200, usage.content)
        snapshot = usage.json()
        assert snapshot["hub"]["home_url"] == f"{PREFIX}hub/home"
        assert snapshot["cost"]["since_source"] == "hub"  # the hub's API was reached

        stop = browser.call("POST", "cloudscapes/usage/stop")
        assert stop.status_code == 202, f"{stop.status_code} {stop.text[:200]}"
        assert stop.json() == {"status": "stopping", "redirect": f"{PREFIX}hub/home"}
        until(lambda: hub.server_model(USER) is None, 60, what="the hub to stop it")
        home = browser.session.get(f"{hub.url}/hub/home", timeout=30)
        assert home.status_code == 200 and "Start My Server" in " ".join(home.text.split())
