"""Score one response to one item, exactly as DESIGN.md's scoring table says.

Scores are exact :class:`~fractions.Fraction` values; ``numbers.format_points`` rounds only for display. The browser
scorer (``static/sw-core.js`` and one ``sw-type-<type>.js`` per item type) implements the same table with the same
statuses, earned points and reason sentences; the shared vectors in ``tests/vectors/`` prove the two equal.

``score`` never raises on a response: any JSON value gives a :class:`Score`, malformed ones with status
``invalid`` and a reason a student can act on.

Choices the contract leaves open (the vectors pin each one):

- Blank means unanswered: None, ``[]``, ``{}``, a whitespace-only string, a grid whose rows are all blank, a
  two-part with both parts blank, a constructed response whose text is blank. Answered-but-blank grid rows and a
  blank Part B simply earn nothing.
- Ids are exact (case and spaces count). A repeated id in select, mark, grid or order is ``invalid``, not
  deduplicated: the page cannot produce it, so the file was edited or damaged.
- Order needs every event exactly once; a partial list is ``invalid``. Two-part and grid refuse unknown keys.
- Numbers: exponents (``1e3``) are refused, ``5.`` and ``.5`` are accepted, the typographic minus counts as a
  sign, units match case-insensitively, ``%`` and ``percent`` are interchangeable when the unit is either, and
  more than 64 characters is not a number. No tolerance means exact equality; both tolerances may be given, and
  meeting either is enough.
- A broken self-rating on a constructed response is set aside (``details["self_error"]``), never costing the
  written answer. Teacher levels must name every criterion with one of its own level points.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from sourcework.core.model import Item, derived

STATUSES = ("correct", "partial", "incorrect", "unanswered", "invalid", "ungraded")

# Explicit whitespace set rather than str.strip(): the browser's trim() knows other characters, and both scorers
# must agree on what counts as blank. NBSP and narrow NBSP arrive when numbers are copied from the page.
_WS = " \t\n\r\f\v\u00a0\u202f"
# Longer input is not a number anyone typed; the cap also keeps int() far below Python's 4300-digit limit.
MAX_NUMBER_LENGTH = 64
_NUMBER = re.compile(r"([+\-\u2212]?)([0-9]{1,3}(?:,[0-9]{3})+|[0-9]*)(?:\.([0-9]*))?")


@dataclass(frozen=True)
class Score:
    """The result of scoring one response.

    ``earned`` and ``possible`` are exact points; ``status`` is one of :data:`STATUSES`; ``reason`` is one plain
    sentence for the student; ``details`` holds type-specific facts for the grader (row credits, pair counts, the
    parsed number, a self-rating).
    """

    earned: Fraction
    possible: Fraction
    status: str
    reason: str
    details: dict[str, Any] = field(default_factory=dict)


def score(item: Item, response: object) -> Score:
    """Score ``response`` (any JSON value, as the browser saved it) against ``item``; never raises."""
    if item.type == "response":
        return _score_response(item, response)
    points = item.points
    if _is_empty(response):
        return Score(Fraction(0), points, "unanswered", "No answer given: no points.")
    scorer = _SCORERS.get(item.type)
    if scorer is None:
        return _invalid(points, f'This item has an unknown type "{item.type}"; tell your teacher.')
    return scorer(item, response)


def memo_keyer(item: Item) -> Callable[[object], str]:
    """The memo key of ``item``'s responses: a function giving a text such that two responses with equal keys get
    equal scores, so a grader can score each distinct answer once.

    For most types it is ``repr``, faithful for JSON values (equal text means equal value; equal values written
    differently merely get two keys). A constructed response is scored only on whether its text is written, blank or
    not text, and on its self-rating (the teacher scores the writing), so its key holds just those and a class's
    hundred essays share a handful of keys.
    """
    return _response_key if item.type == "response" else repr


def _response_key(response: object) -> str:
    if isinstance(response, dict) and response:
        text = response.get("text")
        if text is not None and not isinstance(text, str):
            kind = "not text"
        else:
            kind = "written" if text and text.strip(_WS) else "blank"
        return f"response {kind} {response.get('self')!r}"
    return repr(response)


def score_rubric(item: Item, levels: dict[str, Any]) -> Score:
    """Score a constructed response from the teacher's rubric levels ``{criterion id: points}``.

    Every criterion must get exactly one of its own level points (ints, or strings of them as read from a
    spreadsheet). Anything else gives status ``invalid`` with a reason naming the criterion, so the grader can
    report it instead of silently scoring 0.
    """
    possible = _rubric_possible(item)
    if not isinstance(levels, dict):
        return _invalid(possible, "Expected one level per rubric criterion.")
    known = {c.id for c in item.rubric}
    for criterion_id in levels:
        if criterion_id not in known:
            return _invalid(possible, f'Unknown rubric criterion "{criterion_id}".')
    earned = Fraction(0)
    given: dict[str, Fraction] = {}
    for criterion in item.rubric:
        if criterion.id not in levels:
            return _invalid(possible, f'No level given for criterion "{criterion.id}".')
        value = _level_points(levels[criterion.id])
        if value is None or value not in {Fraction(level.points) for level in criterion.levels}:
            allowed = ", ".join(str(level.points) for level in criterion.levels)
            return _invalid(possible, f'Criterion "{criterion.id}" has no level worth {levels[criterion.id]!r}; '
                                      f"its levels are {allowed}.")
        given[criterion.id] = value
        earned += value
    status = "correct" if earned == possible else "incorrect" if earned == 0 else "partial"
    return Score(earned, possible, status, f"Rubric score {earned} of {possible}.", {"levels": given})


def parse_number(text: str, unit: str = "") -> Fraction | None:
    """Read a typed number exactly, or return None.

    Accepts surrounding whitespace, a leading sign (+, - or the typographic minus), commas only between groups of
    three digits (``23,100``; ``2,31`` is refused as a likely decimal comma), a decimal point (``.5``, ``5.``), and a
    trailing unit: the item's own, or ``%``/``percent`` when the unit is either. Exponents (``1e3``) are refused.
    """
    text = text.strip(_WS)
    if len(text) > MAX_NUMBER_LENGTH:
        return None
    for suffix in _unit_suffixes(unit):
        # Compare the tail, not text.lower(): lowercasing can change a string's length.
        if text[-len(suffix):].lower() == suffix.lower():
            text = text[: len(text) - len(suffix)].rstrip(_WS)
            break
    match = _NUMBER.fullmatch(text)
    if not match:
        return None
    sign, whole, decimals = match.group(1), match.group(2).replace(",", ""), match.group(3) or ""
    if not whole and not decimals:
        return None
    value = Fraction(int(whole + decimals or "0"), 10 ** len(decimals))
    return -value if sign in ("-", "\u2212") else value


# --- helpers shared by the types -------------------------------------------------------------------------------


def _is_empty(response: object) -> bool:
    if response is None:
        return True
    if isinstance(response, str):
        return not response.strip(_WS)
    return isinstance(response, (list, dict)) and not response


def _invalid(possible: Fraction, reason: str) -> Score:
    return Score(Fraction(0), possible, "invalid", reason)


def _graded(points: Fraction, credit: Fraction, reason: str, details: dict[str, Any] | None = None) -> Score:
    status = "correct" if credit == 1 else "incorrect" if credit == 0 else "partial"
    return Score(points * credit, points, status, reason, details or {})


def _share(credit: Fraction) -> str:
    """The tail of a reason: how much of the points the credit gives."""
    if credit == 1:
        return "all of the points"
    if credit == 0:
        return "no points"
    return f"{credit} of the points"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _check_id_list(response: object, valid: set[str], kind: str, twice: str) -> str | None:
    """Why ``response`` is not a list of distinct known ids of ``kind``, or None if it is."""
    if not isinstance(response, list) or not all(isinstance(x, str) for x in response):
        return f"Expected a list of {kind} ids."
    seen: set[str] = set()
    for x in response:
        if x not in valid:
            return f'Unknown {kind} "{x}".'
        if x in seen:
            return f'{kind.capitalize()} "{x}" is {twice} twice.'
        seen.add(x)
    return None


# --- one function per type -------------------------------------------------------------------------------------


def _score_choice(item: Item, response: object) -> Score:
    if not isinstance(response, str):
        return _invalid(item.points, "Expected one option id.")
    if response not in {o.id for o in item.options}:
        return _invalid(item.points, f'Unknown option "{response}".')
    if response == item.key:
        return _graded(item.points, Fraction(1), "The chosen option is right: all of the points.")
    return _graded(item.points, Fraction(0), "The chosen option is not the right one: no points.")


def _select_credit(chosen: list[str], key: tuple[str, ...]) -> tuple[Fraction, int, int]:
    """``max(0, (right - wrong) / #keyed)`` with the counts it came from."""
    right = sum(1 for x in chosen if x in key)
    wrong = len(chosen) - right
    return _ratio(max(0, right - wrong), len(key)), right, wrong


@functools.lru_cache(maxsize=1024)
def _ratio(numerator: int, denominator: int) -> Fraction:
    """``Fraction(numerator, denominator)`` for the few small credits items give, built once each."""
    return Fraction(numerator, denominator)


def _score_select_like(item: Item, response: object, ids: set[str], noun: str, verb: str, wrong_noun: str) -> Score:
    key = tuple(item.key or ())
    if not key:
        return _invalid(item.points, "This item has no key; tell your teacher.")
    problem = _check_id_list(response, ids, noun, verb)
    if problem:
        return _invalid(item.points, problem)
    assert isinstance(response, list)
    credit, right, wrong = _select_credit(response, key)
    counts = f"{right} of {_plural(len(key), f'keyed {noun}')} {verb}, {_plural(wrong, wrong_noun)}"
    if credit == 1:
        reason = f"{counts}: all of the points."
    elif right == 0:
        reason = f"{counts}: no points."
    elif credit == 0:
        reason = f"{counts}: each {wrong_noun} cancels a right one, so no points."
    else:
        reason = f"{counts}: ({right}\u2212{wrong})/{len(key)} of the points."
    return _graded(item.points, credit, reason, {"right": right, "wrong": wrong, "keyed": len(key)})


def _score_select(item: Item, response: object) -> Score:
    return _score_select_like(item, response, {o.id for o in item.options}, "option", "chosen", "wrong choice")


def _score_mark(item: Item, response: object) -> Score:
    return _score_select_like(item, response, {s.id for s in item.spans}, "phrase", "marked", "wrong mark")


def _score_grid(item: Item, response: object) -> Score:
    points = item.points
    if not item.rows:
        return _invalid(points, "This item has no rows; tell your teacher.")
    if not isinstance(response, dict):
        return _invalid(points, 'Expected one column per row, e.g. {"row": "column"}.')
    plan = derived(item, "grid_plan", lambda: _GridPlan(item))
    if not response.keys() <= plan.row_ids:
        return _invalid(points, "The answer names a row that this item does not have.")
    nets = []
    answered = False
    for row, seen in plan.rows:
        value = response.get(row.id)
        # A row's outcome depends on its value alone, so each distinct value is worked out once per row. Only what
        # JSON gives is kept, under a key that tells its kind: a string or None as itself, a list as a tuple (items
        # equal as keys, like 1 and True, are all refused with the same reason).
        kind = type(value)
        key = value if kind is str or value is None else tuple(value) if kind is list else _UNKEPT
        try:
            outcome = None if key is _UNKEPT else seen.get(key)
        except TypeError:  # a list holding a list or an object: never a column id
            key, outcome = _UNKEPT, None
        if outcome is None:
            outcome = _grid_row(row, plan.columns, value)
            if key is not _UNKEPT:
                seen[key] = outcome
        if isinstance(outcome, str):
            return _invalid(points, outcome)
        net, chose = outcome
        nets.append(net)
        answered = answered or chose
    # Rows with the same nets earn the same score: one Score for each pattern of row results.
    pattern = (tuple(nets), answered)
    result = plan.scores.get(pattern)
    if result is None:
        result = plan.scores[pattern] = _grid_score(item, plan, nets, answered)
    return result


_UNKEPT = object()  # the key of a row value whose outcome is not kept (not what JSON gives)


class _GridPlan:
    """What scoring a grid needs from the item, worked out once: its row and column ids, the rows with the outcomes
    of the values seen so far, the rows' common denominator, and the scores of the row patterns seen so far."""

    def __init__(self, item: Item):
        self.row_ids = frozenset(row.id for row in item.rows)
        self.columns = {c.id for c in item.columns}
        self.rows: list[tuple[Any, dict[Any, str | tuple[int, bool]]]] = [(row, {}) for row in item.rows]
        # Row credits are (right - wrong)/#keyed floored at 0; they are summed over the rows' common denominator in
        # integers (Fraction sums would dominate a class's grading time).
        self.common = math.lcm(*(len(row.key) or 1 for row in item.rows))
        self.scores: dict[tuple[tuple[int, ...], bool], Score] = {}


def _grid_row(row: Any, columns: set[str], chosen: object) -> str | tuple[int, bool]:
    """Why a row's value is not valid, or (its net right answers, whether it was answered)."""
    if chosen is None or (isinstance(chosen, str) and not chosen.strip(_WS)):
        chosen = []
    elif isinstance(chosen, str):
        chosen = [chosen]
    if not isinstance(chosen, list) or not all(isinstance(x, str) for x in chosen):
        return f'Expected a column id or a list of column ids for row "{row.id}".'
    problem = _check_id_list(chosen, columns, "column", "chosen")
    if problem:
        return f'{problem[:-1]} in row "{row.id}".'
    # A single-column row needs no rule of its own: (right - wrong)/1 floored at 0 is 1 exactly when the key alone
    # is chosen, and 0 otherwise.
    if not row.key:
        return 0, bool(chosen)
    _credit, right, wrong = _select_credit(chosen, row.key)
    return max(0, right - wrong), bool(chosen)


def _grid_score(item: Item, plan: _GridPlan, nets: list[int], answered: bool) -> Score:
    points = item.points
    if not answered:
        return Score(Fraction(0), points, "unanswered", "No answer given: no points.")
    total = full = part = 0
    credits: dict[str, Fraction] = {}
    for row, net in zip(item.rows, nets, strict=True):
        keyed = len(row.key)
        credits[row.id] = _ratio(net, keyed or 1)
        total += net * (plan.common // (keyed or 1))
        full += keyed > 0 and net == keyed
        part += 0 < net < keyed
    rows = len(item.rows)
    credit = Fraction(total, plan.common * rows)
    if part:
        reason = f"{full} of {_plural(rows, 'row')} fully right, {part} partly right: {_share(credit)}."
    else:
        reason = f"{full} of {_plural(rows, 'row')} right: {_share(credit)}."
    return _graded(points, credit, reason, {"rows": credits})


def _score_numeric(item: Item, response: object) -> Score:
    points = item.points
    if item.answer is None:
        return _invalid(points, "This item has no answer; tell your teacher.")
    if not isinstance(response, str):
        return _invalid(points, "Expected the number as typed (text).")
    value = parse_number(response, item.unit)
    if value is None:
        return _invalid(points, _number_expected(item.unit))
    diff = abs(value - item.answer)
    within = diff == 0
    if item.tolerance_abs is not None:
        within = within or diff <= item.tolerance_abs
    if item.tolerance_rel is not None:
        within = within or diff <= item.tolerance_rel * abs(item.answer)
    if within:
        return _graded(points, Fraction(1), "Within the accepted range: all of the points.", {"value": value})
    return _graded(points, Fraction(0), "Outside the accepted range: no points.", {"value": value})


def _unit_suffixes(unit: str) -> list[str]:
    if unit.lower() in ("percent", "%"):
        return ["%", "percent"]
    return [unit] if unit else []


def _number_expected(unit: str) -> str:
    suffixes = _unit_suffixes(unit)
    quoted = " or ".join(f'"{suffix}"' for suffix in suffixes)
    tail = f", optionally followed by {quoted}" if suffixes else ""
    return ("Expected a number such as 2.05 or 23,100 (a point for decimals, commas only between groups of three "
            f"digits){tail}.")


def _score_order(item: Item, response: object) -> Score:
    points = item.points
    key = tuple(item.key or ())
    if not key:
        return _invalid(points, "This item has no key; tell your teacher.")
    problem = _check_id_list(response, set(key), "event", "listed")
    if problem:
        return _invalid(points, problem)
    assert isinstance(response, list)
    if len(response) != len(key):
        return _invalid(points, f"Expected all {len(key)} events in order, got {len(response)}.")
    rank = {event: position for position, event in enumerate(key)}
    n = len(key)
    pairs = n * (n - 1) // 2
    in_order = sum(1 for i in range(n) for j in range(i + 1, n) if rank[response[i]] < rank[response[j]])
    credit = Fraction(in_order, pairs) if pairs else Fraction(1)
    counts = f"{in_order} of {_plural(pairs, 'pair')} of events in the right order"
    if credit == 1:
        reason = f"{counts}: all of the points."
    elif in_order:
        reason = f"{counts}: {in_order}/{pairs} of the points."  # unreduced, so the student sees the count
    else:
        reason = f"{counts}: no points."
    return _graded(points, credit, reason, {"pairs_right": in_order, "pairs": pairs})


def _score_two_part(item: Item, response: object) -> Score:
    points = item.points
    if item.part_a is None or item.part_b is None:
        return _invalid(points, "This item lacks a part; tell your teacher.")
    if not isinstance(response, dict):
        return _invalid(points, 'Expected {"a": option id, "b": option id}.')
    if set(response) - {"a", "b"}:
        return _invalid(points, 'Expected only the parts "a" and "b".')
    answers: dict[str, str] = {}
    for name, part in (("a", item.part_a), ("b", item.part_b)):
        label = f"Part {name.upper()}"
        chosen = response.get(name)
        if chosen is None or (isinstance(chosen, str) and not chosen.strip(_WS)):
            continue
        if not isinstance(chosen, str):
            return _invalid(points, f"Expected one option id for {label}.")
        if chosen not in {o.id for o in part.options}:
            return _invalid(points, f'Unknown option "{chosen}" in {label}.')
        answers[name] = chosen
    if not answers:
        return Score(Fraction(0), points, "unanswered", "No answer given: no points.")
    a_right = "a" in answers and answers["a"] == item.part_a.key
    b_right = "b" in answers and answers["b"] == item.part_b.key
    details = {"a": a_right, "b": b_right}
    if a_right and b_right:
        return _graded(points, Fraction(1), "Part A and Part B right: all of the points.", details)
    if a_right:
        return _graded(points, Fraction(1, 2), "Part A right, Part B not: half of the points.", details)
    return _graded(points, Fraction(0), "Part A not right: no points (Part B counts only when Part A is right).",
                   details)


def _rubric_possible(item: Item) -> Fraction:
    return sum((Fraction(c.max_points) for c in item.rubric if c.levels), Fraction(0))


def _level_points(value: Any) -> Fraction | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, Fraction)):
        return Fraction(value)
    if isinstance(value, str) and re.fullmatch(r"[0-9]{1,6}", value.strip(_WS)):
        return Fraction(int(value.strip(_WS)))
    return None


