"""Clone as a job: ``POST clone {path, url, name?, depth?}`` -> 202, kind ``git-clone``.

The URL is checked first (:func:`cloudscapes.git.safety.check_url`: the admin's
schemes only, never ``ext::``, no leading ``-``; then no credentials in it, see
:mod:`.remote`) and the folder (``path``, inside the server root; ``name`` one plain
folder name, by default the URL's last part). A target that exists is a 409
``already_exists`` before anything runs.

git clones into a hidden sibling, ``.<name>.cloning-<random>``, and the job renames it
to ``<name>`` only once git has finished: the file browser never shows a half
repository under the real name, and a cancelled or failed clone removes the sibling
(the job's cleanup runs before the cancel answers). git's ``--progress`` lines become
the job's progress (:class:`.remote.Progress`).
"""

from __future__ import annotations

import asyncio
import os
import secrets
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..handlers import CloudscapesError, bad_request
from ..paths import name_problem
from .credentials import credential_args
from .remote import job_progress, mask_url, refuse_credentials, repo_name_from_url
from .sync import raise_network_error

if TYPE_CHECKING:
    from ..jobs import Job, JobContext
    from .service import GitService

#: Largest ``depth`` accepted (a shallow clone of more history is just a clone).
MAX_DEPTH = 1_000_000


def _exists(target: Path) -> CloudscapesError:
    return CloudscapesError(
        409,
        "already_exists",
        f"There is already a file or folder named '{target.name}' here.",
        "Pick another name for the clone, or clone into another folder.",
    )


def plan(service: GitService, body: dict[str, Any]) -> tuple[str, Path, int | None]:
    """The checked ``(url, target, depth)`` of a clone request, or a 4xx."""
    from . import safety

    url = safety.check_url(body.get("url", ""), list(service.config.allowed_schemes))
    refuse_credentials(url)
    parent = service.folder(body.get("path", ""))
    name = body.get("name") or repo_name_from_url(url)
    problem = name_problem(name) if isinstance(name, str) else "is not text"
    if problem is None and name.startswith("."):
        problem = "starts with a dot (a hidden folder)"
    if problem is None and name.startswith("-"):
        problem = "starts with '-' (every command in a terminal would read it as an option)"
    if problem is not None:
        raise bad_request(
            f"The folder name for the clone {problem}.",
            "Give the clone a plain folder name, for example 'tutorial'.",
            code="invalid_name",
        )
    target = parent / name
    if os.path.lexists(target):
        raise _exists(target)
    depth = body.get("depth")
    if depth is not None and (not isinstance(depth, int) or not 1 <= depth <= MAX_DEPTH):
        raise bad_request(
            "depth must be a whole number of commits, 1 or more.", code="invalid_depth"
        )
    return url, target, depth


def client_path(service: GitService, path: Path) -> str:
    return path.relative_to(service.root).as_posix() if path != service.root else ""


def start(service: GitService, body: dict[str, Any]) -> Job:
    url, target, depth = plan(service, body)

    async def work(ctx: JobContext) -> dict[str, Any]:
        temp = target.parent / f".{target.name}.cloning-{secrets.token_hex(4)}"
        progress = job_progress(ctx)
        ctx.progress(0, 100, "Connecting")
        try:
            args = [*credential_args(service), "clone", "--progress", "--no-recurse-submodules"]
            if depth is not None:
                args.append(f"--depth={depth}")
            result = await service.git.run(
                [*args, "--", url, str(temp)],
                cwd=target.parent,
                network=True,
                on_line=progress.feed,
                lock=False,
                doing="clone",
            )
            progress.close()
            if not result.ok:
                raise_network_error(service, result, "clone", url, progress.lines)
            if os.path.lexists(target):  # noqa: ASYNC240 - made while the clone ran
                raise _exists(target)
            os.rename(temp, target)
        except BaseException:
            await asyncio.get_running_loop().run_in_executor(
                None, lambda: shutil.rmtree(temp, ignore_errors=True)
            )
            raise
        ctx.log(f"Cloned into {client_path(service, target)}")
        return {"path": client_path(service, target)}

    return service.jobs.start(
        "git-clone", f"Clone {mask_url(url)}", work, total=100, unit="percent"
    )
