"""B4 grading: `sourcework grade` wall time for classes of 30, 150 and 1,000 submission files.

Each submission answers ~95% of the real book's items (``exercises/``) with a random response of the right shape (the
key about a third of the time), as ``core.submission.build_submission`` writes it. For each size, the whole command
``sourcework grade DIR --out … --no-progress`` runs in a fresh process (start-up, loading the book, reading and
checking, scoring, the gradebook, one feedback page per student, each written and synced to disk), best of three,
after one untimed run that warms the page cache. Figures are the wall time a teacher waits and files per second;
nothing is asserted (benchmarks are measurements, not tests).

In-browser grading of the same classes runs in the same process, in headless Chromium (``browser_grading``): the
engine the class-grading page uses (sw-grade-*.js, as shipped), timed on the same files.
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


ENGINE_JS = ("sw-zip.js", "sw-grade-core.js", "sw-grade-json.js", "sw-grade-admit.js", "sw-grade-csv.js",
             "sw-grade-feedback.js", "sw-grade-lms.js")
BROWSER_JS = """async ({files, book}) => {
  const G = window.SourceworkGrader;
  const encoder = new TextEncoder();
  const given = files.map(([path, text]) => ({path, bytes: encoder.encode(text)}));
  // How long the page could not answer: the longest gap between two turns of a 0 ms timer while the engine works.
  let previous = performance.now(), longest = 0;
  const probe = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - previous);
    previous = now;
  }, 0);
  let calls = 0;
  const start = performance.now();
  const run = await G.gradeClass(G.expandInputs(given), book, {onProgress: () => { calls += 1; }});
  const graded = performance.now();
  const csv = await G.gradebookCsvAsync(run, book);
  const pages = await G.feedbackPages(run, book);
  const end = performance.now();
  clearInterval(probe);
  return {grade: (graded - start) / 1000, exports: (end - graded) / 1000, total: (end - start) / 1000,
          longest: longest / 1000, students: run.students.length, calls, csv: csv.length, pages: pages.length};
}"""


def browser_page(sets) -> Path:
    """A page that loads the engine as a build ships it (the committed esbuild copies), from file://."""
    from sourcework.grader.bookdata import book_json
    from sourcework.sphinx_ext.assets import STATIC, minify, scorer_files

    folder = WORK / "browser-grading"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    names = [*scorer_files(), *ENGINE_JS]
    for name in names:
        (folder / name).write_text(minify(name, (STATIC / name).read_text("utf-8")), "utf-8")
    (folder / "book.js").write_text(f"window.BOOK = {json.dumps(book_json(sets, title='Bench'))};", "utf-8")
    scripts = "".join(f'<script src="{name}"></script>' for name in [*names, "book.js"])
    (folder / "index.html").write_text(f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>B4</title>'
                                       f"{scripts}</head><body></body></html>", "utf-8")
    return folder / "index.html"


def browser_grading(folder: Path, page_path: Path, browser) -> dict | None:
    """Seconds to grade the class ``folder`` with the in-browser engine (sw-grade-*.js) in headless Chromium, in the
    same run as the CLI, best of ``RUNS``: the files are handed over as a folder input gives them (their bytes in
    memory), then expandInputs + gradeClass (``grade``), the gradebook CSV and every feedback page (``exports``):
    the work the CLI does, without writing to disk. ``longest`` is the longest the page could not answer (the
    longest gap between turns of a 0 ms timer while the engine works). None if Chromium is missing."""
    if browser is None:
        return None
    files = [[f"{folder.name}/{p.name}", p.read_text("utf-8")] for p in sorted(folder.glob("*.json"))]
    page = browser.new_page()
    try:
        page.goto(page_path.as_uri())
        book = page.evaluate("window.BOOK")
        runs = [page.evaluate(BROWSER_JS, {"files": files, "book": book}) for _ in range(RUNS)]
    finally:
        page.close()
    best = min(runs, key=lambda r: r["total"])
    if best["students"] != len(files):
        raise RuntimeError(f"the browser graded {best['students']} of {len(files)} files")
    return best


def run() -> tuple[str, dict]:
    from contextlib import ExitStack

    from common import chromium

    corpus = load_corpus(REPO)
    sets, problems = load_exercises(REPO, corpus)
    items = sum(len(s.items) for s in sets)
    results = {}
    page_path = browser_page(sets)
    with ExitStack() as stack:
        try:
            browser = stack.enter_context(chromium())
        except Exception:  # no Playwright or no Chromium: the CLI's figures alone
            browser = None
        for count in SIZES:
            folder = make_files(sets, count)
            out = WORK / f"cli-{count}"
            cli_grade(folder, out)  # warm the page cache and Python's bytecode cache
            cli = min(cli_grade(folder, out) for _ in range(RUNS))
            results[count] = {"cli": cli, "browser": browser_grading(folder, page_path, browser)}

    def shown(r: dict) -> list[str]:
        b = r["browser"]
        if b is None:
            return ["not measured", "", "", ""]
        return [f"{b['total']:.2f}", f"{b['grade']:.2f} + {b['exports']:.2f}", f"{b['longest'] * 1000:.0f}",
                f"{r['cli'] / b['total']:.1f}×"]

    rows = [[f"{n:,}", f"{r['cli']:.2f}", f"{n / r['cli']:,.0f}", *shown(r)] for n, r in results.items()]
    text = table(["submission files", "sourcework grade, wall s", "files/s", "in-browser s (Chromium)",
                  "of which grading + exports s", "longest block, ms", "CLI ÷ browser"], rows)
    text += (f"\n\nEach submission answers ~95% of the book's {items} items ({len(sets)} sets); best of {RUNS} runs "
             "of the whole command in a fresh process (start-up, loading the book, grading, the gradebook and one "
             "feedback page per student, each synced to disk). In the browser (headless Chromium, the engine's "
             "shipped esbuild copies loaded from file://), best of the same number of runs in one page: the files "
             "handed over in memory as a folder input gives them, expandInputs + gradeClass, then the gradebook CSV "
             "and every feedback page (nothing written to disk). The engine yields to the event loop every 25 files "
             "or 40 ms; \"longest block\" is the longest gap between turns of a 0 ms timer during the whole work.")
    if problems:
        text += f" (The exercises had {len(problems)} problem(s) when measured.)"
    return text, {"results": results}


if __name__ == "__main__":
    print(run()[0])
