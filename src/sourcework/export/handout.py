"""Printable handouts: one PDF per exercise set for students, and one instructor key PDF for all sets.

``core.render`` writes interactive HTML (buttons, scripts, form controls); paper needs something else, so this
module builds print HTML straight from the item model: the stem, the item's source excerpts, options with empty
boxes to tick, answer lines for numbers and written responses, a score line, and (in the key only) the right
answers, feedback, explanations, rubric anchors and teaching notes. The page style is ``static/sw-print.css`` (the
stylesheet the book's exercise pages use on paper) followed by ``static/sw-handout.css``. Headless Chromium (through
Playwright) prints each page with ``page.pdf()``.

Paper is saved by packing: items follow one another with no forced page break, and each item (heading, excerpts,
stem, answer area, a written response's rubric and the score line, all inside one box) stays on one page when it
fits (``break-inside: avoid``); only an item taller than a page is split (``HandoutResult.too_tall`` names it).
Short options sit two to a row on students' sheets; the sources follow on a new page, in two columns. The name
fields are printed once, in the header; the footer gives the set's title and "page n of m". Pages per set before and
after: ``benchmarks/bench_handouts.py`` (B5). The organizers for the chapters' routines are in ``organizers.py``.

The student handouts never contain a key, feedback, explanation, anchor or teaching note.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from fractions import Fraction
from html import escape
from pathlib import Path
from typing import Any

from ..core.corpus import Corpus
from ..core.errors import Problem, SourceworkError
from ..core.model import Criterion, Item, ItemSet, Option
from ..core.numbers import decimal, format_points, tolerance_text
from ..core.render import shown_events, shown_options

STATIC = Path(__file__).resolve().parent.parent / "static"
CSS_PATH = STATIC / "sw-print.css"  # the book's print rules, then the handout's own
CSS_PATHS = (CSS_PATH, STATIC / "sw-handout.css")
CHROMIUM = os.environ.get("SOURCEWORK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]


@dataclass(frozen=True)
class PageBox:
    """The paper and its margins, in inches; the page footer (title, page n of m) sits in the bottom margin."""

    format: str = "Letter"
    width: float = 8.5
    height: float = 11.0
    margin_x: float = 0.6
    margin_y: float = 0.5
    footer: float = 0.3

    @property
    def bottom(self) -> float:
        return self.margin_y + self.footer


PAGE = PageBox()
KEY_NAME = "instructor-key"
CORRECT = "✓ Correct answer"
RESPONSE_LINES = 10
_GRID_QUESTIONS = {
    "attribution": "Which source or sources make each claim?",
    "corroboration": "Does the evidence corroborate each claim, contradict it, or not address it?",
    "classification": "Which category fits each row?",
}


class HandoutError(SourceworkError):
    """A problem that stops the handouts (no sets, no Chromium, unwritable folder)."""


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _paragraphs(text: str, css: str = "") -> str:
    cls = f' class="{css}"' if css else ""
    return "".join(f"<p{cls}>{_e(' '.join(b.split()))}</p>" for b in re.split(r"\n\s*\n", text.strip()) if b.strip())


def _points(value: Fraction | int) -> str:
    return f"{format_points(Fraction(value))} point" + ("" if Fraction(value) == 1 else "s")




# --------------------------------------------------------------------------------------------- item pieces


def _box(round_: bool, ticked: bool) -> str:
    shape = " sw-print-round" if round_ else ""
    return f'<span class="sw-print-box{shape}" aria-hidden="true">{"✓" if ticked else ""}</span>'


SHORT_OPTION = 34  # characters: a student's options this short or shorter sit two to a row


def _options(options: Sequence[Option], keyed: set[str], *, key: bool, round_: bool) -> str:
    """Lettered options with a box each; the key ticks the right ones and gives every option's feedback.

    On a student's sheet, options that are all short sit two to a row (A B, C D), which saves paper.
    """
    rows = []
    for letter, option in zip("ABCDEFGHIJKLMNOPQRSTUVWXYZ", options, strict=False):
        right = key and option.id in keyed
        mark = f' <span class="sw-print-key-mark">{CORRECT}</span>' if right else ""
        rows.append(f'<li>{_box(round_, right)}<span class="sw-print-letter">{letter}.</span>'
                    f"<span>{_e(option.text)}{mark}</span></li>")
        if key and option.feedback:
            rows.append(f'<li class="sw-print-feedback">Feedback: {_e(option.feedback)}</li>')
    short = not key and len(options) > 2 and all(len(o.text) <= SHORT_OPTION for o in options)
    return f'<ul class="sw-print-options{" sw-print-cols" if short else ""}">{"".join(rows)}</ul>'


def _instruction(text: str) -> str:
    return f'<p class="sw-print-instruction">{_e(text)}</p>'


def _choice(item: Item, key: bool) -> str:
    return _instruction("Choose one answer.") + _options(shown_options(item), {item.key}, key=key, round_=True)


def _select(item: Item, key: bool) -> str:
    return _instruction("Select all that apply.") + _options(shown_options(item), set(item.key), key=key, round_=False)


def _grid(item: Item, key: bool) -> str:
    multi = any(len(row.key) > 1 for row in item.rows)
    how = "Tick every column that applies in each row." if multi else "Tick one column in each row."
    head = "".join(f'<th scope="col">{_e(c.label)}</th>' for c in item.columns)
    row_label = "Item" if item.mode == "classification" else "Claim"
    body = []
    for number, row in enumerate(item.rows, start=1):
        cells = "".join(f'<td class="sw-print-cell">{_box(False, key and c.id in row.key)}</td>'
                        for c in item.columns)
        body.append(f'<tr><th scope="row">{number}. {_e(row.text)}</th>{cells}</tr>')
        if key and row.feedback:
            keyed = ", ".join(c.label for c in item.columns if c.id in row.key)
            body.append(f'<tr><td colspan="{len(item.columns) + 1}" class="sw-print-feedback">'
                        f"{CORRECT}: {_e(keyed)}. Feedback: {_e(row.feedback)}</td></tr>")
    return (_instruction(f"{_GRID_QUESTIONS.get(item.mode, 'Choose for each row.')} {how}")
            + f'<table class="sw-print-grid"><thead><tr><th scope="col">{row_label}</th>{head}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table>")


def _mark(item: Item, key: bool) -> str:
    where = f"Source {item.source} ¶{item.paragraph}" if item.source else ""
    passage = _excerpt(item.passage, where)
    spans = tuple(Option(s.id, s.text, s.feedback) for s in item.spans)
    return (passage + _instruction(f"Tick every phrase from the passage that does this job: {item.job}.")
            + _options(spans, set(item.key), key=key, round_=False))


def _numeric(item: Item, key: bool) -> str:
    out = (f'<p class="sw-print-answer">Answer: <span class="sw-print-blank">&nbsp;</span> {_e(item.unit)}</p>')
    if key and item.answer is not None:
        accepted = f"accepted {tolerance_text(item)}"
        out += (f'<p class="sw-print-feedback"><span class="sw-print-key-mark">{CORRECT}</span>: '
                f"{_e(decimal(item.answer))} {_e(item.unit)} ({accepted}).</p>")
        out += _outcomes(item)
    return _instruction("Write a number.") + out


def _outcomes(item: Item) -> str:
    return "".join(f'<p class="sw-print-feedback">Feedback if {_e(outcome)}: {_e(text)}</p>'
                   for outcome, text in (item.outcome_feedback or {}).items() if text)


def _order(item: Item, key: bool) -> str:
    """Events with a box for the student's number; the key writes the right number in each box."""
    count = len(item.events)
    rank = {event_id: n for n, event_id in enumerate(item.key or (), start=1)} if key else {}
    events = "".join(f'<li><span class="sw-print-box" aria-hidden="true">{rank.get(e.id, "")}</span>'
                     f"<span>{_e(e.text)}</span></li>" for e in shown_events(item))
    out = (_instruction(f"Number the events from 1 (earliest) to {count} (latest).")
           + f'<ul class="sw-print-options sw-print-order">{events}</ul>')
    if key:
        out += (f'<p class="sw-print-feedback"><span class="sw-print-key-mark">{CORRECT}</span>: the numbers in the '
                "boxes give the order.</p>" + _outcomes(item))
    return out


