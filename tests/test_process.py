"""The subprocess runner with real processes: process groups that really die (a command
that ignores SIGTERM, grandchildren, a double fork), output that really is 100 MB,
secrets that really are in the server's environment."""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import sys
import time

import psutil
import pytest

from cloudscapes import process
from cloudscapes.process import KeyedLocks, ProcessError, run, safe_env

PY = sys.executable
MB = 1024 * 1024


def marker() -> str:
    """A `sleep` duration no other process uses: it finds our processes by argument."""
    return f"3000.{secrets.randbelow(10**9):09d}"


def alive(pgid: int | None = None, mark: str | None = None) -> list[str]:
    """Live processes of the group ``pgid`` or with ``mark`` in their arguments."""
    found = []
    for proc in psutil.process_iter(["pid", "cmdline", "status"]):
        try:
            if proc.info["status"] == psutil.STATUS_ZOMBIE or proc.pid == os.getpid():
                continue
            in_group = pgid is not None and os.getpgid(proc.pid) == pgid
            marked = mark is not None and mark in " ".join(proc.info["cmdline"] or [])
        except (ProcessLookupError, psutil.Error):
            continue
        if in_group or marked:
            found.append(f"{proc.pid} {' '.join(proc.info['cmdline'] or [])}")
    return found


class Leader:
    """on_line that learns the group from the command's first line (its pid)."""

    def __init__(self, keep: bool = True) -> None:
        self.pgid: int | None = None
        self.keep = keep
        self.lines: list[tuple[str, str]] = []
        self.count = 0
        self.ready = asyncio.Event()

    def __call__(self, stream: str, text: str) -> None:
        if self.pgid is None and stream == "stdout":
            self.pgid = int(text)
            self.ready.set()
            return
        self.count += 1
        if self.keep:
            self.lines.append((stream, text))


# ---- stopping -------------------------------------------------------------------------


async def test_a_command_that_ignores_sigterm_is_killed_at_the_timeout():
    mark, leader = marker(), Leader()
    script = f"trap '' TERM; echo $$; echo working; sleep {mark} & wait; wait"
    began = time.monotonic()
    with pytest.raises(ProcessError) as info:
        await run(["sh", "-c", script], timeout=1.0, grace=0.5, on_line=leader)
    took = time.monotonic() - began
    error = info.value
    assert (error.status, error.code) == (504, "process_timeout")
    assert "sh did not finish within 1 seconds" in error.message
    assert error.result is not None and "working" in error.result.stdout
    assert error.result.returncode == -9  # it took SIGKILL
    assert 1.4 <= took < 5, took  # timeout, then the grace before SIGKILL
    assert alive(leader.pgid, mark) == []


async def test_cancelling_kills_grandchildren_and_waits_for_them():
    mark, leader = marker(), Leader()
    task = asyncio.ensure_future(
        run(["sh", "-c", f"echo $$; sleep {mark} & sleep {mark} & wait"], on_line=leader)
    )
    await asyncio.wait_for(leader.ready.wait(), 10)
    await asyncio.sleep(0.2)
    assert len(alive(leader.pgid)) == 3  # sh and its two children run
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert alive(leader.pgid, mark) == []


DOUBLE_FORK = """
import os, sys, time
print(os.getpid(), flush=True)
if os.fork() == 0:          # child
    if os.fork() == 0:      # grandchild: orphaned when the child exits, same group
        os.execv("/bin/sleep", ["sleep", sys.argv[1]])
    os._exit(0)
os.wait()
time.sleep(float(sys.argv[2]))
"""


@pytest.mark.parametrize("how", ["exit", "cancel", "timeout"])
async def test_a_double_forked_grandchild_does_not_outlive_the_command(how):
    mark, leader = marker(), Leader()
    argv = [PY, "-c", DOUBLE_FORK, mark, "0" if how == "exit" else "300"]
    if how == "exit":
        # the command ends at once; its daemon is stopped before run returns
        result = await run(argv, on_line=leader, grace=0.5)
        assert result.ok
    elif how == "timeout":
        with pytest.raises(ProcessError):
            await run(argv, on_line=leader, timeout=1, grace=0.5)
    else:
        task = asyncio.ensure_future(run(argv, on_line=leader, grace=0.5))
        await asyncio.wait_for(leader.ready.wait(), 10)
        await asyncio.sleep(0.3)
        assert alive(mark=mark)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    assert alive(leader.pgid, mark) == []


