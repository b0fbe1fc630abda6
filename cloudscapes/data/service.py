"""The data browser's service: CMR search, S3 sources, code and downloads.

NASA metadata comes from CMR (:mod:`.cmr`), buckets through :mod:`.s3`; the Earthdata
feature supplies the user's token (CMR, HTTPS downloads) and DAAC keys (NASA buckets).
"""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ..contract import printable
from ..handlers import CloudscapesError, bad_request, https_on_domains, parse_time, split_url
from ..paths import server_root
from .cmr import MAX_PAGE_SIZE, CmrClient, collection_model, granule_model, inclination_of
from .config import PROVIDER_ALIASES, CloudscapesData
from .footprints import orbit_only
from .s3 import S3Sources, S3Target, check_key

if TYPE_CHECKING:
    from ..app import CloudscapesApp
    from ..earthdata.service import EarthdataService

SORT_KEYS = {
    "collections": {
        "short_name",
        "entry_title",
        "provider",
        "start_date",
        "end_date",
        "revision_date",
        "score",
        "usage_score",
        "create-data-date",
    },
    "granules": {
        "start_date",
        "end_date",
        "producer_granule_id",
        "readable_granule_name",
        "granule_ur",
        "revision_date",
        "create_date",
        "cloud_cover",
    },
}
_CONCEPT = re.compile(r"[CG][0-9]{1,20}-[A-Z0-9_]{1,40}")


def _time(value: str, name: str) -> str:
    text = value.strip()
    try:
        if len(text) == 10:
            date.fromisoformat(text)
            return text + ("T00:00:00Z" if name == "temporal_start" else "T23:59:59Z")
        parse_time(text)
        return text
    except ValueError:
        raise bad_request(
            f"{name} '{printable(value)}' is not an ISO 8601 date or time.",
            "Use 2024-09-01 or 2024-09-01T12:00:00Z.",
        ) from None


def parse_bbox(value: str) -> list[float]:
    try:
        parts = [float(p) for p in value.split(",")]
        if len(parts) != 4:
            raise ValueError
    except ValueError:
        raise bad_request(
            f"bbox '{printable(value)}' is not four numbers.",
            "Send west,south,east,north in degrees.",
        ) from None
    west, south, east, north = parts
    if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= north <= 90):
        raise bad_request(
            f"bbox '{printable(value)}' is outside the globe.",
            "Longitudes are -180..180, latitudes -90..90 with south <= north.",
        )
    return parts


