"""Persistence: a reload restores every answer; damaged or refused storage leaves a working page with a notice."""

from __future__ import annotations

import random

import pytest
from conftest import EDITIONS, built_hashes
from swpage import answer, item_selector, multi_rows, random_response, saved_records, submit, widget_response

pytestmark = pytest.mark.browser

STUDENT = ("Rey Reload", "p-42")


@pytest.mark.parametrize("name", EDITIONS)
def test_every_page_saves_under_the_current_content_hash(name, editions):
    """Answers are stored under the exercises' content hash; a page written with an older hash (an incremental
    build that did not rewrite it) saves where the download, the progress page and the other pages never look."""
    from sourcework.core.model import content_hash

    edition = editions[name]
    current = content_hash(edition.sets)
    found = built_hashes(edition.html)
    stale = {h: pages for h, pages in found.items() if h != current}
    assert not stale, (f"pages of the {name} edition written with another content hash than the exercises' "
                       f"{current[:12]}…: " + "; ".join(f"{h[:12]}…: {', '.join(p[:8])}" for h, p in stale.items()))


def richest_page(edition):
    """The exercise page with the most item types (the first such page)."""
    def kinds(path):
        return sum(f'data-sw-type="{t}"' in path.read_text("utf-8") for t in
                   ("choice", "select", "grid", "mark", "numeric", "order", "two-part", "response"))
    return max(edition.exercise_pages(), key=kinds)


def answer_all(page, edition, seed: int) -> dict:
    rng = random.Random(seed)
    given = {}
    for item_id in page.eval_on_selector_all("section.sw-item", "s => s.map(e => e.dataset.swId)"):
        item = edition.items[item_id]
        answer(page, item, random_response(item, rng, multi_rows=multi_rows(page, item_id)))
        given[item_id] = widget_response(page, item_id)
    return given


@pytest.mark.parametrize("name", ["practice", "assessment"])
def test_reload_restores_answers_and_name(name, editions, open_page):
    edition = editions[name]
    opened = open_page(edition, edition.rel(richest_page(edition)))
    page = opened.page
    given = answer_all(page, edition, seed=5)
    assert given and all(v is not None for v in given.values())
    page.locator(".sw-set .sw-student-name").first.fill(STUDENT[0])
    page.locator(".sw-set .sw-student-id").first.fill(STUDENT[1])
    opened.reload()
    restored = {item_id: widget_response(page, item_id) for item_id in given}
    assert restored == given
    assert page.locator(".sw-set .sw-student-name").first.input_value() == STUDENT[0]
    assert page.locator(".sw-set .sw-student-id").first.input_value() == STUDENT[1]
    # A restored answer is a saved answer: nothing is flagged as a problem.
    notes = [t for t in page.locator(".sw-feedback").all_inner_texts() if t.strip()]
    assert not notes, notes


CORRUPTIONS = (
    "{not json",                                                       # not JSON at all
    "null",                                                            # JSON, not a record
    '{"response": 42, "itemHash": "x", "savedAt": "now"}',           # a record for another version
    "[1, 2, 3]",
    '{"response": {"nested": [[[]]]}, "itemHash": "%s", "savedAt": "now"}',  # right hash, wrong shape
)


@pytest.mark.parametrize("name", ["practice", "assessment"])
def test_corrupt_storage_leaves_a_working_page_with_a_notice(name, editions, open_page):
    edition = editions[name]
    opened = open_page(edition, edition.rel(richest_page(edition)))
    page = opened.page
    answer_all(page, edition, seed=9)
    page.locator(".sw-set .sw-student-name").first.fill(STUDENT[0])
    keys = page.evaluate("() => Object.keys(localStorage).filter(k => k.startsWith('sourcework:'))")
    item_keys = [k for k in keys if k.rsplit(":", 1)[-1] in edition.items]
    assert item_keys, f"nothing was saved: {keys}"
    hashes = dict(page.eval_on_selector_all("section.sw-item", "s => s.map(e => [e.dataset.swId, e.dataset.swHash])"))
    damaged = {}
    for n, key in enumerate(sorted(keys)):
        item_id = key.rsplit(":", 1)[-1]
        text = CORRUPTIONS[n % len(CORRUPTIONS)]
        text = text % hashes.get(item_id, "") if "%s" in text else text
        damaged[item_id] = text
        page.evaluate("([k, v]) => localStorage.setItem(k, v)", [key, text])
    page.evaluate("() => localStorage.setItem('sourcework:unrelated-garbage', '\\u0000{')")
    opened.reload()

    assert not opened.own_errors(), opened.own_errors()
    for item_id in damaged:
        if item_id not in edition.items:
            continue  # the student's name entry: a damaged one is the same as none
        note = page.locator(f"{item_selector(item_id)} .sw-feedback").inner_text()
        assert note.strip(), f"{item_id}: damaged saved answer ({damaged[item_id]!r}) set aside without a notice"
    # The page still works: every item can be answered again, checked or saved, and the answers saved anew.
    rng = random.Random(1)
    for item_id in hashes:
        item = edition.items[item_id]
        answer(page, item, random_response(item, rng, multi_rows=multi_rows(page, item_id)))
        assert submit(page, item_id).strip()
    records = saved_records(page)
    assert all(isinstance(records.get(i), dict) for i in hashes), records


REFUSING_STORAGE = """(() => {
  const no = () => { throw new DOMException('The quota has been exceeded.', 'QuotaExceededError'); };
  for (const name of ['setItem', 'getItem', 'removeItem', 'key', 'clear']) Storage.prototype[name] = no;
})();"""


@pytest.mark.parametrize("name", ["practice", "assessment"])
def test_refused_storage_still_works_and_says_so(name, editions, open_page):
    edition = editions[name]
    # The theme's own scripts read localStorage too and throw when it refuses: those errors are expected here.
    opened = open_page(edition, edition.rel(richest_page(edition)), init_script=REFUSING_STORAGE, expect_errors=True)
    page = opened.page
    page.wait_for_function("() => [...document.querySelectorAll('.sw-notice')].some(n => n.textContent.trim())",
                           timeout=5000)
    rng = random.Random(2)
    for item_id in page.eval_on_selector_all("section.sw-item", "s => s.map(e => e.dataset.swId)"):
        item = edition.items[item_id]
        answer(page, item, random_response(item, rng, multi_rows=multi_rows(page, item_id)))
        assert submit(page, item_id).strip()
    page.locator(".sw-set .sw-student-name").first.fill(STUDENT[0])
    page.locator(".sw-set .sw-student-id").first.fill(STUDENT[1])
    with page.expect_download() as info:
        page.locator('.sw-set button[data-sw-action="download"]').first.click()
    assert info.value.path().stat().st_size > 100, "the download from a page without storage is empty"
    assert not opened.own_errors(), opened.own_errors()
