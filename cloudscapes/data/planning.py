"""Planning a download: every check ``POST /cloudscapes/data/downloads`` makes before its 202.

The request, the paths, whether the files exist, free space and the Earthdata sign-in
are checked before a job starts; a failed check answers 4xx and nothing is written
(the target folder is created only once every check passed). The result is a
:class:`Plan` that ``cloudscapes.data.downloads`` then fetches.
"""

from __future__ import annotations

import asyncio
import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..handlers import CloudscapesError, bad_request
from ..paths import existing_parent
from .files import directory_path, human, make_directory, name_from_key, name_from_url
from .s3 import check_key


@dataclass
class Item:
    """One file to download."""

    name: str
    target: Path
    size: int | None
    url: str | None = None
    key: str | None = None


@dataclass
class Plan:
    title: str
    directory: Path
    items: list[Item]
    overwrite: bool
    token: str | None = field(default=None, repr=False)
    s3: Any = field(default=None, repr=False)  # an S3Target

    @property
    def total(self) -> int | None:
        sizes = [i.size for i in self.items]
        return None if any(s is None for s in sizes) else sum(s for s in sizes if s)


class DownloadPlanner:
    """The planning half of :class:`~cloudscapes.data.downloads.Downloads`, which
    subclasses it and provides the state below and the HTTPS ``HEAD`` of a link."""

    service: Any
    config: Any
    _pool: ThreadPoolExecutor
    _reserved: int

    def relative(self, path: Path) -> str:
        return Path(os.path.relpath(path, os.path.realpath(self.service.root_dir))).as_posix()

    def folder_label(self, directory: Path) -> str:
        relative = self.relative(directory)
        return "your Jupyter root folder" if relative == "." else relative

    async def plan(self, body: dict[str, Any]) -> Plan:
        """``body`` is a ``DownloadRequest`` (schema/data.yaml); the schema cannot say
        that exactly one of a granule and an object is sent."""
        if ("granule" in body) == ("object" in body):
            raise bad_request(
                "Send either a granule or an object to download.",
                'For example {"granule": "G1234-NSIDC_CPRD"} or '
                '{"object": {"source": "default", "bucket": "b", "key": "k.nc"}}.',
            )
        overwrite = body.get("overwrite", False)
        directory_text = body.get("directory", self.config.download_dir)
        # validate the request itself before any network call
        if "object" in body:
            ref = body["object"]
            source, bucket, key = ref["source"], ref.get("bucket") or None, check_key(ref["key"])
            name = name_from_key(key)
        else:
            granule_id = body["granule"]
            if not granule_id.strip():
                raise bad_request("'granule' must be a granule concept id.")
        loop = asyncio.get_running_loop()
        root = self.service.root_dir
        directory = await loop.run_in_executor(self._pool, directory_path, root, directory_text)
        if "object" in body:
            target = await self.service.s3_target(source, bucket)
            size = await self._head_object(target, key)
            plan = Plan(
                title=f"Download {name}",
                directory=directory,
                items=[Item(name, directory / name, size, key=key)],
                overwrite=overwrite,
                s3=target,
            )
        else:
            plan = await self._granule_plan(granule_id.strip(), directory, overwrite)
        await loop.run_in_executor(self._pool, self._check_targets, plan)
        await self._check_space(plan)
        plan.directory = await loop.run_in_executor(
            self._pool, make_directory, root, directory, directory_text
        )
        for item in plan.items:
            item.target = plan.directory / item.name
        return plan

    async def _head_object(self, target: Any, key: str) -> int:
        loop = asyncio.get_running_loop()
        try:
            answer = await loop.run_in_executor(
                self._pool, lambda: target.client.head_object(Bucket=target.bucket, Key=key)
            )
        except Exception as exc:
            raise self.service.s3_error(exc) from None
        return int(answer.get("ContentLength") or 0)

    async def _granule_plan(self, concept_id: str, directory: Path, overwrite: bool) -> Plan:
        granule = await self.service.granule(concept_id)
        urls = list(dict.fromkeys(granule.get("https_urls") or []))
        if not urls:
            raise CloudscapesError(
                404,
                "no_https_links",
                f"The granule {granule.get('title') or concept_id} has no HTTPS download links.",
                "Open it from S3 with Insert code instead.",
            )
        token = self.service.earthdata_token()
        if token is None and any(self.service.token_allowed(u) for u in urls):
            raise CloudscapesError(
                409,
                "earthdata_not_signed_in",
                "Downloading this granule needs your Earthdata login.",
                "Sign in in the Earthdata panel, then download again.",
            )
        sizes = {f.get("name"): f.get("size_bytes") for f in granule.get("files") or []}
        items: list[Item] = []
        for url in urls:
            name = name_from_url(url)
            if any(i.name == name for i in items):
                raise bad_request(
                    f"Two links of this granule are named {name!r}.",
                    "Download them with code instead (Insert code).",
                    code="invalid_file_name",
                )
            size = sizes.get(name)
            if size is None and len(urls) == 1:
                size = granule.get("size_bytes")
            items.append(
                Item(name, directory / name, int(size) if size is not None else None, url=url)
            )
        for item in items:
            if item.size is None:
                item.size = await self._head_size(item.url or "", token)
        title = granule.get("title") or concept_id
        return Plan(
            title=f"Download {items[0].name if len(items) == 1 else title}",
            directory=directory,
            items=items,
            overwrite=overwrite,
            token=token,
        )

    def _check_targets(self, plan: Plan) -> None:
        for item in plan.items:
            if os.path.isdir(item.target) and not os.path.islink(item.target):
                raise CloudscapesError(
                    409,
                    "file_exists",
                    f"{self.relative(item.target)} is a folder.",
                    "Pick another download folder.",
                )
            if os.path.lexists(item.target) and not plan.overwrite:
                raise CloudscapesError(
                    409,
                    "file_exists",
                    f"{self.relative(item.target)} already exists.",
                    "Download again with 'Replace existing files' (overwrite), or pick "
                    "another folder.",
                )

    async def _check_space(self, plan: Plan) -> None:
        needed = sum(i.size or 0 for i in plan.items)
        loop = asyncio.get_running_loop()
        where = await loop.run_in_executor(self._pool, existing_parent, plan.directory)
        free = (await loop.run_in_executor(self._pool, shutil.disk_usage, where)).free
        free = max(0, free - self._reserved)
        if needed + self.config.free_space_margin > free:
            raise self._space_error(plan.directory, needed, free)

    def _space_error(self, directory: Path, needed: int, free: int) -> CloudscapesError:
        margin = self.config.free_space_margin
        return CloudscapesError(
            409,
            "insufficient_space",
            f"Not enough free space in {self.folder_label(directory)}: the download needs "
            f"{human(needed)} and {human(margin)} must stay free, but only {human(free)} "
            "is free.",
            "Delete files you no longer need, pick a folder on a larger disk, or open the "
            "data in place with Insert code instead of downloading it.",
        )

    async def _head_size(self, url: str, token: str | None) -> int | None:
        """Content-Length of ``url`` from a HEAD, or None when not told (in
        :class:`~cloudscapes.data.downloads.Downloads`, with its redirect rules)."""
        raise NotImplementedError
