"""Submissions as an LMS hands them out (folders at any depth, zip archives, bad members, zip bombs), the
rubric-scores comment column, and grades back into an LMS (`sourcework lms canvas` and `lms plain`)."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest

from sourcework import cli
from sourcework.core.corpus import load_corpus
from sourcework.core.items import load_exercises
from sourcework.core.model import ItemSet
from sourcework.core.submission import MAX_BYTES
from sourcework.grader import admit
from sourcework.grader.grade import grade_files, read_gradebook, write_feedback, write_gradebook
from sourcework.grader.lms import canvas_import, plain_points

TESTS = Path(__file__).resolve().parent
MINI = TESTS / "books" / "mini"
COMMITTED = TESTS / "submissions"


@pytest.fixture(scope="module")
def sets() -> list[ItemSet]:
    found, problems = load_exercises(MINI, load_corpus(MINI))
    assert not problems, problems
    return found


def _sample(name: str) -> bytes:
    return (COMMITTED / f"{name}.json").read_bytes()


# --- folders and zips ------------------------------------------------------------------------------------------


def test_a_folder_is_searched_at_any_depth(sets, tmp_path):
    (tmp_path / "class" / "a" / "b").mkdir(parents=True)
    (tmp_path / "class" / "a" / "b" / "lastfirst_12345_67890_answers.json").write_bytes(_sample("passes_all"))
    (tmp_path / "class" / "fails.json").write_bytes(_sample("fails_q2"))
    (tmp_path / "class" / "notes.txt").write_text("not a submission")
    (tmp_path / "class" / "._fails.json").write_bytes(b"\x00\x05\x16\x07")  # macOS metadata
    run = grade_files([tmp_path / "class"], sets=sets)
    assert run.ok and sorted(s.student_id for s in run.students) == ["s001", "s002"]
    assert any(s.path.endswith("lastfirst_12345_67890_answers.json") for s in run.students)


def _zip(path: Path, members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression=method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_a_zip_is_graded_member_by_member(sets, tmp_path):
    archive = _zip(tmp_path / "submissions.zip", {
        "Ada Lovelace_12345_67890_answers.json": _sample("passes_all"),
        "section 2/deep/fails_q2.json": _sample("fails_q2"),
        "section 2/readme.txt": b"ignored",
        "__MACOSX/section 2/._fails_q2.json": b"\x00\x05",
        "broken.json": _sample("malformed_json"),
    })
    seen = []
    run = grade_files([archive], sets=sets, progress=lambda done, total, name: seen.append((done, total)))
    assert sorted(s.student_id for s in run.students) == ["s001", "s002"]
    assert seen == [(1, 3), (2, 3), (3, 3)]
    rejected = run.rejected
    assert len(rejected) == 1 and rejected[0].path == f"{archive}:broken.json"
    assert "not valid JSON" in rejected[0].message
    out = tmp_path / "gradebook.csv"
    write_gradebook(run, out)
    assert {row["file"] for row in read_gradebook(out)} == {
        f"{archive}:Ada Lovelace_12345_67890_answers.json", f"{archive}:section 2/deep/fails_q2.json"}
    pages = write_feedback(run, tmp_path / "feedback")
    assert "File: fails_q2.json." in next(p for p in pages if p.stem == "s002").read_text("utf-8")


def test_a_damaged_or_foreign_archive_is_rejected_and_the_rest_graded(sets, tmp_path):
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    empty = _zip(tmp_path / "empty.zip", {"readme.txt": b"x"})
    lone = tmp_path / "passes.json"
    lone.write_bytes(_sample("passes_all"))
    run = grade_files([bad, empty, lone], sets=sets)
    assert [s.student_id for s in run.students] == ["s001"]
    assert "archive cannot be opened" in run.rejected[0].message and run.rejected[0].path == str(bad)
    assert any(i.path == str(empty) and "no .json files" in i.message for i in run.issues_at("warning"))


def test_a_zip_bomb_is_refused(sets, tmp_path):
    """A member that says it holds more than 5 MB is not decompressed; one that lies about its size is stopped at
    the limit and fails its check; an archive's total is bounded too."""
    bomb = _zip(tmp_path / "bomb.zip", {"big.json": b" " * (MAX_BYTES + 10), "ok.json": _sample("passes_all")})
    assert bomb.stat().st_size < 100_000
    run = grade_files([bomb], sets=sets)
    assert [s.student_id for s in run.students] == ["s001"]
    assert "more than the 5 MB limit" in run.rejected[0].message and run.rejected[0].path.endswith(":big.json")


