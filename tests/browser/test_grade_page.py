"""The class-grading page (instructor edition): a class loaded as a zip, a folder or many files; rejections shown;
the class table sorted; written answers scored by click and by keyboard, names hidden, progress resumed after a
reload; every export equal to the command line's (the gradebook CSV byte for byte, the Canvas import file); the
rubric-scores CSV round trip; axe and HTML_CodeSniffer clean before and after; keyboard only; offline.

The class is made here from the book's own exercises (``make_class``): five students who answered the sets
``WRITTEN_SETS`` (each has a written answer scored with a rubric), packed as Canvas's "Download Submissions" zip
names them, plus a broken file the grader rejects. ``open_page`` (conftest) fails a test whose page made a request
other than file://, logged a console error or warning, or raised a script error.
"""

from __future__ import annotations

import csv
import io
import json
import os
import random
import re
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import pytest
from conftest import (
    REPO,
    Edition,
    describe_htmlcs,
    describe_violations,
    format_violations,
    run_axe,
    run_htmlcs,
    sync_api,
)
from swpage import random_response

from sourcework.core.submission import build_submission
from sourcework.sphinx_ext.assets import grading_assets

pytestmark = pytest.mark.browser

GRADE_PAGE = "book/grade-class.html"
WRITTEN_SETS = ("ch1-programs", "ch2-agency")
STUDENTS = (("Ada Lovelace", "s001", "lovelaceada", 1001), ("Grace Hopper", "s002", "hoppergrace", 1002),
            ("Alan Turing", "s003", "turingalan", 1003), ("Katherine Johnson", "s004", "johnsonkatherine", 1004),
            ("Edsger Dijkstra", "s005", "dijkstraedsger", 1005))
GRADED_JS = "() => /^Graded \\d+ student/.test((document.getElementById('swg-status') || {}).textContent || '')"


@dataclass
class ClassFiles:
    """One class, three ways: ``zip`` (Canvas names, one broken member), ``folder`` (Moodle's folders, at depth)
    and ``files`` (loose files), all in ``root``."""

    root: Path
    zip: Path
    folder: Path
    files: list[Path]


def submission_texts(edition: Edition) -> dict[str, str]:
    """{student id: submission JSON} for the five students; answers to ``WRITTEN_SETS`` (seeded, so reproducible)."""
    rng = random.Random(13)
    sets = [s for s in edition.sets if s.id in WRITTEN_SETS]
    title = _book_title()
    found = {}
    for n, (name, student_id, _prefix, _canvas) in enumerate(STUDENTS):
        answers = {}
        for item_set in sets:
            for item in item_set.items:
                response = random_response(item, rng)
                if item.type == "response":
                    response = {"text": f"Answer {n + 1} to {item.id}: Source A calls SAFE a partnership, and "
                                        f"Source C paragraph {n + 2} lists the errors it says follow.\nSecond line.",
                                "self": response["self"]}
                answers[item.id] = response
        data = build_submission(sets=edition.sets, student_name=name, student_id=student_id, answers=answers,
                                book=title, exported_at="2026-12-01T10:00:00+00:00")
        found[student_id] = json.dumps(data, ensure_ascii=False, indent=1)
    return found


def _book_title() -> str:
    from sourcework.cli import book_title

    return book_title(REPO)


def make_class(edition: Edition, root: Path) -> ClassFiles:
    """The class as a Canvas zip, a Moodle-style folder and loose files (see :class:`ClassFiles`)."""
    texts = submission_texts(edition)
    root.mkdir(parents=True, exist_ok=True)
    archive = root / "submissions.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        for _name, student_id, prefix, canvas in STUDENTS:
            late = "_LATE" if student_id == "s003" else ""
            folder = "late/" if late else ""
            z.writestr(f"{folder}{prefix}{late}_{canvas}_{canvas + 4000}_sourcework-answers.json", texts[student_id])
        z.writestr("brokenbob_1099_5099_sourcework-answers.json", '{"format": "sourcework-submission/1", ')
        z.writestr("__MACOSX/._lovelaceada_1001_5001_sourcework-answers.json", "junk")
    folder = root / "class"
    for name, student_id, _prefix, canvas in STUDENTS:
        where = folder / f"{name}_{canvas}_assignsubmission_file_"
        where.mkdir(parents=True, exist_ok=True)
        (where / "answers.json").write_text(texts[student_id], "utf-8")
    loose = root / "loose"
    loose.mkdir(exist_ok=True)
    files = []
    for _name, student_id, prefix, _canvas in STUDENTS:
        path = loose / f"{prefix}.json"
        path.write_text(texts[student_id], "utf-8")
        files.append(path)
    return ClassFiles(root, archive, folder, files)


