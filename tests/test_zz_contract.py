"""Contract coverage. Named to run after the route tests, whose answers it counts."""

from __future__ import annotations

import re

from cloudscapes.app import URL_PREFIX

from .conftest import CONTRACT, SEEN


def test_every_documented_operation_was_answered_with_success():
    missing = [
        f"{op.method.upper()} {op.path}"
        for op in CONTRACT.operations
        if not any(m == op.method and p == op.path and s < 300 for m, p, s in SEEN)
    ]
    assert not missing, f"no test got a 2xx from: {missing}"


def test_every_registered_route_is_in_the_schema(jp_serverapp):
    app = jp_serverapp.extension_manager.extension_apps["cloudscapes"]
    (cloudscapes,) = app
    documented = {re.sub(r"\{[^/]+\}", "x", op.path) for op in CONTRACT.operations}
    registered = set()
    for pattern, handler, *_ in cloudscapes.handlers:
        registered.add(pattern)
        for verb in ("get", "post", "put", "patch", "delete"):
            if getattr(handler, verb) is not getattr(handler.__mro__[-2], verb, None) and (
                verb in handler.__dict__
            ):
                assert CONTRACT.find(verb, pattern), f"{verb.upper()} {pattern} not in schema/"
    assert all(p.startswith(f"/{URL_PREFIX}") for p in registered)
    assert {p for p in registered} >= {p for p in documented}
