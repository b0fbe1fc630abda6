"""``c.CloudscapesGit``: how long git may run, which remote URL schemes are allowed,
whether repository hooks run, how big status pages are, and the GitHub sign-in.

One configurable for the whole git feature: the local routes (status, commits), the
history routes and the remote routes (clone, fetch, push, GitHub) read it alike."""

from __future__ import annotations

import os

from traitlets import Bool, Float, Integer, List, Unicode, default
from traitlets.config import LoggingConfigurable


class CloudscapesGit(LoggingConfigurable):
    """The git panel: the server runs the git CLI for the user's repositories."""

    timeout = Float(
        30.0,
        help="Seconds a local git command (status, add, commit, diff, log...) may run "
        "before it is stopped and the user is told (504 git_timeout).",
    ).tag(config=True)

    network_timeout = Float(
        900.0,
        help="Seconds clone, fetch, pull and push may run before they are stopped.",
    ).tag(config=True)

    allowed_schemes = List(
        Unicode(),
        default_value=["https", "ssh"],
        help="Remote URL schemes users may clone from, fetch from and push to. 'file' "
        "(local paths) and 'http' only when listed; 'ext' is refused even if listed "
        "(it runs a command).",
    ).tag(config=True)

    run_hooks = Bool(
        True,
        help="Whether commits and merges run the repository's hooks (pre-commit, "
        "commit-msg...). Other git commands never run hooks.",
    ).tag(config=True)

    status_page_size = Integer(
        500,
        help="Files per page of the status answer (the panel loads more as it scrolls).",
    ).tag(config=True)

    untracked_cap = Integer(
        1000,
        help="Past this many untracked files, the status lists untracked files grouped "
        "by their top folder (one row per folder) so that a forgotten data folder does "
        "not flood the panel.",
    ).tag(config=True)

    github_client_id = Unicode(
        help="Client id of the GitHub App used for the device sign-in. Default: "
        "$CLOUDSCAPES_GITHUB_CLIENT_ID, else $GH_SCOPED_CREDS_CLIENT_ID, else empty "
        "(GitHub sign-in not offered).",
    ).tag(config=True)

    @default("github_client_id")
    def _default_github_client_id(self) -> str:
        return (
            os.environ.get("CLOUDSCAPES_GITHUB_CLIENT_ID")
            or os.environ.get("GH_SCOPED_CREDS_CLIENT_ID")
            or ""
        )

    github_url = Unicode(
        "https://github.com",
        help="GitHub's web URL: the device code and token endpoints, and the host the "
        "credential helper answers for.",
    ).tag(config=True)

    github_api_url = Unicode(
        "https://api.github.com",
        help="GitHub's REST API URL (the signed-in user, their repositories).",
    ).tag(config=True)

    credential_cache_seconds = Integer(
        3600,
        help="Seconds a password typed in the credentials dialog stays in git's "
        "credential cache (git credential-cache).",
    ).tag(config=True)

    state_dir = Unicode(
        "",
        help="Folder of the git feature's state (the GitHub token file, mode 0600). "
        "Default: ~/.local/share/cloudscapes/git ($XDG_DATA_HOME is honoured).",
    ).tag(config=True)

    def state_path(self) -> str:
        """``state_dir``, or its default when empty, as an absolute path."""
        if self.state_dir:
            return os.path.abspath(os.path.expanduser(self.state_dir))
        data = os.environ.get("XDG_DATA_HOME") or os.path.expanduser("~/.local/share")
        return os.path.join(data, "cloudscapes", "git")
