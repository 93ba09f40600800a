"""Accessibility: two engines (pinned in package.json) find nothing on any page: axe-core no WCAG 2.0/2.1 A or AA
violation, HTML_CodeSniffer no error under its WCAG2AA standard.

Every page of every edition is checked as it loads; every exercise page is checked again after each item has been
answered and checked or saved (feedback shown) and, where the edition has it, the answer shown. Both engines run in
the same page loads, one after the other, and the same visit is the offline check of every page
(tests/browser/test_offline.py has the rest of it): one visit per page, not three. Exclusions are not allowed: a
violation from the theme is reported like one from the widget, with its rule, selector and page. The ``open_page``
fixture also fails a test whose pages logged an error or a warning to the console, so these page loads check the
console of every page of every edition too.
"""

from __future__ import annotations

import random

import pytest
from conftest import EDITIONS, describe_htmlcs, describe_violations, format_violations, run_axe, run_htmlcs
from swpage import answer, item_selector, multi_rows, random_response, submit

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("name", EDITIONS)
def test_every_page_accessible_and_offline_as_loaded_and_after_use(name, editions, open_page, axe_source,
                                                                   htmlcs_source):
    """One visit per page checks what three tests once checked in three visits (the slowest part of ``make test``):

    - accessibility as loaded, every page: axe and HTML_CodeSniffer;
    - offline (``open_page`` blocks every request that is not for a file): no such request attempted, no script error,
      every local file loaded; on an exercise page every item, answered at random and checked or saved, says
      something in its ``role="status"`` region: the items still work from file://;
    - accessibility after use, every exercise page: the states a student reaches (every item answered, checked or
      saved, about half of the answers shown where the edition has Show answer), both engines again.
    """
    edition = editions[name]
    pages = edition.pages()
    assert pages, f"the {name} edition has no pages in {edition.html}"
    items = edition.items
    rng = random.Random(7)
    problems: list[tuple[str, str, str, str, str]] = []
    htmlcs: list[tuple[str, str, str, str, str]] = []
    offline: list[str] = []
    used = 0
    for path in pages:
        rel = edition.rel(path)
        opened = open_page(edition, rel)
        page = opened.page
        problems += describe_violations(f"{name}/{rel}", run_axe(page, axe_source))
        htmlcs += describe_htmlcs(f"{name}/{rel}", run_htmlcs(page, htmlcs_source))
        ids = page.eval_on_selector_all("section.sw-item", "s => s.map(e => e.dataset.swId)")
        for item_id in ids:
            item = items[item_id]
            answer(page, item, random_response(item, rng, multi_rows=multi_rows(page, item_id)))
            if not submit(page, item_id).strip():
                offline.append(f"{rel}: {item_id} said nothing after Check/Save")
            show = page.locator(f'{item_selector(item_id)} button[data-sw-action="show"]')
            if show.count() and rng.random() < 0.5:
                show.click()
        if ids:
            used += 1
            where = f"{name}/{rel} (after answering)"
            problems += describe_violations(where, run_axe(page, axe_source))
            htmlcs += describe_htmlcs(where, run_htmlcs(page, htmlcs_source))
        page.wait_for_timeout(100)  # let late requests (async scripts, fonts) show themselves
        offline += [f"{rel}: blocked request {r}" for r in opened.external]
        offline += [f"{rel}: script error: {e}" for e in opened.errors]
        offline += [f"{rel}: local file did not load: {f}" for f in opened.failed]
        opened.context.close()
    assert used == len(edition.exercise_pages()), f"{used} of {len(edition.exercise_pages())} exercise pages used"
    assert not offline, f"{len(offline)} problem(s) offline in the {name} edition:\n" + "\n".join(offline)
    assert not (problems or htmlcs), report(name, problems, htmlcs)


def report(name: str, axe: list[tuple[str, str, str, str, str]], htmlcs: list[tuple[str, str, str, str, str]]) -> str:
    parts = []
    if axe:
        parts.append(f"{len(axe)} axe violation(s) in the {name} edition:\n" + format_violations(axe))
    if htmlcs:
        parts.append(f"{len(htmlcs)} HTML_CodeSniffer WCAG2AA error(s) in the {name} edition:\n"
                     + format_violations(htmlcs))
    return "\n".join(parts)
