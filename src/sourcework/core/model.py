"""The item model: what an exercise item is, independent of how it is written or shown.

Everything downstream (Sphinx directives, browser data, grader, exporters) reads these dataclasses; the parser in
``core.items`` is the only thing that builds them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from fractions import Fraction
from typing import Any, TypeVar, cast

T = TypeVar("T")

ITEM_TYPES = ("choice", "select", "grid", "mark", "numeric", "order", "two-part", "response")
SKILLS = (
    "sourcing",
    "contextualization",
    "corroboration",
    "close-reading",
    "numeracy",
    "lateral-reading",
    "synthesis",
)
GRID_MODES = ("attribution", "corroboration", "classification")
EDITIONS = ("practice", "assessment", "instructor")


@dataclass(frozen=True)
class Option:
    """One answer option (choice, select, two-part parts)."""

    id: str
    text: str
    feedback: str = ""


@dataclass(frozen=True)
class Column:
    """A grid column: one of the answers a row may take."""

    id: str
    label: str


@dataclass(frozen=True)
class GridRow:
    """A grid row (a claim); ``key`` lists one column id, or several for a multi-column row."""

    id: str
    text: str
    key: tuple[str, ...]
    feedback: str = ""
    claim: str | None = None


@dataclass(frozen=True)
class Span:
    """A markable phrase inside a mark item's verbatim passage."""

    id: str
    text: str
    feedback: str = ""


@dataclass(frozen=True)
class Part:
    """One part of a two-part item."""

    stem: str
    options: tuple[Option, ...]
    key: str


@dataclass(frozen=True)
class Level:
    """One level of a rubric criterion; ``anchor`` is an anchor answer (instructor edition only)."""

    points: int
    label: str
    descriptor: str
    anchor: str = ""


@dataclass(frozen=True)
class Criterion:
    """A rubric criterion with its levels."""

    id: str
    criterion: str
    levels: tuple[Level, ...]

    @property
    def max_points(self) -> int:
        return max(level.points for level in self.levels)


@dataclass(frozen=True)
class Excerpt:
    """Source words shown above an item's stem; checked verbatim against the paragraph it cites."""

    source: str
    paragraph: int
    text: str


@dataclass(frozen=True)
class Item:
    """An exercise item. Type-specific fields are empty for other types.

    ``line`` and ``path`` locate the item's directive for error messages.
    """

    id: str
    type: str
    skill: str
    sources: tuple[str, ...]
    stem: str
    points: Fraction = Fraction(1)
    explanation: str = ""
    teaching_note: str = ""
    title: str = ""
    excerpts: tuple[Excerpt, ...] = ()
    # Teaching metadata (not content: left out of to_dict, so of the hash and the page data): the item works on the
    # original words of its source, not an adapted version (the instructor guide's {original-needed} table).
    needs_original: bool = False
    # choice / select
    options: tuple[Option, ...] = ()
    key: Any = None  # str for choice; tuple[str, ...] for select, mark, order
    # grid
    mode: str = ""
    columns: tuple[Column, ...] = ()
    rows: tuple[GridRow, ...] = ()
    # mark
    source: str = ""
    paragraph: int = 0
    passage: str = ""
    job: str = ""
    spans: tuple[Span, ...] = ()
    # numeric
    answer: Fraction | None = None
    tolerance_abs: Fraction | None = None
    tolerance_rel: Fraction | None = None
    unit: str = ""
    # numeric, order
    outcome_feedback: dict[str, str] = field(default_factory=dict)
    # order
    events: tuple[Option, ...] = ()
    # two-part
    part_a: Part | None = None
    part_b: Part | None = None
    # response
    rubric: tuple[Criterion, ...] = ()
    # location
    path: str = ""
    line: int = 0

    @property
    def set_id(self) -> str:
        return self.id.split(".", 1)[0]

    def to_dict(self, *, with_keys: bool = True) -> dict[str, Any]:
        """A JSON-ready dict of the item. Without keys, every key, feedback, explanation and anchor is dropped."""
        data = _jsonable(asdict(self))
        for location in ("path", "line", "needs_original"):
            data.pop(location, None)
        # Empty fields are dropped to keep page data small; a numeric answer of 0 is a real key and stays.
        data = {k: v for k, v in data.items() if not (v is None or v in ("", [], {}) or (k == "paragraph" and v == 0))}
        if not with_keys:
            data = strip_keys(data)
        return data

    def content_hash(self) -> str:
        """sha256 of the item's full definition (keys included), independent of where it is written.

        Worked out once per item (the item is immutable) and kept: a grading run asks for every item's hash.
        """
        return derived(self, "content_hash", self._hash)

    def _hash(self) -> str:
        canonical = json.dumps(self.to_dict(with_keys=True), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def derived(thing: object, name: str, make: Callable[[], T]) -> T:
    """``make()``, worked out once for an immutable model object and kept on it (under ``_derived_<name>``, not a
    field: equality, hashing, ``repr`` and ``to_dict`` ignore it)."""
    attribute = f"_derived_{name}"
    known = thing.__dict__.get(attribute, _NOT_YET)
    if known is _NOT_YET:
        known = make()
        object.__setattr__(thing, attribute, known)
    return cast(T, known)


_NOT_YET = object()


SECRET_FIELDS = frozenset({"key", "feedback", "explanation", "teaching_note", "anchor", "answer",
                           "tolerance_abs", "tolerance_rel", "outcome_feedback", "claim"})


def strip_keys(data: Any) -> Any:
    """Remove every secret field (keys, feedback, explanations, anchors) from a nested item dict."""
    if isinstance(data, dict):
        return {k: strip_keys(v) for k, v in data.items() if k not in SECRET_FIELDS}
    if isinstance(data, list):
        return [strip_keys(v) for v in data]
    return data


def _jsonable(value: Any) -> Any:
    if isinstance(value, Fraction):
        return str(value) if value.denominator != 1 else value.numerator
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value


@dataclass(frozen=True)
class ItemSet:
    """An exercise set: one file of ``exercises/``."""

    id: str
    title: str
    chapter: str
    items: tuple[Item, ...]
    path: str = ""
    line: int = 0
    intro: str = ""


def display_order(item_id: str, entries: tuple[Any, ...], *, avoid: tuple[str, ...] = ()) -> tuple[Any, ...]:
    """The order in which options or events are shown: a stable shuffle seeded by the item id.

    Authors tend to write the right answer first; showing options in written order would give the key away. The
    shuffle is the same in every edition, handout and export. An order item never starts in its keyed order
    (``avoid``), or moving nothing would score full marks.
    """
    shown = tuple(sorted(entries, key=lambda e: hashlib.sha256(f"{item_id}|{e.id}".encode()).hexdigest()))
    if avoid and len(shown) > 1 and tuple(e.id for e in shown) == tuple(avoid):
        shown = shown[1:] + shown[:1]
    return shown


def content_hash(sets: list[ItemSet] | tuple[ItemSet, ...]) -> str:
    """sha256 over every item's hash, in id order: changes whenever any item definition changes."""
    digest = hashlib.sha256()
    for item in sorted((i for s in sets for i in s.items), key=lambda i: i.id):
        digest.update(f"{item.id}:{item.content_hash()}\n".encode())
    return digest.hexdigest()
