"""Printable organizers for the analysis routines the chapters teach (the Chapter 3 evidence table, the Chapter 7
planning grid, the lateral-reading sheet of Chapter 6).

Their words live in ``organizers.yml`` next to this module (a data file, so authors can change a column or a step
without touching code); this module checks that file, writes one HTML page per organizer with the handouts'
stylesheets, and prints each with the same Chromium pipeline as the handouts (``handout._print_all``), to
``<out>/organizers/<id>.pdf``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..core.errors import Problem
from .handout import HandoutError, _css, _e, _page, _paragraphs, _print_all, _write_html, in_own_thread

ORGANIZERS = Path(__file__).resolve().parent / "organizers.yml"
_KEYS = {"id", "title", "from", "landscape", "fields", "intro", "blocks"}
_BLOCKS = {"table", "steps", "checklist", "page_break"}


@dataclass(frozen=True)
class Organizer:
    id: str
    title: str
    source: str  # the chapter file it follows
    landscape: bool
    intro: str
    blocks: tuple[dict[str, Any], ...]
    fields: tuple[str, ...] = ()


@dataclass
class OrganizerResult:
    folder: Path
    pdfs: list[Path] = field(default_factory=list)
    html: list[Path] = field(default_factory=list)

    def summary(self) -> str:
        if not self.pdfs:
            return f"Wrote {len(self.html)} organizer HTML file(s) to {self.folder} (print them from a browser)."
        return "\n".join([f"Wrote {len(self.pdfs)} organizer PDF(s) to {self.folder}:"]
                         + [f"  {p.name}" for p in self.pdfs])


def _fail(path: Path, message: str, fix: str) -> HandoutError:
    return HandoutError(Problem(str(path), 0, message, fix))


def load_organizers(path: Path = ORGANIZERS) -> list[Organizer]:
    """Read and check the organizers file: every organizer has an id, a title and known blocks."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise _fail(path, f"cannot read the organizers: {exc}", "Fix the YAML (or reinstall sourcework).") from exc
    out = []
    for n, entry in enumerate(data.get("organizers") or [], start=1):
        where = f"organizer {n}"
        if not isinstance(entry, dict) or not entry.get("id") or not entry.get("title"):
            raise _fail(path, f"{where} needs an id and a title.", "Add them.")
        unknown = set(entry) - _KEYS
        if unknown:
            raise _fail(path, f"{where} ({entry['id']}) has unknown keys: {', '.join(sorted(unknown))}.",
                        f"Use only {', '.join(sorted(_KEYS))}.")
        blocks = entry.get("blocks") or []
        for block in blocks:
            if not isinstance(block, dict) or len(block) != 1 or next(iter(block)) not in _BLOCKS:
                raise _fail(path, f"{where} ({entry['id']}) has a block that is not one of "
                            f"{', '.join(sorted(_BLOCKS))}: {block!r}.", "Give each block exactly one of those keys.")
            kind, body = next(iter(block.items()))
            if kind == "table" and not (isinstance(body, dict) and body.get("columns")):
                raise _fail(path, f"{where} ({entry['id']}): a table needs columns.", "Add columns: [..].")
        out.append(Organizer(id=str(entry["id"]), title=str(entry["title"]), source=str(entry.get("from", "")),
                             landscape=bool(entry.get("landscape", False)), intro=str(entry.get("intro", "")),
                             blocks=tuple(blocks), fields=tuple(str(f) for f in entry.get("fields") or ())))
    if not out:
        raise _fail(path, "there are no organizers.", "Add at least one under organizers:.")
    return out


# --------------------------------------------------------------------------------------------------- HTML


def _heading(body: dict[str, Any]) -> str:
    return f'<h2 class="sw-org-heading">{_e(body["heading"])}</h2>' if body.get("heading") else ""


