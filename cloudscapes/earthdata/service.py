"""The Earthdata session of this server: sign in/out, token lifecycle and in-region
detection; the DAAC credentials and AWS profiles of that session are its mixin,
:class:`~.credentials.DaacCredentials`. Secrets stay here; answers carry expiry times
only.
"""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from tornado.ioloop import PeriodicCallback

from ..contract import printable
from ..handlers import CloudscapesError, bad_request, isoformat
from ..userfiles import (
    NetrcUnreadable,
    UnsafeValue,
    netrc_entry,
    netrc_get,
    netrc_path,
    netrc_remove,
    netrc_set,
)
from .config import CloudscapesEarthdata
from .credentials import DaacCredentials, DaacState
from .edl import EDLClient, Token
from .region import RegionProbe
from .state import SavedSession, clear_cache


@dataclass
class Session:
    environment: str
    token: Token = field(repr=False)
    method: str
    profile: dict[str, Any]
    username: str | None = None
    remember: bool = False
    #: where the credentials live: memory, netrc, state
    stored_in: list[str] = field(default_factory=lambda: ["memory"])
    created_tokens: list[str] = field(default_factory=list, repr=False)
    netrc: dict[str, str] | None = None


PROFILE_FIELDS = (
    "uid",
    "first_name",
    "last_name",
    "email_address",
    "affiliation",
    "country",
    "study_area",
    "user_type",
)


