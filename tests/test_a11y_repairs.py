"""The HTML repairs for theme and docutils markup: each one changes what it must, and only that."""

from __future__ import annotations

from sourcework.sphinx_ext.a11y import NB_TOGGLE_STYLE, REPAIRS, redirect_page, repair_html

CASES = [
    ('<button class="btn search-button-field search-button__button" title="Search" aria-label="Search" x>',
     '<button class="btn search-button-field search-button__button" title="Search" x>'),
    ('<button class="btn theme-switch-button" aria-label="Color mode" data-bs-title="Color mode">\n<i></i>\n</button>',
     '<button class="btn theme-switch-button" data-bs-title="Color mode">\n<i></i>\n'
     '<span class="visually-hidden">Color mode</span></button>'),
    ('<summary><span class="toctree-toggle" role="presentation"><i class="fa-chevron-down"></i></span></summary>',
     '<summary><span class="toctree-toggle"><i class="fa-chevron-down"></i><span class="visually-hidden">Show or hide '
     'the pages in this part</span></span></summary>'),
    ('<summary aria-label="Toggle hidden content">', "<summary>"),
    ('<div class="citation" id="id3" role="doc-biblioentry">', '<div class="citation" id="id3" role="listitem">'),
    ('<form class="bd-search d-flex" action="../search.html" method="get">\n<input type="search" name="q"/>\n'
     '<span class="search-button__kbd-shortcut"><kbd class="kbd-shortcut__modifier">Ctrl</kbd>+<kbd>K</kbd></span>\n'
     '</form>',
     '<form class="bd-search d-flex" action="../search.html" method="get">\n<input type="search" name="q"/>\n'
     '<button type="submit" class="btn sw-search-submit">Search</button>\n</form>'),
    ('<div id="jb-print-docs-body" class="onlyprint">\n    <h1></h1>\n    <!-- Table of contents -->',
     '<div id="jb-print-docs-body" class="onlyprint">\n    <!-- Table of contents -->'),
    ('<summary>\n<p class="collapsed admonition-title">Show code cell source</p>\n'
     '<p class="expanded admonition-title">Hide code cell source</p>\n</summary>',
     '<summary>\n<span class="collapsed admonition-title">Show code cell source</span>\n'
     '<span class="expanded admonition-title">Hide code cell source</span>\n</summary>'),
]


def test_each_repair_changes_its_markup():
    assert len(CASES) == len(REPAIRS)
    for before, after in CASES:
        assert repair_html(before) == after


def test_repairs_are_idempotent_and_leave_other_markup_alone():
    page = "".join(before for before, _ in CASES)
    once = repair_html(page)
    assert repair_html(once) == once
    plain = '<button class="sw-btn" aria-label="Search">Search</button><summary>Show</summary>'
    assert repair_html(plain) == plain


def test_code_cell_toggle_spans_get_mystnb_rules_once():
    page = f"<html><head><title>t</title></head><body>{CASES[-1][0]}{CASES[-1][0]}</body></html>"
    once = repair_html(page)
    assert once.count(NB_TOGGLE_STYLE) == 1 and once.index(NB_TOGGLE_STYLE) < once.index("</head>")
    assert "<p class" not in once and repair_html(once) == once
    assert NB_TOGGLE_STYLE not in repair_html("<html><head></head><body><summary>Show</summary></body></html>")


def test_redirect_page_is_a_whole_page():
    page = redirect_page("book/index.html", "Shared Files & Claims", favicon="_static/favicon.svg")
    assert page.startswith("<!DOCTYPE html>\n<html lang=\"en\">")
    assert "<title>Shared Files &amp; Claims</title>" in page
    assert '<meta http-equiv="refresh" content="0; url=book/index.html">' in page
    assert '<a href="book/index.html">' in page and '<link rel="icon" href="_static/favicon.svg">' in page


def test_rubric_tables_scroll_in_a_named_focusable_box():
    table = ('<table class="sw-rubric">\n<caption>Rubric</caption>\n'
             "<thead></thead><tbody><tr><td>x</td></tr></tbody></table>")
    page = f"<form>{table}</form><form>{table}</form>"
    boxed = repair_html(page)
    assert boxed.count('<div class="sw-rubric-box" role="region" aria-labelledby="sw-rubric-caption-') == 2
    assert '<caption id="sw-rubric-caption-1">Rubric</caption>' in boxed
    assert '<caption id="sw-rubric-caption-2">Rubric</caption>' in boxed
    assert boxed.count('tabindex="0"') == 2 and boxed.endswith("</table></div></form>")
    assert repair_html(boxed) == boxed
