"""Offline: every page works from file:// with every non-file request blocked, and none is even attempted.

The ``open_page`` fixture aborts and records any request that is not for a ``file://`` URL (and fails the test at
teardown if there was one). Here every page of every edition is opened that way; a page must attempt no such
request, raise no script error, and load every local file it asks for. On exercise pages every item is then
answered and checked (or saved), and its ``role="status"`` region must say something: the items still work.
"""

from __future__ import annotations

import random
import re

import pytest
from conftest import EDITIONS
from swpage import answer, multi_rows, random_response, submit

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
def test_every_page_works_offline(name, editions, open_page):
    edition = editions[name]
    items = edition.items
    rng = random.Random(3)
    problems: list[str] = []
    for path in edition.pages():
        opened = open_page(edition, edition.rel(path))
        page = opened.page
        for item_id in page.eval_on_selector_all("section.sw-item", "s => s.map(e => e.dataset.swId)"):
            item = items[item_id]
            answer(page, item, random_response(item, rng, multi_rows=multi_rows(page, item_id)))
            said = submit(page, item_id)
            if not said.strip():
                problems.append(f"{edition.rel(path)}: {item_id} said nothing after Check/Save")
        page.wait_for_timeout(100)  # let late requests (async scripts, fonts) show themselves
        problems += [f"{edition.rel(path)}: blocked request {r}" for r in opened.external]
        problems += [f"{edition.rel(path)}: script error: {e}" for e in opened.errors]
        problems += [f"{edition.rel(path)}: local file did not load: {f}" for f in opened.failed]
        opened.context.close()
    assert not problems, f"{len(problems)} problem(s) offline in the {name} edition:\n" + "\n".join(problems)


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
