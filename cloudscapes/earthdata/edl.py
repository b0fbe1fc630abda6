"""Earthdata Login client: tokens (Basic auth, to the configured EDL host only) and the
profile (Bearer). Never retries a failed login: EDL locks accounts after repeated
failures. No request follows a redirect, so credentials never reach another host.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any
from urllib.parse import quote

from tornado.httpclient import AsyncHTTPClient, HTTPClientError, HTTPRequest

from ..handlers import CloudscapesError

LOCKOUT_HINT = (
    "Check your Earthdata username and password. After several failed attempts "
    "Earthdata Login locks the account for 10 minutes, so wait before trying again "
    "if you are unsure."
)


@dataclass(frozen=True)
class Token:
    value: str
    uid: str
    expires: datetime

    @classmethod
    def parse(cls, value: str) -> Token:
        """Read ``uid`` and ``exp`` from an EDL JWT (signature checked by EDL's profile call)."""
        try:
            payload_b64 = value.split(".")[1]
            payload = json.loads(
                base64.urlsafe_b64decode(payload_b64 + "=" * (-len(payload_b64) % 4))
            )
            return cls(
                value=value,
                uid=str(payload["uid"]),
                expires=datetime.fromtimestamp(int(payload["exp"]), tz=timezone.utc),
            )
        except (IndexError, KeyError, TypeError, ValueError):
            raise CloudscapesError(
                400,
                "edl_invalid_token",
                "That is not an Earthdata Login token.",
                "Copy the whole token from Earthdata Login > Generate Token; it is a long "
                "text of three parts separated by dots.",
            ) from None

    @property
    def expired(self) -> bool:
        return self.expires <= datetime.now(timezone.utc)


def _basic(username: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


class EDLClient:
    def __init__(self, base_url: str, timeout: float, user_agent: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.user_agent = user_agent

    async def _call(
        self, method: str, path: str, authorization: str, body: bytes | None = None
    ) -> tuple[int, Any]:
        request = HTTPRequest(
            f"{self.base_url}{path}",
            method=method,
            body=body if body is not None else (b"" if method == "POST" else None),
            headers={
                "Authorization": authorization,
                "Accept": "application/json",
                "User-Agent": self.user_agent,
            },
            connect_timeout=self.timeout,
            request_timeout=self.timeout,
            follow_redirects=False,
        )
        try:
            response = await AsyncHTTPClient().fetch(request, raise_error=False)
        except HTTPClientError:  # 599: timeout
            raise CloudscapesError(
                504,
                "edl_timeout",
                f"Earthdata Login did not answer within {self.timeout:g} seconds.",
                "Try again in a moment; https://status.earthdata.nasa.gov shows outages.",
            ) from None
        except OSError:
            raise CloudscapesError(
                502,
                "edl_unreachable",
                "Earthdata Login could not be reached from this server.",
                "Try again later; if it persists, ask your hub admin whether the hub "
                "can reach Earthdata Login.",
            ) from None
        try:
            data = json.loads(response.body) if response.body else None
        except ValueError:
            data = None
        return response.code, data

    def _refusal(self, status: int, data: Any, *, basic: bool) -> CloudscapesError:
        error = (data or {}).get("error") if isinstance(data, dict) else None
        if 300 <= status < 400:
            return CloudscapesError(
                502,
                "edl_redirect",
                "Earthdata Login answered with a redirect; Cloudscapes does not send "
                "credentials to other addresses.",
                "Ask your hub admin to check the Earthdata Login URL in the server configuration.",
            )
        if error == "max_token_limit":
            return CloudscapesError(
                409,
                "edl_token_limit",
                "Your Earthdata account already has two tokens, the most it may hold.",
                "Revoke one at https://urs.earthdata.nasa.gov/users/tokens (or in the "
                "environment you use), then try again.",
            )
        if status == 401 and basic:
            return CloudscapesError(
                401,
                "edl_invalid_credentials",
                "Earthdata Login refused that username and password.",
                LOCKOUT_HINT,
            )
        if (
            status in (401, 403)
            and error == "invalid_token"
            and isinstance(data, dict)
            and data.get("resolution_url")
        ):
            return CloudscapesError(
                403,
                "edl_eula_required",
                "Earthdata Login needs you to accept an agreement: "
                f"{data.get('error_description', '')}.",
                f"Accept it at {data['resolution_url']} and try again.",
            )
        if status in (401, 403):
            return CloudscapesError(
                401,
                "edl_invalid_token",
                "Earthdata Login did not accept the token.",
                "Sign in again, or paste a new token from Earthdata Login > Generate Token.",
            )
        return CloudscapesError(
            502,
            "edl_error",
            f"Earthdata Login answered {status}.",
            "Try again later; https://status.earthdata.nasa.gov shows outages.",
        )

    def _token(self, data: Any) -> Token:
        try:
            if not isinstance(data, dict) or not isinstance(data.get("access_token"), str):
                raise CloudscapesError(400, "", "", "")
            return Token.parse(data["access_token"])
        except CloudscapesError:  # EDL's answer is at fault, not the user
            raise CloudscapesError(
                502,
                "edl_error",
                "Earthdata Login answered without a usable token.",
                "Try again later.",
            ) from None

    async def find_or_create_token(self, username: str, password: str) -> Token:
        status, data = await self._call(
            "POST", "/api/users/find_or_create_token", _basic(username, password)
        )
        if status != 200:
            raise self._refusal(status, data, basic=True)
        return self._token(data)

    async def create_token(self, username: str, password: str) -> Token:
        status, data = await self._call("POST", "/api/users/token", _basic(username, password))
        if status != 200:
            raise self._refusal(status, data, basic=True)
        return self._token(data)

    async def list_tokens(self, username: str, password: str) -> list[Token]:
        status, data = await self._call("GET", "/api/users/tokens", _basic(username, password))
        if status != 200 or not isinstance(data, list):
            raise self._refusal(status, data, basic=True)
        return [self._token(item) for item in data]

    async def revoke_token(self, username: str, password: str, token: str) -> None:
        status, data = await self._call(
            "POST",
            f"/api/users/revoke_token?token={quote(token, safe='')}",
            _basic(username, password),
        )
        if status != 200:
            raise self._refusal(status, data, basic=True)

    async def profile(self, token: Token) -> dict[str, Any]:
        status, data = await self._call(
            "GET", f"/api/users/{quote(token.uid, safe='')}", f"Bearer {token.value}"
        )
        if status != 200 or not isinstance(data, dict):
            raise self._refusal(status, data, basic=False)
        return data
