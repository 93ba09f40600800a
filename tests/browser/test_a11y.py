"""Accessibility: two engines (pinned in package.json) find nothing on any page: axe-core no WCAG 2.0/2.1 A or AA
violation, HTML_CodeSniffer no error under its WCAG2AA standard.

Every page of every edition is checked as it loads; every exercise page is checked again after each item has been
answered and checked or saved (feedback shown) and, where the edition has it, the answer shown. Both engines run in
the same page loads, one after the other, and the same visit is the offline check of every page
(tests/browser/test_offline.py has the rest of it): one visit per page, not three. Exclusions are not allowed: a
violation from the theme is reported like one from the widget, with its rule, selector and page. The ``open_page``
fixture also fails a test whose pages logged an error or a warning to the console, so these page loads check the
console of every page of every edition too.

The theme has a dark mode (the reader's choice, or the device's when the choice is "auto"): axe runs again on every
page, as loaded and after use, with the page in it.

Neither engine can see reflow (WCAG 1.4.10): the same visit lays every page out at 320 CSS px wide (a small phone,
or 1280 px at 400% zoom), as loaded and after use, and the page must not scroll sideways (a wide table scrolls in its
own box, which the theme makes focusable).
"""

from __future__ import annotations

import random

import pytest
from conftest import EDITIONS, describe_htmlcs, describe_violations, format_violations, run_axe, run_htmlcs, sync_api
from swpage import answer, item_selector, multi_rows, random_response, submit

pytestmark = pytest.mark.browser

# The theme's colour mode, set as the theme sets it, with every transition off while it is not light (a style of the
# test's own, removed again).
THEME_JS = """(mode) => {
  document.getElementById('sw-test-no-transitions')?.remove();
  if (mode !== 'light') {
    const style = document.createElement('style');
    style.id = 'sw-test-no-transitions';
    style.textContent = '*, *::before, *::after { transition: none !important; }';
    document.head.append(style);
  }
  document.documentElement.dataset.theme = mode;
}"""
NARROW = {"width": 320, "height": 640}
# How far the page runs past the screen sideways, and the first element that does (None: it does not).
SIDEWAYS_JS = """() => {
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth <= width) return null;
  const out = (el) => el.getBoundingClientRect().right > width + 1;
  const clipped = (el) => {  // inside a box that scrolls or clips: not what makes the page scroll
    for (let box = el.parentElement; box && box !== document.body; box = box.parentElement) {
      const style = getComputedStyle(box);
      if (style.overflowX !== 'visible' || style.position === 'fixed') return true;
    }
    return false;
  };
  const first = [...document.querySelectorAll('body *')].find((el) => out(el) && !out(el.parentElement) &&
    getComputedStyle(el).position !== 'fixed' && !clipped(el));
  return document.documentElement.scrollWidth + ' px wide' +
    (first ? ', from <' + first.tagName.toLowerCase() + ' class="' + first.getAttribute('class') + '">: ' +
      (first.textContent || '').trim().slice(0, 60) : ', by text that runs on past its box');
}"""


def in_dark_mode(page, axe_source: str, where: str) -> list[tuple[str, str, str, str, str]]:
    """axe's violations with the page in the theme's dark mode (set as the theme sets it), then back to light. While
    axe runs, colour transitions are off (the theme fades buttons over 0.15 s), so it reads the colours a reader ends
    up with, not ones halfway."""
    page.evaluate(THEME_JS, "dark")
    found = describe_violations(f"{where} (dark mode)", run_axe(page, axe_source))
    page.evaluate(THEME_JS, "light")
    return found


# Whether every box on the first two screens that now scrolls sideways (a wide table's) can take the keyboard's
# focus: the theme's script makes such a box focusable when it comes within a screen of view, and again after a
# resize (further down, as the reader gets near it).
SCROLL_BOXES_FOCUSABLE_JS = """() => [...document.querySelectorAll('.pst-scrollable-table-container')]
  .filter((box) => box.scrollWidth > box.clientWidth && box.getBoundingClientRect().top < 2 * innerHeight &&
    box.checkVisibility())
  .every((box) => box.tabIndex === 0)"""


