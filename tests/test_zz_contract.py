"""Contract coverage. Named to run after the route tests, whose answers it counts."""

from __future__ import annotations

import re

from cloudscapes.app import URL_PREFIX
from cloudscapes.handlers import NotFoundHandler

from .conftest import CONTRACT, SEEN

VERBS = ("get", "post", "put", "patch", "delete")


def test_every_documented_operation_was_answered_with_success():
    missing = [
        f"{op.method.upper()} {op.path}"
        for op in CONTRACT.operations
        if not any(m == op.method and p == op.path and s < 300 for m, p, s in SEEN)
    ]
    assert not missing, f"no test got a 2xx from: {missing}"


def test_every_registered_route_is_in_the_schema_and_back(jp_serverapp):
    (app,) = jp_serverapp.extension_manager.extension_apps["cloudscapes"]
    # The catch-all answers a JSON 404 for every path no route matches: it is no
    # operation of the contract, and it must come last or it would hide routes.
    *routes, (last_pattern, last_handler, *_) = app.handlers
    assert last_handler is NotFoundHandler and last_pattern == f"/{URL_PREFIX}(?:/.*)?"
    registered = set()
    for pattern, handler, *_ in routes:
        assert pattern.startswith(f"/{URL_PREFIX}")
        assert handler is not NotFoundHandler, pattern
        for verb in VERBS:
            if any(
                verb in cls.__dict__
                for cls in handler.__mro__
                if cls.__module__.startswith("cloudscapes")
            ):
                sample = re.sub(r"\([^)]*\)", "nsidc", pattern)  # a value for each group
                op = CONTRACT.find(verb, sample)
                assert op, f"{verb.upper()} {pattern} is not in schema/"
                registered.add((verb, op.path))
    documented = {(op.method, op.path) for op in CONTRACT.operations}
    assert documented == registered
