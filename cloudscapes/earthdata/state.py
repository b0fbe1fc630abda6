"""The remembered Earthdata session on disk (0600), shared with kernels and workers.

Written only when the user chose "Remember me". It holds the EDL token (never the
password, which lives in ~/.netrc as every netrc reader expects) and what the
``cloudscapes-credentials`` process needs to fetch DAAC credentials by itself.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..userfiles import atomic_write, read_text
from .daac import S3Credentials

VERSION = 1


@dataclass
class SavedSession:
    environment: str
    edl_url: str
    token: str = field(repr=False)
    token_expires: str
    username: str | None = None
    #: tokens Cloudscapes created (only these may be revoked at the two-token limit)
    created_tokens: list[str] = field(default_factory=list, repr=False)
    #: the netrc entry Cloudscapes wrote: {"path", "machine", "login"}
    netrc: dict[str, str] | None = None
    daacs: dict[str, str] = field(default_factory=dict)
    #: the DAACs named after a collection's own credentials endpoint (SWOT's), restored
    #: after a restart when their endpoints are still allowed
    own_daacs: dict[str, str] = field(default_factory=dict)
    s3_endpoint_url: str = ""
    archive_region: str = "us-west-2"
    margin: float = 300.0
    timeout: float = 15.0
    user_agent: str = ""
    version: int = VERSION

    def save(self, path: Path) -> None:
        atomic_write(path, json.dumps(asdict(self), indent=1) + "\n", 0o600)

    @classmethod
    def load(cls, path: Path) -> SavedSession | None:
        text = read_text(path)
        if not text:
            return None
        try:
            data = json.loads(text)
            if data.get("version") != VERSION:
                return None
            known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
            return cls(**known)
        except (ValueError, TypeError):
            return None


def default_state_path() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "cloudscapes" / "earthdata.json"


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "cloudscapes" / "earthdata"


def _token_id(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()[:16]


def read_cached(daac: str, token: str, margin: float) -> S3Credentials | None:
    text = read_text(cache_dir() / f"{daac}.json")
    if not text:
        return None
    try:
        data: dict[str, Any] = json.loads(text)
        if data.get("token_id") != _token_id(token):
            return None
        credentials = S3Credentials.from_process_output(data["credentials"])
    except (KeyError, TypeError, ValueError):
        return None
    return credentials if credentials.fresh(margin) else None


def write_cached(daac: str, token: str, credentials: S3Credentials) -> None:
    payload = {"token_id": _token_id(token), "credentials": credentials.to_process_output()}
    atomic_write(cache_dir() / f"{daac}.json", json.dumps(payload) + "\n", 0o600)


def clear_cache() -> None:
    folder = cache_dir()
    if folder.is_dir():
        for file in folder.glob("*.json"):
            file.unlink(missing_ok=True)


def current_token(path: str | os.PathLike[str] | None = None) -> str:
    """The Earthdata token for code running in a kernel: ``$EARTHDATA_TOKEN``, else the
    remembered session (``path``, default :func:`default_state_path`). Inserted code calls
    this at run time, so notebooks never contain the token."""
    token = os.environ.get("EARTHDATA_TOKEN", "").strip()
    if token:
        return token
    saved = SavedSession.load(Path(path) if path else default_state_path())
    if saved is None:
        raise RuntimeError(
            "No Earthdata token: sign in from the Earthdata panel with 'Remember me', "
            "or set EARTHDATA_TOKEN."
        )
    return saved.token
