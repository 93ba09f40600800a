"""``benchmarks/run_all.py`` writes ``results.md``: a run replaces the sections of the benchmarks it ran, keeps the
others (a partial run), and keeps every section written by hand, after the benchmark it belongs to."""

from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
run_all = pytest.importorskip("run_all")

EARLIER = """# Benchmark results

Written by `make bench` (`benchmarks/run_all.py`) on 2026-11-23 01:06 UTC, commit 5cf8ba9, on a test machine.

## B1 Build time

old build figures

## B2 Page weight

old weight figures

## B2 page weight: where the bytes go

an account written by hand

### its history

kept with it

## B4 speed tricks, measured one by one

another account
"""


def fake(name: str) -> SimpleNamespace:
    return SimpleNamespace(__doc__=f"{name}: a fake benchmark.", run=lambda: (f"new {name} figures", {}))


@pytest.fixture
def benchmarks(monkeypatch):
    fakes = {"build": ("B1 Build time", fake("B1")), "weight": ("B2 Page weight", fake("B2")),
             "grade": ("B4 Grading", fake("B4"))}
    monkeypatch.setattr(run_all, "BENCHMARKS", fakes)
    monkeypatch.setattr(run_all, "git_commit", lambda: "abc1234")
    monkeypatch.setattr(run_all, "machine", lambda: "a test machine")


def titles(text: str) -> list[str]:
    return [line[3:] for line in text.splitlines() if line.startswith("## ")]


def test_a_partial_run_keeps_the_other_sections_and_the_accounts(benchmarks, tmp_path, capsys):
    out = tmp_path / "results.md"
    out.write_text(EARLIER, "utf-8")
    assert run_all.main(["--only", "weight", "--out", str(out)]) == 0
    text = out.read_text("utf-8")
    assert titles(text) == ["B1 Build time", "B2 Page weight", "B2 page weight: where the bytes go",
                            "B4 speed tricks, measured one by one"]
    assert "new B2 figures" in text and "old weight figures" not in text
    assert "old build figures" in text and "2026-11-23 01:06 UTC, commit 5cf8ba9" in text
    assert "an account written by hand" in text and "### its history\n\nkept with it" in text
    assert "another account" in text


def test_a_full_run_replaces_every_benchmark_and_keeps_the_accounts(benchmarks, tmp_path, capsys):
    out = tmp_path / "results.md"
    out.write_text(EARLIER, "utf-8")
    assert run_all.main(["--out", str(out)]) == 0
    text = out.read_text("utf-8")
    assert titles(text) == ["B1 Build time", "B2 Page weight", "B2 page weight: where the bytes go", "B4 Grading",
                            "B4 speed tricks, measured one by one"]
    assert "old build figures" not in text and "new B1 figures" in text and "new B4 figures" in text
    assert "an account written by hand" in text and "another account" in text
