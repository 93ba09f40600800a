"""Grade submissions against the current exercises: the orchestrator, and the grader's public API.

The work is split by concern: ``admit`` (which submissions the inputs hold: files, folders, zips; each read and
checked), ``scoring_run`` (each student scored), ``rubric`` (the teacher's rubric-scores CSV), ``gradebook`` (the
CSV and atomic writes), ``feedback`` (the students' pages). Rules (DESIGN.md, "Submission file", "Command line"):

- One bad file never stops the rest. A file that cannot be read is *rejected* (not graded) with a reason; a graded
  file can still have *problems* (answers to unknown items, unreadable responses, items not graded) and *warnings*.
  A bug (an exception) while grading a file rejects that file alone, as if it had not been given: a later file with
  the same student id is then graded instead.
- When a submission's ``content_hash`` differs from the current exercises, only the items whose ``item_hashes``
  entry equals the item's current hash are graded; the others are listed as not graded and their answers not read.
- Duplicate student ids (compared without case and surrounding spaces): the first one given is graded, later ones
  are rejected, and the first one gets a warning naming them.
- ``total`` and ``possible`` count every scored item. A constructed response waiting for the teacher (status
  ``ungraded``) counts in neither until its rubric levels are merged from the rubric-scores CSV, so ``percent`` is
  always the share of what has been scored.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from ..core.model import ItemSet, content_hash
from .admit import Entry, Reader, admit, expand
from .feedback import STATUS_WORDS, feedback_html, feedback_markdown, md_escape, write_feedback
from .gradebook import gradebook_rows, neutralise, read_gradebook, write_atomic, write_gradebook
from .results import LEVELS, GradeRun, Issue, StudentResult, student_key
from .rubric import RUBRIC_COLUMNS, RubricRow, merge_rubric, read_rubric_scores
from .scoring_run import Memo, score_student

Progress = Callable[[int, int, str], None]


def grade_files(paths: Iterable[Path | str], *, sets: Iterable[ItemSet], rubric_scores: Path | str | None = None,
                progress: Progress | None = None) -> GradeRun:
    """Grade every submission that ``paths`` hold (files, folders, ``.zip`` archives) against ``sets``; never raises
    on a bad file.

    ``rubric_scores`` is a CSV (``student_id,item_id,criterion_id,points[,comment]``) of teacher-entered rubric
    levels and comments, merged into the results. ``progress(done, total, name)`` is called after each submission.
    """
    run = GradeRun(sets=tuple(sets))
    items = run.items
    hashes = {item.id: item.content_hash() for item in items}
    current = content_hash(run.sets)
    memo = Memo(items)
    found = list(expand(paths))
    total = sum(isinstance(entry, Entry) for entry in found)
    first_by_id: dict[str, StudentResult] = {}
    reader = Reader()
    done = 0
    try:
        for entry in found:
            if isinstance(entry, Issue):
                run.issues.append(entry)
                continue
            slot: list[Issue] = []
            name = entry.name
            result = None
            try:
                result = admit(reader.read(entry), name, slot, current, first_by_id)
                if result is not None:
                    score_student(result, memo, hashes, current, slot)
                    run.students.append(result)
            except Exception as exc:  # a bug must not cost the other students their grades
                if result is not None and first_by_id.get(student_key(result.student_id)) is result:
                    del first_by_id[student_key(result.student_id)]
                slot.append(Issue(name, "rejected", f"not graded: internal error {type(exc).__name__}: {exc}.",
                                  "Please report this as a sourcework bug, with the file."))
            run.issues.extend(slot)
            done += 1
            if progress is not None:
                progress(done, total, name)
    finally:
        reader.close()
    if rubric_scores is not None:
        merge_rubric(run, str(rubric_scores), first_by_id)
    return run


__all__ = ["LEVELS", "RUBRIC_COLUMNS", "STATUS_WORDS", "GradeRun", "Issue", "RubricRow", "StudentResult",
           "feedback_html", "feedback_markdown", "grade_files", "gradebook_rows", "md_escape", "neutralise",
           "read_gradebook", "read_rubric_scores", "write_atomic", "write_feedback", "write_gradebook"]
