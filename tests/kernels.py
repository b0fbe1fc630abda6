"""Code run as a kernel would run it: in a fresh Python process."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys


async def run_python(code: str, env: dict[str, str] | None = None, timeout: float = 120) -> str:
    """Run ``code`` in a fresh Python with the environment ``env`` (default: this
    process's); its stdout. Asynchronous, because the stand-ins and the local clusters'
    schedulers run on the test's event loop and must keep answering."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        code,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=dict(os.environ) if env is None else env,
    )
    out, err = await asyncio.wait_for(process.communicate(), timeout)
    assert process.returncode == 0, err.decode()[-3000:]
    return out.decode()
