"""JupyterLab server for the Galata UI tests: Galata's test setup plus Cloudscapes
configured as a hub admin would (prices, culler), an overrides.json, the Earthdata
stand-ins (EDL, DAACs, IMDS, moto S3) with the user's files in a temporary home, and a
real Dask Gateway (dask-gateway-server, local backend)."""

import atexit
import os
import tempfile
from pathlib import Path

from jupyterlab.galata import configure_jupyter_server

from cloudscapes.testing import earthdata
from cloudscapes.testing import gateway as dask_gateway

HERE = Path(__file__).parent

c = get_config()  # noqa: F821  (provided by the config loader)
configure_jupyter_server(c)
c.ServerApp.allow_root = True
c.ServerApp.jpserver_extensions = {"cloudscapes": True}
# Admin defaults for the lab settings, as hubs ship them in overrides.json.
c.LabApp.app_settings_dir = str(HERE / "settings")
c.CloudscapesUsage.price_table = {
    "small": {"display_name": "Small: 2 CPU, 8 GB", "rate_per_hour": 0.12},
}
c.CloudscapesUsage.default_profile = "small"
c.CloudscapesUsage.cull_timeout = 3600
c.CloudscapesUsage.cull_every = 600

# The user's files in a throw-away home, and the stand-ins: 10,000 keys under many/
# (several pages to scroll through); granule downloads over HTTPS stream at 16 kB/s, so
# that their progress bar is seen moving; PO.DAAC's EULA accepted, so that the code
# inserted for DEMO_GRACE_MASCON reads its files.
earthdata.configure_lab(
    c, prefix="cloudscapes-ui-home-", many=10_000, data_rate=16_000, allow=("podaac",)
)

# A Dask Gateway as a hub runs one, with prices; kernels get the hub's DASK_GATEWAY__*
# settings, so `Gateway()` in a notebook finds it. (One gateway even if this file is
# read twice.)
gateway = getattr(dask_gateway, "ui_tests_gateway", None)
if gateway is None:
    gateway = dask_gateway.ui_tests_gateway = dask_gateway.start_gateway(idle_timeout=1800)
    atexit.register(gateway.stop)
dask_gateway.configure_server(c, gateway)
os.environ.update(gateway.env())
c.CloudscapesDask.price_table = {
    "worker_core_hour": 0.04,
    "worker_gib_hour": 0.01,
    "scheduler_hour": 0.05,
}
c.CloudscapesDask.gateway_idle_timeout = 1800

# Git's global config (identity, the credential helper Cloudscapes installs on sign-in)
# goes to a throw-away file, never to the real ~/.gitconfig of whoever runs the tests;
# without an identity in it, a learner's first commit asks for one.
# (One file even if this file is read twice.)
os.environ.setdefault(
    "CLOUDSCAPES_UI_GITCONFIG",
    str(Path(tempfile.mkdtemp(prefix="cloudscapes-ui-git-")) / "gitconfig"),
)
os.environ["GIT_CONFIG_GLOBAL"] = os.environ["CLOUDSCAPES_UI_GITCONFIG"]

# The GitHub stand-in (device flow, git smart HTTP through git http-backend) with
# openscapes/tutorial; c.CloudscapesGit is wired to it. (One stand-in even if this file
# is read twice.)
from cloudscapes.testing import github as github_standin  # noqa: E402

github_info = getattr(github_standin, "ui_tests_github", None)
if github_info is None:
    github_info = github_standin.ui_tests_github = github_standin.configure_lab(
        c, Path(tempfile.mkdtemp(prefix="cloudscapes-ui-github-"))
    )
else:
    for key, value in github_standin.server_config(
        github_info["url"], github_info["client_id"]
    ).items():
        setattr(c.CloudscapesGit, key, value)
