"""``cloudscapes-credentials <daac>``: an AWS ``credential_process`` for DAAC buckets.

``~/.aws/config`` profiles ``earthdata-<daac>`` (written by the Earthdata panel) run
it, so boto3, s3fs and xarray in any kernel, and Dask workers sharing the home
directory, get temporary credentials that refresh by themselves. It reads the token
remembered by the panel, reuses cached credentials until shortly before they expire,
and otherwise asks the DAAC. It never logs in: without a remembered token it says so.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from .daac import DaacError, fetch_s3_credentials
from .state import SavedSession, default_state_path, read_cached, write_cached


def credentials_for(daac: str, state_path: Path):  # type: ignore[no-untyped-def]
    session = SavedSession.load(state_path)
    if session is None:
        raise DaacError(
            409,
            "earthdata_not_signed_in",
            "No remembered Earthdata session on this server.",
            "Sign in from the Earthdata panel in JupyterLab with 'Remember me on this server'.",
        )
    endpoint = session.daacs.get(daac)
    if endpoint is None:
        raise DaacError(
            404,
            "unknown_daac",
            f"Unknown DAAC '{daac}'.",
            f"Known DAACs: {', '.join(sorted(session.daacs))}.",
        )
    cached = read_cached(daac, session.token, session.margin)
    if cached is not None:
        return cached
    fresh = fetch_s3_credentials(
        endpoint, session.token, timeout=session.timeout, user_agent=session.user_agent, daac=daac
    )
    write_cached(daac, session.token, fresh)
    return fresh


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="cloudscapes-credentials", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("daac", help="DAAC name, for example nsidc")
    parser.add_argument(
        "--state",
        default=os.environ.get("CLOUDSCAPES_EARTHDATA_STATE") or str(default_state_path()),
        help="the remembered session (default: %(default)s)",
    )
    args = parser.parse_args(argv)
    try:
        credentials = credentials_for(args.daac, Path(args.state))
    except DaacError as err:
        print(f"cloudscapes-credentials: {err.message} {err.hint}", file=sys.stderr)
        return 1
    json.dump(credentials.to_process_output(), sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
