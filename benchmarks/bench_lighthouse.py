"""B5 Lighthouse: mobile scores and bytes of five pages of each edition, beside the stock Jupyter Book template.

Each edition is built here (``jb build -n -W --keep-going``, as ``make editions``) and served by :class:`serve`, a
local static server that compresses as real hosts do (gzip, or brotli when the ``brotli`` module happens to be
installed; never added for this), bound to 127.0.0.1 and shut down after a bounded time. Lighthouse (npm, pinned in
``package.json``) runs with its default mobile settings (a phone screen, simulated slow 4G, 4× CPU slowdown) on the
start page, a chapter, an exercise set, a Source-reader page and the progress page, in Debian's Chromium
(``CHROME_PATH``). The stock Jupyter Book template (``jb create``, built by the same ``jb`` of the same venv, in the
same run) is measured the same way on its pages.

Reported per page: the performance, accessibility and best-practices scores, first contentful paint, largest
contentful paint, total blocking time, and the bytes transferred on a first load (Lighthouse's
``total-byte-weight``: compressed bytes as sent). Lighthouse's timings are simulated from one trace, so they vary a
little between runs and with the machine's load (other builds on the same CPUs move a page's total blocking time by
a second); byte counts do not. So a page can be run several times, round-robin, and its median run reported.

Alone: ``.venv/bin/python benchmarks/bench_lighthouse.py [EDITION …] [--built DIR] [--repeat 3] [--pages chapter,…]
[--no-stock] [--diagnose]`` (``--built DIR`` measures ``DIR/<edition>/_build/html`` without building;
``--diagnose`` prints each page's main-thread work, script boot-up and longest tasks).
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import CHROMIUM, JB, REPO, WORK, jb_build, table  # noqa: E402

LIGHTHOUSE = REPO / "node_modules" / ".bin" / "lighthouse"
EDITIONS = ("practice", "assessment", "instructor")
PAGES = {"start": "book/index.html", "chapter": "book/ch1-programs-and-players.html",
         "exercise set": "exercises/ch1-programs.html", "source": "book/sources/source-b.html",
         "progress": "book/progress.html"}
STOCK_PAGES = {"start": "intro.html", "markdown": "markdown.html", "notebook": "notebooks.html"}
# Issue 15's measurement before the diet (practice edition, Lighthouse 12.2.3, same settings): ~880 KB on a first load.
BEFORE_BYTES = 880_000
GOALS = {"performance": 0.9, "accessibility": 1.0, "best-practices": 1.0}
COMPRESSIBLE = (".html", ".css", ".js", ".json", ".svg", ".txt", ".xml", ".ttf", ".map", ".inv")
LIFETIME = 1800  # seconds: the server shuts itself down after this, whatever happens to the run

try:  # brotli only if it is there already (real hosts send it; not worth a dependency here)
    import brotli  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - the usual case
    brotli = None


class CompressingHandler(SimpleHTTPRequestHandler):
    """Serves files like a static host: text compressed (brotli or gzip, as the browser accepts), cached per file."""

    cache: dict[tuple[str, float, str], bytes] = {}
    lock = threading.Lock()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass

    def send_head(self):  # type: ignore[no-untyped-def]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        accepted = self.headers.get("Accept-Encoding", "")
        coding = ("br" if brotli and "br" in accepted else "gzip" if "gzip" in accepted else "")
        if not (coding and path.is_file() and path.suffix in COMPRESSIBLE):
            return super().send_head()
        key = (str(path), path.stat().st_mtime, coding)
        with self.lock:
            body = self.cache.get(key)
            if body is None:
                raw = path.read_bytes()
                body = brotli.compress(raw) if coding == "br" else gzip.compress(raw, 6)
                self.cache[key] = body
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", coding)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        from io import BytesIO

        return BytesIO(body)


@contextmanager
def serve(root: Path, lifetime: float = LIFETIME) -> Iterator[str]:
    """Serve ``root`` on 127.0.0.1 (a free port) until the block ends or ``lifetime`` seconds pass; yield its URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(CompressingHandler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    timer = threading.Timer(lifetime, server.shutdown)
    timer.daemon = True
    timer.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        timer.cancel()
        server.shutdown()
        server.server_close()


def lighthouse(url: str, out: Path) -> dict:
    """One Lighthouse run (mobile defaults); the figures this benchmark reports."""
    env = dict(os.environ, CHROME_PATH=CHROMIUM)
    flags = "--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update"
    done = subprocess.run([str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={out}",
                           "--only-categories=performance,accessibility,best-practices",
                           f"--chrome-flags={flags}"], env=env, capture_output=True, text=True, timeout=300)
    if done.returncode or not out.exists():
        raise RuntimeError(f"lighthouse failed on {url}:\n{done.stderr[-2000:]}")
    return figures(json.loads(out.read_text("utf-8")))


def figures(report: dict) -> dict:
    """What this benchmark reports, from one Lighthouse JSON report."""
    audits = report["audits"]
    failing = {cat: [ref["id"] for ref in report["categories"][cat]["auditRefs"]
                     if ref.get("weight") and (audits[ref["id"]].get("score") is not None)
                     and audits[ref["id"]]["score"] < 1]
               for cat in ("accessibility", "best-practices")}
    return {"performance": report["categories"]["performance"]["score"],
            "accessibility": report["categories"]["accessibility"]["score"],
            "best-practices": report["categories"]["best-practices"]["score"],
            "fcp": audits["first-contentful-paint"]["numericValue"] / 1000,
            "lcp": audits["largest-contentful-paint"]["numericValue"] / 1000,
            "tbt": audits["total-blocking-time"]["numericValue"],
            "cls": audits["cumulative-layout-shift"]["numericValue"],
            "bytes": int(audits["total-byte-weight"]["numericValue"]),
            "requests": len(audits["network-requests"]["details"]["items"]),
            "failing": failing, "diagnosis": diagnose(report)}


def build_stock() -> Path:
    """``jb create`` the template book and build it with the same ``jb``."""
    book = WORK / "stock-book"
    shutil.rmtree(book, ignore_errors=True)
    subprocess.run([str(JB), "create", str(book)], check=True, capture_output=True)
    out = WORK / "stock-build"
    shutil.rmtree(out, ignore_errors=True)
    subprocess.run([str(JB), "build", str(book), "--path-output", str(out)], check=True, capture_output=True)
    return out / "_build" / "html"


def median_run(runs: list[dict]) -> dict:
    """Of several runs of one page, the one with the median performance score (its other figures with it), and
    every run's score (``scores``)."""
    ordered = sorted(runs, key=lambda r: (r["performance"], -r["tbt"]))
    chosen = dict(ordered[(len(ordered) - 1) // 2])
    chosen["scores"] = [r["performance"] for r in runs]
    return chosen


def measure(html: Path, pages: dict[str, str], tag: str, repeat: int = 1) -> list[tuple[str, dict]]:
    """Each page ``repeat`` times (round-robin, so a burst of load elsewhere hits several pages once, not one page
    every time); per page the median run (``median_run``). Reports: ``<tag>-<page>[-<n>].json``."""
    runs: dict[str, list[dict]] = {name: [] for name in pages}
    reports = WORK / "lighthouse"
    reports.mkdir(parents=True, exist_ok=True)
    with serve(html) as base:
        for n in range(repeat):
            for name, rel in pages.items():
                suffix = f"-{n + 1}" if n else ""
                out = reports / f"{tag}-{name.replace(' ', '-')}{suffix}.json"
                runs[name].append(lighthouse(base + rel, out))
    return [(name, median_run(found)) for name, found in runs.items()]


def diagnose(report: dict, top: int = 4) -> str:
    """The main-thread costs of one report: work by category, the scripts' boot-up time, the longest tasks."""
    audits = report["audits"]
    groups = audits["mainthread-work-breakdown"]["details"]["items"]
    work = ", ".join(f"{g['groupLabel']} {g['duration']:.0f}" for g in groups[:top])
    def file(url: str) -> str:
        return url.rsplit("/", 1)[-1].split("?")[0] or url

    boot = ", ".join(f"{file(i['url'])} {i['total']:.0f}" for i in audits["bootup-time"]["details"]["items"][:top])
    tasks = ", ".join(f"{file(t['url'])} {t['duration']:.0f}@{t['startTime']:.0f}"
                      for t in (audits.get("long-tasks", {}).get("details") or {}).get("items", [])[:top])
    return f"main thread ms: {work}\n  boot-up ms: {boot}\n  long tasks ms@start: {tasks}"


def kb(n: int) -> str:
    return f"{n / 1000:,.0f} KB"


def run(editions: tuple[str, ...] = EDITIONS) -> tuple[str, dict]:
    """Build and measure ``editions`` (``SW_LIGHTHOUSE_EDITIONS``, comma-separated, narrows the default;
    ``SW_LIGHTHOUSE_REPEAT`` runs per page) and the stock template; the summary. Alone, with options: ``main``."""
    chosen = os.environ.get("SW_LIGHTHOUSE_EDITIONS")
    editions = tuple(e for e in chosen.split(",") if e) if chosen else editions
    repeat = int(os.environ.get("SW_LIGHTHOUSE_REPEAT", "1"))  # runs per page, the median reported
    measured: dict[str, list[tuple[str, dict]]] = {}
    for edition in editions:
        out = WORK / "lighthouse-build" / edition
        shutil.rmtree(out, ignore_errors=True)
        jb_build(REPO, out, edition)
        measured[edition] = measure(out / "_build" / "html", PAGES, edition, repeat)
    measured["stock template"] = measure(build_stock(), STOCK_PAGES, "stock", repeat)
    return summary(measured), measured


def from_reports(folder: Path, tags: dict[str, str]) -> dict[str, list[tuple[str, dict]]]:
    """{book: [(page, figures)]} from saved reports ``<folder>/<tag>-<page>.json`` (``tags``: book → tag)."""
    return {book: [(name, figures(json.loads((folder / f"{tag}-{name.replace(' ', '-')}.json").read_text("utf-8"))))
                   for name in (STOCK_PAGES if tag == "stock" else PAGES)]
            for book, tag in tags.items()}


def summary(measured: dict[str, list[tuple[str, dict]]]) -> str:
    rows = []
    for book, results in measured.items():
        for name, r in results:
            rows.append([book, name, f"{r['performance']:.2f}", f"{r['accessibility']:.2f}",
                         f"{r['best-practices']:.2f}", f"{r['fcp']:.1f} s", f"{r['lcp']:.1f} s",
                         f"{r['tbt']:.0f} ms", f"{r['cls']:.2f}", kb(r["bytes"]), r["requests"]])
    ours = [r for book, results in measured.items() if book != "stock template" for _n, r in results]
    stock = [r for _n, r in measured["stock template"]]
    lines = [table(["book", "page", "performance", "accessibility", "best practices", "FCP", "LCP", "TBT", "CLS",
                    "transferred", "requests"], rows), ""]
    for key, goal in GOALS.items():
        worst = min(r[key] for r in ours)
        lines.append(f"- {key}: lowest of our {len(ours)} pages **{worst:.2f}** (goal ≥ {goal:.1f}: "
                     f"{'**met**' if worst >= goal else '**not met**'}); stock template "
                     f"{min(r[key] for r in stock):.2f}–{max(r[key] for r in stock):.2f}.")
    heaviest = max(r["bytes"] for r in ours)
    lines.append(f"- bytes on a first load: at most **{kb(heaviest)}** on any of our pages (goal ≤ one fifth of the "
                 f"{kb(BEFORE_BYTES)} measured before the diet, {kb(BEFORE_BYTES // 5)}: "
                 f"{'**met**' if heaviest <= BEFORE_BYTES // 5 else '**not met**'}); stock template "
                 f"{kb(min(r['bytes'] for r in stock))}–{kb(max(r['bytes'] for r in stock))}.")
    failing = sorted({f"{cat}: {audit}" for r in ours for cat, ids in r["failing"].items() for audit in ids})
    if failing:
        lines.append("- audits not passed on some of our pages: " + ", ".join(failing) + ".")
    version = subprocess.run([str(LIGHTHOUSE), "--version"], capture_output=True, text=True).stdout.strip()
    lines.append(f"\nLighthouse {version} (mobile, simulated slow 4G), Chromium {CHROMIUM}, "
                 f"{'brotli' if brotli else 'gzip'} from the local server; reports in `{WORK / 'lighthouse'}`.")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    """``bench_lighthouse.py [EDITION …] [--built DIR] [--repeat N] [--pages a,b] [--no-stock] [--diagnose]``."""
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("editions", nargs="*", default=list(EDITIONS), help="editions to measure (default: all)")
    parser.add_argument("--built", type=Path, help="measure the builds in DIR/<edition>/_build/html (no build)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per page; the median is reported (default 1)")
    parser.add_argument("--pages", help=f"comma-separated subset of {', '.join(PAGES)}")
    parser.add_argument("--no-stock", action="store_true", help="skip the stock template")
    parser.add_argument("--diagnose", action="store_true", help="print each median run's main-thread costs")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    pages = {k: v for k, v in PAGES.items() if not args.pages or k in args.pages.split(",")}
    measured: dict[str, list[tuple[str, dict]]] = {}
    for edition in args.editions:
        if args.built:
            html = args.built / edition / "_build" / "html"
        else:
            out = WORK / "lighthouse-build" / edition
            shutil.rmtree(out, ignore_errors=True)
            jb_build(REPO, out, edition)
            html = out / "_build" / "html"
        measured[edition] = measure(html, pages, edition, args.repeat)
    if not args.no_stock:
        measured["stock template"] = measure(build_stock(), STOCK_PAGES, "stock", args.repeat)
    print(summary(measured) if not args.no_stock else short(measured))
    if args.diagnose:
        for book, results in measured.items():
            for name, r in results:
                print(f"{book} / {name}: performance {r['performance']:.2f} (runs {r.get('scores')})\n  "
                      + r["diagnosis"])
    print(f"({time.perf_counter() - start:.0f} s, load average at the end {os.getloadavg()[0]:.1f})")


def short(measured: dict[str, list[tuple[str, dict]]]) -> str:
    """The table alone (no stock template to compare with)."""
    rows = [[book, name, f"{r['performance']:.2f}", " ".join(f"{s:.2f}" for s in r.get("scores", [])),
             f"{r['accessibility']:.2f}", f"{r['best-practices']:.2f}", f"{r['fcp']:.1f} s", f"{r['lcp']:.1f} s",
             f"{r['tbt']:.0f} ms", f"{r['cls']:.2f}", kb(r["bytes"]), r["requests"],
             "; ".join(f"{c}: {', '.join(a)}" for c, a in r["failing"].items() if a)]
            for book, results in measured.items() for name, r in results]
    return table(["book", "page", "performance", "runs", "accessibility", "best practices", "FCP", "LCP", "TBT",
                  "CLS", "transferred", "requests", "failing"], rows)


if __name__ == "__main__":
    main()
