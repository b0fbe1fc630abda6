"""``make demo``: JupyterLab with Cloudscapes wired to the local stand-ins.

Starts the hub API stand-in, the Earthdata stand-ins (EDL, DAACs, IMDS, and a moto
S3 with a demo bucket) and the GitHub stand-in (device flow, API, git over HTTP, with
the ``openscapes/tutorial`` repository) on free loopback ports, puts this JupyterLab
"under" them (the variables a spawner sets, a price table, the culler's settings, the
EDL and DAAC URLs, GitHub's), then runs ``jupyter lab``. Everything stays on 127.0.0.1;
nothing real is contacted. Sign in to Earthdata with ``demo`` / ``s3cret #1``; sign in
to GitHub on the stand-in's own page (no password: click Authorize).
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from . import earthdata, free_port, github
from . import gateway as dask_gateway

DEMO_USAGE = {
    "currency": "USD",
    "price_table": {
        "small": {"display_name": "Small: 2 CPU, 8 GB (demo)", "rate_per_hour": 0.12},
        "large": {"display_name": "Large: 8 CPU, 32 GB (demo)", "rate_per_hour": 0.96},
    },
    "default_profile": "small",
}
#: what the demo's gateway clusters cost (per hour)
DEMO_DASK_PRICES = {"worker_core_hour": 0.04, "worker_gib_hour": 0.005, "scheduler_hour": 0.05}
#: seconds after which an idle demo gateway cluster stops itself
DEMO_GATEWAY_IDLE = 1800


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main() -> int:
    signal.signal(signal.SIGTERM, _interrupt)  # `kill` cleans up like Ctrl-C does
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8888)
    parser.add_argument("--token", default="")
    args, lab_args = parser.parse_known_args()
    token = args.token or secrets.token_hex(24)
    hub_port, hub_token = free_port(), secrets.token_hex(16)
    hub = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "cloudscapes.testing.hub",
            "--port",
            str(hub_port),
            "--token",
            hub_token,
            "--user",
            "demo",
            "--profile",
            "small",
        ]
    )
    config_dir = Path(tempfile.mkdtemp(prefix="cloudscapes-demo-"))
    nasa, info = earthdata.spawn(config_dir / "earthdata-standins.json", s3=True)
    # A real dask-gateway-server (local backend), as a hub's Dask Gateway, and GitHub.
    started = [hub, nasa]
    try:
        gh, gh_info = github.spawn(config_dir / "github-standin.json", config_dir / "github")
        started.append(gh)
        gateway = dask_gateway.start_gateway(
            config_dir / "dask-gateway", idle_timeout=DEMO_GATEWAY_IDLE
        )
    except BaseException:
        for process in started:
            process.terminate()
        raise
    config = {
        "ServerApp": {"jpserver_extensions": {"cloudscapes": True}},
        "CloudscapesUsage": DEMO_USAGE,
        "CloudscapesEarthdata": earthdata.server_config(info),
        # earthaccess talks only to NASA's own hosts, so the demo's inserted code reads
        # granules directly (s3fs + the earthdata-<daac> profile), which works with any CMR
        "CloudscapesData": {**earthdata.data_server_config(info), "granule_code": "direct"},
        "CloudscapesDask": {
            **dask_gateway.server_config(gateway),
            "price_table": DEMO_DASK_PRICES,
            "gateway_idle_timeout": DEMO_GATEWAY_IDLE,
        },
        "CloudscapesGit": github.server_config(gh_info["url"], gh_info["client_id"]),
    }
    (config_dir / "jupyter_server_config.json").write_text(json.dumps(config, indent=1))
    env = dict(os.environ)
    # what a hub gives kernels, so that `Gateway()` in a notebook finds the gateway
    env.update(gateway.env())
    env.update(
        JUPYTERHUB_API_URL=f"http://127.0.0.1:{hub_port}/hub/api",
        JUPYTERHUB_API_TOKEN=hub_token,
        JUPYTERHUB_USER="demo",
        JUPYTERHUB_SERVER_NAME="",
        JUPYTERHUB_BASE_URL=f"http://127.0.0.1:{hub_port}/",
        CLOUDSCAPES_CULL_TIMEOUT=env.get("CLOUDSCAPES_CULL_TIMEOUT", "3600"),
        CLOUDSCAPES_CULL_EVERY=env.get("CLOUDSCAPES_CULL_EVERY", "600"),
        JUPYTER_CONFIG_PATH=os.pathsep.join(
            p for p in (str(config_dir), env.get("JUPYTER_CONFIG_PATH", "")) if p
        ),
    )
    time.sleep(0.5)
    print(f"\nCloudscapes demo: http://127.0.0.1:{args.port}/lab?token={token}", flush=True)
    print(f"Hub stand-in: http://127.0.0.1:{hub_port}/hub/home", flush=True)
    print(f"Dask Gateway: {gateway.address}", flush=True)
    print(
        "Earthdata stand-in account: demo / s3cret #1 "
        f"(bucket {info.get('bucket')} through the earthdata-nsidc AWS profile)",
        flush=True,
    )
    print(
        f"GitHub stand-in: {gh_info['url']}/_standin (sign in at {gh_info['url']}/login/device)\n"
        f"  clone the tutorial: {gh_info['tutorial_clone_url']}\n"
        "  publish an instructor update: the button on that page, or\n"
        f"  {sys.executable} -m cloudscapes.testing.github publish-update "
        f"--url {gh_info['url']} --repo openscapes/tutorial\n",
        flush=True,
    )
    processes = [hub, nasa, gh]
    try:
        lab = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "jupyterlab",
                "--no-browser",
                "--ip=127.0.0.1",
                f"--port={args.port}",
                "--port-retries=0",
                f"--IdentityProvider.token={token}",
                *lab_args,
            ],
            env=env,
        )
        processes.insert(0, lab)
        return lab.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
        gateway.stop()


if __name__ == "__main__":
    sys.exit(main())