def _table(body: dict[str, Any]) -> str:
    columns = [str(c) for c in body["columns"]]
    rows = [[str(c) for c in row] for row in body.get("rows") or []]
    rows += [[] for _ in range(int(body.get("blank_rows", 0)))]
    tall = " sw-org-tall" if body.get("tall") else ""
    head = "".join(f'<th scope="col">{_e(c)}</th>' for c in columns)
    lines = []
    for row in rows:
        cells = row + [""] * (len(columns) - len(row))
        first = f'<th scope="row">{_e(cells[0])}</th>'
        rest = "".join(f"<td>{_e(c)}</td>" for c in cells[1:])
        example = ' class="sw-org-example"' if len(row) > 1 else ""
        lines.append(f"<tr{example}>{first}{rest}</tr>")
    return (f'{_heading(body)}<table class="sw-org-table{tall}"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(lines)}</tbody></table>")


def _steps(body: dict[str, Any]) -> str:
    items = []
    for step in body.get("items") or []:
        lines = '<div class="sw-print-lines">' + "<div></div>" * int(step.get("lines", 0)) + "</div>"
        items.append(f'<li class="sw-org-step"><p><strong>{_e(step["title"])}.</strong> '
                     f"{_e(' '.join(str(step.get('prompt', '')).split()))}</p>"
                     f"{lines if step.get('lines') else ''}</li>")
    if body.get("numbered", True) is False:
        return f'{_heading(body)}<ul class="sw-org-steps sw-org-plain">{"".join(items)}</ul>'
    start = int(body.get("start", 1))
    first = f' start="{start}"' if start != 1 else ""
    return f'{_heading(body)}<ol class="sw-org-steps"{first}>{"".join(items)}</ol>'


def _checklist(body: dict[str, Any]) -> str:
    items = "".join(f'<li><span class="sw-print-box" aria-hidden="true"></span><span>{_e(" ".join(str(i).split()))}'
                    "</span></li>" for i in body.get("items") or [])
    return f'{_heading(body)}<ul class="sw-print-options sw-org-checklist">{items}</ul>'


_RENDER = {"table": _table, "steps": _steps, "checklist": _checklist,
           "page_break": lambda _body: '<div class="sw-org-break"></div>'}


def organizer_html(organizer: Organizer) -> str:
    """One organizer as a printable page: title, name fields, the routine's intro, then its blocks."""
    labels = ("Name", "Class", "Date", *organizer.fields)
    fields = "".join(f'<div class="sw-print-field">{_e(label)}: <span>&nbsp;</span></div>' for label in labels)
    blocks = "".join(_RENDER[kind](body) for block in organizer.blocks for kind, body in block.items())
    body = (f'<article class="sw-org" id="org-{_e(organizer.id)}"><header class="sw-print-header">'
            f'<h1>{_e(organizer.title)}</h1><div class="sw-print-fields">{fields}</div>'
            f"{_paragraphs(organizer.intro)}</header>{blocks}</article>")
    extra = " sw-organizer" + (" sw-org-landscape" if organizer.landscape else "")
    return _page(organizer.title, body, _css(), extra_class=extra, landscape=organizer.landscape)


def build_organizers(out: Path | str, *, html_only: bool = False,
                     organizers: list[Organizer] | None = None) -> OrganizerResult:
    """Write ``<out>/organizers/<id>.pdf`` (and its HTML, in ``html/``) for every organizer."""
    chosen = organizers if organizers is not None else load_organizers()
    folder = Path(out) / "organizers"
    try:
        (folder / "html").mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _fail(folder, f"cannot create the folder: {exc.strerror or exc}.", "Choose a folder you can write to.") \
            from exc
    result = OrganizerResult(folder)
    result.html = [_write_html(folder / "html", o.id, organizer_html(o)) for o in chosen]
    if html_only:
        result.folder = folder / "html"
        return result
    try:
        from playwright.sync_api import sync_playwright  # noqa: F401  (checked here; used in _print_all)
    except ImportError as exc:
        raise _fail(folder, "Playwright is not installed, so no PDF can be printed.",
                    "pip install playwright (it drives the system Chromium), or use --html-only.") from exc
    jobs = [(folder / f"{o.id}.pdf", html, o.title) for o, html in zip(chosen, result.html, strict=True)]
    in_own_thread(_print_all, jobs, [f"{o.id}.pdf" for o in chosen if o.landscape])
    result.pdfs = [pdf for pdf, _html, _title in jobs]
    return result
