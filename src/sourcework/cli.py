"""The ``sourcework`` command line: a thin layer over the core. ``main(argv) -> exit status``; no tracebacks."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .core.corpus import load_corpus
from .core.items import load_exercises


def cmd_check(args: argparse.Namespace) -> int:
    """Validate sources and exercises without a build; print located problems; 1 if any."""
    root = Path(args.root)
    corpus = load_corpus(root)
    sets, problems = load_exercises(root, corpus)
    problems = corpus.problems + problems
    for problem in problems:
        print(problem, file=sys.stderr)
    items = sum(len(s.items) for s in sets)
    print(f"{len(corpus.sources)} sources, {len(corpus.figures)} figures, {len(corpus.claims)} claims, "
          f"{len(sets)} exercise sets, {items} items: {len(problems)} problem(s).")
    return 1 if problems else 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sourcework", description=__doc__)
    parser.add_argument("--root", default=".", help="the book's folder (default: current folder)")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("check", help="validate sources/ and exercises/").set_defaults(func=cmd_check)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
