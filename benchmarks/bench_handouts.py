"""B6 handouts: pages per printed handout set (questions, then sources), before and after packing; the organizers.

Both sides print the book's current exercise sets with ``sourcework handouts --all`` (headless Chromium, Letter
paper) and count pages with ``pdfinfo`` (poppler-utils). "Before" is the handout code of commit ``BASELINE`` (items
already kept whole, but large: 11.5 pt type, 0.6–0.7 in margins, roomy boxes, each written response's rubric after its
box, sources in one wide column), taken with ``git
archive`` and run on the same exercises; "now" is this checkout's code. The first page whose text names a source
("Source A: <its title>") starts the sources, so each set's pages split into questions and sources. If the baseline
cannot run (``git`` missing, or the exercises use something the old code does not know), the figures recorded on
2026-12-06 are shown instead and marked so.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import REPO, WORK, table  # noqa: E402

BASELINE = "ded6317"  # main before the handouts were packed (2026-12-06)
# Measured with BASELINE's code on the exercises of 2026-12-06: set → (items, pages, of which question pages).
RECORDED = {"ch1-programs": (11, 16, 9), "ch2-agency": (12, 16, 9), "ch3-critique": (15, 18, 13),
            "ch4-due-process": (12, 18, 11), "ch5-numbers": (13, 16, 8), "ch6-lateral": (10, 12, 9),
            "ch7-synthesis": (5, 15, 6), "demo": (16, 21, 12), "review": (14, 17, 8),
            "instructor-key": (108, 106, 106)}


def pages(pdf: Path) -> int:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", out, re.M).group(1))  # type: ignore[union-attr]


def page_texts(pdf: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    return [" ".join(page.split()) for page in out.split("\f")]


def _source_titles() -> list[str]:
    sys.path.insert(0, str(REPO / "src"))
    from sourcework.core.corpus import load_corpus

    corpus = load_corpus(REPO)
    return [" ".join(f"Source {label}: {s.meta.get('title', '')}".split())[:40] for label, s in corpus.sources.items()]


def question_pages(pdf: Path, titles: list[str]) -> int:
    """Pages before the first page that starts a source (all pages if none does)."""
    texts = page_texts(pdf)
    for number, text in enumerate(texts):
        if any(title in text for title in titles):
            return number
    return len([t for t in texts if t])


def print_handouts(src: Path, out: Path, *, organizers: bool) -> None:
    shutil.rmtree(out, ignore_errors=True)
    env = dict(os.environ, PYTHONPATH=str(src))
    command = [sys.executable, "-m", "sourcework.cli", "--root", str(REPO), "handouts", "--all", "--out", str(out)]
    done = subprocess.run(command + (["--organizers"] if organizers else []), env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"sourcework handouts failed ({src}):\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")


def baseline_src(folder: Path) -> Path:
    """The ``src`` folder of BASELINE, unpacked into ``folder``."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    with tempfile.TemporaryFile() as archive:
        subprocess.run(["git", "-C", str(REPO), "archive", BASELINE, "src"], stdout=archive, check=True)
        archive.seek(0)
        with tarfile.open(fileobj=archive) as tar:
            tar.extractall(folder, filter="data")
    return folder / "src"


def measure(folder: Path, titles: list[str]) -> dict[str, tuple[int, int]]:
    """PDF name (without .pdf) → (pages, question pages)."""
    return {pdf.stem: (pages(pdf), question_pages(pdf, titles) if pdf.stem != "instructor-key" else pages(pdf))
            for pdf in sorted(folder.glob("*.pdf"))}


def item_counts() -> dict[str, int]:
    sys.path.insert(0, str(REPO / "src"))
    from sourcework.core.corpus import load_corpus
    from sourcework.core.items import load_exercises

    sets, _problems = load_exercises(REPO, load_corpus(REPO))
    counts = {s.id: len(s.items) for s in sets}
    counts["instructor-key"] = sum(counts.values())
    return counts


def run() -> tuple[str, dict]:
    work = WORK / "handouts"
    titles = _source_titles()
    counts = item_counts()
    print_handouts(REPO / "src", work / "now", organizers=True)
    now = measure(work / "now", titles)
    try:
        print_handouts(baseline_src(work / "baseline"), work / "before", organizers=False)
        before = measure(work / "before", titles)
        how = f"measured now with the code of commit {BASELINE}"
    except (OSError, RuntimeError, subprocess.CalledProcessError, tarfile.TarError) as exc:
        before = {name: (p, q) for name, (_n, p, q) in RECORDED.items()}
        how = f"recorded on 2026-12-06 with commit {BASELINE} (the baseline did not run here: {str(exc)[:120]})"
    rows = []
    totals = [0, 0, 0, 0]
    for name in sorted(now, key=lambda n: (n == "instructor-key", n)):
        p_now, q_now = now[name]
        p_before, q_before = before.get(name, (0, 0))
        items = counts.get(name, 0)
        rows.append([name, items, p_before, p_now, q_before, q_now,
                     f"{p_now / p_before:.2f}" if p_before else "—"])
        if name != "instructor-key":
            totals = [totals[0] + p_before, totals[1] + p_now, totals[2] + q_before, totals[3] + q_now]
    rows.append(["**all student sets**", sum(v for k, v in counts.items() if k != "instructor-key"),
                 totals[0], totals[1], totals[2], totals[3], f"{totals[1] / totals[0]:.2f}" if totals[0] else "—"])
    text = table(["set", "items", "pages before", "pages now", "question pages before", "question pages now",
                  "now / before"], rows)
    organizers = {pdf.stem: pages(pdf) for pdf in sorted((work / "now" / "organizers").glob("*.pdf"))}
    text += ("\n\nOrganizers (`_build/handouts/organizers/`): "
             + ", ".join(f"{name} {count} page{'s' if count != 1 else ''}" for name, count in organizers.items())
             + ".")
    text += (f"\n\nBefore: {how}. A set's PDF holds its questions, then the text of every source it uses (a new "
             "page). Letter paper; pages counted with pdfinfo; no item is split across pages unless it is taller "
             "than a page (the tool lists those).")
    return text, {"now": now, "before": before, "organizers": organizers}


if __name__ == "__main__":
    print(run()[0])
