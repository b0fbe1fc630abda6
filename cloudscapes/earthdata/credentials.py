"""The credentials side of the Earthdata session: each DAAC's temporary S3 credentials
(fetched with the session's token, kept in memory, cached on disk for kernels only when
the session is remembered) and the AWS profiles whose ``credential_process`` hands them
to kernels and command-line tools.

A mixin of :class:`~.service.EarthdataService` rather than an object of its own: the
session (sign-in, token renewal) decides when credentials are dropped, and the data
feature reaches both through the one service. What it needs of the session part is
declared below; secrets stay here, answers carry expiry times only.
"""

from __future__ import annotations

import asyncio
import shlex
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..contract import printable
from ..handlers import CloudscapesError, bad_request, https_on_domains, isoformat
from ..userfiles import aws_config_path, aws_profile_set, aws_profiles
from .daac import DaacError, S3Credentials, fetch_s3_credentials
from .endpoints import daac_name, origin, same_endpoint, unique_name
from .state import write_cached

if TYPE_CHECKING:
    from logging import Logger
    from pathlib import Path

    from .config import CloudscapesEarthdata
    from .service import Session

#: AWS profiles Cloudscapes writes are this plus the DAAC's name.
PROFILE_PREFIX = "earthdata-"


@dataclass
class DaacState:
    """One DAAC as the panel sees it: where its credentials come from, the ones last
    fetched (kept out of ``repr``, so out of logs) and why the last fetch failed."""

    endpoint: str
    credentials: S3Credentials | None = field(default=None, repr=False)
    error: DaacError | None = None


