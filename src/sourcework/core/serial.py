"""Build an :class:`~sourcework.core.model.Item` back from its JSON form.

``item_from_dict`` is the inverse of ``Item.to_dict(with_keys=True)``: the shared scoring vectors, the browser data
and the grader's item snapshots are all that dict shape, and this is the one way back to the dataclass.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from sourcework.core.model import Column, Criterion, GridRow, Item, Level, Option, Part, Span

_FRACTION_FIELDS = ("points", "answer", "tolerance_abs", "tolerance_rel")
# Types whose key is a list of ids (choice keeps a single id).
_LIST_KEY_TYPES = ("select", "mark", "order")


def item_from_dict(data: dict[str, Any]) -> Item:
    """Return the Item that ``data`` (an ``Item.to_dict(with_keys=True)`` dict) describes.

    Fractions may be ``"p/q"`` strings, ints, decimal strings (``"2.05"``) or floats (read by their shortest
    decimal form, so ``2.05`` is exactly 41/20). A list-valued key may be given as a single string. Fields that
    ``to_dict`` leaves out take their defaults. Raises ``ValueError`` on unknown fields or unreadable numbers.
    """
    if not isinstance(data, dict):
        raise ValueError(f"an item must be a mapping, not {type(data).__name__}")
    unknown = set(data) - set(Item.__dataclass_fields__)
    if unknown:
        raise ValueError(f"unknown item field(s): {', '.join(sorted(unknown))}")
    fields = dict(data)
    for name in _FRACTION_FIELDS:
        if fields.get(name) is not None:
            fields[name] = to_fraction(fields[name], name)
    # to_dict drops falsy values, so a numeric answer of exactly 0 is missing from the dict: restore it.
    if fields.get("type") == "numeric" and fields.get("answer") is None:
        fields["answer"] = Fraction(0)
    if "sources" in fields:
        fields["sources"] = tuple(fields["sources"])
    if fields.get("type") in _LIST_KEY_TYPES and fields.get("key") is not None:
        fields["key"] = _ids(fields["key"])
    if "options" in fields:
        fields["options"] = _options(fields["options"])
    if "events" in fields:
        fields["events"] = _options(fields["events"])
    if "columns" in fields:
        fields["columns"] = tuple(Column(**c) for c in fields["columns"])
    if "rows" in fields:
        fields["rows"] = tuple(GridRow(**{**r, "key": _ids(r.get("key", ()))}) for r in fields["rows"])
    if "spans" in fields:
        fields["spans"] = tuple(Span(**s) for s in fields["spans"])
    for part in ("part_a", "part_b"):
        if fields.get(part) is not None:
            p = fields[part]
            fields[part] = Part(**{**p, "options": _options(p.get("options", ()))})
    if "rubric" in fields:
        fields["rubric"] = tuple(
            Criterion(**{**c, "levels": tuple(Level(**lv) for lv in c.get("levels", ()))}) for c in fields["rubric"]
        )
    if "outcome_feedback" in fields:
        fields["outcome_feedback"] = dict(fields["outcome_feedback"])
    return Item(**fields)


def to_fraction(value: Any, what: str = "number") -> Fraction:
    """Read an exact Fraction from an int, a ``"p/q"`` or decimal string, or a float (by its shortest repr)."""
    if isinstance(value, bool):
        raise ValueError(f"{what}: expected a number, got {value!r}")
    if isinstance(value, Fraction):
        return value
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, float):
        # repr gives the shortest decimal that reads back as this float: what the author typed, not 2.04999…
        return Fraction(repr(value))
    if isinstance(value, str):
        try:
            return Fraction(value.strip())
        except (ValueError, ZeroDivisionError):
            pass
    raise ValueError(f"{what}: expected an int, a decimal or a 'p/q' fraction, got {value!r}")


def _ids(value: Any) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


def _options(values: Any) -> tuple[Option, ...]:
    return tuple(Option(**o) for o in values)
