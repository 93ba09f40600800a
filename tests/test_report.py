"""Item analysis: on a synthetic class, every statistic equals a value computed here independently (plain numpy and
loops over the CSV, not the report's code); bad gradebooks get a clear error, not a traceback; the HTML has alt
text and data tables; the report runs from 1 student to thousands."""

from __future__ import annotations

import csv
import json
import math
import random
import re
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from bs4 import BeautifulSoup

from sourcework.core.corpus import load_corpus
from sourcework.core.items import load_exercises
from sourcework.core.model import Item, ItemSet
from sourcework.core.scoring import score, score_rubric
from sourcework.export import itemstats
from sourcework.export.itemstats import cronbach_alpha, kr20, pearson, r_interval
from sourcework.export.report import ReportError, analyse, read_gradebook, render_html, summary, write_report

ROOT = Path(__file__).resolve().parent.parent
BOOK = ROOT / "tests" / "books" / "tools"
REVERSED = "tools.genre"  # the synthetic class answers this item *worse* the abler it is


@pytest.fixture(scope="module")
def sets() -> list[ItemSet]:
    item_sets, problems = load_exercises(BOOK, load_corpus(BOOK))
    assert not problems, problems
    return item_sets


# ------------------------------------------------------------------------------------- a synthetic class


def _wrong(ids: list[str], key: set[str], rng: random.Random) -> str:
    return rng.choice([i for i in ids if i not in key] or ids)


def _response(item: Item, good: bool, rng: random.Random):
    """A response of the right shape: the key when ``good``, else a plausible mistake."""
    if item.type == "choice":
        return item.key if good else _wrong([o.id for o in item.options], {item.key}, rng)
    if item.type in ("select", "mark"):
        ids = [o.id for o in item.options] if item.type == "select" else [s.id for s in item.spans]
        return list(item.key) if good else [_wrong(ids, set(item.key), rng)] + list(item.key)[:1]
    if item.type == "grid":
        return {row.id: (list(row.key) if len(row.key) > 1 else row.key[0]) if good or rng.random() < 0.5
                else _wrong([c.id for c in item.columns], set(row.key), rng) for row in item.rows}
    if item.type == "numeric":
        return f"{float(item.answer):g}" if good else "3.5"
    if item.type == "order":
        return list(item.key) if good else list(reversed(item.key))
    if item.type == "two-part":
        a = item.part_a.key if good or rng.random() < 0.4 else _wrong([o.id for o in item.part_a.options],
                                                                      {item.part_a.key}, rng)
        b = item.part_b.key if good else _wrong([o.id for o in item.part_b.options], {item.part_b.key}, rng)
        return {"a": a, "b": b}
    return {"text": "A response.", "self": {}}


def _random_response(item: Item, rng: random.Random):
    """A response chosen at random among the item's own answers: no link to the student's ability."""
    def some(ids: list[str]) -> list[str]:
        return [i for i in ids if rng.random() < 0.5] or [rng.choice(ids)]

    if item.type == "choice":
        return rng.choice([o.id for o in item.options])
    if item.type == "select":
        return some([o.id for o in item.options])
    if item.type == "mark":
        return some([s.id for s in item.spans])
    if item.type == "grid":
        return {row.id: rng.choice([c.id for c in item.columns]) for row in item.rows}
    if item.type == "numeric":
        return f"{float(item.answer):g}" if rng.random() < 0.4 else "3.5"
    if item.type == "order":
        return rng.sample(list(item.key), len(item.key))
    if item.type == "two-part":
        return {"a": rng.choice([o.id for o in item.part_a.options]),
                "b": rng.choice([o.id for o in item.part_b.options])}
    return {"text": "A response.", "self": {}}


def _miskeyed_response(item: Item, good: bool, rng: random.Random):
    """A choice item whose key is wrong: able students choose the truly right option ("the first option that is not
    the key"), the others guess among all options, so only some guessers earn the point."""
    ids = [o.id for o in item.options]
    return next(i for i in ids if i != item.key) if good else rng.choice(ids)