@pytest.fixture
def klass(editions, tmp_path) -> ClassFiles:
    return make_class(editions["instructor"], tmp_path / "class-files")


def open_grading(open_page, editions, **kw):
    opened = open_page(editions["instructor"], GRADE_PAGE, **kw)
    opened.page.wait_for_selector("#swg-files")
    return opened


def wait_graded(page) -> None:
    page.wait_for_function(GRADED_JS, timeout=30000)
    page.wait_for_timeout(50)


def load(page, selector: str, files) -> None:
    page.set_input_files(selector, files)
    wait_graded(page)


def table_rows(page) -> list[list[str]]:
    return page.eval_on_selector_all("#swg-table tbody tr",
                                     "rows => rows.map(r => [...r.children].map(c => c.textContent.trim()))")


def saved_download(page, click: str, tmp: Path) -> Path:
    with page.expect_download() as info:
        page.click(click)
    download = info.value
    tmp.mkdir(parents=True, exist_ok=True)
    target = tmp / download.suggested_filename
    download.save_as(target)
    return target


def scored_text(page) -> str:
    return page.text_content("#swg-scored") or ""


def score_current(page, points: list[int]) -> None:
    """Click the level worth ``points[n]`` in the n-th criterion of the answer on screen."""
    groups = page.locator("#swg-answer fieldset")
    for n, value in enumerate(points):
        groups.nth(n).locator(f'input[value="{value}"]').check()


def criteria_count(page) -> int:
    return page.locator("#swg-answer fieldset").count()


def run_cli(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).with_name("sourcework")
    env = dict(os.environ, PYTHONPATH=str(REPO / "src"))
    return subprocess.run([str(exe), "--root", str(REPO), *args], cwd=cwd, env=env, capture_output=True, text=True)


# --------------------------------------------------------------------------------------------------- loading


def test_a_class_zip_loads_with_the_rejected_file_listed(editions, open_page, klass):
    opened = open_grading(open_page, editions)
    page = opened.page
    load(page, "#swg-files", str(klass.zip))
    rows = table_rows(page)
    assert sorted(r[1] for r in rows) == [s[1] for s in STUDENTS]
    issues = page.text_content("#swg-issues") or ""
    assert "Rejected" in issues and "brokenbob_1099_5099_sourcework-answers.json" in issues, issues
    assert "__MACOSX" not in issues
    status = page.text_content("#swg-status") or ""
    assert "Graded 5 students from 1 file" in status and "issue" in status, status
    assert page.get_attribute("#swg-status", "role") == "status"


def test_a_folder_loads(editions, open_page, klass):
    page = open_grading(open_page, editions).page
    load(page, "#swg-folder", str(klass.folder))
    assert sorted(r[1] for r in table_rows(page)) == [s[1] for s in STUDENTS]
    assert page.is_hidden("#swg-issues-h")


def test_many_files_load_and_add_up(editions, open_page, klass):
    page = open_grading(open_page, editions).page
    load(page, "#swg-files", [str(p) for p in klass.files[:3]])
    assert len(table_rows(page)) == 3
    assert scored_text(page) == f"0 of {3 * len(WRITTEN_SETS)} scored"
    score_current(page, [1] * criteria_count(page))
    page.evaluate("() => document.getElementById('swg-status').textContent = ''")
    load(page, "#swg-files", [str(p) for p in klass.files[3:]])
    assert len(table_rows(page)) == 5
    assert scored_text(page) == f"1 of {5 * len(WRITTEN_SETS)} scored"  # the scores so far carry over


def test_dropped_files_load(editions, open_page, klass):
    page = open_grading(open_page, editions).page
    files = [(p.name, p.read_text("utf-8")) for p in klass.files]
    page.evaluate("""(files) => {
      const transfer = new DataTransfer();
      for (const [name, text] of files) transfer.items.add(new File([text], name, {type: "application/json"}));
      document.getElementById("swg-drop").dispatchEvent(
        new DragEvent("drop", {dataTransfer: transfer, bubbles: true, cancelable: true}));
    }""", files)
    wait_graded(page)
    assert sorted(r[1] for r in table_rows(page)) == [s[1] for s in STUDENTS]


