"""Item analysis for a class: read a gradebook written by ``sourcework grade`` and write one HTML report.

For each item: its difficulty (the mean fraction of its points students earned), its discrimination (the
correlation between the item and the rest of its set, and the upper–lower 27% index) and how often each option was
chosen. For the class: per-skill means, a score histogram and a difficulty × discrimination chart (matplotlib PNGs
embedded in the page, each with alt text and a data table beside it). Items whose discrimination is negative are
flagged with a plain explanation. The page is a single self-contained file: no JavaScript, no network.

Definitions (written into the report too):

- A student *took* a set when the gradebook has any response or any earned point for one of its items. Students who
  did not take a set are left out of its items' statistics; an empty ``item:`` cell (e.g. a response not yet scored
  by the teacher) leaves that one student out of that one item.
- Difficulty p = mean of earned/possible over the students scored on the item (1 = everyone got full marks).
- Discrimination r = Pearson correlation between earned/possible on the item and the student's points on the rest
  of the same set (the set total without this item). For a right/wrong item this is the corrected point-biserial.
  Undefined with fewer than 3 students or when either side does not vary.
- Upper–lower index D = mean earned/possible of the top 27% minus the bottom 27% of those students, ranked by the
  same rest-of-set score (group size round(0.27·n), at least 1 and at most n/2; ties in gradebook order).
"""

from __future__ import annotations

import base64
import csv
import io
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from html import escape
from pathlib import Path
from typing import Any

import numpy as np

from ..core.errors import Problem, SourceworkError
from ..core.model import Item, ItemSet
from ..core.numbers import format_points

REQUIRED = ("student_id",)
MIN_FOR_R = 3
SMALL_CLASS = 30
GROUP_SHARE = 0.27
NO_ANSWER = "(no answer)"
OTHER = "(other or unreadable)"
_MISSING = object()


class ReportError(SourceworkError):
    """A gradebook the report cannot use; the message says what is wrong and how to fix it."""


def _error(path: str, line: int, message: str, fix: str) -> ReportError:
    return ReportError(Problem(path, line, message, fix))


# ------------------------------------------------------------------------------------------------- reading


@dataclass
class Gradebook:
    """The numeric and response columns of a gradebook, aligned with the exercise items they belong to.

    ``earned[s, j]`` is student s's points on ``items[j]`` (NaN when the cell is empty); ``responses[j][s]`` is None
    for an empty cell, else the parsed JSON for the types whose options are counted (``_MISSING`` if unreadable)
    and True for the others (only "answered or not" matters there).
    """

    path: str
    items: list[Item]
    earned: np.ndarray
    responses: list[list[Any]]
    students: int
    unreadable: int = 0


def _cell(value: str) -> str:
    """A cell with surrounding space and the formula-neutralising leading apostrophe removed."""
    value = value.strip()
    return value[1:].strip() if value.startswith("'") else value


def _dialect(first_line: str) -> str:
    """The delimiter: comma, unless the header plainly uses semicolons or tabs (spreadsheet exports)."""
    if "," in first_line:
        return ","
    return max((";", "\t"), key=first_line.count) if (";" in first_line or "\t" in first_line) else ","


def _read_rows(path: Path) -> list[list[str]]:
    label = str(path)
    if not path.exists():
        raise _error(label, 0, "the gradebook file does not exist.", "Check the path, or run `sourcework grade` first.")
    if path.is_dir():
        raise _error(label, 0, "this is a folder, not a gradebook file.", "Give the CSV file written by grade.")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _error(label, 0, "the gradebook is not UTF-8 text.",
                     "Save it as 'CSV UTF-8' from the spreadsheet, or use the file grade wrote.") from exc
    except OSError as exc:
        raise _error(label, 0, f"the gradebook cannot be read: {exc.strerror or exc}.",
                     "Check the file's permissions.") from exc
    if not text.strip():
        raise _error(label, 0, "the gradebook is empty.", "Run `sourcework grade FILES… --out gradebook.csv` first.")
    try:
        rows = list(csv.reader(io.StringIO(text), delimiter=_dialect(text.split("\n", 1)[0])))
    except csv.Error as exc:
        raise _error(label, 0, f"the gradebook is not valid CSV: {exc}.", "Use the file grade wrote.") from exc
    return rows


