"""A real jupyter_server with Cloudscapes, auth required, every answer checked against
the REST contract in ``schema/``.

Each feature's fixtures live beside its stand-ins, in the plugins of
:mod:`cloudscapes.testing.fixtures`; a test starts only the stand-ins it asks for (see
there). Here: the ``api`` client and the contract coverage it records."""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Callable
from typing import Any

import pytest
from tornado.httpclient import HTTPResponse

from cloudscapes.testing.datasets import TEST_MANY_KEYS as MANY_KEYS
from cloudscapes.testing.fixtures import PLUGINS

from .contract import Contract

pytest_plugins = ["pytest_jupyter.jupyter_server", *PLUGINS]

__all__ = ["CONTRACT", "MANY_KEYS", "SEEN"]

CONTRACT = Contract()
#: (method, schema path, status) of every answer the tests saw, for coverage checks.
SEEN: set[tuple[str, str, int]] = set()


@pytest.fixture
def api(jp_fetch) -> Callable[..., Any]:
    """``await api("usage", method=..., body=...)`` -> (status, json body).

    Never raises on 4xx/5xx; every answer, errors included, must match ``schema/``.
    """

    async def call(
        path: str, method: str = "GET", body: Any = None, raw: bytes | None = None, **kw: Any
    ) -> tuple[int, Any]:
        if raw is None and body is not None:
            raw = json.dumps(body).encode()
        if raw is None and method in ("POST", "PUT", "PATCH"):
            raw = b""
        path_only, _, query = path.partition("?")
        params = dict(urllib.parse.parse_qsl(query, keep_blank_values=True))
        response: HTTPResponse = await jp_fetch(
            "cloudscapes",
            path_only,
            method=method,
            body=raw,
            raise_error=False,
            params=params,
            **kw,
        )
        url_path = "/cloudscapes/" + path.partition("?")[0] if path else "/cloudscapes"
        op = CONTRACT.validate(method, url_path, response.code, response.body)
        SEEN.add((method.lower(), op.path, response.code))
        return response.code, json.loads(response.body)

    return call
