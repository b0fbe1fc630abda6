"""The demo's Earthdata world and the ways to run it: :func:`demo_state` (the ``demo``
account, six DAACs of the table and the ``swot`` one outside it), ``python -m
cloudscapes.testing.earthdata`` (:func:`main`: every stand-in, with ``--s3`` a seeded moto
S3, until SIGTERM), :func:`spawn` (that command in a subprocess, for ``make demo`` and the
UI tests) and the server settings that point a Jupyter server at it
(:func:`server_config`, :func:`data_server_config`, :func:`configure_lab`)."""

from __future__ import annotations

import argparse
import json
import os
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ..datasets import DAAC_BUCKETS, DEMO_PUBLIC_BUCKET, DEMO_PUBLIC_LABEL, SWOT_BUCKET
from ..serving import serve_until_signalled, spawn_module
from .group import EarthdataStandIns
from .state import EarthdataState

if TYPE_CHECKING:
    from subprocess import Popen

    from ..s3 import MotoS3


DEMO_BUCKET = DAAC_BUCKETS["nsidc"]
DEMO_LPDAAC_BUCKET = DAAC_BUCKETS["lpdaac"]
DEMO_OBJECTS = {
    "hello.txt": b"Hello from the Cloudscapes demo bucket\n",
    "sea_ice_extent.csv": (
        b"date,extent_million_km2\n"
        b"2024-09-01,4.53\n2024-09-08,4.35\n2024-09-15,4.28\n2024-09-22,4.31\n"
    ),
}


def demo_state(
    s3: MotoS3 | None = None, many: int = 100_000, allow: Sequence[str] = ()
) -> EarthdataState:
    """The demo's user and DAACs; seeds ``s3`` when given (the demo bucket's objects, and
    :func:`cloudscapes.testing.datasets.seed_demo_data` with ``many`` keys under the
    public bucket's ``many/``). The DAACs in ``allow`` neither ask for a EULA (podaac
    does) nor refuse the user (ornldaac does): generated code reads their files."""
    state = EarthdataState(s3=s3)
    state.add_user(
        "demo",
        "s3cret #1",
        first_name="Demo",
        last_name="User",
        email_address="demo@example.org",
        affiliation="Cloudscapes demo",
    )
    # The buckets the CMR stand-in's collections of each provider point at.
    state.add_daac("nsidc", [DAAC_BUCKETS["nsidc"]])
    state.add_daac("podaac", [DAAC_BUCKETS["podaac"]], eula=True)
    state.add_daac("lpdaac", [DAAC_BUCKETS["lpdaac"]])
    state.add_daac("gesdisc", [DAAC_BUCKETS["gesdisc"]])
    state.add_daac("ornldaac", [DAAC_BUCKETS["ornldaac"]], forbidden=True)
    state.add_daac("asf", [DAAC_BUCKETS["asf"]])
    # SWOT-like: served, its keys read only its bucket, but not in the DAAC table.
    state.add_daac("swot", [SWOT_BUCKET], listed=False)
    for daac in allow:
        if daac not in state.daacs:
            raise ValueError(f"no DAAC {daac!r} in the demo (it has {', '.join(state.daacs)})")
        state.eula_daacs.discard(daac)
        state.forbidden_daacs.discard(daac)
    if s3 is not None:
        from ..datasets import seed_demo_data

        for key, body in DEMO_OBJECTS.items():
            s3.seed(DEMO_BUCKET, key, body)
        seed_demo_data(s3, many=many)
    return state


def main(argv: list[str] | None = None) -> int:  # pragma: no cover - exercised by a test
    """``python -m cloudscapes.testing.earthdata --info-file PATH [--s3] [--many N]``:
    the demo's stand-ins until SIGTERM or SIGINT; PATH holds their URLs meanwhile."""
    parser = argparse.ArgumentParser(description="Local Earthdata Login, DAAC and IMDS stand-ins")
    parser.add_argument("--info-file", required=True, type=Path, help="where to write the URLs")
    parser.add_argument("--s3", action="store_true", help="also run MotoS3 (real S3 keys)")
    parser.add_argument("--edl-port", type=int, default=0)
    parser.add_argument("--daac-port", type=int, default=0)
    parser.add_argument("--imds-port", type=int, default=0)
    parser.add_argument("--cmr-port", type=int, default=0)
    parser.add_argument("--data-port", type=int, default=0)
    parser.add_argument("--presign-port", type=int, default=0)
    parser.add_argument("--credential-lifetime", type=int, default=3600)
    parser.add_argument(
        "--data-rate",
        type=float,
        default=None,
        help="bytes per second the data host streams at (slow downloads for UI tests)",
    )
    parser.add_argument(
        "--allow",
        action="append",
        default=[],
        metavar="DAAC",
        help="a DAAC whose EULA the demo user has accepted and that does not refuse them "
        "(podaac, ornldaac); repeatable",
    )
    parser.add_argument(
        "--many",
        type=int,
        default=100_000,
        help="small keys under the public bucket's many/ (with --s3)",
    )
    args = parser.parse_args(argv)

    started = time.perf_counter()
    s3 = None
    if args.s3:
        from ..s3 import MotoS3

        s3 = MotoS3()
    try:
        state = demo_state(s3, many=args.many, allow=args.allow)
        state.credential_lifetime = args.credential_lifetime
        state.data_rate = args.data_rate

        async def start() -> tuple[EarthdataStandIns, dict[str, Any]]:
            standins = EarthdataStandIns(
                state,
                edl_port=args.edl_port,
                daac_port=args.daac_port,
                imds_port=args.imds_port,
                cmr_port=args.cmr_port,
                data_port=args.data_port,
                presign_port=args.presign_port,
            )
            info = {
                "edl_url": standins.edl_url,
                "imds_url": standins.imds_url,
                "daacs": {name: standins.daac_url(name) for name in state.listed_daacs()},
                "daac_base_url": standins.daac_base_url,
                "s3_endpoint_url": s3.endpoint_url if s3 else None,
                "bucket": DEMO_BUCKET if s3 else None,
                "cmr_url": standins.cmr_url,
                "data_url": standins.data_url,
                "public_bucket": DEMO_PUBLIC_BUCKET if s3 else None,
            }
            return standins, info

        def ready(info: dict[str, Any]) -> None:
            print(
                f"Earthdata stand-ins ready in {time.perf_counter() - started:.1f} s: "
                f"{json.dumps(info)}",
                flush=True,
            )

        serve_until_signalled(start, args.info_file, ready)
    finally:
        if s3 is not None:
            s3.stop()
    return 0


