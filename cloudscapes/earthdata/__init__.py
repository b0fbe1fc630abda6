"""Earthdata login: sign in once; HTTPS (netrc) and in-region S3 access work everywhere.

The feature (routes, service) is loaded on first access of ``feature``, so that
``python -m cloudscapes.earthdata.credential_process``, which AWS SDKs run for every
new session, imports no Jupyter server.
"""

from __future__ import annotations

from typing import Any


def __getattr__(name: str) -> Any:
    if name == "feature":
        from .registration import feature

        return feature
    raise AttributeError(name)
