"""Parse and validate exercise sets written in MyST (``exercises/*.md``).

An exercise file holds one ```` ```{exercise-set} ```` directive and then ```` ```{item} ```` directives, each with a
YAML body. ``parse_item`` turns one YAML body into an :class:`Item`; ``load_exercises`` reads every file, checks
each item against the corpus and across the book, and returns the sets with every problem located by file and line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from fractions import Fraction
from pathlib import Path
from typing import Any

import yaml

from . import yamlloc
from .corpus import Corpus, normalise
from .errors import Problem, SourceworkError
from .law import expand_data
from .model import (
    GRID_MODES,
    ITEM_TYPES,
    SKILLS,
    Column,
    Criterion,
    Excerpt,
    GridRow,
    Item,
    ItemSet,
    Level,
    Option,
    Part,
    Span,
)

_FENCE = re.compile(r"^(?P<fence>`{3,}|:{3,})\{(?P<name>exercise-set|item)\}\s*(?P<arg>.*)$")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*\.[a-z0-9][a-z0-9-]*$")
_SET_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")

COMMON_KEYS = {"id", "type", "points", "skill", "sources", "stem", "explanation", "teaching_note", "title", "excerpt",
               "needs_original"}
TYPE_KEYS = {
    "choice": {"options", "key"},
    "select": {"options", "key"},
    "grid": {"mode", "columns", "rows"},
    "mark": {"source", "paragraph", "passage", "job", "spans", "key"},
    "numeric": {"answer", "tolerance", "unit", "feedback"},
    "order": {"events", "key", "feedback"},
    "two-part": {"part_a", "part_b"},
    "response": {"rubric"},
}
SET_KEYS = {"id", "title", "chapter", "intro"}
OUTCOMES = {"numeric": ("correct", "incorrect"), "order": ("correct", "partial", "incorrect")}


class _Checker:
    """Collects located problems for one YAML body."""

    def __init__(self, path: str, first_line: int, node: yaml.Node | None, item_id: str = ""):
        self.path, self.first_line, self.node, self.item_id = path, first_line, node, item_id
        self.problems: list[Problem] = []

    def line(self, *keys: str | int) -> int:
        return yamlloc.line_of(self.node, *keys, first_line=self.first_line)

    def add(self, keys: tuple[str | int, ...], message: str, fix: str) -> None:
        self.problems.append(Problem(self.path, self.line(*keys), message, fix, self.item_id))


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _fraction(value: Any) -> Fraction | None:
    try:
        return Fraction(str(value).strip())
    except (ValueError, ZeroDivisionError):
        return None


def _ids(value: Any) -> tuple[str, ...]:
    if isinstance(value, list):
        return tuple(_text(v) for v in value)
    return (_text(value),) if value not in (None, "") else ()


def _options(check: _Checker, raw: Any, where: tuple[str | int, ...], what: str = "option") -> tuple[Option, ...]:
    """Parse a list of {id, text, feedback}; report missing fields, duplicates and unknown keys."""
    if not isinstance(raw, list) or not raw:
        check.add(where, f"{'/'.join(map(str, where))} must be a non-empty list of {what}s.",
                  f"Write each {what} as '- id: a' with 'text:' and 'feedback:' lines.")
        return ()
    result: list[Option] = []
    seen: set[str] = set()
    for index, entry in enumerate(raw):
        at = (*where, index)
        if not isinstance(entry, dict):
            check.add(at, f"{what} {index + 1} is not a mapping.", "Write 'id:', 'text:' and 'feedback:' keys.")
            continue
        unknown = sorted(set(entry) - {"id", "text", "feedback"})
        if unknown:
            check.add(at, f"{what} {index + 1} has unknown key(s) {', '.join(unknown)}.",
                      "Use only id, text and feedback (check the spelling).")
        oid, text, feedback = _text(entry.get("id")), _text(entry.get("text")), _text(entry.get("feedback"))
        if not oid or not text:
            check.add(at, f"{what} {index + 1} needs an id and a text.", "Add 'id:' and 'text:'.")
            continue
        if oid in seen:
            check.add(at, f"{what} id {oid!r} is used twice.", f"Give each {what} its own id.")
        if text in {o.text for o in result}:
            check.add(at, f"{what} text {text!r} is repeated.", f"Each {what} must say something different.")
        seen.add(oid)
        if not feedback and what != "event":
            check.add(at, f"{what} {oid!r} has no feedback.",
                      "Add 'feedback:' explaining why this answer is right, or why it is tempting and wrong.")
        result.append(Option(oid, text, feedback))
    return tuple(result)


def _check_key(check: _Checker, key: tuple[str, ...], known: Iterable[str], where: tuple[str | int, ...],
               what: str) -> None:
    known = list(known)
    for value in key:
        if value not in known:
            check.add(where, f"the key names {what} {value!r}, which does not exist.",
                      f"Use one of: {', '.join(known)}.")


def parse_item(text: str, *, path: str, first_line: int, corpus: Corpus | None = None,
               set_id: str = "") -> tuple[Item | None, list[Problem]]:
    """Parse one ``{item}`` YAML body into an Item; return it (None if unusable) and its located problems."""
    try:
        data, node = yamlloc.load(text, path=path, first_line=first_line)
    except SourceworkError as exc:
        return None, exc.problems
    if not isinstance(data, dict):
        return None, [Problem(path, first_line, "an item body must be YAML 'key: value' lines.",
                              "Start with 'id: set.item' and 'type: choice' (see ARCHITECTURE.md, Items).")]
    item_id = _text(data.get("id"))
    check = _Checker(path, first_line, node, item_id)
    if corpus is not None:
        data = _expand_law(check, data, corpus)
    for key in ("id", "type", "skill", "sources", "stem"):
        if data.get(key) in (None, "", []):
            check.add((), f"the item has no {key!r}.", f"Add '{key}: …' to the item.")
    kind = _text(data.get("type"))
    if kind and kind not in ITEM_TYPES:
        check.add(("type",), f"unknown item type {kind!r}.", f"Use one of: {', '.join(ITEM_TYPES)}.")
    allowed = COMMON_KEYS | TYPE_KEYS.get(kind, set())
    for key in data:
        if key not in allowed:
            check.add((key,), f"unknown key {key!r} for a {kind or 'typeless'} item.",
                      f"Check the spelling; allowed keys: {', '.join(sorted(allowed))}.")
    if item_id and not _ID.match(item_id):
        check.add(("id",), f"id {item_id!r} is not of the form 'set.item'.",
                  "Use lowercase letters, digits and hyphens, e.g. 'agency.framing-1'.")
    elif item_id and set_id and item_id.split(".")[0] != set_id:
        check.add(("id",), f"id {item_id!r} does not start with this file's set id {set_id!r}.",
                  f"Rename it '{set_id}.{item_id.split('.', 1)[-1]}'.")
    skill = _text(data.get("skill"))
    if skill and skill not in SKILLS:
        check.add(("skill",), f"unknown skill {skill!r}.", f"Use one of: {', '.join(SKILLS)}.")
    sources = _ids(data.get("sources"))
    if corpus is not None:
        for label in sources:
            if label not in corpus.sources:
                check.add(("sources",), f"unknown source {label!r}.",
                          f"Use a source label: {', '.join(sorted(corpus.sources))}.")
    points = _fraction(data.get("points", 1))
    if points is None or points <= 0:
        check.add(("points",), f"points must be a positive number, not {data.get('points')!r}.",
                  "Write e.g. 'points: 2'.")
        points = Fraction(1)
    excerpts = _excerpts(check, data.get("excerpt"), corpus)
    needs_original = data.get("needs_original", False)
    if not isinstance(needs_original, bool):
        check.add(("needs_original",), f"needs_original must be true or false, not {needs_original!r}.",
                  "Write 'needs_original: true' (the item works on the original words) or leave the key out.")
        needs_original = False
    fields: dict[str, Any] = {}
    if kind in ITEM_TYPES:
        fields = _PARSERS[kind](check, data, corpus)
    if check.problems or kind not in ITEM_TYPES:
        return None, check.problems
    if kind == "response":
        points = Fraction(sum(c.max_points for c in fields["rubric"]))
    item = Item(id=item_id, type=kind, skill=skill, sources=sources, stem=_text(data.get("stem")), points=points,
                explanation=_text(data.get("explanation")), teaching_note=_text(data.get("teaching_note")),
                title=_text(data.get("title")), excerpts=excerpts, needs_original=needs_original, path=path,
                line=first_line, **fields)
    return item, []


def _expand_law(check: _Checker, value: Any, corpus: Corpus, at: tuple[str | int, ...] = ()) -> Any:
    """The YAML data with ``{law}``/``{asof}`` expanded (``core.law.expand_data``); each problem located."""
    return expand_data(value, corpus.law, lambda where, message, fix: check.add(where, message, fix), at)


def _excerpts(check: _Checker, raw: Any, corpus: Corpus | None) -> tuple[Excerpt, ...]:
    """Parse ``excerpt:`` (a list of {source, paragraph, text}) and check each verbatim against the corpus."""
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raw = [raw]
    result: list[Excerpt] = []
    for index, entry in enumerate(raw):
        at: tuple[str | int, ...] = ("excerpt", index)
        if not isinstance(entry, dict) or set(entry) != {"source", "paragraph", "text"}:
            check.add(at, "an excerpt needs exactly 'source', 'paragraph' and 'text'.",
                      "Write '- {source: B, paragraph: 6, text: \"exact words\"}'.")
            continue
        try:
            number = int(entry["paragraph"])
        except (TypeError, ValueError):
            check.add(at, f"excerpt paragraph {entry['paragraph']!r} is not a number.", "Write e.g. 'paragraph: 6'.")
            continue
        excerpt = Excerpt(_text(entry["source"]), number, _text(entry["text"]))
        problem = corpus.check_quote(excerpt.source, number, excerpt.text) if corpus is not None else None
        if problem:
            check.add(at, f"excerpt: {problem}.", "Copy the words exactly from the paragraph in sources/.")
            continue
        result.append(excerpt)
    return tuple(result)


def _parse_choice(check: _Checker, data: dict, corpus: Corpus | None) -> dict[str, Any]:
    options = _options(check, data.get("options"), ("options",))
    key = data.get("key")
    if data["type"] == "choice":
        if not isinstance(key, str) or not key:
            check.add(("key",), "a choice item's key must be one option id.", "Write e.g. 'key: b'.")
            return {}
        _check_key(check, (key,), (o.id for o in options), ("key",), "option")
        return {"options": options, "key": key}
    keys = _ids(key)
    if not keys:
        check.add(("key",), "a select item's key must list at least one option id.", "Write e.g. 'key: [a, c]'.")
    _check_key(check, keys, (o.id for o in options), ("key",), "option")
    return {"options": options, "key": keys}


def _parse_grid(check: _Checker, data: dict, corpus: Corpus | None) -> dict[str, Any]:
    mode = _text(data.get("mode"))
    if mode not in GRID_MODES:
        check.add(("mode",), f"grid mode {mode!r} is unknown.", f"Use one of: {', '.join(GRID_MODES)}.")
    raw_columns = data.get("columns")
    columns: list[Column] = []
    if not isinstance(raw_columns, list) or len(raw_columns) < 2:
        check.add(("columns",), "a grid needs at least two columns.", "Write '- {id: a, label: Source A}' lines.")
    else:
        for index, col in enumerate(raw_columns):
            if not isinstance(col, dict) or not col.get("id") or not col.get("label"):
                check.add(("columns", index), f"column {index + 1} needs an id and a label.", "Add 'id:' and 'label:'.")
                continue
            columns.append(Column(_text(col["id"]), _text(col["label"])))
    column_ids = [c.id for c in columns]
    rows: list[GridRow] = []
    raw_rows = data.get("rows")
    if not isinstance(raw_rows, list) or not raw_rows:
        check.add(("rows",), "a grid needs at least one row.", "Write '- id: r1' rows with text, key and feedback.")
        raw_rows = []
    for index, row in enumerate(raw_rows):
        at: tuple[str | int, ...] = ("rows", index)
        if not isinstance(row, dict):
            check.add(at, f"row {index + 1} is not a mapping.", "Write 'id:', 'text:', 'key:', 'feedback:'.")
            continue
        unknown = sorted(set(row) - {"id", "text", "key", "feedback", "claim"})
        if unknown:
            check.add(at, f"row {index + 1} has unknown key(s) {', '.join(unknown)}.",
                      "Use only id, text, key, feedback and claim.")
        rid, key = _text(row.get("id")), _ids(row.get("key"))
        if not rid or not _text(row.get("text")) or not key:
            check.add(at, f"row {index + 1} needs an id, a text and a key.", "Add the missing keys.")
            continue
        if not _text(row.get("feedback")):
            check.add(at, f"row {rid!r} has no feedback.", "Add 'feedback:' explaining the right column.")
        _check_key(check, key, column_ids, (*at, "key"), "column")
        claim_id = _text(row.get("claim")) or None
        if mode == "attribution":
            if claim_id is None:
                check.add(at, f"attribution row {rid!r} does not name its claim.",
                          "Add 'claim: <id from sources/claims.yml>' so the key can be checked against the corpus.")
            elif corpus is not None:
                claim = corpus.claims.get(claim_id)
                if claim is None:
                    check.add((*at, "claim"), f"row {rid!r} names unknown claim {claim_id!r}.",
                              "Use an id from sources/claims.yml.")
                elif claim.source not in key:
                    check.add((*at, "key"), f"row {rid!r} is keyed {', '.join(key)} but claims.yml attributes "
                              f"{claim_id!r} to Source {claim.source}.",
                              "Fix the row's key or the claim it names (column ids must be source labels).")
        rows.append(GridRow(rid, _text(row.get("text")), key, _text(row.get("feedback")), claim_id))
    if len({r.id for r in rows}) != len(rows):
        check.add(("rows",), "two rows share an id.", "Give each row its own id.")
    return {"mode": mode, "columns": tuple(columns), "rows": tuple(rows)}


def _parse_mark(check: _Checker, data: dict, corpus: Corpus | None) -> dict[str, Any]:
    label, passage = _text(data.get("source")), _text(data.get("passage"))
    try:
        number = int(data.get("paragraph"))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        check.add(("paragraph",), "a mark item needs the paragraph number of its passage.", "Write 'paragraph: 6'.")
        number = 0
    if not passage or not _text(data.get("job")):
        check.add((), "a mark item needs a 'passage' and a 'job' (what the marked words do).",
                  "Add 'passage:' (verbatim) and e.g. 'job: framing'.")
    elif corpus is not None and number:
        problem = corpus.check_quote(label, number, passage)
        if problem:
            check.add(("passage",), f"mark passage: {problem}.", "Copy the passage exactly from sources/.")
    spans = _options(check, data.get("spans"), ("spans",), "span")
    for index, span in enumerate(spans):
        if normalise(span.text) not in normalise(passage):
            check.add(("spans", index), f"span {span.id!r} ({span.text!r}) does not occur in the passage.",
                      "Copy the span's words exactly from the passage.")
    key = _ids(data.get("key"))
    if not key:
        check.add(("key",), "a mark item's key must list at least one span id.", "Write e.g. 'key: [s1, s3]'.")
    _check_key(check, key, (s.id for s in spans), ("key",), "span")
    return {"source": label, "paragraph": number, "passage": passage, "job": _text(data.get("job")),
            "spans": tuple(Span(s.id, s.text, s.feedback) for s in spans), "key": key}


def _outcome_feedback(check: _Checker, data: dict, kind: str) -> dict[str, str]:
    raw = data.get("feedback")
    raw = raw if isinstance(raw, dict) else {}
    result = {k: _text(raw.get(k)) for k in OUTCOMES[kind]}
    missing = [k for k, v in result.items() if not v]
    if missing:
        check.add(("feedback",), f"outcome feedback missing for: {', '.join(missing)}.",
                  f"Write 'feedback:' with {', '.join(OUTCOMES[kind])} entries that explain the reasoning.")
    return result


def _parse_numeric(check: _Checker, data: dict, corpus: Corpus | None) -> dict[str, Any]:
    answer = _fraction(data.get("answer"))
    if answer is None:
        check.add(("answer",), f"answer {data.get('answer')!r} is not a number.", "Write e.g. 'answer: 2.05'.")
    tolerance = data.get("tolerance")
    tol_abs = tol_rel = None
    if not isinstance(tolerance, dict) or not ({"abs", "rel"} & set(tolerance)):
        check.add(("tolerance",), "a numeric item needs a tolerance.", "Write 'tolerance: {abs: 0.01}' or {rel: 0.01}.")
    else:
        tol_abs = _fraction(tolerance["abs"]) if "abs" in tolerance else None
        tol_rel = _fraction(tolerance["rel"]) if "rel" in tolerance else None
        if (tol_abs is None and tol_rel is None) or any(t is not None and t < 0 for t in (tol_abs, tol_rel)):
            check.add(("tolerance",), "the tolerance must be a non-negative number.", "Write e.g. '{abs: 0.01}'.")
    if not _text(data.get("unit")):
        check.add(("unit",), "a numeric item needs a unit.",
                  "Write e.g. 'unit: percent' or 'unit: cases' (it tells the student what to type).")
    return {"answer": answer, "tolerance_abs": tol_abs, "tolerance_rel": tol_rel, "unit": _text(data.get("unit")),
            "outcome_feedback": _outcome_feedback(check, data, "numeric")}


def _parse_order(check: _Checker, data: dict, corpus: Corpus | None) -> dict[str, Any]:
    events = _options(check, data.get("events"), ("events",), "event")
    key = _ids(data.get("key"))
    if len(set(key)) != len(key):
        check.add(("key",), "the order key repeats an event.", "List each event id exactly once.")
    elif sorted(key) != sorted(e.id for e in events):
        check.add(("key",), "the order key must list every event id exactly once.",
                  f"Use all of: {', '.join(e.id for e in events)}.")
    if len(events) < 3:
        check.add(("events",), "an order item needs at least three events.", "Add events.")
    return {"events": events, "key": key, "outcome_feedback": _outcome_feedback(check, data, "order")}


def _parse_two_part(check: _Checker, data: dict, corpus: Corpus | None) -> dict[str, Any]:
    parts: dict[str, Part | None] = {}
    for name in ("part_a", "part_b"):
        raw = data.get(name)
        if not isinstance(raw, dict):
            check.add((name,), f"{name} is missing.", f"Write '{name}:' with stem, options and key.")
            parts[name] = None
            continue
        unknown = sorted(set(raw) - {"stem", "options", "key"})
        if unknown:
            check.add((name,), f"{name} has unknown key(s) {', '.join(unknown)}.", "Use only stem, options, key.")
        options = _options(check, raw.get("options"), (name, "options"))
        key = _text(raw.get("key"))
        if not key:
            check.add((name,), f"{name} has no key.", "Write 'key: <option id>'.")
        _check_key(check, (key,), (o.id for o in options), (name, "key"), "option")
        parts[name] = Part(_text(raw.get("stem")), options, key)
    return parts


def _parse_response(check: _Checker, data: dict, corpus: Corpus | None) -> dict[str, Any]:
    raw = data.get("rubric")
    if not isinstance(raw, list) or not raw:
        check.add(("rubric",), "a response item needs a rubric.", "Write 'rubric:' with criteria and levels.")
        return {"rubric": ()}
    criteria: list[Criterion] = []
    for index, entry in enumerate(raw):
        at: tuple[str | int, ...] = ("rubric", index)
        if not isinstance(entry, dict) or not entry.get("id") or not entry.get("criterion"):
            check.add(at, f"criterion {index + 1} needs an id and a 'criterion' text.", "Add them.")
            continue
        levels: list[Level] = []
        for lindex, level in enumerate(entry.get("levels") or []):
            lat = (*at, "levels", lindex)
            if not isinstance(level, dict) or not isinstance(level.get("points"), int) or level["points"] < 0:
                check.add(lat, "each level needs whole, non-negative 'points'.", "Write 'points: 2'.")
                continue
            if not _text(level.get("descriptor")) or not _text(level.get("label")):
                check.add(lat, "each level needs a 'label' and a 'descriptor'.", "Add them.")
            if not _text(level.get("anchor")):
                check.add(lat, f"level {level.get('label', lindex)!r} has no anchor answer.",
                          "Add 'anchor:' — a sample answer at this level for the instructor edition.")
            levels.append(Level(level["points"], _text(level.get("label")), _text(level.get("descriptor")),
                                _text(level.get("anchor"))))
        if len(levels) < 2:
            check.add(at, f"criterion {entry['id']!r} needs at least two levels.", "Add levels.")
        elif max(lv.points for lv in levels) <= 0:
            check.add(at, f"criterion {entry['id']!r} has no level worth points.", "Give the top level points > 0.")
        elif len({lv.points for lv in levels}) != len(levels):
            check.add(at, f"criterion {entry['id']!r} has two levels with the same points.", "Make them distinct.")
        criteria.append(Criterion(_text(entry["id"]), _text(entry["criterion"]), tuple(levels)))
    return {"rubric": tuple(criteria)}


_PARSERS = {"choice": _parse_choice, "select": _parse_choice, "grid": _parse_grid, "mark": _parse_mark,
            "numeric": _parse_numeric, "order": _parse_order, "two-part": _parse_two_part,
            "response": _parse_response}


def directives(text: str) -> list[tuple[str, str, int, str]]:
    """Find ``exercise-set`` and ``item`` fences: (name, argument, first body line (1-based), body text)."""
    found: list[tuple[str, str, int, str]] = []
    lines = text.split("\n")
    index = 0
    while index < len(lines):
        match = _FENCE.match(lines[index])
        if not match:
            index += 1
            continue
        fence = match.group("fence")
        body: list[str] = []
        end = index + 1
        while end < len(lines) and lines[end].strip() != fence:
            body.append(lines[end])
            end += 1
        found.append((match.group("name"), match.group("arg").strip(), index + 2, "\n".join(body)))
        index = end + 1
    return found


def parse_set_header(body: str, *, path: str, first_line: int,
                     corpus: Corpus | None = None) -> tuple[dict[str, str], list[Problem]]:
    """Parse an ``{exercise-set}`` YAML body (id, title, chapter, intro); with a corpus, ``{law}`` in the intro."""
    try:
        data, node = yamlloc.load(body, path=path, first_line=first_line)
    except SourceworkError as exc:
        return {}, exc.problems
    check = _Checker(path, first_line, node)
    data = data if isinstance(data, dict) else {}
    if corpus is not None and "intro" in data:
        data["intro"] = _expand_law(check, data["intro"], corpus, ("intro",))
    for key in ("id", "title", "chapter"):
        if not _text(data.get(key)):
            check.add((), f"the exercise set has no {key!r}.", f"Add '{key}: …'.")
    for key in data:
        if key not in SET_KEYS:
            check.add((key,), f"unknown exercise-set key {key!r}.", f"Use only: {', '.join(sorted(SET_KEYS))}.")
    if _text(data.get("id")) and not _SET_ID.match(_text(data.get("id"))):
        check.add(("id",), f"set id {data['id']!r} must be lowercase letters, digits and hyphens.", "Rename it.")
    return {k: _text(v) for k, v in data.items()}, check.problems


def parse_file(path: Path, rel: str, corpus: Corpus | None) -> tuple[ItemSet | None, list[Problem]]:
    """Parse one exercise file into an ItemSet with its problems."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return None, [Problem(rel, 0, "the file is not UTF-8 text.", "Save it as UTF-8.")]
    problems: list[Problem] = []
    header: dict[str, str] | None = None
    header_line = 0
    items: list[Item] = []
    for name, _arg, line, body in directives(text):
        if name == "exercise-set":
            if header_line:
                problems.append(Problem(rel, line - 1, "a second exercise-set in one file.",
                                        "Put each exercise set in its own file."))
                continue
            header, found = parse_set_header(body, path=rel, first_line=line, corpus=corpus)
            header_line = max(line - 1, 1)
            problems.extend(found)
            continue
        if header is None:
            problems.append(Problem(rel, line - 1, "an item before the exercise-set directive.",
                                    "Start the file with an {exercise-set} directive."))
            header = {}
        item, found = parse_item(body, path=rel, first_line=line, corpus=corpus, set_id=header.get("id", ""))
        problems.extend(found)
        if item is not None:
            items.append(item)
    if header is None:
        return None, problems + [Problem(rel, 1, "no exercise-set directive in this file.",
                                         "Add ```{exercise-set} with id, title and chapter at the top.")]
    item_set = ItemSet(id=header.get("id", ""), title=header.get("title", ""), chapter=header.get("chapter", ""),
                       items=tuple(items), path=rel, line=header_line, intro=header.get("intro", ""))
    return item_set, problems


