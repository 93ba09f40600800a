"""The instructor answer key, as Markdown or JSON.

Every item with its id, type, points, skill, sources, stem, the key in words (option texts, grid row → column label,
marked spans, the numeric answer with its accepted range and unit, the order, both parts of a two-part item), the
explanation, the teaching note, and for constructed responses the rubric with every level and anchor answer.
"""

from __future__ import annotations

import json
from fractions import Fraction
from typing import Any

from ..core.model import Item, ItemSet, content_hash
from ..core.numbers import decimal

KEY_FORMAT = "sourcework-key/1"


def key_in_words(item: Item) -> list[str]:
    """The item's key as lines of plain text a teacher can read out (one line per option, row, span or part)."""
    if item.type == "choice":
        return [_option(item.options, item.key)]
    if item.type == "select":
        return [_option(item.options, key) for key in item.key or ()]
    if item.type == "grid":
        labels = {c.id: c.label for c in item.columns}
        return [f"{row.text} → {' and '.join(labels.get(k, k) for k in row.key)}" for row in item.rows]
    if item.type == "mark":
        spans = {s.id: s.text for s in item.spans}
        return [f"“{spans.get(key, key)}”" for key in item.key or ()]
    if item.type == "numeric":
        return [_numeric(item)]
    if item.type == "order":
        events = {e.id: e.text for e in item.events}
        return [f"{index}. {events.get(key, key)}" for index, key in enumerate(item.key or (), 1)]
    if item.type == "two-part" and item.part_a and item.part_b:
        return [f"Part A: {_option(item.part_a.options, item.part_a.key)}",
                f"Part B: {_option(item.part_b.options, item.part_b.key)}"]
    if item.type == "response":
        return ["Scored by the teacher with the rubric below."]
    return []


def _option(options: Any, key: str) -> str:
    text = next((o.text for o in options if o.id == key), "")
    return f"{key}: {text}" if text else key




def _numeric(item: Item) -> str:
    answer = item.answer if item.answer is not None else Fraction(0)
    widths = []
    if item.tolerance_abs is not None:
        widths.append(item.tolerance_abs)
    if item.tolerance_rel is not None:
        widths.append(item.tolerance_rel * abs(answer))
    width = max(widths, default=Fraction(0))
    unit = f" {item.unit}" if item.unit else ""
    tolerance = []
    if item.tolerance_abs is not None:
        tolerance.append(f"± {decimal(item.tolerance_abs)}")
    if item.tolerance_rel is not None:
        tolerance.append(f"± {decimal(item.tolerance_rel * 100)}% of the answer")
    accepted = f"accepted {decimal(answer - width)} to {decimal(answer + width)}" if width else "exact"
    return f"{decimal(answer)}{unit} ({' or '.join(tolerance) or 'no tolerance'}: {accepted})"


def _number(value: Fraction | int) -> int | str:
    value = Fraction(value)
    return value.numerator if value.denominator == 1 else decimal(value)


def key_data(sets: list[ItemSet] | tuple[ItemSet, ...], *, book: str = "") -> dict[str, Any]:
    """The answer key as a JSON-ready dict: ``{format, book, content_hash, sets: [{id, title, chapter, items}]}``."""
    return {
        "format": KEY_FORMAT,
        "book": book,
        "content_hash": content_hash(sets),
        "sets": [{"id": s.id, "title": s.title, "chapter": s.chapter, "items": [_item_data(i) for i in s.items]}
                 for s in sets],
    }


def _item_data(item: Item) -> dict[str, Any]:
    data: dict[str, Any] = {"id": item.id, "type": item.type, "title": item.title, "points": _number(item.points),
                            "skill": item.skill, "sources": list(item.sources), "stem": item.stem,
                            "key": _raw_key(item), "key_text": key_in_words(item), "explanation": item.explanation,
                            "teaching_note": item.teaching_note}
    if item.type == "mark":
        data["passage"] = {"source": item.source, "paragraph": item.paragraph, "text": item.passage, "job": item.job}
    if item.type == "numeric":
        data["answer"] = {"value": _number(item.answer or 0), "unit": item.unit,
                          "tolerance_abs": None if item.tolerance_abs is None else _number(item.tolerance_abs),
                          "tolerance_rel": None if item.tolerance_rel is None else _number(item.tolerance_rel)}
    if item.rubric:
        data["rubric"] = [{"id": c.id, "criterion": c.criterion, "max_points": c.max_points,
                           "levels": [{"points": lv.points, "label": lv.label, "descriptor": lv.descriptor,
                                       "anchor": lv.anchor} for lv in c.levels]} for c in item.rubric]
    return data


