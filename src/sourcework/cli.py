"""The ``sourcework`` command line: a thin layer over the core. ``main(argv) -> exit status``; no tracebacks.

Exit status: 0 all fine, 1 some files failed or problems were found, 2 usage error.

Adding a subcommand: write ``def add_<name>(sub)`` that calls ``sub.add_parser(...)`` and
``set_defaults(func=...)``, and list it in :data:`SUBCOMMANDS`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

import yaml

from .core.corpus import load_corpus
from .core.errors import Problem, SourceworkError
from .core.items import load_exercises
from .core.law import page_problems, stale_rules, unused_rules, used_rule_ids
from .core.model import ItemSet

PROG = "sourcework"


def error(message: str) -> None:
    """Print ``sourcework: error: message`` to stderr."""
    print(f"{PROG}: error: {message}", file=sys.stderr)


def warning(message: str) -> None:
    """Print ``sourcework: warning: message`` to stderr."""
    print(f"{PROG}: warning: {message}", file=sys.stderr)


def _not_utf8(root: Path) -> list[Problem]:
    """Located problems for corpus files that are not UTF-8 (the loaders would fail on them without a location)."""
    problems = []
    folder = root / "sources"
    for path in sorted(folder.glob("*.md")) + [folder / "figures.yml", folder / "claims.yml"]:
        try:
            path.read_bytes().decode("utf-8")
        except OSError:
            continue  # a missing file is reported by the loader, located
        except UnicodeDecodeError as exc:
            problems.append(Problem(path.relative_to(root).as_posix(), 0, f"the file is not UTF-8 text (undecodable "
                                    f"byte at position {exc.start}).", "Save it as UTF-8."))
    return problems


def load_book(root: Path | str) -> tuple[list[ItemSet], list[Problem]]:
    """Load the corpus and the exercise sets under ``root``; return the sets and every problem (corpus first).

    Raises :class:`SourceworkError` (located) when the folder is missing or a corpus file is not UTF-8.
    """
    root = Path(root)
    if not root.is_dir():
        raise SourceworkError(Problem(str(root), 0, "no such folder.", "Give the book's folder with --root."))
    unreadable = _not_utf8(root)
    if unreadable:
        raise SourceworkError(unreadable)
    corpus = load_corpus(root)
    sets, problems = load_exercises(root, corpus)
    return sets, corpus.problems + problems


def book_title(root: Path | str) -> str:
    """The book's title from ``_config.yml`` (empty if there is none)."""
    try:
        config = yaml.safe_load((Path(root) / "_config.yml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return ""
    return str(config.get("title", "")) if isinstance(config, dict) else ""


# --- check -----------------------------------------------------------------------------------------------------


def cmd_check(args: argparse.Namespace) -> int:
    """Validate sources and exercises without a build; print located problems; 1 if any.

    Also lists, as warnings (they do not change the exit status), the legal rules of sources/law.yml last checked
    more than --law-max-age months before --today, and the rules no page or item uses.
    """
    root = Path(args.root)
    unreadable = _not_utf8(root)
    if unreadable:
        raise SourceworkError(unreadable)
    corpus = load_corpus(root)
    sets, problems = load_exercises(root, corpus)
    law = corpus.law
    problems = corpus.problems + problems + page_problems(root, law)
    for problem in problems:
        print(problem, file=sys.stderr)
    warnings = stale_rules(law, args.today or dt.date.today(), args.law_max_age)
    warnings += unused_rules(law, used_rule_ids(root))
    for problem in warnings:
        print(problem, file=sys.stderr)
    items = sum(len(s.items) for s in sets)
    print(f"{len(corpus.sources)} sources, {len(corpus.figures)} figures, {len(corpus.claims)} claims, "
          f"{len(law.rules)} legal rules, {len(sets)} exercise sets, {items} items: {len(problems)} problem(s), "
          f"{len(warnings)} warning(s).")
    return 1 if problems else 0


def _date_arg(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a YYYY-MM-DD date") from None


def _months_arg(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of months (1 or more)")
    return int(text)


def add_check(sub: Any) -> None:
    parser = sub.add_parser("check", help="validate sources/ and exercises/ (located errors; exit 1 on any)",
                            description=cmd_check.__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--today", type=_date_arg, metavar="YYYY-MM-DD",
                        help="the date to measure the age of legal rules from (default: today)")
    parser.add_argument("--law-max-age", type=_months_arg, metavar="MONTHS",
                        help="warn about legal rules last checked more than MONTHS months ago (default: "
                        "max_age_months in sources/law.yml, else 12)")
    parser.set_defaults(func=cmd_check)


# --- grade -----------------------------------------------------------------------------------------------------


class ProgressBar:
    """A text progress bar, ``[#####.....] 5/10``, redrawn in place on ``stream``."""

    def __init__(self, stream: TextIO, width: int = 30):
        self.stream, self.width = stream, width

    def __call__(self, done: int, total: int, path: str) -> None:
        filled = self.width * done // total if total else self.width
        self.stream.write(f"\r[{'#' * filled}{'.' * (self.width - filled)}] {done}/{total}")
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()


def cmd_grade(args: argparse.Namespace) -> int:
    """Grade submission files, folders of them and .zip archives of them, as an LMS hands them out; write the
    gradebook CSV and one feedback page per student."""
    from .grader.admit import Entry, expand
    from .grader.grade import grade_files, write_feedback, write_gradebook

    count = sum(isinstance(entry, Entry) for entry in expand(args.files))
    if not count and all(Path(name).is_dir() for name in args.files):
        error("no submission files given (the folders named hold no .json files).")
        return 2
    sets, problems = load_book(args.root)
    if not any(s.items for s in sets):
        for problem in problems:
            error(str(problem))
        error(f"no exercise items found under {Path(args.root) / 'exercises'}; nothing to grade against.")
        return 1
    if problems:
        error(f"the exercises have {len(problems)} problem(s); items with problems are not graded "
              f"(run '{PROG} check' to see them).")
    show = args.progress if args.progress is not None else sys.stderr.isatty()
    run = grade_files(args.files, sets=sets, rubric_scores=args.rubric_scores,
                      progress=ProgressBar(sys.stderr) if show else None)
    for issue in run.issues:
        (warning if issue.level == "warning" else error)(str(issue))
    out = Path(args.out)
    feedback_dir = Path(args.feedback_dir) if args.feedback_dir else out.parent / "feedback"
    try:
        out.parent.mkdir(parents=True, exist_ok=True)  # a class's grading is not lost to a missing folder
        write_gradebook(run, out)
    except OSError as exc:
        error(f"{out}: the gradebook could not be written ({exc.strerror or exc}).")
        return 1
    try:
        pages = write_feedback(run, feedback_dir, markdown=args.markdown)
    except OSError as exc:
        error(f"{feedback_dir}: the feedback pages could not be written ({exc.strerror or exc}).")
        return 1
    rejected = len(run.rejected)
    print(f"Graded {len(run.students)} of {count} file(s)" + (f"; {rejected} not graded" if rejected else "")
          + f". Gradebook: {out}. Feedback: {feedback_dir} ({len(pages)} file(s)).")
    return 0 if run.ok and not problems else 1


def add_grade(sub: Any) -> None:
    parser = sub.add_parser("grade", help="grade submission files into a gradebook CSV and feedback pages",
                            description=cmd_grade.__doc__)
    parser.add_argument("files", nargs="+", metavar="FILES", help="submission .json files, folders of them "
                        "(searched at any depth) or .zip archives of them")
    parser.add_argument("--out", required=True, help="the gradebook CSV to write (replaced atomically)")
    parser.add_argument("--rubric-scores", metavar="FILE",
                        help="CSV of teacher rubric levels: student_id,item_id,criterion_id,points and an optional "
                        "comment column (shown on the student's feedback page)")
    parser.add_argument("--feedback-dir", metavar="DIR", help="where the feedback pages go (default: feedback/ "
                        "next to the gradebook)")
    parser.add_argument("--markdown", action="store_true", help="also write a Markdown twin of each feedback page")
    parser.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                        help="show a progress bar on stderr (default: only when stderr is a terminal)")
    parser.set_defaults(func=cmd_grade)


# --- lms ---------------------------------------------------------------------------------------------------------


def _print_list(title: str, entries: list[str], show: Callable[[str], None]) -> None:
    if entries:
        show(f"{title} ({len(entries)}): " + "; ".join(entries) + ".")


def cmd_lms_canvas(args: argparse.Namespace) -> int:
    """Turn a gradebook into a Canvas grade-import CSV, matching students by SIS User ID, SIS Login ID or Canvas ID
    against the gradebook you exported from your Canvas course. Unmatched and ambiguous students are listed, never
    guessed; exit status 1 if a graded student was not written."""
    from .grader.lms import LmsError, canvas_import

    sets = _sound_sets(args.root, "making an import file")
    if sets is None:
        return 1
    try:
        result = canvas_import(args.gradebook, args.canvas_export, args.out, sets, total=args.total,
                               total_name=args.total_name or book_title(args.root) or "Sourcework total")
    except LmsError as exc:
        error(str(exc))
        return 1
    _print_list("graded students no Canvas student matches (not written)", [repr(s) for s in result.unmatched],
                error)
    _print_list("ambiguous matches (not written)", result.ambiguous, error)
    _print_list("Canvas students without a graded submission (left blank in Canvas)", result.missing, warning)
    print(f"Canvas import: {args.out} ({result.matched} student(s); column(s): {', '.join(result.columns)}). "
          "In Canvas: Grades, Import.")
    return 1 if result.unmatched or result.ambiguous else 0


def cmd_lms_plain(args: argparse.Namespace) -> int:
    """Turn a gradebook into a plain student_id,points CSV (Moodle, D2L and others): the total, or one set's points."""
    from .grader.lms import LmsError, plain_points

    try:
        count = plain_points(args.gradebook, args.out, set_id=args.set)
    except LmsError as exc:
        error(str(exc))
        return 1
    print(f"Points: {args.out} ({count} student(s), {'set ' + args.set if args.set else 'total'}).")
    return 0


def add_lms(sub: Any) -> None:
    kinds = sub.add_parser("lms", help="grade-import files for an LMS (canvas, plain)").add_subparsers(
        dest="lms", required=True, metavar="LMS")
    canvas = kinds.add_parser("canvas", help="Canvas grade-import CSV", description=cmd_lms_canvas.__doc__)
    canvas.add_argument("gradebook", metavar="GRADEBOOK.csv", help="the CSV written by 'sourcework grade'")
    canvas.add_argument("--canvas-export", required=True, metavar="CANVAS.csv",
                        help="the gradebook exported from your Canvas course (Grades, Export)")
    canvas.add_argument("--out", required=True, metavar="FILE.csv", help="the import file to write")
    canvas.add_argument("--total", action="store_true", help="one total column instead of one per exercise set")
    canvas.add_argument("--total-name", metavar="NAME", help="the total column's assignment name (default: the "
                        "book's title)")
    canvas.add_argument("--root", default=argparse.SUPPRESS, help="the book's folder (default: current folder)")
    canvas.set_defaults(func=cmd_lms_canvas)
    plain = kinds.add_parser("plain", help="student_id,points CSV", description=cmd_lms_plain.__doc__)
    plain.add_argument("gradebook", metavar="GRADEBOOK.csv", help="the CSV written by 'sourcework grade'")
    plain.add_argument("--out", required=True, metavar="FILE.csv", help="the file to write")
    plain.add_argument("--set", metavar="SET", help="one exercise set's points (default: the total)")
    plain.add_argument("--root", default=argparse.SUPPRESS, help="the book's folder (default: current folder)")
    plain.set_defaults(func=cmd_lms_plain)


# --- key -------------------------------------------------------------------------------------------------------


def cmd_key(args: argparse.Namespace) -> int:
    """Write the instructor answer key (Markdown or JSON) to a file or to standard output."""
    from .export.key import answer_key
    from .grader.grade import write_atomic

    sets, problems = load_book(args.root)
    if problems:
        for problem in problems:
            error(str(problem))
        error(f"the exercises have {len(problems)} problem(s); fix them before making a key.")
        return 1
    text = answer_key(sets, fmt=args.format, book=book_title(args.root))
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        write_atomic(args.out, text)
        print(f"Answer key ({args.format}): {args.out}.", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def add_key(sub: Any) -> None:
    parser = sub.add_parser("key", help="the instructor answer key", description=cmd_key.__doc__)
    parser.add_argument("--format", choices=("md", "json"), default="md", help="Markdown (default) or JSON")
    parser.add_argument("--out", metavar="FILE", help="write to FILE instead of standard output")
    parser.set_defaults(func=cmd_key)


# --- export qti, report, handouts (classroom tools) ----------------------------------------------------------


def _sound_sets(root: str, doing: str) -> list[ItemSet] | None:
    """The book's sets, or None after printing every problem (no tool runs on half-parsed exercises)."""
    sets, problems = load_book(root)
    for problem in problems:
        error(str(problem))
    if problems:
        error(f"the exercises have {len(problems)} problem(s); fix them before {doing}.")
        return None
    return sets


def cmd_export_qti(args: argparse.Namespace) -> int:
    """Write a Canvas-importable QTI zip (built with text2qti) of the named sets or --all; say what was left out."""
    from .export.qti import export_qti, select_sets

    sets = _sound_sets(args.root, "exporting")
    if sets is None:
        return 1
    print(export_qti(select_sets(sets, args.sets, all_sets=args.all), args.out, title=args.title).summary())
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    """Item analysis of a gradebook (difficulty, discrimination, option counts, skills, charts) as one HTML page."""
    from .export.report import summary, write_report

    sets = _sound_sets(args.root, "analysing a gradebook")
    if sets is None:
        return 1
    print(summary(write_report(args.gradebook, sets, args.out), args.out))
    return 0


def cmd_handouts(args: argparse.Namespace) -> int:
    """Printable handouts: a PDF per set (all sets unless some are named) and an instructor key, via Chromium; with
    --organizers, also the printable organizers (evidence table, planning grid, lateral reading) in DIR/organizers."""
    from .export.handout import build_handouts
    from .export.qti import select_sets

    sets = _sound_sets(args.root, "printing handouts")
    if sets is None:
        return 1
    chosen = select_sets(sets, args.sets, all_sets=args.all or not args.sets)
    result = build_handouts(chosen, args.out, load_corpus(Path(args.root)), with_sources=args.sources,
                            key=args.key, html_only=args.html_only)
    print(result.summary())
    if args.organizers:
        from .export.organizers import build_organizers

        print(build_organizers(args.out, html_only=args.html_only).summary())
    return 0


def add_export(sub: Any) -> None:
    formats = sub.add_parser("export", help="export exercise sets for other systems (qti)").add_subparsers(
        dest="format", required=True, metavar="FORMAT")
    qti = formats.add_parser("qti", help="Canvas-importable QTI 1.2 zip", description=cmd_export_qti.__doc__)
    qti.add_argument("sets", nargs="*", metavar="SET", help="exercise set ids (or --all)")
    qti.add_argument("--all", action="store_true", help="every exercise set")
    qti.add_argument("--out", required=True, metavar="FILE.zip", help="the QTI zip to write")
    qti.add_argument("--title", help="the quiz title in Canvas (default: the set's title)")
    qti.add_argument("--root", default=argparse.SUPPRESS, help="the book's folder (default: current folder)")
    qti.set_defaults(func=cmd_export_qti)


def add_report(sub: Any) -> None:
    parser = sub.add_parser("report", help="item analysis of a gradebook, as HTML", description=cmd_report.__doc__)
    parser.add_argument("gradebook", metavar="GRADEBOOK.csv", help="the CSV written by 'sourcework grade'")
    parser.add_argument("--out", required=True, metavar="FILE.html", help="the report to write")
    parser.set_defaults(func=cmd_report)


def add_handouts(sub: Any) -> None:
    parser = sub.add_parser("handouts", help="printable PDF handouts and an instructor key",
                            description=cmd_handouts.__doc__)
    parser.add_argument("sets", nargs="*", metavar="SET", help="exercise set ids (default: all)")
    parser.add_argument("--all", action="store_true", help="every exercise set (the default)")
    parser.add_argument("--out", default="_build/handouts", metavar="DIR", help="default: _build/handouts")
    parser.add_argument("--no-sources", dest="sources", action="store_false", help="leave out the source texts")
    parser.add_argument("--no-key", dest="key", action="store_false", help="no instructor key")
    parser.add_argument("--html-only", action="store_true", help="write the HTML only (print it from a browser)")
    parser.add_argument("--organizers", action="store_true",
                        help="also print the organizers for the chapters' routines into DIR/organizers")
    parser.set_defaults(func=cmd_handouts)


# --- dist ------------------------------------------------------------------------------------------------------


def cmd_dist(args: argparse.Namespace) -> int:
    """Zip the built editions into the bundles a teacher downloads once: sourcework-<version>-practice.zip and
    -assessment.zip (each opens from its index.html offline) and -instructor.zip (the instructor edition, the
    handouts, the answer key, Canvas QTI quizzes and START-HERE.html), with SHA256SUMS. Builds nothing: run
    `make editions` and `make handouts` first (`make dist` does)."""
    from .export.dist import make_dist

    sets = _sound_sets(args.root, "making the bundles")
    if sets is None:
        return 1
    editions = Path(args.editions) if args.editions else Path(args.root) / "_build" / "editions"
    sites = {e: editions / e / "_build" / "html" for e in ("practice", "assessment", "instructor")}
    result = make_dist(args.root, sets=sets, out=args.out, sites=sites, handouts=args.handouts,
                       version=args.version, title=book_title(args.root))
    print(result.summary())
    return 0


def add_dist(sub: Any) -> None:
    parser = sub.add_parser("dist", help="zip the built editions into the teacher's bundles (make dist)",
                            description=cmd_dist.__doc__)
    parser.add_argument("--out", metavar="DIR", help="where the zips go (default: dist/ in the book's folder)")
    parser.add_argument("--editions", metavar="DIR", help="the built editions, DIR/<edition>/_build/html (default: "
                        "_build/editions in the book's folder, as make editions writes them)")
    parser.add_argument("--handouts", metavar="DIR", help="the printed handouts (default: _build/handouts, as make "
                        "handouts writes them)")
    parser.add_argument("--version", metavar="VERSION", help="the version in the file names (default: the "
                        "pyproject version and the as-of date of sources/law.yml, e.g. 0.1.0-2026-12-06)")
    parser.set_defaults(func=cmd_dist)


# --- the parser ------------------------------------------------------------------------------------------------

SUBCOMMANDS: list[Callable[[Any], None]] = [add_check, add_grade, add_lms, add_key, add_export, add_report,
                                            add_handouts, add_dist]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser: global options, then one subparser per entry of :data:`SUBCOMMANDS`."""
    parser = argparse.ArgumentParser(prog=PROG, description=__doc__.split("\n", 1)[0])
    parser.add_argument("--root", default=".", help="the book's folder (default: current folder)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for add in SUBCOMMANDS:
        add(sub)
    for subparser in sub.choices.values():  # "sourcework grade --root X …" works as well as "--root X grade …"
        subparser.add_argument("--root", default=argparse.SUPPRESS, help="the book's folder (default: current folder)")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status (0 fine, 1 failures or problems, 2 usage error)."""
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # argparse: --help (0) or a usage error (2)
        return exc.code if isinstance(exc.code, int) else 2
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        return 130
    except SourceworkError as exc:
        for problem in exc.problems:
            error(str(problem))
        return 1
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        error(f"{where}{exc.strerror or exc}.")
        return 1
    except Exception as exc:  # never a traceback for a user; SOURCEWORK_DEBUG=1 shows it to a maintainer
        if os.environ.get("SOURCEWORK_DEBUG"):
            raise
        error(f"unexpected {type(exc).__name__}: {exc} (this is a bug in sourcework; "
              "run again with SOURCEWORK_DEBUG=1 to see where, and report it).")
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