class DaacCredentials:
    """DAAC credentials and AWS profiles, for the session of :class:`EarthdataService`."""

    if TYPE_CHECKING:  # provided by EarthdataService
        config: CloudscapesEarthdata
        log: Logger
        session: Session | None
        daacs: dict[str, DaacState]
        #: DAACs named after a collection's own endpoint (not in ``config.daacs``)
        own_daacs: dict[str, str]

        @property
        def state_path(self) -> Path: ...

        def _save(self) -> None: ...

    def _forget_credentials(self, keep_errors: bool = False) -> None:
        """Drop every DAAC's credentials: the token they were fetched with is gone or
        replaced (a renewal keeps the errors, which still describe the DAACs)."""
        for state in self.daacs.values():
            state.credentials = None
            if not keep_errors:
                state.error = None

    async def _refresh_near_expiry(self) -> None:
        """Refresh the credentials near their end (the minute's maintenance); a failure
        is recorded on the DAAC for the panel, not raised."""
        for name, state in self.daacs.items():
            if state.credentials is not None and not state.credentials.fresh(
                self.config.credentials_margin
            ):
                try:
                    await self.refresh_daac(name)
                except CloudscapesError:
                    pass  # recorded on the DAAC for the panel

    # ---- DAAC credentials ------------------------------------------------------------------

    def _allowed_endpoint(self, endpoint: str) -> bool:
        """A configured endpoint, an https URL on a host the admin allows, or one on an
        origin the admin names exactly (``credential_origins``)."""
        if endpoint in self.config.daacs.values():
            return True
        if https_on_domains(endpoint, self.config.allowed_credential_hosts):
            return True
        where = origin(endpoint)
        return where is not None and any(
            where == origin(allowed) for allowed in self.config.credential_origins
        )

    def endpoint_daac(self, endpoint: str) -> str | None:
        """The DAAC whose credentials ``endpoint`` serves: the one with that endpoint,
        else (when the endpoint is allowed) the name :meth:`register_endpoint` gives it;
        None when the endpoint may not receive the token. Registers nothing."""
        for name, state in self.daacs.items():
            if same_endpoint(state.endpoint, endpoint):
                return name
        if not self._allowed_endpoint(endpoint):
            return None
        name = daac_name(endpoint, self.config.allowed_credential_hosts)
        return unique_name(name, endpoint, {n: s.endpoint for n, s in self.daacs.items()})

    def register_endpoint(self, endpoint: str) -> str:
        """The DAAC of a collection's own credentials endpoint, added to the DAACs when
        new (the state file, which kernels' credential_process reads, gets it when
        :meth:`write_profiles` writes its profile); a 400 naming the traits when the
        endpoint is not allowed."""
        name = self.endpoint_daac(endpoint)
        if name is None:
            raise _endpoint_refused(
                f"The collection's credentials endpoint ({printable(endpoint)})",
                "; or use HTTPS access",
            )
        if name not in self.daacs:
            self._add_daac(name, endpoint)
            self.log.info(
                "Cloudscapes: DAAC %s for the credentials endpoint %s", name, printable(endpoint)
            )
        return name

    def _add_daac(self, name: str, endpoint: str) -> None:
        self.own_daacs[name] = endpoint
        self.daacs[name] = DaacState(endpoint)
        self.daacs = dict(sorted(self.daacs.items()))

    def _restore_own_daacs(self, saved: dict[str, str]) -> None:
        """The DAACs of collections' own endpoints from the state file, when their
        endpoints are still allowed and their names still free."""
        for name, endpoint in saved.items():
            if name not in self.daacs and self._allowed_endpoint(endpoint):
                self._add_daac(name, endpoint)

    def daac_model(self, name: str, profiles: set[str] | None = None) -> dict[str, Any]:
        state = self.daacs[name]
        creds = state.credentials
        if state.error is not None:
            status = "error"
        elif creds is None:
            status = "none"
        else:
            status = "valid" if creds.fresh(0) else "expired"
        if profiles is None:
            profiles = aws_profiles(aws_config_path())
        profile = PROFILE_PREFIX + name
        return {
            "daac": name,
            "endpoint": state.endpoint,
            "status": status,
            "expiration": isoformat(creds.expiration) if creds else None,
            "error": {
                "error": {
                    "code": state.error.code,
                    "message": state.error.message,
                    "hint": state.error.hint,
                }
            }
            if state.error
            else None,
            "profile": profile if profile in profiles else None,
        }

    def credentials_model(self) -> dict[str, Any]:
        profiles = aws_profiles(aws_config_path())
        return {"daacs": [self.daac_model(name, profiles) for name in self.daacs]}

    def _require_session(self) -> Session:
        if self.session is None:
            raise CloudscapesError(
                409,
                "earthdata_not_signed_in",
                "You are not signed in to Earthdata.",
                "Sign in from the Earthdata panel first.",
            )
        return self.session

    def _daac(self, name: str) -> DaacState:
        if name not in self.daacs:
            raise CloudscapesError(
                404,
                "unknown_daac",
                f"Unknown DAAC '{printable(name)}'.",
                f"Known DAACs: {', '.join(self.daacs)}.",
            )
        return self.daacs[name]

    async def refresh_daac(self, name: str, endpoint: str | None = None) -> dict[str, Any]:
        state = self._daac(name)
        if endpoint is not None and not self._allowed_endpoint(endpoint):
            raise _endpoint_refused("That credentials endpoint")
        session = self._require_session()
        url = endpoint or state.endpoint
        token = session.token.value
        loop = asyncio.get_running_loop()
        try:
            credentials = await loop.run_in_executor(
                None,
                lambda: fetch_s3_credentials(
                    url,
                    token,
                    timeout=self.config.timeout,
                    user_agent=self.config.user_agent,
                    daac=name,
                ),
            )
        except DaacError as err:
            if self.session is session:
                state.error = err
            raise CloudscapesError(err.status, err.code, err.message, err.hint) from None
        if self.session is not session or session.token.value != token:
            # signed out, or signed in again, while the DAAC answered: not this session's
            raise CloudscapesError(
                409,
                "earthdata_not_signed_in",
                "The Earthdata session changed while the credentials were fetched.",
                "Refresh again.",
            )
        state.endpoint, state.credentials, state.error = url, credentials, None
        if session.remember:  # kernels' credential_process then starts from these
            write_cached(name, token, credentials)
        return self.daac_model(name)

    async def credentials(self, name: str) -> S3Credentials:
        """Cached credentials, fetched when missing or near expiry (for server-side use)."""
        state = self._daac(name)
        if state.credentials is None or not state.credentials.fresh(self.config.credentials_margin):
            await self.refresh_daac(name)
        assert state.credentials is not None
        return state.credentials

    # ---- AWS profiles -----------------------------------------------------------------------

    def write_profiles(self, names: list[str]) -> dict[str, Any]:
        session = self._require_session()
        for name in names:
            self._daac(name)
        if not session.remember or not self.state_path.exists():
            raise CloudscapesError(
                409,
                "earthdata_not_remembered",
                "AWS profiles need the token remembered on this server.",
                "Sign in again with 'Remember me on this server'.",
            )
        self._save()  # the process reads the DAAC table from the state file
        command = shlex.join(
            [
                sys.executable,
                "-m",
                "cloudscapes.earthdata.credential_process",
                "--state",
                str(self.state_path),
            ]
        )
        path = aws_config_path()
        written = []
        for name in names:
            values = {
                "credential_process": f"{command} {shlex.quote(name)}",
                "region": self.config.archive_region,
            }
            if self.config.s3_endpoint_url:
                values["endpoint_url"] = self.config.s3_endpoint_url
            aws_profile_set(path, PROFILE_PREFIX + name, values)
            written.append(PROFILE_PREFIX + name)
        return {"path": str(path), "profiles": written}


def _endpoint_refused(what: str, alternative: str = "") -> CloudscapesError:
    """The 400 for a credentials endpoint outside the admin's allowed hosts and origins."""
    return bad_request(
        f"{what} is not one this hub sends Earthdata tokens to.",
        "Hub admins allow https host suffixes with "
        "c.CloudscapesEarthdata.allowed_credential_hosts and exact origins with "
        f"c.CloudscapesEarthdata.credential_origins{alternative}.",
        code="endpoint_not_allowed",
    )
