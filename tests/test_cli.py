"""The ``sourcework`` command line on the fixed mini book (tests/books/mini) with the sample submissions named by
outcome (tests/submissions/): exit statuses, located messages, the gradebook, feedback pages and the answer key."""

from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path

import pytest

from sourcework import cli
from sourcework.core.submission import MAX_BYTES
from sourcework.grader.grade import read_gradebook

TESTS = Path(__file__).resolve().parent
MINI = TESTS / "books" / "mini"
_spec = importlib.util.spec_from_file_location("make_submissions", TESTS / "books" / "make_submissions.py")
MAKER = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(MAKER)

# duplicate_student.json reuses passes_all.json's student id: the first on the command line is graded.
ORDER = ["passes_all", "fails_q2", "partial_select", "malformed_json", "wrong_format", "other_exercises_hash",
         "unknown_items", "wrong_types", "not_utf8", "formula_injection", "duplicate_student"]


@pytest.fixture
def subs(tmp_path) -> dict[str, Path]:
    """The sample submissions, built for the current mini book, plus a generated ``too_large`` file."""
    folder = tmp_path / "submissions"
    folder.mkdir()
    paths = {}
    for name, data in MAKER.samples().items():
        (folder / name).write_bytes(data)
        paths[name.removesuffix(".json")] = folder / name
    with (folder / "too_large.json").open("wb") as handle:
        handle.truncate(MAX_BYTES + 1)
    paths["too_large"] = folder / "too_large.json"
    return paths


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = cli.main(["--root", str(MINI), *argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return status, out, err


# --- check -----------------------------------------------------------------------------------------------------


def test_check_passes_on_the_mini_book(capsys):
    status, out, err = run(capsys, "check")
    assert status == 0 and "8 items: 0 problem(s)" in out and err == ""


def test_check_reports_located_errors(capsys, tmp_path):
    book = tmp_path / "book"
    shutil.copytree(MINI, book)
    path = book / "exercises" / "mini.md"
    path.write_text(path.read_text("utf-8").replace("key: press", "key: pres"), "utf-8")
    status = cli.main(["--root", str(book), "check"])
    out, err = capsys.readouterr()
    assert status == 1 and "1 problem(s)" in out
    assert "exercises/mini.md:" in err and "[mini.q1]" in err and "'pres'" in err


# --- grade -----------------------------------------------------------------------------------------------------


def test_grade_all_samples(capsys, subs, tmp_path):
    out_csv = tmp_path / "out" / "gradebook.csv"
    out_csv.parent.mkdir()
    files = [str(subs[name]) for name in ORDER + ["too_large"]]
    status, out, err = run(capsys, "grade", *files, "--out", str(out_csv), "--no-progress")
    assert status == 1
    assert "Graded 7 of 12 file(s); 5 not graded." in out
    lines = err.splitlines()

    def said(name: str, phrase: str, level: str = "error") -> bool:
        return any(line.startswith(f"sourcework: {level}: {subs[name]}: ") and phrase in line for line in lines)

    assert said("malformed_json", "not graded: the file is not valid JSON (line")
    assert said("wrong_format", "not graded: the submission format 'sourcework-submission/2' is not supported")
    assert said("not_utf8", "not graded: the file is not UTF-8 text")
    assert said("too_large", "not graded: the file is 5,242,881 bytes, more than the 5 MB limit")
    assert said("duplicate_student", f"not graded: Student ID 'S001' is also in {subs['passes_all']}")
    assert said("passes_all", f"is also in {subs['duplicate_student']}, which was not graded", "warning")
    assert said("other_exercises_hash", "made from other exercises", "warning")
    assert said("other_exercises_hash", "not graded (changed since this file was made): mini.q2.")
    assert said("unknown_items", "'mini.q99', 'other.q1'")
    assert said("wrong_types", "mini.q1: the response could not be read, scored 0: Expected one option id.")
    assert not any(subs["fails_q2"].name in line or subs["partial_select"].name in line for line in lines)
    assert "/12" not in err  # no progress bar

    rows = {row["student_id"]: row for row in read_gradebook(out_csv)}
    assert list(rows) == ["s001", "s002", "s003", "s006", "s007", "s008", "+s010"]
    assert (rows["s001"]["total"], rows["s001"]["possible"], rows["s001"]["percent"]) == ("9", "9", "100")
    assert rows["s002"]["item:mini.q2"] == "0" and rows["s002"]["percent"] == "77.78"
    assert rows["s003"]["item:mini.q2"] == "1"
    assert rows["s006"]["item:mini.q2"] == "" and rows["s006"]["possible"] == "7"
    assert rows["s008"]["item:mini.q5"] == "0" and json.loads(rows["s008"]["response:mini.q5"]) == 40
    feedback = sorted(p.name for p in (out_csv.parent / "feedback").iterdir())
    assert feedback == ["s001.html", "s002.html", "s003.html", "s006.html", "s007.html", "s008.html", "s010.html"]
    raw = out_csv.read_text("utf-8-sig")
    assert "\n'+s010," in raw.replace("\r\n", "\n") and ",\"'=HYPERLINK(" in raw


def test_grade_one_good_file(capsys, subs, tmp_path):
    out_csv = tmp_path / "g.csv"
    status, out, err = run(capsys, "grade", str(subs["passes_all"]), "--out", str(out_csv), "--no-progress",
                           "--feedback-dir", str(tmp_path / "fb"), "--markdown")
    assert status == 0 and err == ""
    assert "Graded 1 of 1 file(s). Gradebook:" in out
    assert sorted(p.name for p in (tmp_path / "fb").iterdir()) == ["s001.html", "s001.md"]


def test_grade_and_key_create_missing_output_folders(capsys, subs, tmp_path):
    out_csv = tmp_path / "term 2" / "week 5" / "g.csv"
    status, out, err = run(capsys, "grade", str(subs["passes_all"]), "--out", str(out_csv), "--no-progress")
    assert status == 0 and err == "" and out_csv.is_file()
    assert (out_csv.parent / "feedback" / "s001.html").is_file()
    key = tmp_path / "keys" / "key.md"
    status, _out, err = run(capsys, "key", "--out", str(key))
    assert status == 0 and key.is_file() and str(key) in err


def test_grade_a_folder_with_progress_and_rubric_scores(capsys, subs, tmp_path):
    folder = tmp_path / "good"
    folder.mkdir()
    for name in ("passes_all", "fails_q2"):
        shutil.copy(subs[name], folder)
    rubric = tmp_path / "rubric.csv"
    rubric.write_text("student_id,item_id,criterion_id,points\ns001,mini.q8,claim,2\ns001,mini.q8,evidence,2\n")
    out_csv = tmp_path / "g.csv"
    status, out, err = run(capsys, "grade", str(folder), "--out", str(out_csv), "--progress",
                           "--rubric-scores", str(rubric))
    assert status == 0, err
    assert "[###############...............] 1/2" in err and "[##############################] 2/2\n" in err
    rows = {row["student_id"]: row for row in read_gradebook(out_csv)}
    assert (rows["s001"]["total"], rows["s001"]["possible"], rows["s001"]["rubric:mini.q8:evidence"]) == \
        ("13", "13", "2")
    assert (rows["s002"]["total"], rows["s002"]["possible"], rows["s002"]["item:mini.q8"]) == ("7", "9", "")


def test_rubric_problems_fail_the_run(capsys, subs, tmp_path):
    rubric = tmp_path / "rubric.csv"
    rubric.write_text("student_id,item_id,criterion_id,points\ns001,mini.q8,claim,7\ns001,mini.q8,evidence,2\n")
    status, _out, err = run(capsys, "grade", str(subs["passes_all"]), "--out", str(tmp_path / "g.csv"),
                            "--no-progress", "--rubric-scores", str(rubric))
    assert status == 1 and f"sourcework: error: {rubric}:2: mini.q8 for student 's001'" in err


def test_grade_errors_without_traceback(capsys, subs, tmp_path):
    (tmp_path / "a-file").write_text("not a folder", "utf-8")
    status, _out, err = run(capsys, "grade", str(subs["passes_all"]), "--out", str(tmp_path / "a-file" / "g.csv"),
                            "--no-progress")
    assert status == 1 and err.startswith(f"sourcework: error: {tmp_path / 'a-file' / 'g.csv'}: the gradebook "
                                          "could not")
    status = cli.main(["--root", str(tmp_path / "nowhere"), "grade", str(subs["passes_all"]), "--out",
                       str(tmp_path / "g.csv")])
    _out, err = capsys.readouterr()
    assert status == 1 and "sourcework: error:" in err and "Traceback" not in err
    status, _out, err = run(capsys, "grade", str(tmp_path / "empty-folder-does-not-exist"), "--out",
                            str(tmp_path / "g.csv"), "--no-progress")
    assert status == 1 and "does not exist" in err


def test_an_unexpected_error_is_one_line(capsys, subs, tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("sourcework.grader.grade.grade_files", broken)
    monkeypatch.delenv("SOURCEWORK_DEBUG", raising=False)
    status, _out, err = run(capsys, "grade", str(subs["passes_all"]), "--out", str(tmp_path / "g.csv"))
    assert status == 1 and err.startswith("sourcework: error: unexpected RuntimeError: boom")


@pytest.mark.parametrize("argv", [[], ["grade"], ["grade", "x.json"], ["nonsense"], ["key", "--format", "pdf"]])
def test_usage_errors_exit_2(capsys, argv):
    assert cli.main(argv) == 2
    assert "usage: sourcework" in capsys.readouterr().err


def test_help_exits_0(capsys):
    assert cli.main(["--help"]) == 0
    assert "grade" in capsys.readouterr().out


# --- key -------------------------------------------------------------------------------------------------------


def test_key_markdown(capsys):
    status, out, _err = run(capsys, "key")
    assert status == 0
    for phrase in ("### `mini.q1`: Who is speaking?", "- **Key:** press: A press release by the agency",
                   "  - workshop: The first SAFE workshop was held in San Salvador",
                   "  - HSI is pushing out our borders. → Source B", "- **Key:** “pushing out our borders”",
                   "- **Key:** 40 percent (± 0.5: accepted 39.5 to 40.5)", "  3. The first SAFE workshop",
                   "  - Part B: lastyear:", "| Quoted evidence (evidence) | 1 | Emergent | Quotes one source. | "
                   "'fugitives' (A). |", "- **Explanation:** Sourcing starts with the author."):
        assert phrase in out, phrase


def test_key_json_to_a_file(capsys, tmp_path):
    target = tmp_path / "key.json"
    status, out, err = run(capsys, "key", "--format", "json", "--out", str(target))
    assert status == 0 and out == "" and str(target) in err
    data = json.loads(target.read_text("utf-8"))
    items = {item["id"]: item for item in data["sets"][0]["items"]}
    assert list(items) == [f"mini.q{n}" for n in range(1, 9)]
    assert items["mini.q3"]["key"] == {"pilot": "A", "borders": "B"}
    assert items["mini.q5"]["answer"] == {"value": 40, "unit": "percent", "tolerance_abs": "0.5",
                                          "tolerance_rel": None}
    assert items["mini.q7"]["key"] == {"a": "none", "b": "lastyear"}
    assert items["mini.q8"]["rubric"][0]["levels"][0]["anchor"] == "A stresses fugitives; B stresses gangs."
    assert data["content_hash"] == json.loads(MAKER.samples()["passes_all.json"])["content_hash"]


def test_key_refuses_a_broken_book(capsys, tmp_path):
    book = tmp_path / "book"
    shutil.copytree(MINI, book)
    (book / "exercises" / "mini.md").write_text("```{exercise-set}\nid: x\n```\n", "utf-8")
    status = cli.main(["--root", str(book), "key"])
    _out, err = capsys.readouterr()
    assert status == 1 and "fix them before making a key" in err


def test_a_corpus_file_that_is_not_utf8_is_located(capsys, tmp_path):
    book = tmp_path / "book"
    shutil.copytree(MINI, book)
    with (book / "sources" / "b.md").open("ab") as handle:
        handle.write(b"\xff")
    for command in (["check"], ["key"]):
        assert cli.main(["--root", str(book), *command]) == 1
        err = capsys.readouterr().err
        assert "sourcework: error: sources/b.md: the file is not UTF-8 text" in err and "Traceback" not in err


def test_root_may_follow_the_subcommand(capsys):
    assert cli.main(["check", "--root", str(MINI)]) == 0
    assert "8 items: 0 problem(s)" in capsys.readouterr().out
