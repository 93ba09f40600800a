"""Screenshots for people: one per item type in each edition, after the item was answered and checked or saved.

Written to ``test-artifacts/screenshots/<edition>/<type>.png`` (the item with its feedback) and
``<type>-page.png`` (the browser window at that item, theme and all), kept for a person to look at.
"""

from __future__ import annotations

import pytest
from conftest import ARTIFACTS, EDITIONS
from swpage import answer, item_selector, key_response, multi_rows, submit
from test_keyboard import TYPES, first_item_of

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("name", EDITIONS)
def test_screenshot_of_each_item_type(name, editions, open_page):
    edition = editions[name]
    folder = ARTIFACTS / "screenshots" / name
    folder.mkdir(parents=True, exist_ok=True)
    for kind in TYPES:
        item, path = first_item_of(edition, kind)
        opened = open_page(edition, edition.rel(path), viewport={"width": 1280, "height": 1000})
        page = opened.page
        answer(page, item, key_response(item, multi_rows=multi_rows(page, item.id)))
        submit(page, item.id)
        section = page.locator(item_selector(item.id))
        section.scroll_into_view_if_needed()
        page.mouse.move(0, 0)
        section.screenshot(path=folder / f"{kind}.png", animations="disabled")
        page.evaluate("s => document.querySelector(s).scrollIntoView({block: 'start'})", item_selector(item.id))
        page.screenshot(path=folder / f"{kind}-page.png", animations="disabled")
        opened.context.close()
        for shot in (folder / f"{kind}.png", folder / f"{kind}-page.png"):
            assert shot.stat().st_size > 2000, f"{shot} looks empty"
