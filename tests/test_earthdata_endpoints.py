"""Which DAAC's keys read a collection's buckets: the provider table matches the DAAC
table, and collections' own credentials endpoints get names of their own
(cloudscapes/earthdata/endpoints.py). Through the routes: tests/test_data_code.py."""

from __future__ import annotations

import pytest

from cloudscapes.data.config import DEFAULT_PROVIDERS, CloudscapesData
from cloudscapes.earthdata.config import DEFAULT_DAACS
from cloudscapes.earthdata.endpoints import daac_name, unique_name


def test_every_default_provider_names_a_default_daac():
    """ORNL's lookup was dead: the provider table said ``ornl``, the DAAC table ``ornldaac``."""
    assert set(DEFAULT_PROVIDERS) == set(DEFAULT_DAACS)
    assert DEFAULT_PROVIDERS["ornldaac"] == ["ORNL_CLOUD"]
    assert CloudscapesData().providers == {k: list(v) for k, v in DEFAULT_PROVIDERS.items()}


@pytest.mark.parametrize(
    "endpoint, name",
    [
        ("https://archive.swot.podaac.earthdata.nasa.gov/s3credentials", "swot-podaac"),
        ("https://data.ornldaac.earthdata.nasa.gov/s3credentials", "ornldaac"),
        ("https://data.nsidc.earthdatacloud.nasa.gov/s3credentials", "nsidc"),
        ("https://sentinel1.asf.alaska.edu/s3credentials", "sentinel1"),
        ("http://127.0.0.1:8123/swot/s3credentials", "swot"),
        ("http://localhost:8123/swot/s3credentials", "swot"),
        ("https://creds.example.org/s3credentials", "creds-example"),
    ],
)
def test_own_endpoints_are_named_from_their_host_or_path(endpoint, name):
    assert daac_name(endpoint, [".earthdata.nasa.gov", ".asf.alaska.edu"]) == name


def test_a_name_taken_by_another_endpoint_gets_a_short_hash():
    mine = "https://archive.swot.podaac.earthdata.nasa.gov/s3credentials"
    assert unique_name("swot-podaac", mine, {"swot-podaac": mine + "/"}) == "swot-podaac"
    other = unique_name("swot-podaac", mine, {"swot-podaac": "https://x.earthdata.nasa.gov/s"})
    assert other.startswith("swot-podaac-") and len(other) == len("swot-podaac-") + 6
    assert daac_name("http://127.0.0.1:1/s3credentials", []).startswith("daac-")
