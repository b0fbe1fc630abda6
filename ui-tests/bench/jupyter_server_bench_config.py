"""JupyterLab server for the Playwright benchmarks (ui-tests/bench/): Galata's test setup
and the Earthdata stand-ins with 100,000 keys under the public bucket's many/ (the UI
tests use 10,000), on port 8890 so that it never meets the UI tests' server."""

import os
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

earthdata.configure_lab(c, prefix="cloudscapes-bench-home-", many=MANY)
