"""Export exercise sets as a Canvas-importable QTI 1.2 package, built with text2qti.

The items are written in text2qti's plain-text quiz format (every character Markdown, text2qti or LaTeX would read
specially is escaped) and text2qti turns that text into the QTI zip; no QTI is written by hand here.

How each type travels (DESIGN.md's scoring table is the yardstick: an item goes only where Canvas scores it the
same way):

- choice → multiple choice; select → multiple answers; numeric → numerical (answer ± tolerance, absolute or
  percent); response → essay, with the rubric's criteria and levels in the question (no anchor answers).
- grid → one question per row, each worth points/rows: multiple answers for every row if any row has several keyed
  columns (as the assessment edition shows them, so the form does not give the key away), else multiple choice.
  When points/rows is not a whole number of cents (2 points over 6 rows), the rows get whole cents that add up to
  the item's points exactly (0.34, 0.33, …) and the export says so.
- mark → multiple answers over its phrases, with the passage quoted: ``select`` over spans is exactly how a mark
  item is scored.
- order and two-part → left out: text2qti has no ordering question, and no Canvas type gives two-part's
  "half the points only if Part A is right".

text2qti's text format takes only whole or half points; other amounts in whole cents (0.25, 0.34) are set on
text2qti's parsed question objects before it writes the XML. An item is left out when its points are not whole
cents (1/3) or when text2qti rejects it; each omission comes back with its reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from ..core.errors import Problem, SourceworkError
from ..core.model import Excerpt, Item, ItemSet, Option
from ..core.numbers import decimal, format_points
from ..core.render import shown_options

SUPPORTED = ("choice", "select", "grid", "mark", "numeric", "response")
_GRID_QUESTIONS = {
    "attribution": "Which source or sources make this claim?",
    "corroboration": "Does the evidence corroborate this claim, contradict it, or not address it?",
    "classification": "Which category fits?",
}
# Characters Python-Markdown (with text2qti's extensions) unescapes after a backslash; '$' is text2qti's LaTeX
# delimiter and is escaped the same way. '&' and '<' become entities, so no HTML or comment can be injected.
_MD_ESCAPED = set("\\`*_{}[]()>#+-.!\"'|$")
_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


class QtiError(SourceworkError):
    """A problem that stops the export (unknown set, nothing to export, text2qti failure, unwritable file)."""


class _Unsupported(Exception):
    """An item that cannot travel faithfully; the message says why."""


@dataclass(frozen=True)
class Question:
    """One text2qti question made from an item (a grid gives one per row)."""

    item_id: str
    title: str
    kind: str  # text2qti type: multiple_choice, multiple_answers, numerical, essay
    points: Fraction
    text: str  # the question in text2qti's quiz format
    prompt: str  # the question's own text (what text2qti and Canvas must see only once)
    row: str = ""

    @property
    def needs_patch(self) -> bool:
        """True when the points are not whole or half, so text2qti's text format cannot carry them."""
        return (self.points * 2).denominator != 1


@dataclass(frozen=True)
class Skipped:
    """An item left out of the package, with the reason in one sentence."""

    item_id: str
    type: str
    reason: str


@dataclass
class QtiExport:
    """What was written: the questions in the package and the items left out."""

    path: Path
    title: str
    questions: list[Question] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def points(self) -> Fraction:
        return sum((q.points for q in self.questions), Fraction(0))

    @property
    def item_ids(self) -> list[str]:
        return list(dict.fromkeys(q.item_id for q in self.questions))

    def summary(self) -> str:
        """A few lines for the teacher: what went in, what was left out and why."""
        lines = [f"Wrote {self.path}: {len(self.item_ids)} item(s) as {len(self.questions)} Canvas question(s), "
                 f"{format_points(self.points)} points, quiz title {self.title!r}."]
        if self.notes:
            lines.append(f"Adjusted {len(self.notes)} item(s):")
            lines += [f"  {note}" for note in self.notes]
        if self.skipped:
            lines.append(f"Left out {len(self.skipped)} item(s):")
            lines += [f"  {s.item_id} ({s.type}): {s.reason}" for s in self.skipped]
        return "\n".join(lines)