def load_exercises(root: Path | str, corpus: Corpus | None) -> tuple[list[ItemSet], list[Problem]]:
    """Parse every ``exercises/*.md`` and check ids across the book (duplicate set and item ids)."""
    root = Path(root)
    sets: list[ItemSet] = []
    problems: list[Problem] = []
    for path in sorted((root / "exercises").glob("*.md")):
        item_set, found = parse_file(path, path.relative_to(root).as_posix(), corpus)
        problems.extend(found)
        if item_set is not None:
            sets.append(item_set)
    seen_items: dict[str, Item] = {}
    seen_sets: dict[str, ItemSet] = {}
    for item_set in sets:
        if item_set.id in seen_sets:
            first = seen_sets[item_set.id]
            problems.append(Problem(item_set.path, item_set.line, f"set id {item_set.id!r} is also used in "
                                    f"{first.path}:{first.line}.", "Give each exercise set its own id."))
        seen_sets.setdefault(item_set.id, item_set)
        for item in item_set.items:
            if item.id in seen_items:
                first_item = seen_items[item.id]
                problems.append(Problem(item.path, item.line - 1, f"duplicate item id {item.id!r} (first used at "
                                        f"{first_item.path}:{first_item.line - 1}).", "Give each item its own id.",
                                        item.id))
                continue
            seen_items[item.id] = item
    return sets, problems
