"""Downloads as jobs, through the real routes: ``POST /cloudscapes/data/downloads`` and
``/cloudscapes/jobs/{id}``, against moto S3 (keys the DAAC stand-in issued) and the
Earthdata/CMR/data-host stand-ins.

What a user would notice is asserted: the file on disk (its bytes), the job's status and
message, what is left in the folder (never a partial file), and what the data hosts
received (never the token on another host)."""

from __future__ import annotations

import asyncio
import errno
import hashlib
import json
import os
import time
from pathlib import Path

import pytest

from cloudscapes.data import downloads as downloads_module
from cloudscapes.testing.cmr import DEMO_CONCEPT_ID
from cloudscapes.testing.datasets import (
    DEMO_PUBLIC_BUCKET,
    PUBLIC_NETCDF_KEY,
    demo_granule_files,
)
from cloudscapes.testing.earthdata import DEMO_BUCKET

# Every test of this module talks to the NASA stand-ins (EDL, DAACs, CMR, moto S3).
pytestmark = pytest.mark.usefixtures("earthdata")

DEMO = {"username": "demo", "password": "s3cret #1"}
NSIDC = "earthdata:nsidc"
FINISHED = ("succeeded", "failed", "cancelled")
#: a few MB, so that a download takes several chunks
BIG = hashlib.sha256(b"cloudscapes").digest() * (3 * 1024 * 1024 // 32)
BIG_KEY = "downloads-test/2024/seaice_20240901.nc"


SEEDED = {BIG_KEY: BIG, "downloads-test/.hidden": b"x", "a/../../escape.txt": b"outside"}


@pytest.fixture(scope="module", autouse=True)
def seeded(moto_s3):
    """Objects of these tests in the demo bucket (which the nsidc DAAC's keys read),
    removed afterwards: other tests list that bucket."""
    for key, body in SEEDED.items():
        moto_s3.seed(DEMO_BUCKET, key, body)
    yield
    admin = moto_s3.client("s3")
    for key in SEEDED:
        admin.delete_object(Bucket=DEMO_BUCKET, Key=key)


def data_service(serverapp):
    (app,) = serverapp.extension_manager.extension_apps["cloudscapes"]
    return app.services["data"]


@pytest.fixture
def data_config():
    """Many chunks per download (the default is 1 MiB)."""
    return {"download_chunk": 64 * 1024}


@pytest.fixture
def small_chunks(data_config):
    assert data_config["download_chunk"] == 64 * 1024


@pytest.fixture
def slow_disk(monkeypatch):
    """Each chunk takes a moment to write, so a test can act mid-download."""
    write = downloads_module.PartFile.write

    def slow(self, data):
        import time

        time.sleep(0.02)
        write(self, data)

    monkeypatch.setattr(downloads_module.PartFile, "write", slow)


async def sign_in(api):
    status, _ = await api("earthdata/session", method="POST", body=DEMO)
    assert status == 200


def s3_request(key: str = BIG_KEY, **extra) -> dict:
    return {"object": {"source": NSIDC, "bucket": DEMO_BUCKET, "key": key}, **extra}


async def wait_for(api, job_id: str, until=lambda job: job["status"] in FINISHED, timeout=30):
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        status, job = await api(f"jobs/{job_id}")
        assert status == 200
        if until(job):
            return job
        assert loop.time() < deadline, f"job never got there: {job}"
        await asyncio.sleep(0.02)


def listing(folder: Path) -> list[str]:
    """Every name in the folder, hidden ones (partial files) included."""
    return sorted(os.listdir(folder)) if folder.exists() else []


# ---- S3 objects ---------------------------------------------------------------------------


async def test_s3_object_download_completes(api, jp_fetch, jp_root_dir, small_chunks):
    await sign_in(api)
    response = await jp_fetch(
        "cloudscapes",
        "data/downloads",
        method="POST",
        body=json.dumps(s3_request()),
        raise_error=False,
    )
    assert response.code == 202
    job = json.loads(response.body)["job"]
    assert response.headers["Location"].endswith(f"/cloudscapes/jobs/{job['id']}")
    assert job["kind"] == "download"
    assert job["title"] == "Download seaice_20240901.nc"
    assert job["progress"]["total"] == len(BIG)  # known up front, from a HEAD

    first = await wait_for(api, job["id"])
    # again through the api fixture, which checks the answer against the contract
    status, accepted = await api("data/downloads", method="POST", body=s3_request(overwrite=True))
    assert status == 202

    for job_id in (first["id"], accepted["job"]["id"]):
        final = await wait_for(api, job_id)
        assert final["status"] == "succeeded", final
        assert final["result"] == {
            "paths": ["downloads/seaice_20240901.nc"],
            "bytes": len(BIG),
        }
        assert final["progress"] == {"done": len(BIG), "total": len(BIG), "unit": "bytes"}
        assert final["error"] is None
    target = jp_root_dir / "downloads" / "seaice_20240901.nc"
    assert target.read_bytes() == BIG
    assert listing(jp_root_dir / "downloads") == ["seaice_20240901.nc"]


async def test_a_public_object_needs_no_sign_in(api, jp_root_dir):
    body = {"object": {"source": f"public:{DEMO_PUBLIC_BUCKET}", "key": PUBLIC_NETCDF_KEY}}
    status, answer = await api("data/downloads", method="POST", body=body)
    assert status == 202
    job = await wait_for(api, answer["job"]["id"])
    assert job["status"] == "succeeded", job
    expected = demo_granule_files()["seaice_20240901.nc"]
    assert (jp_root_dir / "downloads" / "seaice_20240901.nc").read_bytes() == expected


async def test_progress_is_reported_while_downloading(api, jp_root_dir, small_chunks, slow_disk):
    await sign_in(api)
    status, body = await api("data/downloads", method="POST", body=s3_request(directory="data"))
    assert status == 202
    job = await wait_for(api, body["job"]["id"], until=lambda j: j["progress"]["done"] > 0)
    assert job["status"] == "running"
    assert 0 < job["progress"]["done"] < len(BIG)
    # "seaice_20240901.nc: 0.3 of 3.1 MB"
    assert job["message"].startswith("seaice_20240901.nc: ")
    assert job["message"].endswith(" of 3.1 MB")
    final = await wait_for(api, job["id"])
    assert final["status"] == "succeeded"
    assert (jp_root_dir / "data" / "seaice_20240901.nc").read_bytes() == BIG


async def test_cancelling_leaves_no_file(api, jp_root_dir, small_chunks, slow_disk):
    await sign_in(api)
    status, body = await api("data/downloads", method="POST", body=s3_request())
    job_id = body["job"]["id"]
    await wait_for(api, job_id, until=lambda j: j["progress"]["done"] > 0)
    # mid-way, a partial file exists under a hidden temporary name
    (partial,) = listing(jp_root_dir / "downloads")
    assert partial.startswith(".seaice_20240901.nc.cloudscapes-part-")

    status, job = await api(f"jobs/{job_id}", method="DELETE")
    assert status == 200
    assert job["status"] == "cancelled"
    assert job["progress"]["done"] < len(BIG)
    assert listing(jp_root_dir / "downloads") == []  # no final file, no partial file
    await asyncio.sleep(0.2)  # the worker thread has stopped: nothing comes back
    assert listing(jp_root_dir / "downloads") == []


async def test_a_disk_that_fills_up_midway_leaves_no_file(
    api, jp_root_dir, small_chunks, monkeypatch
):
    write = downloads_module.PartFile.write

    def full_disk(self, data):
        if self.size >= 1024 * 1024:
            raise OSError(errno.ENOSPC, "No space left on device")
        write(self, data)

    monkeypatch.setattr(downloads_module.PartFile, "write", full_disk)
    await sign_in(api)
    _, body = await api("data/downloads", method="POST", body=s3_request())
    job = await wait_for(api, body["job"]["id"])
    assert job["status"] == "failed"
    assert job["error"]["error"]["code"] == "insufficient_space"
    assert "seaice_20240901.nc" in job["message"]
    assert job["result"] is None
    assert listing(jp_root_dir / "downloads") == []


async def test_server_stop_removes_the_partial_file(
    api, jp_serverapp, jp_root_dir, small_chunks, slow_disk
):
    await sign_in(api)
    _, body = await api("data/downloads", method="POST", body=s3_request())
    await wait_for(api, body["job"]["id"], until=lambda j: j["progress"]["done"] > 0)
    (app,) = jp_serverapp.extension_manager.extension_apps["cloudscapes"]
    await app.stop_extension()
    assert app.jobs.get(body["job"]["id"]).status == "cancelled"
    assert listing(jp_root_dir / "downloads") == []


#: an exabyte must stay free: no disk has that
NO_SPACE = {"free_space_margin": 10**18}


@pytest.mark.parametrize("data_config", [NO_SPACE])
async def test_not_enough_space_is_refused_before_anything_is_written(api, jp_root_dir):
    await sign_in(api)
    status, body = await api("data/downloads", method="POST", body=s3_request())
    assert status == 409
    error = body["error"]
    assert error["code"] == "insufficient_space"
    # sizes in human units: the object, the margin and what is free
    assert "3.1 MB" in error["message"]
    assert "1000000.0 TB" in error["message"]
    assert error["hint"]
    assert not (jp_root_dir / "downloads").exists()
    _, jobs = await api("jobs")
    assert jobs["jobs"] == []


async def test_an_existing_file_is_kept_unless_overwrite(api, jp_root_dir):
    await sign_in(api)
    folder = jp_root_dir / "downloads"
    folder.mkdir()
    (folder / "seaice_20240901.nc").write_bytes(b"my own work")
    status, body = await api("data/downloads", method="POST", body=s3_request())
    assert status == 409
    assert body["error"]["code"] == "file_exists"
    assert "downloads/seaice_20240901.nc" in body["error"]["message"]
    assert "overwrite" in body["error"]["hint"]
    assert (folder / "seaice_20240901.nc").read_bytes() == b"my own work"

    status, body = await api("data/downloads", method="POST", body=s3_request(overwrite=True))
    assert status == 202
    job = await wait_for(api, body["job"]["id"])
    assert job["status"] == "succeeded"
    assert (folder / "seaice_20240901.nc").read_bytes() == BIG


async def test_a_file_that_appears_during_the_download_is_kept(
    api, jp_root_dir, small_chunks, slow_disk
):
    await sign_in(api)
    _, body = await api("data/downloads", method="POST", body=s3_request())
    await wait_for(api, body["job"]["id"], until=lambda j: j["progress"]["done"] > 0)
    (jp_root_dir / "downloads" / "seaice_20240901.nc").write_bytes(b"saved meanwhile")
    job = await wait_for(api, body["job"]["id"])
    assert job["status"] == "failed"
    assert job["error"]["error"]["code"] == "file_exists"
    assert listing(jp_root_dir / "downloads") == ["seaice_20240901.nc"]
    assert (jp_root_dir / "downloads" / "seaice_20240901.nc").read_bytes() == b"saved meanwhile"


# ---- paths --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "directory", ["../x", "/etc", "a/../../x", "..", "ok/../../x", "C:\\x\\..\\.."]
)
async def test_directories_outside_the_root_are_refused(api, jp_root_dir, directory):
    await sign_in(api)
    status, body = await api("data/downloads", method="POST", body=s3_request(directory=directory))
    assert status == 400
    assert body["error"]["code"] == "invalid_directory"
    assert not (jp_root_dir.parent / "x").exists()
    assert listing(jp_root_dir) == []


