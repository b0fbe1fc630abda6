"""What the GitHub stand-in knows: the GitHub App (its client id and whether device flow
is on), the users, the device codes being approved, the user-to-server tokens it issued,
the repositories (bare repositories under :attr:`GitHubState.root`, with the metadata the
REST API shows) and the passwords of the Basic-auth remote. Every handler reads and
changes this one object on the serving loop; tests change it through the control API
(:mod:`.control`), which calls the methods here.

Times come from :attr:`GitHubState.clock` so that a test can expire codes and tokens
without waiting: ``expire(user_code)`` moves a code's deadline into the past.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..serving import RecordedRequest

#: the stand-in App's client id (a GitHub App's look: ``Iv1.`` and 16 hex digits)
DEFAULT_CLIENT_ID = "Iv1.c10dscape5demo01"
#: the learner every approval signs in as unless told otherwise
DEFAULT_LOGIN = "learner"
#: what GitHub documents for the device flow and user-to-server tokens
DEVICE_EXPIRES_IN = 900
DEVICE_INTERVAL = 5
SLOW_DOWN_STEP = 5
TOKEN_EXPIRES_IN = 28800
REFRESH_EXPIRES_IN = 15811200
#: the owner whose repositories sit behind a plain password (the credentials-dialog path)
BASIC_OWNER = "basic"
BASIC_USER = "learner"

#: user codes as GitHub shows them: 8 letters or digits in two groups of four, no
#: look-alikes (0/O, 1/I)
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_user_code() -> str:
    raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


def normalize_user_code(code: str) -> str:
    """``wdjb mjht`` or ``wdjbmjht`` as ``WDJB-MJHT`` (GitHub's page takes either)."""
    raw = "".join(ch for ch in code.upper() if ch.isalnum())
    return f"{raw[:4]}-{raw[4:]}" if len(raw) == 8 else code.strip().upper()


@dataclass
class App:
    client_id: str
    name: str = "Cloudscapes (stand-in)"
    slug: str = "cloudscapes-standin"
    id: int = 31337
    device_flow: bool = True


@dataclass
class User:
    login: str
    id: int
    name: str

    def as_json(self, url: str) -> dict[str, Any]:
        return {
            "login": self.login,
            "id": self.id,
            "node_id": f"U_standin{self.id}",
            "type": "User",
            "name": self.name,
            "html_url": f"{url}/{self.login}",
            "site_admin": False,
        }


@dataclass
class DeviceCode:
    device_code: str
    user_code: str
    client_id: str
    expires_at: float
    interval: int
    #: pending, approved, denied or used (the token was handed out: the code is dead)
    status: str = "pending"
    login: str | None = None
    last_poll: float | None = None
    repository_id: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "user_code": self.user_code,
            "client_id": self.client_id,
            "status": self.status,
            "login": self.login,
            "expires_at": self.expires_at,
            "interval": self.interval,
        }


@dataclass
class Token:
    access_token: str
    refresh_token: str
    login: str
    client_id: str
    expires_at: float
    refresh_expires_at: float
    revoked: bool = False

    def as_json(self) -> dict[str, Any]:
        return {
            "access_token": self.access_token,
            "refresh_token": self.refresh_token,
            "login": self.login,
            "client_id": self.client_id,
            "expires_at": self.expires_at,
            "refresh_expires_at": self.refresh_expires_at,
            "revoked": self.revoked,
        }


@dataclass
class Repository:
    owner: str
    name: str
    id: int
    private: bool = False
    description: str = ""
    default_branch: str = "main"
    #: whether the App is installed on it (it then shows in the REST API's lists)
    installed: bool = True

    @property
    def full_name(self) -> str:
        return f"{self.owner}/{self.name}"

    def as_json(self, url: str) -> dict[str, Any]:
        return {
            "id": self.id,
            "node_id": f"R_standin{self.id}",
            "name": self.name,
            "full_name": self.full_name,
            "private": self.private,
            "owner": {"login": self.owner, "id": 5000 + self.id, "type": "Organization"},
            "html_url": f"{url}/{self.full_name}",
            "description": self.description or None,
            "fork": False,
            "clone_url": f"{url}/{self.full_name}.git",
            "default_branch": self.default_branch,
            "visibility": "private" if self.private else "public",
            "permissions": {"admin": False, "maintain": False, "push": True, "pull": True},
        }


def _default_users() -> dict[str, User]:
    return {DEFAULT_LOGIN: User(DEFAULT_LOGIN, 1001, "Learner Example")}