def test_an_archive_past_its_limits_is_cut_off_with_the_reason(sets, tmp_path, monkeypatch):
    archive = _zip(tmp_path / "class.zip", {"a.json": _sample("passes_all"), "b.json": _sample("fails_q2"),
                                            "c.json": _sample("partial_select")})
    monkeypatch.setattr(admit, "MAX_MEMBERS", 2)
    run = grade_files([archive], sets=sets)
    assert len(run.students) == 2 and "past the limit of 2 submissions" in run.rejected[0].message
    monkeypatch.setattr(admit, "MAX_MEMBERS", 100)
    monkeypatch.setattr(admit, "MAX_ARCHIVE_BYTES", len(_sample("passes_all")) + 10)
    run = grade_files([archive], sets=sets)
    assert [s.student_id for s in run.students] == ["s001"]
    assert all("decompress to more than" in issue.message for issue in run.rejected) and len(run.rejected) == 2


def test_the_cli_grades_a_zip_and_a_folder(capsys, tmp_path):
    archive = _zip(tmp_path / "a.zip", {"x/passes.json": _sample("passes_all")})
    (tmp_path / "more" / "deep").mkdir(parents=True)
    (tmp_path / "more" / "deep" / "fails.json").write_bytes(_sample("fails_q2"))
    status = cli.main(["--root", str(MINI), "grade", str(archive), str(tmp_path / "more"), "--out",
                       str(tmp_path / "gb.csv"), "--no-progress"])
    out, err = capsys.readouterr()
    assert status == 0, err
    assert "Graded 2 of 2 file(s)" in out and len(read_gradebook(tmp_path / "gb.csv")) == 2


# --- rubric comments -------------------------------------------------------------------------------------------


def test_rubric_comments_are_shown_escaped_on_the_feedback_page(sets, tmp_path):
    passes = tmp_path / "passes.json"
    passes.write_bytes(_sample("passes_all"))
    rubric = tmp_path / "rubric.csv"
    rubric.write_text("student_id,item_id,criterion_id,points,comment\n"
                      "s001,mini.q8,claim,2,\"Strong claim, <b>well</b> put\"\n"
                      "s001,mini.q8,evidence,1,\n"
                      "s001,mini.q2,,,Look again at paragraph 3 & 4\n"
                      "nobody,mini.q2,,,Lost\n", "utf-8")
    run = grade_files([passes], sets=sets, rubric_scores=rubric)
    student = run.students[0]
    assert student.comments == {"mini.q8": ["Strong claim, <b>well</b> put"],
                                "mini.q2": ["Look again at paragraph 3 & 4"]}
    assert student.scores["mini.q8"].earned == 3
    assert [i.message for i in run.issues] == ["no graded submission has Student ID 'nobody'; its comments for "
                                               "mini.q2 were not merged."]
    write_feedback(run, tmp_path / "fb", markdown=True)
    page = (tmp_path / "fb" / "s001.html").read_text("utf-8")
    assert "Your teacher's comment:</strong> Strong claim, &lt;b&gt;well&lt;/b&gt; put" in page
    assert "paragraph 3 &amp; 4" in page and "<b>well" not in page
    assert "&lt;b&gt;well" in (tmp_path / "fb" / "s001.md").read_text("utf-8")
    out = tmp_path / "gb.csv"
    write_gradebook(run, out)
    text = out.read_text("utf-8-sig")  # the gradebook's columns are unchanged
    assert "comment" not in text.splitlines()[0] and "Strong claim" not in text


