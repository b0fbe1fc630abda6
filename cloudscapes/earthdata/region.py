"""Where this server runs, for the region badge and the data browser's in-region paths.

The admin's ``in_region`` (or ``$CLOUDSCAPES_IN_REGION``) answers at once; otherwise an
EC2 instance-metadata (IMDSv2) probe, with a short timeout, finds the region. A region
found is kept for the life of the server (an instance does not move). A probe that
failed (no metadata service, a refusal, a timeout) is tried again after a while, not
on every request and not never: 30 s after the first failure, then twice as long after
each further one, up to 10 minutes; a metadata service that was slow to come up, or a
network policy lifted later, is then noticed without a server restart.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

from tornado.httpclient import AsyncHTTPClient, HTTPClientError, HTTPRequest

from .config import CloudscapesEarthdata

#: Wait before the first retry of a failed probe, seconds; it doubles after each failure.
RETRY_FIRST = 30.0
#: Longest wait between two probes, seconds.
RETRY_MAX = 600.0


class RegionProbe:
    """The region answer (``schema/earthdata.yaml`` ``Region``), probed and cached."""

    def __init__(
        self, config: CloudscapesEarthdata, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.config = config
        #: the time source of the retry schedule (tests move it forward)
        self.clock = clock
        self._found: dict[str, Any] | None = None
        self._unknown: dict[str, Any] | None = None
        self._retry_at = 0.0
        self._delay = RETRY_FIRST
        self._probing: asyncio.Future[dict[str, Any]] | None = None

    async def region(self) -> dict[str, Any]:
        if self._found is not None:
            return self._found
        configured = self.config.in_region
        if configured is not None:
            section = self.config.config.get("CloudscapesEarthdata", {})
            self._found = self._answer(
                configured,
                self.config.archive_region if configured else None,
                "config" if "in_region" in section else "env",
            )
            return self._found
        if self._unknown is not None and self.clock() < self._retry_at:
            return self._unknown
        if self._probing is None:  # one probe at a time; concurrent requests share it
            self._probing = asyncio.ensure_future(self._probe())
            # cleared when the probe ends, not by an awaiter: a request closed while it
            # ran (its await cancelled) would leave a finished probe that blocks retries
            self._probing.add_done_callback(self._probe_done)
        return await asyncio.shield(self._probing)

    def _probe_done(self, probing: asyncio.Future[dict[str, Any]]) -> None:
        if self._probing is probing:
            self._probing = None

    async def _probe(self) -> dict[str, Any]:
        region = await self._imds_region()
        if region is not None:
            self._found = self._answer(region == self.config.archive_region, region, "imds")
            self._unknown = None
            return self._found
        self._unknown = self._answer(None, None, "unknown")
        self._retry_at = self.clock() + self._delay
        self._delay = min(self._delay * 2, RETRY_MAX)
        return self._unknown

    def _answer(self, in_region: bool | None, region: str | None, source: str) -> dict[str, Any]:
        return {
            "in_region": in_region,
            "region": region,
            "source": source,
            "archive_region": self.config.archive_region,
        }

    async def _imds_region(self) -> str | None:
        """IMDSv2: a session token (PUT), then the region with it; None on any failure."""
        base = self.config.imds_url.rstrip("/")
        timeout = self.config.imds_timeout
        client = AsyncHTTPClient()
        try:
            token = await client.fetch(
                HTTPRequest(
                    f"{base}/latest/api/token",
                    method="PUT",
                    body=b"",
                    headers={"X-aws-ec2-metadata-token-ttl-seconds": "21600"},
                    connect_timeout=timeout,
                    request_timeout=timeout,
                    follow_redirects=False,
                )
            )
            region = await client.fetch(
                HTTPRequest(
                    f"{base}/latest/meta-data/placement/region",
                    headers={"X-aws-ec2-metadata-token": token.body.decode()},
                    connect_timeout=timeout,
                    request_timeout=timeout,
                    follow_redirects=False,
                )
            )
            return region.body.decode().strip() or None
        except (HTTPClientError, OSError, UnicodeDecodeError):
            return None
        except Exception as err:
            # e.g. tornado's ValueError for an imds_url it cannot fetch: a failure like
            # the others (retried with the backoff), not a 500 on every request that
            # needs the region; one line for the admin
            self.config.log.warning("Cloudscapes could not probe IMDS at %s: %r", base, err)
            return None