@dataclass
class GitHubState:
    """Everything the stand-in serves; :meth:`reset` forgets all but :attr:`root`."""

    #: where the bare repositories live, as ``<owner>/<name>.git``
    root: Path
    client_id: str = DEFAULT_CLIENT_ID
    url: str | None = None
    clock: Callable[[], float] = time.time
    requests: list[RecordedRequest] = field(default_factory=list)
    apps: dict[str, App] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=_default_users)
    codes: dict[str, DeviceCode] = field(default_factory=dict)
    tokens: dict[str, Token] = field(default_factory=dict)
    repos: dict[str, Repository] = field(default_factory=dict)
    #: ``/basic/<name>.git`` -> the password of user ``learner``
    passwords: dict[str, str] = field(default_factory=dict)
    device_expires_in: int = DEVICE_EXPIRES_IN
    interval: int = DEVICE_INTERVAL
    token_expires_in: int = TOKEN_EXPIRES_IN
    refresh_expires_in: int = REFRESH_EXPIRES_IN
    #: the next N polls of the token endpoint answer ``slow_down`` whatever their pace
    forced_slow_down: int = 0

    def __post_init__(self) -> None:
        self.root = Path(self.root)
        self.root.mkdir(parents=True, exist_ok=True)
        if not self.apps:
            self.apps[self.client_id] = App(self.client_id)

    def reset(self, interval: int | None = None) -> None:
        """Back to a fresh stand-in (one App, one user, nothing issued, no repository);
        the repositories' directories are the caller's to remove."""
        self.requests.clear()
        self.apps = {self.client_id: App(self.client_id)}
        self.users = _default_users()
        self.codes.clear()
        self.tokens.clear()
        self.repos.clear()
        self.passwords.clear()
        self.device_expires_in = DEVICE_EXPIRES_IN
        self.interval = DEVICE_INTERVAL if interval is None else interval
        self.token_expires_in = TOKEN_EXPIRES_IN
        self.refresh_expires_in = REFRESH_EXPIRES_IN
        self.forced_slow_down = 0

    @property
    def base_url(self) -> str:
        assert self.url is not None, "the stand-in is not listening yet"
        return self.url

    # ---- device flow ---------------------------------------------------------------------

    def new_device_code(self, client_id: str, repository_id: str | None = None) -> DeviceCode:
        user_code = new_user_code()
        while any(code.user_code == user_code for code in self.codes.values()):
            user_code = new_user_code()
        code = DeviceCode(
            device_code=secrets.token_hex(20),  # 40 characters, as GitHub's
            user_code=user_code,
            client_id=client_id,
            expires_at=self.clock() + self.device_expires_in,
            interval=self.interval,
            repository_id=repository_id,
        )
        self.codes[code.device_code] = code
        return code

    def find_user_code(self, user_code: str) -> DeviceCode | None:
        wanted = normalize_user_code(user_code)
        for code in self.codes.values():
            if code.user_code == wanted:
                return code
        return None

    def live_code(self, user_code: str) -> DeviceCode | None:
        """The pending, unexpired code a user typed, or None."""
        code = self.find_user_code(user_code)
        if code is None or code.status != "pending" or self.clock() >= code.expires_at:
            return None
        return code

    def user(self, login: str) -> User:
        if login not in self.users:
            self.users[login] = User(login, 1001 + len(self.users), login)
        return self.users[login]

    def decide(self, user_code: str, approve: bool, login: str = DEFAULT_LOGIN) -> DeviceCode:
        """The user's click on Authorize or Cancel; KeyError for a code that is not
        pending (unknown, expired, decided)."""
        code = self.live_code(user_code)
        if code is None:
            raise KeyError(user_code)
        if approve:
            code.status, code.login = "approved", self.user(login).login
        else:
            code.status = "denied"
        return code

    def expire_code(self, user_code: str) -> DeviceCode:
        code = self.find_user_code(user_code)
        if code is None:
            raise KeyError(user_code)
        code.expires_at = self.clock() - 1
        return code

    # ---- tokens --------------------------------------------------------------------------

    def issue_token(self, login: str = DEFAULT_LOGIN, client_id: str | None = None) -> Token:
        now = self.clock()
        token = Token(
            access_token="ghu_" + secrets.token_urlsafe(27).replace("-", "A").replace("_", "b"),
            refresh_token="ghr_" + secrets.token_urlsafe(57).replace("-", "C").replace("_", "d"),
            login=self.user(login).login,
            client_id=client_id or self.client_id,
            expires_at=now + self.token_expires_in,
            refresh_expires_at=now + self.refresh_expires_in,
        )
        self.tokens[token.access_token] = token
        return token

    def live_token(self, access_token: str) -> Token | None:
        token = self.tokens.get(access_token)
        if token is None or token.revoked or self.clock() >= token.expires_at:
            return None
        return token

    def by_refresh(self, refresh_token: str) -> Token | None:
        for token in self.tokens.values():
            if token.refresh_token == refresh_token:
                if token.revoked or self.clock() >= token.refresh_expires_at:
                    return None
                return token
        return None

    def revoke(self, access_token: str) -> None:
        self.tokens[access_token].revoked = True

    def expire_token(self, access_token: str) -> None:
        self.tokens[access_token].expires_at = self.clock() - 1

    # ---- repositories --------------------------------------------------------------------

    def repo_dir(self, owner: str, name: str) -> Path:
        return self.root / owner / f"{name}.git"

    def add_repo(self, owner: str, name: str, **kwargs: Any) -> Repository:
        repo = Repository(owner, name, id=100 + len(self.repos), **kwargs)
        self.repos[repo.full_name] = repo
        return repo

    def installed_repos(self) -> list[Repository]:
        """What the App may reach: every installed repository outside ``basic/``."""
        return [r for r in self.repos.values() if r.installed and r.owner != BASIC_OWNER]

    def installations(self) -> dict[int, list[Repository]]:
        """One installation per owner of installed repositories, as GitHub numbers them."""
        owners = sorted({repo.owner for repo in self.installed_repos()})
        return {
            9000 + i: [r for r in self.installed_repos() if r.owner == owner]
            for i, owner in enumerate(owners)
        }
