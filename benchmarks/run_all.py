"""Run every benchmark (B1–B4, B6), print the tables and write them to ``benchmarks/results.md``.

``make bench`` runs this. One benchmark failing does not stop the others; its section says why. Scratch files go to
``$SW_BENCH_WORK`` (default ``/tmp/sourcework-bench``). ``--only weight,startup`` runs a subset (the file then holds
only those sections).
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_build  # noqa: E402
import bench_grade  # noqa: E402
import bench_grid_height  # noqa: E402
import bench_startup  # noqa: E402
import bench_weight  # noqa: E402
from common import REPO, machine  # noqa: E402

BENCHMARKS = {
    "build": ("B1 Build time", bench_build),
    "weight": ("B2 Page weight", bench_weight),
    "startup": ("B3 Start-up", bench_startup),
    "grade": ("B4 Grading", bench_grade),
    "grid": ("B6 Grid height", bench_grid_height),
}


def git_commit() -> str:
    import subprocess

    done = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    return done.stdout.strip() or "unknown"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", default="", help="comma-separated subset of: " + ", ".join(BENCHMARKS))
    parser.add_argument("--out", default=str(Path(__file__).with_name("results.md")))
    args = parser.parse_args(argv)
    chosen = [name.strip() for name in args.only.split(",") if name.strip()] or list(BENCHMARKS)
    sections = []
    failed = 0
    for name in chosen:
        title, module = BENCHMARKS[name]
        print(f"== {title} …", flush=True)
        start = time.perf_counter()
        try:
            text, _data = module.run()
        except Exception:  # noqa: BLE001 - one benchmark's failure is reported, the others still run
            failed += 1
            text = "Failed:\n\n```\n" + traceback.format_exc(limit=6) + "```"
        took = time.perf_counter() - start
        section = f"## {title}\n\n{(module.__doc__ or '').strip().splitlines()[0]}\n\n{text}\n\n_(ran in {took:.0f} s)_"
        print(section + "\n", flush=True)
        sections.append(section)
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    head = (f"# Benchmark results\n\nWritten by `make bench` (`benchmarks/run_all.py`) on {stamp}, commit "
            f"{git_commit()}, on {machine()}. Benchmarks are measurements, not tests: figures vary with the machine "
            "and its load; rerun to compare.\n")
    Path(args.out).write_text(head + "\n" + "\n\n".join(sections) + "\n", "utf-8")
    print(f"Wrote {args.out}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