# ------------------------------------------------------------------------------------------------ text format


def escape(text: str) -> str:
    """Plain text as text2qti Markdown that shows exactly that text (no emphasis, HTML, LaTeX or smart quotes)."""
    out = []
    for char in text:
        if char == "&":
            out.append("&amp;")
        elif char == "<":
            out.append("&lt;")
        elif char in _MD_ESCAPED:
            out.append("\\" + char)
        else:
            out.append(char)
    return "".join(out)


def _paragraphs(text: str) -> list[str]:
    """Blank-line-separated paragraphs, each on one line (single line breaks become spaces)."""
    return [" ".join(block.split()) for block in re.split(r"\n\s*\n", text.strip()) if block.strip()]


def _block(marker: str, paragraphs: Sequence[str]) -> str:
    """A text2qti entry: ``marker`` then Markdown paragraphs, continuation lines indented under the first."""
    indent = " " * (len(marker) + 1)
    lines = [f"{marker} {paragraphs[0]}"]
    for paragraph in paragraphs[1:]:
        lines += ["", indent + paragraph]
    return "\n".join(lines)


def _text(text: str) -> list[str]:
    """Escaped paragraphs of a plain-text field."""
    return [escape(p) for p in _paragraphs(text)]


def _excerpts(excerpts: Iterable[Excerpt]) -> list[str]:
    """Excerpts as Markdown block quotes with their source and paragraph, shown above the stem."""
    return [f"> {escape(' '.join(e.text.split()))} (Source {escape(e.source)} ¶{e.paragraph})" for e in excerpts]


def _points(value: Fraction, what: str) -> str:
    """The ``Points:`` value: exact for whole and half points; a placeholder ("1") for other whole cents, whose real
    value is set on the parsed question (see :func:`_set_points`); anything finer cannot travel."""
    if (value * 2).denominator == 1:
        return str(value.numerator) if value.denominator == 1 else f"{float(value):g}"
    if (value * 100).denominator == 1:
        return "1"
    raise _Unsupported(f"{what} would be worth {format_points(value)}… points; Canvas points are carried in whole "
                       "cents here, and this amount is not")


def split_cents(total: Fraction, parts: int) -> list[Fraction]:
    """``total`` shared by ``parts`` rows: equal when that is whole or half points or whole cents, else whole cents
    that add up to ``total`` exactly, the larger shares first. Raises _Unsupported if ``total`` is not whole cents."""
    share = total / parts
    if (share * 100).denominator == 1:
        return [share] * parts
    if (total * 100).denominator != 1:
        raise _Unsupported(f"its {format_points(total)}… points cannot be shared among {parts} rows in whole cents")
    cents = int(total * 100)
    base, extra = divmod(cents, parts)
    return [Fraction(base + (1 if row < extra else 0), 100) for row in range(parts)]




def _choices(options: Sequence[Option], keyed: set[str], multiple: bool, feedback: bool = True) -> list[str]:
    if len(options) > len(_LETTERS):
        raise _Unsupported(f"it has {len(options)} options; text2qti labels at most {len(_LETTERS)}")
    if len(options) < 2:
        raise _Unsupported("it has fewer than two options, and a Canvas choice question needs two")
    lines = []
    for letter, option in zip(_LETTERS, options, strict=False):
        right = option.id in keyed
        marker = ("[*]" if right else "[ ]") if multiple else (f"*{letter})" if right else f"{letter})")
        lines.append(_block(marker, _text(option.text)))
        if feedback and option.feedback:
            lines.append(_block("...", _text(option.feedback)))
    return lines


# ------------------------------------------------------------------------------------------------- converters


def _question(item: Item, number: int, kind: str, paragraphs: list[str], rest: list[str], *,
              title: str = "", points: Fraction | None = None, row: str = "", what: str = "the item") -> Question:
    """Assemble one text2qti question: title, points, the numbered prompt, then feedback and answers."""
    title, points = title or item.id, item.points if points is None else points
    lines = [f"Title: {' '.join(title.split())}", f"Points: {_points(points, what)}",
             _block(f"{number}.", paragraphs), *rest]
    return Question(item.id, title, kind, points, "\n".join(lines), "\n".join(paragraphs), row)