def make_class(sets: list[ItemSet], n: int, seed: int = 7, *, skip_second: float = 0.2,
               unscored: float = 0.1, reversed_id: str | None = REVERSED, at_random: bool = False,
               miskeyed: str | None = None) -> tuple[list[str], list[list[str]]]:
    """A gradebook (header, rows) as `sourcework grade` writes it, for ``n`` students with a latent ability.

    ``at_random``: every answer (and every rubric level) is drawn at random, unrelated to ability. ``miskeyed``: that
    choice item behaves as if its key were wrong (see ``_miskeyed_response``)."""
    rng = random.Random(seed)
    items = [item for item_set in sets for item in item_set.items]
    skills = sorted({item.skill for item in items})
    header = (["student_id", "student_name", "file", "total", "possible", "percent"]
              + [f"set:{s.id}" for s in sets] + [f"skill:{k}" for k in skills] + [f"item:{i.id}" for i in items]
              + [f"rubric:{i.id}:{c.id}" for i in items for c in i.rubric] + [f"response:{i.id}" for i in items])
    rows = []
    for student in range(n):
        ability = rng.gauss(0, 1)
        skipped = {"second"} if rng.random() < skip_second else set()
        earned: dict[str, str] = {}
        responses: dict[str, str] = {}
        rubric: dict[str, str] = {}
        for item in items:
            if item.set_id in skipped:
                earned[item.id], responses[item.id] = "0", ""
                continue
            slope = -1.5 if item.id == reversed_id else 1.5
            good = rng.random() < 1 / (1 + math.exp(-slope * ability))
            if at_random:
                response = _random_response(item, rng)
            elif item.id == miskeyed:
                response = _miskeyed_response(item, good, rng)
            else:
                response = _response(item, good, rng)
            if item.type == "response":
                if rng.random() < unscored:
                    earned[item.id] = ""
                else:
                    levels = {c.id: rng.randint(0, c.max_points) if at_random else
                              max(0, min(c.max_points, round(c.max_points * (0.5 + 0.4 * ability))))
                              for c in item.rubric}
                    earned[item.id] = _decimal(score_rubric(item, levels).earned)
                    rubric.update({f"{item.id}:{cid}": str(v) for cid, v in levels.items()})
            else:
                earned[item.id] = _decimal(score(item, response).earned)
            text = json.dumps(response, separators=(",", ":"))
            responses[item.id] = ("'" + text) if rng.random() < 0.1 else text  # formula-neutralised cells
        total = sum(float(v) for v in earned.values() if v)
        row = [f"s{student:05d}", f"Student {student}", f"s{student}.json", f"{total:g}", "", ""]
        row += ["" for _ in sets] + ["" for _ in skills]
        row += [("'" + earned[i.id]) if earned[i.id] and rng.random() < 0.05 else earned[i.id] for i in items]
        row += [rubric.get(f"{i.id}:{c.id}", "") for i in items for c in i.rubric]
        row += [responses[i.id] for i in items]
        rows.append(row)
    return header, rows


def _decimal(value: Fraction) -> str:
    return f"{float(value):.4f}".rstrip("0").rstrip(".")


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([header, *rows])
    return path


# ------------------------------------------------------------------------------ the independent computation


def _num(cell: str) -> float:
    cell = cell.strip().lstrip("'")
    return float(cell) if cell else float("nan")


