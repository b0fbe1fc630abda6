"""Code the data browser inserts into notebooks.

Templates are :class:`string.Template` text, replaceable by the admin
(``c.CloudscapesData.code_templates``). Every value put into code is a Python literal
made with :func:`repr`, so no name, key or URL can break out of its string. Code never
contains a secret: NASA data is read through the ``earthdata-<daac>`` AWS profile (its
``credential_process`` fetches and refreshes DAAC keys), earthaccess's netrc login, or a
token read from the environment at run time.
"""

from __future__ import annotations

import posixpath
import unicodedata
from datetime import datetime, timezone
from string import Template
from typing import Any

#: NASA buckets through the credential_process profile (granules in region, and objects)
_EARTHDATA_PROFILE = """$header
import s3fs
import xarray as xr

# Temporary $daac_upper keys from the "$profile" AWS profile (refreshed automatically)
fs = s3fs.S3FileSystem(profile=$profile_literal$client_kwargs)
urls = $urls
files = [fs.open(url) for url in urls]
$opener
"""

#: Variables every template gets: header (comment lines), urls (a list literal) and
#: opener (the lines that open ``files`` into ``ds``), plus the ones documented per template.
TEMPLATES: dict[str, str] = {
    # earthaccess, in region or out: earthaccess.open picks S3 or HTTPS itself.
    "granules_earthaccess": """$header
import earthaccess
import xarray as xr

# EARTHDATA_TOKEN / _USERNAME+_PASSWORD, then ~/.netrc (the Earthdata panel's
# "Remember me" writes it), then a prompt
earthaccess.login()
results = earthaccess.search_data(concept_id=$granule_ids)
files = earthaccess.open(results)  # $access_comment
$opener
""",
    # direct S3 with the credential_process profile (no earthaccess, any CMR)
    "granules_s3": _EARTHDATA_PROFILE,
    # direct HTTPS with the Earthdata token, read at run time from Cloudscapes' state
    "granules_https": """$header
import fsspec
import xarray as xr
from cloudscapes.earthdata.state import current_token

fs = fsspec.filesystem(
    "https", client_kwargs={"headers": {"Authorization": f"Bearer {current_token($state_path)}"}}
)
urls = $urls
files = [fs.open(url) for url in urls]
$opener
""",
    "objects_earthdata": _EARTHDATA_PROFILE,
    "objects_unsigned": """$header
import s3fs
import xarray as xr

fs = s3fs.S3FileSystem(anon=True$client_kwargs)  # a public bucket: no credentials
urls = $urls
files = [fs.open(url) for url in urls]
$opener
""",
    "objects_default": """$header
import s3fs
import xarray as xr

fs = s3fs.S3FileSystem($client_kwargs_first)  # this server's AWS credentials
urls = $urls
files = [fs.open(url) for url in urls]
$opener
""",
}

_NETCDF = (".nc", ".nc4", ".h5", ".hdf5", ".he5", ".cdf", ".netcdf")
_TIFF = (".tif", ".tiff", ".cog")
_TABLE = (".csv", ".txt", ".parquet")


def opener(names: list[str]) -> str:
    """Lines that open ``files`` (file-like objects, in the order of ``names``) as ``ds``."""
    exts = {posixpath.splitext(n.lower())[1] for n in names}
    if exts and exts <= set(_NETCDF):
        if len(names) == 1:
            return 'ds = xr.open_dataset(files[0], engine="h5netcdf")\nds'
        return (
            'datasets = [xr.open_dataset(f, engine="h5netcdf") for f in files]\n'
            'ds = xr.concat(datasets, dim="time")\nds'
        )
    if exts and exts <= set(_TIFF):
        lines = ["import rioxarray  # noqa: F401  (registers the .rio accessor)", ""]
        if len(names) == 1:
            lines.append("ds = rioxarray.open_rasterio(files[0])")
        else:
            lines.append("ds = [rioxarray.open_rasterio(f) for f in files]")
        return "\n".join([*lines, "ds"])
    if exts and exts <= {".csv"}:
        lines = ["import pandas as pd", ""]
        if len(names) == 1:
            return "\n".join([*lines, "df = pd.read_csv(files[0])", "df"])
        return "\n".join([*lines, "df = pd.concat([pd.read_csv(f) for f in files])", "df"])
    return "\n".join(
        [
            "# Not a format xarray opens directly: look at the first bytes of each file",
            "for f in files:",
            "    print(f.path, f.size, f.read(200))",
        ]
    )


def comment_text(text: str) -> str:
    """``text`` on one comment line: line breaks and other control characters (from S3
    keys or CMR titles) become spaces, so nothing can end the comment and run as code."""
    cleaned = "".join(" " if unicodedata.category(c)[0] in "CZ" else c for c in text)
    return " ".join(cleaned.split())


def header(lines: list[str]) -> str:
    today = datetime.now(timezone.utc).strftime("%Y-%m-%d")
    out = [f"# From the Cloudscapes data browser, {today}:"]
    out += [f"#   {comment_text(line)}" for line in lines]
    return "\n".join(out)


def literal_list(items: list[str]) -> str:
    """A Python list literal of ``items``, one per line when there are several."""
    if len(items) <= 1:
        return repr(items)
    return "[\n" + "".join(f"    {item!r},\n" for item in items) + "]"


def client_kwargs(endpoint_url: str | None, first: bool = False) -> str:
    if not endpoint_url:
        return ""
    text = f"client_kwargs={{'endpoint_url': {endpoint_url!r}}}"
    return text if first else ", " + text


def render(name: str, overrides: dict[str, str], values: dict[str, Any]) -> str:
    text = overrides.get(name) or TEMPLATES[name]
    return Template(text).safe_substitute(values).rstrip() + "\n"