def _feedback(marker: str, *texts: str) -> list[str]:
    """A feedback entry (``...`` general, ``+`` correct, ``-`` incorrect), or nothing when there is no text."""
    paragraphs = [p for text in texts for p in _text(text)]
    return [_block(marker, paragraphs)] if paragraphs else []


def _choice_like(item: Item, number: int, *, multiple: bool) -> list[Question]:
    keyed = {item.key} if isinstance(item.key, str) else set(item.key or ())
    rest = _feedback("...", item.explanation) + _choices(shown_options(item), keyed, multiple)
    kind = "multiple_answers" if multiple else "multiple_choice"
    return [_question(item, number, kind, _excerpts(item.excerpts) + _text(item.stem), rest)]


def _choice(item: Item, number: int) -> list[Question]:
    return _choice_like(item, number, multiple=False)


def _select(item: Item, number: int) -> list[Question]:
    return _choice_like(item, number, multiple=True)


def _mark(item: Item, number: int) -> list[Question]:
    where = f" (Source {escape(item.source)} ¶{item.paragraph})" if item.source else ""
    paragraphs = _excerpts(item.excerpts) + _text(item.stem)
    paragraphs.append(f"> {escape(' '.join(item.passage.split()))}{where}")
    paragraphs.append(escape(f"Which of these phrases from the passage do this job: {item.job}? "
                             "Select all that apply."))
    spans = tuple(Option(s.id, s.text, s.feedback) for s in item.spans)
    rest = _feedback("...", item.explanation) + _choices(spans, set(item.key or ()), multiple=True)
    return [_question(item, number, "multiple_answers", paragraphs, rest)]


def _grid(item: Item, number: int) -> list[Question]:
    shares = split_cents(item.points, len(item.rows))
    multiple = any(len(row.key) > 1 for row in item.rows)
    columns = tuple(Option(c.id, c.label) for c in item.columns)
    ask = _GRID_QUESTIONS.get(item.mode, "Choose for this row.") + (" Select all that apply." if multiple else "")
    kind = "multiple_answers" if multiple else "multiple_choice"
    out = []
    for index, (row, share) in enumerate(zip(item.rows, shares, strict=True), start=1):
        paragraphs = _excerpts(item.excerpts) + _text(item.stem)
        paragraphs += [escape(f"Claim {index} of {len(item.rows)}: {' '.join(row.text.split())}"), escape(ask)]
        rest = _feedback("...", row.feedback, item.explanation) + _choices(columns, set(row.key), multiple, False)
        out.append(_question(item, number + index - 1, kind, paragraphs, rest, points=share, row=row.id,
                             title=f"{item.id} row {index} of {len(item.rows)} ({row.id})",
                             what=f"each of its {len(item.rows)} rows"))
    return out


def _numeric(item: Item, number: int) -> list[Question]:
    if item.answer is None:
        raise _Unsupported("it has no answer")
    if item.tolerance_abs is not None:
        answer = f"{decimal(item.answer, places=8)} +- {decimal(item.tolerance_abs, places=8)}"
    elif item.tolerance_rel is not None:
        answer = f"{decimal(item.answer, places=8)} +- {decimal(item.tolerance_rel * 100, places=8)}%"
    else:
        answer = f"{decimal(item.answer, places=8)} +- 0"
    unit = f"Answer in {item.unit}. " if item.unit else ""
    paragraphs = _excerpts(item.excerpts) + _text(item.stem)
    paragraphs.append(escape(f"{unit}Type the number only, without a unit or a % sign."))
    feedback = item.outcome_feedback or {}
    rest = (_feedback("...", item.explanation) + _feedback("+", feedback.get("correct", ""))
            + _feedback("-", feedback.get("incorrect", "")) + [f"= {answer}"])
    return [_question(item, number, "numerical", paragraphs, rest)]


