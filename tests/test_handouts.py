"""Printable handouts: the student HTML carries no key, the key carries every answer, and (in Chromium) each PDF
exists, contains every item stem (pdftotext), and keeps every item that fits on one page on one page. The print
stylesheet also hides the book pages' buttons and keeps their items whole."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import replace
from html import escape
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from sourcework.core.corpus import load_corpus
from sourcework.core.items import load_exercises
from sourcework.core.model import Item, ItemSet
from sourcework.export.handout import CSS_PATH, HandoutError, build_handouts, handout_html, key_html, used_sources

ROOT = Path(__file__).resolve().parent.parent
BOOK = ROOT / "tests" / "books" / "tools"
CHROMIUM = Path("/usr/bin/chromium")


def _norm(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


@pytest.fixture(scope="module")
def book():
    corpus = load_corpus(BOOK)
    sets, problems = load_exercises(BOOK, corpus)
    assert not problems, problems
    return corpus, sets


def _secrets(item: Item) -> list[str]:
    """Every text only the key may show."""
    out = [item.explanation, item.teaching_note]
    out += [o.feedback for o in item.options] + [s.feedback for s in item.spans] + [r.feedback for r in item.rows]
    out += list((item.outcome_feedback or {}).values())
    out += [level.anchor for c in item.rubric for level in c.levels]
    for part in (item.part_a, item.part_b):
        if part is not None:
            out += [o.feedback for o in part.options]
    return [_norm(t) for t in out if t and t.strip()]


def _visible(texts: list[str]) -> list[str]:
    """Texts the student must see: stems, option texts, rows, events, parts, excerpts, rubric descriptors."""
    return [_norm(t) for t in texts if t and t.strip()]


def _student_texts(item: Item) -> list[str]:
    texts = [item.stem] + [o.text for o in item.options] + [r.text for r in item.rows] + [c.label for c in item.columns]
    texts += [s.text for s in item.spans] + [e.text for e in item.events] + [e.text for e in item.excerpts]
    texts += [level.descriptor for c in item.rubric for level in c.levels]
    for part in (item.part_a, item.part_b):
        if part is not None:
            texts += [part.stem] + [o.text for o in part.options]
    return _visible(texts)


# ------------------------------------------------------------------------------------------------- HTML


def test_student_handout_has_everything_but_the_key(book):
    corpus, sets = book
    for item_set in sets:
        soup = BeautifulSoup(handout_html(item_set, corpus), "html.parser")
        text = _norm(soup.get_text(" "))
        for item in item_set.items:
            for visible in _student_texts(item):
                assert visible in text, (item.id, visible)
            for secret in _secrets(item):
                assert secret not in text, (item.id, secret)
        assert "Correct answer" not in text and "✓" not in text
        assert not soup.find(["button", "input", "textarea", "script", "form"])
        assert len(soup.select(".sw-print-item")) == len(item_set.items)
        assert len(soup.select(".sw-print-lines")) == sum(1 for i in item_set.items if i.type == "response")


def test_key_has_every_answer_and_note(book):
    _corpus, sets = book
    text = _norm(BeautifulSoup(key_html(sets), "html.parser").get_text(" "))
    for item in (i for s in sets for i in s.items):
        for secret in _secrets(item):
            assert secret in text, (item.id, secret)
    assert "Not for students" in text


def test_sources_appendix(book):
    corpus, sets = book
    tools = next(s for s in sets if s.id == "tools")
    assert used_sources(tools) == ["A", "B", "C", "D"]
    text = _norm(BeautifulSoup(handout_html(tools, corpus), "html.parser").get_text(" "))
    assert "Source C:" in text and "¶9 In 2012, ICE’s Enforcement and Removal Office" in text
    assert "Source E:" not in text
    bare = _norm(BeautifulSoup(handout_html(tools, corpus, with_sources=False), "html.parser").get_text(" "))
    assert "Source C:" not in bare


def test_print_stylesheet_rules():
    css = CSS_PATH.read_text("utf-8")
    print_block = re.sub(r"/\*.*?\*/", "", css, flags=re.S).strip()
    # Book pages load it as it is: every rule is for paper (the handouts' own rules are in sw-handout.css).
    assert print_block.startswith("@media print {") and print_block.count("@media") == 1
    for selector in (".sw-actions", ".sw-btn", ".sw-transfer", ".bd-header", ".bd-sidebar-primary", ".prev-next-area"):
        assert selector in print_block
    assert re.search(r"\.sw-item,[^{]*\{[^}]*break-inside: avoid", print_block)
    # A written response's ruled lines are a paper rule of its type, loaded only with it.
    response_css = (CSS_PATH.parent / "sw-type-response.css").read_text("utf-8")
    assert re.search(r"@media print \{\s*\.sw-textarea \{[^}]*repeating-linear-gradient", response_css)


def test_no_sets_is_a_clear_error(tmp_path):
    with pytest.raises(HandoutError, match="no exercise sets"):
        build_handouts([], tmp_path)


def test_html_only_needs_no_browser(book, tmp_path):
    corpus, sets = book
    result = build_handouts(sets, tmp_path / "out", corpus, html_only=True)
    assert not result.pdfs
    assert sorted(p.name for p in result.html) == ["instructor-key.html", "second.html", "tools.html"]
    assert "print them from a browser" in result.summary()


# ---------------------------------------------------------------------------------------------- Chromium

browser = pytest.mark.browser
needs_tools = pytest.mark.skipif(not CHROMIUM.exists() or not shutil.which("pdftotext"),
                                 reason="needs Debian Chromium and poppler-utils (pdftotext)")


def _pages(pdf: Path) -> list[str]:
    """The text of each page (pdftotext puts a form feed between pages). ``-raw`` keeps a hyphen that ends a line
    (the default mode drops it: "information-/sharing" would read "informationsharing")."""
    text = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    # A line that ends at a word's own hyphen is joined back (body text is never hyphenated automatically, so every
    # hyphen at a line's end is the text's own).
    return [_norm(re.sub(r"-\n", "-", page)) for page in text.split("\f")]


def _page_of(pages: list[str], pattern: str) -> list[int]:
    return [n for n, page in enumerate(pages) if re.search(pattern, page)]


def _assert_items_whole(pdf: Path, item_set: ItemSet, too_tall: list[str]) -> None:
    pages = _pages(pdf)
    total = len(item_set.items)
    for number, item in enumerate(item_set.items, start=1):
        starts = _page_of(pages, rf"Question {number} of {total}\b")
        ends = _page_of(pages, rf"Score for question {number}:")
        assert len(starts) == 1 and len(ends) == 1, (pdf.name, item.id, starts, ends)
        if item.id not in too_tall:
            assert starts == ends, f"{pdf.name}: {item.id} starts on page {starts[0] + 1}, ends on {ends[0] + 1}"


@pytest.fixture(scope="module")
def printed(book, tmp_path_factory):
    corpus, sets = book
    return build_handouts(sets, tmp_path_factory.mktemp("handouts"), corpus)


@browser
@needs_tools
def test_every_pdf_exists_with_every_stem(book, printed):
    _corpus, sets = book
    names = sorted(p.name for p in printed.pdfs)
    assert names == ["instructor-key.pdf", "second.pdf", "tools.pdf"]
    for item_set in sets:
        text = " ".join(_pages(printed.folder / f"{item_set.id}.pdf"))
        for item in item_set.items:
            assert _norm(item.stem) in text, (item_set.id, item.id)
    key_text = " ".join(_pages(printed.folder / "instructor-key.pdf"))
    for item in (i for s in sets for i in s.items):
        assert _norm(item.stem) in key_text
        if item.explanation:
            assert _norm(item.explanation) in key_text


@browser
@needs_tools
def test_student_pdfs_carry_no_key(book, printed):
    _corpus, sets = book
    for item_set in sets:
        text = " ".join(_pages(printed.folder / f"{item_set.id}.pdf"))
        assert "Correct answer" not in text
        for item in item_set.items:
            for secret in _secrets(item):
                assert secret not in text, (item.id, secret)


@browser
@needs_tools
def test_no_item_is_split_across_pages(book, printed):
    _corpus, sets = book
    assert printed.too_tall == {}, "every fixture item fits on one page"
    for item_set in sets:
        _assert_items_whole(printed.folder / f"{item_set.id}.pdf", item_set, [])
    # The key holds every set, each starting on a new page; check each set's numbering on its own pages.
    pages = _pages(printed.folder / "instructor-key.pdf")
    for item_set in sets:
        first = _page_of(pages, re.escape(item_set.title))[0]
        total = len(item_set.items)
        for number in range(1, total + 1):
            start = [p for p in _page_of(pages, rf"Question {number} of {total}\b") if p >= first][0]
            end = [p for p in _page_of(pages, rf"Score for question {number}:") if p >= first][0]
            assert start == end, (item_set.id, number)


@browser
@needs_tools
def test_an_item_taller_than_a_page_is_reported_and_the_rest_stay_whole(book, tmp_path):
    corpus, sets = book
    tools = next(s for s in sets if s.id == "tools")
    long = replace(tools.items[0], id="tools.long", stem="\n\n".join(["A long reading passage. " * 40] * 12))
    item_set = replace(tools, items=(tools.items[1], long, *tools.items[2:5]))
    result = build_handouts([item_set], tmp_path, corpus, key=False, with_sources=False)
    assert result.too_tall == {"tools.pdf": ["tools.long"]}
    assert "tools.long" in result.summary()
    _assert_items_whole(tmp_path / "tools.pdf", item_set, ["tools.long"])


@browser
@needs_tools
def test_book_page_print_styles(tmp_path):
    """An item as the book renders it: on paper its buttons are gone, it does not split, and a written response
    gets ruled lines."""
    from playwright.sync_api import sync_playwright

    from sourcework.core.render import render_item
    from sourcework.export.handout import CHROMIUM_ARGS, in_own_thread

    sets, _problems = load_exercises(BOOK, load_corpus(BOOK))
    items = [i for s in sets for i in s.items if i.type in ("choice", "response", "order")]
    body = "".join(render_item(item, "practice", number=n) for n, item in enumerate(items, 1))
    page_path = tmp_path / "page.html"
    static = ROOT / "src" / "sourcework" / "static"
    page_path.write_text('<!doctype html><html lang="en"><head><meta charset="utf-8"><title>t</title>'
                         + "".join(f'<link rel="stylesheet" href="{(static / name).as_uri()}">'
                                   for name in ("sw-items.css", "sw-type-response.css", "sw-type-order.css"))
                         + f'<link rel="stylesheet" href="{CSS_PATH.as_uri()}"></head><body>{body}</body></html>',
                         "utf-8")
    def measure() -> tuple:
        with sync_playwright() as p:
            chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            page = chromium.new_page()
            page.goto(page_path.as_uri())
            page.emulate_media(media="print")
            shown = page.evaluate("Array.from(document.querySelectorAll('.sw-btn, .sw-actions'))"
                                  ".filter(e => getComputedStyle(e).display !== 'none').length")
            breaks = page.evaluate("Array.from(document.querySelectorAll('.sw-item'))"
                                   ".map(e => getComputedStyle(e).breakInside)")
            lines = page.evaluate("getComputedStyle(document.querySelector('.sw-textarea')).backgroundImage")
            page.emulate_media(media="screen")
            on_screen = page.evaluate("Array.from(document.querySelectorAll('.sw-btn'))"
                                      ".filter(e => getComputedStyle(e).display !== 'none').length")
            chromium.close()
        return shown, breaks, lines, on_screen

    shown, breaks, lines, on_screen = in_own_thread(measure)  # another session's Playwright may own this thread
    assert shown == 0 and on_screen > 0
    assert breaks and set(breaks) == {"avoid"}
    assert "repeating-linear-gradient" in lines


@browser
@needs_tools
def test_real_sets_smoke(tmp_path):
    corpus = load_corpus(ROOT)
    sets, _problems = load_exercises(ROOT, corpus)
    if not sets:
        pytest.skip("the book has no exercise sets yet")
    result = build_handouts(sets, tmp_path, corpus)
    assert len(result.pdfs) == len(sets) + 1
    for item_set in sets:
        text = " ".join(_pages(tmp_path / f"{item_set.id}.pdf"))
        for item in item_set.items:
            assert _norm(item.stem) in text, item.id
        _assert_items_whole(tmp_path / f"{item_set.id}.pdf", item_set, result.too_tall.get(f"{item_set.id}.pdf", []))


def test_cli_handouts_html_only(tmp_path, capsys):
    from sourcework.cli import main

    assert main(["--root", str(BOOK), "handouts", "second", "--out", str(tmp_path), "--html-only", "--no-key"]) == 0
    assert sorted(p.name for p in (tmp_path / "html").iterdir()) == ["second.html"]
    assert "print them from a browser" in capsys.readouterr().out
    assert main(["--root", str(BOOK), "handouts", "nope", "--out", str(tmp_path)]) == 1
    assert "unknown exercise set(s): nope" in capsys.readouterr().err


def test_handouts_show_options_and_events_in_the_pages_order():
    """Paper and screen agree, and the written order (key first) never reaches a handout."""
    from sample_items import ALL_ITEMS

    from sourcework.core.render import shown_events, shown_options
    from sourcework.export.handout import render_print_item

    for item in ALL_ITEMS:
        html = render_print_item(item, 1, 1)
        texts = [o.text for o in shown_options(item)] if item.type in ("choice", "select") else []
        texts = texts or ([e.text for e in shown_events(item)] if item.type == "order" else [])
        positions = [html.find(escape(text)) for text in texts]
        assert all(p >= 0 for p in positions) and positions == sorted(positions), item.id


# ------------------------------------------------------------------------------------------- packing, paper


def _pdf_pages(pdf: Path) -> int:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", out, re.M).group(1))


def _twelve(tools: ItemSet) -> ItemSet:
    """A 12-item set from the fixture's items (each used again under a new id when needed)."""
    items = [replace(item, id=f"tools.copy{n}") for n, item in
             enumerate((tools.items * 2)[:12], start=1)]
    return replace(tools, items=tuple(items))