def _two_part(item: Item, key: bool) -> str:
    out = []
    for letter, part in (("A", item.part_a), ("B", item.part_b)):
        if part is not None:
            shown = shown_options(item, letter.lower())
            out.append(f"<h3>Part {letter}</h3>{_paragraphs(part.stem)}"
                       + _options(shown, {part.key}, key=key, round_=True))
    return "".join(out)


def _rubric(criteria: Sequence[Criterion], key: bool) -> str:
    """The rubric as a table, each criterion named once (over its levels, best first)."""
    anchor_head = '<th scope="col">Anchor answer</th>' if key else ""
    rows = []
    for criterion in criteria:
        levels = sorted(criterion.levels, key=lambda lv: -lv.points)
        for n, level in enumerate(levels):
            head = (f'<th scope="rowgroup" rowspan="{len(levels)}">{_e(criterion.criterion)}</th>' if n == 0
                    else "")
            anchor = f"<td>{_e(level.anchor)}</td>" if key else ""
            rows.append(f'<tr class="{"sw-print-first" if n == 0 else ""}">{head}<td>{_e(level.label)}</td>'
                        f"<td>{level.points}</td><td>{_e(level.descriptor)}</td>{anchor}</tr>")
    return ('<table class="sw-print-rubric"><caption>How the response is scored</caption><thead><tr>'
            '<th scope="col">Criterion</th><th scope="col">Level</th><th scope="col">Points</th>'
            f'<th scope="col">Descriptor</th>{anchor_head}</tr></thead><tbody>{"".join(rows)}</tbody></table>')


