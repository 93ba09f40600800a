"""Grade submission files against the current exercises; write the gradebook and the feedback pages.

Rules (DESIGN.md, "Submission file" and "Command line"):

- One bad file never stops the rest. A file that cannot be read is *rejected* (not graded) with a reason; a graded
  file can still have *problems* (answers to unknown items, unreadable responses, items not graded) and *warnings*.
- When a submission's ``content_hash`` differs from the current exercises, only the items whose ``item_hashes``
  entry equals the item's current hash are graded; the others are listed as not graded.
- Duplicate student ids (compared without case and surrounding spaces): the first file on the command line is
  graded, later ones are rejected, and the first one gets a warning naming them.
- ``total`` and ``possible`` count every scored item. A constructed response waiting for the teacher (status
  ``ungraded``) counts in neither until its rubric levels are merged from the rubric-scores CSV
  (``student_id,item_id,criterion_id,points``), so ``percent`` is always the share of what has been scored.
- The gradebook is UTF-8 with a byte-order mark (so spreadsheet programs read names correctly); any cell starting
  with ``= + - @``, a tab, a carriage return, the minus sign ``−`` or an apostrophe gets a leading apostrophe, so no
  cell is run as a formula and :func:`read_gradebook` can undo it exactly.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import gc
import html
import io
import json
import math
import operator
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from hashlib import sha256
from pathlib import Path
from typing import Any

from ..core.model import SKILLS, Item, ItemSet, content_hash
from ..core.numbers import format_points, format_ratio
from ..core.scoring import Score, memo_keyer, score, score_rubric
from ..core.submission import Submission, read_submission

LEVELS = ("rejected", "problem", "warning")
RUBRIC_COLUMNS = ("student_id", "item_id", "criterion_id", "points")
_DANGEROUS = ("=", "+", "-", "@", "\t", "\r", "\u2212", "'")
# JSON may carry a lone surrogate ("\ud800"), which UTF-8 cannot hold: it is written as the text \ud800 rather than
# costing the whole class its gradebook.
_UNPAIRED = "backslashreplace"

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class Issue:
    """Something about one input file: ``level`` is ``rejected`` (the file was not graded), ``problem`` (part of it
    was not graded, or a rubric row was not merged) or ``warning`` (graded; worth a look)."""

    path: str
    level: str
    message: str
    fix: str = ""

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" + (f" Fix: {self.fix}" if self.fix else "")


@dataclass
class StudentResult:
    """One graded submission.

    ``scores`` holds a :class:`Score` for every graded item (current exercise order; a merged rubric score replaces
    the ``ungraded`` placeholder of a constructed response); ``skipped`` maps the items that were not graded to why;
    ``rubric`` holds the merged teacher levels ``{item id: {criterion id: points}}``.
    """

    path: str
    submission: Submission
    scores: dict[str, Score] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)
    rubric: dict[str, dict[str, Fraction]] = field(default_factory=dict)
    # The grader's memo key of each item's response, in exercise order (``repr`` of the answer for most types,
    # ``"<absent>"`` when there is none); the gradebook reuses them to write each distinct response once.
    answer_keys: tuple[str, ...] = field(default=(), repr=False)

    @property
    def student_id(self) -> str:
        return self.submission.student_id

    @property
    def student_name(self) -> str:
        return self.submission.student_name

    def points(self, item_ids: Iterable[str] | None = None) -> tuple[Fraction, Fraction, int]:
        """(earned, possible, number of scored items) over ``item_ids`` (all items if None); ungraded not counted."""
        wanted = None if item_ids is None else set(item_ids)
        scored = [result for item_id, result in self.scores.items()
                  if (wanted is None or item_id in wanted) and result.status != "ungraded"]
        return (_exact_sum([result.earned for result in scored]), _exact_sum([result.possible for result in scored]),
                len(scored))

    @property
    def total(self) -> Fraction:
        return self.points()[0]

    @property
    def possible(self) -> Fraction:
        return self.points()[1]


def _exact_sum(values: list[Fraction]) -> Fraction:
    """The exact sum of ``values``, added as integers over their common denominator (adding Fractions one by one
    reduces every partial sum: many times slower for a class)."""
    common = math.lcm(*(value.denominator for value in values)) if values else 1
    return Fraction(sum(value.numerator * (common // value.denominator) for value in values), common)


@dataclass
class GradeRun:
    """Everything one grading run produced: the current ``sets``, one :class:`StudentResult` per graded file (in the
    order given) and every :class:`Issue`, rejected files included."""

    sets: tuple[ItemSet, ...]
    students: list[StudentResult] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    # {item id: {memo_keyer(item)(response): Score}}: a class gives the same answers again and again, so each distinct
    # answer is scored once per run (scores are immutable and shared read-only)
    memo: dict[str, dict[str, Score]] = field(default_factory=dict, repr=False)
    # {item id: {memo key: one answer that has it}}: the gradebook writes each distinct answer's cell from these
    samples: dict[str, dict[str, Any]] = field(default_factory=dict, repr=False)

    @property
    def items(self) -> list[Item]:
        return [item for item_set in self.sets for item in item_set.items]

    @property
    def skills(self) -> list[str]:
        used = {item.skill for item in self.items}
        return [s for s in SKILLS if s in used] + sorted(used - set(SKILLS))

    def issues_at(self, level: str) -> list[Issue]:
        return [issue for issue in self.issues if issue.level == level]

    @property
    def rejected(self) -> list[Issue]:
        return self.issues_at("rejected")

    @property
    def ok(self) -> bool:
        """True when every file was graded in full and every rubric row was merged (warnings allowed)."""
        return not any(issue.level in ("rejected", "problem") for issue in self.issues)


# --- grading ---------------------------------------------------------------------------------------------------


def grade_files(paths: Iterable[Path | str], *, sets: Iterable[ItemSet], rubric_scores: Path | str | None = None,
                progress: Progress | None = None) -> GradeRun:
    """Grade every submission file against ``sets``; never raises on a bad file.

    ``rubric_scores`` is a CSV (``student_id,item_id,criterion_id,points``) of teacher-entered rubric levels,
    merged into the constructed-response scores. ``progress(done, total, path)`` is called after each file is read.

    Files are read and checked one by one (``_admit``); then every item is scored for the whole class at once, column
    by column (``_score_class``): a class gives the same answers again and again, so each distinct answer is scored
    once (``GradeRun.memo``), and the per-answer work is a few dictionary look-ups done by ``map`` in C.
    """
    run = GradeRun(sets=tuple(sets))
    items = run.items
    hashes = {item.id: item.content_hash() for item in items}
    current = content_hash(run.sets)
    names = [str(p) for p in paths]
    first_by_id: dict[str, StudentResult] = {}
    slots: list[list[Issue]] = []  # each file's issues, in the order they arise; run.issues is their concatenation
    admitted: list[tuple[StudentResult, list[Issue]]] = []
    with _no_cycle_collection():
        for done, path in enumerate(names, 1):
            slot: list[Issue] = []
            slots.append(slot)
            with _bug_costs_this_file(path, slot):
                result = _admit(path, slot, current, first_by_id)
                if result is not None:
                    admitted.append((result, slot))
            if progress is not None:
                progress(done, len(names), path)
        if _score_class(run, admitted, hashes, current):
            # A bug hit some answers (see _score_class). Grade again file by file, as a student whose file failed
            # is not graded at all: a later file with the same student id is then graded instead, not rejected.
            first_by_id.clear()
            slots, admitted = [], []
            for path in names:
                slot = []
                slots.append(slot)
                with _bug_costs_this_file(path, slot):
                    result = _admit(path, slot, current, first_by_id)
                    if result is not None:
                        if _score_class(run, [(result, slot)], hashes, current):
                            del first_by_id[_student_key(result.student_id)]
                        else:
                            admitted.append((result, slot))
    run.students = [result for result, _slot in admitted]
    run.issues = [issue for slot in slots for issue in slot]
    if rubric_scores is not None:
        _merge_rubric(run, str(rubric_scores), first_by_id)
    return run


@contextlib.contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Pause Python's cycle collector while a class is graded or written out.

    Every submission adds thousands of live objects (its parsed JSON), and the collector would scan them all again
    and again: a quarter of the time for a thousand files, more for ten thousand. JSON values hold no reference
    cycles, so reference counting frees everything as before; the collector runs again afterwards.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        # Hand the objects made meanwhile to the oldest generation unscanned (freeze, then unfreeze: both only move
        # lists), or the first collection afterwards would walk all of them at once. Not when the program has frozen
        # objects of its own: unfreezing would release them too.
        if not gc.get_freeze_count():
            gc.freeze()
            gc.unfreeze()
        if was_enabled:
            gc.enable()


def _internal_error(path: str, exc: Exception) -> Issue:
    return Issue(path, "rejected", f"not graded: internal error {type(exc).__name__}: {exc}.",
                 "Please report this as a sourcework bug, with the file.")


@contextlib.contextmanager
def _bug_costs_this_file(path: str, slot: list[Issue]) -> Iterator[None]:
    """A bug must not cost the other students their grades: an exception rejects this file alone."""
    try:
        yield
    except Exception as exc:
        slot.append(_internal_error(path, exc))


# Stands for an item the file gives no answer to (``score`` sees None); its ``repr``, "<absent>", is no JSON value's.
_ABSENT = type("Absent", (), {"__repr__": lambda self: "<absent>"})()


def _admit(path: str, slot: list[Issue], current: str, first_by_id: dict[str, StudentResult]) -> StudentResult | None:
    """Read and check one file; the :class:`StudentResult` to score, or None (rejected, with its issue in ``slot``)."""
    submission = read_submission(path)
    if not isinstance(submission, Submission):
        slot.append(Issue(path, "rejected", f"not graded: {submission.reason}", submission.fix))
        return None
    key = _student_key(submission.student_id)
    first = first_by_id.get(key)
    if first is not None:
        slot.append(Issue(path, "rejected", f"not graded: student id {submission.student_id!r} is also in "
                          f"{first.path}, which was graded.", "If this is a resubmission, grade only the file "
                          "you want; if two students typed the same id, correct one of them and grade again."))
        slot.append(Issue(first.path, "warning", f"student id {submission.student_id!r} is also in {path}, "
                          "which was not graded."))
        return None
    slot.extend(Issue(path, "warning", warning) for warning in submission.warnings)
    if submission.content_hash != current:
        slot.append(Issue(path, "warning", "the file was made from other exercises (its content hash differs from "
                          "the current one); only items whose definitions are unchanged are graded."))
    result = StudentResult(path=path, submission=submission)
    first_by_id[key] = result
    return result


def _score_class(run: GradeRun, admitted: list[tuple[StudentResult, list[Issue]]], hashes: dict[str, str],
                 current: str) -> bool:
    """Score every admitted student on every item, one item (column) at a time, and add each file's problems to its
    slot. Returns True when a bug (an exception while keying or scoring an answer) left some students ungraded: their
    slots hold the problems found on the items before the failing one, then the internal error, as if each file had
    been graded alone in order."""
    items = run.items
    item_ids = [item.id for item in items]
    position = {item_id: n for n, item_id in enumerate(item_ids)}
    # A file made from other exercises (its content hash differs) is graded only on the items whose definitions
    # are unchanged; the others are skipped for that student, with the reason, and their answers are not read.
    skipped: list[dict[str, str]] = [{} for _ in admitted]
    for n, (result, _slot) in enumerate(admitted):
        submission = result.submission
        if submission.content_hash != current:
            for item in items:
                exported = submission.item_hashes.get(item.id)
                if exported is None:
                    skipped[n][item.id] = "not in the exercises this file was made from"
                elif exported != hashes[item.id]:
                    skipped[n][item.id] = "changed since this file was made"
    failed: dict[int, tuple[int, Exception]] = {}  # student position → (item position, exception) of the first bug

    def fail(n: int, at: int, exc: Exception) -> None:
        if n not in failed or at < failed[n][0]:
            failed[n] = (at, exc)

    # Each student's answers and their memo keys, row by row (a student's answers stay together in memory), then
    # read a column (item) at a time. An absent (or skipped) answer's key is "<absent>", which no JSON value has.
    keyers = [memo_keyer(item) for item in items]
    width = len(items)
    answer_rows = [list(map(result.submission.answers.get, item_ids, [_ABSENT] * width)) for result, _ in admitted]
    for n, why in enumerate(skipped):
        for item_id in why:
            answer_rows[n][position[item_id]] = _ABSENT
    key_rows = []
    for n, row in enumerate(answer_rows):
        try:
            key_rows.append(tuple(map(operator.call, keyers, row)))
        except Exception:  # a bug: find the first answer it hit; the rest of the row stands as unanswered
            keys = []
            for at, (keyer, answer) in enumerate(zip(keyers, row, strict=True)):
                try:
                    keys.append(keyer(answer))
                except Exception as exc:
                    fail(n, at, exc)
                    row[at:] = [_ABSENT] * (width - at)
                    keys += [repr(_ABSENT)] * (width - at)
                    break
            key_rows.append(tuple(keys))
    columns: list[list[Score]] = []
    invalid: dict[int, list[tuple[int, str]]] = {}  # student position → (item position, problem), in item order
    for at, (item, answers, keys) in enumerate(zip(items, _columns(answer_rows, width), _columns(key_rows, width),
                                                   strict=True)):
        memo = run.memo.setdefault(item.id, {})
        # Kept for the gradebook's response cells: an answer per key of the types keyed by repr, none for "absent"
        samples = run.samples.setdefault(item.id, {}) if memo_keyer(item) is repr else {}
        sample = dict(zip(keys, answers, strict=True))  # equal keys score alike, so any answer of a key will do
        broken: dict[str, Exception] = {}
        for seen in sample.keys() - memo.keys():
            answer = sample[seen]
            try:
                memo[seen] = score(item, None if answer is _ABSENT else answer)
            except Exception as exc:  # a bug: the students who gave this answer are not graded
                broken[seen] = exc
            else:
                if answer is not _ABSENT:
                    samples[seen] = answer
        if broken:
            for n, seen in enumerate(keys):
                if seen in broken:
                    fail(n, at, broken[seen])
            column = [memo.get(seen, _BROKEN) for seen in keys]
        else:
            column = list(map(memo.__getitem__, keys))
        columns.append(column)
        bad = {seen for seen, outcome in memo.items() if outcome.status == "invalid"}
        if not bad.isdisjoint(keys):
            for n, seen in enumerate(keys):
                if seen in bad:
                    invalid.setdefault(n, []).append((at, f"{item.id}: the response could not be read, scored 0: "
                                                          f"{column[n].reason}"))
    for n, ((result, slot), row) in enumerate(zip(admitted, _columns(columns, len(admitted)), strict=True)):
        result.answer_keys = key_rows[n]
        path = result.path
        if n in failed:
            stop, error = failed[n]
            slot.extend(Issue(path, "problem", problem) for at, problem in invalid.get(n, ()) if at < stop
                        and item_ids[at] not in skipped[n])
            slot.append(_internal_error(path, error))
            continue
        if skipped[n]:
            result.skipped = skipped[n]
            result.scores = {item_id: outcome for item_id, outcome in zip(item_ids, row, strict=True)
                             if item_id not in skipped[n]}
        else:
            result.scores = dict(zip(item_ids, row, strict=True))
        slot.extend(Issue(path, "problem", problem) for at, problem in invalid.get(n, ())
                    if item_ids[at] not in skipped[n])
        for reason in dict.fromkeys(result.skipped.values()):
            ids = [item_id for item_id, why in result.skipped.items() if why == reason]
            slot.append(Issue(path, "problem", f"not graded ({reason}): {', '.join(ids)}."))
        given = result.submission.answers
        if not given.keys() <= hashes.keys():
            unknown = [item_id for item_id in given if item_id not in hashes]
            slot.append(Issue(path, "problem", f"answers to items that are not in the current exercises were "
                              f"not graded: {_list(unknown)}."))
    return bool(failed)


# Stands in a column for an answer whose scoring raised; its student is not graded, so it is never read.
_BROKEN = Score(Fraction(0), Fraction(0), "invalid", "internal error")


def _student_key(student_id: str) -> str:
    return student_id.strip().casefold()


def _list(values: list[str], limit: int = 10) -> str:
    shown = ", ".join(repr(v) if len(v) <= 60 else repr(v[:59] + "…") for v in values[:limit])
    return shown + (f" and {len(values) - limit} more" if len(values) > limit else "")


# --- rubric scores ---------------------------------------------------------------------------------------------


def read_rubric_scores(path: Path | str) -> tuple[list[tuple[int, str, str, str, str]], list[Issue]]:
    """Read a rubric-scores CSV: rows ``(line, student id, item id, criterion id, points as written)`` and issues.

    The header must name ``student_id, item_id, criterion_id, points`` (any order, extra columns ignored);
    comma, semicolon or tab separated; UTF-8 with or without a byte-order mark. Blank rows are skipped.
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
    where = [header.index(column) for column in RUBRIC_COLUMNS]
    rows: list[tuple[int, str, str, str, str]] = []
    issues: list[Issue] = []
    for row in reader:
        if not any(cell.strip() for cell in row):
            continue
        student, item, criterion, points = (row[i].strip() if i < len(row) else "" for i in where)
        if not (student and item and criterion and points):
            issues.append(Issue(f"{name}:{reader.line_num}", "problem", "a row lacks a student id, item id, "
                                "criterion id or points; it was not merged.", "Fill in all four columns."))
            continue
        rows.append((reader.line_num, student, item, criterion, points))
    return rows, issues