def _columns(header: list[str], label: str) -> dict[str, int]:
    names = [name.strip() for name in header]
    seen: dict[str, int] = {}
    for index, name in enumerate(names):
        if name in seen and name:
            raise _error(label, 1, f"column {name!r} appears twice.", "Delete the copy; keep one column per name.")
        seen[name] = index
    missing = [name for name in REQUIRED if name not in seen]
    if missing:
        raise _error(label, 1, f"the gradebook has no {', '.join(missing)} column.",
                     "Use the CSV written by `sourcework grade`; its first columns are student_id, student_name, "
                     "file, total, possible, percent.")
    if not any(name.startswith("item:") for name in seen):
        raise _error(label, 1, "the gradebook has no item:<id> columns, so there is nothing to analyse.",
                     "Use the CSV written by `sourcework grade` (one item:<id> column per item).")
    return seen


def _match_items(columns: dict[str, int], sets: Sequence[ItemSet], label: str) -> list[Item]:
    """The items of the gradebook's item columns, in exercise order; unknown or partial sets are errors."""
    known = {item.id: item for item_set in sets for item in item_set.items}
    in_book = [name[5:] for name in columns if name.startswith("item:")]
    unknown = [item_id for item_id in in_book if item_id not in known]
    if unknown:
        shown = ", ".join(unknown[:12]) + (f" and {len(unknown) - 12} more" if len(unknown) > 12 else "")
        raise _error(label, 1, f"this gradebook is from other exercises: the current sets have no item {shown}.",
                     "Grade the submissions again with the current exercises, or run the report from the book "
                     "folder the gradebook came from (--root).")
    present = set(in_book)
    items: list[Item] = []
    for item_set in sets:
        ids = [item.id for item in item_set.items]
        if present.isdisjoint(ids):
            continue
        absent = [item_id for item_id in ids if item_id not in present]
        if absent:
            raise _error(label, 1, f"set {item_set.id!r} is in the gradebook but column(s) "
                         f"{', '.join('item:' + a for a in absent)} are missing.",
                         "Restore the deleted columns or grade again; a set is analysed only as a whole.")
        items += list(item_set.items)
    for item in items:
        if f"response:{item.id}" not in columns:
            raise _error(label, 1, f"column response:{item.id} is missing.",
                         "Keep the response:<id> columns that grade writes; the option counts come from them.")
    return items


def _numbers(cells: Sequence[str], item: Item, label: str, lines: Sequence[int]) -> np.ndarray:
    """One item column as floats (NaN for empty cells); a located error for text or points out of range."""
    values = np.empty(len(cells))
    for s, raw in enumerate(cells):
        text = _cell(raw)
        try:
            values[s] = float(text.replace(",", "")) if text else math.nan
        except ValueError as exc:
            raise _error(label, lines[s], f"column item:{item.id} holds {text!r}, which is not a number of points.",
                         "Write the points as a number (e.g. 1.5), or leave the cell empty if not scored yet.") from exc
    bad = np.flatnonzero(~np.isnan(values) & ((values < -1e-9) | (values > float(item.points) + 1e-6)))
    if len(bad):
        s = int(bad[0])
        raise _error(label, lines[s], f"column item:{item.id} holds {_cell(cells[s])}, outside 0 to "
                     f"{format_points(item.points)} points.",
                     "The exercises may have changed since grading: grade again with the current sets.")
    return values


def _responses(cells: Sequence[str], *, parse: bool) -> tuple[list[Any], int]:
    """One response column: None for an empty cell, the JSON value (``parse``) or True, _MISSING if not JSON."""
    out: list[Any] = []
    unreadable = 0
    for raw in cells:
        text = _cell(raw)
        if not text:
            out.append(None)
        elif not parse:
            out.append(True)
        else:
            try:
                out.append(json.loads(text))
            except ValueError:
                out.append(_MISSING)
                unreadable += 1
    return out, unreadable


COUNTED = ("choice", "select", "grid", "mark", "two-part")  # types whose option choices the report tallies


