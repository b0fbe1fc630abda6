"""docs/admin.md lists every server trait and every client setting, with its default."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cloudscapes.app import CloudscapesApp, load_features

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
