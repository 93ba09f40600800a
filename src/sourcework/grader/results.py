"""What a grading run produces: an :class:`Issue` per thing worth telling the teacher, a :class:`StudentResult` per
graded file, and the :class:`GradeRun` holding them all."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction

from ..core.model import SKILLS, Item, ItemSet
from ..core.scoring import Score
from ..core.submission import Submission

LEVELS = ("rejected", "problem", "warning")


@dataclass(frozen=True)
class Issue:
    """Something about one input file: ``level`` is ``rejected`` (the file was not graded), ``problem`` (part of it
    was not graded, or a rubric row was not merged) or ``warning`` (graded; worth a look)."""

    path: str
    level: str
    message: str
    fix: str = ""

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" + (f" Fix: {self.fix}" if self.fix else "")


@dataclass
class StudentResult:
    """One graded submission.

    ``scores`` holds a :class:`Score` for every graded item (current exercise order; a merged rubric score replaces
    the ``ungraded`` placeholder of a constructed response); ``skipped`` maps the items that were not graded to why;
    ``rubric`` holds the merged teacher levels ``{item id: {criterion id: points}}`` and ``comments`` the teacher's
    comments from the rubric-scores CSV ``{item id: [comment, ...]}``.
    """

    path: str
    submission: Submission
    scores: dict[str, Score] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)
    rubric: dict[str, dict[str, Fraction]] = field(default_factory=dict)
    comments: dict[str, list[str]] = field(default_factory=dict)

    @property
    def student_id(self) -> str:
        return self.submission.student_id

    @property
    def student_name(self) -> str:
        return self.submission.student_name

    def points(self, item_ids: Iterable[str] | None = None) -> tuple[Fraction, Fraction, int]:
        """(earned, possible, number of scored items) over ``item_ids`` (all items if None); ungraded not counted."""
        wanted = None if item_ids is None else set(item_ids)
        scored = [result for item_id, result in self.scores.items()
                  if (wanted is None or item_id in wanted) and result.status != "ungraded"]
        return exact_sum([result.earned for result in scored]), exact_sum([result.possible for result in scored]), \
            len(scored)

    @property
    def total(self) -> Fraction:
        return self.points()[0]

    @property
    def possible(self) -> Fraction:
        return self.points()[1]


def exact_sum(values: list[Fraction]) -> Fraction:
    """The exact sum of ``values``, added as integers over their common denominator: adding Fractions one by one
    reduces every partial sum, and that cost a fifth of `sourcework grade`'s time for 1,000 files (measured)."""
    common = math.lcm(*(value.denominator for value in values)) if values else 1
    return Fraction(sum(value.numerator * (common // value.denominator) for value in values), common)


@dataclass
class GradeRun:
    """Everything one grading run produced: the current ``sets``, one :class:`StudentResult` per graded file (in the
    order given) and every :class:`Issue`, rejected files included."""

    sets: tuple[ItemSet, ...]
    students: list[StudentResult] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)

    @property
    def items(self) -> list[Item]:
        return [item for item_set in self.sets for item in item_set.items]

    @property
    def skills(self) -> list[str]:
        used = {item.skill for item in self.items}
        return [s for s in SKILLS if s in used] + sorted(used - set(SKILLS))

    def issues_at(self, level: str) -> list[Issue]:
        return [issue for issue in self.issues if issue.level == level]

    @property
    def rejected(self) -> list[Issue]:
        return self.issues_at("rejected")

    @property
    def ok(self) -> bool:
        """True when every file was graded in full and every rubric row was merged (warnings allowed)."""
        return not any(issue.level in ("rejected", "problem") for issue in self.issues)


def student_key(student_id: str) -> str:
    """How student ids are compared: without case and surrounding spaces."""
    return student_id.strip().casefold()
