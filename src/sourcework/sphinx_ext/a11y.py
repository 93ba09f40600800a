"""Accessibility and validity repairs for markup that Sphinx, the theme and MyST-NB write, applied to the finished
HTML files.

axe-core and HTML_CodeSniffer (WCAG 2.0/2.1 A and AA) and the Nu HTML checker flag a handful of elements that our own
code does not produce. Each repair below is the smallest change that makes the element pass, and says why; the
browser tests run both accessibility engines on every page of every edition, and ``tests/browser/test_valid_html.py``
runs the Nu checker on every file, so a theme upgrade that changes this markup shows up at once. Templates are not
copied: a copied theme template would silently drift from the pinned theme version. The top ``index.html`` (a
bare ``<meta>`` redirect written by sphinx-external-toc) is replaced by a valid HTML5 redirect page.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path

from sphinx.application import Sphinx

Repair = tuple[str, re.Pattern[str], str | Callable[[re.Match[str]], str]]

SEARCH_HINT = re.compile(r'\s*<span class="search-button__kbd-shortcut">.*?</span>', re.S)
SEARCH_SUBMIT = '<button type="submit" class="btn sw-search-submit">Search</button>'


def _search_form(form: str) -> str:
    """The theme's search form without its Ctrl+K hint and with a submit button (see the repair below)."""
    form = SEARCH_HINT.sub("", form)
    return form if "sw-search-submit" in form else form.replace("</form>", SEARCH_SUBMIT + "\n</form>")


REPAIRS: tuple[Repair, ...] = (
    # label-content-name-mismatch: the visible text "Search Ctrl+K" must be part of the name; without the
    # aria-label the button is named by its visible text.
    ("search button named by its visible text",
     re.compile(r'(<button[^>]*search-button-field[^>]*?) aria-label="Search"'), r"\1"),
    # label-content-name-mismatch: an icon-only button labelled by aria-label; a hidden text label names it instead.
    ("colour-mode button named by hidden text",
     re.compile(r'(<button[^>]*theme-switch-button[^>]*?) aria-label="Color mode"([^>]*>)(.*?)</button>', re.S),
     r'\1\2\3<span class="visually-hidden">Color mode</span></button>'),
    # summary-name: the sidebar's expand/collapse control has only an icon.
    ("sidebar toggles get a text name",
     re.compile(r'<summary><span class="toctree-toggle" role="presentation">(.*?)</span></summary>', re.S),
     r'<summary><span class="toctree-toggle">\1<span class="visually-hidden">Show or hide the pages in this part'
     r"</span></span></summary>"),
    # label-content-name-mismatch: MyST-NB's hidden-code toggles say "Show code cell source" but are labelled
    # "Toggle hidden content"; the visible text is the better name.
    ("code-cell toggles named by their visible text",
     re.compile(r'<summary aria-label="Toggle hidden content">'), "<summary>"),
    # aria-deprecated-role and aria-required-children: docutils marks citations doc-biblioentry (deprecated in
    # DPUB-ARIA 1.1) inside role="list"; listitem is what the list needs.
    ("bibliography entries as list items", re.compile(r'role="doc-biblioentry"'), 'role="listitem"'),
    # HTML_CodeSniffer H32.2 (WCAG 3.2.2): the theme's search form (in the Ctrl+K dialog, and on search.html) has no
    # submit button; Enter is the only way to send it. A visible "Search" button takes the place of the form's own
    # "Ctrl+K" hint, which is drawn in the border colour (HTMLCS G18, contrast 1.5:1) and tells nothing once the form
    # is open; the header's search button keeps its hint.
    ("search form gets a submit button", re.compile(r'<form class="bd-search\b.*?</form>', re.S),
     lambda match: _search_form(match.group(0))),
    # HTMLCS H42.2 (and the Nu checker's "Empty heading"): sphinx-book-theme's print-only page header repeats the
    # page title in an <h1>, which is empty on pages without one (genindex.html); an empty heading is dropped.
    ("no empty print-only title", re.compile(r'(<div id="jb-print-docs-body" class="onlyprint">\s*)<h1></h1>\s*'),
     r"\1"),
    # Nu HTML checker: a <summary> holds phrasing content only, but MyST-NB's hidden-cell toggles put two <p> in it
    # ("Show code cell source" / "Hide code cell source"). Spans instead; NB_TOGGLE_STYLE restores MyST-NB's rules,
    # which name p.collapsed and p.expanded, for spans.
    ("code-cell toggle texts as spans",
     re.compile(r'<summary>(\s*)<p class="collapsed admonition-title">(.*?)</p>(\s*)'
                r'<p class="expanded admonition-title">(.*?)</p>(\s*)</summary>', re.S),
     r'<summary>\1<span class="collapsed admonition-title">\2</span>\3'
     r'<span class="expanded admonition-title">\4</span>\5</summary>'),
)

