"""Dask clusters: LocalCluster inside this server, or Dask Gateway on a hub."""

from __future__ import annotations

from typing import Any


def __getattr__(name: str) -> Any:
    if name == "feature":
        from .registration import feature

        return feature
    raise AttributeError(name)
