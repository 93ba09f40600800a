"""The theme on a diet (sphinx_ext/theme.py) looks and works as before: screenshots for a person, and the controls.

Screenshots of a chapter, an exercise page and a Source-reader page at a phone's width (390 px) and a desktop's
(1280 px), the window and the whole page, plus the phone's page after a press of the sidebar button, go to
``test-artifacts/screenshots/weight-after/<page>-<width>[-full|-menu].png`` on every run, to compare with
``weight-before/`` (taken from the build before the diet; see ARCHITECTURE.md, "Theme weight").

The checks: no page asks for the icon script, the theme's full stylesheets or fonts, or (but the search page) the
search index; every icon is drawn (an inline SVG of non-zero size, the admonition icons from the subset font); and
the theme's controls still work: colour mode, the navigation drawer, the search dialog and page, a tooltip.
"""

from __future__ import annotations

import pytest
from conftest import ARTIFACTS

pytestmark = pytest.mark.browser

PAGES = {"chapter": "book/ch1-programs-and-players.html", "exercise": "exercises/ch1-programs.html",
         "source": "book/sources/source-b.html"}
WIDTHS = {390: 844, 1280: 900}
HEAVY = ("fontawesome.js", "pydata-sphinx-theme.css", "styles/theme.css", "fa-solid-900", "fa-regular-400",
         "fa-brands-400", "searchindex.js", "searchtools.js")


@pytest.mark.parametrize("width", WIDTHS)
def test_screenshots_and_what_each_page_loads(width, editions, open_page):
    edition = editions["practice"]
    folder = ARTIFACTS / "screenshots" / "weight-after"
    folder.mkdir(parents=True, exist_ok=True)
    for name, rel in PAGES.items():
        opened = open_page(edition, rel, viewport={"width": width, "height": WIDTHS[width]})
        page = opened.page
        loaded = page.evaluate("() => [...document.querySelectorAll('script[src], link[href]')]"
                               ".map(e => e.src || e.href)")
        assert not [url for url in loaded if any(heavy in url for heavy in HEAVY)], loaded
        assert any("sw-theme.css" in url for url in loaded)
        page.evaluate("document.fonts.ready")
        page.wait_for_timeout(300)
        icons = page.eval_on_selector_all(
            "svg.svg-inline--fa", "s => s.filter(e => e.checkVisibility()).map(e => e.getBoundingClientRect().width)")
        assert icons and all(w > 0 for w in icons), icons
        assert not page.query_selector("i.fa-solid, span.fa-solid"), "an icon was left to the icon script"
        if page.query_selector(".admonition-title"):
            assert page.evaluate("document.fonts.check('900 16px \"Font Awesome 6 Free\"', '\\uf0f3')")
        page.mouse.move(0, 0)
        page.screenshot(path=folder / f"{name}-{width}.png", animations="disabled")
        page.screenshot(path=folder / f"{name}-{width}-full.png", full_page=True, animations="disabled")
        if width < 992:  # the page after a press of the visible sidebar button (its tooltip shows)
            page.locator("button.primary-toggle:visible").first.click()
            page.wait_for_timeout(400)
            page.screenshot(path=folder / f"{name}-{width}-menu.png", animations="disabled")
        opened.context.close()
    for shot in folder.glob(f"*-{width}*.png"):
        assert shot.stat().st_size > 2000, f"{shot} looks empty"


def test_the_theme_controls_still_work(editions, open_page):
    edition = editions["practice"]
    opened = open_page(edition, PAGES["chapter"], viewport={"width": 1280, "height": 900})
    page = opened.page
    # colour mode: the button cycles the mode (the icons are the script-free SVGs)
    before = page.evaluate("document.documentElement.dataset.mode")
    page.locator("button.theme-switch-button:visible").first.click()
    assert page.evaluate("document.documentElement.dataset.mode") != before
    assert page.locator("svg.theme-switch:visible").count() == 1
    # a tooltip (Bootstrap) on hover, drawn with its styles
    page.locator("button.theme-switch-button:visible").first.hover()
    tooltip = page.locator(".tooltip")
    tooltip.wait_for(state="visible", timeout=5000)
    assert tooltip.evaluate("e => getComputedStyle(e).position") == "absolute"
    # the search dialog opens from the keyboard shortcut and sends a query to the search page
    page.keyboard.press("Control+k")
    dialog = page.locator("#pst-search-dialog")
    assert dialog.evaluate("d => d.open")
    page.keyboard.type("SAFE")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search.html?q=SAFE*")
    page.wait_for_function("() => document.querySelectorAll('#search-results li').length > 0", timeout=15000)
    # (Sphinx's search page fetches each result page for a summary, which Chromium refuses from file://: not ours)
    assert not [e for e in opened.errors if "Failed to fetch" not in e], opened.errors


def test_the_visible_sidebar_button_opens_the_drawer_on_a_phone(editions, open_page):
    """At 390 px the visible "Toggle primary sidebar" button opens the navigation drawer (the theme's scripts once
    wired only a hidden twin of it, so it opened nothing), by mouse and by Enter; Escape and the backdrop close it
    and focus comes back to the button."""
    edition = editions["practice"]
    opened = open_page(edition, PAGES["chapter"], viewport={"width": 390, "height": 844})
    page = opened.page
    page.wait_for_load_state("load")
    toggles = page.locator("button.primary-toggle")
    assert toggles.count() == 1 and toggles.first.is_visible()
    button = toggles.first
    drawer = page.locator("#pst-primary-sidebar-modal")
    assert not drawer.evaluate("d => d.open")
    button.click()
    page.wait_for_function("() => document.querySelector('#pst-primary-sidebar-modal').open")
    assert drawer.locator("a.reference").first.is_visible()
    page.keyboard.press("Escape")
    page.wait_for_function("() => !document.querySelector('#pst-primary-sidebar-modal').open")
    assert page.evaluate("document.activeElement.classList.contains('primary-toggle')")
    # the keyboard: Enter on the focused button opens it; focus moves into the drawer
    button.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelector('#pst-primary-sidebar-modal').open")
    assert page.evaluate("document.querySelector('#pst-primary-sidebar-modal').contains(document.activeElement)")
    # a click on the backdrop (outside the drawer's box) closes it
    box = drawer.bounding_box()
    page.mouse.click(box["x"] + box["width"] + 20, 400)
    page.wait_for_function("() => !document.querySelector('#pst-primary-sidebar-modal').open")
    # The sidebar goes back to its place at the dialog's "close" event, a task after `open` turns false: wait for it.
    page.wait_for_function("() => document.querySelector('#pst-primary-sidebar-modal').childElementCount === 0")
    assert not opened.errors, opened.errors
    opened.context.close()