# mystnb.css's rules for the toggle texts (display:list-item shows the disclosure marker), for the spans above.
NB_TOGGLE_STYLE = ("<style>div.cell details.hide>summary>span.admonition-title{display:list-item;margin-bottom:0}"
                   "div.cell details.hide[open]>summary>span.collapsed,"
                   "div.cell details.hide:not([open])>summary>span.expanded{display:none}</style>")


# A rubric table (assessment and instructor editions: four or five columns) is wider than a phone; it scrolls in its
# own box, which a keyboard can focus (to scroll it) and a screen reader names by the table's caption (the pattern
# of a focusable, labelled scrolling region; the box's style is in sw-type-response.css).
_RUBRIC = re.compile(r'<table class="sw-rubric">(\s*)<caption>(.*?)</caption>(.*?)</table>', re.S)


def rubric_boxes(text: str) -> str:
    """Each rubric table in a scrolling region named by its caption (``_RUBRIC``); a page already done is left."""
    count = 0

    def box(match: re.Match[str]) -> str:
        nonlocal count
        count += 1
        ident = f"sw-rubric-caption-{count}"
        while f'id="{ident}"' in text:
            count += 1
            ident = f"sw-rubric-caption-{count}"
        return (f'<div class="sw-rubric-box" role="region" aria-labelledby="{ident}" tabindex="0">'
                f'<table class="sw-rubric">{match.group(1)}<caption id="{ident}">{match.group(2)}</caption>'
                f"{match.group(3)}</table></div>")

    return _RUBRIC.sub(box, text)


def repair_html(text: str) -> str:
    """Apply every repair to one page's HTML."""
    for _why, pattern, replacement in REPAIRS:
        text = pattern.sub(replacement, text)
    text = rubric_boxes(text)
    if '<span class="collapsed admonition-title">' in text and NB_TOGGLE_STYLE not in text:
        text = text.replace("</head>", NB_TOGGLE_STYLE + "\n</head>", 1)
    return text


def redirect_page(target: str, title: str, *, language: str = "en", favicon: str = "") -> str:
    """A valid HTML5 page that sends the reader to ``target`` at once, with a link for when it does not."""
    target, title = html.escape(target), html.escape(title)
    icon = f'<link rel="icon" href="{html.escape(favicon)}">\n' if favicon else ""
    return (f'<!DOCTYPE html>\n<html lang="{html.escape(language)}">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{title}</title>\n"
            f'<meta http-equiv="refresh" content="0; url={target}">\n{icon}'
            f'<link rel="canonical" href="{target}">\n</head>\n<body>\n'
            f'<p>This book starts at <a href="{target}">{title}</a>.</p>\n</body>\n</html>\n')


def write_top_redirect(app: Sphinx) -> None:
    """Write the top ``index.html`` as a proper redirect page when the book's first page is elsewhere.

    sphinx-external-toc writes a bare ``<meta>`` line there (no doctype, no title) only when no ``index.html``
    exists, so whichever build-finished handler runs first, this page is what stays.
    """
    root = app.config.root_doc
    if root == "index" or "index" in app.env.found_docs:
        return  # the top index.html is a page of the book
    target = f"{root}/index.html" if app.builder.name == "dirhtml" else f"{root}.html"
    favicon = app.config.html_favicon or ""
    if favicon and "://" not in favicon:
        favicon = f"_static/{Path(favicon).name}"
    page = redirect_page(target, app.config.html_title or app.config.project, language=app.config.language or "en",
                         favicon=favicon)
    (Path(app.outdir) / "index.html").write_text(page, encoding="utf-8")


def on_build_finished(app: Sphinx, exception: Exception | None) -> None:
    """Repair every HTML file the build wrote (HTML builders only, and only after a successful build)."""
    if exception is not None or app.builder.format != "html":
        return
    write_top_redirect(app)
    for path in Path(app.outdir).rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        repaired = repair_html(text)
        if repaired != text:
            path.write_text(repaired, encoding="utf-8")
