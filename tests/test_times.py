"""Times as Cloudscapes writes them read back on every supported Python.

``datetime.fromisoformat`` takes a trailing ``Z`` only from Python 3.11, and every time
Cloudscapes answers with ends in ``Z``: a job's ``since`` sent back on Python 3.10 was a
400. ``Py310Datetime`` refuses a ``Z`` as 3.10 does, so these fail on any Python if a
parser hands the ``Z`` to ``fromisoformat``.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from cloudscapes import handlers, jobs
from cloudscapes.handlers import CloudscapesError, isoformat, parse_time
from cloudscapes.usage import hub

TIMES = [
    datetime(2026, 1, 1, 12, 0, 0, 1, tzinfo=timezone.utc),
    datetime(2026, 12, 31, 23, 59, 59, 999999, tzinfo=timezone.utc),
    datetime(2026, 6, 1, 8, 30, tzinfo=timezone(timedelta(hours=-7))),
    datetime(2026, 6, 1, 0, 0, tzinfo=timezone.utc),
]


class Py310Datetime(datetime):
    """``datetime`` whose ``fromisoformat`` refuses a ``Z`` suffix, as Python 3.10's does."""

    @classmethod
    def fromisoformat(cls, date_string: str) -> datetime:  # type: ignore[override]
        if date_string.endswith("Z"):
            raise ValueError(f"Invalid isoformat string: {date_string!r}")
        return datetime.fromisoformat(date_string)


@pytest.fixture(autouse=True)
def python_310(monkeypatch):
    for module in (handlers, jobs, hub):
        monkeypatch.setattr(module, "datetime", Py310Datetime, raising=False)


@pytest.mark.parametrize("value", TIMES)
def test_a_job_time_reads_back_as_the_same_time(value):
    text = jobs.job_time(value)
    assert text.endswith("Z")
    assert jobs.parse_since(text) == value
    assert jobs.job_time(jobs.parse_since(text)) == text  # what the client sends back as since


@pytest.mark.parametrize("value", TIMES)
def test_every_answer_time_reads_back(value):
    assert parse_time(isoformat(value)) == value
    assert hub._parse_time(isoformat(value)) == value  # the hub writes times the same way


def test_a_time_that_is_not_one_is_still_refused():
    with pytest.raises(ValueError):
        parse_time("yesterday")
    with pytest.raises(CloudscapesError) as err:
        jobs.parse_since("2026-01-01T12:00:00")  # no zone: not a time the server wrote
    assert err.value.status == 400
    assert hub._parse_time("not a time") is None
