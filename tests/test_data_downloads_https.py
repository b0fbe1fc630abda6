"""Downloads of granules over HTTPS as jobs, through the real routes: ``POST
/cloudscapes/data/downloads`` and ``/cloudscapes/jobs/{id}``, against the Earthdata/CMR
stand-ins and their data host (TEA-like, redirecting to presigned S3 URLs).

What a user would notice is asserted: the file on disk (its bytes), the job's status and
message, what is left in the folder (never a partial file), and what the data hosts
received (never the token on another host)."""

from __future__ import annotations

import asyncio
import json

import pytest

from cloudscapes.testing.cmr import DEMO_CONCEPT_ID
from cloudscapes.testing.datasets import demo_granule_files

from . import downloading
from .downloading import NO_SPACE, data_service, listing, sign_in, wait_for

# Every test of this module talks to the NASA stand-ins (EDL, DAACs, CMR, moto S3).
pytestmark = pytest.mark.usefixtures("earthdata")

#: many chunks per download in every test here (a fixture)
data_config = downloading.data_config

# ---- granules over HTTPS (the TEA-like data host and its presigned S3 host) --------------


@pytest.fixture
def trusted_data_host(jp_serverapp, earthdata):
    """The data host stand-in receives the Earthdata token, as a DAAC's download host
    does (the test server lists it in ``c.CloudscapesData.token_origins``); the presign
    host, on another port, never does."""
    service = data_service(jp_serverapp)
    assert service.token_allowed(earthdata.data_url + "/demo-nsidc-protected/x.nc")
    assert not service.token_allowed(earthdata.presign_url + "/demo-nsidc-protected/x.nc")


async def demo_granule(api, index: int = 0) -> dict:
    status, page = await api(f"data/collections/{DEMO_CONCEPT_ID}/granules?page_size=8")
    assert status == 200
    return page["items"][index]


async def download(api, granule: dict, **fields: str) -> tuple[int, dict]:
    """``POST data/downloads`` of ``granule`` (and ``fields``): the status and answer."""
    body = {"granule": granule["concept_id"], **fields}
    return await api("data/downloads", method="POST", body=body)


async def finished_download(api, granule: dict) -> dict:
    """Download ``granule`` as a job that is accepted (202): the job once it has ended."""
    status, body = await download(api, granule)
    assert status == 202
    return await wait_for(api, body["job"]["id"])


def token_of(earthdata_state) -> str:
    (token,) = [t for t in earthdata_state.tokens.values() if not t.revoked]
    return token.access_token


async def test_granule_download_completes(api, earthdata_state, jp_root_dir, trusted_data_host):
    await sign_in(api)
    granule = await demo_granule(api)
    name = "seaice_20240901.nc"
    assert granule["https_urls"][0].endswith("/" + name)
    earthdata_state.requests.clear()

    status, body = await download(api, granule)
    assert status == 202
    assert body["job"]["title"] == f"Download {name}"
    job = await wait_for(api, body["job"]["id"])
    assert job["status"] == "succeeded", job
    expected = demo_granule_files()[name]
    assert job["result"] == {"paths": [f"downloads/{name}"], "bytes": len(expected)}
    assert job["progress"]["done"] == job["progress"]["total"] == len(expected)
    assert (jp_root_dir / "downloads" / name).read_bytes() == expected
    assert listing(jp_root_dir / "downloads") == [name]

    # the token went to the data host, which redirected to a presigned URL on another
    # host (port): that request carried no Authorization and no cookie
    token = token_of(earthdata_state)
    (data_get,) = [r for r in earthdata_state.requests_to("data") if r.method == "GET"]
    assert data_get.headers["Authorization"] == f"Bearer {token}"
    presigned = earthdata_state.requests_to("presign")
    assert [r.method for r in presigned] == ["GET"]
    assert "Authorization" not in presigned[0].headers
    assert "Cookie" not in presigned[0].headers
    assert "X-Amz-Signature=" in presigned[0].path
    assert earthdata_state.transfers[-1].complete


async def test_the_token_never_reaches_another_host(
    api, earthdata_state, earthdata, jp_serverapp, jp_root_dir, trusted_data_host, caplog
):
    """Wherever the chain of redirects goes, only the data host sees the token, and no
    job answer or log line contains it."""
    await sign_in(api)
    granule = await demo_granule(api, 1)
    token = token_of(earthdata_state)
    earthdata_state.requests.clear()
    job = await finished_download(api, granule)
    assert job["status"] == "succeeded"
    carried = {
        request.service
        for request in earthdata_state.requests
        if any(token in value for _, value in request.headers.get_all())
    }
    # CMR (the granule's metadata) and the data host; never the presigned S3 host
    assert carried == {"cmr", "data"}
    assert earthdata_state.requests_to("presign")
    assert token not in json.dumps(job)
    assert token not in caplog.text


