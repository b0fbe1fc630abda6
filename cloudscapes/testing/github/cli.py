"""``python -m cloudscapes.testing.github``:

- ``serve --port N --data DIR [--seed-tutorial] [--interval S]`` runs the stand-in until
  SIGTERM or SIGINT (``--info-file PATH``, before or after ``serve``, gets its URLs as
  JSON once it listens: :func:`spawn` waits for that file);
- ``publish-update --url URL --repo owner/name [--file PATH=LOCAL] [--delete PATH]
  [--message M]`` asks a running stand-in for an instructor's commit (without files: a
  dated line added to ``README.md``), as the button of its ``/_standin`` page does.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..client import http
from ..serving import serve_until_signalled, spawn_module
from .repos import TUTORIAL_FILES, TUTORIAL_NAME, TUTORIAL_OWNER, commit_files, init_bare
from .server import GitHubStandIn, server_config
from .state import GitHubState

if TYPE_CHECKING:
    from subprocess import Popen


def seed_tutorial(state: GitHubState) -> str:
    """``openscapes/tutorial`` (README, two notebooks, ``data/``); returns its clone URL
    path (``/openscapes/tutorial.git``)."""
    git_dir = state.repo_dir(TUTORIAL_OWNER, TUTORIAL_NAME)
    if not git_dir.exists():
        init_bare(git_dir)
        commit_files(git_dir, TUTORIAL_FILES, message="The tutorial, as the instructor wrote it")
    if f"{TUTORIAL_OWNER}/{TUTORIAL_NAME}" not in state.repos:
        state.add_repo(
            TUTORIAL_OWNER, TUTORIAL_NAME, description="The Cloudscapes tutorial (stand-in)"
        )
    return f"/{TUTORIAL_OWNER}/{TUTORIAL_NAME}.git"


def serve(args: argparse.Namespace) -> int:
    data = Path(args.data) if args.data else Path(tempfile.mkdtemp(prefix="github-standin-"))
    state = GitHubState(root=data / "repos")
    state.interval = args.interval
    tutorial = seed_tutorial(state) if args.seed_tutorial else None
    info_file = Path(args.info_file) if args.info_file else data / "github-standin.json"

    async def start() -> tuple[GitHubStandIn, dict[str, Any]]:
        standin = GitHubStandIn(state, args.port)
        info = {
            "url": standin.url,
            "api_url": f"{standin.url}/api/v3",
            "client_id": state.client_id,
            "data": str(data),
            "tutorial_clone_url": f"{standin.url}{tutorial}" if tutorial else None,
        }
        return standin, info

    def ready(info: dict[str, Any]) -> None:
        print(f"GitHub stand-in ready: {json.dumps(info)}", flush=True)

    serve_until_signalled(start, info_file, ready)
    return 0


def publish_update(args: argparse.Namespace) -> int:
    owner, _, name = args.repo.partition("/")
    files = {}
    for item in args.file:
        path, sep, local = item.partition("=")
        if not sep:
            print(f"--file wants PATH=LOCAL_FILE, not {item!r}", file=sys.stderr)
            return 2
        files[path] = Path(local).read_text(encoding="utf-8")
    body = {"owner": owner, "name": name, "files": files, "delete": args.delete}
    if args.message:
        body["message"] = args.message
    reply = http(
        "POST",
        args.url.rstrip("/") + "/_standin/publish",
        {"Content-Type": "application/json"},
        data=json.dumps(body).encode(),
    )
    answer = reply.json()
    if reply.status != 200:
        print(f"publish-update failed: {answer.get('error')}", file=sys.stderr)
        return 1
    print(f"Published {answer['oid'][:7]} to {args.repo}: {', '.join(answer['files'])}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m cloudscapes.testing.github", description="A local GitHub stand-in"
    )
    parser.add_argument("--info-file", default=None, help="where serve writes its URLs (JSON)")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("serve", help="run the stand-in until SIGTERM / Ctrl-C")
    run.add_argument("--port", type=int, default=0, help="0: a free port")
    run.add_argument("--data", default=None, help="where the repositories live (default: temp)")
    run.add_argument("--seed-tutorial", action="store_true", help="create openscapes/tutorial")
    run.add_argument("--interval", type=int, default=5, help="device-flow poll interval (s)")
    run.add_argument("--info-file", default=argparse.SUPPRESS)
    update = commands.add_parser("publish-update", help="commit an instructor's update")
    update.add_argument("--url", required=True, help="the stand-in, http://127.0.0.1:PORT")
    update.add_argument("--repo", required=True, help="owner/name")
    update.add_argument("--file", action="append", default=[], metavar="PATH=LOCAL_FILE")
    update.add_argument("--delete", action="append", default=[], metavar="PATH")
    update.add_argument("--message", default="")
    args = parser.parse_args(argv)
    if args.command == "serve":
        return serve(args)
    return publish_update(args)


def spawn(
    info_file: Path, data: Path, *, seed_tutorial: bool = True, timeout: float = 60.0
) -> tuple[Popen[bytes], dict[str, Any]]:
    """The stand-in in a subprocess (``make demo``, the UI tests); returns the process
    and its info once it listens."""
    args = ["serve", "--data", str(data)]
    if seed_tutorial:
        args.append("--seed-tutorial")
    started = time.monotonic()
    process, info = spawn_module("cloudscapes.testing.github", info_file, args, timeout)
    info["started_in"] = time.monotonic() - started
    return process, info


def configure_lab(c: Any, data: Path, *, interval: int = 1) -> dict[str, Any]:
    """Wire the server config ``c`` (a ``jupyter_server_config.py``'s, for the UI tests)
    to a stand-in in a subprocess stopped at exit, with ``openscapes/tutorial``:
    ``c.CloudscapesGit`` gets its URLs and client id, and ``http`` is allowed. Returns
    the stand-in's info (``url``, ``tutorial_clone_url``...)."""
    import atexit

    args = ["serve", "--data", str(data), "--seed-tutorial", "--interval", str(interval)]
    process, info = spawn_module("cloudscapes.testing.github", data / "github-standin.json", args)
    atexit.register(process.terminate)
    for key, value in server_config(info["url"], info["client_id"]).items():
        setattr(c.CloudscapesGit, key, value)
    return info
