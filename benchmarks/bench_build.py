"""B1 build: a clean build of the practice edition, then an incremental rebuild after one chapter changes.

The book (``_config.yml``, ``_toc.yml``, ``book/``, ``exercises/``, ``sources/``) is copied to a scratch folder so the
working tree is never touched; the notebook cache (``.jupyter_cache``) is not copied, so "clean" includes executing
the notebook chapter. The changed chapter gets one new paragraph appended, as an author's edit would.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import COPY_IGNORE, REPO, WORK, jb_build, table, timed  # noqa: E402

CHAPTER = "book/ch2-agency-framing.md"


def copy_book() -> Path:
    book = WORK / "build-book"
    shutil.rmtree(book, ignore_errors=True)
    shutil.copytree(REPO, book, ignore=shutil.ignore_patterns(*COPY_IGNORE, "benchmarks", "tests"))
    return book


def run() -> tuple[str, dict]:
    book = copy_book()
    out = WORK / "build-out"
    shutil.rmtree(out, ignore_errors=True)
    results = {}
    done = {}
    results["clean"] = timed(lambda: done.setdefault("clean", jb_build(book, out)))
    chapter = book / CHAPTER
    if not chapter.exists():
        chapter = sorted((book / "book").glob("ch*.md"))[-1]
    results["noop"] = timed(lambda: jb_build(book, out))
    with chapter.open("a", encoding="utf-8") as handle:
        handle.write("\n\nA paragraph added to measure an incremental rebuild.\n")
    results["incremental"] = timed(lambda: done.setdefault("incremental", jb_build(book, out)))
    warnings = done["clean"].stderr.count("WARNING")
    pages = len(list((out / "_build" / "html").rglob("*.html")))
    ratio = results["incremental"] / results["clean"]
    rows = [["clean build (practice edition)", f"{results['clean']:.1f}", "1.00"],
            ["rebuild, nothing changed", f"{results['noop']:.1f}", f"{results['noop'] / results['clean']:.2f}"],
            [f"rebuild after editing {chapter.relative_to(book)}", f"{results['incremental']:.1f}", f"{ratio:.2f}"]]
    text = table(["build", "seconds", "ratio to clean"], rows)
    text += (f"\n\n{pages} HTML files; {warnings} warning(s) in the clean build. `jb build -n -W --keep-going`, "
             "the same command as `make editions`.")
    return text, {"results": results, "ratio": ratio}


if __name__ == "__main__":
    print(run()[0])