async def test_granule_download_cancelled_midway_leaves_nothing(
    api, earthdata_state, jp_root_dir, trusted_data_host
):
    earthdata_state.data_rate = 16 * 1024  # about 3 s for the 47 kB file
    await sign_in(api)
    granule = await demo_granule(api)
    status, body = await download(api, granule)
    job_id = body["job"]["id"]
    job = await wait_for(api, job_id, until=lambda j: j["progress"]["done"] > 0)
    assert job["message"].startswith("seaice_20240901.nc: ")
    assert " of " in job["message"] and job["message"].endswith(" kB")
    (partial,) = listing(jp_root_dir / "downloads")
    assert partial.startswith(".seaice_20240901.nc.cloudscapes-part-")

    status, job = await api(f"jobs/{job_id}", method="DELETE")
    assert (status, job["status"]) == (200, "cancelled")
    assert listing(jp_root_dir / "downloads") == []
    # the connection was closed: the host stops sending
    transfer = earthdata_state.transfers[-1]
    for _ in range(100):
        if transfer.aborted:
            break
        await asyncio.sleep(0.02)
    assert transfer.aborted and not transfer.complete
    assert listing(jp_root_dir / "downloads") == []


async def test_a_transfer_cut_midway_fails_and_leaves_nothing(
    api, earthdata_state, jp_root_dir, trusted_data_host
):
    earthdata_state.data_fail_after["seaice/seaice_20240901.nc"] = 20_000
    await sign_in(api)
    granule = await demo_granule(api)
    job = await finished_download(api, granule)
    assert job["status"] == "failed"
    error = job["error"]["error"]
    assert error["code"] == "download_interrupted"
    assert "seaice_20240901.nc" in error["message"]
    assert error["hint"]
    assert job["result"] is None
    assert earthdata_state.transfers[-1].cut
    assert listing(jp_root_dir / "downloads") == []


async def test_a_eula_refusal_fails_the_job_with_a_hint(
    api, earthdata_state, jp_root_dir, trusted_data_host
):
    earthdata_state.eula_daacs.add("nsidc")
    await sign_in(api)
    granule = await demo_granule(api)
    job = await finished_download(api, granule)
    assert job["status"] == "failed"
    error = job["error"]["error"]
    assert error["code"] == "download_refused"
    assert "HTTP 403" in error["message"]
    assert "EULA" in error["hint"]
    assert listing(jp_root_dir / "downloads") == []


async def test_granule_download_needs_earthdata_sign_in(
    api, earthdata_state, jp_root_dir, trusted_data_host
):
    granule = await demo_granule(api)
    earthdata_state.requests.clear()
    status, body = await download(api, granule)
    assert status == 409
    assert body["error"]["code"] == "earthdata_not_signed_in"
    assert "Earthdata" in body["error"]["hint"]
    assert earthdata_state.requests_to("data") == []
    assert listing(jp_root_dir) == []


@pytest.mark.parametrize("data_config", [NO_SPACE])
async def test_granule_without_space_is_refused_up_front(
    api, earthdata_state, jp_root_dir, trusted_data_host
):
    await sign_in(api)
    granule = await demo_granule(api)
    earthdata_state.requests.clear()
    status, body = await download(api, granule)
    assert (status, body["error"]["code"]) == (409, "insufficient_space")
    assert "47.7 kB" in body["error"]["message"]  # the granule's size, from CMR
    assert earthdata_state.requests_to("data") == []
    assert not (jp_root_dir / "downloads").exists()


async def test_an_existing_granule_file_is_kept(api, jp_root_dir, trusted_data_host):
    await sign_in(api)
    granule = await demo_granule(api)
    (jp_root_dir / "mine").mkdir()
    (jp_root_dir / "mine" / "seaice_20240901.nc").write_text("notes")
    status, body = await download(api, granule, directory="mine")
    assert (status, body["error"]["code"]) == (409, "file_exists")
    assert (jp_root_dir / "mine" / "seaice_20240901.nc").read_text() == "notes"


async def test_unknown_granule_is_404(api):
    await sign_in(api)
    status, body = await api("data/downloads", method="POST", body={"granule": "G9-NOPE"})
    assert status in (400, 404)
    assert body["error"]["message"]


@pytest.fixture
def sizes_unknown_to_cmr(jp_serverapp, monkeypatch):
    """Granules whose metadata gives no sizes (some collections' do not)."""
    service = data_service(jp_serverapp)
    granule = service.granule

    async def without_sizes(concept_id):
        found = dict(await granule(concept_id))
        found["files"] = [{**f, "size_bytes": None} for f in found["files"]]
        found["size_bytes"] = None
        return found

    monkeypatch.setattr(service, "granule", without_sizes)


