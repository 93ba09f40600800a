"""The HTML repairs for theme and docutils markup: each one changes what it must, and only that."""

from __future__ import annotations

from sourcework.sphinx_ext.a11y import REPAIRS, repair_html

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
