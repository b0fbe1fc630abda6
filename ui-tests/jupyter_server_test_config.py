"""JupyterLab server for the Galata UI tests: Galata's test setup plus Cloudscapes
configured as a hub admin would (prices, culler), an overrides.json, and the Earthdata
stand-ins (EDL, DAACs, IMDS, moto S3) with the user's files in a temporary home."""

import atexit
import os
import tempfile
from pathlib import Path

from jupyterlab.galata import configure_jupyter_server

from cloudscapes.testing import earthdata

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

# The user's netrc, AWS config and caches live in a throw-away home; kernels inherit it.
home = Path(tempfile.mkdtemp(prefix="cloudscapes-ui-home-"))
os.environ.update(
    NETRC=str(home / ".netrc"),
    AWS_CONFIG_FILE=str(home / ".aws" / "config"),
    XDG_CACHE_HOME=str(home / ".cache"),
    XDG_DATA_HOME=str(home / ".local" / "share"),
)
for name in ("EARTHDATA_TOKEN", "EARTHDATA_USERNAME", "EARTHDATA_PASSWORD"):
    os.environ.pop(name, None)
# 10,000 keys under many/ (several pages to scroll through); granule downloads over
# HTTPS stream at 16 kB/s, so that their progress bar is seen moving
standins, info = earthdata.spawn(
    home / "earthdata-standins.json", s3=True, many=10_000, data_rate=16_000
)
atexit.register(standins.terminate)
for key, value in earthdata.server_config(info).items():
    setattr(c.CloudscapesEarthdata, key, value)
for key, value in earthdata.data_server_config(info).items():
    setattr(c.CloudscapesData, key, value)
c.CloudscapesData.granule_code = "direct"  # earthaccess would call NASA's real hosts