class EarthdataService(DaacCredentials):
    def __init__(self, config: CloudscapesEarthdata) -> None:
        self.config = config
        self.log = config.log
        self.session: Session | None = None
        self.daacs: dict[str, DaacState] = {
            name: DaacState(url) for name, url in sorted(config.daacs.items())
        }
        self.own_daacs: dict[str, str] = {}
        self.region_probe = RegionProbe(config)
        self._renew_failed = False
        self._timer: PeriodicCallback | None = None
        self._lock = asyncio.Lock()

    # ---- lifecycle ------------------------------------------------------------------

    def start(self) -> None:
        self._restore()
        self._timer = PeriodicCallback(self._maintain, 60_000)
        self._timer.start()

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()

    @property
    def state_path(self) -> Path:
        return Path(self.config.state_path)

    def _restore(self) -> None:
        """A remembered session survives server restarts (its token is still checked
        by EDL on first use: nothing is sent to EDL here)."""
        saved = SavedSession.load(self.state_path)
        if saved is None or saved.environment not in self.config.environments:
            return
        self._restore_own_daacs(saved.own_daacs)
        try:
            token = Token.parse(saved.token)
        except CloudscapesError:
            return
        if token.expired:
            return
        stored = ["state"] + (["netrc"] if saved.netrc else [])
        self.session = Session(
            environment=saved.environment,
            token=token,
            method="password" if saved.netrc else "token",
            profile={"uid": token.uid},
            username=saved.username,
            remember=True,
            stored_in=stored,
            created_tokens=list(saved.created_tokens),
            netrc=saved.netrc,
        )

    # ---- the session model ----------------------------------------------------------

    def _client(self, environment: str) -> EDLClient:
        return EDLClient(
            self.config.edl_url(environment), self.config.timeout, self.config.user_agent
        )

    def sources(self) -> list[str]:
        found = []
        if os.environ.get("EARTHDATA_TOKEN"):
            found.append("env_token")
        if os.environ.get("EARTHDATA_USERNAME") and os.environ.get("EARTHDATA_PASSWORD"):
            found.append("env_password")
        environment = self.session.environment if self.session else self.config.default_environment
        if netrc_get(netrc_path(), self.config.edl_host(environment)):
            found.append("netrc")
        return found

    def _stored_password(self) -> tuple[str, str] | None:
        session = self.session
        if session is None:
            return None
        if session.method == "env_password":
            return os.environ.get("EARTHDATA_USERNAME", ""), os.environ.get(
                "EARTHDATA_PASSWORD", ""
            )
        if session.method in ("password", "netrc") and (session.netrc or session.method == "netrc"):
            return netrc_get(netrc_path(), self.config.edl_host(session.environment))
        return None

    def model(self) -> dict[str, Any]:
        session = self.session
        environment = session.environment if session else self.config.default_environment
        return {
            "signed_in": session is not None,
            "environment": environment,
            "environments": sorted(self.config.environments),
            "edl_host": self.config.edl_host(environment),
            "method": session.method if session else None,
            "remember": session.remember if session else False,
            "remember_default": self.config.remember_default,
            "stored_in": list(session.stored_in) if session else [],
            "netrc_path": str(netrc_path()) if session and "netrc" in session.stored_in else None,
            "profile": {k: session.profile.get(k) for k in PROFILE_FIELDS if k in session.profile}
            if session
            else None,
            "token_expires": isoformat(session.token.expires) if session else None,
            "can_renew": session is not None and self._stored_password() is not None,
            "sources": self.sources(),
        }

    # ---- sign in ----------------------------------------------------------------------

    def _environment(self, body: dict[str, Any]) -> str:
        environment = body.get("environment") or self.config.default_environment
        if environment not in self.config.environments:
            raise bad_request(
                f"Unknown Earthdata environment '{printable(environment)}'.",
                f"Choose one of: {', '.join(sorted(self.config.environments))}.",
            )
        return environment

    async def sign_in(self, body: dict[str, Any]) -> dict[str, Any]:
        """``body`` is one of the three forms of ``SignInRequest`` (schema/earthdata.yaml):
        a username and password, a token, or a source."""
        remember = body.get("remember", self.config.remember_default)
        environment = self._environment(body)
        async with self._lock:
            if "source" in body:
                return await self._sign_in_source(body["source"], environment, remember)
            if "token" in body:
                token = body["token"].strip()
                if not token:
                    raise bad_request("'token' must be a non-empty string.")
                return await self._sign_in_token(token, environment, remember, "token")
            username = body["username"].strip()
            if not username:
                raise bad_request("Enter your Earthdata username.")
            return await self._sign_in_password(
                username, body["password"], environment, remember, "password"
            )

    async def _sign_in_source(
        self, source: str, environment: str, remember: bool
    ) -> dict[str, Any]:
        if source == "env_token":
            token = os.environ.get("EARTHDATA_TOKEN", "").strip()
            if not token:
                raise bad_request("EARTHDATA_TOKEN is not set on this server.")
            return await self._sign_in_token(token, environment, remember, "env_token")
        if source == "env_password":
            username = os.environ.get("EARTHDATA_USERNAME", "")
            password = os.environ.get("EARTHDATA_PASSWORD", "")
            if not username or not password:
                raise bad_request("EARTHDATA_USERNAME and EARTHDATA_PASSWORD are not both set.")
            return await self._sign_in_password(
                username, password, environment, remember, "env_password"
            )
        # "netrc", the schema's last source
        entry = netrc_get(netrc_path(), self.config.edl_host(environment))
        if entry is None:
            raise bad_request(
                f"{netrc_path()} has no entry for {self.config.edl_host(environment)}.",
                "Sign in with your username and password instead.",
            )
        # the entry is the user's own: it is used, never rewritten
        return await self._sign_in_password(entry[0], entry[1], environment, False, "netrc")

    async def _sign_in_token(
        self, value: str, environment: str, remember: bool, method: str
    ) -> dict[str, Any]:
        token = Token.parse(value)
        if token.expired:
            raise CloudscapesError(
                401,
                "edl_token_expired",
                f"That token expired on {token.expires:%Y-%m-%d}.",
                "Generate a new token in Earthdata Login, or sign in with your password.",
            )
        profile = await self._client(environment).profile(token)
        self._replace_session(Session(environment, token, method, profile, remember=remember))
        if remember:
            self._save()
        return self.model()

    async def _sign_in_password(
        self, username: str, password: str, environment: str, remember: bool, method: str
    ) -> dict[str, Any]:
        if remember:
            try:  # refuse unsafe values before anything is sent or written
                netrc_entry(self.config.edl_host(environment), username, password)
            except UnsafeValue as err:
                raise bad_request(
                    f"That username or password cannot be stored in ~/.netrc: {err}.",
                    "Sign in without 'Remember me', or change the password at Earthdata Login.",
                    code="netrc_unsafe_value",
                ) from None
        client = self._client(environment)
        token = await client.find_or_create_token(username, password)
        profile = await client.profile(token)
        session = Session(environment, token, method, profile, username=username, remember=remember)
        if method == "netrc":
            session.stored_in = ["netrc"]
        self._replace_session(session)
        if remember:
            host = self.config.edl_host(environment)
            existed = netrc_path().exists()
            try:
                previous = netrc_set(netrc_path(), host, username, password)
            except NetrcUnreadable as err:  # the file was put back: nothing is remembered
                self.session = None
                raise bad_request(
                    f"Your sign-in cannot be remembered in {netrc_path()}: {err}.",
                    "Sign in without 'Remember me', or check that file (a 'macdef' macro "
                    "needs an empty line after it).",
                    code="netrc_unreadable",
                ) from None
            session.netrc = {
                "path": str(netrc_path()),
                "machine": host,
                "login": username,
                "previous": previous,
                "created": "" if existed else "yes",
            }
            self._save()
        return self.model()

    def _forget_files(self) -> None:
        """Remove what the current session wrote: its netrc entry (putting back what it
        had replaced), the state file and the credential cache."""
        session = self.session
        if session is not None and session.netrc:
            path = Path(session.netrc["path"])
            removed = netrc_remove(
                path,
                session.netrc["machine"],
                session.netrc["login"],
                session.netrc.get("previous", ""),
            )
            if removed and session.netrc.get("created") and not path.read_text().strip():
                path.unlink()  # Cloudscapes created the file: leave none behind
            session.netrc = None
        self.state_path.unlink(missing_ok=True)
        clear_cache()

    def _replace_session(self, session: Session) -> None:
        self._forget_files()
        self.session = session
        self._renew_failed = False
        self._forget_credentials()
        clear_cache()

    def _save(self) -> None:
        session = self.session
        if session is None or not session.remember:
            return
        SavedSession(
            environment=session.environment,
            edl_url=self.config.edl_url(session.environment),
            token=session.token.value,
            token_expires=isoformat(session.token.expires) or "",
            username=session.username,
            created_tokens=session.created_tokens,
            netrc=session.netrc,
            daacs={name: state.endpoint for name, state in self.daacs.items()},
            own_daacs=dict(self.own_daacs),
            s3_endpoint_url=self.config.s3_endpoint_url,
            archive_region=self.config.archive_region,
            margin=self.config.credentials_margin,
            timeout=self.config.timeout,
            user_agent=self.config.user_agent,
        ).save(self.state_path)
        stored = ["state"]
        if session.netrc or session.method == "netrc":
            stored.append("netrc")
        session.stored_in = stored

    # ---- sign out and renew ----------------------------------------------------------------

    async def sign_out(self, revoke: bool) -> dict[str, Any]:
        """Forget everything here first; then, if asked, revoke the token at EDL (a
        failure there is reported, and the local sign-out stands)."""
        async with self._lock:
            session = self.session
            if session is None:
                return self.model()
            creds = self._stored_password() if revoke else None
            self._forget_files()
            self.session = None
            self._forget_credentials()
            notice = None
            if revoke and creds is None:
                notice = (
                    "Signed out. The token was not revoked: this session has no password to "
                    "revoke it with; revoke it on the Earthdata Login website."
                )
            elif revoke and creds is not None:
                try:
                    await self._client(session.environment).revoke_token(
                        creds[0], creds[1], session.token.value
                    )
                    notice = "Signed out, and the token was revoked at Earthdata Login."
                except CloudscapesError as err:
                    notice = f"Signed out, but the token was not revoked: {err.message}"
            return {**self.model(), "notice": notice}

    async def renew(self) -> dict[str, Any]:
        async with self._lock:
            session = self.session
            if session is None:
                raise CloudscapesError(
                    409,
                    "earthdata_not_signed_in",
                    "You are not signed in to Earthdata.",
                    "Sign in first.",
                )
            creds = self._stored_password()
            if creds is None:
                raise CloudscapesError(
                    409,
                    "edl_cannot_renew",
                    "This session has no stored password to renew its token with.",
                    "Paste a new token, or sign in with your password and 'Remember me'.",
                )
            client = self._client(session.environment)
            try:
                token = await client.create_token(*creds)
            except CloudscapesError as err:
                if err.code != "edl_token_limit":
                    raise
                token = await self._renew_at_limit(client, creds, session)
            session.created_tokens.append(token.value)
            session.token = token
            self._renew_failed = False
            self._forget_credentials(keep_errors=True)
            clear_cache()
            self._save()
            return self.model()

    async def _renew_at_limit(
        self, client: EDLClient, creds: tuple[str, str], session: Session
    ) -> Token:
        """At the two-token limit: revoke the oldest token Cloudscapes created, never
        one it did not create, then try once more."""
        existing = {t.value: t for t in await client.list_tokens(*creds)}
        ours = [existing[v] for v in session.created_tokens if v in existing]
        if not ours:
            raise CloudscapesError(
                409,
                "edl_token_limit",
                "Your Earthdata account already holds two tokens that Cloudscapes did not create.",
                "Revoke one you no longer use at Earthdata Login (Generate Token page), "
                "then renew.",
            )
        oldest = min(ours, key=lambda t: t.expires)
        await client.revoke_token(creds[0], creds[1], oldest.value)
        session.created_tokens = [v for v in session.created_tokens if v != oldest.value]
        return await client.create_token(*creds)

    async def _maintain(self) -> None:
        """Every minute: renew a token near its end, refresh DAAC credentials near theirs.
        A failed renewal is not retried on its own (EDL locks accounts)."""
        session = self.session
        if session is None:
            return
        near = session.token.expires - timedelta(days=self.config.renew_before_days)
        if (
            near <= datetime.now(timezone.utc)
            and not self._renew_failed
            and self._stored_password()
        ):
            try:
                await self.renew()
            except CloudscapesError as err:
                self._renew_failed = True
                self.log.warning("Cloudscapes could not renew the Earthdata token: %s", err.message)
        await self._refresh_near_expiry()

    # ---- region --------------------------------------------------------------------------------

    async def region(self) -> dict[str, Any]:
        """Where this server runs (:class:`~.region.RegionProbe`)."""
        return await self.region_probe.region()
