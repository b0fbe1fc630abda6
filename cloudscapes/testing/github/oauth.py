"""GitHub's OAuth device flow for a GitHub App, as its documentation describes it (see
``/work/shared/reference/git.md`` §5 and ``docs/standins.md``):

- ``POST /login/device/code`` (``client_id``; form, JSON or query) → ``device_code`` (40
  characters), ``user_code`` (``WDJB-MJHT``), ``verification_uri``, ``expires_in``,
  ``interval``. An unknown client id is a 404 ``{"error":"Not Found"}`` and an App
  without device flow a 400 ``device_flow_disabled``, both JSON whatever was asked (what
  GitHub is seen answering).
- ``POST /login/oauth/access_token``: every pending state is HTTP 200 with ``error``
  (``authorization_pending``, ``slow_down`` with the new ``interval``, ``expired_token``,
  ``access_denied``, ``incorrect_device_code``, ``incorrect_client_credentials``,
  ``unsupported_grant_type``, ``device_flow_disabled``); success gives a ``ghu_`` token
  for 8 hours and a ``ghr_`` refresh token; the ``refresh_token`` grant replaces the
  pair (the old one is revoked) or answers ``bad_refresh_token``. Both endpoints answer
  JSON when asked with ``Accept: application/json``, else form-encoded, as GitHub does.
- ``GET /login/device``: the page where the user types the code, then clicks
  Authorize or Cancel (plain forms: a browser test drives it). Everything shown is
  escaped: the page echoes what the user typed.
"""

from __future__ import annotations

import json
from html import escape
from typing import Any, NoReturn
from urllib.parse import parse_qsl

from tornado import web

from ..serving import StandInHandler
from .state import DEFAULT_LOGIN, SLOW_DOWN_STEP, GitHubState

DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"
DOCS = "https://docs.github.com/apps/creating-github-apps/authenticating-with-a-github-app"
ERRORS = {
    "authorization_pending": "The authorization request is still pending.",
    "slow_down": "Too many requests have been made in the same timeframe.",
    "expired_token": "The device_code has expired.",
    "access_denied": "The authorization request was denied.",
    "unsupported_grant_type": "The grant type is not supported.",
    "incorrect_client_credentials": "The client_id and/or client_secret passed are incorrect.",
    "incorrect_device_code": "The device_code provided is not valid.",
    "device_flow_disabled": "Device Flow must be explicitly enabled for this App",
    "bad_refresh_token": "The refresh token passed is incorrect or expired.",
}


class GitHubHandler(StandInHandler):
    state: GitHubState
    service = "github"

    def params(self) -> dict[str, str]:
        """The request's fields: query string, then a form or JSON body over it."""
        query = self.request.query_arguments
        fields = {k: v[-1].decode("utf-8", "replace") for k, v in query.items()}
        body = self.request.body or b""
        content_type = self.request.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if content_type == "application/json" and body:
            try:
                data = json.loads(body)
            except ValueError:
                data = {}
            if isinstance(data, dict):
                fields.update({str(k): str(v) for k, v in data.items() if v is not None})
        elif body:
            fields.update(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
        return fields

    def wants_json(self) -> bool:
        return "application/json" in self.request.headers.get("Accept", "")

    def oauth(self, fields: dict[str, Any]) -> NoReturn:
        """HTTP 200 in the format asked for (OAuth errors of GitHub are 200s too)."""
        if self.wants_json():
            self.answer(200, fields)
        self.form(200, {k: str(v) for k, v in fields.items()})

    def oauth_error(self, error: str, **extra: Any) -> NoReturn:
        self.oauth({"error": error, "error_description": ERRORS[error], "error_uri": DOCS, **extra})


class DeviceCodeHandler(GitHubHandler):
    def post(self) -> None:
        fields = self.params()
        app = self.state.apps.get(fields.get("client_id", ""))
        if app is None:
            self.answer(404, {"error": "Not Found"})
        if not app.device_flow:
            self.answer(
                400,
                {
                    "error": "device_flow_disabled",
                    "error_description": ERRORS["device_flow_disabled"],
                    "error_uri": "https://docs.github.com",
                },
            )
        code = self.state.new_device_code(app.client_id, fields.get("repository_id") or None)
        self.oauth(
            {
                "device_code": code.device_code,
                "user_code": code.user_code,
                "verification_uri": f"{self.state.base_url}/login/device",
                "expires_in": self.state.device_expires_in,
                "interval": code.interval,
            }
        )


class AccessTokenHandler(GitHubHandler):
    def post(self) -> None:
        fields = self.params()
        state = self.state
        grant = fields.get("grant_type", "")
        if grant not in (DEVICE_GRANT, "refresh_token"):
            self.oauth_error("unsupported_grant_type")
        app = state.apps.get(fields.get("client_id", ""))
        if app is None:
            self.oauth_error("incorrect_client_credentials")
        if grant == "refresh_token":
            old = state.by_refresh(fields.get("refresh_token", ""))
            if old is None or old.client_id != app.client_id:
                self.oauth_error("bad_refresh_token")
            old.revoked = True
            self.token(state.issue_token(old.login, app.client_id))
        if not app.device_flow:
            self.oauth_error("device_flow_disabled")
        code = state.codes.get(fields.get("device_code", ""))
        if code is None or code.client_id != app.client_id or code.status == "used":
            self.oauth_error("incorrect_device_code")
        now = state.clock()
        if now >= code.expires_at:
            self.oauth_error("expired_token")
        if code.status == "denied":
            self.oauth_error("access_denied")
        too_soon = code.last_poll is not None and now - code.last_poll < code.interval
        code.last_poll = now
        if state.forced_slow_down > 0 or too_soon:
            state.forced_slow_down = max(0, state.forced_slow_down - 1)
            code.interval += SLOW_DOWN_STEP
            self.oauth_error("slow_down", interval=code.interval)
        if code.status == "pending":
            self.oauth_error("authorization_pending")
        code.status = "used"
        assert code.login is not None
        self.token(state.issue_token(code.login, app.client_id))

    def token(self, token: Any) -> NoReturn:
        self.oauth(
            {
                "access_token": token.access_token,
                "expires_in": self.state.token_expires_in,
                "refresh_token": token.refresh_token,
                "refresh_token_expires_in": self.state.refresh_expires_in,
                "scope": "",
                "token_type": "bearer",
            }
        )


# ---- the page the user approves on ----------------------------------------------------


def page(title: str, body: str) -> str:
    """An HTML page around ``body`` (already escaped by the caller)."""
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{escape(title)}</title>"
        "<style>body{font-family:sans-serif;max-width:36rem;margin:3rem auto}"
        "input,button,select{font-size:1.1rem;margin:.3rem}"
        ".error{color:#b00}</style></head>"
        f"<body><h1>{escape(title)}</h1>{body}</body></html>"
    )


