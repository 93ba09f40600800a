"""B4 grading: grade 1,000 and 10,000 synthetic submissions of the whole book; compare with merely parsing them.

Each submission answers every item of the real book (``exercises/``) with a random response of the right shape (the
key about a third of the time), as ``core.submission.build_submission`` writes it. Three timings per size, all in
one process over the same files on disk (the OS page cache warm for each, after one untimed read):

- parse: read every file and ``json.loads`` it (the floor: nothing can grade without this);
- read + check: ``core.submission.read_submission`` on every file (UTF-8, JSON without repeated keys or NaN, every
  field's type): the share of the work that is reading, before any item is scored;
- grade: ``grader.grade_files`` (read, check, score every item), then with ``write_gradebook`` too, the work of
  ``sourcework grade`` without its feedback pages (the goal is judged on this one);
- the whole command, ``sourcework grade DIR --out … --no-progress`` in a fresh process (start-up, loading the book,
  feedback pages written), once, for the wall time a teacher waits;
- a floor: four steps no grader that writes this gradebook can skip, each timed alone as this code does it
  (reading and checking every file while keeping them all, since the gradebook is written after the last one;
  scoring each distinct answer once; turning each constructed response into its JSON cell; writing the finished
  gradebook's bytes to disk), timed once, after the grading runs (so the scorer's per-item caches are warm, as in
  the best-of timings above). Their sum shows how much of the 3× budget is left for everything else: keying every
  answer, building the other cells of each row, summing sets and skills, joining and encoding the rows.

Goal: grade ≤ 3× parse.
"""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import sys
import time
from fractions import Fraction
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import REPO, WORK, table  # noqa: E402

from sourcework.core.corpus import load_corpus  # noqa: E402
from sourcework.core.items import load_exercises  # noqa: E402
from sourcework.core.model import content_hash  # noqa: E402
from sourcework.core.scoring import memo_keyer, score  # noqa: E402
from sourcework.core.submission import Submission, build_submission, read_submission  # noqa: E402
from sourcework.grader.grade import (  # noqa: E402
    _csv_field,
    _json_text,
    _no_cycle_collection,
    grade_files,
    write_atomic,
    write_gradebook,
)

SIZES = (1000, 10000)
GOAL = 3.0


def response(item, rng: random.Random):
    keyed = rng.random() < 1 / 3

    def subset(ids):
        return [i for i in ids if rng.random() < 0.5] or [rng.choice(ids)]

    if item.type == "choice":
        return item.key if keyed else rng.choice([o.id for o in item.options])
    if item.type in ("select", "mark"):
        ids = [o.id for o in (item.options if item.type == "select" else item.spans)]
        return list(item.key) if keyed else subset(ids)
    if item.type == "order":
        ids = [e.id for e in item.events]
        rng.shuffle(ids)
        return list(item.key) if keyed else ids
    if item.type == "grid":
        cols = [c.id for c in item.columns]
        return {row.id: (list(row.key) if keyed else subset(cols)) if len(row.key) > 1
                else (row.key[0] if keyed else rng.choice(cols)) for row in item.rows}
    if item.type == "numeric":
        answer = item.answer or Fraction(0)
        return f"{float(answer):g}" if keyed else rng.choice([f"{float(answer) + 3:g}", "12,345", "2.05%", "n/a"])
    if item.type == "two-part":
        return {"a": item.part_a.key if keyed else rng.choice([o.id for o in item.part_a.options]),
                "b": item.part_b.key if keyed else rng.choice([o.id for o in item.part_b.options])}
    return {"text": "A constructed response " * rng.randint(5, 60),
            "self": {c.id: rng.choice([lv.points for lv in c.levels]) for c in item.rubric}}


def make_files(sets, count: int) -> Path:
    folder = WORK / f"submissions-{count}-{content_hash(sets)[:12]}"
    if folder.exists() and len(list(folder.glob("*.json"))) == count:
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    rng = random.Random(count)
    items = [item for s in sets for item in s.items]
    for n in range(count):
        answers = {item.id: response(item, rng) for item in items if rng.random() < 0.95}
        data = build_submission(sets=sets, student_name=f"Student {n}", student_id=f"s{n:05d}", answers=answers,
                                book="Bench", exported_at="2026-01-01T00:00:00+00:00")
        (folder / f"s{n:05d}.json").write_text(json.dumps(data, ensure_ascii=False, indent=2), "utf-8")
    return folder


def parse_all(paths: list[Path]) -> int:
    total = 0
    for path in paths:
        total += len(json.loads(path.read_text("utf-8"))["answers"])
    return total


def read_all(paths: list[Path]) -> int:
    return sum(isinstance(read_submission(path), Submission) for path in paths)


