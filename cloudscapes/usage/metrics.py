"""Resource measurements: memory and CPU of the server and its kernels, disk, limits."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import psutil

CGROUP_ROOT = Path("/sys/fs/cgroup")


@dataclass
class Limit:
    value: float
    source: str  # "env", "cgroup" or "host"


def _read(path: Path) -> str | None:
    try:
        return path.read_text().strip()
    except OSError:
        return None


def _env_number(name: str) -> float | None:
    try:
        return float(os.environ.get(name, "").strip())
    except ValueError:
        return None


def memory_limit(cgroup_root: Path = CGROUP_ROOT) -> Limit:
    """``MEM_LIMIT`` (bytes, set by spawners), else the cgroup limit, else host memory."""
    host = psutil.virtual_memory().total
    env = _env_number("MEM_LIMIT")
    if env:
        return Limit(env, "env")
    for candidate in (
        cgroup_root / "memory.max",  # cgroup v2
        cgroup_root / "memory" / "memory.limit_in_bytes",  # cgroup v1
    ):
        text = _read(candidate)
        if text and text != "max":
            try:
                value = float(text)
            except ValueError:
                continue
            if 0 < value < host:  # v1 reports a huge number when unlimited
                return Limit(value, "cgroup")
    return Limit(float(host), "host")


def cpu_limit(cgroup_root: Path = CGROUP_ROOT) -> Limit:
    """``CPU_LIMIT`` (cores), else the cgroup quota, else the host's cores."""
    host = float(psutil.cpu_count() or 1)
    env = _env_number("CPU_LIMIT")
    if env:
        return Limit(env, "env")
    text = _read(cgroup_root / "cpu.max")  # cgroup v2: "<quota|max> <period>"
    if text:
        quota, _, period = text.partition(" ")
        if quota != "max":
            try:
                return Limit(min(host, float(quota) / float(period)), "cgroup")
            except (ValueError, ZeroDivisionError):
                pass
    quota_text = _read(cgroup_root / "cpu" / "cpu.cfs_quota_us")  # cgroup v1
    period_text = _read(cgroup_root / "cpu" / "cpu.cfs_period_us")
    if quota_text and period_text:
        try:
            quota_v1, period_v1 = float(quota_text), float(period_text)
            if quota_v1 > 0 and period_v1 > 0:
                return Limit(min(host, quota_v1 / period_v1), "cgroup")
        except ValueError:
            pass
    return Limit(host, "host")


class ProcessTreeSampler:
    """Memory and CPU of this server process and all its descendants (kernels).

    CPU percentages need two readings of the same process; this keeps one
    ``psutil.Process`` per live process between samples, so each sample measures
    the interval since the previous one instead of blocking to measure.
    """

    def __init__(self, pid: int | None = None) -> None:
        self._root = psutil.Process(pid)
        self._root.cpu_percent(None)
        self._known: dict[tuple[int, float], psutil.Process] = {}

    def _processes(self) -> list[psutil.Process]:
        try:
            children = self._root.children(recursive=True)
        except psutil.Error:
            children = []
        live: dict[tuple[int, float], psutil.Process] = {}
        for child in children:
            try:
                key = (child.pid, child.create_time())
            except psutil.Error:
                continue
            known = self._known.get(key)
            if known is None:
                known = child
                try:
                    known.cpu_percent(None)  # start its measurement interval
                except psutil.Error:
                    continue
            live[key] = known
        self._known = live
        return [self._root, *live.values()]

    def sample(self) -> tuple[int, float]:
        """(resident bytes, CPU percent of one core) summed over the tree."""
        rss = 0
        cpu = 0.0
        for proc in self._processes():
            try:
                with proc.oneshot():
                    rss += proc.memory_info().rss
                    cpu += proc.cpu_percent(None)
            except psutil.Error:
                continue
        return rss, cpu


def disk_usage(path: str) -> tuple[int, int]:
    """(used, total) bytes of the file system holding ``path``."""
    usage = shutil.disk_usage(path)
    return usage.total - usage.free, usage.total