async def test_a_symlink_out_of_the_root_is_refused(api, jp_root_dir, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (jp_root_dir / "elsewhere").symlink_to(outside)
    await sign_in(api)
    for directory in ("elsewhere", "elsewhere/deeper"):
        status, body = await api(
            "data/downloads", method="POST", body=s3_request(directory=directory)
        )
        assert status == 400, directory
        assert body["error"]["code"] == "invalid_directory"
        assert "outside" in body["error"]["message"]
    assert listing(outside) == []


async def test_a_symlink_inside_the_root_is_fine(api, jp_root_dir, small_chunks):
    (jp_root_dir / "real").mkdir()
    (jp_root_dir / "alias").symlink_to(jp_root_dir / "real")
    await sign_in(api)
    status, body = await api("data/downloads", method="POST", body=s3_request(directory="alias"))
    assert status == 202
    job = await wait_for(api, body["job"]["id"])
    assert job["result"]["paths"] == ["real/seaice_20240901.nc"]
    assert (jp_root_dir / "real" / "seaice_20240901.nc").read_bytes() == BIG


@pytest.mark.parametrize(
    "key", ["a/../../escape.txt", "downloads-test/", "downloads-test/.hidden", "./x", "a/./b"]
)
async def test_keys_that_do_not_name_a_plain_file_are_refused(api, jp_root_dir, key):
    await sign_in(api)
    status, body = await api("data/downloads", method="POST", body=s3_request(key=key))
    assert status == 400
    assert body["error"]["code"] == "invalid_file_name"
    assert listing(jp_root_dir) == []
    assert not (jp_root_dir.parent / "escape.txt").exists()


async def test_hidden_folders_are_refused(api, jp_root_dir):
    await sign_in(api)
    status, body = await api("data/downloads", method="POST", body=s3_request(directory=".ssh"))
    assert (status, body["error"]["code"]) == (400, "invalid_directory")
    assert not (jp_root_dir / ".ssh").exists()


async def test_the_root_itself_and_nested_new_folders(api, jp_root_dir):
    await sign_in(api)
    status, body = await api(
        "data/downloads", method="POST", body=s3_request(key="hello.txt", directory="")
    )
    assert status == 202
    job = await wait_for(api, body["job"]["id"])
    assert job["result"] == {"paths": ["hello.txt"], "bytes": 39}
    status, body = await api(
        "data/downloads", method="POST", body=s3_request(key="hello.txt", directory="a/b/c")
    )
    job = await wait_for(api, body["job"]["id"])
    assert job["result"]["paths"] == ["a/b/c/hello.txt"]
    assert (
        jp_root_dir / "a/b/c/hello.txt"
    ).read_text() == "Hello from the Cloudscapes demo bucket\n"


# ---- the request --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"granule": "G1-X", "object": {"source": NSIDC, "key": "k"}},
        {"object": {"source": NSIDC, "key": "k"}, "surprise": 1},
        {"object": {"source": NSIDC, "key": ""}},
        {"object": {"source": NSIDC, "key": "k", "extra": 1}},
        {"object": "s3://bucket/key"},
        {"object": {"source": NSIDC, "key": "k"}, "overwrite": "yes"},
        {"object": {"source": NSIDC, "key": "k"}, "directory": 3},
        {"granule": ""},
    ],
)
async def test_malformed_requests_are_400(api, body):
    status, answer = await api("data/downloads", method="POST", body=body)
    assert status == 400
    assert answer["error"]["message"]


