"""Code the data browser inserts into notebooks.

Templates are :class:`string.Template` text, replaceable by the admin
(``c.CloudscapesData.code_templates``). Every value put into code is a Python literal
made with :func:`repr`, so no name, key or URL can break out of its string. Code never
contains a secret: NASA data is read through the ``earthdata-<daac>`` AWS profile (its
``credential_process`` fetches and refreshes DAAC keys), earthaccess's netrc login, or a
token read from the environment at run time.
"""

from __future__ import annotations

import unicodedata
from datetime import datetime, timezone
from string import Template
from typing import Any

from .formats import File, label

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

#: Variable names of each format's result when the code opens several formats
#: (one format: ``ds``, or ``df`` for tables). Text, HDF4 and other files are printed.
_NAMES = {"netcdf": "ds_netcdf", "geotiff": "da_geotiff", "zarr": "ds_zarr", "csv": "df_csv"}
_SINGLE = {"netcdf": "ds", "geotiff": "ds", "zarr": "ds", "csv": "df"}


def file_urls(groups: list[tuple[str, list[File]]]) -> list[str]:
    """The URLs the template opens as ``files``, in the order :func:`opener` reads them
    (Zarr stores are mapped, not opened as files)."""
    return [f.url for fmt, files in groups if fmt != "zarr" for f in files]


def opener(
    groups: list[tuple[str, list[File]]], *, store_fs: str = "fs", pick: bool = False
) -> str:
    """Lines that open ``files`` (file-like objects of :func:`file_urls`, in its order)
    format by format, each with its opener. ``pick``: ``files`` holds every data link
    of the granules (earthaccess.open): keep the ones of :func:`file_urls`, by name."""
    lines: list[str] = [""]
    if pick:
        names = [f.name for fmt, files in groups if fmt != "zarr" for f in files]
        lines += [
            "# earthaccess opens every data link of the granules: keep the files read here",
            f"names = {literal_list(names)}",
            'by_name = {str(f.path).rsplit("/", 1)[-1]: f for f in files}',
            "files = [by_name[name] for name in names]",
            "",
        ]
    many = len(groups) > 1
    total = sum(len(files) for fmt, files in groups if fmt != "zarr")
    start = 0
    shown: list[str] = []
    for fmt, files in groups:
        count = len(files)
        what = f"# {label(fmt)}: {count} file{'s' if count != 1 else ''}"
        if fmt == "zarr":
            name = _NAMES[fmt] if many else _SINGLE[fmt]
            urls = [f.url for f in files]
            lines.append(what.replace("file", "store"))
            if count == 1:
                lines.append(f"{name} = xr.open_zarr({store_fs}.get_mapper({urls[0]!r}))")
            else:
                lines.append(
                    f"{name} = [xr.open_zarr({store_fs}.get_mapper(url)) "
                    f"for url in {literal_list(urls)}]"
                )
            shown.append(name)
            lines.append("")
            continue
        end = start + count
        part = "files" if count == total else f"files[{start}:{end}]"
        one = f"files[{start}]"
        start = end
        lines.append(what)
        if fmt in _NAMES:
            name = _NAMES[fmt] if many else _SINGLE[fmt]
            lines += _open_lines(fmt, name, count, part, one)
            shown.append(name)
        else:
            lines += _print_lines(fmt, part)
        lines.append("")
    if shown:
        lines.append(shown[0])
    return "\n".join(lines).rstrip()


def _open_lines(fmt: str, name: str, count: int, part: str, one: str) -> list[str]:
    if fmt == "netcdf":
        if count == 1:
            return [f'{name} = xr.open_dataset({one}, engine="h5netcdf")']
        return [
            f"{name} = xr.open_mfdataset(",
            f'    {part}, engine="h5netcdf", combine="nested", concat_dim="time"',
            ")",
        ]
    if fmt == "geotiff":
        lines = ["import rioxarray  # noqa: F401  (registers the .rio accessor)"]
        if count == 1:
            return [*lines, f"{name} = rioxarray.open_rasterio({one})"]
        # tiles need not share a grid: one DataArray per file
        return [*lines, f"{name} = [rioxarray.open_rasterio(f) for f in {part}]"]
    # csv
    lines = ["import pandas as pd"]
    if count == 1:
        return [*lines, f"{name} = pd.read_csv({one})"]
    return [*lines, f"{name} = pd.concat([pd.read_csv(f) for f in {part}], ignore_index=True)"]


def _print_lines(fmt: str, part: str) -> list[str]:
    if fmt == "text":
        return [
            f"for f in {part}:",
            '    print(f"--- {f.path}")',
            '    print(f.read(20_000).decode("utf-8", errors="replace"))',
        ]
    if fmt == "hdf4":
        lines = [
            "# h5netcdf (HDF5) cannot read HDF4. Download the files and open them with pyhdf",
            "# (from pyhdf.SD import SD), or xr.open_dataset(path, engine='netcdf4') where",
            "# netCDF4 was built with HDF4. Their first bytes, to check what they are:",
        ]
    else:
        lines = ["# Not a format xarray opens directly: look at the first bytes of each file"]
    return [*lines, f"for f in {part}:", "    print(f.path, f.size, f.read(200))"]


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
