"""The submission file a student downloads and the teacher grades (no Sphinx).

Format (``sourcework-submission/1``)::

    {"format": "sourcework-submission/1", "book": title, "content_hash": sha256 of all items,
     "item_hashes": {item id: sha256 of the item}, "edition": "assessment",
     "student": {"name": "...", "id": "..."}, "exported_at": ISO 8601 time, "answers": {item id: response}}

:func:`read_submission` never raises: it returns a :class:`Submission` or a :class:`Rejection` whose ``reason`` says
what is wrong in words a teacher can act on. Whether the answers fit the items is the grader's business, not this
module's: any JSON value is kept as the response.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .model import EDITIONS, ItemSet, content_hash

FORMAT = "sourcework-submission/1"
MAX_BYTES = 5 * 1024 * 1024
FIELDS = ("format", "book", "content_hash", "item_hashes", "edition", "student", "exported_at", "answers")


@dataclass(frozen=True)
class Submission:
    """A well-formed submission file.

    ``student_id`` and ``student_name`` are stripped of surrounding whitespace; ``answers`` maps item ids to the
    raw responses (any JSON value); ``warnings`` lists harmless oddities (unknown top-level fields, an edition that
    showed the keys).
    """

    path: str
    book: str
    content_hash: str
    item_hashes: dict[str, str]
    edition: str
    student_name: str
    student_id: str
    exported_at: str
    answers: dict[str, Any]
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rejection:
    """A file that cannot be graded: ``reason`` says why, ``fix`` what to do about it."""

    path: str
    reason: str
    fix: str = ""

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}" + (f" Fix: {self.fix}" if self.fix else "")


class _Invalid(Exception):
    def __init__(self, reason: str, fix: str = ""):
        super().__init__(reason)
        self.reason, self.fix = reason, fix


def read_submission(path: Path | str) -> Submission | Rejection:
    """Read and check one submission file; return a Submission, or a Rejection saying what is wrong. Never raises.

    Checks, in order: the file exists and is at most 5 MB (checked before reading), is UTF-8, is JSON (no NaN,
    no repeated keys), is an object with ``format`` equal to :data:`FORMAT`, and has every field with its type.
    """
    name = str(path)
    try:
        return _read(Path(path), name)
    except _Invalid as exc:
        return Rejection(name, exc.reason, exc.fix)


def _read(path: Path, name: str) -> Submission:
    resend = "Ask the student to download the submission file again from the book and send it unchanged."
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise _Invalid(f"the file is {size:,} bytes, more than the 5 MB limit for a submission.",
                           "Check that this is a submission file. " + resend)
        with path.open("rb") as handle:
            # Bounded even if the file grows or is not a regular file; asking for the size found (plus one byte, to
            # notice growth) spares allocating 5 MB for every file.
            raw = handle.read(size + 1)
            if len(raw) > size:
                raw += handle.read(MAX_BYTES + 1 - len(raw))
    except FileNotFoundError:
        raise _Invalid("the file does not exist.", "Check the file name.") from None
    except IsADirectoryError:
        raise _Invalid("this is a folder, not a submission file.", "Give the .json files inside it.") from None
    except OSError as exc:
        raise _Invalid(f"the file cannot be read ({exc.strerror or exc}).", "Check its permissions.") from None
    return _parse(raw, name)


def parse_submission(raw: bytes, name: str) -> Submission | Rejection:
    """Check a submission's bytes read from elsewhere (a zip member), as :func:`read_submission` checks a file's;
    ``name`` is what the result and its reasons call it. Never raises."""
    try:
        return _parse(raw, name)
    except _Invalid as exc:
        return Rejection(name, exc.reason, exc.fix)


def _parse(raw: bytes, name: str) -> Submission:
    resend = "Ask the student to download the submission file again from the book and send it unchanged."
    if len(raw) > MAX_BYTES:
        raise _Invalid("the file is more than the 5 MB limit for a submission.", resend)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _Invalid(f"the file is not UTF-8 text (undecodable byte at position {exc.start}).",
                       "If it was edited by hand, re-save it as UTF-8. " + resend) from None
    if not text.strip():
        raise _Invalid("the file is empty.", resend)
    try:
        data = _DECODER.decode(text)
    except json.JSONDecodeError as exc:
        raise _Invalid(f"the file is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}).",
                       resend) from None
    except RecursionError:
        raise _Invalid("the file's JSON is nested too deeply to be a submission.", resend) from None
    except _Invalid:
        raise
    except ValueError as exc:  # e.g. an integer with more digits than Python will convert
        raise _Invalid(f"the file is not valid JSON ({exc}).", resend) from None
    return _check_fields(data, name, resend)


def _no_repeated_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) == len(pairs):  # the usual case, decided without a Python loop over the keys
        return result
    seen: set[str] = set()
    for key, _value in pairs:
        if key in seen:
            raise _Invalid(f"the key {key!r} appears twice in one JSON object, so it is unclear which value counts.",
                           "Remove one of them, or ask the student to download the file again.")
        seen.add(key)
    return result  # not reached: a shorter dict means a repeated key


def _no_constants(name: str) -> Any:
    raise _Invalid(f"the file contains {name}, which is not valid JSON.", "Ask the student to download it again.")


# One decoder for every file (json.loads with hooks would build a new one per call).
_DECODER = json.JSONDecoder(object_pairs_hook=_no_repeated_keys, parse_constant=_no_constants)


def _check_fields(data: Any, name: str, resend: str) -> Submission:
    if not isinstance(data, dict):
        raise _Invalid(f"the file holds a JSON {_kind(data)}, not a submission object.", resend)
    fmt = data.get("format")
    if fmt != FORMAT:
        if isinstance(fmt, str) and fmt.startswith("sourcework-submission/"):
            raise _Invalid(f"the submission format {fmt!r} is not supported (this grader reads {FORMAT!r}).",
                           "Grade it with the sourcework version that matches the book, or ask for a new export.")
        raise _Invalid(f"this is not a sourcework submission (its 'format' is {_show(fmt)}, expected {FORMAT!r}).",
                       "Check that you picked the file the student downloaded from the book.")
    for key, kind in (("book", str), ("content_hash", str), ("item_hashes", dict), ("edition", str),
                      ("student", dict), ("exported_at", str), ("answers", dict)):
        if key not in data:
            raise _Invalid(f"the field {key!r} is missing.", resend)
        if not isinstance(data[key], kind):
            raise _Invalid(f"the field {key!r} should be a JSON {_KINDS[kind]}, not a {_kind(data[key])}.", resend)
    if not set(map(type, data["item_hashes"].values())) <= {str}:  # JSON gives exact types: no subclasses
        item_id, digest = next((k, v) for k, v in data["item_hashes"].items() if not isinstance(v, str))
        raise _Invalid(f"item_hashes[{item_id!r}] should be a string, not a {_kind(digest)}.", resend)
    student = data["student"]
    for key in ("name", "id"):
        if not isinstance(student.get(key), str):
            raise _Invalid(f"student {key!r} should be a string, not {_show(student.get(key))}.", resend)
    student_id, student_name = student["id"].strip(), student["name"].strip()
    if not student_id:
        raise _Invalid("the Student ID is empty, so the grade could not be matched to a student.",
                       f"Ask {student_name or 'the student'} to export again with their id, or type it into the "
                       "file's \"student\" field.")
    warnings = []
    unknown = sorted(set(data) - set(FIELDS))
    if unknown:
        warnings.append(f"unknown field(s) ignored: {', '.join(map(repr, unknown))}.")
    edition = data["edition"]
    if edition in ("practice", "instructor"):
        warnings.append(f"exported from the {edition} edition, where the keys are shown.")
    elif edition not in EDITIONS:
        warnings.append(f"unknown edition {edition!r}.")
    return Submission(path=name, book=data["book"], content_hash=data["content_hash"],
                      item_hashes=data["item_hashes"], edition=edition, student_name=student_name,
                      student_id=student_id, exported_at=data["exported_at"], answers=data["answers"],
                      warnings=tuple(warnings))


_KINDS: dict[type, str] = {str: "string", dict: "object", list: "array"}


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "number"
    return _KINDS.get(type(value), type(value).__name__)


def _show(value: Any) -> str:
    if value is None:
        return "missing"
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:39] + "…"


def item_hashes(sets: list[ItemSet] | tuple[ItemSet, ...]) -> dict[str, str]:
    """``{item id: Item.content_hash()}`` for every item: what a submission's ``item_hashes`` must hold."""
    return {item.id: item.content_hash() for item_set in sets for item in item_set.items}


def build_submission(*, sets: list[ItemSet] | tuple[ItemSet, ...], student_name: str, student_id: str,
                     answers: dict[str, Any], book: str = "", edition: str = "assessment",
                     exported_at: str | None = None, **overrides: Any) -> dict[str, Any]:
    """A submission dict (ready for ``json.dumps``) for the given exercise sets, as the book would export it.

    ``overrides`` replace top-level fields after the fact (tests use them to build broken files).
    """
    data: dict[str, Any] = {
        "format": FORMAT,
        "book": book,
        "content_hash": content_hash(sets),
        "item_hashes": item_hashes(sets),
        "edition": edition,
        "student": {"name": student_name, "id": student_id},
        "exported_at": exported_at or datetime.now(UTC).isoformat(timespec="seconds"),
        "answers": dict(answers),
    }
    data.update(overrides)
    return data


__all__ = ["FORMAT", "MAX_BYTES", "Rejection", "Submission", "build_submission", "item_hashes", "parse_submission",
           "read_submission"]
