"""Accessibility repairs for markup that Sphinx, the theme and MyST-NB write, applied to the finished HTML files.

axe-core (WCAG 2.0/2.1 A and AA) flags a handful of elements that our own code does not produce. Each repair below
is the smallest change that makes the element pass, and says why; the browser tests run axe on every page of every
edition, so a theme upgrade that changes this markup shows up at once. Templates are not copied: a copied theme
template would silently drift from the pinned theme version.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from sphinx.application import Sphinx

Repair = tuple[str, re.Pattern[str], str | Callable[[re.Match[str]], str]]

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
)


def repair_html(text: str) -> str:
    """Apply every repair to one page's HTML."""
    for _why, pattern, replacement in REPAIRS:
        text = pattern.sub(replacement, text)
    return text


def on_build_finished(app: Sphinx, exception: Exception | None) -> None:
    """Repair every HTML file the build wrote (HTML builders only, and only after a successful build)."""
    if exception is not None or app.builder.format != "html":
        return
    for path in Path(app.outdir).rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        repaired = repair_html(text)
        if repaired != text:
            path.write_text(repaired, encoding="utf-8")
