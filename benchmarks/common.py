"""Shared helpers for the benchmarks: paths, timing, Chromium, and a Markdown table.

Benchmarks are measurements, never tests: they print a table and return rows for ``run_all.py`` to write into
``benchmarks/results.md``. Each can also run alone: ``.venv/bin/python benchmarks/bench_weight.py``.
"""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
STATIC = REPO / "src" / "sourcework" / "static"
FIXTURE_BOOK = REPO / "tests" / "books" / "browser"
WORK = Path(os.environ.get("SW_BENCH_WORK", "/tmp/sourcework-bench"))
JB = Path(sys.executable).with_name("jb")
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
COPY_IGNORE = ("_build", ".venv", "node_modules", ".git", "test-artifacts", ".jupyter_cache", ".pytest_cache",
               ".ruff_cache", ".mypy_cache", "__pycache__", "*.egg-info")


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def median(values: list[float]) -> float:
    return statistics.median(values)


def jb_build(book: Path, out: Path, edition: str = "practice", *, check: bool = True) -> subprocess.CompletedProcess:
    """``jb build`` as ``make editions`` runs it (``-n -W --keep-going``)."""
    env = dict(os.environ, SOURCEWORK_EDITION=edition)
    done = subprocess.run([str(JB), "build", str(book), "-n", "-W", "--keep-going", "--path-output", str(out)],
                          env=env, capture_output=True, text=True)
    if check and not (out / "_build" / "html" / "index.html").exists():
        raise RuntimeError(f"jb build of {book} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return done


@contextmanager
def chromium() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def table(header: list[str], rows: list[list[object]]) -> str:
    """A Markdown table."""
    cells = [[str(c) for c in header]] + [[str(c) for c in row] for row in rows]
    lines = ["| " + " | ".join(cells[0]) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in cells[1:]]
    return "\n".join(lines)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} CPUs, Python {platform.python_version()}, {platform.system()}"
