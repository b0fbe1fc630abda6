"""The blocking HTTP client of the stand-ins' own tests, which serve the stand-ins on a
loop in a thread (:class:`cloudscapes.testing.serving.LoopThread`) and so cannot use
pytest-jupyter's async client: plain urllib that never follows redirects unless asked,
so that 302s and 307s are seen as sent, and that returns 4xx/5xx answers instead of
raising. Beside the stand-ins so that the fixture plugin
(:mod:`cloudscapes.testing.fixtures.standins`) can hand tests a client of them."""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

__all__ = ["Reply", "http"]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


@dataclass
class Reply:
    status: int
    headers: Any
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    def header(self, name: str) -> str | None:
        return self.headers.get(name)


def http(
    method: str,
    url: str,
    headers: dict[str, str] | None = None,
    bearer: str | None = None,
    data: bytes | None = None,
    follow: bool = False,
    basic: tuple[str, str] | None = None,
    timeout: float = 30,
) -> Reply:
    headers = {"User-Agent": "cloudscapes-tests/1.0", **(headers or {})}
    if basic:
        headers["Authorization"] = "Basic " + base64.b64encode(":".join(basic).encode()).decode()
    if bearer:
        headers["Authorization"] = f"Bearer {bearer}"
    if data is None and method in ("POST", "PUT"):
        data = b""
    # any URL a test gives: the stand-ins on loopback, and what they redirect to
    request = urllib.request.Request(url, data=data, headers=headers, method=method)  # noqa: S310
    opener = urllib.request.build_opener(*(() if follow else (_NoRedirect,)))
    try:
        with opener.open(request, timeout=timeout) as response:
            return Reply(response.status, response.headers, response.read())
    except urllib.error.HTTPError as error:
        with error:
            return Reply(error.code, error.headers, error.read())
