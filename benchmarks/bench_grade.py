"""B4 grading: `sourcework grade` wall time for classes of 30, 150 and 1,000 submission files.

Each submission answers ~95% of the real book's items (``exercises/``) with a random response of the right shape (the
key about a third of the time), as ``core.submission.build_submission`` writes it. For each size, the whole command
``sourcework grade DIR --out … --no-progress`` runs in a fresh process (start-up, loading the book, reading and
checking, scoring, the gradebook, one feedback page per student, each written and synced to disk), best of three,
after one untimed run that warms the page cache. Figures are the wall time a teacher waits and files per second;
nothing is asserted (benchmarks are measurements, not tests).

In-browser grading of the same classes in headless Chromium belongs in the same run: see ``browser_grading`` below
(a hook, not yet written; it reports nothing rather than a made-up figure).
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
from sourcework.core.submission import build_submission  # noqa: E402

SIZES = (30, 150, 1000)
RUNS = 3


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


def cli_grade(folder: Path, out: Path) -> float:
    """Wall seconds of one ``sourcework grade`` of ``folder`` in a fresh process."""
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    start = time.perf_counter()
    done = subprocess.run([str(Path(sys.executable).with_name("sourcework")), "--root", str(REPO), "grade",
                           str(folder), "--out", str(out / "gradebook.csv"), "--no-progress"],
                          capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if not (out / "gradebook.csv").exists():
        raise RuntimeError(f"sourcework grade failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    if "made from other exercises" in done.stderr:
        raise RuntimeError("the exercises changed while the benchmark ran; run it again")
    return seconds


def browser_grading(folder: Path) -> float | None:
    """Seconds to grade the class ``folder`` in the browser page (headless Chromium), in the same run as the CLI.

    TODO(issue 13, browser grading page): load the built grading page in ``common.chromium()``, hand it the files of
    ``folder``, wait until its gradebook is ready and return the seconds. Until that page exists this returns None and
    the table says "not measured yet": no figure is made up.
    """
    return None


def run() -> tuple[str, dict]:
    corpus = load_corpus(REPO)
    sets, problems = load_exercises(REPO, corpus)
    items = sum(len(s.items) for s in sets)
    results = {}
    for count in SIZES:
        folder = make_files(sets, count)
        out = WORK / f"cli-{count}"
        cli_grade(folder, out)  # warm the page cache and Python's bytecode cache
        cli = min(cli_grade(folder, out) for _ in range(RUNS))
        results[count] = {"cli": cli, "browser": browser_grading(folder)}
    rows = [[f"{n:,}", f"{r['cli']:.2f}", f"{n / r['cli']:,.0f}",
             "not measured yet" if r["browser"] is None else f"{r['browser']:.2f}"] for n, r in results.items()]
    text = table(["submission files", "sourcework grade, wall s", "files/s", "in-browser grading s (Chromium)"],
                 rows)
    text += (f"\n\nEach submission answers ~95% of the book's {items} items ({len(sets)} sets); best of {RUNS} runs "
             "of the whole command in a fresh process (start-up, loading the book, grading, the gradebook and one "
             "feedback page per student, each synced to disk).")
    if problems:
        text += f" (The exercises had {len(problems)} problem(s) when measured.)"
    return text, {"results": results}


if __name__ == "__main__":
    print(run()[0])
