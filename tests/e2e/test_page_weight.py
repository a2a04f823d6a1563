"""The landing page is light enough for a cheap phone on a slow, paid-by-the-megabyte link:
a small page and one small stylesheet from our own server, no scripts, nothing else."""

from __future__ import annotations

from urllib.parse import urlsplit

from playwright.sync_api import Page, Request

MOST_HTML_BYTES = 30_000
MOST_CSS_BYTES = 15_000


def test_landing_page_loads_a_small_page_and_stylesheet_and_nothing_else(
    page: Page, live_server: str
) -> None:
    requests: list[Request] = []
    page.on("request", lambda request: requests.append(request))
    response = page.goto(live_server + "/")
    page.wait_for_load_state("load")
    assert response is not None and response.ok

    assert {urlsplit(r.url).hostname for r in requests} == {"127.0.0.1"}
    assert [r.url for r in requests if r.resource_type == "script" or ".js" in r.url] == []
    assert page.locator("script").count() == 0
    kinds = sorted(r.resource_type for r in requests)
    assert kinds == ["document", "stylesheet"], [r.url for r in requests]

    assert len(response.body()) < MOST_HTML_BYTES
    stylesheet = next(r for r in requests if r.resource_type == "stylesheet").response()
    assert stylesheet is not None and stylesheet.ok
    assert len(stylesheet.body()) < MOST_CSS_BYTES
