"""DAAC temporary S3 credentials (thin-egress-app ``/s3credentials``).

Plain ``urllib`` with no redirects followed, so the same code serves the server (in an
executor) and the ``cloudscapes-credentials`` process that kernels and Dask workers
run through AWS ``credential_process``.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from ..handlers import split_url


class DaacError(Exception):
    """A refusal or failure, as (status, code, message, hint) for the REST error."""

    def __init__(self, status: int, code: str, message: str, hint: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.hint = status, code, message, hint


@dataclass(frozen=True)
class S3Credentials:
    access_key_id: str
    secret_access_key: str
    session_token: str
    expiration: datetime

    def fresh(self, margin: float) -> bool:
        return self.expiration - timedelta(seconds=margin) > datetime.now(timezone.utc)

    def to_process_output(self) -> dict[str, Any]:
        """The JSON an AWS ``credential_process`` prints."""
        return {
            "Version": 1,
            "AccessKeyId": self.access_key_id,
            "SecretAccessKey": self.secret_access_key,
            "SessionToken": self.session_token,
            "Expiration": self.expiration.astimezone(timezone.utc)
            .isoformat()
            .replace("+00:00", "Z"),
        }

    @classmethod
    def from_process_output(cls, data: dict[str, Any]) -> S3Credentials:
        return cls(
            data["AccessKeyId"],
            data["SecretAccessKey"],
            data["SessionToken"],
            datetime.fromisoformat(data["Expiration"].replace("Z", "+00:00")),
        )


def _parse_expiration(value: str) -> datetime:
    # TEA answers "2022-10-05 02:54:08+00:00"
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # the 3xx surfaces as an HTTPError: no header ever goes elsewhere


_OPENER = urllib.request.build_opener(_NoRedirect)


def fetch_s3_credentials(
    endpoint: str, token: str, *, timeout: float, user_agent: str, daac: str = ""
) -> S3Credentials:
    """GET the endpoint with the EDL token; every refusal becomes a ``DaacError``."""
    parts = split_url(endpoint)
    if parts is None or parts.scheme not in ("http", "https"):
        raise DaacError(400, "invalid_endpoint", "The endpoint is not an HTTP(S) URL.", "")
    name = daac or parts.hostname or "the endpoint"
    request = urllib.request.Request(  # noqa: S310 (scheme checked above)
        endpoint,
        headers={
            "Authorization": f"Bearer {token}",
            "User-Agent": user_agent,
            "Accept": "application/json",
        },
    )
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            status, body, ctype = (
                response.status,
                response.read(),
                response.headers.get("Content-Type", ""),
            )
    except urllib.error.HTTPError as exc:
        status, body, ctype = exc.code, exc.read(), exc.headers.get("Content-Type", "")
    except TimeoutError:
        raise DaacError(
            504,
            "daac_timeout",
            f"{name} did not answer within {timeout:g} seconds.",
            "Try again in a moment.",
        ) from None
    except OSError:
        raise DaacError(
            502,
            "daac_unreachable",
            f"{name} ({parts.hostname}) could not be reached.",
            "Try again later, or use the HTTPS links of the data instead.",
        ) from None
    data: Any = None
    if "json" in ctype:
        try:
            data = json.loads(body)
        except ValueError:
            data = None
    if status == 200 and isinstance(data, dict) and "accessKeyId" in data:
        try:
            return S3Credentials(
                data["accessKeyId"],
                data["secretAccessKey"],
                data["sessionToken"],
                _parse_expiration(data["expiration"]),
            )
        except (KeyError, TypeError, ValueError):
            pass
    if 300 <= status < 400 or status == 401:
        raise DaacError(
            401,
            "daac_invalid_token",
            f"{name} did not accept your Earthdata token.",
            "Sign in to Earthdata again in the Earthdata panel.",
        )
    if status == 403 and isinstance(data, dict):
        url = data.get("resolution_url")
        if url:
            raise DaacError(
                403,
                "daac_eula_required",
                f"{name} needs you to accept its end-user license agreement "
                f"({data.get('error_description', 'EULA')}).",
                f"Accept it at {url} , then refresh the credentials.",
            )
    if status == 403:
        raise DaacError(
            403,
            "daac_forbidden",
            f"Your Earthdata account may not read {name}'s buckets.",
            "Some collections need an approved application; check the collection's page, "
            "or use its HTTPS links.",
        )
    raise DaacError(
        502,
        "daac_error",
        f"{name} answered {status} without credentials.",
        "Try again later, or use the HTTPS links of the data instead.",
    )
