"""Grades back into an LMS: a gradebook written by ``sourcework grade`` turned into a grade-import CSV.

Canvas (:func:`canvas_import`): the teacher exports the course's gradebook from Canvas (Grades, Export), whose header
starts ``Student, ID, SIS User ID, SIS Login ID, Section`` (some exports add ``Integration ID`` and the like), then one
column per assignment named ``Name (id)``; its second row may be ``Points Possible``. Each gradebook row's
``student_id`` is matched against SIS User ID, SIS Login ID (without case) and Canvas's own ID, each compared exactly
after trimming; a student id that finds no Canvas student, or more than one (by any of the three), is listed for the
teacher and never guessed, and so are Canvas students no graded submission matched. The import file has the five
leading columns, a ``Points Possible`` row and one column per exercise set (or one total column), named by the set's
title: an assignment of that name in the export is updated (its ``Name (id)`` header is reused), otherwise Canvas
creates it on import.

Plain (:func:`plain_points`): ``student_id,points`` (a set's points or the total) for Moodle, D2L and others.

Both files are UTF-8 without a byte-order mark (LMS importers read the header as written) and every cell goes
through the gradebook's formula guard.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from ..core.model import ItemSet
from ..core.numbers import format_points
from .gradebook import neutralise, read_gradebook, write_atomic

LEADING = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
_ASSIGNMENT = re.compile(r"^(?P<name>.*\S)\s*\((?P<id>\d+)\)$")


class LmsError(Exception):
    """A file that cannot be used, with what to do about it."""


@dataclass
class CanvasResult:
    matched: int = 0
    unmatched: list[str] = field(default_factory=list)  # gradebook student ids no Canvas student has
    ambiguous: list[str] = field(default_factory=list)  # "id: the Canvas students it names"
    missing: list[str] = field(default_factory=list)  # Canvas students no graded submission matched
    columns: list[str] = field(default_factory=list)


def _read_csv(path: Path | str, what: str) -> list[list[str]]:
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise LmsError(f"{path}: the {what} could not be read ({exc.strerror or exc}).") from None
    except UnicodeDecodeError:
        raise LmsError(f"{path}: the {what} is not UTF-8 text. Export it again, or save it as 'CSV UTF-8'.") from None
    return list(csv.reader(io.StringIO(text, newline="")))


def _write_csv(path: Path | str, rows: list[list[str]]) -> None:
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows([[neutralise(cell) for cell in row] for row in rows])
    write_atomic(path, buffer.getvalue())


def _gradebook(path: Path | str) -> list[dict[str, str]]:
    rows = _read_csv(path, "gradebook")  # for a clear error before read_gradebook
    if not rows or "student_id" not in [cell.strip() for cell in rows[0]]:
        raise LmsError(f"{path}: this is not a gradebook written by 'sourcework grade' (no student_id column).")
    return read_gradebook(path)


def set_points(item_set: ItemSet) -> Fraction:
    return sum((item.points for item in item_set.items), Fraction(0))


def canvas_import(gradebook: Path | str, export: Path | str, out: Path | str, sets: list[ItemSet], *,
                  total: bool = False, total_name: str = "Sourcework total") -> CanvasResult:
    """Write a Canvas grade-import CSV at ``out`` from a sourcework ``gradebook`` and a Canvas gradebook ``export``."""
    students = _gradebook(gradebook)
    rows = _read_csv(export, "Canvas export")
    head = [cell.strip() for cell in rows[0]] if rows else []
    if "Student" not in head or "ID" not in head:
        raise LmsError(f"{export}: this is not a Canvas gradebook export (its header lacks 'Student' and 'ID'). "
                       "In Canvas: Grades, Export, Export Entire Gradebook.")
    at = {name: head.index(name) for name in LEADING if name in head}
    people = []
    for row in rows[1:]:
        cells = {name: (row[i].strip() if i < len(row) else "") for name, i in at.items()}
        if cells["Student"] == "Points Possible" or not any(cells.values()):
            continue
        people.append({name: cells.get(name, "") for name in LEADING})
    # Each id kind's index: the Canvas students (by position) that have the value.
    index: dict[tuple[str, str], list[int]] = {}
    for n, person in enumerate(people):
        for kind, value in (("sis", person["SIS User ID"]), ("login", person["SIS Login ID"].casefold()),
                            ("canvas", person["ID"])):
            if value:
                index.setdefault((kind, value), []).append(n)
    existing: dict[str, str] = {}
    for name in head[len(at):] if head else []:
        found = _ASSIGNMENT.match(name)
        if found:
            existing.setdefault(found["name"].strip(), name)
    wanted: list[tuple[str, str | None, Fraction]]
    if total:
        wanted = [(existing.get(total_name, total_name), None, sum(map(set_points, sets), Fraction(0)))]
    else:
        wanted = [(existing.get(s.title.strip(), s.title.strip()), s.id, set_points(s)) for s in sets]
    result = CanvasResult(columns=[name for name, _set, _points in wanted])
    out_rows = [[*LEADING, *result.columns], ["Points Possible", "", "", "", "",
                                               *(format_points(points) for _name, _set, points in wanted)]]
    claims: dict[int, list[tuple[str, dict[str, str]]]] = {}  # Canvas student → the gradebook rows matching
    for student in students:
        sid = student.get("student_id", "").strip()
        hits = [index.get(("sis", sid), []), index.get(("login", sid.casefold()), []), index.get(("canvas", sid), [])]
        found_in = sorted({n for hit in hits for n in hit})
        if not found_in:
            result.unmatched.append(sid)
        elif len(found_in) > 1:
            named = "; ".join(f"{people[n]['Student']} (ID {people[n]['ID']})" for n in found_in)
            result.ambiguous.append(f"{sid!r} matches {named}")
        else:
            claims.setdefault(found_in[0], []).append((sid, student))
    for n, claimants in sorted(claims.items()):
        if len(claimants) > 1:
            ids = " and ".join(repr(sid) for sid, _student in claimants)
            result.ambiguous.append(f"{ids} all match {people[n]['Student']} (ID {people[n]['ID']})")
            continue
        _sid, student = claimants[0]
        values = [student.get("total", "") if set_id is None else student.get(f"set:{set_id}", "")
                  for _name, set_id, _points in wanted]
        out_rows.append([people[n][name] for name in LEADING] + values)
        result.matched += 1
    result.missing = [f"{person['Student']} (ID {person['ID']})" for n, person in enumerate(people)
                      if n not in claims]
    _write_csv(out, out_rows)
    return result


def plain_points(gradebook: Path | str, out: Path | str, *, set_id: str | None = None) -> int:
    """Write ``student_id,points`` at ``out`` (the set's points, or the total); returns the number of students."""
    students = _gradebook(gradebook)
    column = f"set:{set_id}" if set_id else "total"
    if students and column not in students[0]:
        raise LmsError(f"{gradebook}: the gradebook has no column {column!r} (is {set_id!r} a set of this book?).")
    _write_csv(out, [["student_id", "points"], *([s.get("student_id", ""), s.get(column, "")] for s in students)])
    return len(students)