@pytest.mark.parametrize("data_config", [NO_SPACE])
async def test_an_unknown_size_is_asked_with_a_head_request(
    api, earthdata_state, jp_root_dir, trusted_data_host, sizes_unknown_to_cmr
):
    await sign_in(api)
    granule = await demo_granule(api)
    earthdata_state.requests.clear()
    status, body = await download(api, granule)
    assert (status, body["error"]["code"]) == (409, "insufficient_space")
    assert "47.7 kB" in body["error"]["message"]  # the size the host told
    assert [r.method for r in earthdata_state.requests_to("presign")] == ["HEAD"]
    assert "Authorization" not in earthdata_state.requests_to("presign")[0].headers
    assert not (jp_root_dir / "downloads").exists()


async def test_a_size_learnt_with_head_is_the_jobs_total(
    api, jp_root_dir, trusted_data_host, sizes_unknown_to_cmr
):
    await sign_in(api)
    granule = await demo_granule(api)
    status, body = await download(api, granule)
    assert status == 202
    size = len(demo_granule_files()["seaice_20240901.nc"])
    assert body["job"]["progress"]["total"] == size
    job = await wait_for(api, body["job"]["id"])
    assert job["status"] == "succeeded"
    assert (jp_root_dir / "downloads" / "seaice_20240901.nc").stat().st_size == size


@pytest.mark.parametrize("data_config", [{"token_origins": []}])
async def test_a_sign_in_page_is_never_saved_as_the_file(api, earthdata_state, jp_root_dir):
    """A data host the admin did not list gets no token; it sends the request to
    Earthdata Login's sign-in page (as TEA does), which must not become the file."""
    await sign_in(api)
    granule = await demo_granule(api)
    earthdata_state.requests.clear()
    job = await finished_download(api, granule)
    assert job["status"] == "failed"
    error = job["error"]["error"]
    assert error["code"] == "download_refused"
    assert "sign-in page" in error["message"]
    assert "token_hosts" in error["hint"]
    (data_get,) = [r for r in earthdata_state.requests_to("data") if r.method == "GET"]
    assert "Authorization" not in data_get.headers
    assert not [r for r in earthdata_state.requests_to("edl") if "oauth" in r.path]
    assert listing(jp_root_dir / "downloads") == []


@pytest.fixture
def portal(jp_serverapp, monkeypatch):
    """A host that answers every link with a 200 web page (a portal or login page), and
    a granule whose link points there."""
    from tornado.httpserver import HTTPServer
    from tornado.netutil import bind_sockets
    from tornado.web import Application, RequestHandler

    class Page(RequestHandler):
        def get(self, path):
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.finish("<html><body>Please sign in</body></html>")

    sockets = bind_sockets(0, "127.0.0.1")
    server = HTTPServer(Application([(r"/(.*)", Page)]))
    server.add_sockets(sockets)
    url = f"http://127.0.0.1:{sockets[0].getsockname()[1]}/data/seaice_20240901.nc"
    service = data_service(jp_serverapp)
    granule = service.granule

    async def pointing_there(concept_id):
        return {**await granule(concept_id), "https_urls": [url]}

    monkeypatch.setattr(service, "granule", pointing_there)
    yield url
    server.stop()


async def test_a_web_page_answered_for_a_data_file_is_not_saved(api, jp_root_dir, portal):
    await sign_in(api)
    granule = await demo_granule(api)
    job = await finished_download(api, granule)
    assert (job["status"], job["error"]["error"]["code"]) == ("failed", "download_refused")
    assert listing(jp_root_dir / "downloads") == []


async def test_files_completed_before_a_failure_are_kept(
    api, earthdata_state, jp_serverapp, jp_root_dir, trusted_data_host, monkeypatch
):
    """A granule of two files whose second transfer breaks: the first file is whole and
    stays; the second leaves nothing; the error says which were kept."""
    await sign_in(api)
    first, second = await demo_granule(api, 0), await demo_granule(api, 1)
    service = data_service(jp_serverapp)
    granule = service.granule

    async def two_files(concept_id):
        found = await granule(concept_id)
        return {
            **found,
            "https_urls": first["https_urls"] + second["https_urls"],
            "files": first["files"] + second["files"],
        }

    monkeypatch.setattr(service, "granule", two_files)
    earthdata_state.data_fail_after["seaice/seaice_20240902.nc"] = 10_000
    status, body = await download(api, first)
    assert status == 202
    assert body["job"]["progress"]["total"] == first["size_bytes"] + second["size_bytes"]
    job = await wait_for(api, body["job"]["id"])
    assert job["status"] == "failed"
    message = job["error"]["error"]["message"]
    assert "seaice_20240902.nc" in message
    assert "downloads/seaice_20240901.nc" in message  # kept, and said so
    assert listing(jp_root_dir / "downloads") == ["seaice_20240901.nc"]
    files = demo_granule_files()
    assert (jp_root_dir / "downloads" / "seaice_20240901.nc").read_bytes() == files[
        "seaice_20240901.nc"
    ]
