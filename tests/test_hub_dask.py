"""A local Dask cluster started through the hub, and its dashboard as the lab page's
iframe loads it: under jupyterhub-singleuser, whose answers all say
``frame-ancestors 'none'``, a dashboard must say ``frame-ancestors 'self'`` itself."""

from __future__ import annotations

from cloudscapes.testing.fixtures.realhub import DEFAULT
from cloudscapes.testing.realhub import until

from .conftest import CONTRACT, SEEN


def policies(response) -> list[str]:
    """Every Content-Security-Policy header of an answer, as the browser applies them
    (all of them: a frame is shown only if each policy allows it)."""
    return [v for k, v in response.raw.headers.items() if k.lower() == "content-security-policy"]


def frame_ancestors(policy: str) -> str | None:
    for directive in policy.split(";"):
        name, _, value = directive.strip().partition(" ")
        if name == "frame-ancestors":
            return value.strip()
    return None


def test_a_dask_dashboard_through_the_hub_may_be_framed_by_the_lab_page(hub_browser):
    browser = hub_browser(DEFAULT)
    # the hub's own header on an ordinary answer of the server: never framed
    lab = browser.lab
    assert "'none'" in [frame_ancestors(p) for p in policies(lab)], policies(lab)

    started = browser.call("POST", "cloudscapes/dask/clusters", {"backend": "local", "workers": 1})
    assert started.status_code == 202, started.text[:300]
    cluster_id, job_id = started.json()["cluster"]["id"], started.json()["job"]["id"]

    def finished() -> dict | None:
        job = browser.call("GET", f"cloudscapes/jobs/{job_id}", params={"no_track_activity": "1"})
        done = job.json()["status"] in ("succeeded", "failed", "cancelled")
        return job.json() if done else None

    try:
        job = until(finished, 120, every=0.5, what="the cluster to start")
        assert job["status"] == "succeeded", job
        plots = browser.call("GET", f"cloudscapes/dask/clusters/{cluster_id}/plots")
        assert plots.status_code == 200
        CONTRACT.validate("GET", "/cloudscapes/dask/clusters/{id}/plots", 200, plots.content)
        stream = plots.json()["plots"][0]
        # the URL the pane's iframe loads, under the user's prefix on the hub
        assert stream["url"].startswith(f"/user/{DEFAULT}/cloudscapes/dask/clusters/")
        pane = browser.session.get(f"{browser.url}{stream['url']}", timeout=60)
        assert pane.status_code == 200 and pane.headers["Content-Type"].startswith("text/html")
        assert b"static/js/bokeh" in pane.content
        SEEN.add(("get", "/cloudscapes/dask/clusters/{id}/dashboard/{path}", 200))
        ancestors = [frame_ancestors(p) for p in policies(pane)]
        # each policy must allow the lab page (same origin) to frame the dashboard
        assert ancestors and all(a == "'self'" for a in ancestors), policies(pane)
    finally:
        stopped = browser.call("DELETE", f"cloudscapes/dask/clusters/{cluster_id}")
        assert stopped.status_code == 200, stopped.text[:300]
