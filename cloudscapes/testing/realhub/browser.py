"""A client that reaches a hub as a browser does: the login form with its ``_xsrf``,
the hub's cookie, the OAuth redirects to the user's server, and ``X-XSRFToken`` on writes."""

from __future__ import annotations

import html
import json
import re
from typing import Any
from urllib.parse import urlparse, urlsplit

import requests

_XSRF_INPUT = re.compile(r'name="_xsrf"\s+value="([^"]+)"')
_PAGE_CONFIG = re.compile(
    r'<script id="jupyter-config-data" type="application/json">(.*?)</script>', re.S
)


class HubBrowser:
    """One browser profile (a cookie jar) logged in, or not, to the hub at ``url``."""

    def __init__(self, url: str) -> None:
        self.url = url.rstrip("/")
        self.session = requests.Session()
        self.user: str | None = None
        #: the last lab page opened (its headers and page config, without a second GET)
        self.lab: requests.Response | None = None

    def login(self, user: str, password: str) -> requests.Response:
        """Fill in and post the hub's login form; the answer is not followed (it would
        spawn a server through /hub/spawn)."""
        form = self.session.get(f"{self.url}/hub/login", timeout=30)
        form.raise_for_status()
        match = _XSRF_INPUT.search(form.text)
        xsrf = html.unescape(match.group(1)) if match else self.session.cookies.get("_xsrf", "")
        response = self.session.post(
            f"{self.url}/hub/login",
            data={"username": user, "password": password, "_xsrf": xsrf},
            allow_redirects=False,
            timeout=30,
        )
        if response.status_code != 302:
            raise RuntimeError(f"login of {user} failed: {response.status_code}")
        self.user = user
        return response

    def server_url(self, path: str = "", user: str | None = None) -> str:
        return f"{self.url}/user/{user or self.user}/{path.lstrip('/')}"

    def open_lab(self, user: str | None = None) -> requests.Response:
        """GET /user/<name>/lab, following the OAuth redirects as a browser does."""
        self.lab = self.session.get(self.server_url("lab", user), timeout=60)
        return self.lab

    def xsrf(self, user: str | None = None) -> str:
        """The single-user server's ``_xsrf`` cookie (set on its pages)."""
        path = f"{urlsplit(self.url).path}/user/{user or self.user}/"
        for cookie in self.session.cookies:
            if cookie.name == "_xsrf" and cookie.path == path:
                return str(cookie.value)
        return ""

    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        user: str | None = None,
        params: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
        **kw: Any,
    ) -> requests.Response:
        """A request from the lab page to ``/user/<name>/<path>``, as requestAPI sends it."""
        sent = {"X-XSRFToken": self.xsrf(user)} if method not in ("GET", "HEAD") else {}
        sent.update(headers or {})
        kw.setdefault("timeout", 60)
        return self.session.request(
            method,
            self.server_url(path, user),
            data=None if body is None else json.dumps(body),
            params=params,
            headers=sent,
            **kw,
        )

    def cookies_for(self, path: str) -> dict[str, str]:
        return {c.name: str(c.value) for c in self.session.cookies if c.path == path}


def page_config(page: str) -> dict[str, Any]:
    """The ``jupyter-config-data`` a lab page carries (federated extensions and all)."""
    match = _PAGE_CONFIG.search(page)
    if not match:
        raise ValueError("no jupyter-config-data in the page")
    config: dict[str, Any] = json.loads(match.group(1))
    return config


def path_of(url: str) -> str:
    return urlparse(url).path