def _response(item: Item, key: bool) -> str:
    """Answer lines, then the rubric (both inside the item's box, so they stay on the item's page when they fit)."""
    if key:
        return _instruction("Scored with the rubric below.") + _rubric(item.rubric, key)
    lines = '<div class="sw-print-lines">' + "<div></div>" * RESPONSE_LINES + "</div>"
    return (_instruction("Write your response on the lines. The rubric below says how it is scored.") + lines
            + _rubric(item.rubric, key))


_BODIES = {"choice": _choice, "select": _select, "grid": _grid, "mark": _mark, "numeric": _numeric,
           "order": _order, "two-part": _two_part, "response": _response}


def _excerpt(text: str, where: str) -> str:
    caption = f"<figcaption>{_e(where)}</figcaption>" if where else ""
    return (f'<figure class="sw-print-excerpt"><blockquote>{_e(" ".join(text.split()))}</blockquote>'
            f"{caption}</figure>")


def render_print_item(item: Item, number: int, total: int, *, key: bool = False) -> str:
    """One item on paper: heading, meta line, excerpts, stem, the answer area and a score line."""
    title = f" {_e(item.title)}" if item.title else ""
    sources = ", ".join(item.sources)
    meta = [_points(item.points), f"Skill: {item.skill.replace('-', ' ')}"]
    if sources:
        meta.append(f"Source{'s' if len(item.sources) > 1 else ''}: {sources}")
    out = [f'<section class="sw-print-item" id="print-{_e(item.id)}" data-sw-id="{_e(item.id)}">',
           f'<div class="sw-print-head"><h2 class="sw-print-title">Question {number} of {total}{title}</h2>',
           f'<p class="sw-print-meta">{_e(" · ".join(meta))}</p></div>']
    out += [_excerpt(e.text, f"Source {e.source} ¶{e.paragraph}") for e in item.excerpts]
    out.append(f'<div class="sw-print-stem">{_paragraphs(item.stem)}</div>')
    out.append(_BODIES[item.type](item, key))
    if key:
        out += _notes(item)
    out.append(f'<p class="sw-print-score">Score for question {number}: <span class="sw-print-blank">&nbsp;</span>'
               f" of {_points(item.points)}</p>")
    out.append("</section>")
    return "\n".join(out)


