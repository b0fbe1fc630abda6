"""The DAACs' ``/s3credentials`` (the thin-egress-app's temporary S3 keys), and what the
thin-egress-app checks before it serves a DAAC's credentials or files (used by the data
host too). See ``docs/standins.md``, "DAAC /s3credentials"."""

from __future__ import annotations

import base64
import secrets
import string
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import urlencode

from tornado import web
from tornado.httpserver import HTTPServer

from ..serving import StandInHandler, listen, make_app
from .state import EarthdataState, IssuedCredentials


def eula_refusal(state: EarthdataState, daac: str) -> dict[str, Any]:
    """EDL's answer for an application whose EULA the user has not accepted."""
    return {
        "status_code": 403,
        "error": "invalid_token",
        "error_description": "EULA Acceptance Failure",
        "resolution_url": f"{state.edl_url}/approve_app?client_id={daac}",
    }


class EgressHandler(StandInHandler):
    """The thin-egress-app's checks, in its order: a Bearer token or a redirect to EDL's
    OAuth page, a valid token, then the DAAC's refusals (:meth:`refuse_unless_allowed`)."""

    state: EarthdataState

    def token_payload(self, daac: str, redirect_uri: str, **query: str) -> dict[str, Any]:
        """The payload of the request's valid EDL token; without a Bearer token a 302 to
        EDL's OAuth authorize page, a bad one 401 ``invalid_token`` (ends the request)."""
        state = self.state
        scheme, token = self.authorization()
        if scheme != "bearer" or not token:
            authorize = urlencode(
                {
                    "client_id": daac,
                    "response_type": "code",
                    "redirect_uri": redirect_uri,
                    **query,
                }
            )
            self.redirect(f"{state.edl_url}/oauth/authorize?{authorize}", status=302)
            raise web.Finish()
        payload, why = state.check_token(token)
        if payload is None:
            self.answer(401, {"error": "invalid_token", "error_description": why})
        return payload

    def refuse_unless_allowed(self, daac: str) -> None:
        """403 JSON for a DAAC whose EULA is missing, 403 HTML for one the user may not read."""
        if daac in self.state.eula_daacs:
            self.answer(403, eula_refusal(self.state, daac))
        if daac in self.state.forbidden_daacs:
            self.html(403, "Forbidden", f"You do not have permission to access {daac} data.")


class S3CredentialsHandler(EgressHandler):
    service = "daac"

    def get(self, daac: str) -> None:
        state = self.state
        if daac not in state.daacs:
            raise web.HTTPError(404)
        payload = self.token_payload(daac, f"{state.daac_base_url}/{daac}/login")
        if "Mozilla" in self.request.headers.get("User-Agent", ""):
            self.html(
                200,
                f"{daac} S3 credentials",
                "Browsers get this page; send a non-browser User-Agent for JSON.",
            )
        self.refuse_unless_allowed(daac)
        creds = _issue(state, state.credential_lifetime, state.daacs[daac])
        expiration: datetime = creds["expiration"]
        state.issued_credentials[daac] = state.issued_credentials.get(daac, 0) + 1
        state.credentials.append(
            IssuedCredentials(daac, str(payload.get("uid")), creds["accessKeyId"], expiration)
        )
        self.answer(
            200,
            {
                "accessKeyId": creds["accessKeyId"],
                "secretAccessKey": creds["secretAccessKey"],
                "sessionToken": creds["sessionToken"],
                "expiration": expiration.astimezone(timezone.utc).strftime(
                    "%Y-%m-%d %H:%M:%S+00:00"
                ),
            },
        )


def _whole_seconds_after(seconds: float) -> datetime:
    # as cloudscapes.testing.s3.whole_seconds_after, without importing moto
    instant = datetime.now(timezone.utc) + timedelta(seconds=seconds)
    if instant.microsecond:
        instant += timedelta(microseconds=1_000_000 - instant.microsecond)
    return instant


def _issue(state: EarthdataState, seconds: int, buckets: list[str] | None) -> dict[str, Any]:
    if state.s3 is not None:
        # A blocking call to moto's thread: a few milliseconds.
        return state.s3.issue_temporary_credentials(seconds, buckets)
    alphabet = string.ascii_uppercase + "234567"
    return {
        "accessKeyId": "ASIA" + "".join(secrets.choice(alphabet) for _ in range(16)),
        "secretAccessKey": base64.b64encode(secrets.token_bytes(30)).decode(),
        "sessionToken": base64.b64encode(secrets.token_bytes(264)).decode(),
        "expiration": _whole_seconds_after(seconds),
    }


class S3CredentialsReadmeHandler(StandInHandler):
    """``/<daac>/s3credentialsREADME``, the page ``S3CredentialsAPIDocumentationURL``
    points at."""

    state: EarthdataState
    service = "daac"

    def get(self, daac: str) -> None:
        if daac not in self.state.daacs:
            raise web.HTTPError(404)
        self.html(
            200,
            f"{daac} S3 credentials",
            f"GET {self.state.daac_url(daac)} with an Earthdata Login Bearer token returns "
            "temporary AWS keys (accessKeyId, secretAccessKey, sessionToken, expiration) "
            "that read this DAAC's buckets from us-west-2 for one hour.",
        )


def start_daac(
    state: EarthdataState, port: int = 0, address: str = "127.0.0.1"
) -> tuple[HTTPServer, int]:
    """The DAACs' ``/<daac>/s3credentials`` on loopback; sets ``state.daac_base_url``."""
    routes = [
        ("/([^/]+)/s3credentials", S3CredentialsHandler),
        ("/([^/]+)/s3credentialsREADME", S3CredentialsReadmeHandler),
    ]
    server, bound = listen(make_app(state, "daac", routes), port, address)
    state.daac_base_url = f"http://{address}:{bound}"
    return server, bound