def _raw_key(item: Item) -> Any:
    if item.type == "grid":
        return {row.id: list(row.key) if len(row.key) > 1 else row.key[0] for row in item.rows}
    if item.type == "two-part" and item.part_a and item.part_b:
        return {"a": item.part_a.key, "b": item.part_b.key}
    if item.type == "numeric":
        return _number(item.answer or 0)
    if isinstance(item.key, tuple):
        return list(item.key)
    return item.key


def key_json(sets: list[ItemSet] | tuple[ItemSet, ...], *, book: str = "") -> str:
    """The answer key as pretty-printed JSON text (see :func:`key_data`)."""
    return json.dumps(key_data(sets, book=book), ensure_ascii=False, indent=2) + "\n"


def key_markdown(sets: list[ItemSet] | tuple[ItemSet, ...], *, book: str = "") -> str:
    """The answer key as a Markdown document: one section per set, one subsection per item."""
    title = f"Answer key: {book}" if book else "Answer key"
    lines = [f"# {title}", "", "Instructor material: do not share with students.", "",
             f"Content hash of these exercises: `{content_hash(sets)}` (submissions carry the same hash when "
             "they were made from the same exercises).", ""]
    for item_set in sets:
        lines += [f"## {item_set.title} (`{item_set.id}`)", ""]
        for item in item_set.items:
            lines += _item_markdown(item)
    return "\n".join(lines).rstrip("\n") + "\n"


def _item_markdown(item: Item) -> list[str]:
    heading = f"### `{item.id}`" + (f": {item.title}" if item.title else "")
    points = _number(item.points)
    lines = [heading, "",
             f"- **Type:** {item.type} · **Points:** {points} · **Skill:** {item.skill} · "
             f"**Sources:** {', '.join(item.sources)}",
             f"- **Stem:** {_flat(item.stem)}"]
    if item.type == "mark":
        lines.append(f"- **Passage** (Source {item.source} ¶{item.paragraph}; job: {_flat(item.job)}): "
                     f"“{_flat(item.passage)}”")
    key = key_in_words(item)
    if len(key) == 1:
        lines.append(f"- **Key:** {_flat(key[0])}")
    else:
        lines.append("- **Key:**")
        bullet = "  " if item.type == "order" else "  - "  # order lines are already numbered "1. …"
        lines += [f"{bullet}{_flat(line)}" for line in key]
    if item.explanation:
        lines.append(f"- **Explanation:** {_flat(item.explanation)}")
    if item.teaching_note:
        lines.append(f"- **Teaching note:** {_flat(item.teaching_note)}")
    lines.append("")
    if item.rubric:
        lines += ["| Criterion | Points | Level | Descriptor | Anchor answer |", "|---|---|---|---|---|"]
        for criterion in item.rubric:
            for level in criterion.levels:
                lines.append(f"| {_cell(criterion.criterion)} ({_cell(criterion.id)}) | {level.points} | "
                             f"{_cell(level.label)} | {_cell(level.descriptor)} | {_cell(level.anchor)} |")
        lines.append("")
    return lines


def _flat(text: str) -> str:
    return " ".join(str(text).split())


def _cell(text: str) -> str:
    return _flat(text).replace("|", "\\|")


def answer_key(sets: list[ItemSet] | tuple[ItemSet, ...], *, fmt: str = "md", book: str = "") -> str:
    """The answer key in ``fmt`` (``md`` or ``json``)."""
    if fmt == "json":
        return key_json(sets, book=book)
    if fmt == "md":
        return key_markdown(sets, book=book)
    raise ValueError(f"unknown answer-key format {fmt!r} (use md or json)")