def test_rubric_and_score_line_sit_inside_the_item(book):
    """Nothing of an item is printed outside its box, so keeping the box whole keeps the item whole."""
    corpus, sets = book
    for html in [handout_html(s, corpus) for s in sets] + [key_html(sets)]:
        soup = BeautifulSoup(html, "html.parser")
        for table in soup.select(".sw-print-rubric"):
            assert table.find_parent(class_="sw-print-item") is not None
        for score in soup.select(".sw-print-score"):
            assert score.find_parent(class_="sw-print-item") is not None
        assert not soup.select(".sw-print-after")
        # The name fields are printed once per handout, in its header.
        assert len(soup.select(".sw-print-fields")) == (0 if "sw-print-key" in soup.body["class"] else 1)


def test_short_options_share_a_row_only_on_students_sheets(book):
    from sourcework.export.handout import SHORT_OPTION, render_print_item

    _corpus, sets = book
    for item in (i for s in sets for i in s.items if i.type in ("choice", "select")):
        short = len(item.options) > 2 and all(len(o.text) <= SHORT_OPTION for o in item.options)
        assert ("sw-print-cols" in render_print_item(item, 1, 1)) == short, item.id
        assert "sw-print-cols" not in render_print_item(item, 1, 1, key=True)


@browser
@needs_tools
def test_a_twelve_item_set_takes_fewer_pages_than_items(book, tmp_path):
    corpus, sets = book
    twelve = _twelve(next(s for s in sets if s.id == "tools"))
    result = build_handouts([twelve], tmp_path, corpus, key=False, with_sources=False)
    pdf = tmp_path / "tools.pdf"
    assert result.too_tall == {}
    _assert_items_whole(pdf, twelve, [])
    assert _pdf_pages(pdf) < len(twelve.items) / 2, _pdf_pages(pdf)  # packed, not one item a page
    pages = _pages(pdf)
    assert sum(page.count("Name:") for page in pages) == 1 and "Name:" in pages[0]
    # Footer: the set's title and the page number on every page.
    for number, page in enumerate(pages[:-1] if not pages[-1] else pages, start=1):
        assert f"{twelve.title} · page {number} of " in page, number