def update_form(state: GitHubState) -> str:
    """The instructor's button: publish an update to one of the repositories."""
    repos = [r.full_name for r in state.repos.values()]
    if not repos:
        return ""
    options = "".join(f"<option value='{escape(name)}'>{escape(name)}</option>" for name in repos)
    return (
        "<hr><form method='post' action='/_standin/publish'>"
        "<label for='publish-repo'>Repository</label> "
        f"<select id='publish-repo' name='repo'>{options}</select>"
        "<input type='hidden' name='next' value='/login/device'>"
        "<button type='submit'>Publish an instructor update</button></form>"
    )


class DevicePageHandler(GitHubHandler):
    def get(self) -> None:
        self.code_form()

    def code_form(self, error: str = "", typed: str = "") -> NoReturn:
        message = f"<p class='error' role='alert'>{escape(error)}</p>" if error else ""
        notice = self.get_query_argument("notice", "")
        if notice:
            message += f"<p role='status'>{escape(notice)}</p>"
        body = (
            f"{message}<form method='post' action='/login/device'>"
            "<label for='user_code'>Enter the code displayed on your device</label><br>"
            f"<input id='user_code' name='user_code' value='{escape(typed)}' "
            "autocomplete='off' spellcheck='false' placeholder='XXXX-XXXX'>"
            "<button type='submit' name='action' value='continue'>Continue</button></form>"
            f"{update_form(self.state)}"
        )
        self.send_page(200, "Device Activation", body)

    def send_page(self, status: int, title: str, body: str) -> NoReturn:
        self.set_status(status)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
        self.set_header("X-Frame-Options", "deny")
        raise web.Finish(page(title, body))

    def post(self) -> None:
        fields = self.params()
        typed = fields.get("user_code", "")
        action = fields.get("action", "continue")
        login = fields.get("login") or DEFAULT_LOGIN
        code = self.state.live_code(typed)
        if code is None:
            self.code_form("That code is not valid, has expired or was already used.", typed)
        app = self.state.apps.get(code.client_id)
        app_name = app.name if app else code.client_id
        if action == "authorize":
            self.state.decide(code.user_code, True, login)
            self.send_page(
                200,
                "Congratulations, you're all set!",
                f"<p role='status'>Your device is now connected to {escape(app_name)} as "
                f"{escape(login)}. You can close this window.</p>",
            )
        if action == "cancel":
            self.state.decide(code.user_code, False)
            self.send_page(
                200,
                "Authorization cancelled",
                "<p role='status'>The device was not connected. You can close this window.</p>",
            )
        self.send_page(
            200,
            f"Authorize {app_name}",
            f"<p>{escape(app_name)} is asking to act on your behalf, as "
            f"<strong>{escape(login)}</strong>, for code "
            f"<code>{escape(code.user_code)}</code>.</p>"
            "<form method='post' action='/login/device'>"
            f"<input type='hidden' name='user_code' value='{escape(code.user_code)}'>"
            f"<input type='hidden' name='login' value='{escape(login)}'>"
            "<button type='submit' name='action' value='authorize'>Authorize</button>"
            "<button type='submit' name='action' value='cancel'>Cancel</button></form>",
        )
