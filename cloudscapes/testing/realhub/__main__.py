"""``python -m cloudscapes.testing.realhub --port 18000``: a real local hub until
SIGTERM or Ctrl-C (the Galata hub specs start it as their web server). alice's server
token has the scopes docs/hub-install.md grants; bob's is the hub's default."""

from __future__ import annotations

import argparse
import signal
import threading

from .config import CLOUDSCAPES_SERVER_SCOPES, HubSettings
from .launcher import RealHub


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=18000, help="the hub's public port")
    parser.add_argument("--password", default=HubSettings.password)
    args = parser.parse_args(argv)
    settings = HubSettings(
        password=args.password, server_token_scopes={"alice": CLOUDSCAPES_SERVER_SCOPES}
    )
    done = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, lambda *_: done.set())
    with RealHub(settings, public_port=args.port) as hub:
        print(f"Cloudscapes test hub: {hub.url}/hub/login (alice or bob)", flush=True)
        while not done.wait(1):
            if hub.process is not None and hub.process.poll() is not None:
                raise SystemExit(f"the hub exited:\n{hub.log_tail()}")
    print("Cloudscapes test hub: stopped", flush=True)


if __name__ == "__main__":
    main()
