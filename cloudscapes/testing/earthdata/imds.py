"""EC2 instance metadata (IMDSv2): a session token, then the region. See
``docs/standins.md``, "Instance metadata"."""

from __future__ import annotations

import secrets

from tornado.httpserver import HTTPServer

from ..serving import StandInHandler, listen, make_app
from .state import IMDS_MAX_TTL, EarthdataState, _b64url


class _ImdsHandler(StandInHandler):
    state: EarthdataState
    service = "imds"


class ImdsTokenHandler(_ImdsHandler):
    def put(self) -> None:
        raw = self.request.headers.get("X-aws-ec2-metadata-token-ttl-seconds", "")
        try:
            ttl = int(raw)
        except ValueError:
            ttl = 0
        if not 1 <= ttl <= IMDS_MAX_TTL:
            self.text(400)
        token = _b64url(secrets.token_bytes(42))
        self.state.imds_tokens[token] = self.state.clock() + ttl
        self.text(200, token, {"X-aws-ec2-metadata-token-ttl-seconds": str(ttl)})


class ImdsRegionHandler(_ImdsHandler):
    def get(self) -> None:
        token = self.request.headers.get("X-aws-ec2-metadata-token", "")
        expires = self.state.imds_tokens.get(token)
        if expires is None or self.state.clock() >= expires:
            self.text(401)
        self.text(200, self.state.region)


def start_imds(
    state: EarthdataState, port: int = 0, address: str = "127.0.0.1"
) -> tuple[HTTPServer, int]:
    """IMDSv2 on loopback; sets ``state.imds_url``."""
    app = make_app(
        state,
        "imds",
        [
            ("/latest/api/token", ImdsTokenHandler),
            ("/latest/meta-data/placement/region", ImdsRegionHandler),
        ],
    )
    server, bound = listen(app, port, address)
    state.imds_url = f"http://{address}:{bound}"
    return server, bound
