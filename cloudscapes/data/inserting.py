"""The code the data browser inserts, as the ``Code`` answer: which files of a selection
(grouped by format, :mod:`.formats`), read how (S3 through the ``earthdata-<daac>``
profile, HTTPS with the token read at run time, or earthaccess), and which template
(:mod:`.code`) writes it."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from ..contract import printable
from ..handlers import CloudscapesError, bad_request
from . import code as codegen
from .formats import File, Selection, file_name, select
from .s3 import check_bucket, check_key

if TYPE_CHECKING:
    from ..earthdata.service import EarthdataService
    from .config import CloudscapesData
    from .s3 import S3Sources
    from .service import DataService


class InsertedCode:
    """``POST data/code`` for :class:`~.service.DataService`."""

    def __init__(self, service: DataService) -> None:
        self.service = service

    @property
    def config(self) -> CloudscapesData:
        return self.service.config

    @property
    def earthdata(self) -> EarthdataService | None:
        return self.service.earthdata

    @property
    def s3(self) -> S3Sources:
        return self.service.s3

    def _collection_daac(self, collection: dict[str, Any]) -> str:
        """The DAAC of granule code in S3: the collection's own endpoint's (registered,
        so the kernels' credential_process knows it), else its provider's."""
        endpoint = collection.get("s3_credentials_endpoint")
        daac = None
        if self.earthdata is not None and endpoint:
            daac = self.earthdata.register_endpoint(endpoint)
        elif not endpoint:
            daac = self.service.provider_daac(collection["provider"])
        if daac is None:
            raise bad_request(
                f"No Earthdata DAAC is configured for {collection['provider']}.",
                "Use HTTPS access, or ask the admin to add the DAAC "
                "(c.CloudscapesEarthdata.daacs, c.CloudscapesData.providers).",
            )
        return daac

    async def _access(self, requested: str) -> str:
        if requested in ("s3", "https"):
            return requested
        if self.earthdata is None:
            return "https"
        region = await self.earthdata.region()
        return "s3" if region["in_region"] else "https"

    async def code(self, body: dict[str, Any]) -> dict[str, Any]:
        """``body`` is a ``CodeRequest`` (schema/data.yaml); the schema cannot say that
        exactly one of its lists is sent."""
        granules = body.get("granules")
        if (granules is None) == ("objects" not in body):
            raise bad_request(
                "Send either 'granules' or 'objects'.",
                'For example {"granules": ["G123-PROVIDER"]}.',
            )
        formats = body.get("formats")
        if granules is not None:
            return await self._granule_code(
                list(dict.fromkeys(granules)), body.get("access", "auto"), formats
            )
        return await self._object_code(body["objects"], formats)

    def _select(
        self,
        links: list[tuple[str, str | None]],
        formats: list[str] | None,
        picked: bool = False,
    ) -> Selection:
        """The selection's files grouped by format, ``formats`` chosen (default all);
        ``picked``: files the user chose one by one (objects), none left out."""
        selection = select(links, picked)
        if not selection.groups:
            reasons = sorted({x.reason or "" for x in selection.skipped})
            raise bad_request(
                "None of the selected files is data: "
                + (", ".join(reasons) or "there are no files")
                + ".",
                "Select granules or objects that hold data files.",
                code="no_data_files",
            )
        try:
            selection.choose(formats)
        except ValueError as err:
            raise bad_request(
                f"Unknown format(s) {printable(str(err))}: this selection has "
                + ", ".join(selection.groups)
                + ".",
                "Send format ids from the 'formats' of the code answer.",
                code="unknown_format",
            ) from None
        return selection

    async def _granule_code(
        self, ids: list[str], requested: str, formats: list[str] | None = None
    ) -> dict[str, Any]:
        granules = await self.service.granules(ids)
        collections = {g["collection_concept_id"] for g in granules}
        if len(collections) != 1:
            raise bad_request(
                "The granules belong to different collections.",
                "Insert code for one collection at a time.",
            )
        collection = await self.service.collection(collections.pop())
        access = await self._access(requested)
        return await self.granule_code(granules, collection, access, formats)

    async def granule_code(
        self,
        granules: list[dict[str, Any]],
        collection: dict[str, Any],
        access: str,
        formats: list[str] | None = None,
    ) -> dict[str, Any]:
        """The ``Code`` answer for granule models of one collection model, read through
        ``access`` (``s3`` or ``https``)."""
        ids = [g["concept_id"] for g in granules]
        span = sorted(t for g in granules for t in (g["time_start"], g["time_end"]) if t)
        lines = [
            f"{collection['short_name']} v{collection['version']} ({collection['concept_id']}, "
            f"{collection['provider']}): {collection['title']}",
            f"{len(granules)} granule{'s' if len(granules) != 1 else ''}"
            + (f", {span[0][:10]} to {span[-1][:10]}" if span else ""),
        ]
        values: dict[str, Any] = {"granule_ids": codegen.literal_list(ids)}
        if self.config.granule_code == "earthaccess":
            name = "granules_earthaccess"
            # earthaccess reads the S3 links in region and the HTTPS ones out of it
            use_s3 = access == "s3"
            links = [
                (u, _media_type(g, u)) for g in granules for u in _earthaccess_links(g, use_s3)
            ]
            selection = self._select(links, formats)
            values["access_comment"] = (
                "S3 in us-west-2 (this hub is in the archive's region)"
                if use_s3
                else "HTTPS (out of region, S3 links would be refused)"
            )
            store_fs = (
                "earthaccess.get_s3fs_session(results=results)"
                if use_s3
                else "earthaccess.get_fsspec_https_session()"
            )
            values["opener"] = codegen.opener(selection.opened, store_fs=store_fs, pick=True)
        elif access == "s3":
            name = "granules_s3"
            links = [(u, _media_type(g, u)) for g in granules for u in g["s3_urls"]]
            if not links:
                raise bad_request("These granules have no S3 links.", "Use HTTPS access.")
            selection = self._select(links, formats)
            daac = self._collection_daac(collection)
            values.update(await self._profile_values(daac))
            values["opener"] = codegen.opener(selection.opened)
            lines.append("Read through S3 in us-west-2 (this hub is in the archive's region).")
        else:
            name = "granules_https"
            links = [(u, _media_type(g, u)) for g in granules for u in g["https_urls"]]
            # the code sends the token with every request: only to hosts allowed to get it
            allowed = [(u, m) for u, m in links if self.service.token_allowed(u)]
            if not allowed:
                raise bad_request(
                    "These granules have no HTTPS links on hosts that may receive your "
                    "Earthdata token.",
                    "Hub admins allow data hosts with c.CloudscapesData.token_hosts "
                    "(or c.CloudscapesData.token_origins).",
                )
            refused = [
                File(u, file_name(u), None, "host may not receive your token")
                for u, _media in links
                if not self.service.token_allowed(u)
            ]
            selection = self._select(allowed, formats)
            selection.skipped += refused
            self._require_remembered()
            state = self.earthdata.state_path if self.earthdata is not None else None
            values.update(state_path=repr(str(state)) if state else "")
            values["opener"] = codegen.opener(selection.opened)
            lines.append("Read over HTTPS with your Earthdata token (this hub is out of region).")
        return self._answer(name, access, selection, lines, values)

    def _answer(
        self,
        name: str,
        access: str,
        selection: Selection,
        lines: list[str],
        values: dict[str, Any],
    ) -> dict[str, Any]:
        opened = selection.opened
        values["urls"] = codegen.literal_list(codegen.file_urls(opened))
        values["names"] = codegen.literal_list(
            [f.name for fmt, files in opened if fmt != "zarr" for f in files]
        )
        values.setdefault("opener", codegen.opener(opened))
        values["header"] = codegen.header(lines + selection.left_out_lines())
        text = codegen.render(name, self.config.code_templates, values)
        return {
            "code": text,
            "access": access,
            "template": name,
            "formats": selection.formats_model(),
            "left_out": selection.left_out_model(),
        }

    def _require_remembered(self) -> None:
        """Code that reads NASA data in a kernel needs the remembered session (its token
        is read from the state file by the credential process or ``current_token``)."""
        if self.earthdata is None:
            return
        session = self.earthdata.session
        if session is None:
            raise CloudscapesError(
                409,
                "earthdata_not_signed_in",
                "Code that reads NASA data needs an Earthdata session.",
                "Sign in from the Earthdata panel first.",
            )
        if not session.remember:
            raise CloudscapesError(
                409,
                "earthdata_not_remembered",
                "Code that reads NASA data needs your Earthdata sign-in remembered.",
                "Sign in again with 'Remember me on this server', then insert the code.",
            )

    async def _profile_values(self, daac: str) -> dict[str, Any]:
        """The AWS profile that serves ``daac``'s keys, written now (the
        credential_process needs the remembered token)."""
        profile = f"earthdata-{daac}"
        self._require_remembered()
        if self.earthdata is not None:
            loop = asyncio.get_running_loop()  # an fsync'd file write: off the event loop
            await loop.run_in_executor(None, self.earthdata.write_profiles, [daac])
        endpoint = self.config.s3_endpoint_url or (
            self.earthdata.config.s3_endpoint_url if self.earthdata is not None else ""
        )
        return {
            "profile": profile,
            "profile_literal": repr(profile),
            "daac_upper": daac.upper(),
            "client_kwargs": codegen.client_kwargs(endpoint),
        }

    async def _object_code(
        self, objects: list[dict[str, Any]], formats: list[str] | None = None
    ) -> dict[str, Any]:
        for obj in objects:
            check_key(obj["key"])
        sources = {o["source"] for o in objects}
        buckets = {o.get("bucket") for o in objects}
        if len(sources) != 1 or len(buckets) != 1:
            raise bad_request("Insert code for objects of one bucket at a time.")
        source = self.s3.source(str(sources.pop()))
        bucket = source["bucket"] or buckets.pop()
        if not bucket:
            raise bad_request("Name the bucket of the objects.", code="bucket_required")
        check_bucket(bucket)
        keys = [o["key"] for o in objects]
        urls = [f"s3://{bucket}/{k}" for k in keys]
        selection = self._select([(u, None) for u in urls], formats, picked=True)
        access = {"unsigned": "unsigned", "earthdata": "s3", "default": "default"}[source["access"]]
        prefix = _common_prefix(keys)
        lines = [
            f"s3://{bucket}/{prefix} ({source['label']}), {len(keys)} object"
            + ("s" if len(keys) != 1 else "")
        ]
        values: dict[str, Any] = {}
        endpoint = self.s3.endpoint_url(source)
        if source["access"] == "earthdata":
            name = "objects_earthdata"
            values.update(await self._profile_values(source["daac"]))
        elif source["access"] == "unsigned":
            name = "objects_unsigned"
            values["client_kwargs"] = codegen.client_kwargs(endpoint)
        else:
            name = "objects_default"
            values["client_kwargs_first"] = codegen.client_kwargs(endpoint, first=True)
        return self._answer(name, access, selection, lines, values)


def _earthaccess_links(granule: dict[str, Any], use_s3: bool) -> list[str]:
    """The links ``earthaccess.open`` reads: S3 in region, else HTTPS (else S3)."""
    if use_s3 and granule["s3_urls"]:
        return list(granule["s3_urls"])
    return list(granule["https_urls"] or granule["s3_urls"])


def _media_type(granule: dict[str, Any], url: str) -> str | None:
    """The MimeType CMR gave the data link ``url`` (the granule model's ``media_types``)."""
    value = (granule.get("media_types") or {}).get(url)
    return value if isinstance(value, str) else None


def _common_prefix(keys: list[str]) -> str:
    if len(keys) == 1:
        return keys[0]
    first, last = min(keys), max(keys)
    i = 0
    while i < min(len(first), len(last)) and first[i] == last[i]:
        i += 1
    return first[:i].rsplit("/", 1)[0] + "/" if "/" in first[:i] else ""