def expected(sets: list[ItemSet], header: list[str], rows: list[list[str]]) -> dict:
    """Difficulty, r, D, option counts, skill means and histogram straight from the CSV cells."""
    col = {name: i for i, name in enumerate(header)}
    out: dict = {"items": {}, "skills": {}, "percents": []}
    took_by_set = {}
    for item_set in sets:
        took_by_set[item_set.id] = [
            any(r[col[f"response:{i.id}"]].strip() or (_num(r[col[f"item:{i.id}"]]) or 0) > 0 for i in item_set.items)
            for r in rows]
    for item_set in sets:
        took = took_by_set[item_set.id]
        for item in item_set.items:
            xs, rests, chosen = [], [], []
            for s, r in enumerate(rows):
                value = _num(r[col[f"item:{item.id}"]])
                if not took[s] or math.isnan(value):
                    continue
                total = sum(v for i in item_set.items if not math.isnan(v := _num(r[col[f"item:{i.id}"]])))
                xs.append(value / float(item.points))
                rests.append(total - value)
                raw = r[col[f"response:{item.id}"]].strip().lstrip("'")
                chosen.append(json.loads(raw) if raw else None)
            x, rest = np.array(xs), np.array(rests)
            r_value = float(np.corrcoef(x, rest)[0, 1]) if len(x) >= 3 and x.std() > 0 and rest.std() > 0 else None
            g = min(max(1, int(0.27 * len(x) + 0.5)), len(x) // 2)
            order = sorted(range(len(x)), key=lambda k: (rests[k], k))
            d = (np.mean([xs[k] for k in order[-g:]]) - np.mean([xs[k] for k in order[:g]])) if g else None
            out["items"][item.id] = {"n": len(x), "p": float(np.mean(x)), "r": r_value, "d": d, "chosen": chosen}
    by_skill: dict[str, list[float]] = {}
    for s, r in enumerate(rows):
        skill_earned: dict[str, list[float]] = {}
        overall = [0.0, 0.0]
        for item_set in sets:
            if not took_by_set[item_set.id][s]:
                continue
            for item in item_set.items:
                value = _num(r[col[f"item:{item.id}"]])
                if math.isnan(value):
                    continue
                pair = skill_earned.setdefault(item.skill, [0.0, 0.0])
                pair[0] += value
                pair[1] += float(item.points)
                overall[0] += value
                overall[1] += float(item.points)
        for skill, (e, p) in skill_earned.items():
            by_skill.setdefault(skill, []).append(e / p)
        if overall[1]:
            out["percents"].append(100 * overall[0] / overall[1])
    out["skills"] = {k: (len(v), float(np.mean(v))) for k, v in by_skill.items()}
    return out


@pytest.fixture(scope="module")
def synthetic(sets, tmp_path_factory):
    header, rows = make_class(sets, 240)
    path = write_csv(tmp_path_factory.mktemp("report") / "gradebook.csv", header, rows)
    analysis = analyse(read_gradebook(path, sets), sets)
    return {"header": header, "rows": rows, "path": path, "analysis": analysis,
            "expected": expected(sets, header, rows)}


def test_difficulty_discrimination_and_counts_match(synthetic):
    want = synthetic["expected"]["items"]
    got = {s.item.id: s for s in synthetic["analysis"].items}
    assert set(got) == set(want)
    for item_id, w in want.items():
        s = got[item_id]
        assert s.n == w["n"], item_id
        assert s.difficulty == pytest.approx(w["p"], abs=1e-12), item_id
        if w["r"] is None:
            assert s.r is None, item_id
        else:
            assert s.r == pytest.approx(w["r"], abs=1e-9), item_id
        assert s.d == pytest.approx(w["d"], abs=1e-12), item_id


def test_the_reversed_item_is_flagged_with_an_explanation(synthetic, tmp_path):
    flagged = [s.item.id for s in synthetic["analysis"].items if s.flagged]
    assert flagged == [REVERSED]
    soup = BeautifulSoup(render_html(synthetic["analysis"]), "html.parser")
    flags = soup.select(".flag")
    assert len(flags) == 1 and REVERSED in flags[0].get_text()
    assert "check that the key is right" in flags[0].get_text()


def test_option_counts_match(synthetic, sets):
    items = {i.id: i for s in sets for i in s.items}
    got = {s.item.id: s for s in synthetic["analysis"].items}
    for item_id in ("tools.genre", "tools.claims", "second.genres"):
        item, chosen = items[item_id], synthetic["expected"]["items"][item_id]["chosen"]
        counts = {c.label: c.count for c in got[item_id].options[0][1]}
        for option in item.options:
            want = sum(1 for c in chosen if c is not None and option.id in (c if isinstance(c, list) else [c]))
            assert counts[option.text] == want, (item_id, option.id)
        assert counts["(no answer)"] == sum(1 for c in chosen if not c)
        keyed = {c.label for c in got[item_id].options[0][1] if c.keyed}
        key = {item.key} if isinstance(item.key, str) else set(item.key)
        assert keyed == {o.text for o in item.options if o.id in key}
    grid, chosen = items["tools.who-says"], synthetic["expected"]["items"]["tools.who-says"]["chosen"]
    for (part, counts), row in zip(got["tools.who-says"].options, grid.rows, strict=True):
        assert part == row.text
        table = {c.label: c.count for c in counts}
        for column in grid.columns:
            want = sum(1 for c in chosen if c and column.id in (v if isinstance(v := c.get(row.id), list) else [v]))
            assert table[column.label] == want


def test_skill_means_and_histogram_match(synthetic):
    want = synthetic["expected"]
    got = synthetic["analysis"]
    assert set(got.skills) == set(want["skills"])
    for skill, (students, mean) in want["skills"].items():
        assert got.skills[skill][1] == students
        assert got.skills[skill][2] == pytest.approx(mean, abs=1e-12)
    percents = np.array(want["percents"])
    assert np.allclose(np.sort(got.percents), np.sort(percents))
    counts = [sum(1 for p in percents if low <= p < high or (high == 100 and p == 100))
              for low, high in zip(range(0, 100, 10), range(10, 101, 10), strict=True)]
    assert [c for _low, _high, c in got.bins] == counts
    assert sum(counts) == len(percents)


def test_students_who_skipped_a_set_are_left_out_of_it(synthetic):
    col = synthetic["header"].index("response:second.publisher")
    took = sum(1 for r in synthetic["rows"] if r[col].strip())
    assert synthetic["analysis"].set_takers["second"] == took < len(synthetic["rows"])
    assert synthetic["analysis"].set_takers["tools"] == len(synthetic["rows"])


def test_html_is_accessible_and_self_contained(synthetic, tmp_path):
    out = tmp_path / "report.html"
    write_report(synthetic["path"], synthetic["analysis"].sets, out)
    html = out.read_text("utf-8")
    soup = BeautifulSoup(html, "html.parser")
    images = soup.find_all("img")
    assert len(images) == 2
    for img in images:
        assert img["src"].startswith("data:image/png;base64,")
        assert len(img["alt"]) > 40
        assert img.find_parent(class_="chart").find("table"), "each chart has its data table beside it"
    assert soup.html["lang"] == "en" and soup.title.string
    assert not soup.find("script") and "http://" not in html.replace("http://www.w3.org", "")
    for table in soup.find_all("table"):
        assert table.find("caption") and table.find("th", scope=True)
    assert "Student 1" not in html, "no student names in the report"


# ---------------------------------------------------------------------------------------------- sizes


@pytest.mark.parametrize("n", [1, 2, 3])
def test_tiny_classes(sets, tmp_path, n):
    header, rows = make_class(sets, n, seed=n, skip_second=0, unscored=0)
    path = write_csv(tmp_path / "tiny.csv", header, rows)
    analysis = write_report(path, sets, tmp_path / "tiny.html")
    assert all(s.n == n for s in analysis.items)
    if n < 3:
        assert all(s.r is None for s in analysis.items)
    assert len(analysis.percents) == n
    assert all(s.status == "few" and not s.flagged for s in analysis.items)
    assert "too few students to tell" in (tmp_path / "tiny.html").read_text("utf-8")


def test_five_thousand_students(sets, tmp_path):
    header, rows = make_class(sets, 5000, seed=1)
    path = write_csv(tmp_path / "big.csv", header, rows)
    analysis = write_report(path, sets, tmp_path / "big.html")
    assert len(analysis.percents) == 5000
    assert [s.item.id for s in analysis.items if s.flagged] == [REVERSED]


# ------------------------------------------------------------------------------------------- bad input


def _bad(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "bad.csv"
    path.write_text(text, encoding="utf-8")
    return path


def _message(path: Path, sets) -> str:
    with pytest.raises(ReportError) as info:
        read_gradebook(path, sets)
    return str(info.value)


def test_empty_gradebook(sets, tmp_path):
    assert "is empty" in _message(_bad(tmp_path, ""), sets)
    assert "is empty" in _message(_bad(tmp_path, "\n\n  \n"), sets)


def test_header_without_students(sets, tmp_path):
    header, _rows = make_class(sets, 1)
    assert "no students" in _message(write_csv(tmp_path / "h.csv", header, []), sets)


def test_gradebook_from_other_exercises(sets, tmp_path):
    header, rows = make_class(sets, 5)
    header = [h.replace("tools.genre", "oldset.q9") for h in header]
    message = _message(write_csv(tmp_path / "other.csv", header, rows), sets)
    assert "from other exercises" in message and "oldset.q9" in message and "Fix:" in message


@pytest.mark.parametrize(("drop", "words"), [
    ("student_id", "no student_id column"),
    ("item:tools.rate", "item:tools.rate are missing"),
    ("response:tools.claims", "response:tools.claims is missing"),
])
def test_missing_column(sets, tmp_path, drop, words):
    header, rows = make_class(sets, 5)
    keep = [i for i, name in enumerate(header) if name != drop]
    path = write_csv(tmp_path / "missing.csv", [header[i] for i in keep], [[r[i] for i in keep] for r in rows])
    assert words in _message(path, sets)


def test_no_item_columns(sets, tmp_path):
    assert "no item:<id> columns" in _message(_bad(tmp_path, "student_id,total\ns1,3\n"), sets)


def test_bad_cells_are_located(sets, tmp_path):
    header, rows = make_class(sets, 4)
    col = header.index("item:tools.claims")
    rows[2][col] = "lots"
    message = _message(write_csv(tmp_path / "cell.csv", header, rows), sets)
    assert re.search(r"cell\.csv:4: .*item:tools\.claims holds 'lots'", message)
    rows[2][col] = "7"
    assert "outside 0 to 2 points" in _message(write_csv(tmp_path / "cell.csv", header, rows), sets)


def test_not_a_file(sets, tmp_path):
    assert "does not exist" in _message(tmp_path / "nope.csv", sets)
    assert "folder" in _message(tmp_path, sets)
    (tmp_path / "latin1.csv").write_bytes("student_id\nJos\xe9\n".encode("latin-1"))
    assert "not UTF-8" in _message(tmp_path / "latin1.csv", sets)


def test_unreadable_response_is_counted_not_fatal(sets, tmp_path):
    header, rows = make_class(sets, 6, skip_second=0)
    rows[0][header.index("response:tools.genre")] = "{not json"
    analysis = analyse(read_gradebook(write_csv(tmp_path / "u.csv", header, rows), sets), sets)
    assert analysis.gradebook.unreadable == 1
    genre = next(s for s in analysis.items if s.item.id == "tools.genre")
    assert {c.label: c.count for c in genre.options[0][1]}["(other or unreadable)"] == 1


def test_semicolon_csv_and_bom(sets, tmp_path):
    header, rows = make_class(sets, 5)
    path = tmp_path / "excel.csv"
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        csv.writer(handle, delimiter=";").writerows([header, *rows])
    assert read_gradebook(path, sets).students == 5


def test_a_gradebook_written_by_the_grader(sets, tmp_path):
    """End to end: submissions → `grade` → gradebook CSV → report, with difficulty checked against the grader's own
    scores (formula-guarded cells, skipped sets and unscored written responses included)."""
    grade = pytest.importorskip("sourcework.grader.grade")
    from sourcework.core.submission import build_submission

    rng = random.Random(3)
    items = [i for s in sets for i in s.items]
    paths = []
    for n in range(25):
        skip = "second" if n % 4 == 0 else None
        answers = {i.id: _response(i, rng.random() < 0.6, rng) for i in items if i.set_id != skip}
        data = build_submission(sets=sets, student_name=f"=Student {n}", student_id=f"-{n}", answers=answers)
        path = tmp_path / f"s{n}.json"
        path.write_text(json.dumps(data), "utf-8")
        paths.append(path)
    run = grade.grade_files(paths, sets=sets)
    assert not run.rejected
    gradebook = tmp_path / "gradebook.csv"
    grade.write_gradebook(run, gradebook)
    analysis = write_report(gradebook, sets, tmp_path / "report.html")
    assert analysis.set_takers == {"second": 25 - 7, "tools": 25}
    for stats in analysis.items:
        scores = [s.scores[stats.item.id] for s in run.students if stats.item.id in s.scores
                  and s.scores[stats.item.id].status != "ungraded"
                  and not (stats.item.set_id == "second" and not any(i.id in s.submission.answers
                                                                     for i in sets[0].items))]
        if stats.item.type == "response":
            assert stats.n == 0 and stats.difficulty is None  # self-rated only: nothing scored by the teacher
            continue
        want = np.mean([float(sc.earned / sc.possible) for sc in scores])
        assert stats.n == len(scores)
        assert stats.difficulty == pytest.approx(want, abs=0.01), stats.item.id  # cells are rounded to 2 places


@pytest.fixture(scope="module")
def book_sets() -> list[ItemSet]:
    sets, _problems = load_exercises(ROOT, load_corpus(ROOT))
    return sets


def test_real_sets_smoke(tmp_path, book_sets):
    """The book's own sets with a synthetic class: the report is written."""
    sets = book_sets
    if not sets:
        pytest.skip("the book has no exercise sets yet")
    header, rows = make_class(sets, 60)
    analysis = write_report(write_csv(tmp_path / "g.csv", header, rows), sets, tmp_path / "r.html")
    assert len(analysis.items) == sum(len(s.items) for s in sets)


def test_cli_report_and_its_errors(sets, tmp_path, capsys):
    from sourcework.cli import main

    header, rows = make_class(sets, 40)
    gradebook = write_csv(tmp_path / "g.csv", header, rows)
    out = tmp_path / "r.html"
    assert main(["--root", str(BOOK), "report", str(gradebook), "--out", str(out)]) == 0
    assert out.exists() and "40 students" in capsys.readouterr().out
    (tmp_path / "empty.csv").write_text("", "utf-8")
    assert main(["--root", str(BOOK), "report", str(tmp_path / "empty.csv"), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "the gradebook is empty" in err and "Traceback" not in err


# ------------------------------------------------------------------------- flags that do not cry wolf


def test_a_class_answering_at_random_gets_almost_no_flags(book_sets, tmp_path):
    """150 students answering the book's items at random: every item's true discrimination is zero, so any flag is
    false. The stated rate is 0.5% per item (one-sided tail of the 99% interval): about 0.5 expected false flags on
    108 items; at most 2 is allowed (a Poisson(0.54) count exceeds 2 about 2% of the time; this seed is fixed).
    The old rule (flag every r < 0) flagged about half of them (46 to 61 of 108 on seeds 1 to 6)."""
    if not book_sets:
        pytest.skip("the book has no exercise sets yet")
    header, rows = make_class(book_sets, 150, seed=2, at_random=True, skip_second=0, unscored=0)
    analysis = write_report(write_csv(tmp_path / "random.csv", header, rows), book_sets, tmp_path / "random.html")
    judged = [s for s in analysis.items if s.r is not None]
    assert len(judged) >= 80
    assert sum(s.r < 0 for s in judged) >= len(judged) // 4, "the old rule would cry wolf here"
    flags = [s.item.id for s in analysis.items if s.flagged]
    assert len(flags) <= 2, flags
    assert all(s.interval[0] < 0 < s.interval[1] for s in judged if not s.flagged)


def test_the_false_flag_rate_is_the_stated_one():
    """On 0/1 items with no link to each other (sets of 12, difficulty 0.05 to 0.95, 20 or 150 students), the share
    of items flagged is close to the 0.5% the report states, and far below the 2.5% of a 95% interval."""
    assert itemstats.FALSE_FLAG_RATE == pytest.approx(0.005)
    rng = np.random.default_rng(13)
    for n in (20, 150):
        flags = judged = 0
        for _rep in range(250):
            right = (rng.random((n, 12)) < rng.uniform(0.05, 0.95, size=12)).astype(float)
            total = right.sum(axis=1)
            for j in range(12):
                r = pearson(right[:, j], total - right[:, j])
                interval = r_interval(r, n)
                if interval is not None:
                    judged += 1
                    flags += interval[1] < 0
        assert judged > 2500
        assert 0.001 < flags / judged < 0.01, (n, flags, judged)


def test_a_planted_miskeyed_item_is_the_only_flag(sets, tmp_path):
    """150 students; on tools.genre the able students pick a different option than the key (as if the key were
    wrong) and the rest guess. That item, and only that one, is flagged, with its whole interval below zero."""
    header, rows = make_class(sets, 150, seed=11, reversed_id=None, miskeyed="tools.genre")
    analysis = write_report(write_csv(tmp_path / "miskeyed.csv", header, rows), sets, tmp_path / "miskeyed.html")
    flagged = [s for s in analysis.items if s.flagged]
    assert [s.item.id for s in flagged] == ["tools.genre"]
    low, high = flagged[0].interval
    assert low < flagged[0].r < high < 0
    html = (tmp_path / "miskeyed.html").read_text("utf-8")
    soup = BeautifulSoup(html, "html.parser")
    assert len(soup.select(".flag")) == 1 and "99% interval" in soup.select(".flag")[0].get_text()
    assert "Flagged, stronger students did worse" in summary(analysis, "r.html")


def test_a_class_of_ten_is_too_few_to_tell(sets, tmp_path):
    """Ten students, the reversed item included: nothing is flagged, every item and every alpha says why."""
    header, rows = make_class(sets, 10, seed=5, skip_second=0)
    analysis = write_report(write_csv(tmp_path / "ten.csv", header, rows), sets, tmp_path / "ten.html")
    assert not any(s.flagged for s in analysis.items)
    assert {s.status for s in analysis.items} == {itemstats.FEW}
    assert all(rel.alpha is None and "too few students" in rel.reason for rel in analysis.reliability.values())
    soup = BeautifulSoup((tmp_path / "ten.html").read_text("utf-8"), "html.parser")
    flags_text = soup.find(id="flags").find_next("p").get_text()
    assert "Too few students to tell" in flags_text
    notes = [row.find_all("td")[-1].get_text() for row in soup.select("table.wide tbody tr")]
    assert len(notes) == len(analysis.items) and all("Too few students to tell" in note for note in notes)
    assert "too few students to tell" in summary(analysis, "r.html")


def test_an_item_everyone_got_right_is_reported_not_flagged(sets, tmp_path):
    header, rows = make_class(sets, 60, seed=4, skip_second=0)
    item, response = header.index("item:tools.genre"), header.index("response:tools.genre")
    for row in rows:
        row[item], row[response] = "1", json.dumps("b")
    analysis = analyse(read_gradebook(write_csv(tmp_path / "easy.csv", header, rows), sets), sets)
    genre = next(s for s in analysis.items if s.item.id == "tools.genre")
    assert genre.status == itemstats.ALL_RIGHT and genre.difficulty == 1 and genre.r is None and not genre.flagged
    assert "Everyone got full marks" in render_html(analysis)
    for row in rows:
        row[item] = "0"
    analysis = analyse(read_gradebook(write_csv(tmp_path / "hard.csv", header, rows), sets), sets)
    genre = next(s for s in analysis.items if s.item.id == "tools.genre")
    assert genre.status == itemstats.NONE_RIGHT and not genre.flagged


# -------------------------------------------------------------------------------------------- reliability


def test_alpha_of_a_hand_worked_matrix():
    """Right/wrong, 4 students × 3 items: item variances (n − 1) 1/4, 1/3, 1/4 (sum 5/6); totals 3, 2, 1, 0 have
    variance 5/3; alpha = 3/2 · (1 − (5/6)/(5/3)) = 0.75. Partial credit, 3 × 2: items (2, 1, 0) and (1, 1, 0) have
    variances 1 and 1/3; totals (3, 2, 0) variance 7/3; alpha = 2 · (1 − (4/3)/(7/3)) = 6/7."""
    right = np.array([[1, 1, 1], [1, 1, 0], [1, 0, 0], [0, 0, 0]])
    assert cronbach_alpha(right) == pytest.approx(0.75, abs=1e-12)
    assert kr20(right) == pytest.approx(0.75, abs=1e-12)
    assert cronbach_alpha(np.array([[2, 1], [1, 1], [0, 0]])) == pytest.approx(6 / 7, abs=1e-12)
    assert cronbach_alpha(np.array([[1, 0], [1, 0]])) is None  # every total the same
    assert cronbach_alpha(np.array([[1], [0], [1]])) is None  # one item
    assert cronbach_alpha(np.array([[1, 0]])) is None  # one student


def test_kr20_equals_alpha_on_right_wrong_data():
    rng = np.random.default_rng(5)
    for _ in range(50):
        n, k = int(rng.integers(2, 60)), int(rng.integers(2, 15))
        right = (rng.random((n, k)) < rng.uniform(0.1, 0.9, size=k)).astype(int)
        a, b = cronbach_alpha(right), kr20(right)
        assert (a is None) == (b is None)
        if a is not None:
            assert a == pytest.approx(b, abs=1e-12)
            assert cronbach_alpha(3 * right) == pytest.approx(a, abs=1e-12), "equal points: same alpha"


def _alpha_from_csv(set_items: list[Item], header: list[str], rows: list[list[str]]) -> tuple[float, int, int]:
    col = {name: i for i, name in enumerate(header)}
    took = [r for r in rows if any(r[col[f"response:{i.id}"]].strip() or (_num(r[col[f"item:{i.id}"]]) or 0) > 0
                                   for i in set_items)]
    used = [i for i in set_items if any(not math.isnan(_num(r[col[f"item:{i.id}"]])) for r in took)]
    table = [[_num(r[col[f"item:{i.id}"]]) for i in used] for r in took]
    table = [t for t in table if not any(math.isnan(v) for v in t)]
    k, totals = len(used), [sum(t) for t in table]
    item_vars = sum(float(np.var([t[j] for t in table], ddof=1)) for j in range(k))
    return k / (k - 1) * (1 - item_vars / float(np.var(totals, ddof=1))), len(table), k


def test_alpha_per_set_matches_and_the_html_explains_it(synthetic, sets):
    analysis = synthetic["analysis"]
    for item_set in sets:
        rel = analysis.reliability[item_set.id]
        alpha, students, k = _alpha_from_csv(list(item_set.items), synthetic["header"], synthetic["rows"])
        assert (rel.students, rel.items) == (students, k)
        assert rel.alpha == pytest.approx(alpha, abs=1e-9)
        assert not rel.kr20, "partial-credit or unequal points: Cronbach's alpha, not KR-20"
    soup = BeautifulSoup(render_html(analysis), "html.parser")
    sets_table = soup.find("caption", string="Exercise sets in this gradebook").find_parent("table")
    cells = sets_table.get_text(" ")
    for item_set in sets:
        assert f"{analysis.reliability[item_set.id].alpha:.2f}".replace("-", "−") in cells
    assert "Cronbach’s alpha" in cells
    text = soup.get_text(" ")
    for words in ("Reading alpha", "does not tell you whether the set measures the right thing", "KR-20",
                  "Fisher's z", "approximate", "99% interval", "at least 20 students", "once in 200 items",
                  "too few students to tell", "everyone got right", "share of its points"):
        assert words in text, words


def test_kr20_is_named_for_right_wrong_sets():
    rng = np.random.default_rng(2)
    right = (rng.random((40, 6)) < 0.6).astype(float) * 2
    right[:, 0] = rng.random(40) < 0.5  # a 1-point right/wrong item: with it the points are unequal (last line)
    rel = itemstats.reliability(right[:, 1:], np.full(5, 2.0))
    assert rel.kr20 and rel.alpha == pytest.approx(kr20(right[:, 1:] / 2), abs=1e-12)
    gaps = right[:, 1:].copy()
    gaps[3, 2] = np.nan
    rel = itemstats.reliability(gaps, np.full(5, 2.0))
    assert rel.students == 39 and rel.items == 5, "a student with an unscored item is left out of alpha"
    assert not itemstats.reliability(right, np.array([1.0, 2, 2, 2, 2, 2])).kr20
