"""Accessibility: two engines (pinned in package.json) find nothing on any page: axe-core no WCAG 2.0/2.1 A or AA
violation, HTML_CodeSniffer no error under its WCAG2AA standard.

Every page of every edition is checked as it loads; every exercise page is checked again after each item has been
answered and checked or saved (feedback shown) and, where the edition has it, the answer shown. Both engines run in
the same page loads, one after the other. Exclusions are not allowed: a violation from the theme is reported like
one from the widget, with its rule, selector and page. The ``open_page`` fixture also fails a test whose pages logged
an error or a warning to the console, so these page loads check the console of every page of every edition too.
"""

from __future__ import annotations

import random

import pytest
from conftest import EDITIONS, describe_htmlcs, describe_violations, format_violations, run_axe, run_htmlcs
from swpage import SUBMIT, answer, item_selector, multi_rows, random_response

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("name", EDITIONS)
def test_every_page_has_no_wcag_a_or_aa_violation(name, editions, open_page, axe_source, htmlcs_source):
    edition = editions[name]
    pages = edition.pages()
    assert pages, f"the {name} edition has no pages in {edition.html}"
    problems: list[tuple[str, str, str, str, str]] = []
    htmlcs: list[tuple[str, str, str, str, str]] = []
    for path in pages:
        opened = open_page(edition, edition.rel(path))
        problems += describe_violations(f"{name}/{edition.rel(path)}", run_axe(opened.page, axe_source))
        htmlcs += describe_htmlcs(f"{name}/{edition.rel(path)}", run_htmlcs(opened.page, htmlcs_source))
        opened.context.close()
    assert not (problems or htmlcs), report(name, problems, htmlcs)


@pytest.mark.parametrize("name", EDITIONS)
def test_exercise_pages_after_feedback_have_no_violation(name, editions, open_page, axe_source, htmlcs_source):
    """The states a student reaches: every item answered, checked or saved, the answer shown."""
    edition = editions[name]
    items = edition.items
    rng = random.Random(7)
    problems: list[tuple[str, str, str, str, str]] = []
    htmlcs: list[tuple[str, str, str, str, str]] = []
    for path in edition.exercise_pages():
        opened = open_page(edition, edition.rel(path))
        page = opened.page
        for item_id in page.eval_on_selector_all("section.sw-item", "s => s.map(e => e.dataset.swId)"):
            item = items[item_id]
            answer(page, item, random_response(item, rng, multi_rows=multi_rows(page, item_id)))
            page.locator(item_selector(item_id)).locator(SUBMIT).first.click()
            show = page.locator(f'{item_selector(item_id)} button[data-sw-action="show"]')
            if show.count() and rng.random() < 0.5:
                show.click()
        where = f"{name}/{edition.rel(path)} (after answering)"
        problems += describe_violations(where, run_axe(page, axe_source))
        htmlcs += describe_htmlcs(where, run_htmlcs(page, htmlcs_source))
        opened.context.close()
    assert not (problems or htmlcs), report(name, problems, htmlcs)


def report(name: str, axe: list[tuple[str, str, str, str, str]], htmlcs: list[tuple[str, str, str, str, str]]) -> str:
    parts = []
    if axe:
        parts.append(f"{len(axe)} axe violation(s) in the {name} edition:\n" + format_violations(axe))
    if htmlcs:
        parts.append(f"{len(htmlcs)} HTML_CodeSniffer WCAG2AA error(s) in the {name} edition:\n"
                     + format_violations(htmlcs))
    return "\n".join(parts)
