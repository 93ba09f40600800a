"""The teacher's rubric-scores CSV: ``student_id,item_id,criterion_id,points`` and an optional ``comment`` column.

Levels are merged into the constructed-response scores; comments are shown on that student's feedback page, under
the item (escaped there). A row may carry only a comment (student, item and comment; criterion and points empty), for
an item of any type.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import NamedTuple

from ..core.scoring import score_rubric
from .results import GradeRun, Issue, StudentResult, student_key

RUBRIC_COLUMNS = ("student_id", "item_id", "criterion_id", "points")


class RubricRow(NamedTuple):
    line: int
    student_id: str
    item_id: str
    criterion_id: str  # empty on a comment-only row
    points: str  # as written; empty on a comment-only row
    comment: str = ""


def read_rubric_scores(path: Path | str) -> tuple[list[RubricRow], list[Issue]]:
    """Read a rubric-scores CSV: its rows and the issues found.

    The header must name ``student_id, item_id, criterion_id, points`` (any order; ``comment`` optional; other
    columns ignored); comma, semicolon or tab separated; UTF-8 with or without a byte-order mark. Blank rows are
    skipped.
    """
    name = str(path)
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except OSError as exc:
        return [], [Issue(name, "problem", f"the rubric scores could not be read ({exc.strerror or exc}); no rubric "
                          "levels were merged.")]
    except UnicodeDecodeError:
        return [], [Issue(name, "problem", "the rubric scores are not UTF-8 text; no rubric levels were merged.",
                          "Save the file as 'CSV UTF-8'.")]
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [cell.strip().lower() for cell in next(reader, [])]
    missing = [column for column in RUBRIC_COLUMNS if column not in header]
    if missing:
        return [], [Issue(name, "problem", f"the header lacks {', '.join(missing)}; no rubric levels were merged.",
                          f"Start the file with the line '{','.join(RUBRIC_COLUMNS)}'.")]
    where = [header.index(column) for column in (*RUBRIC_COLUMNS, "comment") if column in header]
    rows: list[RubricRow] = []
    issues: list[Issue] = []
    for row in reader:
        if not any(cell.strip() for cell in row):
            continue
        cells = [row[i].strip() if i < len(row) else "" for i in where] + [""]
        student, item, criterion, points, comment = cells[:5]
        if student and item and comment and not criterion and not points:
            rows.append(RubricRow(reader.line_num, student, item, "", "", comment))
            continue
        if not (student and item and criterion and points):
            issues.append(Issue(f"{name}:{reader.line_num}", "problem", "a row lacks a Student ID, item id, "
                                "criterion id or points; it was not merged.", "Fill in all four columns."))
            continue
        rows.append(RubricRow(reader.line_num, student, item, criterion, points, comment))
    return rows, issues


def merge_rubric(run: GradeRun, path: str, first_by_id: dict[str, StudentResult]) -> None:
    """Merge the levels and comments of the rubric-scores CSV at ``path`` into the graded students' results."""
    rows, issues = read_rubric_scores(path)
    run.issues.extend(issues)
    by_id = {item.id: item for item in run.items}
    groups: dict[tuple[str, str], dict[str, tuple[str, int]]] = {}
    comments: dict[tuple[str, str], list[str]] = {}
    first_line: dict[tuple[str, str], int] = {}
    shown: dict[str, str] = {}
    for row in rows:
        key = student_key(row.student_id)
        if key not in first_by_id and row.student_id.startswith("'"):  # copied with the gradebook's formula guard
            key = student_key(row.student_id[1:])
        shown.setdefault(key, row.student_id)
        first_line.setdefault((key, row.item_id), row.line)
        if row.comment and row.comment not in comments.setdefault((key, row.item_id), []):
            comments[(key, row.item_id)].append(row.comment)
        if not row.criterion_id:
            continue
        levels = groups.setdefault((key, row.item_id), {})
        if row.criterion_id in levels:
            run.issues.append(Issue(f"{path}:{row.line}", "problem", f"criterion {row.criterion_id!r} of "
                                    f"{row.item_id} for student {row.student_id!r} is already scored on line "
                                    f"{levels[row.criterion_id][1]}; this row was ignored.",
                                    "Keep one row per student, item and criterion."))
            continue
        levels[row.criterion_id] = (row.points, row.line)
    for (key, item_id), line in first_line.items():
        where = f"{path}:{line}"
        student_id = shown[key]
        result = first_by_id.get(key)
        item = by_id.get(item_id)
        levels = groups.get((key, item_id), {})
        said = comments.get((key, item_id), [])
        what = "rubric levels" if levels else "comments"
        if result is None:
            run.issues.append(Issue(where, "problem", f"no graded submission has Student ID {student_id!r}; its "
                                    f"{what} for {item_id} were not merged."))
            continue
        if item is None:
            run.issues.append(Issue(where, "problem", f"item {item_id!r} is not in the current exercises; the "
                                    f"{what} for student {student_id!r} were not merged."))
            continue
        if said:
            result.comments[item_id] = said
        if not levels:
            continue
        if item.type != "response":
            run.issues.append(Issue(where, "problem", f"item {item_id!r} is a {item.type} item, not a response; the "
                                    f"rubric levels for student {student_id!r} were not merged."))
        elif item_id not in result.scores:
            run.issues.append(Issue(where, "problem", f"{item_id} was not graded for student {student_id!r} "
                                    f"({result.skipped.get(item_id, 'not graded')}); its rubric levels were not "
                                    "merged."))
        else:
            rated = score_rubric(item, {criterion: points for criterion, (points, _line) in levels.items()})
            if rated.status == "invalid":
                run.issues.append(Issue(where, "problem", f"{item_id} for student {student_id!r}: {rated.reason} "
                                        "The rubric levels were not merged."))
                continue
            result.scores[item_id] = rated
            result.rubric[item_id] = dict(rated.details["levels"])