def floor(paths: list[Path], sets, gradebook: Path) -> dict[str, float]:
    """The four unavoidable steps, each timed alone (seconds); see the module's docstring."""
    items = [item for s in sets for item in s.items]
    times = {}
    with _no_cycle_collection():  # as the grader runs
        start = time.perf_counter()
        kept = [read_submission(path) for path in paths]
        times["read and keep"] = time.perf_counter() - start
        distinct = []
        for item in items:
            keyer = memo_keyer(item)
            answers = {}
            for submission in kept:
                answer = submission.answers.get(item.id)
                answers.setdefault(keyer(answer), answer)
            distinct.append((item, list(answers.values())))
        start = time.perf_counter()
        for item, answers in distinct:
            for answer in answers:
                score(item, answer)
        times["score each distinct answer"] = time.perf_counter() - start
        essays = [submission.answers[item.id] for submission in kept for item in items
                  if memo_keyer(item) is not repr and item.id in submission.answers]  # as the gradebook decides
        start = time.perf_counter()
        for answer in essays:
            _csv_field(_json_text(answer))
        times["constructed responses as cells"] = time.perf_counter() - start
        data = gradebook.read_bytes()
        start = time.perf_counter()
        write_atomic(WORK / "floor-gradebook.csv", data)
        times["write the gradebook"] = time.perf_counter() - start
    return times


def best_of(runs: int, action) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def run() -> tuple[str, dict]:
    corpus = load_corpus(REPO)
    sets, problems = load_exercises(REPO, corpus)
    items = sum(len(s.items) for s in sets)
    results = {}
    for count in SIZES:
        folder = make_files(sets, count)
        paths = sorted(folder.glob("*.json"))
        parse_all(paths)  # warm the page cache
        runs = 3 if count <= 1000 else 2
        parse = best_of(runs, lambda paths=paths: parse_all(paths))
        read = best_of(runs, lambda paths=paths: read_all(paths))
        out = WORK / f"gradebook-{count}.csv"

        def grade_only(paths=paths):
            graded = grade_files(paths, sets=sets)
            assert len(graded.students) == len(paths), graded.issues[:3]

        def grade(paths=paths, out=out):
            graded = grade_files(paths, sets=sets)
            assert len(graded.students) == len(paths), graded.issues[:3]
            write_gradebook(graded, out)

        scored = best_of(runs, grade_only)
        graded = best_of(runs, grade)
        cli_out = WORK / f"cli-{count}"
        shutil.rmtree(cli_out, ignore_errors=True)
        cli_out.mkdir(parents=True)
        start = time.perf_counter()
        done = subprocess.run([str(Path(sys.executable).with_name("sourcework")), "--root", str(REPO), "grade",
                               str(folder), "--out", str(cli_out / "gradebook.csv"), "--no-progress"],
                              capture_output=True, text=True)
        cli = time.perf_counter() - start
        if not (cli_out / "gradebook.csv").exists():
            raise RuntimeError(f"sourcework grade failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
        if "made from other exercises" in done.stderr:
            raise RuntimeError("the exercises changed while the benchmark ran; run it again")
        results[count] = {"parse": parse, "read": read, "scored": scored, "grade": graded, "cli": cli,
                          "ratio": graded / parse, "floor": floor(paths, sets, out)}
    rows = [[f"{n:,}", f"{r['parse']:.2f}", f"{r['read']:.2f} ({r['read'] / r['parse']:.1f}×)",
             f"{r['scored']:.2f} ({r['scored'] / r['parse']:.1f}×)", f"{r['grade']:.2f}", f"{n / r['grade']:,.0f}",
             f"**{r['ratio']:.1f}×**", f"{r['cli']:.1f}", f"{n / r['cli']:,.0f}"] for n, r in results.items()]
    worst = max(r["ratio"] for r in results.values())
    text = table(["submissions", "parse s", "read + check s (÷ parse)", "grade_files s (÷ parse)",
                  "+ gradebook s", "graded/s", "grade ÷ parse", "whole CLI s", "CLI files/s"], rows)
    text += (f"\n\nEach submission answers ~95% of the book's {items} items ({len(sets)} sets). Grading with the "
             f"gradebook written is **{worst:.1f}×** parsing at worst (goal ≤ {GOAL:.0f}×: "
             f"**{'met' if worst <= GOAL else 'NOT met'}**). The whole command also writes one feedback page per "
             "student.")
    if problems:
        text += f" (The exercises had {len(problems)} problem(s) when measured.)"
    largest = max(results)
    parts = results[largest]["floor"]
    parse = results[largest]["parse"]
    text += ("\n\n" + table(["unavoidable step, alone (" + f"{largest:,} submissions)", "s", "÷ parse"],
                            [[name, f"{seconds:.2f}", f"{seconds / parse:.2f}×"] for name, seconds in parts.items()]
                            + [["**sum: the floor**", f"{sum(parts.values()):.2f}",
                                f"**{sum(parts.values()) / parse:.2f}×**"]]))
    left = GOAL - sum(parts.values()) / parse
    rest = (f"keying {items} answers, building the other cells of a row, summing sets and skills, and joining and "
            "encoding the rows")
    text += (f"\n\nThe floor leaves {left:.2f}× parse time ({left * parse / largest * 1e6:.0f} µs per student) of "
             f"the {GOAL:.0f}× budget for {rest}." if left > 0 else
             f"\n\nThe floor alone takes the whole {GOAL:.0f}× budget, before {rest}.")
    return text, {"results": results, "worst": worst}


if __name__ == "__main__":
    print(run()[0])
