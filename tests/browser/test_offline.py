"""Offline: every page works from file:// with every non-file request blocked, and none is even attempted.

The ``open_page`` fixture aborts and records any request that is not for a ``file://`` URL (and fails the test at
teardown if there was one). Every page of every edition is opened that way in tests/browser/test_a11y.py's one visit
per page (``test_every_page_accessible_and_offline_as_loaded_and_after_use``): a page must attempt no such request,
raise no script error, and load every local file it asks for, and on exercise pages every item, answered and checked
(or saved), must say something in its ``role="status"`` region. Here: no page names a resource elsewhere, and the
redirect pages lead into the book.
"""

from __future__ import annotations

import re

import pytest
from conftest import EDITIONS

pytestmark = pytest.mark.browser

# Resources a page loads by itself (not links a reader follows).
RESOURCE = re.compile(
    r"<(?:script|img|iframe|source|video|audio|embed)\b[^>]*?\bsrc=[\"']([^\"']+)[\"']"
    r"|<link\b(?=[^>]*\brel=[\"'](?:stylesheet|preload|modulepreload|icon|shortcut icon|manifest)[\"'])"
    r"[^>]*?\bhref=[\"']([^\"']+)[\"']",
    re.IGNORECASE,
)


@pytest.mark.parametrize("name", EDITIONS)
def test_no_page_references_a_resource_elsewhere(name, editions):
    """Static check: no script, style, image or frame is loaded from another origin or a protocol-relative URL."""
    edition = editions[name]
    found = []
    for path in edition.pages():
        for match in RESOURCE.finditer(path.read_text("utf-8", errors="replace")):
            url = match.group(1) or match.group(2)
            if re.match(r"^(?:[a-z][a-z0-9+.-]*:|//)", url, re.IGNORECASE) and not url.startswith("data:"):
                found.append(f"{edition.rel(path)}: {url}")
    assert not found, "resources from elsewhere:\n" + "\n".join(found)


@pytest.mark.parametrize("name", EDITIONS)
def test_redirect_stubs_lead_to_a_page_of_the_book(name, editions, open_page):
    edition = editions[name]
    index = edition.html / "index.html"
    opened = open_page(edition, "index.html", wait=False)
    opened.page.wait_for_url(lambda url: url != index.as_uri(), timeout=5000)
    opened.ready()
    landed = opened.page.url.split("#")[0]
    assert landed.startswith(edition.html.as_uri()) and landed.endswith(".html")
    assert not opened.external
