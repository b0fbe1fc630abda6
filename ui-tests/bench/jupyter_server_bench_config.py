"""JupyterLab server for the Playwright benchmarks (ui-tests/bench/): Galata's test setup
and the Earthdata stand-ins with 100,000 keys under the public bucket's many/ (the UI
tests use 10,000), on port 8890 so that it never meets the UI tests' server."""

import atexit
import os
import tempfile
from pathlib import Path

from jupyterlab.galata import configure_jupyter_server

from cloudscapes.testing import earthdata

HERE = Path(__file__).parent
PORT = int(os.environ.get("CLOUDSCAPES_BENCH_PORT", "8890"))
MANY = int(os.environ.get("CLOUDSCAPES_BENCH_MANY", "100000"))

c = get_config()  # noqa: F821  (provided by the config loader)
configure_jupyter_server(c)
c.ServerApp.port = PORT
c.ServerApp.allow_root = True
c.ServerApp.jpserver_extensions = {"cloudscapes": True}

home = Path(tempfile.mkdtemp(prefix="cloudscapes-bench-home-"))
os.environ.update(
    NETRC=str(home / ".netrc"),
    AWS_CONFIG_FILE=str(home / ".aws" / "config"),
    XDG_CACHE_HOME=str(home / ".cache"),
    XDG_DATA_HOME=str(home / ".local" / "share"),
)
for name in ("EARTHDATA_TOKEN", "EARTHDATA_USERNAME", "EARTHDATA_PASSWORD"):
    os.environ.pop(name, None)
standins, info = earthdata.spawn(home / "earthdata-standins.json", s3=True, many=MANY)
atexit.register(standins.terminate)
for key, value in earthdata.server_config(info).items():
    setattr(c.CloudscapesEarthdata, key, value)
for key, value in earthdata.data_server_config(info).items():
    setattr(c.CloudscapesData, key, value)
c.CloudscapesData.granule_code = "direct"