def _merge_rubric(run: GradeRun, path: str, first_by_id: dict[str, StudentResult]) -> None:
    rows, issues = read_rubric_scores(path)
    run.issues.extend(issues)
    by_id = {item.id: item for item in run.items}
    groups: dict[tuple[str, str], dict[str, tuple[str, int]]] = {}
    shown: dict[str, str] = {}
    for line, student_id, item_id, criterion, points in rows:
        key = _student_key(student_id)
        if key not in first_by_id and student_id.startswith("'"):  # copied with the gradebook's formula guard
            key = _student_key(student_id[1:])
        shown.setdefault(key, student_id)
        levels = groups.setdefault((key, item_id), {})
        if criterion in levels:
            run.issues.append(Issue(f"{path}:{line}", "problem", f"criterion {criterion!r} of {item_id} for student "
                                    f"{student_id!r} is already scored on line {levels[criterion][1]}; this row was "
                                    "ignored.", "Keep one row per student, item and criterion."))
            continue
        levels[criterion] = (points, line)
    for (key, item_id), levels in groups.items():
        where = f"{path}:{min(line for _points, line in levels.values())}"
        student_id = shown[key]
        result = first_by_id.get(key)
        item = by_id.get(item_id)
        if result is None:
            run.issues.append(Issue(where, "problem", f"no graded submission has student id {student_id!r}; its "
                                    f"rubric levels for {item_id} were not merged."))
        elif item is None or item.type != "response":
            what = "is not in the current exercises" if item is None else f"is a {item.type} item, not a response"
            run.issues.append(Issue(where, "problem", f"item {item_id!r} {what}; the rubric levels for student "
                                    f"{student_id!r} were not merged."))
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


