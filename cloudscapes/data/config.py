"""``c.CloudscapesData``: where CMR and S3 are, which buckets users see, downloads, and
the code templates."""

from __future__ import annotations

import os

from traitlets import Bool, Dict, Float, Int, List, Unicode, default, validate
from traitlets.config import LoggingConfigurable

DEFAULT_CMR_URL = "https://cmr.earthdata.nasa.gov/search/"

#: CMR providers of the Earthdata DAACs (the ``provider`` filter also takes these names).
#: The keys are the names of ``CloudscapesEarthdata.daacs`` (``DEFAULT_DAACS``): a
#: collection of a provider gets its DAAC's credentials through this table.
DEFAULT_PROVIDERS = {
    "nsidc": ["NSIDC_CPRD", "NSIDC_ECS"],
    "podaac": ["POCLOUD"],
    "lpdaac": ["LPCLOUD", "LPDAAC_ECS"],
    "gesdisc": ["GES_DISC"],
    "asf": ["ASF"],
    "ornldaac": ["ORNL_CLOUD"],
    "ghrc": ["GHRC_DAAC"],
    "obdaac": ["OB_CLOUD"],
    "laads": ["LAADS"],
    "asdc": ["LARC_CLOUD"],
}


#: Hosts of granule links that may receive the Earthdata token: the Earthdata Cloud
#: domains, ASF, and the on-premises DAAC archives that accept EDL bearer tokens (LAADS,
#: NSIDC's ECS, GES DISC's hydro1/acdisc/… hosts).
DEFAULT_TOKEN_HOSTS = (
    ".earthdata.nasa.gov",
    ".earthdatacloud.nasa.gov",
    ".asf.alaska.edu",
    "ladsweb.modaps.eosdis.nasa.gov",
    "n5eil01u.ecs.nsidc.org",
    ".gesdisc.eosdis.nasa.gov",
)

#: DAAC names the ``provider`` filter still takes for another (older settings said ``ornl``).
PROVIDER_ALIASES = {"ornl": "ornldaac"}


class CloudscapesData(LoggingConfigurable):
    """The data browser: CMR search, S3 browsing, downloads and inserted code."""

    cmr_url = Unicode(
        DEFAULT_CMR_URL,
        help="CMR search base URL (ends in /search/). UAT: https://cmr.uat.earthdata.nasa.gov/search/.",
    ).tag(config=True)

    cmr_timeout = Float(60.0, help="Timeout of one CMR request, seconds.").tag(config=True)

    cmr_retries = Int(
        3, help="How many times a CMR 429 is retried (after its Retry-After) before giving up."
    ).tag(config=True)

    cmr_max_backoff = Float(
        10.0,
        help="Longest wait before retrying a throttled CMR request, seconds; a longer "
        "Retry-After is passed on to the user instead of waited for.",
    ).tag(config=True)

    default_page_size = Int(50, help="CMR page size when the browser does not ask for one.").tag(
        config=True
    )

    providers = Dict(
        help="DAAC name -> its CMR provider ids, for the DAAC filter and for matching a "
        "collection to the Earthdata DAAC whose credentials read its buckets."
    ).tag(config=True)

    @default("providers")
    def _default_providers(self) -> dict[str, list[str]]:
        return {name: list(ids) for name, ids in DEFAULT_PROVIDERS.items()}

    public_buckets = List(
        Dict(),
        default_value=[],
        help="Public buckets read without credentials (unsigned), as "
        '[{"bucket": "noaa-goes18", "label": "NOAA GOES-18", "prefix": "", '
        '"region": "us-east-1"}].',
    ).tag(config=True)

    scratch_bucket = Unicode(
        help="The user's scratch bucket as s3://bucket/prefix (purged after 7 days on "
        "2i2c hubs). Default: $SCRATCH_BUCKET."
    ).tag(config=True)

    @default("scratch_bucket")
    def _default_scratch(self) -> str:
        return os.environ.get("SCRATCH_BUCKET", "")

    persistent_bucket = Unicode(
        help="The user's persistent bucket as s3://bucket/prefix. Default: $PERSISTENT_BUCKET."
    ).tag(config=True)

    @default("persistent_bucket")
    def _default_persistent(self) -> str:
        return os.environ.get("PERSISTENT_BUCKET", "")

    default_chain = Bool(
        True,
        help="Offer a source that uses the default AWS credential chain (environment, "
        "~/.aws, instance role) for any bucket the user names.",
    ).tag(config=True)

    s3_endpoint_url = Unicode(
        "",
        help="S3-compatible endpoint for every source (empty: AWS). The Earthdata feature's "
        "own s3_endpoint_url is used for NASA buckets when this is empty.",
    ).tag(config=True)

    s3_region = Unicode("us-west-2", help="Region of the S3 client.").tag(config=True)

    s3_timeout = Float(30.0, help="Connect and read timeout of S3 calls, seconds.").tag(config=True)

    download_dir = Unicode(
        "downloads", help="Default download folder, relative to the Jupyter server's root."
    ).tag(config=True)

    @validate("download_dir")
    def _relative(self, proposal: dict) -> str:
        value = proposal["value"]
        if os.path.isabs(value) or ".." in value.replace("\\", "/").split("/"):
            raise ValueError("download_dir must be relative to the server root, without '..'")
        return value

    free_space_margin = Int(
        256 * 1024 * 1024,
        help="Bytes that must stay free on the disk after a download.",
    ).tag(config=True)

    download_chunk = Int(1024 * 1024, help="Bytes per read while downloading.").tag(config=True)

    token_hosts = List(
        Unicode(),
        default_value=list(DEFAULT_TOKEN_HOSTS),
        help="Hosts (a name, or a domain with every host below it) of granule HTTPS links "
        "that receive the user's Earthdata token, https on the default port only (besides "
        "the hosts of the Earthdata DAAC table). Never sent on redirects to other hosts. "
        "The default adds the on-premises DAAC hosts that take EDL bearer tokens.",
    ).tag(config=True)

    token_origins = List(
        Unicode(),
        default_value=[],
        help="Exact origins (scheme://host[:port]) of granule links that receive the user's "
        "Earthdata token, for data hosts outside `token_hosts` (for example a local "
        "stand-in or an on-premises mirror).",
    ).tag(config=True)

    code_templates = Dict(
        default_value={},
        help="Replace inserted-code templates by name: granules_earthaccess, granules_s3, "
        "granules_https, objects_earthdata, objects_unsigned, objects_default. Templates are "
        "Python string.Template text; see docs/admin.md for the variables.",
    ).tag(config=True)

    granule_code = Unicode(
        "earthaccess",
        help="How inserted code opens granules: 'earthaccess' (search + open) or 'direct' "
        "(s3fs with the earthdata-<daac> AWS profile in region, fsspec HTTPS with the "
        "netrc token out of region; works with any CMR, including stand-ins).",
    ).tag(config=True)

    @validate("granule_code")
    def _granule_code(self, proposal: dict) -> str:
        if proposal["value"] not in ("earthaccess", "direct"):
            raise ValueError("granule_code must be 'earthaccess' or 'direct'")
        return proposal["value"]
