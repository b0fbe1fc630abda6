"""A local stand-in for the parts of GitHub the git panel uses, on one loopback origin:

- :mod:`.oauth` -- the device flow of a GitHub App (``/login/device/code``,
  ``/login/oauth/access_token`` with every documented error, the refresh grant) and the
  ``/login/device`` page where the user enters the code and clicks Authorize or Cancel;
- :mod:`.api` -- ``/api/v3``: ``/user``, ``/user/installations``, their repositories,
  ``/user/repos``;
- :mod:`.githttp` -- git smart HTTP through the real ``git http-backend`` (CGI), with
  GitHub's rules (push needs a ``ghu_`` token as the Basic password) and a
  ``/basic/<repo>.git`` remote behind a plain password;
- :mod:`.control` -- ``/_standin/...``, the test hooks, and the instructor's
  "Publish an instructor update" button;
- :mod:`.state`, :mod:`.repos` (bare repositories changed with git's plumbing, the demo's
  tutorial), :mod:`.server` (the app, :class:`GitHubStandIn`, :func:`server_config`),
  :mod:`.cli` (``python -m cloudscapes.testing.github serve | publish-update``).

The ``github_standin`` fixture (:mod:`cloudscapes.testing.fixtures.git`) serves it to
tests; ``make demo`` runs it with ``openscapes/tutorial``. ``docs/standins.md`` says
which documented behaviour each part follows.
"""

from .cli import configure_lab, seed_tutorial, spawn
from .repos import TUTORIAL_FILES, commit_files, init_bare, notebook
from .server import GitHubStandIn, make_app, server_config, start_github
from .state import (
    BASIC_OWNER,
    BASIC_USER,
    DEFAULT_CLIENT_ID,
    DEFAULT_LOGIN,
    DeviceCode,
    GitHubState,
    Repository,
    Token,
)

__all__ = [
    "BASIC_OWNER",
    "BASIC_USER",
    "DEFAULT_CLIENT_ID",
    "DEFAULT_LOGIN",
    "TUTORIAL_FILES",
    "DeviceCode",
    "GitHubStandIn",
    "GitHubState",
    "Repository",
    "Token",
    "commit_files",
    "configure_lab",
    "init_bare",
    "make_app",
    "notebook",
    "seed_tutorial",
    "server_config",
    "spawn",
    "start_github",
]