def _rubric(item: Item) -> list[str]:
    """The rubric as students may see it: criteria, levels, points and descriptors, no anchor answers."""
    lines = [escape("How your response will be scored:")]
    for criterion in item.rubric:
        levels = "; ".join(f"{level.label} ({level.points}): {' '.join(level.descriptor.split())}"
                           for level in sorted(criterion.levels, key=lambda lv: -lv.points))
        lines.append(escape(f"{criterion.criterion} (up to {criterion.max_points} points). {levels}"))
    return lines


def _response(item: Item, number: int) -> list[Question]:
    paragraphs = _excerpts(item.excerpts) + _text(item.stem) + _rubric(item)
    return [_question(item, number, "essay", paragraphs, _feedback("...", item.explanation) + ["____"])]


def _order(item: Item, number: int) -> list[Question]:
    raise _Unsupported("text2qti has no ordering question, and a multiple-choice stand-in would lose the partial "
                       "credit for pairs in the right order")


def _two_part(item: Item, number: int) -> list[Question]:
    raise _Unsupported("no Canvas question type gives half the points only when Part A is right; two separate "
                       "questions would pay for Part B alone")


_CONVERTERS = {"choice": _choice, "select": _select, "grid": _grid, "mark": _mark, "numeric": _numeric,
               "response": _response, "order": _order, "two-part": _two_part}


# ------------------------------------------------------------------------------------------------- the quiz


def select_sets(sets: Sequence[ItemSet], wanted: Sequence[str], *, all_sets: bool = False) -> list[ItemSet]:
    """The sets named in ``wanted`` (in that order), or every set with ``all_sets``; unknown ids are an error."""
    if all_sets or not wanted:
        if not all_sets:
            raise QtiError(Problem("exercises/", 0, "no exercise set named.",
                                   f"Name one or more sets ({', '.join(s.id for s in sets) or 'none found'}) "
                                   "or pass --all."))
        if not sets:
            raise QtiError(Problem("exercises/", 0, "there are no exercise sets to export.",
                                   "Check that exercises/*.md exist and pass `sourcework check`."))
        return list(sets)
    by_id = {s.id: s for s in sets}
    unknown = [name for name in wanted if name not in by_id]
    if unknown:
        raise QtiError(Problem("exercises/", 0, f"unknown exercise set(s): {', '.join(unknown)}.",
                               f"Use one of: {', '.join(by_id) or 'none found'}."))
    return [by_id[name] for name in dict.fromkeys(wanted)]


def _check_alone(question_text: str) -> str | None:
    """None if text2qti accepts this one question, else its complaint in one line."""
    from text2qti.config import Config
    from text2qti.err import Text2qtiError
    from text2qti.quiz import Quiz

    try:
        Quiz(question_text, config=Config())
    except Text2qtiError as exc:
        return " ".join(str(exc).split(":\n", 1)[-1].split())
    return None


def _item_questions(item: Item, number: int, seen: set[str]) -> tuple[list[Question], str | None]:
    """The item's questions, or the reason it is left out."""
    try:
        questions = _CONVERTERS[item.type](item, number)
    except _Unsupported as exc:
        return [], str(exc)
    except KeyError:
        return [], f"unknown item type {item.type!r}"
    for question in questions:
        problem = _check_alone(question.text)
        if problem:
            return [], f"text2qti rejected it: {problem}"
        if question.prompt in seen:
            return [], "its question text repeats an earlier question word for word, which text2qti refuses"
    seen.update(q.prompt for q in questions)
    return questions, None