def test_the_table_sorts_by_name_id_total_and_set(editions, open_page, klass):
    page = open_grading(open_page, editions).page
    load(page, "#swg-files", str(klass.zip))
    assert page.get_attribute('th[data-col="name"]', "aria-sort") == "ascending"
    names = [r[0] for r in table_rows(page)]
    assert names == sorted(names, key=str.lower)
    for key in ("total", f"set:{WRITTEN_SETS[0]}"):
        page.click(f'button[data-sort="{key}"]')
        assert page.get_attribute(f'th[data-col="{key}"]', "aria-sort") == "ascending"
        assert page.get_attribute('th[data-col="name"]', "aria-sort") is None
        column = page.eval_on_selector_all("#swg-table thead th", "t => t.map(h => h.dataset.col)").index(key)
        values = [float(r[column].split(" ")[0]) for r in table_rows(page)]
        assert values == sorted(values)
        page.click(f'button[data-sort="{key}"]')
        assert page.get_attribute(f'th[data-col="{key}"]', "aria-sort") == "descending"
        values = [float(r[column].split(" ")[0]) for r in table_rows(page)]
        assert values == sorted(values, reverse=True)
        assert page.evaluate("() => document.activeElement.dataset.sort") == key
    page.click('button[data-sort="id"]')
    assert [r[1] for r in table_rows(page)] == [s[1] for s in STUDENTS]
    assert "Sorted by Student ID, ascending" in (page.text_content("#swg-status") or "")


# --------------------------------------------------------------------------------------------- rubric screen


def test_rubric_scoring_by_click_and_keyboard_hide_names_and_resume(editions, open_page, klass, browser):
    context = browser.new_context(accept_downloads=True)
    opened = open_grading(open_page, editions, context=context)
    page = opened.page
    load(page, "#swg-files", str(klass.zip))
    total = len(STUDENTS) * len(WRITTEN_SETS)
    assert scored_text(page) == f"0 of {total} scored"
    first = page.text_content("#swg-answer-h") or ""
    name, student_id = next((n, i) for n, i, _p, _c in STUDENTS if f"{n} ({i})" in first)  # the first file's
    assert page.locator("#swg-answer .sw-grade-anchor").count() >= criteria_count(page)  # anchors shown
    # by click
    score_current(page, [2] * criteria_count(page))
    assert scored_text(page) == f"1 of {total} scored"
    assert "This answer is scored" in (page.text_content("#swg-rubric-status") or "")
    page.fill("#swg-comment", "Good use of paragraph numbers.")
    # by keyboard: n goes to the next answer and focuses its heading; digits pick levels criterion by criterion
    page.focus("#swg-answer-h")
    page.keyboard.press("n")
    assert page.evaluate("() => document.activeElement.id") == "swg-answer-h"
    assert "Answer 2 of" in (page.text_content("#swg-answer-h") or "")
    for _ in range(criteria_count(page)):
        page.keyboard.press("1")
    assert scored_text(page) == f"2 of {total} scored"
    checked = page.eval_on_selector_all("#swg-answer input:checked", "i => i.map(x => x.value)")
    assert checked == ["1"] * criteria_count(page)
    page.keyboard.press("p")
    assert "Answer 1 of" in (page.text_content("#swg-answer-h") or "")
    page.keyboard.press("j")
    page.keyboard.press("k")
    assert "Answer 1 of" in (page.text_content("#swg-answer-h") or "")
    # hide names
    page.check("#swg-hide")
    heading = page.text_content("#swg-answer-h") or ""
    assert "Student " in heading and name not in heading and student_id not in heading
    assert name not in (page.text_content("#swg-answer") or "")
    # resume after a reload: the same files give back the levels, the comment, the place and the hidden names
    page.wait_for_timeout(400)
    page.reload()
    page.wait_for_selector("#swg-files")
    load(page, "#swg-files", str(klass.zip))
    assert scored_text(page) == f"2 of {total} scored"
    assert page.is_checked("#swg-hide")
    assert "restored" in (page.text_content("#swg-status") or "")
    assert page.input_value("#swg-comment") == "Good use of paragraph numbers."
    # the totals include the rubric points
    page.uncheck("#swg-hide")
    assert name in (page.text_content("#swg-answer-h") or "")


# ---------------------------------------------------------------------------------------------------- exports


def _score_two(page) -> None:
    score_current(page, [2] * criteria_count(page))
    page.fill("#swg-comment", "=Cites well; see paragraph 5.")
    page.click('[data-swg="next"]')
    score_current(page, [1] + [0] * (criteria_count(page) - 1))


