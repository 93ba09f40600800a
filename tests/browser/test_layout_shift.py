"""The page does not move when its scripts run (Lighthouse's cumulative layout shift, CLS).

Whatever a script puts on a page after it is first drawn pushes the text below it down while the reader starts to
read (and costs Lighthouse's performance score up to a quarter: the language switch, inserted by script under every
page title, and the progress table once gave the progress page a CLS of 0.79). So what the scripts show at once is
in the page as built: the language and version switches, the progress table and the set's score line as the scripts
draw them for a new reader.

The check does not depend on timing: each page is laid out twice at a phone's size, once with every script file
blocked (as the browser draws it before the deferred scripts run) and once ready, and the text blocks on the first
two screens must stand at the same height in both. (Not covered: the Listen controls, which appear only where the
browser has a voice, none here; and a reader who chose Spanish or an adapted version, whose page is redrawn.)
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

PAGES = {"start": "book/index.html", "chapter": "book/ch1-programs-and-players.html",
         "exercise set": "exercises/ch1-programs.html", "source": "book/sources/source-b.html",
         "progress": "book/progress.html"}
PHONE = {"width": 412, "height": 823}  # Lighthouse's mobile screen
BLOCKS = "h1, h2, h3, p, li, legend, caption, th, td, dt, dd, blockquote, pre, fieldset, table"
# The text blocks of the article on the first two screens, by tag and text (the first of each), with their top.
POSITIONS_JS = """(blocks) => {
  const seen = new Map();
  for (const el of document.querySelectorAll('.bd-article :is(' + blocks + ')')) {
    if (!el.checkVisibility()) continue;
    const top = el.getBoundingClientRect().top + scrollY;
    if (top > 2 * innerHeight) break;
    const key = el.tagName + ' | ' + el.textContent.replace(/\\s+/g, ' ').trim().slice(0, 50);
    if (!seen.has(key)) seen.set(key, Math.round(top));
  }
  return Object.fromEntries(seen);
}"""


def positions_without_scripts(browser, edition, rel: str) -> dict[str, int]:
    context = browser.new_context(viewport=PHONE)
    try:
        context.route("**/*.js*", lambda route: route.abort())
        page = context.new_page()
        page.goto((edition.html / rel).as_uri())
        page.wait_for_load_state("load")
        return page.evaluate(POSITIONS_JS, BLOCKS)
    finally:
        context.close()


@pytest.mark.parametrize("edition_name", ["practice", "assessment"])
def test_scripts_do_not_move_the_first_two_screens(edition_name, editions, browser, open_page):
    edition = editions[edition_name]
    moved = []
    for name, rel in PAGES.items():
        before = positions_without_scripts(browser, edition, rel)
        opened = open_page(edition, rel, viewport=PHONE)
        opened.page.wait_for_timeout(300)
        after = opened.page.evaluate(POSITIONS_JS, BLOCKS)
        opened.context.close()
        common = [key for key in before if key in after]
        assert len(common) >= 5, f"{name}: too few text blocks to compare ({len(common)}): {before} / {after}"
        moved += [f"{name}: {key!r} {before[key]} → {after[key]} px" for key in common
                  if abs(before[key] - after[key]) > 1]
    assert not moved, "text moved when the scripts ran:\n  " + "\n  ".join(moved)