def spawn(
    info_file: Path,
    *,
    s3: bool = True,
    timeout: float = 60.0,
    many: int | None = None,
    data_rate: float | None = None,
    allow: Sequence[str] = (),
) -> tuple[Popen[bytes], dict[str, Any]]:
    """Run the stand-ins in a subprocess (``make demo``, the UI tests); returns the
    process and its info once the info file exists. ``many``: keys under the public
    bucket's ``many/`` (default 100 000); ``allow``: see :func:`demo_state`."""
    args = [arg for daac in allow for arg in ("--allow", daac)]
    if s3:
        args.append("--s3")
    if many is not None:
        args += ["--many", str(many)]
    if data_rate is not None:
        args += ["--data-rate", str(data_rate)]
    return spawn_module("cloudscapes.testing.earthdata", info_file, args, timeout)


def server_config(info: dict[str, Any], environment: str = "demo") -> dict[str, Any]:
    """``c.CloudscapesEarthdata`` for a server wired to the stand-ins in ``info``: the
    DAAC table (without ``swot``) and, in ``credential_origins``, the DAAC stand-in's
    origin, so a collection naming an endpoint outside the table there (SWOT-like) may
    receive the token."""
    base = info.get("daac_base_url") or next(iter(info["daacs"].values()), "")
    return {
        "environments": {environment: info["edl_url"]},
        "default_environment": environment,
        "daacs": info["daacs"],
        "credential_origins": [origin(base)] if base else [],
        "imds_url": info["imds_url"],
        "s3_endpoint_url": info.get("s3_endpoint_url") or "",
    }


def origin(url: str) -> str:
    """``scheme://host:port`` of ``url``."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def data_server_config(info: dict[str, Any]) -> dict[str, Any]:
    """``c.CloudscapesData`` for a server wired to the stand-ins in ``info``."""
    public = info.get("public_bucket")
    return {
        "cmr_url": info["cmr_url"],
        "s3_endpoint_url": info.get("s3_endpoint_url") or "",
        "public_buckets": [{"bucket": public, "label": DEMO_PUBLIC_LABEL}] if public else [],
        # the data host is not on an Earthdata domain: let it receive the token
        "token_origins": [info["data_url"]] if info.get("data_url") else [],
    }


def user_files_env(home: Path) -> dict[str, str]:
    """The variables that put the files Cloudscapes writes for a user (``~/.netrc``,
    ``~/.aws/config``, its state and caches) under ``home`` instead of the real one."""
    return {
        "NETRC": str(home / ".netrc"),
        "AWS_CONFIG_FILE": str(home / ".aws" / "config"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
    }


def configure_lab(
    c: Any,
    *,
    prefix: str,
    many: int | None = None,
    data_rate: float | None = None,
    allow: Sequence[str] = (),
) -> Path:
    """Wire the server config ``c`` (a ``jupyter_server_config.py``'s) to the stand-ins,
    for the UI tests and their benchmarks: the user's netrc, AWS config and caches go to
    a throw-away home (kernels inherit it), the stand-ins run in a subprocess stopped at
    exit, and ``c.CloudscapesEarthdata`` / ``c.CloudscapesData`` point at them (granule
    code ``direct``: earthaccess would call NASA's real hosts). ``allow``: DAACs without
    a EULA or a refusal (e.g. ``("podaac",)`` to run code on ``DEMO_GRACE_MASCON``).
    Returns the home."""
    import atexit
    import tempfile

    home = Path(tempfile.mkdtemp(prefix=prefix))
    os.environ.update(user_files_env(home))
    for name in ("EARTHDATA_TOKEN", "EARTHDATA_USERNAME", "EARTHDATA_PASSWORD"):
        os.environ.pop(name, None)
    standins, info = spawn(
        home / "earthdata-standins.json", s3=True, many=many, data_rate=data_rate, allow=allow
    )
    atexit.register(standins.terminate)
    for key, value in server_config(info).items():
        setattr(c.CloudscapesEarthdata, key, value)
    for key, value in data_server_config(info).items():
        setattr(c.CloudscapesData, key, value)
    c.CloudscapesData.granule_code = "direct"
    return home
