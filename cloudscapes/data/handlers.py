"""REST handlers of the data browser: ``/cloudscapes/data/...``."""

from __future__ import annotations

from ..handlers import CloudscapesHandler, authenticated
from .service import DataService


class DataBase(CloudscapesHandler):
    @property
    def data(self) -> DataService:
        return self.cloudscapes.service(DataService)

    def args(self) -> dict[str, str]:
        """The route's query arguments (the last value of each; Jupyter's own left out)."""
        return {name: self.get_query_argument(name) for name in self.route_arguments()}


class ConfigHandler(DataBase):
    polled_methods = ("GET",)

    @authenticated
    async def get(self) -> None:
        self.reply(await self.data.config_model())


class CollectionsHandler(DataBase):
    @authenticated
    async def get(self) -> None:
        self.reply(await self.data.search_collections(self.args()))


class CollectionHandler(DataBase):
    @authenticated
    async def get(self, concept_id: str) -> None:
        self.reply(await self.data.collection(concept_id))


class GranulesHandler(DataBase):
    @authenticated
    async def get(self, concept_id: str) -> None:
        self.reply(await self.data.search_granules(concept_id, self.args()))


class GranuleHandler(DataBase):
    @authenticated
    async def get(self, concept_id: str) -> None:
        self.reply(await self.data.granule(concept_id))


class SourcesHandler(DataBase):
    @authenticated
    async def get(self) -> None:
        self.reply(self.data.sources())


class ObjectsHandler(DataBase):
    @authenticated
    async def get(self) -> None:
        self.reply(await self.data.list_objects(self.args()))


class ObjectHandler(DataBase):
    @authenticated
    async def get(self) -> None:
        self.reply(await self.data.object(self.args()))


class CodeHandler(DataBase):
    @authenticated
    async def post(self) -> None:
        self.reply(await self.data.code(self.json_body()))


class DownloadsHandler(DataBase):
    @authenticated
    async def post(self) -> None:
        from ..jobs import reply_accepted

        job = await self.data.downloads.start(self.json_body())
        reply_accepted(self, self.data.jobs, job)
