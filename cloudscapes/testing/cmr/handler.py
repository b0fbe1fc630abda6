"""The CMR search stand-in's HTTP side: ``/search/(collections|granules).(json|umm_json)``,
its headers, auth (EDL tokens, checked against the shared state), error answers and
test hooks. See ``docs/standins.md``, "CMR search"."""

from __future__ import annotations

import json
import time
import uuid
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, NoReturn
from urllib.parse import urlencode

from tornado import web
from tornado.httpserver import HTTPServer

from ..serving import StandInHandler, listen, make_app
from .catalogue import Catalogue, default_catalogue
from .query import CmrError, parse_query
from .render import (
    UMM_C_VERSION,
    UMM_G_VERSION,
    Links,
    atom_collection,
    atom_granule,
    umm_collection,
    umm_granule,
)
from .search import search_collections, search_granules

if TYPE_CHECKING:
    from ..earthdata.state import EarthdataState


CMR_JSON_TYPE = "application/json;charset=utf-8"
UMM_TYPES = {
    "collections": f"application/vnd.nasa.cmr.umm_results+json;version={UMM_C_VERSION}; "
    "charset=utf-8",
    "granules": f"application/vnd.nasa.cmr.umm_results+json;version={UMM_G_VERSION}; charset=utf-8",
}
SEARCH_AFTER_HEADER = "CMR-Search-After"
THROTTLE_ERROR = "Too many requests. Please wait and try again later."
INTERNAL_ERROR = "An Internal Error has occurred."
TIMED_OUT_HEADER = "CMR-Timed-Out"
EXPOSED_HEADERS = (
    "CMR-Hits, CMR-Request-Id, X-Request-Id, CMR-Scroll-Id, CMR-Search-After, "
    "CMR-Timed-Out, CMR-Took"
)


def scrub_token(token: str) -> str:
    """CMR's redaction of a token in messages (cmr.common.util/scrub-token)."""
    n = len(token)
    if n >= 25:
        return f"{token[:10]}XXX{token[-5:]}"
    if n >= 15:
        return f"{token[:5]}XXX{token[-5:]}"
    if n >= 5:
        return f"{token[:-5]}XXX"
    return "XXX"


def _gateway_page(status: int, reason: str) -> str:
    return (
        f"<html>\r\n<head><title>{status} {reason}</title></head>\r\n<body>\r\n"
        f"<center><h1>{status} {reason}</h1></center>\r\n</body>\r\n</html>\r\n"
    )


