"""Credentials endpoints outside the DAAC table, and the DAAC names Cloudscapes gives them.

Some collections name an ``S3CredentialsAPIEndpoint`` of their own: SWOT's
``https://archive.swot.podaac.earthdata.nasa.gov/s3credentials`` serves keys for the
SWOT buckets only, which PO.DAAC's keys cannot read. Such an endpoint, when the admin
allows it, becomes a DAAC of its own (``swot-podaac``), with its own AWS profile.
"""

from __future__ import annotations

import hashlib
import ipaddress
import re

from ..handlers import on_domain, split_url

#: Host labels that say nothing about whose endpoint it is.
_GENERIC = {"archive", "data", "www", "api", "s3credentials", "tea", "egress"}
#: Domains left off a name besides the admin's allowed suffixes.
_NASA = ("earthdatacloud.nasa.gov", "earthdata.nasa.gov", "nasa.gov")
_NOT_NAME = re.compile(r"[^a-z0-9]+")
MAX_NAME = 40


def origin(url: str) -> tuple[str, str, int] | None:
    """``(scheme, host, port)`` of ``url`` with the scheme's default port filled in;
    None for a URL that is not http(s) or cannot be read."""
    parts = split_url(url)
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    try:
        port = parts.port
    except ValueError:
        return None
    return parts.scheme, parts.hostname.lower(), port or (443 if parts.scheme == "https" else 80)


def same_endpoint(a: str, b: str) -> bool:
    return a.rstrip("/") == b.rstrip("/")


def _is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return "." not in host  # localhost and other single-label names
    return True


def _clean(text: str) -> str:
    return _NOT_NAME.sub("-", text.lower()).strip("-")[:MAX_NAME].strip("-")


def daac_name(endpoint: str, suffixes: list[str]) -> str:
    """A DAAC name for ``endpoint``: from its host without the allowed domain and
    generic labels (``archive.swot.podaac.earthdata.nasa.gov`` -> ``swot-podaac``), or
    from the first path segment when the host is an address (``…/swot/s3credentials``
    -> ``swot``); ``daac-<hash>`` when neither gives one."""
    parts = split_url(endpoint)
    host = (parts.hostname or "") if parts is not None else ""
    name = ""
    if host and _is_address(host):
        segments = [s for s in (parts.path if parts else "").split("/") if s]
        if segments and segments[0].lower() not in _GENERIC:
            name = _clean(segments[0])
    elif host:
        labels = host.lower().split(".")
        domains = sorted(
            {s.lstrip(".").lower() for s in suffixes if s.strip(".")} | set(_NASA),
            key=len,
            reverse=True,
        )
        domain = next((d for d in domains if on_domain(host, d) and host != d), None)
        if domain is not None:
            labels = labels[: len(labels) - len(domain.split("."))]
        elif len(labels) > 1:
            labels = labels[:-1]  # the top-level domain
        named = [label for label in labels if label not in _GENERIC] or labels[:1]
        name = _clean("-".join(named))
    return name or "daac-" + short_hash(endpoint)


def short_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:6]


def unique_name(name: str, endpoint: str, taken: dict[str, str]) -> str:
    """``name``, or ``name-<hash>`` when another endpoint already has it (``taken``:
    name -> endpoint)."""
    if name not in taken or same_endpoint(taken[name], endpoint):
        return name
    return f"{name[: MAX_NAME - 7]}-{short_hash(endpoint)}"
