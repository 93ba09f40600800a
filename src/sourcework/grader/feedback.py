"""The students' feedback pages: one HTML page per graded student (and a Markdown twin on request), every text from
a submission or a teacher escaped."""

from __future__ import annotations

import html
import re
from fractions import Fraction
from hashlib import sha256
from pathlib import Path

from ..core.model import Item
from ..core.numbers import format_points
from ..core.scoring import Score
from .gradebook import write_atomic
from .results import GradeRun, StudentResult

STATUS_WORDS = {"correct": "Correct", "partial": "Partly correct", "incorrect": "Not correct",
                "unanswered": "Not answered", "invalid": "Answer could not be read",
                "ungraded": "Waiting for your teacher's rubric score"}


def write_feedback(run: GradeRun, folder: Path | str, *, markdown: bool = False) -> list[Path]:
    """Write one HTML feedback page per graded student into ``folder`` (and a Markdown twin if ``markdown``).

    Each page lists every item with its score, status, the reason, the teacher's comments and the explanation;
    everything is escaped. Returns the paths written. File names come from the student id (made safe, and unique).
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    used: set[str] = set()
    # A section depends only on the item and the student's result for it (or why it was skipped), unless the teacher
    # merged rubric levels or comments into it; grading shares one Score per distinct answer, so a class needs a few
    # hundred distinct sections, each built once here (this saves about a third of `sourcework grade`'s time).
    built: dict[tuple[str, int | str], tuple[str, str]] = {}
    for student in run.students:
        stem = file_stem(student.student_id, used)
        sections = []
        for item in run.items:
            result = student.scores.get(item.id)
            if item.id in student.rubric or item.id in student.comments:
                sections.append(section(item, student))
                continue
            key = (item.id, id(result) if result is not None else student.skipped.get(item.id, ""))
            if key not in built:
                built[key] = section(item, student)
            sections.append(built[key])
        target = folder / f"{stem}.html"
        write_atomic(target, feedback_html(student, [html_part for html_part, _md in sections]))
        written.append(target)
        if markdown:
            target = folder / f"{stem}.md"
            write_atomic(target, feedback_markdown(student, [md for _html, md in sections]))
            written.append(target)
    return written


def file_stem(student_id: str, used: set[str]) -> str:
    stem = re.sub(r"[^A-Za-z0-9_-]+", "_", student_id).strip("_")[:60] or "student"
    if stem.casefold() in used:
        stem = f"{stem}-{sha256(student_id.encode('utf-8')).hexdigest()[:8]}"
    used.add(stem.casefold())
    return stem


def section(item: Item, student: StudentResult) -> tuple[str, str]:
    """One item's section of ``student``'s page, as (HTML, Markdown): heading, stem, score line, reason, rubric
    lines, the teacher's comments, explanation."""
    result: Score | None = student.scores.get(item.id)
    heading = f"{item.id}" + (f": {item.title}" if item.title else "")
    explanation = item.explanation
    rubric: list[str] = []
    if result is None:
        score_line = "Not graded"
        reason = f"This item was {student.skipped.get(item.id, 'not graded')}."
        explanation = ""
    else:
        if result.status == "ungraded":
            score_line = f"{STATUS_WORDS['ungraded']} (out of {format_points(result.possible)})"
        else:
            score_line = (f"{format_points(result.earned)} of {format_points(result.possible)} "
                          f"{points_word(result.possible)}: {STATUS_WORDS.get(result.status, '')}")
        reason = result.reason
        levels = student.rubric.get(item.id, {})
        for criterion in item.rubric:
            if criterion.id in levels:
                level = next((lv for lv in criterion.levels if lv.points == levels[criterion.id]), None)
                label = f"{level.label}, " if level else ""
                rubric.append(f"{criterion.criterion}: {label}{format_points(levels[criterion.id])} "
                              f"of {criterion.max_points}")
    comments = student.comments.get(item.id, [])
    e = html.escape
    parts = ["<section>", f"<h2>{e(heading)}</h2>"]
    if item.stem:
        parts.append(f"<p>{e(item.stem)}</p>")
    parts += [f"<p><strong>Score:</strong> {e(score_line)}</p>", f"<p>{e(reason)}</p>"]
    if rubric:
        parts.append("<ul>" + "".join(f"<li>{e(line)}</li>" for line in rubric) + "</ul>")
    parts += [f"<p><strong>Your teacher's comment:</strong> {e(comment)}</p>" for comment in comments]
    if explanation:
        parts.append(f"<p><strong>Explanation:</strong> {e(explanation)}</p>")
    parts.append("</section>")
    m = md_escape
    lines = [f"## {m(heading)}", ""]
    if item.stem:
        lines += [m(item.stem), ""]
    lines += [f"**Score:** {m(score_line)}", "", m(reason), ""]
    lines += [f"- {m(line)}" for line in rubric] + ([""] if rubric else [])
    for comment in comments:
        lines += [f"**Your teacher's comment:** {m(comment)}", ""]
    if explanation:
        lines += [f"**Explanation:** {m(explanation)}", ""]
    return "\n".join(parts), "\n".join(lines)


def points_word(value: Fraction) -> str:
    return "point" if value == 1 else "points"


def summary(student: StudentResult) -> str:
    earned, possible, _count = student.points()
    if not possible:
        return "No points scored yet."
    return (f"Total: {format_points(earned)} of {format_points(possible)} {points_word(possible)} "
            f"({format_points(earned * 100 / possible)}%).")


def feedback_html(student: StudentResult, sections: list[str]) -> str:
    e = html.escape
    who = student.student_name or student.student_id
    parts = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             f"<title>Feedback for {e(who)}</title>",
             "<style>body{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;"
             "line-height:1.5}section{border-top:1px solid #767676;padding:.5rem 0}</style>",
             "</head>", "<body>", "<main>", f"<h1>Feedback for {e(who)}</h1>",
             f"<p>Student ID: {e(student.student_id)}. File: {e(Path(student.path).name)}. "
             f"Exported: {e(student.submission.exported_at)}.</p>", f"<p><strong>{e(summary(student))}</strong></p>",
             *sections, "</main>", "</body>", "</html>", ""]
    return "\n".join(parts)


def feedback_markdown(student: StudentResult, sections: list[str]) -> str:
    """The Markdown twin; text is escaped (no raw HTML from a submission survives rendering)."""
    e = md_escape
    who = e(student.student_name or student.student_id)
    lines = [f"# Feedback for {who}", "", f"Student ID: {e(student.student_id)}. File: {e(Path(student.path).name)}.",
             "", f"**{summary(student)}**", "", *sections]
    return "\n".join(lines)


def md_escape(text: str) -> str:
    return " ".join(html.escape(text, quote=False).split())