def test_exports_equal_the_command_line(editions, open_page, klass, tmp_path):
    page = open_grading(open_page, editions).page
    load(page, "#swg-files", str(klass.zip))
    _score_two(page)
    rubric = saved_download(page, "#swg-rubric-export", tmp_path)
    assert rubric.name == "rubric-scores.csv"
    gradebook = saved_download(page, "#swg-gradebook", tmp_path)
    assert gradebook.name == "gradebook.csv"
    done = run_cli(["grade", klass.zip.name, "--rubric-scores", str(rubric), "--out", str(tmp_path / "cli.csv"),
                    "--feedback-dir", str(tmp_path / "cli-feedback")], klass.root)
    assert (tmp_path / "cli.csv").exists(), done.stderr
    assert gradebook.read_bytes() == (tmp_path / "cli.csv").read_bytes()
    rows = list(csv.DictReader(io.StringIO(gradebook.read_text("utf-8-sig"))))
    assert any(r[k] for r in rows for k in r if k.startswith("rubric:")), "no rubric level reached the gradebook"
    # feedback pages: the same files, the same scores and explanations
    feedback = saved_download(page, "#swg-feedback", tmp_path)
    with zipfile.ZipFile(feedback) as z:
        pages = {Path(n).name: z.read(n).decode("utf-8") for n in z.namelist() if not n.endswith("/")}
    cli_pages = {p.name: p.read_text("utf-8") for p in (tmp_path / "cli-feedback").iterdir() if p.is_file()}
    assert sorted(pages) == sorted(cli_pages)
    assert pages == cli_pages
    assert any("Cites well" in text for text in pages.values()), "the comment is not on the feedback page"


def test_the_plain_csv_choice_gives_each_set_its_maximum(editions, open_page, klass):
    """A teacher sets the LMS grade item's maximum from the list at Points of: each set shows its full points."""
    page = open_grading(open_page, editions).page
    load(page, "#swg-files", str(klass.zip))
    book = json.loads(page.eval_on_selector("#sw-class-book", "e => e.textContent"))
    shown = page.eval_on_selector_all("#swg-plain-set option", "os => os.map(o => [o.value, o.textContent])")
    every = sum(Fraction(str(s["points"])) for s in book["sets"])
    assert shown[0] == ["", f"Total of every set (out of {round(float(every), 2):g})"]
    expected = {s["id"]: f'{s["title"]} (out of {round(float(Fraction(str(s["points"]))), 2):g})' for s in book["sets"]}
    assert dict(shown[1:]) == expected


def test_rubric_scores_round_trip(editions, open_page, klass, tmp_path):
    page = open_grading(open_page, editions).page
    load(page, "#swg-files", str(klass.zip))
    _score_two(page)
    first = saved_download(page, "#swg-rubric-export", tmp_path / "a")
    fresh = open_grading(open_page, editions).page  # a new context: nothing kept
    load(fresh, "#swg-files", str(klass.zip))
    assert scored_text(fresh).startswith("0 of")
    fresh.set_input_files("#swg-rubric-import", str(first))
    fresh.wait_for_function("() => /Imported/.test(document.getElementById('swg-export-status').textContent)")
    assert scored_text(fresh).startswith("2 of")
    again = saved_download(fresh, "#swg-rubric-export", tmp_path / "b")
    assert again.read_bytes() == first.read_bytes()


def canvas_export(path: Path, students=STUDENTS[:4]) -> Path:
    """A Canvas gradebook export: four of the five students, and one Canvas student with no submission."""
    lines = [["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Homework 1 (7001)"],
             ["    Points Possible", "", "", "", "", "10"]]
    for name, student_id, _prefix, canvas in students:
        first, last = name.split(" ", 1)
        lines.append([f"{last}, {first}", str(canvas), student_id, f"{first.lower()}@school.example", "Period 2", ""])
    lines.append(["Nobody, Nora", "1077", "s077", "nora@school.example", "Period 2", ""])
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows(lines)
    path.write_text(buffer.getvalue(), "utf-8")
    return path


def test_canvas_import_lists_the_unmatched_student(editions, open_page, klass, tmp_path):
    page = open_grading(open_page, editions).page
    load(page, "#swg-files", str(klass.zip))
    export = canvas_export(tmp_path / "canvas-export.csv")
    page.set_input_files("#swg-canvas-file", str(export))
    made = saved_download(page, "#swg-canvas", tmp_path)
    unmatched = page.text_content("#swg-unmatched") or ""
    assert "s005" in unmatched and "Nobody" in unmatched, unmatched
    assert "not matched" in (page.text_content("#swg-export-status") or "")
    gradebook = saved_download(page, "#swg-gradebook", tmp_path)
    done = run_cli(["lms", "canvas", str(gradebook), "--canvas-export", str(export), "--out",
                    str(tmp_path / "cli-canvas.csv")], tmp_path)
    assert (tmp_path / "cli-canvas.csv").exists(), done.stderr
    assert made.read_bytes() == (tmp_path / "cli-canvas.csv").read_bytes()
    page.check("#swg-mode-total")
    total = saved_download(page, "#swg-canvas", tmp_path / "t")
    header = next(csv.reader(io.StringIO(total.read_text("utf-8"))))
    assert len(header) == 6, header
    plain = saved_download(page, "#swg-plain", tmp_path)
    assert plain.read_text("utf-8").splitlines()[0] == "student_id,points"


