"""JupyterLab server for the Galata UI tests: Galata's test setup plus Cloudscapes
configured as a hub admin would (prices, culler), and an overrides.json."""

from pathlib import Path

from jupyterlab.galata import configure_jupyter_server

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
