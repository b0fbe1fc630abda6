"""The Earthdata Login stand-in: the token API (Basic auth, at most two valid tokens,
lockout after repeated wrong passwords), the profile (Bearer), the JWKS where EDL
publishes its signing key, and the page where a user accepts a DAAC's EULA. See
``docs/standins.md``, "Earthdata Login"."""

from __future__ import annotations

import base64
import binascii
import hmac
from html import escape as html_escape
from typing import NoReturn

from tornado.httpserver import HTTPServer

from ..serving import StandInHandler, listen, make_app
from .state import INVALID_CREDENTIALS, MAX_TOKENS, EarthdataState, EdlUser


class _EdlHandler(StandInHandler):
    state: EarthdataState
    service = "edl"


class _BasicAuthHandler(_EdlHandler):
    def prepare(self) -> None:
        super().prepare()
        target = self.state.redirect_token_calls_to
        if target:
            self.redirect(target, status=302)

    def refuse(self, challenge: bool = False) -> NoReturn:
        headers = {}
        if challenge:
            headers["WWW-Authenticate"] = (
                'Basic realm="Please enter your Earthdata Login credentials. If you do not '
                f'have a Earthdata Login, create one at {self.state.edl_url}//users/new"'
            )
        self.answer(401, INVALID_CREDENTIALS, headers)

    def basic_user(self) -> EdlUser:
        scheme, encoded = self.authorization()
        if scheme != "basic":
            self.refuse(challenge=True)
        try:
            decoded = base64.b64decode(encoded, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            self.refuse()
        username, sep, password = decoded.partition(":")
        if not sep:
            self.refuse()
        state = self.state
        if state.is_locked(username):
            state.locked_rejections[username] = state.locked_rejections.get(username, 0) + 1
            self.refuse()
        user = state.users.get(username)
        if user is None or not hmac.compare_digest(password.encode(), user.password.encode()):
            state.record_failure(username)
            self.refuse()
        state.recent_failures.pop(username, None)
        return user


class FindOrCreateTokenHandler(_BasicAuthHandler):
    def post(self) -> None:
        user = self.basic_user()
        valid = self.state.valid_tokens(user.username)
        token = valid[-1] if valid else self.state.mint_token(user.username)
        self.answer(200, token.as_json())


class CreateTokenHandler(_BasicAuthHandler):
    def post(self) -> None:
        user = self.basic_user()
        if len(self.state.valid_tokens(user.username)) >= self.state.max_tokens:
            self.answer(403, MAX_TOKENS)
        self.answer(200, self.state.mint_token(user.username).as_json())


class ListTokensHandler(_BasicAuthHandler):
    def get(self) -> None:
        user = self.basic_user()
        self.answer(200, [t.as_json() for t in self.state.valid_tokens(user.username)])


class RevokeTokenHandler(_BasicAuthHandler):
    def post(self) -> None:
        user = self.basic_user()
        token = self.get_argument("token", "")
        record = self.state.tokens.get(token)
        if record is None or record.uid != user.username:
            self.answer(400, {"error": "invalid_token", "error_description": "Token not found"})
        record.revoked = True
        self.set_status(200)
        self.finish()


class ProfileHandler(_EdlHandler):
    def get(self, uid: str) -> None:
        scheme, token = self.authorization()
        if scheme != "bearer" or not token:
            self.answer(401, {"error": "invalid_token", "error_description": "Token is missing"})
        payload, why = self.state.check_token(token)
        if payload is None:
            self.answer(401, {"error": "invalid_token", "error_description": why})
        user = self.state.users.get(uid)
        if payload.get("uid") != uid or user is None:
            self.answer(
                401,
                {"error": "invalid_token", "error_description": "Token does not belong to user"},
            )
        self.answer(200, user.profile)


class ApproveAppHandler(_BasicAuthHandler):
    """``/approve_app?client_id=<daac>``, the ``resolution_url`` of a EULA refusal: GET
    shows the agreement with an accept button, POST accepts it (the DAAC serves the
    user from then on). Both need the user's Basic credentials (EDL's session cookie is
    not modelled; browsers ask for them)."""

    def prepare(self) -> None:
        _EdlHandler.prepare(self)  # not a token call: the redirect hook does not apply

    def daac(self) -> str:
        daac = self.get_argument("client_id", "")
        if daac not in self.state.daacs:
            self.html(400, "Unknown application", f"No application with client_id {daac!r}.")
        self.basic_user()
        return daac

    def get(self) -> None:
        daac = self.daac()
        self.set_header("Content-Type", "text/html; charset=utf-8")
        name = html_escape(daac)
        self.finish(
            f"<!doctype html><html><head><title>{name} EULA</title></head><body>"
            f"<h1>{name} end user license agreement</h1><p>Accept it to use {name} data.</p>"
            f'<form method="post"><input type="hidden" name="client_id" value="{name}">'
            '<button type="submit">Accept</button></form></body></html>'
        )

    def post(self) -> None:
        daac = self.daac()
        self.state.eula_daacs.discard(daac)
        self.html(200, f"{daac} EULA accepted", f"You may now use {daac} data.")


class JwksHandler(_EdlHandler):
    def get(self) -> None:
        self.answer(200, self.state.jwks())


def start_edl(
    state: EarthdataState, port: int = 0, address: str = "127.0.0.1"
) -> tuple[HTTPServer, int]:
    """Earthdata Login on loopback; sets ``state.edl_url``."""
    state.key  # noqa: B018 - generate the key before the first request
    app = make_app(
        state,
        "edl",
        [
            ("/api/users/find_or_create_token", FindOrCreateTokenHandler),
            ("/api/users/token", CreateTokenHandler),
            ("/api/users/tokens", ListTokensHandler),
            ("/api/users/revoke_token", RevokeTokenHandler),
            ("/api/users/([^/]+)", ProfileHandler),
            ("/.well-known/edl_ops_jwks.json", JwksHandler),
            ("/approve_app", ApproveAppHandler),
        ],
    )
    server, bound = listen(app, port, address)
    state.edl_url = f"http://{address}:{bound}"
    return server, bound
