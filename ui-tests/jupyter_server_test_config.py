"""JupyterLab server for the Galata UI tests: Galata's test setup plus Cloudscapes
configured as a hub admin would (prices, culler), an overrides.json, and the Earthdata
stand-ins (EDL, DAACs, IMDS, moto S3) with the user's files in a temporary home."""

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

# The user's files in a throw-away home, and the stand-ins: 10,000 keys under many/
# (several pages to scroll through); granule downloads over HTTPS stream at 16 kB/s, so
# that their progress bar is seen moving.
earthdata.configure_lab(c, prefix="cloudscapes-ui-home-", many=10_000, data_rate=16_000)
