"""Data browser: search NASA Earthdata (CMR), browse S3, download, insert code."""

from __future__ import annotations

from typing import Any


def __getattr__(name: str) -> Any:
    if name == "feature":
        from .registration import feature

        return feature
    raise AttributeError(name)
