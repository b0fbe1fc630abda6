"""Every verb of every route in schema/ refuses requests without a valid token."""

from __future__ import annotations

import json
import re

import pytest

from .conftest import CONTRACT


@pytest.mark.parametrize("op", CONTRACT.operations, ids=lambda op: f"{op.method.upper()} {op.path}")
@pytest.mark.parametrize("auth", [None, "token not-the-token"])
async def test_every_route_requires_login(jp_fetch, op, auth):
    path = re.sub(r"\{[^/]+\}", "nsidc", op.path).removeprefix("/")
    headers = {"Authorization": auth or ""}
    body = b"{}" if op.method in ("post", "put", "patch") else None
    response = await jp_fetch(
        path, method=op.method.upper(), body=body, headers=headers, raise_error=False
    )
    assert response.code == 403
    error = json.loads(response.body)["error"]
    assert error["code"] == "not_authenticated"
    CONTRACT.validate(op.method, op.path, response.code, response.body)
