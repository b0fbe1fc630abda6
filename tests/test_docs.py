"""docs/admin.md lists every server trait and every client setting, with its default;
docs/hub-install.md's snippets parse and say what the real-hub tests run."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml
from jupyter_core import paths as jupyter_paths
from traitlets.config import Config

from cloudscapes.app import CloudscapesApp, load_features
from cloudscapes.testing.fixtures.realhub import session_hub_settings
from cloudscapes.testing.realhub import (
    CLOUDSCAPES_SERVER_SCOPES,
    DEFAULT_SERVER_SCOPES,
    PRICES,
    HubSettings,
)
from cloudscapes.testing.realhub.config import culler_command, server_environment
from cloudscapes.usage.hub import READ_SCOPE, STOP_SCOPE

ROOT = Path(__file__).resolve().parent.parent
ADMIN = (ROOT / "docs" / "admin.md").read_text(encoding="utf-8")
CONFIGURABLES = [CloudscapesApp, *(c for f in load_features() for c in f.configurables)]
SETTINGS = sorted(ROOT.glob("packages/*/schema/*.json"))


@pytest.mark.parametrize("cls", CONFIGURABLES, ids=lambda c: c.__name__)
def test_every_trait_is_documented(cls):
    assert f"`c.{cls.__name__}`" in ADMIN
    missing = [name for name in cls.class_own_traits(config=True) if f"| `{name}` |" not in ADMIN]
    assert not missing, f"docs/admin.md lacks {cls.__name__} traits: {missing}"


@pytest.mark.parametrize("schema", SETTINGS, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_every_setting_is_documented_with_title_description_default(schema):
    package = json.loads((schema.parent.parent / "package.json").read_text())["name"]
    plugin_id = f"{package}:{schema.stem}"
    assert f"`{plugin_id}`" in ADMIN
    spec = json.loads(schema.read_text())
    assert spec.get("title") and spec.get("description")
    for name, prop in spec["properties"].items():
        assert "default" in prop, f"{plugin_id}.{name} has no default"
        assert prop.get("title") and prop.get("description"), f"{plugin_id}.{name}"
        row = f"| `{name}` | `{json.dumps(prop['default'], separators=(', ', ': '))}` |"
        assert row in ADMIN, f"docs/admin.md lacks the row {row}"


# ---- docs/hub-install.md: its snippets parse, and say what the test hub runs -------------

HUB_INSTALL = (ROOT / "docs" / "hub-install.md").read_text(encoding="utf-8")


def snippets(language: str, text: str = HUB_INSTALL) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```", text, flags=re.M | re.S)


@pytest.mark.parametrize("page", ["admin.md", "hub-install.md"])
def test_helm_examples_mount_config_where_the_server_reads_it_and_keep_the_default_scopes(page):
    """The real hub showed it: prices in jupyter_server_config.d/ are silently ignored."""
    text = (ROOT / "docs" / page).read_text(encoding="utf-8")
    examples = [yaml.safe_load(t) for t in snippets("yaml", text)]
    mounts = [
        f["mountPath"]
        for e in examples
        for f in ((e.get("singleuser") or {}).get("extraFiles") or {}).values()
    ]
    scopes = [
        e["hub"]["config"]["Spawner"]["server_token_scopes"]
        for e in examples
        if "Spawner" in ((e.get("hub") or {}).get("config") or {})
    ]
    assert mounts and scopes
    for mount in map(Path, mounts):
        assert mount.name == "jupyter_server_config.json", mount
        assert str(mount.parent) in jupyter_paths.SYSTEM_CONFIG_PATH, mount
    for listed in scopes:
        assert sorted(listed) == sorted(CLOUDSCAPES_SERVER_SCOPES)


def merged_values() -> dict:
    """Every YAML snippet of the recipe, merged as Helm merges values files."""

    def merge(into: dict, new: dict) -> None:
        for key, value in new.items():
            if isinstance(value, dict) and isinstance(into.get(key), dict):
                merge(into[key], value)
            else:
                into[key] = value

    values: dict = {}
    for text in snippets("yaml"):
        merge(values, yaml.safe_load(text))
    return values


def test_hub_install_hub_settings_are_those_the_test_hub_runs():
    values = merged_values()
    config = values["hub"]["config"]
    hub = HubSettings()
    assert config["Spawner"]["server_token_scopes"] == CLOUDSCAPES_SERVER_SCOPES
    # the session hub grants alice exactly these
    assert session_hub_settings().server_token_scopes["alice"] == CLOUDSCAPES_SERVER_SCOPES
    assert set(DEFAULT_SERVER_SCOPES) <= set(CLOUDSCAPES_SERVER_SCOPES)
    assert set(CLOUDSCAPES_SERVER_SCOPES) - set(DEFAULT_SERVER_SCOPES) == {READ_SCOPE, STOP_SCOPE}
    # Zero to JupyterHub's own 60 (its route check): never 0 with the proxy in its own
    # pod; the test hubs run the proxy-counting mode in test_hub_cull.py
    assert config["JupyterHub"]["last_activity_interval"] == 60
    # the culler's settings reach the servers, in step
    env = values["singleuser"]["extraEnv"]
    assert env["CLOUDSCAPES_CULL_TIMEOUT"] == str(values["cull"]["timeout"])
    assert env["CLOUDSCAPES_CULL_EVERY"] == str(values["cull"]["every"])
    interval = config["JupyterHub"]["last_activity_interval"]
    assert env["CLOUDSCAPES_LAST_ACTIVITY_INTERVAL"] == str(interval)
    served = server_environment(hub, "marker")
    assert {n for n in env if n.startswith("CLOUDSCAPES_")} <= set(served)
    assert culler_command(hub)[-2:] == [
        f"--timeout={hub.cull_timeout}",
        f"--cull-every={hub.cull_every}",
    ]
    # the Python form says the same
    (python,) = snippets("python")
    c = Config()
    exec(compile(python, "hub.extraConfig", "exec"), {"c": c})  # noqa: S102
    assert c.Spawner.server_token_scopes == CLOUDSCAPES_SERVER_SCOPES
    assert c.JupyterHub.last_activity_interval == config["JupyterHub"]["last_activity_interval"]


def test_hub_install_prices_are_a_config_file_the_server_reads_and_those_the_test_hub_uses():
    singleuser = merged_values()["singleuser"]
    (files,) = singleuser["extraFiles"].values()
    mount = Path(files["mountPath"])
    # jupyter_server reads traits from <config dir>/jupyter_server_config.json, not .d/
    assert mount.name == "jupyter_server_config.json"
    assert str(mount.parent) in jupyter_paths.SYSTEM_CONFIG_PATH
    # ...as the test hub writes it on its servers' config path
    assert files["data"] == {"CloudscapesUsage": PRICES}
    for section, traits in files["data"].items():
        configurable = next(c for c in CONFIGURABLES if c.__name__ == section)
        assert set(traits) <= set(configurable.class_own_traits(config=True))
    # every profile is priced, under the name users pick it by
    table = PRICES["price_table"]
    for profile in singleuser["profileList"]:
        assert table[profile["slug"]]["display_name"] == profile["display_name"]
    assert PRICES["default_profile"] in [p["slug"] for p in singleuser["profileList"]]


def test_hub_install_gateway_variables_are_the_ones_cloudscapes_reads():
    env = merged_values()["singleuser"]["extraEnv"]
    gateway = {k: v for k, v in env.items() if k.startswith("DASK_GATEWAY__")}
    source = (ROOT / "cloudscapes" / "dask" / "config.py").read_text()
    assert len(gateway) == 4
    for name in gateway:
        assert f"${name}" in source, name
    assert gateway["DASK_GATEWAY__AUTH__TYPE"] == "jupyterhub"


def test_hub_install_overrides_name_real_settings_with_valid_values():
    (overrides,) = snippets("json")
    schemas = {}
    for schema in SETTINGS:
        package = json.loads((schema.parent.parent / "package.json").read_text())["name"]
        schemas[f"{package}:{schema.stem}"] = json.loads(schema.read_text())
    for plugin, values in json.loads(overrides).items():
        spec = schemas[plugin]
        for name, value in values.items():
            jsonschema.validate(value, spec["properties"][name])


def test_hub_install_image_installs_cloudscapes():
    dockerfiles = snippets("dockerfile")
    assert any("pip install --no-cache-dir cloudscapes" in d for d in dockerfiles)
    assert all(
        line.split()[0] in {"ARG", "FROM", "RUN", "COPY"}
        for d in dockerfiles
        for line in d.splitlines()
        if line
    )
