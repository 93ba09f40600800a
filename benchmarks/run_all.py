"""Run every benchmark (B1–B7), print the tables and write them to ``benchmarks/results.md``.

``make bench`` runs this. One benchmark failing does not stop the others; its section says why. Scratch files go to
``$SW_BENCH_WORK`` (default ``/tmp/sourcework-bench``). ``--only weight,startup`` runs a subset and replaces only
those sections of the file (the others are kept as they were, with the date and commit they were written at). A
section written by hand, under a title no benchmark has ("## B2 page weight: where the bytes go"), is kept by every
run, after the benchmark whose number starts its title.
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
import bench_handouts  # noqa: E402
import bench_lighthouse  # noqa: E402
import bench_startup  # noqa: E402
import bench_weight  # noqa: E402
from common import REPO, machine  # noqa: E402

BENCHMARKS = {
    "build": ("B1 Build time", bench_build),
    "weight": ("B2 Page weight", bench_weight),
    "startup": ("B3 Start-up", bench_startup),
    "grade": ("B4 Grading", bench_grade),
    "lighthouse": ("B5 Lighthouse", bench_lighthouse),
    "handouts": ("B6 Handouts", bench_handouts),
    "grid": ("B7 Grid height", bench_grid_height),
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
    sections: dict[str, str] = {}
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
        sections[title] = section
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    written = f"on {stamp}, commit {git_commit()}"
    order = [t for t, _m in BENCHMARKS.values()]
    previous = previous_sections(Path(args.out))
    # Sections written by hand (an account of a result, a history), under a title no benchmark has: kept whatever
    # runs, each after the benchmark whose number its title starts with ("B2 page weight: …" after "B2 …").
    notes = {title: section for title, section in previous.items() if title not in order}
    kept = {} if set(chosen) == set(BENCHMARKS) else {t: s for t, s in previous.items() if t in order}
    if kept:
        earlier = f" _(written {kept_stamp(args.out)})_"
        for title, section in kept.items():
            if title not in sections:
                sections[title] = section.rstrip() + ("" if "_(written " in section else earlier)
    where = f"{written}, on {machine()}"
    if kept:
        where = (f"(`--only {','.join(chosen)}`): {', '.join(BENCHMARKS[n][0] for n in chosen)} {where}; the other "
                 "sections earlier, as each says (perhaps on another machine)")
    head = (f"# Benchmark results\n\nWritten by `make bench` (`benchmarks/run_all.py`) {where}. Benchmarks are "
            "measurements, not tests: figures vary with the machine and its load; rerun to compare.\n")
    parts = []
    for title in order:
        if title in sections:
            parts.append(sections[title])
        number = title.split()[0]
        parts += [notes.pop(note).rstrip() for note in list(notes) if note.split()[0] == number]
    body = "\n\n".join(parts + [note.rstrip() for note in notes.values()])
    Path(args.out).write_text(head + "\n" + body + "\n", "utf-8")
    print(f"Wrote {args.out}")
    return 1 if failed else 0


def previous_sections(path: Path) -> dict[str, str]:
    """{title: text} of the sections of an earlier results file (empty if there is none)."""
    try:
        text = path.read_text("utf-8")
    except OSError:
        return {}
    parts = text.split("\n## ")[1:]
    return {part.split("\n", 1)[0].strip(): "## " + part.rstrip() for part in parts}


def kept_stamp(path: str) -> str:
    """When an earlier results file was written ("2026-11-23 01:06 UTC, commit 5cf8ba9"), from its first lines."""
    import re

    try:
        head = Path(path).read_text("utf-8")[:600]
    except OSError:
        return "earlier"
    found = re.search(r"on (\d{4}-\d\d-\d\d \d\d:\d\d UTC), commit (\w+)", head)
    return f"{found.group(1)}, commit {found.group(2)}" if found else "earlier"


if __name__ == "__main__":
    sys.exit(main())