async def test_a_second_cancel_during_the_cleanup_still_kills_everything():
    mark, leader = marker(), Leader()
    task = asyncio.ensure_future(
        run(
            ["sh", "-c", f"trap '' TERM; echo $$; sleep {mark} & wait; wait"],
            on_line=leader,
            grace=0.5,
        )
    )
    await asyncio.wait_for(leader.ready.wait(), 10)
    task.cancel()
    await asyncio.sleep(0.1)  # inside the grace period
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert alive(leader.pgid, mark) == []


async def test_stop_all_stops_every_running_command():
    mark = marker()
    tasks = [asyncio.ensure_future(run(["sleep", mark])) for _ in range(2)]
    await asyncio.sleep(0.3)
    assert len(alive(mark=mark)) == 2
    await process.stop_all()
    assert all(t.done() for t in tasks)
    assert alive(mark=mark) == []


# ---- output ---------------------------------------------------------------------------


class RssPeak:
    """Samples this process's memory while a command runs."""

    def __init__(self) -> None:
        self.me = psutil.Process()
        self.start = self.me.memory_info().rss
        self.peak = self.start
        self._task = asyncio.ensure_future(self._sample())

    async def _sample(self) -> None:
        while True:
            self.peak = max(self.peak, self.me.memory_info().rss)
            await asyncio.sleep(0.005)

    def stop(self) -> int:
        self._task.cancel()
        self.peak = max(self.peak, self.me.memory_info().rss)
        return self.peak - self.start


