"""Property-based fuzz of submission files (hypothesis, 1,000 examples): arbitrary JSON-ish submissions, broken
ones and random bytes. Grading never raises, every file is either graded or rejected with a reason (no lost grade),
every answer to a known, unchanged item gets a score, and the gradebook has one row per graded file."""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sourcework.core.corpus import load_corpus
from sourcework.core.items import load_exercises
from sourcework.core.numbers import format_points
from sourcework.core.submission import Rejection, build_submission, read_submission
from sourcework.grader.grade import grade_files, read_gradebook, write_gradebook

MINI = Path(__file__).resolve().parent / "books" / "mini"
SETS, _PROBLEMS = load_exercises(MINI, load_corpus(MINI))
ITEMS = {item.id: item for s in SETS for item in s.items}
IDS = list(ITEMS)
WORDS = ["press", "news", "pilot", "workshop", "errors", "A", "B", "borders", "partnerships", "neighbours", "none",
         "table", "lastyear", "partner", "a", "b", "claim", "evidence", "text", "self", ""]

leaf = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
        | st.sampled_from(WORDS) | st.text(max_size=12))
json_value = st.recursive(leaf, lambda inner: st.lists(inner, max_size=4)
                          | st.dictionaries(st.sampled_from(WORDS) | st.text(max_size=6), inner, max_size=4),
                          max_leaves=10)
# Plausible responses (right-shaped, any ids), so the scorers' real paths are exercised, not only "invalid".
plausible = (st.sampled_from(WORDS) | st.sampled_from(["40", "40%", "39.6 percent", "-4,000", "1e3", " 40 "])
             | st.lists(st.sampled_from(WORDS), max_size=4)
             | st.dictionaries(st.sampled_from(WORDS), st.sampled_from(WORDS) | st.lists(st.sampled_from(WORDS),
                                                                                         max_size=2), max_size=3)
             | st.fixed_dictionaries({"text": st.text(max_size=20)},
                                     optional={"self": st.dictionaries(st.sampled_from(WORDS), leaf, max_size=2)}))
answers = st.dictionaries(st.sampled_from(IDS + ["mini.q99", "other.x"]) | st.text(max_size=8),
                          plausible | json_value, max_size=10)
student_id = st.text(min_size=1, max_size=12).filter(lambda s: s.strip())

BASE = build_submission(sets=SETS, student_name="", student_id="", answers={})
BREAKS = ("drop_field", "wrong_type", "bad_format", "truncate", "not_utf8", "empty_id", "not_object")


@st.composite
def submission_file(draw) -> tuple[bytes, str, dict | None]:
    """(file bytes, expected outcome "graded" | "stale" | "rejected", the submission dict or None)."""
    kind = draw(st.sampled_from(("graded", "graded", "graded", "stale", "broken", "bytes")))
    if kind == "bytes":
        return draw(st.binary(max_size=300)), "rejected", None
    data = copy.deepcopy(BASE)  # build_submission once: item hashes are slow to compute 1,000 times
    data.update(answers=draw(answers), edition=draw(st.sampled_from(("assessment", "practice", "x"))),
                student={"name": draw(st.text(max_size=12)), "id": draw(student_id)})
    if kind == "stale":
        data["content_hash"] = "old"
        data["item_hashes"][draw(st.sampled_from(IDS))] = "changed"
    raw = json.dumps(data, ensure_ascii=False, indent=draw(st.sampled_from((None, 1)))).encode("utf-8")
    if kind != "broken":
        return raw, kind, data
    how = draw(st.sampled_from(BREAKS))
    if how == "drop_field":
        del data[draw(st.sampled_from(sorted(data)))]
    elif how == "wrong_type":
        field = draw(st.sampled_from(["book", "content_hash", "item_hashes", "edition", "student", "exported_at",
                                      "answers"]))
        data[field] = draw(st.sampled_from([None, 1, True, [], 2.5]))
    elif how == "bad_format":
        data["format"] = draw(st.sampled_from(["sourcework-submission/2", "", None, 1, "SOURCEWORK-SUBMISSION/1"]))
    elif how == "empty_id":
        data["student"]["id"] = draw(st.sampled_from(["", "  ", "\n"]))
    elif how == "not_object":
        return json.dumps([data]).encode(), "rejected", None
    elif how == "truncate":
        return raw[: draw(st.integers(0, len(raw) - 1))], "rejected", None
    elif how == "not_utf8":
        cut = draw(st.integers(0, len(raw)))
        return raw[:cut] + b"\xff" + raw[cut:], "rejected", None
    return json.dumps(data).encode("utf-8"), "rejected", None


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """A scratch folder; fsync is skipped here for speed (test_grader.py tests the atomic write itself)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(os, "fsync", lambda fd: None)
        yield tmp_path_factory.mktemp("fuzz")


def test_the_mini_book_loads():
    assert not _PROBLEMS and len(IDS) == 8


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                    HealthCheck.too_slow])
@given(files=st.lists(submission_file(), min_size=1, max_size=3))
def test_fuzzed_submissions_never_crash_and_lose_no_grade(folder, files):
    paths = []
    for index, (raw, _expected, _data) in enumerate(files):
        path = folder / f"s{index}.json"
        path.write_bytes(raw)
        paths.append(path)
    run = grade_files(paths, sets=SETS)

    assert not any("internal error" in issue.message for issue in run.issues)
    graded = {s.path: s for s in run.students}
    rejected = {issue.path: issue for issue in run.rejected}
    seen_ids: set[str] = set()
    for path, (_raw, expected, data) in zip(paths, files, strict=True):
        key = str(path)
        assert (key in graded) != (key in rejected), "every file is graded or rejected, never both or neither"
        if expected == "rejected":
            assert key in rejected and rejected[key].message.startswith("not graded: ")
            assert len(rejected[key].message) > len("not graded: ") + 10
            continue
        student = data["student"]["id"].strip().casefold()
        if student in seen_ids:  # a duplicate id: rejected, and said so
            assert "is also in" in rejected[key].message
            continue
        seen_ids.add(student)
        result = graded[key]
        for item_id in data["answers"]:
            if item_id not in ITEMS:
                continue
            if expected == "stale" and data["item_hashes"][item_id] == "changed":
                assert item_id in result.skipped and item_id not in result.scores
                continue
            outcome = result.scores[item_id]  # every answer to a known, unchanged item is scored
            assert 0 <= outcome.earned <= outcome.possible
        if expected == "graded":
            assert set(result.scores) == set(ITEMS) and not result.skipped
        else:
            assert len(result.skipped) == 1 and len(result.scores) == len(ITEMS) - 1

    out = folder / "gradebook.csv"
    write_gradebook(run, out)
    rows = read_gradebook(out)
    assert [row["file"] for row in rows] == [s.path for s in run.students]
    for row, student in zip(rows, run.students, strict=True):
        assert row["student_id"] == student.student_id
        assert row["total"] == format_points(student.total)
        for item_id, outcome in student.scores.items():
            expected_cell = "" if outcome.status == "ungraded" else format_points(outcome.earned)
            assert row[f"item:{item_id}"] == expected_cell
            if item_id in student.submission.answers:
                assert json.loads(row[f"response:{item_id}"]) == student.submission.answers[item_id]


def test_a_file_longer_than_its_size_says_is_still_bounded():
    """/dev/zero reports size 0 and never ends: the reader stops after the 5 MB limit instead of running on."""
    rejected = read_submission("/dev/zero")
    assert isinstance(rejected, Rejection) and "5 MB" in rejected.reason
