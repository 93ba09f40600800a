"""Round trip: answer every set in the browser, download the submission, grade it with ``sourcework grade``.

Practice edition: each item is answered (the key about a third of the time, otherwise a plausible wrong or partial
answer) and checked; the page shows "x of y points" and saves the exact score. The downloaded file is graded by the
command line, and the gradebook's ``item:<id>`` cell must equal what the browser showed, item by item (both are the
display rounding of the same exact fraction), and the exact score the browser saved must equal the Python scorer's.

Assessment edition: the page shows no score, so the *same* answers are given there and saved; the grade of the
downloaded file must equal what the practice edition showed for them, item by item.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
from fractions import Fraction

import pytest
from conftest import Edition, assert_fresh
from swpage import answer, item_selector, multi_rows, random_response, saved_records, shown_points, submit

from sourcework.core.numbers import format_points
from sourcework.core.scoring import score
from sourcework.grader.grade import read_gradebook

pytestmark = pytest.mark.browser


def answer_book(edition: Edition, open_page, responses: dict, *, student: tuple[str, str], downloads) -> tuple:
    """Answer every item of every exercise page; return (shown feedback by item, stored records, submission)."""
    shown: dict[str, str] = {}
    context = None
    last = None
    for path in edition.exercise_pages():
        opened = open_page(edition, edition.rel(path), context=context)
        context = opened.context
        page = opened.page
        for item_id in page.eval_on_selector_all("section.sw-item", "s => s.map(e => e.dataset.swId)"):
            item = edition.items[item_id]
            response = responses[item_id](multi_rows(page, item_id))
            answer(page, item, response)
            shown[item_id] = submit(page, item_id)
        assert not opened.own_errors(), opened.own_errors()
        last = page
    assert last is not None, f"the {edition.name} edition has no exercise pages"
    records = saved_records(last)
    last.locator(".sw-set .sw-student-name").first.fill(student[0])
    last.locator(".sw-set .sw-student-id").first.fill(student[1])
    with last.expect_download() as info:
        last.locator('.sw-set button[data-sw-action="download"]').first.click()
    target = downloads / f"{edition.name}.json"
    info.value.save_as(target)
    return shown, records, target


def planned_responses(edition: Edition) -> dict:
    """One response per item, decided once (per-item seeds) so every edition gets the same answers.

    A grid row shown as checkboxes in one edition but radios in another gets ``[col]`` instead of ``col``.
    """
    plans = {}
    for item_id, item in edition.items.items():
        base_rng_seed = f"roundtrip:{item_id}"

        def plan(multi: set[str], item=item, seed=base_rng_seed):
            keyed_multi = {row.id for row in item.rows if len(row.key) > 1}
            response = random_response(item, random.Random(seed), multi_rows=keyed_multi)
            if item.type == "grid":
                response = {row: [v] if (row in multi and isinstance(v, str)) else v for row, v in response.items()}
            return response

        plans[item_id] = plan
    return plans


def grade(edition: Edition, files, tmp_path) -> dict[str, dict[str, str]]:
    out = tmp_path / "gradebook.csv"
    cli = [sys.executable, "-m", "sourcework.cli", "--root", str(edition.book), "grade", *map(str, files),
           "--out", str(out), "--no-progress"]
    done = subprocess.run(cli, capture_output=True, text=True)
    assert out.exists(), f"sourcework grade wrote no gradebook:\n{done.stdout}\n{done.stderr}"
    return {row["student_id"]: row for row in read_gradebook(out)}


def test_practice_and_assessment_round_trip(editions, open_page, tmp_path):
    practice, assessment = editions["practice"], editions["assessment"]
    plans = planned_responses(practice)
    shown, records, practice_file = answer_book(practice, open_page, plans, student=("Pat Practice", "rt-practice"),
                                                downloads=tmp_path)
    _, a_records, assessment_file = answer_book(assessment, open_page, plans,
                                                student=("Ash Assessment", "rt-assessment"), downloads=tmp_path)
    assert not any("score" in (r or {}) for r in a_records.values()), "the assessment edition saved a score"

    assert_fresh(practice)
    assert_fresh(assessment)
    book = grade(practice, [practice_file, assessment_file], tmp_path)
    assert set(book) == {"rt-practice", "rt-assessment"}, f"graded: {list(book)}"
    submitted = json.loads(practice_file.read_text("utf-8"))["answers"]
    a_submitted = json.loads(assessment_file.read_text("utf-8"))["answers"]

    for label, answers in (("practice", submitted), ("assessment", a_submitted)):
        missing = sorted(set(shown) - set(answers))
        assert not missing, (f"the {label} download lacks {len(missing)} answer(s) given on other pages: "
                             f"{missing[:10]} (are all pages built with the same content hash?)")
    mismatches = []
    for item_id, item in practice.items.items():
        if item_id not in shown:
            continue  # on no page of the book
        record = records.get(item_id) or {}
        saved = record.get("score")
        assert saved, f"{item_id}: Check saved no score ({record})"
        exact = score(item, submitted[item_id])
        if (Fraction(saved["earned"]), saved["status"]) != (exact.earned, exact.status):
            mismatches.append(f"{item_id}: browser scored {saved}, Python scores {exact.earned} ({exact.status}) "
                              f"for {submitted[item_id]!r}")
        expected_cell = "" if saved["status"] == "ungraded" else format_points(Fraction(saved["earned"]))
        displayed = shown_points(shown[item_id])
        if displayed and displayed[0] != expected_cell:
            mismatches.append(f"{item_id}: the page showed {displayed[0]} but saved {saved['earned']}")
        for student, answers in (("rt-practice", submitted), ("rt-assessment", a_submitted)):
            cell = book[student].get(f"item:{item_id}")
            if cell != expected_cell:
                mismatches.append(f"{item_id}: {student} graded {cell!r}, the browser showed {expected_cell!r} "
                                  f"({shown[item_id].splitlines()[0]!r}) for {answers.get(item_id)!r}")
    statuses = sorted({(r or {}).get("score", {}).get("status", "") for r in records.values()})
    print("statuses seen:", statuses)
    assert not mismatches, f"{len(mismatches)} mismatch(es):\n" + "\n".join(mismatches)


def test_downloaded_answers_are_what_was_entered(editions, open_page, tmp_path):
    """The submission carries exactly the responses the controls hold (practice edition, first set)."""
    edition = editions["practice"]
    path = edition.exercise_pages()[0]
    opened = open_page(edition, edition.rel(path))
    page = opened.page
    rng = random.Random(11)
    entered = {}
    for item_id in page.eval_on_selector_all("section.sw-item", "s => s.map(e => e.dataset.swId)"):
        item = edition.items[item_id]
        entered[item_id] = random_response(item, rng, multi_rows=multi_rows(page, item_id))
        answer(page, item, entered[item_id])
        page.locator(item_selector(item_id)).scroll_into_view_if_needed()
    with page.expect_download() as info:
        page.locator('.sw-set button[data-sw-action="download"]').first.click()
    data = json.loads(open(info.value.path(), encoding="utf-8").read())
    assert data["format"] == "sourcework-submission/1" and data["edition"] == "practice"
    for item_id, response in entered.items():
        got = data["answers"].get(item_id)
        kind = edition.items[item_id].type
        if kind == "response" and isinstance(got, dict):
            got = {k: v for k, v in got.items() if k in response}
        assert unordered(kind, got) == unordered(kind, response), f"{item_id}: entered {response!r}, downloaded {got!r}"


def unordered(kind: str, response):
    """Responses compared as the scorer reads them: the order of a select, mark or grid-row list does not count."""
    if kind in ("select", "mark") and isinstance(response, list):
        return sorted(response)
    if kind == "grid" and isinstance(response, dict):
        return {k: sorted(v) if isinstance(v, list) else v for k, v in response.items()}
    return response