def read_gradebook(path: Path | str, sets: Sequence[ItemSet]) -> Gradebook:
    """Read and check a gradebook against the current exercise sets; every problem is a :class:`ReportError`."""
    path = Path(path)
    label = str(path)
    rows = _read_rows(path)
    header, body = rows[0], [(n, row) for n, row in enumerate(rows[1:], start=2) if any(c.strip() for c in row)]
    columns = _columns(header, label)
    items = _match_items(columns, sets, label)
    if not body:
        raise _error(label, 0, "the gradebook has a header but no students.",
                     "Grade at least one submission file, then run the report.")
    width = len(header)
    for line, row in body:
        if len(row) > width:
            raise _error(label, line, f"this row has {len(row)} cells but the header has {width}.",
                         "A value probably contains an unquoted comma; save the file again as CSV.")
    lines = [line for line, _row in body]
    table = list(zip(*(row + [""] * (width - len(row)) for _line, row in body), strict=True))  # one tuple per column
    earned = np.full((len(body), len(items)), np.nan)
    responses: list[list[Any]] = []
    unreadable = 0
    for j, item in enumerate(items):
        earned[:, j] = _numbers(table[columns[f"item:{item.id}"]], item, label, lines)
        values, bad = _responses(table[columns[f"response:{item.id}"]], parse=item.type in COUNTED)
        responses.append(values)
        unreadable += bad
    return Gradebook(label, items, earned, responses, len(body), unreadable)


# ------------------------------------------------------------------------------------------------ statistics


@dataclass
class OptionCount:
    """How many students chose one option (or gave no answer) in one part of an item."""

    label: str
    count: int
    keyed: bool = False


@dataclass
class ItemStats:
    """One item's statistics over the students scored on it."""

    item: Item
    number: int
    n: int
    difficulty: float | None
    r: float | None
    d: float | None
    options: list[tuple[str, list[OptionCount]]] = field(default_factory=list)

    @property
    def flagged(self) -> bool:
        return self.r is not None and self.r < 0


@dataclass
class Analysis:
    """Everything the report shows; the tests compare these numbers with their own."""

    gradebook: Gradebook
    sets: list[ItemSet]
    items: list[ItemStats]
    set_takers: dict[str, int]
    set_means: dict[str, float | None]
    skills: dict[str, tuple[int, int, float]]  # skill → (items, students, mean fraction)
    percents: np.ndarray  # one overall percent per student who took any set
    bins: list[tuple[int, int, int]]  # (from %, to %, students)


def _taken(book: Gradebook, members: list[int]) -> np.ndarray:
    """Which students took a set: any response or any earned point on one of its items."""
    took = np.zeros(book.students, dtype=bool)
    for j in members:
        answered = np.array([value is not None for value in book.responses[j]])
        scored = np.nan_to_num(book.earned[:, j]) > 0
        took |= answered | scored
    return took


def pearson(x: np.ndarray, y: np.ndarray) -> float | None:
    """Pearson's r, or None with fewer than 3 pairs or when either side does not vary."""
    if len(x) < MIN_FOR_R:
        return None
    dx, dy = x - x.mean(), y - y.mean()
    sxx, syy = float(dx @ dx), float(dy @ dy)
    if sxx <= 1e-12 * len(x) or syy <= 1e-12 * len(y):
        return None
    return float(dx @ dy) / math.sqrt(sxx * syy)


