"""Through a real JupyterHub (configurable-http-proxy, OAuth, a local spawner), as a
logged-in browser: the lab page loads every Cloudscapes extension, each feature's main
route answers under ``/user/<name>/``, and one user reaches nothing of another's server."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import requests

from cloudscapes.app import load_features
from cloudscapes.testing.fixtures.realhub import DEFAULT, GRANTED
from cloudscapes.testing.realhub import HubBrowser, page_config

from .conftest import CONTRACT, SEEN

ROOT = Path(__file__).resolve().parent.parent
#: every lab extension of the suite (packages/* whose package.json says so)
EXTENSIONS = sorted(
    json.loads(p.read_text())["name"]
    for p in ROOT.glob("packages/*/package.json")
    if '"extension": true' in p.read_text()
)
#: the route each feature's panel opens with; a new feature adds its own here
MAIN_ROUTES = {
    "usage": "cloudscapes/usage",
    "earthdata": "cloudscapes/earthdata/session",
    "data": "cloudscapes/data/config",
    "dask": "cloudscapes/dask/clusters",
    "git": "cloudscapes/git/repo",
}


def test_the_lab_page_through_the_hub_lists_every_cloudscapes_extension(hub_browser):
    browser = hub_browser(GRANTED)
    page = browser.lab
    assert page.status_code == 200
    config = page_config(page.text)
    loaded = sorted(e["name"] for e in config["federated_extensions"])
    assert EXTENSIONS and set(EXTENSIONS) <= set(loaded), loaded
    assert all(name.startswith("@cloudscapes/") for name in EXTENSIONS)
    # the page is the user's server's, reached through the hub's proxy
    assert config["baseUrl"] == f"/user/{GRANTED}/"
    assert config["hubUser"] == GRANTED and config["hubPrefix"] == "/hub/"
    enabled = set(config["cloudscapesFeatures"].split(","))
    assert enabled == {f.name for f in load_features()}


@pytest.mark.parametrize("feature", sorted(MAIN_ROUTES))
def test_every_features_main_route_answers_under_the_users_prefix(hub_browser, feature):
    assert set(MAIN_ROUTES) == {f.name for f in load_features()}
    browser = hub_browser(GRANTED)
    response = browser.call("GET", MAIN_ROUTES[feature], params={"no_track_activity": "1"})
    assert response.status_code == 200, response.text[:300]
    assert response.headers["Content-Type"].startswith("application/json")
    path = "/" + MAIN_ROUTES[feature]
    op = CONTRACT.validate("GET", path, response.status_code, response.content)
    SEEN.add(("get", op.path, response.status_code))


def sample_path(template: str) -> str:
    """A schema path with a plausible value for each parameter."""
    return re.sub(r"\{[^}]+\}", "nsidc", template).lstrip("/")


def every_operation() -> list[tuple[str, str]]:
    return sorted((op.method.upper(), sample_path(op.path)) for op in CONTRACT.operations)


def reached(response: requests.Response, owner: str) -> bool:
    """Whether ``response`` (redirects followed) came from ``owner``'s server with
    success: what isolation must never allow."""
    if response.status_code >= 300:
        return False
    return f"/user/{owner}/" in response.url and "/hub/" not in response.url


def assert_untouched(real_hub, owner_browser: HubBrowser, owner: str) -> None:
    """The owner's server still runs, with no keep-alive or cluster someone else made."""
    assert real_hub.server_model(owner) is not None, "the other user stopped the server"
    usage = owner_browser.call("GET", "cloudscapes/usage", params={"no_track_activity": "1"})
    assert usage.status_code == 200 and usage.json()["activity"]["keepalive_until"] is None
    clusters = owner_browser.call("GET", "cloudscapes/dask/clusters")
    assert clusters.status_code == 200 and clusters.json()["clusters"] == []


def test_one_user_reaches_no_route_of_anothers_server(real_hub, hub_browser):
    """With her cookies, her API token, her server's token and her cookie renamed to
    his, alice gets nothing from bob's server: no route, no method."""
    owner = hub_browser(DEFAULT)
    intruder = hub_browser(GRANTED)
    token = real_hub.api("POST", f"users/{GRANTED}/tokens", body={"note": "isolation"})
    assert token.status_code == 201, token.text
    user_token = token.json()["token"]
    server_token = real_hub.server_token(GRANTED)
    own_cookie = intruder.cookies_for(f"/user/{GRANTED}/")[f"jupyterhub-user-{GRANTED}"]
    renamed = requests.Session()
    renamed.cookies.set(f"jupyterhub-user-{DEFAULT}", own_cookie, path=f"/user/{DEFAULT}/")
    renamed.cookies.set("_xsrf", intruder.xsrf(), path=f"/user/{DEFAULT}/")

    def bearer(token: str) -> requests.Session:
        session = requests.Session()
        session.headers["Authorization"] = f"token {token}"
        return session

    attempts = {
        "cookie": intruder.session,
        "user token": bearer(user_token),
        "server token": bearer(server_token),
        "renamed cookie": renamed,
    }
    body = json.dumps({"minutes": 30, "backend": "local", "workers": 1})
    xsrf = {"X-XSRFToken": intruder.xsrf()}
    leaks = []
    for method, path in every_operation():
        url = intruder.server_url(path, user=DEFAULT)
        for how, session in attempts.items():
            response = session.request(method, url, data=body, headers=xsrf, timeout=30)
            if reached(response, DEFAULT):
                leaks.append(f"{how}: {method} {path} -> {response.status_code}")
            # refused, not broken: a 403 from the server or the hub, or the hub's login
            assert response.status_code < 500, f"{how}: {method} {path} {response.status_code}"
    assert not leaks, leaks
    assert_untouched(real_hub, owner, DEFAULT)
    # ...while the same credentials still open her own server
    mine = bearer(user_token).get(intruder.server_url("cloudscapes/usage"), timeout=30)
    assert mine.status_code == 200 and mine.json()["hub"]["present"] is True