class DataService:
    def __init__(
        self, config: CloudscapesData, app: CloudscapesApp, earthdata: EarthdataService | None
    ) -> None:
        self.config = config
        self.log = config.log
        self.app = app
        #: None when the Earthdata feature is disabled (the browser then reads public data)
        self.earthdata = earthdata
        self.jobs = app.jobs
        self.root_dir = server_root(app)
        self.cmr = CmrClient(config, self.earthdata_token)
        #: collection concept id -> its orbit inclination (orbit-only footprints)
        self._inclination_cache: dict[str, float | None] = {}
        self.s3 = S3Sources(config, self.earthdata)
        from .downloads import Downloads
        from .inserting import InsertedCode

        self.downloads = Downloads(self)
        self.inserted = InsertedCode(self)

    # ---- Earthdata -----------------------------------------------------------------------

    def earthdata_token(self) -> str | None:
        session = self.earthdata.session if self.earthdata is not None else None
        return session.token.value if session is not None else None

    def _daac_hosts(self) -> set[tuple[str, str]]:
        hosts = set()
        if self.earthdata is not None:
            # the admin's table only: a DAAC registered from a CMR record's own endpoint
            # must not widen the hosts that receive the token
            for endpoint in self.earthdata.config.daacs.values():
                parts = split_url(endpoint)
                if parts is not None:
                    hosts.add((parts.scheme, parts.netloc))
        return hosts

    def token_allowed(self, url: str) -> bool:
        """Whether a granule link may receive the user's Earthdata token: https on the
        allowed host suffixes, or the exact scheme and host of a configured DAAC."""
        parts = split_url(url)
        if parts is None:  # a link no one can read gets no token
            return False
        if (parts.scheme, parts.netloc) in self._daac_hosts():
            return True
        for origin in self.config.token_origins:
            allowed = urlsplit(origin)
            if (parts.scheme, parts.netloc) == (allowed.scheme, allowed.netloc):
                return True
        return https_on_domains(url, self.config.token_hosts)

    def daac_of(self, provider: str, endpoint: str | None = None) -> str | None:
        """The DAAC whose keys read a collection's buckets: its own credentials endpoint's
        when it names one (never the provider's then: SWOT's keys are not PO.DAAC's),
        else its provider's. Registers nothing (searches call this)."""
        if self.earthdata is None:
            return None
        if endpoint:
            return self.earthdata.endpoint_daac(endpoint)
        return self.provider_daac(provider)

    def provider_daac(self, provider: str) -> str | None:
        daacs = self.earthdata.daacs if self.earthdata is not None else {}
        for name, providers in self.config.providers.items():
            if provider in providers and name in daacs:
                return name
        return None

    # ---- config ---------------------------------------------------------------------------

    async def config_model(self) -> dict[str, Any]:
        region: dict[str, Any] = {"in_region": None, "source": "unknown"}
        if self.earthdata is not None:
            region = await self.earthdata.region()
        return {
            "in_region": region["in_region"],
            "region_source": region["source"],
            "cmr_url": self.config.cmr_url,
            "earthdata_signed_in": self.earthdata_token() is not None,
            "download_dir": self.config.download_dir,
            "max_page_size": MAX_PAGE_SIZE,
        }

    # ---- CMR ------------------------------------------------------------------------------

    def _page_size(self, args: dict[str, str]) -> int:
        raw = args.get("page_size")
        if raw is None:
            return self.config.default_page_size
        if not re.fullmatch(r"[0-9]{1,4}", raw) or not 1 <= int(raw) <= MAX_PAGE_SIZE:
            raise bad_request(
                f"page_size must be a number between 1 and {MAX_PAGE_SIZE}.",
                code="invalid_page_size",
            )
        return int(raw)

    def _common(self, kind: str, args: dict[str, str]) -> list[tuple[str, str]]:
        params: list[tuple[str, str]] = []
        start, end = args.get("temporal_start", ""), args.get("temporal_end", "")
        if start or end:
            start = _time(start, "temporal_start") if start else ""
            end = _time(end, "temporal_end") if end else ""
            if start and end and start > end:
                raise bad_request("temporal_start is after temporal_end.", "Swap the dates.")
            params.append(("temporal[]", f"{start},{end}"))
        if args.get("bbox"):
            bbox = parse_bbox(args["bbox"])
            params.append(("bounding_box[]", ",".join(f"{v:g}" for v in bbox)))
        sort = args.get("sort")
        if sort:
            if sort.lstrip("-+") not in SORT_KEYS[kind]:
                raise bad_request(
                    f"Cannot sort {kind} by '{printable(sort)}'.",
                    "Sort keys: "
                    + ", ".join(sorted(SORT_KEYS[kind]))
                    + " (prefix - for descending).",
                    code="invalid_sort",
                )
            params.append(("sort_key[]", sort))
        params.append(("page_size", str(self._page_size(args))))
        return params

    def _check_args(self, args: dict[str, str], allowed: set[str]) -> None:
        unknown = set(args) - allowed
        if unknown:
            raise bad_request(
                f"Unknown parameter(s): {', '.join(sorted(unknown))}.",
                "Allowed: " + ", ".join(sorted(allowed)) + ".",
            )

    async def search_collections(self, args: dict[str, str]) -> dict[str, Any]:
        self._check_args(
            args,
            {
                "keyword",
                "provider",
                "cloud_hosted",
                "temporal_start",
                "temporal_end",
                "bbox",
                "sort",
                "page_size",
                "cursor",
            },
        )
        params: list[tuple[str, str]] = []
        keyword = args.get("keyword", "").strip()
        if len(keyword) > 500:
            raise bad_request("The keyword is longer than 500 characters.")
        if keyword:
            params.append(("keyword", keyword))
        provider = args.get("provider", "").strip()
        if provider:
            key = provider.lower()
            providers = (
                self.config.providers.get(key)
                or self.config.providers.get(PROVIDER_ALIASES.get(key, key))
                or [provider]
            )
            if not all(re.match(r"^[A-Za-z0-9_]+$", p) for p in providers):
                raise bad_request(f"'{printable(provider)}' is not a CMR provider or DAAC name.")
            params += [("provider", p) for p in providers]
        cloud = args.get("cloud_hosted")
        if cloud is not None:
            if cloud not in ("true", "false"):
                raise bad_request("cloud_hosted must be 'true' or 'false'.")
            if cloud == "true":
                params.append(("cloud_hosted", "true"))
        params += self._common("collections", args)
        page = await self.cmr.search("collections", params, args.get("cursor"))
        return page.model(lambda item: collection_model(item, self.daac_of))

    def _concept(self, concept_id: str, prefix: str) -> str:
        if not _CONCEPT.fullmatch(concept_id) or not concept_id.startswith(prefix):
            what = "collection" if prefix == "C" else "granule"
            raise bad_request(
                f"'{printable(concept_id)}' is not a CMR {what} concept id.",
                f"{what.capitalize()} ids look like {prefix}1234567890-PROVIDER.",
                code="invalid_concept_id",
            )
        return concept_id

    async def collection(self, concept_id: str) -> dict[str, Any]:
        self._concept(concept_id, "C")
        page = await self.cmr.search(
            "collections", [("concept_id", concept_id), ("page_size", "1")]
        )
        if not page.items:
            raise CloudscapesError(
                404,
                "no_such_collection",
                f"CMR has no collection {concept_id}.",
                "It may be restricted to signed-in users; sign in to Earthdata.",
            )
        return collection_model(page.items[0], self.daac_of)

    async def search_granules(self, concept_id: str, args: dict[str, str]) -> dict[str, Any]:
        self._concept(concept_id, "C")
        self._check_args(
            args,
            {"name", "temporal_start", "temporal_end", "bbox", "sort", "page_size", "cursor"},
        )
        params = [("collection_concept_id", concept_id)]
        name = args.get("name", "").strip()
        if name:
            params += [
                ("readable_granule_name", name),
                ("options[readable_granule_name][pattern]", "true"),
            ]
        if not args.get("sort"):
            args = {**args, "sort": "start_date"}
        params += self._common("granules", args)
        page = await self.cmr.search("granules", params, args.get("cursor"))
        inclinations = await self._inclinations(page.items, concept_id)
        return page.model(
            lambda item: granule_model(item, concept_id, inclinations.get(concept_id))
        )

    async def _inclinations(
        self, items: list[dict[str, Any]], collection_id: str = ""
    ) -> dict[str, float | None]:
        """The orbit inclination of the collections of orbit-only granules among
        ``items`` (their footprint is a latitude band the inclination bounds), asked of
        CMR once per collection; unknown (None) when CMR does not say or fails."""
        wanted = {
            (item.get("meta") or {}).get("collection-concept-id") or collection_id
            for item in items
            if orbit_only(item.get("umm") or {})
        }
        found: dict[str, float | None] = {}
        for concept_id in sorted(c for c in wanted if c):
            if concept_id not in self._inclination_cache:
                try:
                    page = await self.cmr.search(
                        "collections", [("concept_id", concept_id), ("page_size", "1")]
                    )
                except CloudscapesError as err:
                    self.log.info("No inclination for %s: %s", concept_id, err.message)
                    found[concept_id] = None
                    continue
                if len(self._inclination_cache) >= 256:
                    self._inclination_cache.clear()
                self._inclination_cache[concept_id] = (
                    inclination_of(page.items[0]) if page.items else None
                )
            found[concept_id] = self._inclination_cache[concept_id]
        return found

    async def granules(self, concept_ids: list[str]) -> list[dict[str, Any]]:
        for concept_id in concept_ids:
            self._concept(concept_id, "G")
        params = [("concept_id[]", c) for c in concept_ids]
        params.append(("page_size", str(len(concept_ids))))
        page = await self.cmr.search("granules", params)
        inclinations = await self._inclinations(page.items)
        models = (
            granule_model(
                i, "", inclinations.get((i.get("meta") or {}).get("collection-concept-id", ""))
            )
            for i in page.items
        )
        found = {g["concept_id"]: g for g in models}
        missing = [c for c in concept_ids if c not in found]
        if missing:
            raise CloudscapesError(
                404,
                "no_such_granule",
                f"CMR has no granule {missing[0]}"
                + (f" (and {len(missing) - 1} more)." if len(missing) > 1 else "."),
                "It may have been removed or restricted; search again.",
            )
        return [found[c] for c in concept_ids]

    async def granule(self, concept_id: str) -> dict[str, Any]:
        return (await self.granules([concept_id]))[0]

    # ---- S3 -------------------------------------------------------------------------------

    def sources(self) -> dict[str, Any]:
        return {"sources": [self.s3.public(s) for s in self.s3.sources()]}

    async def s3_target(self, source_id: str, bucket: str | None) -> S3Target:
        return await self.s3.target(source_id, bucket)

    def s3_error(self, exc: BaseException) -> CloudscapesError:
        return self.s3.error(exc)

    async def list_objects(self, args: dict[str, str]) -> dict[str, Any]:
        self._check_args(args, {"source", "bucket", "prefix", "delimiter", "cursor"})
        if not args.get("source"):
            raise bad_request("Name the source to list ('source').", code="source_required")
        prefix = check_key(args.get("prefix", ""), "prefix")
        delimiter = args.get("delimiter", "/")
        if delimiter not in ("/", ""):
            raise bad_request("delimiter must be '/' or empty.")
        target = await self.s3.target(args["source"], args.get("bucket"))
        return await self.s3.list_page(target, prefix, delimiter, args.get("cursor") or None)

    async def object(self, args: dict[str, str]) -> dict[str, Any]:
        self._check_args(args, {"source", "bucket", "key"})
        if not args.get("source") or not args.get("key"):
            raise bad_request("Name the source and the key.", code="source_required")
        key = check_key(args["key"])
        target = await self.s3.target(args["source"], args.get("bucket"))
        return await self.s3.head(target, key)

    # ---- code -----------------------------------------------------------------------------

    async def code(self, body: dict[str, Any]) -> dict[str, Any]:
        """The ``Code`` answer to a ``CodeRequest`` (:mod:`.inserting`)."""
        return await self.inserted.code(body)