def upper_lower(x: np.ndarray, rank_by: np.ndarray) -> float | None:
    """Upper–lower 27% index: mean x of the top group minus the bottom group, ranked by ``rank_by``."""
    n = len(x)
    if n < 2:
        return None
    size = min(max(1, math.floor(GROUP_SHARE * n + 0.5)), n // 2)
    order = np.argsort(rank_by, kind="stable")
    return float(x[order[-size:]].mean() - x[order[:size]].mean())


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _tally(values: list[Any], choices: Sequence[tuple[str, str]], keyed: set[str]) -> list[OptionCount]:
    """Count each choice id in ``values`` (a str or list of str per student), plus no answer and other."""
    counts = {cid: 0 for cid, _ in choices}
    none = other = 0
    for value in values:
        chosen = _as_list(value) if value is not _MISSING else [_MISSING]
        if not chosen:
            none += 1
        for choice in set(map(_hashable, chosen)):
            if choice in counts:
                counts[choice] += 1
            else:
                other += 1
    out = [OptionCount(label, counts[cid], cid in keyed) for cid, label in choices]
    out.append(OptionCount(NO_ANSWER, none))
    if other:
        out.append(OptionCount(OTHER, other))
    return out


def _hashable(value: Any) -> Any:
    return value if isinstance(value, str) else repr(value)


def _part(values: list[Any], key: str) -> list[Any]:
    return [v.get(key) if isinstance(v, dict) else (None if v is None else _MISSING) for v in values]


def option_counts(item: Item, values: list[Any]) -> list[tuple[str, list[OptionCount]]]:
    """Per part of the item (one for choice/select/mark, one per grid row, two for two-part), the option tallies."""
    if item.type in ("choice", "select"):
        keyed = {item.key} if isinstance(item.key, str) else set(item.key or ())
        return [("", _tally(values, [(o.id, o.text) for o in item.options], keyed))]
    if item.type == "mark":
        return [("", _tally(values, [(s.id, s.text) for s in item.spans], set(item.key or ())))]
    if item.type == "grid":
        columns = [(c.id, c.label) for c in item.columns]
        return [(row.text, _tally(_part(values, row.id), columns, set(row.key))) for row in item.rows]
    if item.type == "two-part":
        parts = []
        for letter, part in (("a", item.part_a), ("b", item.part_b)):
            if part is not None:
                parts.append((f"Part {letter.upper()}: {part.stem}",
                               _tally(_part(values, letter), [(o.id, o.text) for o in part.options], {part.key})))
        return parts
    return []


def _set_members(book: Gradebook, sets: Sequence[ItemSet]) -> list[tuple[ItemSet, list[int]]]:
    index = {item.id: j for j, item in enumerate(book.items)}
    return [(s, [index[i.id] for i in s.items]) for s in sets if s.items and s.items[0].id in index]


def analyse(book: Gradebook, sets: Sequence[ItemSet]) -> Analysis:
    """Compute every statistic the report shows."""
    points = np.array([float(item.points) for item in book.items])
    scored = ~np.isnan(book.earned)
    took_any = np.zeros(book.students, dtype=bool)
    eligible = np.zeros_like(scored)
    stats: list[ItemStats] = []
    set_takers: dict[str, int] = {}
    set_means: dict[str, float | None] = {}
    members_by_set = _set_members(book, sets)
    for item_set, members in members_by_set:
        took = _taken(book, members)
        took_any |= took
        set_takers[item_set.id] = int(took.sum())
        totals = np.nansum(book.earned[:, members], axis=1)
        mask_set = took[:, None] & scored[:, members]
        eligible[:, members] = mask_set
        possible = (mask_set * points[members]).sum(axis=1)
        shares = [totals[s] / possible[s] for s in range(book.students) if took[s] and possible[s] > 0]
        set_means[item_set.id] = float(np.mean(shares)) if shares else None
        for j in members:
            stats.append(_item_stats(book, j, took & scored[:, j], totals, points[j], len(stats) + 1))
    skills = _skills(book, eligible, points)
    percents = _percents(book, eligible, points, took_any)
    return Analysis(book, list(sets), stats, set_takers, set_means, skills, percents, histogram(percents))


def _item_stats(book: Gradebook, j: int, mask: np.ndarray, totals: np.ndarray, points: float,
                number: int) -> ItemStats:
    item = book.items[j]
    x = book.earned[mask, j] / points
    rest = totals[mask] - book.earned[mask, j]
    values = [book.responses[j][s] for s in np.flatnonzero(mask)]
    return ItemStats(item, number, int(mask.sum()), float(x.mean()) if len(x) else None, pearson(x, rest),
                     upper_lower(x, rest), option_counts(item, values))


def _skills(book: Gradebook, eligible: np.ndarray, points: np.ndarray) -> dict[str, tuple[int, int, float]]:
    """skill → (items, students, mean over students of their earned/possible on that skill's items)."""
    out = {}
    for skill in dict.fromkeys(item.skill for item in book.items):
        cols = [j for j, item in enumerate(book.items) if item.skill == skill]
        mask = eligible[:, cols]
        possible = (mask * points[cols]).sum(axis=1)
        earned = np.where(mask, book.earned[:, cols], 0).sum(axis=1)
        who = possible > 0
        if who.any():
            out[skill] = (len(cols), int(who.sum()), float((earned[who] / possible[who]).mean()))
    return out


def _percents(book: Gradebook, eligible: np.ndarray, points: np.ndarray, took_any: np.ndarray) -> np.ndarray:
    possible = (eligible * points).sum(axis=1)
    earned = np.where(eligible, book.earned, 0).sum(axis=1)
    who = took_any & (possible > 0)
    return 100 * earned[who] / possible[who]


def histogram(percents: np.ndarray) -> list[tuple[int, int, int]]:
    """Students per 10-point band: [0,10), [10,20) … [90,100]; 100% falls in the top band."""
    bands = np.minimum((percents // 10).astype(int), 9) if len(percents) else np.array([], dtype=int)
    counts = np.bincount(bands, minlength=10)
    return [(10 * b, 10 * b + 10, int(counts[b])) for b in range(10)]


# ----------------------------------------------------------------------------------------------------- charts


def _png(figure: Any) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110, bbox_inches="tight", metadata={"Software": None})
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def histogram_chart(analysis: Analysis) -> str:
    """The score histogram as a base64 PNG."""
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    figure = Figure(figsize=(6, 3.4))
    axes = figure.add_subplot()
    lefts = [low for low, _high, _count in analysis.bins]
    counts = [count for _low, _high, count in analysis.bins]
    axes.bar(lefts, counts, width=10, align="edge", color="#3b6ea5", edgecolor="#1b2a3a")
    axes.set_xlim(0, 100)
    axes.set_xticks(range(0, 101, 10))
    axes.set_xlabel("Score (% of the points of the sets taken)")
    axes.set_ylabel("Students")
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_title("Score distribution")
    return _png(figure)


def scatter_chart(analysis: Analysis) -> str:
    """Difficulty × discrimination as a base64 PNG; negative items use a different marker and are labelled."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(6, 4.2))
    axes = figure.add_subplot()
    shown = [(s, float(s.difficulty), float(s.r)) for s in analysis.items
             if s.r is not None and s.difficulty is not None]
    good = [(p, r) for s, p, r in shown if not s.flagged]
    bad = [(p, r) for s, p, r in shown if s.flagged]
    axes.axhline(0, color="#555555", linewidth=1)
    axes.axhspan(-1, 0, color="#f3e0e0", zorder=0)
    axes.scatter([p for p, _r in good], [r for _p, r in good], marker="o", color="#3b6ea5", label="item")
    if bad:
        axes.scatter([p for p, _r in bad], [r for _p, r in bad], marker="X", s=70, color="#a33",
                     label="negative discrimination")
    if len(shown) <= 60:
        for s, p, r in shown:
            axes.annotate(str(s.number), (p, r), textcoords="offset points", xytext=(4, 3), fontsize=7)
    axes.set_xlim(-0.02, 1.02)
    axes.set_ylim(-1.02, 1.02)
    axes.set_xlabel("Difficulty (mean fraction of points; higher = easier)")
    axes.set_ylabel("Discrimination (item–rest r)")
    axes.set_title("Difficulty and discrimination per item")
    if shown:
        axes.legend(loc="lower right", fontsize=8)
    return _png(figure)


# ------------------------------------------------------------------------------------------------------ HTML


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _fmt(value: float | None, places: int = 2) -> str:
    return "—" if value is None else f"{value:.{places}f}".replace("-", "−")


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.0f}%"


def _label(item: Item) -> str:
    text = item.title or " ".join(item.stem.split())
    return text if len(text) <= 70 else text[:69] + "…"


def _note(stats: ItemStats) -> str:
    if not stats.n:
        return "No scores yet (e.g. written responses the teacher has not scored)"
    if stats.flagged:
        return "Negative: check the key and the wording"
    notes = []
    if stats.r is not None and stats.r < 0.2:
        notes.append("low discrimination")
    if stats.difficulty is not None and stats.difficulty >= 0.9:
        notes.append("very easy")
    if stats.difficulty is not None and stats.difficulty <= 0.2:
        notes.append("very hard")
    if stats.r is None and stats.n:
        notes.append("discrimination undefined (too few students, or no variation)")
    return "; ".join(notes).capitalize()


def _flag_text(stats: ItemStats) -> str:
    strong = ""
    for part, counts in stats.options:
        wrong = [c for c in counts if not c.keyed and c.label not in (NO_ANSWER, OTHER) and c.count]
        if wrong:
            top = max(wrong, key=lambda c: c.count)
            where = f" in “{_e(part)}”" if part else ""
            strong = f" The most chosen wrong answer{where} was “{_e(top.label)}” ({top.count} students)."
            break
    return (f"<p>Students who did well on the rest of the set did <em>worse</em> on this item than students who "
            f"did poorly (r = {_fmt(stats.r)}, upper–lower D = {_fmt(stats.d)}). Usually the item, not the class, "
            "is at fault: check that the key is right, look for a second defensible answer or an option that "
            "careful readers talk themselves out of, and check that the stem does not reward a misreading of the "
            f"source.{strong} Consider discussing it with the class, and not counting it until it is fixed.</p>")


def _chart_block(title: str, png: str, alt: str, table: str) -> str:
    return (f'<div class="chart"><figure><img src="data:image/png;base64,{png}" alt="{_e(alt)}">'
            f"<figcaption>{_e(title)}</figcaption></figure>{table}</div>")


def _histogram_alt(analysis: Analysis) -> str:
    if not len(analysis.percents):
        return "Histogram of student scores: no student took any set."
    p = analysis.percents
    peak = max(analysis.bins, key=lambda b: b[2])
    return (f"Histogram of {len(p)} student scores in 10-point bands. Median {np.median(p):.0f}%, lowest "
            f"{p.min():.0f}%, highest {p.max():.0f}%. The most common band is {peak[0]}–{peak[1]}% with "
            f"{peak[2]} students. The table beside the chart gives every band.")


def _scatter_alt(analysis: Analysis) -> str:
    shown = [s for s in analysis.items if s.r is not None and s.difficulty is not None]
    if not shown:
        return "Scatter plot of difficulty against discrimination: no item has a defined discrimination."
    flagged = [s.item.id for s in shown if s.flagged]
    rs = [s.r for s in shown if s.r is not None]
    ds = [s.difficulty for s in shown if s.difficulty is not None]
    text = (f"Scatter plot of {len(shown)} items, difficulty from {min(ds):.2f} to {max(ds):.2f} and "
            f"discrimination from {min(rs):.2f} to {max(rs):.2f}. ")
    text += (f"{len(flagged)} item(s) below zero: {', '.join(flagged)}." if flagged else "No item is below zero.")
    return text + " The item table gives every value."


def _histogram_table(analysis: Analysis) -> str:
    rows = "".join(f"<tr><th scope=\"row\">{low}–{high}%</th><td>{count}</td></tr>"
                   for low, high, count in analysis.bins)
    return ('<table class="data"><caption>Students per score band</caption><thead><tr><th scope="col">Band</th>'
            f'<th scope="col">Students</th></tr></thead><tbody>{rows}</tbody></table>')


def _scatter_table(analysis: Analysis) -> str:
    rows = "".join(f"<tr><th scope=\"row\">{s.number}. {_e(s.item.id)}</th><td>{_fmt(s.difficulty)}</td>"
                   f"<td>{_fmt(s.r)}</td></tr>" for s in analysis.items)
    return ('<table class="data"><caption>Plotted values</caption><thead><tr><th scope="col">Item</th>'
            '<th scope="col">Difficulty</th><th scope="col">r</th></tr></thead>'
            f"<tbody>{rows}</tbody></table>")


def _item_table(analysis: Analysis) -> str:
    rows = []
    for s in analysis.items:
        item = s.item
        flag = ' class="flagged"' if s.flagged else ""
        rows.append(
            f"<tr{flag}><td>{s.number}</td><th scope=\"row\"><a href=\"#opt-{s.number}\">{_e(item.id)}</a>"
            f"<br><span class=\"small\">{_e(_label(item))}</span></th><td>{_e(item.type)}</td>"
            f"<td>{_e(item.skill)}</td><td>{format_points(item.points)}</td><td>{s.n}</td>"
            f"<td>{_fmt(s.difficulty)}</td><td>{_fmt(s.r)}</td><td>{_fmt(s.d)}</td>"
            f"<td>{('⚠ ' if s.flagged else '') + _e(_note(s))}</td></tr>")
    head = "".join(f'<th scope="col">{h}</th>' for h in ("#", "Item", "Type", "Skill", "Points", "Students",
                                                           "Difficulty p", "Discrimination r", "Upper–lower D",
                                                           "Note"))
    return (f'<table class="data wide"><caption>All items, in exercise order</caption><thead><tr>{head}</tr>'
            f"</thead><tbody>{''.join(rows)}</tbody></table>")


def _options_section(analysis: Analysis) -> str:
    out = []
    for s in analysis.items:
        if not s.options:
            continue
        parts = []
        for part, counts in s.options:
            total = s.n or 1
            rows = "".join(
                f"<tr><th scope=\"row\">{_e(c.label)}</th><td>{'✓ key' if c.keyed else ''}</td><td>{c.count}</td>"
                f"<td>{100 * c.count / total:.0f}%</td></tr>" for c in counts)
            caption = _e(part) if part else "Options"
            parts.append(f'<table class="data"><caption>{caption}</caption><thead><tr><th scope="col">Option</th>'
                         '<th scope="col">Key</th><th scope="col">Students</th><th scope="col">Share</th></tr>'
                         f"</thead><tbody>{rows}</tbody></table>")
        out.append(f'<section id="opt-{s.number}"><h3>{s.number}. {_e(s.item.id)}: {_e(_label(s.item))}</h3>'
                   f"{''.join(parts)}</section>")
    note = ("<p>Shares are of the students who took the item's set; in select, mark and grid rows with several "
            "keyed columns a student can choose more than one option, so shares can add up to more than 100%.</p>")
    return note + "".join(out)


def _skills_table(analysis: Analysis) -> str:
    rows = "".join(f"<tr><th scope=\"row\">{_e(skill)}</th><td>{items}</td><td>{students}</td><td>{_pct(mean)}</td>"
                   "</tr>" for skill, (items, students, mean) in analysis.skills.items())
    return ('<table class="data"><caption>Mean score per skill</caption><thead><tr><th scope="col">Skill</th>'
            '<th scope="col">Items</th><th scope="col">Students</th><th scope="col">Mean</th></tr></thead>'
            f"<tbody>{rows}</tbody></table>")


def _sets_table(analysis: Analysis) -> str:
    rows = "".join(f"<tr><th scope=\"row\">{_e(s.title)} ({_e(s.id)})</th><td>{analysis.set_takers[s.id]}</td>"
                   f"<td>{_pct(analysis.set_means[s.id])}</td></tr>" for s in analysis.sets
                   if s.id in analysis.set_takers)
    return ('<table class="data"><caption>Exercise sets in this gradebook</caption><thead><tr>'
            '<th scope="col">Set</th><th scope="col">Students who took it</th><th scope="col">Mean score</th></tr>'
            f"</thead><tbody>{rows}</tbody></table>")


_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;line-height:1.5;color:#1a1a1a;margin:0 auto;
max-width:72rem;padding:1rem 1.5rem}h1{font-size:1.6rem}h2{margin-top:2.2rem;border-bottom:1px solid #ccc}
table.data{border-collapse:collapse;margin:.5rem 0 1rem;font-size:.92rem}table.data caption{text-align:left;
font-weight:600;padding:.25rem 0}table.data th,table.data td{border:1px solid #bbb;padding:.25rem .5rem;
text-align:left;vertical-align:top}table.data thead th{background:#eef2f6}tr.flagged{background:#fbeaea}
tr.flagged td:last-child{font-weight:600}.small{font-size:.85rem;font-weight:400;color:#444}
.chart{display:flex;flex-wrap:wrap;gap:1.5rem;align-items:flex-start}.chart figure{margin:0;max-width:100%}
.chart img{max-width:100%;height:auto}.flag{border:2px solid #a33;border-left-width:.5rem;padding:.5rem 1rem;
margin:1rem 0}.wide{width:100%}a{color:#1f4f82}
@media print{.chart{display:block}section{break-inside:avoid}}
"""


def _flags_section(analysis: Analysis) -> str:
    flagged = [s for s in analysis.items if s.flagged]
    if not flagged:
        return ("<p>No item has negative discrimination: on every item, students who did better on the rest of "
                "the set did at least as well.</p>")
    return "".join(f'<div class="flag"><h3>⚠ {s.number}. {_e(s.item.id)}: {_e(_label(s.item))}</h3>'
                   f"{_flag_text(s)}</div>" for s in flagged)


def _notes(analysis: Analysis) -> str:
    book = analysis.gradebook
    notes = []
    left_out = book.students - len(analysis.percents)
    if left_out:
        notes.append(f"{left_out} student row(s) answered no item and are left out of every statistic.")
    if 0 < len(analysis.percents) < SMALL_CLASS:
        notes.append(f"With {len(analysis.percents)} students, discrimination values are noisy: treat a flag as a "
                     "reason to reread the item, not as proof that it is faulty.")
    if book.unreadable:
        notes.append(f"{book.unreadable} response cell(s) were not readable JSON; they count as "
                     f"“{OTHER}” in the option tables.")
    return "".join(f"<li>{_e(n)}</li>" for n in notes)


def render_html(analysis: Analysis, *, title: str = "Item analysis") -> str:
    """The whole report as one self-contained HTML page."""
    book = analysis.gradebook
    notes = _notes(analysis)
    when = datetime.now().strftime("%Y-%m-%d %H:%M")
    return "".join([
        f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>{_e(title)}</title>'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><style>{_CSS}</style></head><body>',
        f"<main><h1>{_e(title)}</h1>",
        f"<p>Gradebook <code>{_e(Path(book.path).name)}</code>: {book.students} student row(s), "
        f"{len(analysis.items)} item(s). Made {when}. No student names appear in this report.</p>",
        f"<ul>{notes}</ul>" if notes else "",
        _sets_table(analysis),
        '<h2 id="flags">Items to check</h2>', _flags_section(analysis),
        '<h2 id="scores">Score distribution</h2>',
        _chart_block("Students per 10-point score band.", histogram_chart(analysis), _histogram_alt(analysis),
                     _histogram_table(analysis)),
        '<h2 id="items">Difficulty and discrimination</h2>',
        _chart_block("Each item's difficulty and discrimination; items below the line are flagged.",
                     scatter_chart(analysis), _scatter_alt(analysis), _scatter_table(analysis)),
        _item_table(analysis),
        '<h2 id="skills">Skills</h2>', _skills_table(analysis),
        '<h2 id="options">How often each option was chosen</h2>', _options_section(analysis),
        '<h2 id="how">How to read this report</h2>', _HOW,
        "</main></body></html>\n",
    ])


_HOW = """
<dl>
<dt>Difficulty p</dt><dd>The mean fraction of the item's points that students earned: 1.00 means everyone got full
marks, 0.00 that nobody earned anything. Items between about 0.30 and 0.90 tell you most about the class.</dd>
<dt>Discrimination r</dt><dd>The correlation between students' score on the item and their score on the rest of
the same set (the item itself left out). Above 0.30 is good, 0.20–0.30 acceptable, below 0.20 weak. Below zero, the
stronger students did worse on the item than the weaker ones: the item needs checking.</dd>
<dt>Upper–lower D</dt><dd>The item's mean score in the top 27% of students (ranked by the rest of the set) minus
its mean score in the bottom 27%. Read it like r; it is easier to explain to students.</dd>
<dt>Who is counted</dt><dd>A student counts for a set's items if they answered or scored anything in that set. An
empty score cell (for example a written response not scored yet) leaves that student out of that item only.
Scores are the points in the gradebook; written responses count once the teacher has scored them.</dd>
</dl>
"""


def write_report(gradebook: Path | str, sets: Sequence[ItemSet], out: Path | str) -> Analysis:
    """Read ``gradebook``, analyse it against ``sets`` and write the HTML report to ``out`` (atomically)."""
    analysis = analyse(read_gradebook(gradebook, sets), sets)
    out = Path(out)
    if out.is_dir():
        raise _error(str(out), 0, "the output path is a folder.", "Give a file name ending in .html.")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        partial = out.with_name(out.name + ".partial")
        partial.write_text(render_html(analysis), encoding="utf-8")
        partial.replace(out)
    except OSError as exc:
        raise _error(str(out), 0, f"cannot write the report: {exc.strerror or exc}.",
                     "Choose a folder you can write to.") from exc
    return analysis


def summary(analysis: Analysis, out: Path | str) -> str:
    """One or two lines for the terminal."""
    flagged = [s.item.id for s in analysis.items if s.flagged]
    line = (f"Wrote {out}: {len(analysis.items)} items, {len(analysis.percents)} students "
            f"(of {analysis.gradebook.students} rows).")
    if flagged:
        line += f"\nNegative discrimination (check these items): {', '.join(flagged)}."
    return line
