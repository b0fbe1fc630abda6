"""The feature contract: start order, disabled features and what the lab page is told.

Ordering and declaration errors are checked on :mod:`cloudscapes.features` directly;
everything else against a real server with JupyterLab loaded, as a hub runs it.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any

import pytest

from cloudscapes import app as app_module
from cloudscapes.app import FEATURES, PAGE_CONFIG_KEY, CloudscapesApp, load_features
from cloudscapes.features import Feature, FeatureError, enabled_features, start_order
from cloudscapes.handlers import CloudscapesHandler, authenticated
from cloudscapes.usage.service import UsageService

# ---- ordering, on the declarations alone -----------------------------------------------


def fake(
    name: str, requires: tuple[str, ...] = (), uses: tuple[str, ...] = (), service: Any = None
) -> Feature[Any]:
    """A feature with no routes and, unless given one, a service class of its own."""
    service = service or type(f"{name}Service", (), {})
    return Feature(
        name=name,
        service=service,
        start=lambda app: service(),
        routes=[],
        requires=requires,
        uses=uses,
    )


def names(features: list[Feature[Any]]) -> list[str]:
    return [f.name for f in features]


def test_a_feature_starts_after_what_it_requires_and_uses_ties_keep_their_order():
    features = [
        fake("git", requires=("environments",)),
        fake("usage"),
        fake("dask", uses=("usage",)),
        fake("environments", uses=("earthdata",)),
        fake("earthdata"),
    ]
    assert names(start_order(features)) == ["earthdata", "environments", "git", "usage", "dask"]


def test_the_real_features_start_in_an_order_that_fits_their_declarations():
    order = names(start_order(load_features()))
    assert sorted(order) == sorted(FEATURES)
    for feature in load_features():
        for name in feature.depends_on:
            assert order.index(name) < order.index(feature.name)


def test_a_cycle_is_an_error_that_names_it():
    features = [fake("a", requires=("b",)), fake("b", uses=("c",)), fake("c", requires=("a",))]
    with pytest.raises(FeatureError, match=r"cycle: a -> b -> c -> a\."):
        start_order(features)


def test_depending_on_an_unknown_feature_is_an_error_that_names_it():
    with pytest.raises(FeatureError, match="'dask' depends on 'usgae', which is not a"):
        start_order([fake("usage"), fake("dask", uses=("usgae",))])


def test_two_features_with_one_name_or_one_service_are_an_error():
    with pytest.raises(FeatureError, match="same name"):
        start_order([fake("git"), fake("git")])
    with pytest.raises(FeatureError, match="same service"):
        start_order([fake("git", service=UsageService), fake("usage", service=UsageService)])


def test_disabling_a_required_feature_disables_its_dependents_with_one_line_each(caplog):
    features = [
        fake("environments"),
        fake("git", requires=("environments",)),
        fake("review", requires=("git",)),
        fake("dask", uses=("environments",)),
    ]
    log = logging.getLogger("test-features")
    with caplog.at_level(logging.INFO, logger="test-features"):
        enabled = enabled_features(features, ["environments"], log)
    # a feature that only uses it keeps running (it degrades)
    assert names(enabled) == ["dask"]
    lines = [r.getMessage() for r in caplog.records]
    assert lines == [
        "Cloudscapes: feature 'git' is disabled because it requires 'environments', which is "
        "disabled (c.CloudscapesApp.disabled_features = ['environments']).",
        "Cloudscapes: feature 'review' is disabled because it requires 'git', which is "
        "disabled (c.CloudscapesApp.disabled_features = ['environments']).",
    ]


def test_an_unknown_disabled_name_is_a_warning_not_silence(caplog):
    log = logging.getLogger("test-features")
    with caplog.at_level(logging.INFO, logger="test-features"):
        enabled = enabled_features([fake("usage"), fake("dask")], ["Dask"], log)
    assert names(enabled) == ["usage", "dask"]
    (record,) = caplog.records
    assert record.levelno == logging.WARNING
    assert "names 'Dask', which is not a feature (known: usage, dask)" in record.getMessage()


# ---- a real server with JupyterLab -------------------------------------------------------


@pytest.fixture
def disabled() -> list[str]:
    """``c.CloudscapesApp.disabled_features`` (override with parametrize)."""
    return []


@pytest.fixture
def extra_features() -> list[Feature[Any]]:
    """Features started after the real ones (override with parametrize)."""
    return []


@pytest.fixture
def jp_server_config(jp_server_config, disabled, extra_features, monkeypatch, capfd):
    # capfd from here on: the server's startup log is part of what the tests check
    real = app_module.load_features
    monkeypatch.setattr(
        app_module, "load_features", lambda names=None: [*real(names), *extra_features]
    )
    config = dict(jp_server_config)
    config["ServerApp"] = {
        **config["ServerApp"],
        "jpserver_extensions": {"cloudscapes": True, "jupyterlab": True},
    }
    config["CloudscapesApp"] = {"disabled_features": disabled}
    return config


async def lab_features(jp_fetch) -> list[str] | None:
    """What the lab page tells the frontend: ``cloudscapesFeatures`` split, or None."""
    response = await jp_fetch("lab", method="GET")
    html = response.body.decode()
    found = re.search(
        r'<script id="jupyter-config-data" type="application/json">(.*?)</script>', html, re.S
    )
    assert found, "the lab page has no page config"
    page_config = json.loads(found.group(1))
    value = page_config.get(PAGE_CONFIG_KEY)
    return None if value is None else [name for name in value.split(",") if name]


def sample_path(pattern: str) -> str:
    """A path that ``pattern`` (a route below /cloudscapes/<feature>) matches: each group
    replaced by a value it accepts."""
    out, depth, start = [], 0, 0
    for i, char in enumerate(pattern):
        if char == "(" and (i == 0 or pattern[i - 1] != "\\"):
            if depth == 0:
                start = i
            depth += 1
        elif char == ")" and (i == 0 or pattern[i - 1] != "\\"):
            depth -= 1
            if depth == 0:
                group = pattern[start + 1 : i]
                values = [v for v in ("nsidc", "ws", "main", "1") if re.fullmatch(group, v)]
                assert values, f"sample_path needs a value for ({group}): add one"
                out.append(values[0])
        elif depth == 0:
            out.append(char)
    path = "".join(out)
    assert re.fullmatch(pattern, path)
    return path


def the_app(jp_serverapp) -> CloudscapesApp:
    (app,) = jp_serverapp.extension_manager.extension_apps["cloudscapes"]
    return app


@pytest.mark.parametrize(
    "disabled", [[], *([name] for name in FEATURES)], ids=lambda d: "-".join(d) or "none"
)
async def test_the_lab_page_lists_the_enabled_features_and_disabled_routes_are_gone(
    jp_fetch, jp_serverapp, disabled
):
    assert await lab_features(jp_fetch) == [f for f in FEATURES if f not in disabled]
    for feature in load_features():
        for pattern, *_ in feature.routes:
            path = "/".join(p for p in (feature.name, sample_path(pattern)) if p)
            response = await jp_fetch("cloudscapes", path, method="GET", raise_error=False)
            if feature.name in disabled:
                assert response.code == 404, f"GET /cloudscapes/{path} of a disabled feature"
            elif "(" not in pattern:
                # a fixed route of an enabled feature exists (405 for POST-only routes; a
                # 404 of its own, such as git's "not a repository", is not the catch-all's)
                code = json.loads(response.body)["error"]["code"] if response.code >= 400 else ""
                assert code != "not_found" or response.code != 404, f"GET /cloudscapes/{path}"
    assert set(the_app(jp_serverapp).services) == set(FEATURES) - set(disabled)


@pytest.mark.parametrize("disabled", [[], ["earthdata"]], ids=["earthdata", "no-earthdata"])
async def test_the_data_browser_uses_earthdata_and_keeps_public_data_without_it(api, disabled):
    status, body = await api("data/s3/sources")
    assert status == 200
    kinds = {s["access"] for s in body["sources"]}
    assert "unsigned" in kinds
    assert ("earthdata" in kinds) == (not disabled)


@pytest.mark.parametrize("usage_config", [{"currency": "EUR"}])
@pytest.mark.parametrize("disabled", [[], ["usage"]], ids=["usage", "no-usage"])
async def test_dask_uses_the_usage_currency_and_runs_without_it(api, disabled, usage_config):
    status, body = await api("dask/clusters")
    assert status == 200
    assert body["currency"] == ("USD" if disabled else "EUR")


# A feature the next issues could add: it requires usage and reaches it typed.


class ProbeService:
    def __init__(self, usage: UsageService) -> None:
        self.usage = usage


class ProbeHandler(CloudscapesHandler):
    @authenticated
    async def get(self) -> None:
        probe = self.cloudscapes.service(ProbeService)
        self.reply({"currency": probe.usage.config.currency})


PROBE = Feature(
    name="probe",
    service=ProbeService,
    start=lambda app: ProbeService(app.service(UsageService)),
    routes=[("", ProbeHandler)],
    requires=("usage",),
)


@pytest.mark.parametrize("extra_features", [[PROBE]])
@pytest.mark.parametrize("disabled", [[], ["usage"]], ids=["usage", "no-usage"])
async def test_a_feature_whose_requirement_is_disabled_is_off_with_one_log_line(
    jp_fetch, capfd, disabled
):
    response = await jp_fetch("cloudscapes", "probe", method="GET", raise_error=False)
    # the extension's log goes to the server's stderr, as an admin reads it
    lines = [line for line in capfd.readouterr().err.splitlines() if "'probe'" in line]
    if disabled:
        assert response.code == 404
        assert await lab_features(jp_fetch) == ["earthdata", "data", "dask", "git"]
        (line,) = lines
        assert line.endswith(
            "Cloudscapes: feature 'probe' is disabled because it requires 'usage', which is "
            "disabled (c.CloudscapesApp.disabled_features = ['usage'])."
        )
    else:
        assert response.code == 200
        assert json.loads(response.body) == {"currency": "USD"}
        assert await lab_features(jp_fetch) == [*FEATURES, "probe"]
        assert lines == []


UNDECLARED = Feature(
    name="undeclared",
    service=ProbeService,
    start=lambda app: ProbeService(app.service(UsageService)),
    routes=[],
    uses=("usage",),  # service() needs it in requires: uses may be disabled
)


@pytest.mark.parametrize("extra_features", [[UNDECLARED]])
async def test_reaching_a_service_without_requiring_it_stops_the_extension_saying_why(
    jp_fetch, capfd
):
    response = await jp_fetch("cloudscapes", "usage", method="GET", raise_error=False)
    assert response.code == 404  # nothing of Cloudscapes loaded: the error is not missed
    assert await lab_features(jp_fetch) is None
    assert (
        "Cloudscapes feature 'undeclared' calls app.service(UsageService) but does not list "
        "'usage' in its Feature(requires=...)" in capfd.readouterr().err
    )
