"""REST handlers of the Earthdata login: ``/cloudscapes/earthdata/...``."""

from __future__ import annotations

from ..handlers import CloudscapesHandler, authenticated, bad_request
from .service import EarthdataService


class EarthdataBase(CloudscapesHandler):
    #: the panel polls GETs; they never count as activity for the idle culler
    polled_methods = ("GET",)

    @property
    def earthdata(self) -> EarthdataService:
        return self.cloudscapes.service(EarthdataService)


class SessionHandler(EarthdataBase):
    @authenticated
    async def get(self) -> None:
        self.reply(self.earthdata.model())

    @authenticated
    async def post(self) -> None:
        self.reply(await self.earthdata.sign_in(self.json_body()))

    @authenticated
    async def delete(self) -> None:
        revoke = self.get_argument("revoke", "0")
        if revoke not in ("0", "1"):
            raise bad_request("'revoke' must be 0 or 1.")
        self.reply(await self.earthdata.sign_out(revoke == "1"))


class RenewHandler(EarthdataBase):
    @authenticated
    async def post(self) -> None:
        self.reply(await self.earthdata.renew())


class CredentialsHandler(EarthdataBase):
    @authenticated
    async def get(self) -> None:
        self.reply(self.earthdata.credentials_model())


class DaacCredentialsHandler(EarthdataBase):
    @authenticated
    async def post(self, daac: str) -> None:
        body = self.json_body()
        self.reply(await self.earthdata.refresh_daac(daac, body.get("endpoint")))


class AwsProfilesHandler(EarthdataBase):
    @authenticated
    async def post(self) -> None:
        self.reply(self.earthdata.write_profiles(self.json_body()["daacs"]))


class RegionHandler(EarthdataBase):
    @authenticated
    async def get(self) -> None:
        self.reply(await self.earthdata.region())