# --- Canvas ----------------------------------------------------------------------------------------------------

GRADEBOOK_HEADER = ["student_id", "student_name", "file", "total", "possible", "percent", "set:mini"]


def _gradebook(tmp_path: Path, rows: list[list[str]]) -> Path:
    path = tmp_path / "gradebook.csv"
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows([GRADEBOOK_HEADER, *rows])
    path.write_bytes(buffer.getvalue().encode("utf-8-sig"))
    return path


def _canvas(tmp_path: Path, rows: list[list[str]], extra: str = "Mini set (4411)") -> Path:
    path = tmp_path / "canvas.csv"
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows([["Student", "ID", "SIS User ID", "SIS Login ID", "Section", extra],
                                  ["    Points Possible", "", "", "", "", "10"], *rows])
    path.write_bytes(buffer.getvalue().encode("utf-8-sig"))
    return path


def _read(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(raw.decode("utf-8"), newline="")))


CANVAS_ROWS = [["Lovelace, Ada", "101", "S-1", "ada@school.org", "P1", ""],
               ["Hopper, Grace", "102", "S-2", "grace@school.org", "P1", ""],
               ["Noether, Emmy", "103", "", "emmy@school.org", "P2", ""],
               ["Student, Test", "999", "", "", "P1", ""]]


