"""Scoring the class: every admitted student on every item, one student at a time.

A class gives the same answers again and again, so each distinct answer to an item is scored once per run and the
:class:`Score` reused (:class:`Memo`, keyed by ``core.scoring.memo_keyer``; scores are immutable). This is the one
speed measure kept here: it saves more than a fifth of ``sourcework grade``'s time for a class (benchmarks/results.md).
"""

from __future__ import annotations

from ..core.model import Item
from ..core.scoring import Score, memo_keyer, score
from .results import Issue, StudentResult


class Memo:
    """The score of each distinct answer to each item, worked out once per run."""

    def __init__(self, items: list[Item]):
        self.items = items
        self.keyers = {item.id: memo_keyer(item) for item in items}
        self.scores: dict[str, dict[str, Score]] = {item.id: {} for item in items}

    def score(self, item: Item, answer: object) -> Score:
        known = self.scores[item.id]
        key = self.keyers[item.id](answer)
        result = known.get(key)
        if result is None:
            result = known[key] = score(item, answer)
        return result


def skipped_items(result: StudentResult, items: list[Item], hashes: dict[str, str], current: str) -> dict[str, str]:
    """The items not graded for a file made from other exercises (its content hash differs), with why: those whose
    definition changed since, or that it did not have. Their answers are never read."""
    submission = result.submission
    if submission.content_hash == current:
        return {}
    skipped = {}
    for item in items:
        exported = submission.item_hashes.get(item.id)
        if exported is None:
            skipped[item.id] = "not in the exercises this file was made from"
        elif exported != hashes[item.id]:
            skipped[item.id] = "changed since this file was made"
    return skipped


def score_student(result: StudentResult, memo: Memo, hashes: dict[str, str], current: str,
                  slot: list[Issue]) -> None:
    """Score ``result`` on every item it may be graded on, adding its problems to ``slot`` in the order found:
    unreadable answers (item order), items not graded, answers to unknown items.

    An exception (a bug) propagates; the problems found before it are in ``slot`` already.
    """
    items = memo.items
    path = result.path
    answers = result.submission.answers
    skipped = skipped_items(result, items, hashes, current)
    scores: dict[str, Score] = {}
    for item in items:
        if item.id in skipped:
            continue
        outcome = memo.score(item, answers.get(item.id))
        if outcome.status == "invalid":
            slot.append(Issue(path, "problem", f"{item.id}: the response could not be read, scored 0: "
                              f"{outcome.reason}"))
        scores[item.id] = outcome
    result.scores, result.skipped = scores, skipped
    for reason in dict.fromkeys(skipped.values()):
        ids = [item_id for item_id, why in skipped.items() if why == reason]
        slot.append(Issue(path, "problem", f"not graded ({reason}): {', '.join(ids)}."))
    unknown = [item_id for item_id in answers if item_id not in hashes]
    if unknown:
        slot.append(Issue(path, "problem", "answers to items that are not in the current exercises were not "
                          f"graded: {_list(unknown)}."))


def _list(values: list[str], limit: int = 10) -> str:
    shown = ", ".join(repr(v) if len(v) <= 60 else repr(v[:59] + "…") for v in values[:limit])
    return shown + (f" and {len(values) - limit} more" if len(values) > limit else "")