def _notes(item: Item) -> list[str]:
    out = []
    if item.explanation:
        out.append(f'<div class="sw-print-note"><span class="sw-print-note-title">Explanation.</span> '
                   f"{_e(' '.join(item.explanation.split()))}</div>")
    if item.teaching_note:
        out.append(f'<div class="sw-print-note"><span class="sw-print-note-title">Teaching note.</span> '
                   f"{_e(' '.join(item.teaching_note.split()))}</div>")
    return out


# ------------------------------------------------------------------------------------------------- pages


def _header(item_set: ItemSet, *, key: bool) -> str:
    possible = sum((i.points for i in item_set.items), Fraction(0))
    count = len(item_set.items)
    out = ['<header class="sw-print-header">', f"<h1>{_e(item_set.title)}</h1>"]
    if key:
        out.append('<p class="sw-print-banner">Instructor key: answers, feedback and teaching notes. '
                   "Not for students.</p>")
    else:
        out.append('<div class="sw-print-fields">' + "".join(
            f'<div class="sw-print-field">{label}: <span>&nbsp;</span></div>' for label in ("Name", "Class", "Date"))
            + "</div>")
    out.append(f"<p>{count} question{'s' if count != 1 else ''}, {_points(possible)} in all.</p>")
    if item_set.intro:
        out.append(_paragraphs(item_set.intro))
    out.append("</header>")
    return "\n".join(out)


def _set_body(item_set: ItemSet, *, key: bool) -> str:
    total = len(item_set.items)
    items = "\n".join(render_print_item(item, n, total, key=key) for n, item in enumerate(item_set.items, 1))
    return f'<article class="sw-print-set" id="set-{_e(item_set.id)}">{_header(item_set, key=key)}{items}</article>'


def used_sources(item_set: ItemSet) -> list[str]:
    """Source labels the set's items cite, excerpt or mark, in label order."""
    labels = {label for item in item_set.items for label in item.sources}
    labels |= {e.source for item in item_set.items for e in item.excerpts}
    labels |= {item.source for item in item_set.items if item.source}
    return sorted(labels)


def _sources_appendix(labels: Sequence[str], corpus: Corpus) -> str:
    """The reproduced text of each source, paragraphs numbered as in the book, with provenance."""
    parts = []
    for label in labels:
        source = corpus.sources.get(label)
        if source is None:
            continue
        meta = source.meta
        blocks = []
        for block in source.blocks:
            if block.kind == "paragraph":
                blocks.append(f'<p class="sw-print-para"><span class="sw-print-para-number">¶{block.number}</span> '
                              f"{_e(block.text)}</p>")
            elif block.kind == "heading":
                blocks.append(f"<h3>{_e(block.text)}</h3>")
            else:
                blocks.append('<p class="sw-print-para">[…]</p>')
        provenance = (f"{meta.get('publisher', '')} · {meta.get('genre', '')} · {meta.get('date', '')}. "
                      f"{meta.get('date_note', '')} {meta.get('url', '')}")
        parts.append(f'<section class="sw-print-source"><h2>Source {_e(label)}: {_e(meta.get("title", ""))}</h2>'
                     f'<p class="sw-print-provenance">{_e(provenance)}</p>'
                     f'<p class="sw-print-provenance sw-print-rule">{_e(meta.get("reuse_note", ""))}</p>'
                     f'{"".join(blocks)}</section>')
    if not parts:
        return ""
    return f'<div class="sw-print-sources">{"".join(parts)}</div>'


def _page(title: str, body: str, css: str, *, extra_class: str = "", landscape: bool = False) -> str:
    # The handout's own page box comes after the stylesheet's, so it wins: Letter, room for the page footer.
    size = PAGE.format.lower() + (" landscape" if landscape else "")
    page = f"@page {{ size: {size}; margin: {PAGE.margin_y}in {PAGE.margin_x}in {PAGE.bottom}in; }}"
    return (f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>{_e(title)}</title>'
            f"<style>{css}\n{page}</style></head>\n<body class=\"sw-handout{extra_class}\"><main>{body}</main>"
            "</body></html>\n")