async def test_s3_errors_before_starting(api, jp_root_dir):
    # not signed in: the DAAC's keys need Earthdata
    status, body = await api("data/downloads", method="POST", body=s3_request())
    assert (status, body["error"]["code"]) == (409, "earthdata_not_signed_in")
    await sign_in(api)
    status, body = await api("data/downloads", method="POST", body=s3_request(key="no/such.nc"))
    assert (status, body["error"]["code"]) == (404, "no_such_key")
    status, body = await api(
        "data/downloads",
        method="POST",
        body={"object": {"source": "nope", "key": "x.nc"}},
    )
    assert status == 404
    assert listing(jp_root_dir) == []


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


def token_of(earthdata_state) -> str:
    (token,) = [t for t in earthdata_state.tokens.values() if not t.revoked]
    return token.access_token


async def test_granule_download_completes(api, earthdata_state, jp_root_dir, trusted_data_host):
    await sign_in(api)
    granule = await demo_granule(api)
    name = "seaice_20240901.nc"
    assert granule["https_urls"][0].endswith("/" + name)
    earthdata_state.requests.clear()

    status, body = await api(
        "data/downloads", method="POST", body={"granule": granule["concept_id"]}
    )
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
    status, body = await api(
        "data/downloads", method="POST", body={"granule": granule["concept_id"]}
    )
    assert status == 202
    job = await wait_for(api, body["job"]["id"])
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
    status, body = await api(
        "data/downloads", method="POST", body={"granule": granule["concept_id"]}
    )
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
    status, body = await api(
        "data/downloads", method="POST", body={"granule": granule["concept_id"]}
    )
    assert status == 202
    job = await wait_for(api, body["job"]["id"])
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
    status, body = await api(
        "data/downloads", method="POST", body={"granule": granule["concept_id"]}
    )
    assert status == 202
    job = await wait_for(api, body["job"]["id"])
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
    status, body = await api(
        "data/downloads", method="POST", body={"granule": granule["concept_id"]}
    )
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
    status, body = await api(
        "data/downloads", method="POST", body={"granule": granule["concept_id"]}
    )
    assert (status, body["error"]["code"]) == (409, "insufficient_space")
    assert "47.7 kB" in body["error"]["message"]  # the granule's size, from CMR
    assert earthdata_state.requests_to("data") == []
    assert not (jp_root_dir / "downloads").exists()


