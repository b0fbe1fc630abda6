"""A real JupyterHub for the tests: JupyterHub from the package index with
configurable-http-proxy (npm, installed by ``make hubproxy``), the simple local-process
spawner, the dummy authenticator with two users, jupyterhub-idle-culler as a hub-managed
service and the server token scopes an admin sets, on free loopback ports in a temporary
folder. The stand-in of the hub API (:mod:`cloudscapes.testing.hub`) answers what the
code expects; this hub answers what JupyterHub really does (a proxy in front, OAuth,
scopes, ``frame-ancestors``, the culler)."""

from .browser import HubBrowser, page_config
from .config import CLOUDSCAPES_SERVER_SCOPES, DEFAULT_SERVER_SCOPES, PRICES, HubSettings
from .launcher import RealHub, proxy_command, until

__all__ = [
    "CLOUDSCAPES_SERVER_SCOPES",
    "DEFAULT_SERVER_SCOPES",
    "PRICES",
    "HubBrowser",
    "HubSettings",
    "RealHub",
    "page_config",
    "proxy_command",
    "until",
]