def _score_response(item: Item, response: object) -> Score:
    possible = _rubric_possible(item)
    if _is_empty(response):
        return Score(Fraction(0), possible, "unanswered", "No answer given: no points.")
    if not isinstance(response, dict):
        return _invalid(possible, 'Expected {"text": your answer, "self": your self-rating}.')
    text = response.get("text")
    if text is not None and not isinstance(text, str):
        return _invalid(possible, "Expected the written answer as text.")
    if not text or not text.strip(_WS):
        return Score(Fraction(0), possible, "unanswered", "No answer given: no points.")
    details: dict[str, Any] = {}
    rating = response.get("self")
    if rating not in (None, {}):
        # A broken self-rating must not cost the student the written answer: it is set aside with a note.
        rated = score_rubric(item, rating) if isinstance(rating, dict) else None
        if rated is not None and rated.status != "invalid":
            details["self"] = rated.details["levels"]
        else:
            details["self_error"] = rated.reason if rated else "Expected one level per rubric criterion."
    return Score(Fraction(0), possible, "ungraded", "Scored by your teacher with the rubric.", details)


_SCORERS = {
    "choice": _score_choice,
    "select": _score_select,
    "grid": _score_grid,
    "mark": _score_mark,
    "numeric": _score_numeric,
    "order": _score_order,
    "two-part": _score_two_part,
}