def test_canvas_matches_by_each_id_kind_and_lists_the_rest(sets, tmp_path):
    gradebook = _gradebook(tmp_path, [["S-1", "Ada", "a.json", "7", "9", "77.78", "7"],           # SIS User ID
                                      ["GRACE@school.org ", "Grace", "b.json", "5", "9", "55.56", "5"],  # login
                                      ["103", "Emmy", "c.json", "9", "9", "100", "9"],              # Canvas ID
                                      ["S-404", "Who", "d.json", "1", "9", "11.11", "1"]])          # nobody
    out = tmp_path / "import.csv"
    result = canvas_import(gradebook, _canvas(tmp_path, CANVAS_ROWS), out, sets)
    assert result.matched == 3 and result.unmatched == ["S-404"] and not result.ambiguous
    assert result.missing == ["Student, Test (ID 999)"]
    rows = _read(out)
    title = sets[0].title.strip()
    assert rows[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", title]
    assert rows[1] == ["Points Possible", "", "", "", "", "13"]  # the set's points, the rubric's included
    assert rows[2:] == [["Lovelace, Ada", "101", "S-1", "ada@school.org", "P1", "7"],
                        ["Hopper, Grace", "102", "S-2", "grace@school.org", "P1", "5"],
                        ["Noether, Emmy", "103", "", "emmy@school.org", "P2", "9"]]


def test_canvas_reuses_an_existing_assignment_and_writes_a_total(sets, tmp_path):
    gradebook = _gradebook(tmp_path, [["S-1", "Ada", "a.json", "7", "9", "77.78", "7"]])
    title = sets[0].title.strip()
    export = _canvas(tmp_path, CANVAS_ROWS, extra=f"{title} (4411)")
    canvas_import(gradebook, export, tmp_path / "sets.csv", sets)
    assert _read(tmp_path / "sets.csv")[0][-1] == f"{title} (4411)"
    result = canvas_import(gradebook, export, tmp_path / "total.csv", sets, total=True, total_name="Sources unit")
    rows = _read(tmp_path / "total.csv")
    assert result.columns == ["Sources unit"] and rows[0][-1] == "Sources unit" and rows[2][-1] == "7"


def test_canvas_ambiguous_matches_are_reported_not_guessed(sets, tmp_path):
    canvas_rows = [["Lovelace, Ada", "101", "S-1", "", "P1", ""],
                   ["Twin, A", "102", "X-1", "x-1", "P1", ""],
                   ["Twin, B", "103", "X-2", "X-1", "P1", ""],    # login X-1 (any case) as well as B's SIS id
                   ["Hopper, Grace", "104", "101", "", "P1", ""]]  # SIS id 101 = Ada's Canvas id
    gradebook = _gradebook(tmp_path, [["x-1", "?", "a.json", "1", "9", "11.11", "1"],
                                      ["101", "?", "b.json", "2", "9", "22.22", "2"],
                                      ["S-1", "Ada", "c.json", "3", "9", "33.33", "3"]])
    out = tmp_path / "import.csv"
    result = canvas_import(gradebook, _canvas(tmp_path, canvas_rows), out, sets)
    assert len(result.ambiguous) == 2 and result.matched == 1
    assert "'x-1' matches Twin, A (ID 102); Twin, B (ID 103)" in result.ambiguous
    assert "'101' matches Lovelace, Ada (ID 101); Hopper, Grace (ID 104)" in result.ambiguous
    assert [row[0] for row in _read(out)[2:]] == ["Lovelace, Ada"]


def test_two_graded_students_matching_one_canvas_student_write_neither(sets, tmp_path):
    gradebook = _gradebook(tmp_path, [["S-1", "Ada", "a.json", "7", "9", "77.78", "7"],
                                      ["101", "Ada again", "b.json", "1", "9", "11.11", "1"]])
    result = canvas_import(gradebook, _canvas(tmp_path, CANVAS_ROWS), tmp_path / "i.csv", sets)
    assert result.matched == 0 and result.ambiguous == ["'S-1' and '101' all match Lovelace, Ada (ID 101)"]
    assert _read(tmp_path / "i.csv")[2:] == []


def test_canvas_cells_are_formula_guarded(sets, tmp_path):
    canvas_rows = [["=HYPERLINK(\"x\")", "101", "S-1", "", "@P1", ""]]
    gradebook = _gradebook(tmp_path, [["S-1", "Ada", "a.json", "7", "9", "77.78", "7"]])
    canvas_import(gradebook, _canvas(tmp_path, canvas_rows), tmp_path / "i.csv", sets)
    assert _read(tmp_path / "i.csv")[2][:5] == ["'=HYPERLINK(\"x\")", "101", "S-1", "", "'@P1"]


def test_the_cli_canvas_and_plain_commands(capsys, tmp_path):
    gradebook = _gradebook(tmp_path, [["S-1", "Ada", "a.json", "7", "9", "77.78", "7"],
                                      ["+S-9", "Eve", "b.json", "2", "9", "22.22", "2"]])
    status = cli.main(["--root", str(MINI), "lms", "canvas", str(gradebook), "--canvas-export",
                       str(_canvas(tmp_path, CANVAS_ROWS)), "--out", str(tmp_path / "import.csv")])
    out, err = capsys.readouterr()
    assert status == 1 and "'+S-9'" in err and "no Canvas student matches" in err and "Hopper, Grace" in err
    assert "1 student(s)" in out
    status = cli.main(["--root", str(MINI), "lms", "plain", str(gradebook), "--out", str(tmp_path / "p.csv")])
    assert status == 0
    assert _read(tmp_path / "p.csv") == [["student_id", "points"], ["S-1", "7"], ["'+S-9", "2"]]
    status = cli.main(["--root", str(MINI), "lms", "plain", str(gradebook), "--set", "mini", "--out",
                       str(tmp_path / "s.csv")])
    assert status == 0 and _read(tmp_path / "s.csv")[1] == ["S-1", "7"]
    status = cli.main(["--root", str(MINI), "lms", "plain", str(gradebook), "--set", "nope", "--out",
                       str(tmp_path / "n.csv")])
    assert status == 1 and "no column 'set:nope'" in capsys.readouterr()[1]


def test_plain_points_from_a_real_gradebook(sets, tmp_path):
    passes = tmp_path / "passes.json"
    passes.write_bytes(_sample("formula_injection"))
    run = grade_files([passes], sets=sets)
    write_gradebook(run, tmp_path / "gb.csv")
    assert plain_points(tmp_path / "gb.csv", tmp_path / "p.csv") == 1
    assert _read(tmp_path / "p.csv")[1][0] == "'+s010"  # the id read back unguarded, then guarded again
