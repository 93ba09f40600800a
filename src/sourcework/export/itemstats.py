"""Item statistics for ``sourcework report``: numbers in, numbers out.

This module imports nothing from Sphinx or from the rest of sourcework at run time (the item and gradebook types
are named for the type checker only), so the statistics can be checked on plain matrices.

Definitions (the report page explains them in plain words too):

- A student *took* a set when the gradebook has any response or any earned point for one of its items. Students who
  did not take a set are left out of its items' statistics; an empty ``item:`` cell (e.g. a written response not
  yet scored by the teacher) leaves that one student out of that one item.
- Difficulty p = mean of earned/possible over the students scored on the item (1 = everyone got full marks).
  Partial credit counts as its share of the points.
- Discrimination r = Pearson correlation between earned/possible on the item and the student's points on the rest
  of the same set (the set total without this item): for a right/wrong item, the corrected point-biserial.
  Undefined with fewer than 3 students or when either side does not vary.
- Its interval: Fisher's z, ``tanh(atanh(r) ± z_c / sqrt(n − 3))`` with z_c for a two-sided 99% level. It is an
  approximation (exact for normal scores, rougher for right/wrong items and small classes).
- An item is *flagged* only when at least ``MIN_STUDENTS`` students were scored on it and the whole interval lies
  below zero. If the item truly had no link to the rest of the set, this happens with probability about
  ``FALSE_FLAG_RATE`` (the one-sided tail, 0.5%): about one false flag per 200 items. The usual 95% interval would
  give 2.5%, one false flag per 40 items, too many for a report that judges a hundred items at once.
- Upper–lower index D = mean earned/possible of the top 27% minus the bottom 27% of those students, ranked by the
  same rest-of-set score (group size round(0.27·n), at least 1 and at most n/2; ties in gradebook order).
- Reliability per set: Cronbach's alpha = k/(k−1) · (1 − Σ var(item points) / var(set total)) over the set's items
  that have any score and the students who took the set and were scored on all of them. When every such item is
  right/wrong with the same points, alpha is KR-20 (Kuder–Richardson 20) and is labelled so.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from ..core.model import Item, ItemSet
    from .gradebook import Gradebook

MIN_FOR_R = 3
MIN_STUDENTS = 20  # below this, no flag and no reliability: "too few students to tell"
LEVEL = 0.99
Z_CRIT = 2.5758293035489004  # the standard normal quantile for a two-sided 99% interval
FALSE_FLAG_RATE = (1 - LEVEL) / 2
GROUP_SHARE = 0.27
NO_ANSWER = "(no answer)"
OTHER = "(other or unreadable)"
MISSING = object()  # a response cell that is not readable JSON

# Item verdicts, in the order they are decided.
UNSCORED, FEW, ALL_RIGHT, NONE_RIGHT, UNDEFINED, FLAG, OK = (
    "unscored", "few", "all-right", "none-right", "undefined", "flag", "ok")


# ------------------------------------------------------------------------------------------------- formulas


def pearson(x: np.ndarray, y: np.ndarray) -> float | None:
    """Pearson's r, or None with fewer than 3 pairs or when either side does not vary."""
    if len(x) < MIN_FOR_R:
        return None
    dx, dy = x - x.mean(), y - y.mean()
    sxx, syy = float(dx @ dx), float(dy @ dy)
    if sxx <= 1e-12 * len(x) or syy <= 1e-12 * len(y):
        return None
    return float(dx @ dy) / math.sqrt(sxx * syy)


def r_interval(r: float | None, n: int, z_crit: float = Z_CRIT) -> tuple[float, float] | None:
    """Fisher-z interval for a correlation from ``n`` pairs (None when r is undefined or n ≤ 3)."""
    if r is None or n <= 3:
        return None
    z = math.atanh(max(-1 + 1e-12, min(1 - 1e-12, r)))
    half = z_crit / math.sqrt(n - 3)
    return math.tanh(z - half), math.tanh(z + half)


