"""Cloudscapes: JupyterLab extensions for researchers on cloud JupyterHubs."""

from __future__ import annotations

import json
from pathlib import Path

__version__ = "0.1.0"

HERE = Path(__file__).parent


def _jupyter_labextension_paths() -> list[dict[str, str]]:
    """Every prebuilt lab extension shipped inside this package."""
    root = HERE / "labextensions"
    paths = []
    for manifest in sorted(root.glob("**/package.json")):
        if manifest.parent.parent.name == "static":
            continue
        name = json.loads(manifest.read_text(encoding="utf-8"))["name"]
        paths.append({"src": str(manifest.parent.relative_to(HERE)), "dest": name})
    return paths


def _jupyter_server_extension_points() -> list[dict[str, object]]:
    from .app import CloudscapesApp

    return [{"module": "cloudscapes", "app": CloudscapesApp}]
