"""Downloads of S3 objects as jobs, through the real routes: ``POST
/cloudscapes/data/downloads`` and ``/cloudscapes/jobs/{id}``, against moto S3 (keys the
DAAC stand-in issued); and the checks of the request and the folder every download makes.
Granules over HTTPS are in test_data_downloads_https.py.

What a user would notice is asserted: the file on disk (its bytes), the job's status and
message, and what is left in the folder (never a partial file)."""

from __future__ import annotations

import asyncio
import errno
import hashlib
import json
import os
import time

import pytest

from cloudscapes.data.files import PartFile
from cloudscapes.testing.datasets import (
    DEMO_PUBLIC_BUCKET,
    PUBLIC_NETCDF_KEY,
    demo_granule_files,
)
from cloudscapes.testing.earthdata import DEMO_BUCKET

from . import downloading
from .downloading import NO_SPACE, data_service, listing, sign_in, wait_for

# Every test of this module talks to the NASA stand-ins (EDL, DAACs, CMR, moto S3).
pytestmark = pytest.mark.usefixtures("earthdata")

#: many chunks per download in every test here (a fixture)
data_config = downloading.data_config

NSIDC = "earthdata:nsidc"
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


@pytest.fixture
def small_chunks(data_config):
    assert data_config["download_chunk"] == 64 * 1024


@pytest.fixture
def slow_disk(monkeypatch):
    """Each chunk takes a moment to write, so a test can act mid-download."""
    write = PartFile.write

    def slow(self, data):
        import time

        time.sleep(0.02)
        write(self, data)

    monkeypatch.setattr(PartFile, "write", slow)


def s3_request(key: str = BIG_KEY, **extra) -> dict:
    return {"object": {"source": NSIDC, "bucket": DEMO_BUCKET, "key": key}, **extra}


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
    write = PartFile.write

    def full_disk(self, data):
        if self.size >= 1024 * 1024:
            raise OSError(errno.ENOSPC, "No space left on device")
        write(self, data)

    monkeypatch.setattr(PartFile, "write", full_disk)
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

    monkeypatch.setattr(PartFile, "commit", read_only)
    _, body = await api("data/downloads", method="POST", body=s3_request(overwrite=True))
    job = await wait_for(api, body["job"]["id"])
    assert job["status"] == "failed"
    assert [line["text"] for line in job["log"]["lines"]] == [
        "Failed: seaice_20240901.nc: Could not write downloads/seaice_20240901.nc "
        "(Permission denied)."
    ]
