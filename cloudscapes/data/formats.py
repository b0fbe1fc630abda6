"""What the files of a selection are: data formats to open, and files to leave out.

Real granules carry several "GET DATA" files: a TELLUS granule a ``.nc``, a ``.tif`` and a
``.txt``; a Daymet granule a ``.nc`` and its ``.nc.sha256``. Inserted code opens each data
format with its own opener and says what it left out (checksums, browse images,
metadata sidecars). A file is classified by its name (the last extension decides, so
``x.nc.sha256`` is a checksum), then by the MimeType CMR gave its link.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit


@dataclass(frozen=True)
class Format:
    id: str
    label: str
    extensions: tuple[str, ...]
    media_types: tuple[str, ...] = ()


#: Data formats in the order the code opens them.
FORMATS: tuple[Format, ...] = (
    Format(
        "netcdf",
        "NetCDF / HDF5",
        (".nc", ".nc4", ".h5", ".hdf5", ".he5", ".cdf", ".netcdf"),
        (
            "application/x-netcdf",
            "application/netcdf",
            "application/x-netcdf4",
            "application/x-hdf5",
        ),
    ),
    Format(
        "hdf4",
        "HDF4 / HDF-EOS2",
        (".hdf", ".hdf4", ".he4"),
        ("application/x-hdf", "application/x-hdf4", "application/x-hdfeos"),
    ),
    Format("geotiff", "GeoTIFF", (".tif", ".tiff", ".cog"), ("image/tiff", "image/geotiff")),
    Format("zarr", "Zarr", (".zarr",), ("application/zarr", "application/vnd+zarr")),
    Format("csv", "CSV", (".csv",), ("text/csv",)),
    Format("text", "Text", (".txt", ".asc", ".md"), ("text/plain", "text/markdown")),
    Format("other", "Other files", ()),
)
FORMAT_IDS = tuple(f.id for f in FORMATS)
_BY_ID = {f.id: f for f in FORMATS}

#: Files that are not data, by role: (extensions, media types, the reason code says).
LEFT_OUT_ROLES: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("checksum", (".md5", ".sha1", ".sha256", ".sha512", ".cksum"), ()),
    ("browse image", (".png", ".jpg", ".jpeg", ".gif"), ("image/png", "image/jpeg", "image/gif")),
    (
        "metadata",
        (".xml", ".met", ".dmrpp", ".json", ".html", ".htm", ".kml"),
        (
            "application/xml",
            "text/xml",
            "application/json",
            "text/html",
            "application/vnd.google-earth.kml+xml",
        ),
    ),
)
#: The reason of a data file whose format the request did not choose.
NOT_CHOSEN = "format not chosen"


def label(format_id: str) -> str:
    return _BY_ID[format_id].label


def file_name(url: str, default: str | None = None) -> str:
    """The last path segment of ``url`` (an S3 key's too), URL-decoded; ``x.zarr/`` keeps
    its store's name. Without a segment: ``default``, else ``url`` itself."""
    path = urlsplit(url).path if "://" in url else url
    return unquote(path.rstrip("/").rsplit("/", 1)[-1]) or (url if default is None else default)


def _extension(name: str) -> str:
    return posixpath.splitext(name.lower().rstrip("/"))[1]


def classify(name: str, media_type: str | None = None) -> tuple[str | None, str | None]:
    """``(format id, None)`` for a data file, ``(None, reason)`` for one left out."""
    ext = _extension(name)
    mime = (media_type or "").split(";")[0].strip().lower()
    for reason, extensions, _ in LEFT_OUT_ROLES:
        if ext in extensions:
            return None, reason
    for fmt in FORMATS:
        if ext in fmt.extensions:
            return fmt.id, None
    # an extension this module does not know: the link's MimeType decides
    for reason, _, media_types in LEFT_OUT_ROLES:
        if mime in media_types:
            return None, reason
    for fmt in FORMATS:
        if mime in fmt.media_types:
            return fmt.id, None
    return "other", None


@dataclass(frozen=True)
class File:
    url: str
    name: str
    format: str | None
    reason: str | None = None


@dataclass
class Selection:
    """The files of a selection, grouped: data files by format (in :data:`FORMATS`
    order), and the files left out with their reason."""

    groups: dict[str, list[File]] = field(default_factory=dict)
    skipped: list[File] = field(default_factory=list)
    chosen: list[str] = field(default_factory=list)

    def choose(self, wanted: list[str] | None) -> list[str]:
        """Choose the formats to open (default: all); unknown ids raise ``ValueError``."""
        if wanted is None:
            self.chosen = list(self.groups)
            return self.chosen
        unknown = [w for w in dict.fromkeys(wanted) if w not in self.groups]
        if unknown:
            raise ValueError(", ".join(unknown))
        self.chosen = [f for f in self.groups if f in wanted]
        return self.chosen

    @property
    def opened(self) -> list[tuple[str, list[File]]]:
        return [(f, self.groups[f]) for f in self.chosen]

    def formats_model(self) -> list[dict[str, object]]:
        return [
            {"id": f, "label": label(f), "files": len(files), "opened": f in self.chosen}
            for f, files in self.groups.items()
        ]

    @property
    def left_out(self) -> list[File]:
        not_chosen = [
            File(x.url, x.name, x.format, NOT_CHOSEN)
            for f, files in self.groups.items()
            if f not in self.chosen
            for x in files
        ]
        return self.skipped + not_chosen

    def left_out_model(self) -> list[dict[str, str]]:
        return [{"name": x.name, "reason": x.reason or ""} for x in self.left_out]

    def left_out_lines(self, shown: int = 3) -> list[str]:
        """Comment lines saying what the code leaves out, by reason."""
        by_reason: dict[str, list[str]] = {}
        for x in self.left_out:
            by_reason.setdefault(x.reason or "", []).append(x.name)
        lines = []
        for reason, names in by_reason.items():
            more = f" and {len(names) - shown} more" if len(names) > shown else ""
            plural = "s" if len(names) != 1 else ""
            lines.append(
                f"Left out {len(names)} file{plural} ({reason}): {', '.join(names[:shown])}{more}"
            )
        return lines


def select(links: Iterable[tuple[str, str | None]], picked: bool = False) -> Selection:
    """Group ``(url, media type)`` pairs; a URL seen twice counts once. ``picked``: the
    user chose each file (S3 objects): when none of them is data, the checksum, image or
    metadata files they picked are opened as "other" (their first bytes), not refused."""
    grouped: dict[str, list[File]] = {}
    selection = Selection()
    seen: set[str] = set()
    for url, media_type in links:
        if url in seen:
            continue
        seen.add(url)
        name = file_name(url)
        fmt, reason = classify(name, media_type)
        if fmt is None:
            selection.skipped.append(File(url, name, None, reason))
        else:
            grouped.setdefault(fmt, []).append(File(url, name, fmt))
    if picked and not grouped and selection.skipped:
        grouped["other"] = [File(x.url, x.name, "other") for x in selection.skipped]
        selection.skipped = []
    selection.groups = {f: grouped[f] for f in FORMAT_IDS if f in grouped}
    selection.choose(None)
    return selection