# --- the gradebook ---------------------------------------------------------------------------------------------


def neutralise(cell: str) -> str:
    """Guard a spreadsheet cell against formula injection: a leading apostrophe when it starts dangerously."""
    return "'" + cell if cell.startswith(_DANGEROUS) else cell


def gradebook_rows(run: GradeRun) -> tuple[list[str], list[list[str]]]:
    """The gradebook as (header, rows) of plain cells, before formula neutralisation.

    Columns: ``student_id, student_name, file, total, possible, percent``, then ``set:<set id>`` for every set,
    ``skill:<skill>`` for every skill in use, ``item:<item id>`` for every item, ``rubric:<item id>:<criterion id>``
    for every rubric criterion and ``response:<item id>`` (the raw response as compact JSON) for every item. Points
    are written with ``format_points``; a cell is empty when nothing was scored there.
    """
    header, columns = _gradebook(run, _plain)
    return header, [list(row) for row in zip(*columns, strict=True)]


def _plain(cell: str) -> str:
    return cell


class _Cells(dict[Any, str]):
    """A cache of guarded cells: ``cells[value]`` makes the cell of ``value`` with ``make`` the first time only, so a
    column of values becomes a column of cells with ``map(cells.__getitem__, values)``."""

    def __init__(self, make: Callable[[Any], str]):
        super().__init__()
        self.make = make

    def __missing__(self, value: Any) -> str:
        cell = self[value] = self.make(value)
        return cell