class SearchHandler(StandInHandler):
    """``/search/(collections|granules).(json|umm_json)``."""

    state: EarthdataState
    service = "cmr"
    json_type = CMR_JSON_TYPE

    def set_default_headers(self) -> None:
        request_id = str(uuid.uuid4())
        self.set_header("CMR-Request-Id", request_id)
        self.set_header("X-Request-Id", request_id)
        self.set_header("Access-Control-Allow-Origin", "*")
        self.set_header("Access-Control-Expose-Headers", EXPOSED_HEADERS)

    def fail(self, error: CmrError) -> NoReturn:
        self.answer(error.status, {"errors": error.errors}, error.headers)

    def page(self, status: int, reason: str) -> NoReturn:
        self.set_status(status)
        self.set_header("Content-Type", "text/html")
        raise web.Finish(_gateway_page(status, reason))

    def injected_faults(self) -> None:
        state = self.state
        if state.cmr_failures:
            status = state.cmr_failures.pop(0)
            if status == 500:
                self.fail(CmrError(500, INTERNAL_ERROR))
            reasons = {
                502: "Bad Gateway",
                503: "Service Temporarily Unavailable",
                504: "Gateway Time-out",
            }
            self.page(status, reasons.get(status, "Error"))
        if state.cmr_throttle > 0:
            state.cmr_throttle -= 1
            self.fail(
                CmrError(429, THROTTLE_ERROR, headers={"Retry-After": str(state.cmr_retry_after)})
            )

    def check_auth(self) -> None:
        header = self.request.headers.get("Authorization", "").strip()
        if not header:
            return
        scheme, _, token = header.partition(" ")
        token = token.strip() if scheme.lower() == "bearer" else header
        payload, why = self.state.check_token(token)
        if payload is not None:
            return
        if why == "Token has expired":
            self.fail(
                CmrError(
                    401,
                    f"Token [{scrub_token(header)}] has expired. Note the token value has been "
                    "partially redacted.",
                )
            )
        self.fail(CmrError(401, f"Token {scrub_token(header)} does not exist"))

    def arguments(self) -> list[tuple[str, str]]:
        pairs = [
            (name, value.decode("utf-8", "replace"))
            for name, values in self.request.query_arguments.items()
            for value in values
        ]
        if self.request.method == "POST":
            content_type = self.request.headers.get("Content-Type", "").split(";")[0].strip()
            if content_type not in ("", "application/x-www-form-urlencoded"):
                self.fail(CmrError(415, f"Unsupported content type [{content_type}]"))
            pairs += [
                (name, value.decode("utf-8", "replace"))
                for name, values in self.request.body_arguments.items()
                for value in values
            ]
        return pairs

    def search(self, kind: str, fmt: str) -> None:
        started = time.perf_counter()
        state = self.state
        if self.request.method == "GET" and len(self.request.uri or "") > state.cmr_max_url_length:
            self.page(413, "Request Entity Too Large")
        self.injected_faults()
        self.check_auth()
        catalogue: Catalogue = state.cmr_catalogue or default_catalogue()
        arguments = self.arguments()
        try:
            query = parse_query(kind, arguments, self.request.headers.get(SEARCH_AFTER_HEADER))
            realistic = state.cmr_search_after_on_last_page
            if kind == "collections":
                result = search_collections(catalogue, query, realistic)
            else:
                result = search_granules(catalogue, query, realistic)
        except CmrError as error:
            self.fail(error)
        if query.page_size == 0:
            result.items, result.search_after = [], None
        links = Links(state.data_url or "", state.daac_url)
        took = int((time.perf_counter() - started) * 1000)
        if fmt == "umm_json":
            render = umm_collection if kind == "collections" else umm_granule
            body: dict[str, Any] = {
                "hits": result.hits,
                "took": took,
                "items": [render(item, links) for item in result.items],
            }
            content_type = UMM_TYPES[kind]
        else:
            render = atom_collection if kind == "collections" else atom_granule
            title = "ECHO dataset metadata" if kind == "collections" else "ECHO granule metadata"
            body = {
                "feed": {
                    "updated": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3]
                    + "Z",
                    "id": f"{state.cmr_url}{kind}.json"
                    + (f"?{urlencode(arguments)}" if arguments else ""),
                    "title": title,
                    "entry": [render(item, links) for item in result.items],
                }
            }
            content_type = CMR_JSON_TYPE
        self.set_header("Content-Type", content_type)
        self.set_header("CMR-Hits", str(result.hits))
        self.set_header("CMR-Took", str(took))
        if result.search_after is not None:
            self.set_header(
                SEARCH_AFTER_HEADER, json.dumps(result.search_after, separators=(",", ":"))
            )
        if state.cmr_timed_out:
            self.set_header(TIMED_OUT_HEADER, "true")
        self.finish(json.dumps(body))

    def get(self, kind: str, fmt: str) -> None:
        self.search(kind, fmt)

    def post(self, kind: str, fmt: str) -> None:
        self.search(kind, fmt)


def start_cmr(
    state: EarthdataState, port: int = 0, address: str = "127.0.0.1"
) -> tuple[HTTPServer, int]:
    """CMR search on loopback; sets ``state.cmr_url`` (ending in ``/search/``)."""
    _ = state.cmr_catalogue or default_catalogue()  # built before the first request
    app = make_app(
        state,
        "cmr",
        [(r"/search/(collections|granules)\.(json|umm_json)", SearchHandler)],
    )
    server, bound = listen(app, port, address)
    state.cmr_url = f"http://{address}:{bound}/search/"
    return server, bound
