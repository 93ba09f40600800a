"""Read a gradebook written by ``sourcework grade`` and check it against the current exercise sets.

Every problem is a :class:`ReportError` with the file, the line and a fix; the statistics are in ``itemstats``.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..core.errors import Problem, SourceworkError
from ..core.model import Item, ItemSet
from ..core.numbers import format_points
from .itemstats import MISSING

REQUIRED = ("student_id",)


class ReportError(SourceworkError):
    """A gradebook the report cannot use; the message says what is wrong and how to fix it."""


def _error(path: str, line: int, message: str, fix: str) -> ReportError:
    return ReportError(Problem(path, line, message, fix))


# ------------------------------------------------------------------------------------------------- reading


@dataclass
class Gradebook:
    """The numeric and response columns of a gradebook, aligned with the exercise items they belong to.

    ``earned[s, j]`` is student s's points on ``items[j]`` (NaN when the cell is empty); ``responses[j][s]`` is None
    for an empty cell, else the parsed JSON for the types whose options are counted (``MISSING`` if unreadable)
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
    """One response column: None for an empty cell, the JSON value (``parse``) or True, MISSING if not JSON."""
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
                out.append(MISSING)
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