# ---------------------------------------------------------------------------------------------- organizers

ORGANIZER_IDS = ["ch3-evidence-table", "ch7-planning-grid", "lateral-reading"]


def _table_head(chapter: Path, first_cell: str) -> list[str]:
    """The column headings of the chapter's Markdown table whose first heading is ``first_cell``."""
    for line in chapter.read_text("utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.lstrip().startswith("|") and cells[0] == first_cell:
            return cells
    raise AssertionError(f"{chapter.name} has no table starting with {first_cell!r}")


def test_organizers_follow_the_chapters():
    from sourcework.export.organizers import load_organizers

    organizers = {o.id: o for o in load_organizers()}
    assert sorted(organizers) == ORGANIZER_IDS
    for organizer_id, first in (("ch3-evidence-table", "Person"), ("ch7-planning-grid", "Source")):
        organizer = organizers[organizer_id]
        chapter = ROOT / organizer.source
        if not chapter.exists():
            pytest.skip(f"{organizer.source} is not in this checkout")
        table = next(b["table"] for b in organizer.blocks if "table" in b)
        assert table["columns"] == _table_head(chapter, first), organizer_id
    lateral = organizers["lateral-reading"]
    chapter_text = _norm((ROOT / lateral.source).read_text("utf-8"))
    titles = [step["title"] for b in lateral.blocks if "steps" in b for step in b["steps"]["items"]]
    for move in ("Stop", "Investigate the source", "Find better coverage", "Trace claims to the original context"):
        assert move in titles and move in chapter_text, move


def test_organizer_html_and_errors(tmp_path):
    from sourcework.export.organizers import build_organizers, load_organizers, organizer_html

    for organizer in load_organizers():
        soup = BeautifulSoup(organizer_html(organizer), "html.parser")
        text = _norm(soup.get_text(" "))
        assert organizer.title in text and "Name:" in text
        for block in organizer.blocks:
            for column in block.get("table", {}).get("columns", []):
                assert _norm(column) in text
    result = build_organizers(tmp_path, html_only=True)
    assert sorted(p.stem for p in result.html) == ORGANIZER_IDS and not result.pdfs
    bad = tmp_path / "bad.yml"
    bad.write_text("organizers:\n  - id: x\n    title: X\n    blocks:\n      - poem: {}\n", "utf-8")
    with pytest.raises(HandoutError, match="not one of"):
        load_organizers(bad)
    bad.write_text("organizers:\n  - id: x\n    title: X\n    colour: red\n", "utf-8")
    with pytest.raises(HandoutError, match="unknown keys: colour"):
        load_organizers(bad)


@browser
@needs_tools
def test_organizer_pdfs(tmp_path):
    from sourcework.export.organizers import build_organizers, load_organizers

    result = build_organizers(tmp_path)
    landscape = {o.id: o.landscape for o in load_organizers()}
    assert sorted(p.stem for p in result.pdfs) == ORGANIZER_IDS
    for pdf in result.pdfs:
        assert 1 <= _pdf_pages(pdf) <= 2, pdf.name
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
        assert (width > height) == landscape[pdf.stem], pdf.name
        text = " ".join(_pages(pdf))
        assert "Name:" in text


def test_cli_handouts_organizers_html_only(tmp_path, capsys):
    from sourcework.cli import main

    assert main(["--root", str(BOOK), "handouts", "second", "--out", str(tmp_path), "--html-only", "--no-key",
                 "--organizers"]) == 0
    assert sorted(p.stem for p in (tmp_path / "organizers" / "html").iterdir()) == ORGANIZER_IDS
    assert "organizer HTML" in capsys.readouterr().out