def sideways(page, where: str) -> list[str]:
    """``where: …`` when the page, laid out 320 px wide, scrolls sideways, or a wide table's box on its first two
    screens cannot be reached by the keyboard to scroll it; the page's own size is kept."""
    size = page.viewport_size
    page.set_viewport_size(NARROW)
    found = [f"{where}: {text}" for text in [page.evaluate(SIDEWAYS_JS)] if text]
    try:
        page.wait_for_function(SCROLL_BOXES_FOCUSABLE_JS, timeout=5000)
    except sync_api.TimeoutError:
        found.append(f"{where}: a table's scrolling box on the first two screens is not focusable")
    page.set_viewport_size(size)
    return found


@pytest.mark.parametrize("name", EDITIONS)
def test_every_page_accessible_and_offline_as_loaded_and_after_use(name, editions, open_page, axe_source,
                                                                   htmlcs_source):
    """One visit per page checks what three tests once checked in three visits (the slowest part of ``make test``):

    - accessibility as loaded, every page: axe and HTML_CodeSniffer;
    - offline (``open_page`` blocks every request that is not for a file): no such request attempted, no script error,
      every local file loaded; on an exercise page every item, answered at random and checked or saved, says
      something in its ``role="status"`` region: the items still work from file://;
    - accessibility after use, every exercise page: the states a student reaches (every item answered, checked or
      saved, about half of the answers shown where the edition has Show answer), both engines again;
    - dark mode, as loaded and after use: axe again;
    - reflow, as loaded and after use: no page scrolls sideways 320 px wide.
    """
    edition = editions[name]
    pages = edition.pages()
    assert pages, f"the {name} edition has no pages in {edition.html}"
    items = edition.items
    rng = random.Random(7)
    problems: list[tuple[str, str, str, str, str]] = []
    htmlcs: list[tuple[str, str, str, str, str]] = []
    offline: list[str] = []
    reflow: list[str] = []
    used = 0
    for path in pages:
        rel = edition.rel(path)
        opened = open_page(edition, rel)
        page = opened.page
        problems += describe_violations(f"{name}/{rel}", run_axe(page, axe_source))
        htmlcs += describe_htmlcs(f"{name}/{rel}", run_htmlcs(page, htmlcs_source))
        problems += in_dark_mode(page, axe_source, f"{name}/{rel}")
        reflow += sideways(page, rel)
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
            problems += in_dark_mode(page, axe_source, where)
            reflow += sideways(page, f"{rel} (after answering)")
        page.wait_for_timeout(100)  # let late requests (async scripts, fonts) show themselves
        offline += [f"{rel}: blocked request {r}" for r in opened.external]
        offline += [f"{rel}: script error: {e}" for e in opened.errors]
        offline += [f"{rel}: local file did not load: {f}" for f in opened.failed]
        opened.context.close()
    assert used == len(edition.exercise_pages()), f"{used} of {len(edition.exercise_pages())} exercise pages used"
    assert not offline, f"{len(offline)} problem(s) offline in the {name} edition:\n" + "\n".join(offline)
    assert not reflow, f"{len(reflow)} page(s) of the {name} edition scroll sideways 320 px wide:\n" + "\n".join(reflow)
    assert not (problems or htmlcs), report(name, problems, htmlcs)


def report(name: str, axe: list[tuple[str, str, str, str, str]], htmlcs: list[tuple[str, str, str, str, str]]) -> str:
    parts = []
    if axe:
        parts.append(f"{len(axe)} axe violation(s) in the {name} edition:\n" + format_violations(axe))
    if htmlcs:
        parts.append(f"{len(htmlcs)} HTML_CodeSniffer WCAG2AA error(s) in the {name} edition:\n"
                     + format_violations(htmlcs))
    return "\n".join(parts)