_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))  # what json.dumps with these options uses


def _c_json() -> Callable[[Any, int], list[str]] | None:
    """``_JSON``'s C core, made once (``JSONEncoder.encode`` makes a new one per call, most of the cost of a short
    value), without the check for reference cycles (a response parsed from JSON has none); None where this Python
    has no C core or it no longer writes what ``_JSON`` writes."""
    sample = {"a": [1, 2.5, None, True, "é\u2028\"\\"], "b": {}}
    try:
        encode = json.encoder.c_make_encoder(  # type: ignore[attr-defined]
            None, _JSON.default, json.encoder.encode_basestring, None, ":", ",", False, False, True)
        return encode if "".join(encode(sample, 0)) == _JSON.encode(sample) else None
    except Exception:
        return None


_C_JSON = _c_json()


def _json_text(value: Any) -> str:
    """``value`` as compact JSON, exactly as ``json.dumps(value, ensure_ascii=False, separators=(",", ":"))``."""
    return "".join(_C_JSON(value, 0)) if _C_JSON else _JSON.encode(value)


def _gradebook(run: GradeRun, guard: Callable[[str], str]) -> tuple[list[str], list[list[str]]]:
    """The gradebook as (header, columns), ``guard`` applied to every cell (``_csv_field`` when writing the file).

    This is the grader's hot loop, so it works a column at a time, and each distinct thing once: a class shares a
    few hundred distinct :class:`Score` objects (see ``GradeRun.memo``), each turned into integers over a common
    denominator and a guarded cell once; set and skill sums are integer sums of the columns' units; a response is
    written as JSON once per distinct answer. Per cell, what is left is a look-up that ``map`` does in C.
    """
    items, students = run.items, run.students
    skills = run.skills
    header = ["student_id", "student_name", "file", "total", "possible", "percent"]
    header += [f"set:{s.id}" for s in run.sets] + [f"skill:{skill}" for skill in skills]
    header += [f"item:{item.id}" for item in items]
    header += [f"rubric:{item.id}:{c.id}" for item in items for c in item.rubric]
    header += [f"response:{item.id}" for item in items]
    empty = guard("")
    # Each item's column of results, as ids of Score objects (None where not graded), and the distinct Scores.
    score_sets = [student.scores for student in students]
    results = _table(score_sets, [item.id for item in items], None)
    distinct: dict[int, Score | None] = {}
    for column in results:
        distinct.update(zip(map(id, column), column, strict=True))
    common = 1
    for result in distinct.values():
        if result is not None and result.status != "ungraded":
            common = math.lcm(common, result.earned.denominator, result.possible.denominator)
    # Per distinct result: earned and possible in units of 1/common, 1 if it counts, its guarded item cell.
    earned_units = {key: 0 for key in distinct}
    possible_units = dict(earned_units)
    counts = dict(earned_units)
    item_cell = {key: empty for key in distinct}
    for key, result in distinct.items():
        if result is not None and result.status != "ungraded":
            earned_units[key] = result.earned.numerator * (common // result.earned.denominator)
            possible_units[key] = result.possible.numerator * (common // result.possible.denominator)
            counts[key] = 1
            item_cell[key] = guard(format_points(result.earned))
    keyed = [list(map(id, column)) for column in results]
    earned = [list(map(earned_units.__getitem__, column)) for column in keyed]
    counted = [list(map(counts.__getitem__, column)) for column in keyed]
    points = _Cells(lambda units: guard(format_ratio(units, common)))
    groups: list[list[int]] = []  # item positions of each set, then of each skill
    position = 0
    for item_set in run.sets:
        groups.append(list(range(position, position + len(item_set.items))))
        position += len(item_set.items)
    groups += [[n for n, item in enumerate(items) if item.skill == skill] for skill in skills]
    class_size = len(students)
    group_columns = []
    for positions in groups:
        sums = _across(sum, [earned[n] for n in positions], class_size)
        took = _across(any, [counted[n] for n in positions], class_size)
        group_columns.append([points[units] if part else empty for units, part in zip(sums, took, strict=True)])
    earned_total = _across(sum, earned, class_size)
    possible_total = _across(sum, [list(map(possible_units.__getitem__, column)) for column in keyed], class_size)
    percent = _Cells(lambda pair: guard(format_ratio(pair[0] * 100, pair[1]) if pair[1] else ""))
    columns = [[guard(student.student_id) for student in students],
               [guard(student.student_name) for student in students],
               [guard(student.path) for student in students],
               list(map(points.__getitem__, earned_total)),
               list(map(points.__getitem__, possible_total)),
               list(map(percent.__getitem__, zip(earned_total, possible_total, strict=True))),
               *group_columns,
               *(list(map(item_cell.__getitem__, column)) for column in keyed)]
    level = _Cells(lambda value: guard(format_points(value)))
    rated = [(n, student.rubric) for n, student in enumerate(students) if student.rubric]
    for item in items:
        for criterion in item.rubric:
            column = [empty] * class_size
            for n, rubric in rated:
                levels = rubric.get(item.id, {})
                if criterion.id in levels:
                    column[n] = level[levels[criterion.id]]
            columns.append(column)
    # Response cells: each distinct answer written once. For most types grading already keyed every answer by its
    # repr (StudentResult.answer_keys) and kept one answer of each key (GradeRun.samples); a constructed response's
    # key holds less than the answer, so those are written one by one.
    answer_sets = [student.submission.answers for student in students]
    known = list(zip(*(student.answer_keys for student in students), strict=True)) if students and all(
        len(student.answer_keys) == len(items) for student in students) else None
    read_here = [item.id for item in items if memo_keyer(item) is not repr or known is None]
    answers_of = dict(zip(read_here, _table(answer_sets, read_here, _ABSENT), strict=True))
    for n, item in enumerate(items):
        if memo_keyer(item) is not repr:
            columns.append([empty if answer is _ABSENT else guard(_json_text(answer))
                            for answer in answers_of[item.id]])
            continue
        cells = {seen: guard(_json_text(answer)) for seen, answer in run.samples.get(item.id, {}).items()}
        cells[repr(_ABSENT)] = empty
        column = None
        if known is not None:
            with contextlib.suppress(KeyError):  # a key this run did not make: keyed again from the answers, below
                column = list(map(cells.__getitem__, known[n]))
        if column is None:
            given = answers_of[item.id] if item.id in answers_of else _table(answer_sets, [item.id], _ABSENT)[0]
            seen = list(map(repr, given))
            cells.update((text, guard(_json_text(answer))) for text, answer in zip(seen, given, strict=True)
                         if text not in cells)
            column = list(map(cells.__getitem__, seen))
        columns.append(column)
    # A skipped item (a file made from other exercises) has no response cell, even when the file answered it.
    for n, student in enumerate(students):
        if student.skipped:
            for offset, item in enumerate(items, len(columns) - len(items)):
                if item.id not in student.scores:
                    columns[offset][n] = empty
    return header, columns


def _table(rows: list[dict[str, Any]], keys: list[str], default: Any) -> list[Any]:
    """The columns ``[[row.get(key, default) for row in rows] for key in keys]``, looked up by ``map`` in C."""
    defaults = [default] * len(keys)
    # Row by row, then transposed: each row's look-ups stay in one place in memory (a column at a time would visit
    # every student's dictionary once per item, slow for a large class).
    return _columns([list(map(row.get, keys, defaults)) for row in rows], len(keys))


def _columns(rows: Sequence[Sequence[Any]], width: int) -> list[Any]:
    """The columns of ``rows`` (each ``width`` long): ``width`` sequences, empty ones when there are no rows."""
    if not rows:
        return [()] * width
    return list(zip(*rows, strict=True))


def _across(combine: Callable[[Iterable[int]], Any], columns: list[list[int]], width: int) -> list[Any]:
    """``combine`` (``sum`` or ``any``) of each student's values across ``columns`` (each ``width`` long)."""
    return list(map(combine, _columns(columns, width)))


def write_gradebook(run: GradeRun, path: Path | str) -> None:
    """Write the gradebook CSV atomically (see :func:`gradebook_rows` for the columns)."""
    with _no_cycle_collection():
        header, columns = _gradebook(run, _csv_field)
        lines = [",".join(map(_csv_field, header)), *map(",".join, zip(*columns, strict=True))]
    write_atomic(path, _utf8_lines(lines))


def _utf8_lines(lines: list[str], block: int = 256) -> Iterator[bytes]:
    """``lines``, each ended by CRLF, as UTF-8 with a byte-order mark, encoded ``block`` lines at a time: joining
    a class's gradebook into one text and encoding that would copy a hundred megabytes or more twice over."""
    yield codecs.BOM_UTF8
    for start in range(0, len(lines), block):
        yield "\r\n".join([*lines[start:start + block], ""]).encode("utf-8", errors=_UNPAIRED)


_CSV_SPECIAL = re.compile(r'[",\r\n]')


def _csv_field(cell: str) -> str:
    """One neutralised cell as ``csv.writer`` writes it by default (quoted only when it holds a comma, quote or line
    break; quotes doubled). Done here so each distinct cell is encoded once, not once per student."""
    cell = neutralise(cell)
    return '"' + cell.replace('"', '""') + '"' if _CSV_SPECIAL.search(cell) else cell


def read_gradebook(path: Path | str) -> list[dict[str, str]]:
    """Read a gradebook written by :func:`write_gradebook`, undoing the formula guard: one dict per student."""
    text = Path(path).read_bytes().decode("utf-8-sig")
    reader = csv.reader(io.StringIO(text, newline=""))
    rows = [[cell[1:] if cell.startswith("'") else cell for cell in row] for row in reader]
    if not rows:
        return []
    return [dict(zip(rows[0], row, strict=False)) for row in rows[1:]]


def write_atomic(path: Path | str, data: bytes | bytearray | memoryview | str | Iterable[bytes]) -> None:
    """Write ``data`` (text is written as UTF-8; bytes may come in pieces) to ``path`` so that readers see the old
    file or the new one, never half of one.

    The bytes go to a temporary file in the same folder, are flushed to disk, and replace ``path`` in one step;
    on any error the temporary file is removed and ``path`` is untouched.
    """
    path = Path(path)
    if isinstance(data, str):
        data = data.encode("utf-8", errors=_UNPAIRED)
    pieces = [data] if isinstance(data, (bytes, bytearray, memoryview)) else data
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            for piece in pieces:
                _write_all(stream, piece)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, _mode_for(path))
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _write_all(stream: Any, payload: bytes | bytearray | memoryview) -> None:
    stream.write(payload)


def _mode_for(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


# --- feedback pages --------------------------------------------------------------------------------------------

_STATUS_WORDS = {"correct": "Correct", "partial": "Partly correct", "incorrect": "Not correct",
                 "unanswered": "Not answered", "invalid": "Answer could not be read",
                 "ungraded": "Waiting for your teacher's rubric score"}


def write_feedback(run: GradeRun, folder: Path | str, *, markdown: bool = False) -> list[Path]:
    """Write one HTML feedback page per graded student into ``folder`` (and a Markdown twin if ``markdown``).

    Each page lists every item with its score, status, the reason and the explanation; everything is escaped.
    Returns the paths written. File names come from the student id (made safe, and unique).
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    used: set[str] = set()
    pages = _FeedbackPages(run)
    for student in run.students:
        stem = _file_stem(student.student_id, used)
        sections = pages.sections(student)
        target = folder / f"{stem}.html"
        write_atomic(target, _feedback_html(student, [html_part for html_part, _md in sections]))
        written.append(target)
        if markdown:
            target = folder / f"{stem}.md"
            write_atomic(target, _feedback_markdown(student, [md for _html, md in sections]))
            written.append(target)
    return written


def _file_stem(student_id: str, used: set[str]) -> str:
    stem = re.sub(r"[^A-Za-z0-9_-]+", "_", student_id).strip("_")[:60] or "student"
    if stem.casefold() in used:
        stem = f"{stem}-{sha256(student_id.encode('utf-8')).hexdigest()[:8]}"
    used.add(stem.casefold())
    return stem


class _FeedbackPages:
    """The sections of a run's feedback pages, each written once.

    A section depends only on the item and the student's result for it (or why it was skipped, or the rubric levels
    merged into it); a class shares a few hundred distinct results (see ``GradeRun.memo``), so each section is built
    and escaped once and reused. Sections with merged rubric levels are built for their student alone.
    """

    def __init__(self, run: GradeRun):
        self.items = run.items
        self.built: dict[tuple[int, int | str], tuple[str, str]] = {}  # (item position, id(result) or why skipped)

    def sections(self, student: StudentResult) -> list[tuple[str, str]]:
        """(HTML, Markdown) of each item's section for ``student``, in exercise order."""
        out = []
        for n, item in enumerate(self.items):
            result = student.scores.get(item.id)
            levels = student.rubric.get(item.id)
            if levels and result is not None:
                out.append(_feedback_section(item, result, "", levels))
                continue
            why = "" if result is not None else student.skipped.get(item.id, "not graded")
            key = (n, id(result) if result is not None else why)
            section = self.built.get(key)
            if section is None:
                section = self.built[key] = _feedback_section(item, result, why, {})
            out.append(section)
        return out


def _feedback_section(item: Item, result: Score | None, why: str, levels: dict[str, Fraction]) -> tuple[str, str]:
    """One item's section of a feedback page, as (HTML, Markdown): heading, stem, score line, reason, rubric lines,
    explanation. ``why`` says why an item without a result was not graded."""
    heading = f"{item.id}" + (f": {item.title}" if item.title else "")
    explanation = item.explanation
    rubric: list[str] = []
    if result is None:
        score_line = "Not graded"
        reason = f"This item was {why}."
        explanation = ""
    else:
        if result.status == "ungraded":
            score_line = f"{_STATUS_WORDS['ungraded']} (out of {format_points(result.possible)})"
        else:
            score_line = (f"{format_points(result.earned)} of {format_points(result.possible)} "
                          f"{_points_word(result.possible)}: {_STATUS_WORDS.get(result.status, '')}")
        reason = result.reason
        for criterion in item.rubric:
            if criterion.id in levels:
                level = next((lv for lv in criterion.levels if lv.points == levels[criterion.id]), None)
                label = f"{level.label}, " if level else ""
                rubric.append(f"{criterion.criterion}: {label}{format_points(levels[criterion.id])} "
                              f"of {criterion.max_points}")
    e = html.escape
    parts = ["<section>", f"<h2>{e(heading)}</h2>"]
    if item.stem:
        parts.append(f"<p>{e(item.stem)}</p>")
    parts += [f"<p><strong>Score:</strong> {e(score_line)}</p>", f"<p>{e(reason)}</p>"]
    if rubric:
        parts.append("<ul>" + "".join(f"<li>{e(line)}</li>" for line in rubric) + "</ul>")
    if explanation:
        parts.append(f"<p><strong>Explanation:</strong> {e(explanation)}</p>")
    parts.append("</section>")
    m = _md_escape
    lines = [f"## {m(heading)}", ""]
    if item.stem:
        lines += [m(item.stem), ""]
    lines += [f"**Score:** {m(score_line)}", "", m(reason), ""]
    lines += [f"- {m(line)}" for line in rubric] + ([""] if rubric else [])
    if explanation:
        lines += [f"**Explanation:** {m(explanation)}", ""]
    return "\n".join(parts), "\n".join(lines)


def _points_word(value: Fraction) -> str:
    return "point" if value == 1 else "points"


def _summary(student: StudentResult) -> str:
    earned, possible, _count = student.points()
    if not possible:
        return "No points scored yet."
    return (f"Total: {format_points(earned)} of {format_points(possible)} {_points_word(possible)} "
            f"({format_points(earned * 100 / possible)}%).")


def _feedback_html(student: StudentResult, sections: list[str]) -> str:
    e = html.escape
    who = student.student_name or student.student_id
    parts = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             f"<title>Feedback for {e(who)}</title>",
             "<style>body{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;"
             "line-height:1.5}section{border-top:1px solid #767676;padding:.5rem 0}</style>",
             "</head>", "<body>", "<main>", f"<h1>Feedback for {e(who)}</h1>",
             f"<p>Student id: {e(student.student_id)}. File: {e(Path(student.path).name)}. "
             f"Exported: {e(student.submission.exported_at)}.</p>", f"<p><strong>{e(_summary(student))}</strong></p>",
             *sections, "</main>", "</body>", "</html>", ""]
    return "\n".join(parts)


def _feedback_markdown(student: StudentResult, sections: list[str]) -> str:
    """The Markdown twin; text is escaped (no raw HTML from a submission survives rendering)."""
    e = _md_escape
    who = e(student.student_name or student.student_id)
    lines = [f"# Feedback for {who}", "", f"Student id: {e(student.student_id)}. File: {e(Path(student.path).name)}.",
             "", f"**{_summary(student)}**", "", *sections]
    return "\n".join(lines)


def _md_escape(text: str) -> str:
    return " ".join(html.escape(text, quote=False).split())