def build_quiz_text(sets: Sequence[ItemSet], title: str) -> tuple[str, list[Question], list[Skipped]]:
    """The whole quiz in text2qti's format, the questions in it and the items left out.

    Questions whose ``needs_patch`` is true carry a placeholder in the text; :func:`_set_points` fixes them."""
    lines = [f"Quiz title: {' '.join(title.split())}"]
    if len(sets) == 1 and sets[0].intro:
        lines.append(_block("Quiz description:", _text(sets[0].intro)))
    questions: list[Question] = []
    skipped: list[Skipped] = []
    seen: set[str] = set()
    for item_set in sets:
        if len(sets) > 1:
            lines += ["", f"Text title: {' '.join(item_set.title.split())}"]
            lines += [_block("Text:", _text(item_set.intro))] if item_set.intro else []
        for item in item_set.items:
            made, reason = _item_questions(item, len(questions) + 1, seen)
            if reason:
                skipped.append(Skipped(item.id, item.type, reason))
                continue
            questions += made
            for question in made:
                lines += ["", question.text]
    return "\n".join(lines) + "\n", questions, skipped


def export_qti(sets: Sequence[ItemSet], out: Path | str, *, title: str | None = None) -> QtiExport:
    """Write the QTI zip for ``sets`` to ``out``; return what went in and what was left out (and why)."""
    from text2qti.config import Config
    from text2qti.err import Text2qtiError
    from text2qti.qti import QTI
    from text2qti.quiz import Quiz

    out = Path(out)
    if not sets:
        raise QtiError(Problem(str(out), 0, "no exercise sets to export.", "Name a set or pass --all."))
    title = title or (sets[0].title if len(sets) == 1 else f"{len(sets)} exercise sets: "
                      + ", ".join(s.title for s in sets))
    text, questions, skipped = build_quiz_text(sets, title)
    if not questions:
        raise QtiError(Problem(str(out), 0, "none of the chosen items can be exported to QTI.",
                               "; ".join(f"{s.item_id}: {s.reason}" for s in skipped) or "Add items to the set."))
    try:
        quiz = Quiz(text, config=Config(), source_name=str(out))
    except Text2qtiError as exc:  # each question passed alone, so this is a bug worth reporting plainly
        raise QtiError(Problem(str(out), 0, f"text2qti could not build the quiz: {exc}",
                               "Report this with the exercise files; the items were accepted one by one.")) from exc
    _set_points(quiz, questions)
    _write(out, QTI(quiz).zip_bytes())
    return QtiExport(out, title, questions, skipped, _notes(questions))


def _set_points(quiz: Any, questions: Sequence[Question]) -> None:
    """Give text2qti's parsed questions the points its text format could not carry, and the quiz its new total."""
    from text2qti.quiz import Question as ParsedQuestion

    parsed = [q for q in quiz.questions_and_delims if isinstance(q, ParsedQuestion)]
    if len(parsed) != len(questions):
        raise QtiError(Problem("text2qti", 0, f"text2qti parsed {len(parsed)} questions, expected {len(questions)}.",
                               "Report this with the exercise files."))
    for mine, theirs in zip(questions, parsed, strict=True):
        if mine.needs_patch:
            theirs.points_possible = float(mine.points)
    quiz.points_possible = sum(q.points_possible for q in parsed)


def _notes(questions: Sequence[Question]) -> list[str]:
    """One line per grid whose rows had to get unequal shares (whole cents adding up to the item's points)."""
    notes = []
    for item_id in dict.fromkeys(q.item_id for q in questions if q.row):
        rows = [q for q in questions if q.item_id == item_id]
        if len({q.points for q in rows}) > 1:
            shares = ", ".join(format_points(q.points) for q in rows)
            total = format_points(sum((q.points for q in rows), Fraction(0)))
            notes.append(f"{item_id}: its {len(rows)} rows are worth {shares} points ({total} in all): equal shares "
                         "would not be whole cents.")
    return notes


def _write(out: Path, data: bytes) -> None:
    """Write atomically: a half-written zip never replaces a good one."""
    if out.exists() and out.is_dir():
        raise QtiError(Problem(str(out), 0, "the output path is a folder.", "Give a file name ending in .zip."))
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        partial = out.with_name(out.name + ".partial")
        partial.write_bytes(data)
        partial.replace(out)
    except OSError as exc:
        raise QtiError(Problem(str(out), 0, f"cannot write the file: {exc.strerror or exc}.",
                               "Choose a folder you can write to.")) from exc