# ------------------------------------------------------------------------------------- accessibility, keyboard


def test_no_axe_or_htmlcs_violation_before_and_after(editions, open_page, klass, axe_source, htmlcs_source):
    page = open_grading(open_page, editions).page
    found = describe_violations("before", run_axe(page, axe_source))
    found += describe_htmlcs("before", run_htmlcs(page, htmlcs_source))
    load(page, "#swg-files", str(klass.zip))
    _score_two(page)
    page.check("#swg-hide")
    page.wait_for_timeout(1200)  # the re-grade after a pause in scoring
    found += describe_violations("after", run_axe(page, axe_source))
    found += describe_htmlcs("after", run_htmlcs(page, htmlcs_source))
    assert not found, format_violations(found)


def tab_to(page, test: str, limit: int = 300) -> None:
    """Press Tab until ``test`` (a JS expression on ``el``, the focused element) holds."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => {{ const el = document.activeElement; return !!el && ({test}); }}"):
            return
    pytest.fail(f"Tab never reached an element where {test}")


def choose_by_keyboard(page, input_id: str, attempts: int = 3):
    """The file chooser that Space on the focused file input opens. Headless Chromium now and then loses the event
    (a known harness flake: one failed fresh-clone run of many, never seen on a quiet machine), so a press that opened
    nothing within 7 s is made again, with the focus checked to be still on the input."""
    for _ in range(attempts):
        assert page.evaluate("document.activeElement && document.activeElement.id") == input_id
        try:
            with page.expect_file_chooser(timeout=7000) as chooser:
                page.keyboard.press("Space")
            return chooser.value
        except sync_api.TimeoutError:
            continue
    pytest.fail(f"Space on the focused #{input_id} never opened the file chooser ({attempts} presses)")


def test_keyboard_only(editions, open_page, klass, tmp_path):
    """Load, sort, score, export with the keyboard alone; focus stays on what was used."""
    opened = open_grading(open_page, editions)
    opened.page.evaluate("() => localStorage.clear()")  # no rubric progress kept from an earlier test's class
    opened.reload()
    page = opened.page
    tab_to(page, "el.id === 'swg-files'")
    choose_by_keyboard(page, "swg-files").set_files(str(klass.zip))
    wait_graded(page)
    tab_to(page, "el.dataset.sort === 'total'")
    page.keyboard.press("Enter")
    # each state is waited for (a loaded machine can be slow to redraw), and fails the test if it never comes
    page.wait_for_function("""() => document.querySelector('th[data-col="total"]')
                               ?.getAttribute('aria-sort') === 'ascending'""", timeout=30000)
    assert page.evaluate("() => document.activeElement.dataset.sort") == "total"
    tab_to(page, "el.type === 'radio'")
    for _ in range(criteria_count(page)):
        page.keyboard.press("2")
    page.wait_for_function("() => (document.querySelector('#swg-scored')?.textContent || '').startsWith('1 of')",
                           timeout=30000)
    page.keyboard.press("n")
    tab_to(page, "el.type === 'radio'")
    page.keyboard.press("ArrowDown")
    page.wait_for_function("() => document.querySelectorAll('#swg-answer input:checked').length === 1",
                           timeout=30000)
    tab_to(page, "el.id === 'swg-gradebook'")
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    assert info.value.suggested_filename == "gradebook.csv"


# -------------------------------------------------------------------------------------------------- editions


def test_only_the_instructor_edition_has_the_tool(editions):
    for name in ("practice", "assessment"):
        page = (editions[name].html / GRADE_PAGE).read_text("utf-8")
        assert "sw-class-book" not in page and "sw-grade-page" not in page and 'id="sw-grade"' not in page, name
        assert "appears only in the instructor edition" in page, name
    page = (editions["instructor"].html / GRADE_PAGE).read_text("utf-8")
    assert 'id="sw-class-book"' in page and "sw-grade-page.js" in page
    loaded = [name for name in re.findall(r'<script[^>]*src="[^"]*/_static/(sw-[^"?]+)', page)]
    assert loaded == grading_assets()[1], "the grading page's scripts are missing or out of order"