async def test_100_mb_of_output_streams_with_bounded_memory():
    counted = {"stdout": 0, "stderr": 0, "longest": 0}

    def on_line(stream, text):
        counted[stream] += 1
        counted["longest"] = max(counted["longest"], len(text))

    # 100 MB of 1,000-byte lines on stdout, 100 MB of one line without newline on stderr
    script = (
        "import sys\n"
        "line = b'x' * 999 + b'\\n'\n"
        "for i in range(100 * 1024 * 1024 // 1000): sys.stdout.buffer.write(line)\n"
        "sys.stdout.flush()\n"
        "for i in range(100): sys.stderr.buffer.write(b'y' * 1024 * 1024)\n"
        "sys.stderr.buffer.write(b'THE END')\n"
    )
    peak = RssPeak()
    result = await run([PY, "-c", script], on_line=on_line, capture_bytes=100_000)
    growth = peak.stop()
    assert result.ok
    assert growth < 50 * MB, f"memory grew by {growth / MB:.0f} MB"
    assert counted["stdout"] == 100 * MB // 1000
    # the line without end came in pieces of at most MAX_LINE bytes
    assert counted["stderr"] == -(-(100 * MB + 7) // process.MAX_LINE)
    assert counted["longest"] == process.MAX_LINE
    # stdout keeps its start, stderr its end, both bounded
    assert len(result.stdout) == 100_000 and result.stdout_truncated
    assert result.stdout.startswith("x" * 999 + "\n")
    assert len(result.stderr) == 100_000 and result.stderr_truncated
    assert result.stderr.endswith("yyyTHE END")


async def test_a_flood_of_output_is_stopped_at_once_on_cancel():
    leader = Leader(keep=False)
    script = (
        "import os, sys\nprint(os.getpid(), flush=True)\nwhile True: sys.stdout.write('z' * 4096)\n"
    )
    peak = RssPeak()
    task = asyncio.ensure_future(run([PY, "-c", script], on_line=leader))
    await asyncio.wait_for(leader.ready.wait(), 10)
    await asyncio.sleep(1.0)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert peak.stop() < 50 * MB
    assert leader.count > 100  # it was printing (64 kB pieces) all along
    assert alive(leader.pgid) == []


async def test_lines_arrive_as_printed_per_stream():
    lines = []
    script = (
        "import sys, time\n"
        "print('first', flush=True)\n"
        "print('oops', file=sys.stderr, flush=True)\n"
        "sys.stdout.write('windows\\r\\nbytes \\xff?\\n'.replace('\\xff', chr(0xe9)))\n"
        "sys.stdout.flush()\n"
        "sys.stdout.buffer.write(b'\\xff\\xfe bad utf-8\\n\\x1b[31mred\\x1b[0m\\n\\nlast')\n"
    )
    result = await run([PY, "-c", script], on_line=lambda s, t: lines.append((s, t)))
    assert [t for s, t in lines if s == "stdout"] == [
        "first",
        "windows",
        "bytes \u00e9?",
        "\ufffd\ufffd bad utf-8",
        "\x1b[31mred\x1b[0m",  # escapes kept: the browser renders or strips them
        "",
        "last",
    ]
    assert [t for s, t in lines if s == "stderr"] == ["oops"]
    assert result.stderr == "oops\n"
    assert not result.stdout_truncated and result.stdout.endswith("\n\nlast")


async def test_a_progress_bar_redrawn_with_cr_streams_piece_by_piece(tmp_path):
    """git, uv and conda redraw their bars with a lone \\r: each state reaches on_line
    while the command still runs, not as one line at its end."""
    done = tmp_path / "done"
    script = (
        "import sys, time\n"
        "for step in ('10%\\r', '20%\\r', '30%\\n', 'crlf\\r', '\\nafter\\n'):\n"
        "    sys.stdout.write(step); sys.stdout.flush(); time.sleep(0.3)\n"
        f"open({str(done)!r}, 'w').close()\n"
    )
    arrived = []

    def on_line(stream, text):
        arrived.append((text, done.exists()))

    await run([PY, "-c", script], on_line=on_line)
    assert [text for text, _ in arrived] == ["10%", "20%", "30%", "crlf", "after"]
    # a CRLF split across two writes is still one line break (no empty line between)
    assert [finished for _, finished in arrived] == [False] * 5


async def test_an_async_on_line_gets_back_pressure():
    seen = []

    async def slow(stream, text):
        await asyncio.sleep(0.01)
        seen.append(text)

    result = await run([PY, "-c", "for i in range(20): print(i)"], on_line=slow)
    assert seen == [str(i) for i in range(20)] and result.ok


async def test_an_on_line_that_fails_stops_the_command():
    mark = marker()

    def broken(stream, text):
        raise RuntimeError("bad callback")

    with pytest.raises(RuntimeError, match="bad callback"):
        await run(["sh", "-c", f"echo hi; sleep {mark}"], on_line=broken)
    assert alive(mark=mark) == []


async def test_input_goes_to_stdin_and_without_it_stdin_is_empty():
    result = await run(["cat"], input="line 1\nline 2\n")
    assert result.stdout == "line 1\nline 2\n"
    # without input, a program that reads stdin sees its end at once (no prompt waits)
    result = await run([PY, "-c", "import sys; print(repr(sys.stdin.read()))"], timeout=10)
    assert result.stdout == "''\n"


# ---- arguments, errors ----------------------------------------------------------------


async def test_arguments_are_passed_as_they_are(tmp_path):
    tool = tmp_path / "-dash-tool"
    tool.write_text(f"#!{PY}\nimport json, sys\nprint(json.dumps(sys.argv[1:]))\n")
    tool.chmod(0o755)
    args = ["-rf", "two words", "line\nbreak", "$HOME", "; rm -rf /", "*", "--", "é"]
    result = await run(["-dash-tool", *args], env={"PATH": str(tmp_path)})
    assert json.loads(result.stdout) == args
    with pytest.raises(TypeError):
        await run("echo hello")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        await run([])


async def test_a_missing_program_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_secretvalue")
    with pytest.raises(ProcessError) as info:
        await run(["no-such-tool-xyz", "https://user:pw-in-url@example.com"])
    error = info.value
    assert (error.status, error.code) == (503, "command_not_found")
    assert "no-such-tool-xyz is not installed" in error.message
    text = json.dumps(error.to_json())
    assert "pw-in-url" not in text and "ghp_secretvalue" not in text


async def test_a_missing_working_folder_is_not_a_missing_program(tmp_path):
    with pytest.raises(ProcessError) as info:
        await run(["ls"], cwd=tmp_path / "gone")
    assert info.value.code == "command_not_runnable"
    assert "working folder" in info.value.message


async def test_exit_status_and_working_folder(tmp_path):
    result = await run(["sh", "-c", "pwd; exit 3"], cwd=tmp_path)
    assert (result.returncode, result.ok) == (3, False)
    assert result.stdout.strip() == str(tmp_path)
    assert result.duration > 0


# ---- environment ----------------------------------------------------------------------

SECRETS = {
    "JUPYTERHUB_API_TOKEN": "hub-secret",
    "JPY_API_TOKEN": "jpy-secret",
    "EARTHDATA_TOKEN": "edl-secret",
    "EARTHDATA_PASSWORD": "edl-password",
    "AWS_ACCESS_KEY_ID": "AKIASECRET",
    "AWS_SECRET_ACCESS_KEY": "aws-secret",
    "AWS_SESSION_TOKEN": "aws-session",
    "GH_TOKEN": "gh-secret",
    "MY_SERVICE_TOKEN": "suffix-secret",
    "db_password": "lowercase-secret",
    "OAUTH_CLIENT_SECRET": "client-secret",
    "PGPASSWORD": "postgres-secret",  # no underscore before PASSWORD
    "MYSQL_PWD": "mysql-secret",
    "GITLAB_PAT": "pat-secret",
    "SMTP_PASS": "smtp-secret",
    "GOOGLE_CREDENTIALS": "gcp-secret",
    "Service_Token_Value": "mixed-case-secret",
}
#: Names that look like secrets and are not: paths to one, the working folder.
NOT_SECRETS = {
    "AWS_WEB_IDENTITY_TOKEN_FILE": "/var/run/secrets/eks/token",
    "AWS_SHARED_CREDENTIALS_FILE": "/home/jovyan/.aws/credentials",
    "PWD": "/home/jovyan",
    "GIT_ASKPASS": "/usr/bin/askpass",
    "PATHEXT": ".py",
}

PRINT_ENV = [PY, "-c", "import json, os; print(json.dumps(dict(os.environ)))"]


async def test_secrets_in_the_servers_environment_do_not_reach_the_command(monkeypatch):
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)
    for name, value in NOT_SECRETS.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("CLOUDSCAPES_PLAIN", "visible")
    seen = json.loads((await run(PRINT_ENV)).stdout)
    assert not set(SECRETS) & set(seen)
    assert {name: seen.get(name) for name in NOT_SECRETS} == NOT_SECRETS
    assert not any(v in json.dumps(seen) for v in SECRETS.values())
    assert seen["CLOUDSCAPES_PLAIN"] == "visible" and seen["PATH"] == os.environ["PATH"]


