"""Admin configuration of the Earthdata login: ``c.CloudscapesEarthdata.<trait>``.

Hosts that receive credentials (EDL, DAAC endpoints) come only from here.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit

from traitlets import Bool, Dict, Float, List, Unicode, default
from traitlets.config import LoggingConfigurable

from .state import default_state_path

#: DAAC temporary-credential endpoints (thin-egress-app ``/s3credentials``).
DEFAULT_DAACS = {
    "nsidc": "https://data.nsidc.earthdatacloud.nasa.gov/s3credentials",
    "podaac": "https://archive.podaac.earthdata.nasa.gov/s3credentials",
    "lpdaac": "https://data.lpdaac.earthdatacloud.nasa.gov/s3credentials",
    "gesdisc": "https://data.gesdisc.earthdata.nasa.gov/s3credentials",
    "asf": "https://sentinel1.asf.alaska.edu/s3credentials",
    "ornldaac": "https://data.ornldaac.earthdata.nasa.gov/s3credentials",
    "ghrc": "https://data.ghrc.earthdata.nasa.gov/s3credentials",
    "obdaac": "https://obdaac-tea.earthdatacloud.nasa.gov/s3credentials",
    "laads": "https://data.laadsdaac.earthdatacloud.nasa.gov/s3credentials",
    "asdc": "https://data.asdc.earthdata.nasa.gov/s3credentials",
}


def _env_bool(name: str) -> bool | None:
    value = os.environ.get(name, "").strip().lower()
    if value in ("1", "true", "yes"):
        return True
    if value in ("0", "false", "no"):
        return False
    return None


class CloudscapesEarthdata(LoggingConfigurable):
    """Earthdata Login, DAAC S3 credentials and in-region detection."""

    environments = Dict(
        default_value={
            "prod": "https://urs.earthdata.nasa.gov",
            "uat": "https://uat.urs.earthdata.nasa.gov",
        },
        help="EDL environments users may sign in to: name -> base URL. Basic auth and "
        "tokens go to these hosts only.",
    ).tag(config=True)

    default_environment = Unicode(
        "prod", help="The EDL environment used unless the user picks another."
    ).tag(config=True)

    remember_default = Bool(
        True,
        help="Default of 'Remember me on this server' (write ~/.netrc and keep the token "
        "in a 0600 file) in the sign-in form.",
    ).tag(config=True)

    daacs = Dict(
        help="DAAC name -> its /s3credentials endpoint. Default: the NASA DAACs in us-west-2."
    ).tag(config=True)

    @default("daacs")
    def _default_daacs(self) -> dict[str, str]:
        return dict(DEFAULT_DAACS)

    allowed_credential_hosts = List(
        Unicode(),
        default_value=[".earthdata.nasa.gov", ".earthdatacloud.nasa.gov", ".asf.alaska.edu"],
        help="Host suffixes a collection's S3CredentialsAPIEndpoint may have to receive "
        "the user's token (besides the hosts of `daacs`).",
    ).tag(config=True)

    credential_origins = List(
        Unicode(),
        default_value=[],
        help="Exact origins (scheme://host[:port]) a collection's S3CredentialsAPIEndpoint "
        "may have to receive the user's token, for endpoints outside "
        "`allowed_credential_hosts` (for example a local stand-in).",
    ).tag(config=True)

    in_region = Bool(
        None,
        allow_none=True,
        help="Whether this hub runs in the archive's region. Default: "
        "$CLOUDSCAPES_IN_REGION, else an IMDSv2 probe (1 s), else unknown.",
    ).tag(config=True)

    @default("in_region")
    def _default_in_region(self) -> bool | None:
        return _env_bool("CLOUDSCAPES_IN_REGION")

    archive_region = Unicode("us-west-2", help="AWS region of the Earthdata archive.").tag(
        config=True
    )

    imds_url = Unicode(
        "http://169.254.169.254", help="EC2 instance metadata service (IMDSv2) base URL."
    ).tag(config=True)

    imds_timeout = Float(1.0, help="Timeout of the IMDS probe, seconds.").tag(config=True)

    s3_endpoint_url = Unicode(
        "",
        help="S3 endpoint written into the AWS profiles (empty: AWS's own). For stand-ins.",
    ).tag(config=True)

    credentials_margin = Float(
        300.0, help="Refresh DAAC credentials this many seconds before they expire."
    ).tag(config=True)

    renew_before_days = Float(
        7.0, help="Renew the EDL token this many days before it expires (needs stored credentials)."
    ).tag(config=True)

    timeout = Float(15.0, help="Timeout of each call to EDL or a DAAC, seconds.").tag(config=True)

    user_agent = Unicode(
        "cloudscapes/0.1 (JupyterLab server extension; python)",
        help="User-Agent sent to EDL and DAACs (browser User-Agents get HTML pages).",
    ).tag(config=True)

    state_path = Unicode(
        help="File (0600) holding the remembered token for kernels and Dask workers. "
        "Default: ~/.local/share/cloudscapes/earthdata.json.",
    ).tag(config=True)

    @default("state_path")
    def _default_state_path(self) -> str:
        return str(default_state_path())

    def edl_url(self, environment: str) -> str:
        return self.environments[environment].rstrip("/")

    def edl_host(self, environment: str) -> str:
        return urlsplit(self.edl_url(environment)).hostname or ""
