"""The gradebook CSV, the one file a teacher's spreadsheet reads, and atomic writing.

The gradebook is UTF-8 with a byte-order mark (so spreadsheet programs read names correctly), written by
``csv.writer`` (CRLF line ends, quoted only where needed); any cell starting with ``= + - @``, a tab, a carriage
return, the minus sign ``−`` or an apostrophe gets a leading apostrophe (:func:`neutralise`), so no cell is run as a
formula and :func:`read_gradebook` can undo it exactly. JSON may carry a lone surrogate ("\\ud800"), which UTF-8
cannot hold: it is written as the text \\ud800 rather than costing the whole class its gradebook.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import tempfile
from collections.abc import Iterable
from fractions import Fraction
from pathlib import Path
from typing import Any

from ..core.numbers import format_points
from .results import GradeRun, StudentResult

DANGEROUS = ("=", "+", "-", "@", "\t", "\r", "\u2212", "'")
UNPAIRED = "backslashreplace"


def neutralise(cell: str) -> str:
    """Guard a spreadsheet cell against formula injection: a leading apostrophe when it starts dangerously."""
    return "'" + cell if cell.startswith(DANGEROUS) else cell


def header(run: GradeRun) -> list[str]:
    items = run.items
    return (["student_id", "student_name", "file", "total", "possible", "percent"]
            + [f"set:{s.id}" for s in run.sets] + [f"skill:{skill}" for skill in run.skills]
            + [f"item:{item.id}" for item in items]
            + [f"rubric:{item.id}:{c.id}" for item in items for c in item.rubric]
            + [f"response:{item.id}" for item in items])


def _points_or_empty(earned: Fraction, count: int) -> str:
    return format_points(earned) if count else ""


def student_row(run: GradeRun, student: StudentResult) -> list[str]:
    """One student's cells, before formula neutralisation (see :func:`gradebook_rows`)."""
    items = run.items
    earned, possible, _count = student.points()
    cells = [student.student_id, student.student_name, student.path, format_points(earned), format_points(possible),
             format_points(earned * 100 / possible) if possible else ""]
    groups = [[item.id for item in item_set.items] for item_set in run.sets]
    groups += [[item.id for item in items if item.skill == skill] for skill in run.skills]
    for ids in groups:
        got, _possible, count = student.points(ids)
        cells.append(_points_or_empty(got, count))
    for item in items:
        result = student.scores.get(item.id)
        cells.append(format_points(result.earned) if result is not None and result.status != "ungraded" else "")
    for item in items:
        levels = student.rubric.get(item.id, {})
        cells += [format_points(levels[c.id]) if c.id in levels else "" for c in item.rubric]
    answers = student.submission.answers
    cells += [json_text(answers[item.id]) if item.id in student.scores and item.id in answers else ""
              for item in items]
    return cells


_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def json_text(value: Any) -> str:
    """``value`` as compact JSON, exactly as ``json.dumps(value, ensure_ascii=False, separators=(",", ":"))``."""
    return _JSON.encode(value)


def gradebook_rows(run: GradeRun) -> tuple[list[str], list[list[str]]]:
    """The gradebook as (header, rows) of plain cells, before formula neutralisation.

    Columns: ``student_id, student_name, file, total, possible, percent``, then ``set:<set id>`` for every set,
    ``skill:<skill>`` for every skill in use, ``item:<item id>`` for every item, ``rubric:<item id>:<criterion id>``
    for every rubric criterion and ``response:<item id>`` (the raw response as compact JSON) for every item. Points
    are written with ``format_points``; a cell is empty when nothing was scored there.
    """
    return header(run), [student_row(run, student) for student in run.students]


def write_gradebook(run: GradeRun, path: Path | str) -> None:
    """Write the gradebook CSV atomically (see :func:`gradebook_rows` for the columns)."""
    head, rows = gradebook_rows(run)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    for row in [head, *rows]:
        writer.writerow([neutralise(cell) for cell in row])
    write_atomic(path, "\ufeff" + buffer.getvalue())


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
        data = data.encode("utf-8", errors=UNPAIRED)
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