async def test_a_secret_passes_only_when_kept_or_given_on_purpose(monkeypatch):
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("DROP_ME", "x")
    result = await run(
        PRINT_ENV,
        keep_env=["EARTHDATA_TOKEN"],
        env={"GIT_TERMINAL_PROMPT": "0", "ASKPASS_TOKEN": "given", "DROP_ME": None},
    )
    seen = json.loads(result.stdout)
    assert seen["EARTHDATA_TOKEN"] == "edl-secret"
    assert seen["ASKPASS_TOKEN"] == "given" and seen["GIT_TERMINAL_PROMPT"] == "0"
    assert "DROP_ME" not in seen
    assert not (set(SECRETS) - {"EARTHDATA_TOKEN"}) & set(seen)
    assert safe_env(keep=["GH_TOKEN"])["GH_TOKEN"] == "gh-secret"


# ---- keyed locks ----------------------------------------------------------------------


async def test_keyed_locks_serialize_one_key_and_not_others():
    locks = KeyedLocks()
    inside: dict[str, int] = {}
    most: dict[str, int] = {}
    order: list[str] = []

    async def job(key: str, name: str) -> None:
        async with locks(key):
            inside[key] = inside.get(key, 0) + 1
            most[key] = max(most.get(key, 0), inside[key])
            order.append(f"{name} in")
            await asyncio.sleep(0.05)
            order.append(f"{name} out")
            inside[key] -= 1

    began = time.monotonic()
    await asyncio.gather(
        job("repo:/a", "a1"), job("repo:/a", "a2"), job("repo:/a", "a3"), job("repo:/b", "b1")
    )
    took = time.monotonic() - began
    assert most == {"repo:/a": 1, "repo:/b": 1}
    assert order.index("a1 out") < order.index("a2 in") < order.index("a2 out")
    assert order.index("b1 in") < order.index("a1 out")  # b did not wait for a
    assert 0.15 <= took < 0.5
    assert len(locks) == 0  # unused keys are dropped


async def test_a_cancelled_waiter_leaves_the_lock_usable():
    locks = KeyedLocks()
    release = asyncio.Event()

    async def holder():
        async with locks("env:x"):
            await release.wait()

    first = asyncio.ensure_future(holder())
    await asyncio.sleep(0.01)
    waiter = asyncio.ensure_future(holder())
    await asyncio.sleep(0.01)
    assert locks.locked("env:x") and len(locks) == 1
    waiter.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiter
    release.set()
    await first
    assert len(locks) == 0 and not locks.locked("env:x")
    async with locks("env:x"):
        assert locks.locked("env:x")
