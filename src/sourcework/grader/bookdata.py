"""The ``book`` JSON the class-grading page embeds and the browser grader (``sw-grade-core.js``) reads (no Sphinx).

``book_json(sets)`` holds everything the in-browser engine and the rubric screen need to grade a class exactly as
``sourcework grade`` does::

    {"format": "sourcework-book/1", "title": book title, "content_hash": content_hash(sets),
     "skills": [skill, ...],                  # GradeRun.skills: the gradebook's skill columns, in order
     "sets": [{"id", "title", "chapter", "points": set points ("p/q" or int),
               "items": [Item.to_dict(with_keys=True), ...]}],   # the instructor edition's script.sw-data, keys,
                                                                 # explanations and rubric anchors included
     "hashes": {item id: Item.content_hash()}}

Fractions are written as ``Item.to_dict`` writes them (an int, or a ``"p/q"`` string). The dict holds every key: only
the instructor edition may embed it.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from ..core.model import SKILLS, ItemSet, content_hash

BOOK_FORMAT = "sourcework-book/1"


def _fraction(value: Fraction) -> int | str:
    return value.numerator if value.denominator == 1 else str(value)


def book_json(sets: list[ItemSet] | tuple[ItemSet, ...], *, title: str = "") -> dict[str, Any]:
    """The book data for the in-browser grader (see the module's docstring for the shape)."""
    items = [item for item_set in sets for item in item_set.items]
    used = {item.skill for item in items}
    return {
        "format": BOOK_FORMAT,
        "title": title,
        "content_hash": content_hash(sets),
        "skills": [s for s in SKILLS if s in used] + sorted(used - set(SKILLS)),
        "sets": [{"id": s.id, "title": s.title, "chapter": s.chapter,
                  "points": _fraction(sum((item.points for item in s.items), Fraction(0))),
                  "items": [item.to_dict(with_keys=True) for item in s.items]} for s in sets],
        "hashes": {item.id: item.content_hash() for item in items},
    }


__all__ = ["BOOK_FORMAT", "book_json"]
