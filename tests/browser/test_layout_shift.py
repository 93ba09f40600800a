"""The page does not move when its scripts run (Lighthouse's cumulative layout shift, CLS).

Whatever a script puts on a page after it is first drawn pushes the text below it down while the reader starts to
read (and costs Lighthouse's performance score up to a quarter: the language switch, inserted by script under every
page title, and the progress table once gave the progress page a CLS of 0.79). So what the scripts show at once is
in the page as built: the language and version switches, the progress table and the set's score line as the scripts
draw them for a new reader.

The check does not depend on timing: each page is laid out twice at a phone's size, once with every script file
blocked (as the browser draws it before the deferred scripts run) and once ready, and the text blocks on the first
two screens must stand at the same height in both. The same holds for a reader who chose an adapted version of a
source, at a phone's and a desktop's size, opening the page plainly or by a link to a paragraph of the original: the
page's own lines show the right versions as the page is read (sphinx_ext/adapted.py, EARLY_VIEW); before them, such a
reader saw the page drawn one way and then changed (CLS 0.36 on a desktop, 0.53 on a phone, 0.92 by the link).

Two things still move the page a little, by design, and are held under the "good" limit of the Core Web Vitals
(CLS ≤ 0.1), as the browser itself measures it (PerformanceObserver, "layout-shift"): the Listen controls, which
appear only once the browser has a voice (a stand-in voice arrives here after the page is ready, as Chrome's do),
and a reader who chose Spanish, whose interface words are rewritten when they arrive.
"""

from __future__ import annotations

import pytest
from swpage import BOTH_VOICES, speech_stub

pytestmark = pytest.mark.browser

PAGES = {"start": "book/index.html", "chapter": "book/ch1-programs-and-players.html",
         "exercise set": "exercises/ch1-programs.html", "source": "book/sources/source-b.html",
         "progress": "book/progress.html"}
PHONE = {"width": 412, "height": 823}  # Lighthouse's mobile screen
DESKTOP = {"width": 1280, "height": 900}  # wide enough for an adapted version beside the original
VERSIONS = ("en", "es")  # the adapted versions a reader can choose
BLOCKS = "h1, h2, h3, p, li, legend, caption, th, td, dt, dd, blockquote, pre, fieldset, table"
# The text blocks of the article on the first two screens, by tag and text (the first of each), with their top.
POSITIONS_JS = """(blocks) => {
  const seen = new Map();
  for (const el of document.querySelectorAll('.bd-article :is(' + blocks + ')')) {
    if (!el.checkVisibility()) continue;
    const top = el.getBoundingClientRect().top + scrollY;
    if (top > 2 * innerHeight) continue;  // not break: at 1280 px an adapted version stands beside the original
    const key = el.tagName + ' | ' + el.textContent.replace(/\\s+/g, ' ').trim().slice(0, 50);
    if (!seen.has(key)) seen.set(key, Math.round(top));
  }
  return Object.fromEntries(seen);
}"""


def positions_without_scripts(browser, edition, rel: str, viewport: dict = PHONE,
                              init_script: str = "") -> dict[str, int]:
    context = browser.new_context(viewport=viewport)
    try:
        if init_script:
            context.add_init_script(init_script)
        context.route("**/*.js*", lambda route: route.abort())
        page = context.new_page()
        path, _, fragment = rel.partition("#")
        page.goto((edition.html / path).as_uri() + (f"#{fragment}" if fragment else ""))
        page.wait_for_load_state("load")
        return page.evaluate(POSITIONS_JS, BLOCKS)
    finally:
        context.close()


def moved_blocks(browser, open_page, edition, label: str, rel: str, viewport: dict = PHONE,
                 init_script: str = "", view: str = "") -> list[str]:
    """The text blocks on the first two screens of ``rel`` that stand elsewhere once the page is ready than with
    every script file blocked, as "label: block before → after px" (and, with ``view``, the source version shown
    must be that one)."""
    before = positions_without_scripts(browser, edition, rel, viewport, init_script)
    opened = open_page(edition, rel, viewport=viewport, init_script=init_script or None)
    opened.page.wait_for_timeout(300)
    after = opened.page.evaluate(POSITIONS_JS, BLOCKS)
    shown = opened.page.locator(".sw-versions").first.get_attribute("data-sw-view") if view else ""
    opened.context.close()
    common = [key for key in before if key in after]
    assert len(common) >= 5, f"{label}: too few text blocks to compare ({len(common)}): {before} / {after}"
    assert shown == view, f"{label}: the version shown is {shown!r}, not {view!r}"
    return [f"{label}: {key!r} {before[key]} → {after[key]} px" for key in common if abs(before[key] - after[key]) > 1]


@pytest.mark.parametrize("edition_name", ["practice", "assessment"])
def test_scripts_do_not_move_the_first_two_screens(edition_name, editions, browser, open_page):
    edition = editions[edition_name]
    moved = [line for name, rel in PAGES.items() for line in moved_blocks(browser, open_page, edition, name, rel)]
    assert not moved, "text moved when the scripts ran:\n  " + "\n  ".join(moved)


@pytest.mark.parametrize("version", VERSIONS)
def test_a_chosen_adapted_version_is_drawn_from_the_start(version, editions, browser, open_page):
    """Opened plainly, and by a link to a paragraph of the original (an item's excerpt link, a {para} role), which
    shows the original as well."""
    chosen = f"localStorage.setItem('sourcework:version', '{version}');"
    page = "book/sources/source-b.html"  # adapted in English and in Spanish
    sizes = (("phone", PHONE), ("desktop", DESKTOP))
    moved = [line for rel in (page, page + "#source-b-p4") for size, viewport in sizes
             for line in moved_blocks(browser, open_page, editions["practice"], f"{size}, {rel}", rel, viewport, chosen,
                                      version)]
    assert not moved, "text moved when the scripts ran:\n  " + "\n  ".join(moved)


# The layout shifts the browser reports, as Lighthouse adds them up (none counted after a reader's own input).
CLS_OBSERVER = """window.__cls = 0;
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) if (!e.hadRecentInput) window.__cls += e.value;
}).observe({type: "layout-shift", buffered: true});"""
LATE_VOICES = speech_stub(BOTH_VOICES, late=True)
SETTLED_CLS_JS = "() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => done(__cls))))"
GOOD_CLS = 0.1


def test_listen_controls_and_a_spanish_reader_move_the_page_little(editions, open_page):
    edition = editions["practice"]
    spanish = "localStorage.setItem('sourcework:lang', 'es');"
    shifts = {}
    for name, rel in PAGES.items():
        for reader, script in (("voices arrive late", LATE_VOICES), ("Spanish interface", spanish)):
            opened = open_page(edition, rel, viewport=PHONE, init_script=CLS_OBSERVER + script)
            if script is spanish:  # the page's interface really is in Spanish (where it has one)
                assert opened.page.evaluate("window.SourceworkI18n?.lang() ?? 'es'") == "es", f"{name}: not in Spanish"
            if script is LATE_VOICES:
                opened.page.evaluate("window.__voicesArrive()")
                if name in ("chapter", "source"):
                    assert opened.page.locator(".sw-listen:visible").count(), f"{name}: no Listen controls appeared"
            shifts[f"{name}, {reader}"] = opened.page.evaluate(SETTLED_CLS_JS)
            opened.context.close()
    over = {key: round(value, 3) for key, value in shifts.items() if value > GOOD_CLS}
    assert not over, f"layout shift above {GOOD_CLS}: {over} (all: {shifts})"
