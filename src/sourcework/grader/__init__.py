"""Offline grading of submissions: ``grade_files`` scores them, ``write_gradebook`` and ``write_feedback`` write the
teacher's CSV and the students' feedback pages (atomically, escaped, formula-safe), ``lms`` turns a gradebook into an
LMS's grade-import CSV. ``grade`` is the orchestrator; the work is split by concern into ``admit``, ``scoring_run``,
``rubric``, ``gradebook`` and ``feedback``."""

from .grade import (
    GradeRun,
    Issue,
    StudentResult,
    grade_files,
    gradebook_rows,
    read_gradebook,
    read_rubric_scores,
    write_atomic,
    write_feedback,
    write_gradebook,
)

__all__ = ["GradeRun", "Issue", "StudentResult", "grade_files", "gradebook_rows", "read_gradebook",
           "read_rubric_scores", "write_atomic", "write_feedback", "write_gradebook"]