def _css() -> str:
    texts = []
    for path in CSS_PATHS:
        try:
            texts.append(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise HandoutError(Problem(str(path), 0, "the print stylesheet is missing.",
                                       "Reinstall the sourcework package.")) from exc
    return "\n".join(texts)


def handout_html(item_set: ItemSet, corpus: Corpus | None = None, *, with_sources: bool = True) -> str:
    """The student handout of one set: no keys, feedback, explanations, anchors or teaching notes."""
    body = _set_body(item_set, key=False)
    if with_sources and corpus is not None:
        body += _sources_appendix(used_sources(item_set), corpus)
    return _page(item_set.title, body, _css())


def key_html(sets: Sequence[ItemSet], title: str = "Instructor key") -> str:
    """The instructor key for every set: each set starts on a new page."""
    return _page(title, "\n".join(_set_body(s, key=True) for s in sets), _css(), extra_class=" sw-print-key")


# --------------------------------------------------------------------------------------------------- PDFs


@dataclass
class HandoutResult:
    """What was written, and items too tall to stay on one page (Chromium must split those)."""

    folder: Path
    pdfs: list[Path] = field(default_factory=list)
    html: list[Path] = field(default_factory=list)
    too_tall: dict[str, list[str]] = field(default_factory=dict)  # PDF name → item ids

    def summary(self) -> str:
        lines = [f"Wrote {len(self.pdfs)} PDF(s) to {self.folder}:"] + [f"  {p.name}" for p in self.pdfs]
        if not self.pdfs:
            lines = [f"Wrote {len(self.html)} HTML file(s) to {self.folder} (print them from a browser)."]
        for name, ids in self.too_tall.items():
            lines.append(f"  {name}: {', '.join(ids)} taller than a page, so split across pages.")
        return "\n".join(lines)


def _footer(title: str) -> str:
    return ('<div style="font-family: sans-serif; font-size: 8px; width: 100%; text-align: center; color: #000;">'
            f'{_e(title)} · page <span class="pageNumber"></span> of <span class="totalPages"></span></div>')


def _page_box_px(landscape: bool = False) -> tuple[float, float]:
    """Width and height (CSS px) of the printable area of one page, footer excluded."""
    paper_width, paper_height = (PAGE.height, PAGE.width) if landscape else (PAGE.width, PAGE.height)
    width = (paper_width - 2 * PAGE.margin_x) * 96
    height = (paper_height - PAGE.margin_y - PAGE.bottom) * 96
    return width, height


def _launch(playwright):
    if not Path(CHROMIUM).exists():
        raise HandoutError(Problem(CHROMIUM, 0, "Chromium was not found, so no PDF can be printed.",
                                   "Install Debian's chromium (make browser-deps), set SOURCEWORK_CHROMIUM to a "
                                   "Chromium binary, or use --html-only and print the HTML from a browser."))
    try:
        return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    except Exception as exc:  # Playwright raises its own Error type for any launch failure
        raise HandoutError(Problem(CHROMIUM, 0, f"Chromium did not start: {str(exc).splitlines()[0]}",
                                   "Check that this Chromium runs headless here, or use --html-only.")) from exc


def _print_pdf(browser, html_path: Path, pdf_path: Path, title: str, *, landscape: bool = False) -> list[str]:
    """Print one HTML file to PDF; return the ids of items taller than a page."""
    width, height = _page_box_px(landscape)
    page = browser.new_page(viewport={"width": int(width), "height": int(height)})
    try:
        page.goto(html_path.resolve().as_uri())
        page.emulate_media(media="print")
        heights = page.evaluate("Array.from(document.querySelectorAll('.sw-print-item'))"
                                ".map(e => [e.dataset.swId, e.getBoundingClientRect().height])")
        # An item taller than a page must split anyway: let it start where the last item ended (not on a fresh
        # page), keeping its heading, stem, answer lines and each rubric row whole (sw-handout.css, .sw-print-tall).
        page.evaluate(f"document.querySelectorAll('.sw-print-item').forEach(e => {{ if (e.getBoundingClientRect()"
                      f".height > {height}) e.classList.add('sw-print-tall'); }})")
        partial = pdf_path.with_name(pdf_path.name + ".partial")
        margin = {"top": f"{PAGE.margin_y}in", "bottom": f"{PAGE.bottom}in", "left": f"{PAGE.margin_x}in",
                  "right": f"{PAGE.margin_x}in"}
        page.pdf(path=str(partial), format=PAGE.format, landscape=landscape, margin=margin, print_background=True,
                 display_header_footer=True, header_template="<span></span>", footer_template=_footer(title))
        partial.replace(pdf_path)
    finally:
        page.close()
    return [item_id for item_id, h in heights if h > height]


def _write_html(folder: Path, name: str, html: str) -> Path:
    path = folder / f"{name}.html"
    path.write_text(html, encoding="utf-8")
    return path


def build_handouts(sets: Sequence[ItemSet], out: Path | str, corpus: Corpus | None = None, *,
                   with_sources: bool = True, key: bool = True, html_only: bool = False) -> HandoutResult:
    """Write ``<set>.pdf`` for each set and ``instructor-key.pdf`` (and their HTML) into ``out``."""
    folder = Path(out)
    if not sets:
        raise HandoutError(Problem(str(folder), 0, "there are no exercise sets to print.",
                                   "Check exercises/ (sourcework check) or name existing sets."))
    try:
        (folder / "html").mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise HandoutError(Problem(str(folder), 0, f"cannot create the folder: {exc.strerror or exc}.",
                                   "Choose a folder you can write to.")) from exc
    jobs = [(s.id, s.title, handout_html(s, corpus, with_sources=with_sources)) for s in sets]
    if key:
        jobs.append((KEY_NAME, "Instructor key", key_html(sets)))
    result = HandoutResult(folder)
    for name, _title, html in jobs:
        result.html.append(_write_html(folder / "html", name, html))
    if html_only:
        result.folder = folder / "html"
        return result
    try:
        from playwright.sync_api import sync_playwright  # noqa: F401  (checked here; used in _print_all)
    except ImportError as exc:
        raise HandoutError(Problem("playwright", 0, "Playwright is not installed, so no PDF can be printed.",
                                   "pip install playwright (it drives the system Chromium), or use --html-only.")
                           ) from exc
    printable = [(folder / f"{name}.pdf", html_path, title) for (name, title, _html), html_path
                 in zip(jobs, result.html, strict=True)]
    result.too_tall = in_own_thread(_print_all, printable)
    result.pdfs = [pdf for pdf, _html, _title in printable]
    return result


def _print_all(jobs: Sequence[tuple[Path, Path, str]], landscape: Sequence[str] = ()) -> dict[str, list[str]]:
    """Print each (pdf, html, title) with one Chromium; return the too-tall item ids per PDF name.

    PDFs whose names are in ``landscape`` are printed on landscape paper."""
    from playwright.sync_api import sync_playwright

    too_tall: dict[str, list[str]] = {}
    with sync_playwright() as playwright:
        browser = _launch(playwright)
        try:
            for pdf, html_path, title in jobs:
                try:
                    tall = _print_pdf(browser, html_path, pdf, title, landscape=pdf.name in landscape)
                except Exception as exc:  # Playwright's own Error: a crash or time-out while printing
                    raise HandoutError(Problem(str(pdf), 0, f"Chromium failed while printing: "
                                               f"{str(exc).splitlines()[0]}", "Try again, or use --html-only "
                                               f"and print {html_path} from a browser.")) from exc
                if tall:
                    too_tall[pdf.name] = tall
        finally:
            browser.close()
    return too_tall


def in_own_thread(function: Any, *args: Any) -> Any:
    """Run ``function(*args)`` in a fresh thread and return its result (or raise its exception).

    Playwright's sync API refuses to start where an asyncio loop is running (a Jupyter notebook, or another
    Playwright session in the same thread); a new thread has no loop.
    """
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args).result()