def upper_lower(x: np.ndarray, rank_by: np.ndarray) -> float | None:
    """Upper–lower 27% index: mean x of the top group minus the bottom group, ranked by ``rank_by``."""
    n = len(x)
    if n < 2:
        return None
    size = min(max(1, math.floor(GROUP_SHARE * n + 0.5)), n // 2)
    order = np.argsort(rank_by, kind="stable")
    return float(x[order[-size:]].mean() - x[order[:size]].mean())


def verdict(n: int, p: float | None, r: float | None, interval: tuple[float, float] | None) -> str:
    """What the report says about one item (see the constants above); only FLAG asks the teacher to check it."""
    if not n or p is None:
        return UNSCORED
    if n < MIN_STUDENTS:
        return FEW
    if p >= 1 - 1e-9:
        return ALL_RIGHT
    if p <= 1e-9:
        return NONE_RIGHT
    if r is None or interval is None:
        return UNDEFINED
    return FLAG if interval[1] < 0 else OK


def cronbach_alpha(scores: np.ndarray) -> float | None:
    """Alpha of a students × items matrix with no gaps; None with < 2 items, < 2 students or a constant total."""
    scores = np.asarray(scores, dtype=float)
    if scores.ndim != 2 or scores.shape[0] < 2 or scores.shape[1] < 2:
        return None
    k = scores.shape[1]
    total_var = float(scores.sum(axis=1).var(ddof=1))
    if total_var <= 1e-12:
        return None
    return k / (k - 1) * (1 - float(scores.var(axis=0, ddof=1).sum()) / total_var)


def kr20(right: np.ndarray) -> float | None:
    """KR-20 of a 0/1 students × items matrix: k/(k−1) · (1 − Σ p·q / σ²) with σ² the total's variance over n."""
    right = np.asarray(right, dtype=float)
    if right.ndim != 2 or right.shape[0] < 2 or right.shape[1] < 2:
        return None
    k = right.shape[1]
    p = right.mean(axis=0)
    total_var = float(right.sum(axis=1).var())
    if total_var <= 1e-12:
        return None
    return k / (k - 1) * (1 - float((p * (1 - p)).sum()) / total_var)


def histogram(percents: np.ndarray) -> list[tuple[int, int, int]]:
    """Students per 10-point band: [0,10), [10,20) … [90,100]; 100% falls in the top band."""
    bands = np.minimum((percents // 10).astype(int), 9) if len(percents) else np.array([], dtype=int)
    counts = np.bincount(bands, minlength=10)
    return [(10 * b, 10 * b + 10, int(counts[b])) for b in range(10)]


# ------------------------------------------------------------------------------------------------- results


@dataclass
class OptionCount:
    """How many students chose one option (or gave no answer) in one part of an item."""

    label: str
    count: int
    keyed: bool = False


@dataclass
class ItemStats:
    """One item's statistics over the students scored on it."""

    item: Item
    number: int
    n: int
    difficulty: float | None
    r: float | None
    d: float | None
    options: list[tuple[str, list[OptionCount]]] = field(default_factory=list)
    interval: tuple[float, float] | None = None
    status: str = OK

    @property
    def flagged(self) -> bool:
        return self.status == FLAG


@dataclass
class Reliability:
    """One set's alpha (None when undefined or too few students), over ``students`` × ``items``."""

    alpha: float | None
    students: int
    items: int
    kr20: bool  # every item used is right/wrong with equal points, so alpha is KR-20
    reason: str = ""  # why alpha is not given


@dataclass
class Analysis:
    """Everything the report shows; the tests compare these numbers with their own."""

    gradebook: Gradebook
    sets: list[ItemSet]
    items: list[ItemStats]
    set_takers: dict[str, int]
    set_means: dict[str, float | None]
    skills: dict[str, tuple[int, int, float]]  # skill → (items, students, mean fraction)
    percents: np.ndarray  # one overall percent per student who took any set
    bins: list[tuple[int, int, int]]  # (from %, to %, students)
    reliability: dict[str, Reliability] = field(default_factory=dict)


# ------------------------------------------------------------------------------------------------- options


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _hashable(value: Any) -> Any:
    return value if isinstance(value, str) else repr(value)


def _tally(values: list[Any], choices: Sequence[tuple[str, str]], keyed: set[str]) -> list[OptionCount]:
    """Count each choice id in ``values`` (a str or list of str per student), plus no answer and other."""
    counts = {cid: 0 for cid, _ in choices}
    none = other = 0
    for value in values:
        chosen = _as_list(value) if value is not MISSING else [MISSING]
        if not chosen:
            none += 1
        for choice in set(map(_hashable, chosen)):
            if choice in counts:
                counts[choice] += 1
            else:
                other += 1
    out = [OptionCount(label, counts[cid], cid in keyed) for cid, label in choices]
    out.append(OptionCount(NO_ANSWER, none))
    if other:
        out.append(OptionCount(OTHER, other))
    return out


def _part(values: list[Any], key: str) -> list[Any]:
    return [v.get(key) if isinstance(v, dict) else (None if v is None else MISSING) for v in values]


def option_counts(item: Item, values: list[Any]) -> list[tuple[str, list[OptionCount]]]:
    """Per part of the item (one for choice/select/mark, one per grid row, two for two-part), the option tallies."""
    if item.type in ("choice", "select"):
        keyed = {item.key} if isinstance(item.key, str) else set(item.key or ())
        return [("", _tally(values, [(o.id, o.text) for o in item.options], keyed))]
    if item.type == "mark":
        return [("", _tally(values, [(s.id, s.text) for s in item.spans], set(item.key or ())))]
    if item.type == "grid":
        columns = [(c.id, c.label) for c in item.columns]
        return [(row.text, _tally(_part(values, row.id), columns, set(row.key))) for row in item.rows]
    if item.type == "two-part":
        parts = []
        for letter, part in (("a", item.part_a), ("b", item.part_b)):
            if part is not None:
                parts.append((f"Part {letter.upper()}: {part.stem}",
                               _tally(_part(values, letter), [(o.id, o.text) for o in part.options], {part.key})))
        return parts
    return []


# ------------------------------------------------------------------------------------------------ analysis


def _taken(book: Gradebook, members: list[int]) -> np.ndarray:
    """Which students took a set: any response or any earned point on one of its items."""
    took = np.zeros(book.students, dtype=bool)
    for j in members:
        answered = np.array([value is not None for value in book.responses[j]])
        scored = np.nan_to_num(book.earned[:, j]) > 0
        took |= answered | scored
    return took


def _set_members(book: Gradebook, sets: Sequence[ItemSet]) -> list[tuple[ItemSet, list[int]]]:
    index = {item.id: j for j, item in enumerate(book.items)}
    return [(s, [index[i.id] for i in s.items]) for s in sets if s.items and s.items[0].id in index]


def reliability(earned: np.ndarray, points: np.ndarray) -> Reliability:
    """Alpha of one set's ``earned`` (takers × items, NaN = not scored): items with any score, complete students."""
    used = [j for j in range(earned.shape[1]) if not np.isnan(earned[:, j]).all()]
    block = earned[:, used]
    block = block[~np.isnan(block).any(axis=1)]
    n, k = block.shape
    right_wrong = bool(k) and len(set(points[used].tolist())) == 1 and bool(
        np.all(np.isclose(block, 0) | np.isclose(block, points[used])))
    if k < 2:
        return Reliability(None, n, k, right_wrong, "too few items (fewer than 2 with scores)")
    if n < MIN_STUDENTS:
        return Reliability(None, n, k, right_wrong, f"too few students to tell (fewer than {MIN_STUDENTS})")
    alpha = cronbach_alpha(block)
    if alpha is None:
        return Reliability(None, n, k, right_wrong, "undefined: every student had the same total")
    return Reliability(alpha, n, k, right_wrong)


def analyse(book: Gradebook, sets: Sequence[ItemSet]) -> Analysis:
    """Compute every statistic the report shows."""
    points = np.array([float(item.points) for item in book.items])
    scored = ~np.isnan(book.earned)
    took_any = np.zeros(book.students, dtype=bool)
    eligible = np.zeros_like(scored)
    stats: list[ItemStats] = []
    set_takers: dict[str, int] = {}
    set_means: dict[str, float | None] = {}
    reliabilities: dict[str, Reliability] = {}
    for item_set, members in _set_members(book, sets):
        took = _taken(book, members)
        took_any |= took
        set_takers[item_set.id] = int(took.sum())
        totals = np.nansum(book.earned[:, members], axis=1)
        mask_set = took[:, None] & scored[:, members]
        eligible[:, members] = mask_set
        possible = (mask_set * points[members]).sum(axis=1)
        shares = [totals[s] / possible[s] for s in range(book.students) if took[s] and possible[s] > 0]
        set_means[item_set.id] = float(np.mean(shares)) if shares else None
        reliabilities[item_set.id] = reliability(book.earned[took][:, members], points[members])
        for j in members:
            stats.append(_item_stats(book, j, took & scored[:, j], totals, points[j], len(stats) + 1))
    skills = _skills(book, eligible, points)
    percents = _percents(book, eligible, points, took_any)
    return Analysis(book, list(sets), stats, set_takers, set_means, skills, percents, histogram(percents),
                    reliabilities)


def _item_stats(book: Gradebook, j: int, mask: np.ndarray, totals: np.ndarray, points: float,
                number: int) -> ItemStats:
    item = book.items[j]
    x = book.earned[mask, j] / points
    rest = totals[mask] - book.earned[mask, j]
    values = [book.responses[j][s] for s in np.flatnonzero(mask)]
    n = int(mask.sum())
    p = float(x.mean()) if len(x) else None
    r = pearson(x, rest)
    interval = r_interval(r, n)
    return ItemStats(item, number, n, p, r, upper_lower(x, rest), option_counts(item, values), interval,
                     verdict(n, p, r, interval))


def _skills(book: Gradebook, eligible: np.ndarray, points: np.ndarray) -> dict[str, tuple[int, int, float]]:
    """skill → (items, students, mean over students of their earned/possible on that skill's items)."""
    out = {}
    for skill in dict.fromkeys(item.skill for item in book.items):
        cols = [j for j, item in enumerate(book.items) if item.skill == skill]
        mask = eligible[:, cols]
        possible = (mask * points[cols]).sum(axis=1)
        earned = np.where(mask, book.earned[:, cols], 0).sum(axis=1)
        who = possible > 0
        if who.any():
            out[skill] = (len(cols), int(who.sum()), float((earned[who] / possible[who]).mean()))
    return out


def _percents(book: Gradebook, eligible: np.ndarray, points: np.ndarray, took_any: np.ndarray) -> np.ndarray:
    possible = (eligible * points).sum(axis=1)
    earned = np.where(eligible, book.earned, 0).sum(axis=1)
    who = took_any & (possible > 0)
    return 100 * earned[who] / possible[who]