async def test_an_existing_granule_file_is_kept(api, jp_root_dir, trusted_data_host):
    await sign_in(api)
    granule = await demo_granule(api)
    (jp_root_dir / "mine").mkdir()
    (jp_root_dir / "mine" / "seaice_20240901.nc").write_text("notes")
    status, body = await api(
        "data/downloads",
        method="POST",
        body={"granule": granule["concept_id"], "directory": "mine"},
    )
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
    status, body = await api(
        "data/downloads", method="POST", body={"granule": granule["concept_id"]}
    )
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
    status, body = await api(
        "data/downloads", method="POST", body={"granule": granule["concept_id"]}
    )
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
    status, body = await api(
        "data/downloads", method="POST", body={"granule": granule["concept_id"]}
    )
    assert status == 202
    job = await wait_for(api, body["job"]["id"])
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
    status, body = await api(
        "data/downloads", method="POST", body={"granule": granule["concept_id"]}
    )
    assert status == 202
    job = await wait_for(api, body["job"]["id"])
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
    status, body = await api("data/downloads", method="POST", body={"granule": first["concept_id"]})
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


async def test_stale_partial_files_of_a_killed_server_are_swept(jp_serverapp, jp_root_dir):
    service = data_service(jp_serverapp)
    folder = jp_root_dir / "downloads"
    folder.mkdir(exist_ok=True)
    stale = folder / ".seaice_20240901.nc.cloudscapes-part-0123456789ab"
    fresh = folder / ".seaice_20240902.nc.cloudscapes-part-ba9876543210"
    mine = folder / ".keep-me"
    done = folder / "seaice_20240903.nc"
    for path in (stale, fresh, mine, done):
        path.write_bytes(b"x")
    old = time.time() - 2 * 3600
    for path in (stale, mine, done):
        os.utime(path, (old, old))
    removed = service.downloads.sweep()
    # only the old partial file goes; a fresh one may be another server's running download
    assert removed == [stale.name]
    assert sorted(p.name for p in folder.iterdir()) == sorted([fresh.name, mine.name, done.name])


async def test_the_jobs_log_says_which_files_were_saved_or_failed(
    api, jp_root_dir, small_chunks, monkeypatch
):
    await sign_in(api)
    _, body = await api("data/downloads", method="POST", body=s3_request())
    job = await wait_for(api, body["job"]["id"])
    assert [(line["stream"], line["text"]) for line in job["log"]["lines"]] == [
        ("info", "Saved downloads/seaice_20240901.nc (3.1 MB)")
    ]

    def read_only(self, target, overwrite):
        raise OSError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(downloads_module.PartFile, "commit", read_only)
    _, body = await api("data/downloads", method="POST", body=s3_request(overwrite=True))
    job = await wait_for(api, body["job"]["id"])
    assert job["status"] == "failed"
    assert [line["text"] for line in job["log"]["lines"]] == [
        "Failed: seaice_20240901.nc: Could not write downloads/seaice_20240901.nc "
        "(Permission denied)."
    ]
