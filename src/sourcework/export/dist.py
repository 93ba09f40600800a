"""Bundles a teacher downloads once (``make dist``, ``sourcework dist``): three zips assembled from built editions.

- ``sourcework-<version>-practice.zip`` and ``-assessment.zip``: one top folder holding ``index.html`` (a redirect
  page that opens the book) and ``site/`` (the edition exactly as built). Unzipped anywhere, ``index.html`` opens the
  book from ``file://`` with nothing fetched from elsewhere.
- ``sourcework-<version>-instructor.zip``: the same for the instructor edition, plus ``START-HERE.html`` (one page for
  the teacher: which zip is for whom, opening offline, assigning, grading, returning grades, where the notes are),
  ``handouts/`` (the PDFs ``sourcework handouts --all --organizers`` wrote: a PDF per set, the instructor key, the
  organizers), ``answer-key/`` (``sourcework key`` as Markdown and JSON) and ``qti/`` (a Canvas QTI zip per set, with
  a note of what each left out).

Nothing is built here: the editions come from ``_build/editions/<edition>/_build/html`` (``make editions``) and the
handouts from ``_build/handouts`` (``make handouts``). Before zipping, each site is checked: it is the edition it is
named as (every page's ``data-edition``), it was built from the exercises as they are now (every page's
``data-content-hash``), and a practice or assessment site holds no instructor page, teaching note, answer-key page or
class-grading data, and an assessment site no secret field in its item data. A site that fails is not bundled.

The version is ``<pyproject version>-<as_of>``: the package version of the code and the date the module's account of
law and policy describes (``as_of`` in ``sources/law.yml``), e.g. ``0.1.0-2026-12-06``; a content update (a new
as-of date) thus gets a new name even when the code did not change. Zips are deterministic: entries in sorted order,
every timestamp the as-of date (or ``SOURCE_DATE_EPOCH``), fixed permissions, so the same inputs give the same bytes.
``SHA256SUMS`` (the ``sha256sum -c`` format) lists the three zips.

No Sphinx import: this runs on the build's output.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import io
import json
import os
import re
import tempfile
import time
import tomllib
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import yaml

from ..core.errors import Problem, SourceworkError
from ..core.model import SECRET_FIELDS, ItemSet, content_hash

EDITIONS = ("practice", "assessment", "instructor")
NAME = "sourcework"
# Marks that only instructor material carries in built HTML: the answer-key page, {instructor-only} blocks, an
# item's static key and notes, and the class-grading page's data block.
INSTRUCTOR_MARKS = ('class="sw-answer-key', "sw-instructor-only", 'class="sw-instructor"', 'id="sw-class-book"')
# Already compressed: stored, not deflated again (saves time, not bytes).
STORED = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".woff", ".woff2", ".zip", ".gz", ".pdf"}
FILE_MODE = 0o100644
DIR_MODE = 0o040755


class DistError(SourceworkError):
    """A bundle could not be made (a site missing, stale, of the wrong edition or holding instructor material)."""


@dataclass
class Bundle:
    edition: str
    path: Path
    files: int
    size: int
    sha256: str


@dataclass
class DistResult:
    version: str
    bundles: list[Bundle] = field(default_factory=list)
    checksums: Path | None = None
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        lines = [f"Bundles of version {self.version}:"]
        lines += [f"  {b.path}  ({b.size / 1e6:.1f} MB, {b.files} files)" for b in self.bundles]
        if self.checksums:
            lines.append(f"  {self.checksums}")
        lines += [f"  note: {n}" for n in self.notes]
        return "\n".join(lines)


# --- version ---------------------------------------------------------------------------------------------------


def as_of(root: Path) -> dt.date | None:
    """The module's as-of date (``as_of`` in ``sources/law.yml``), or None when the book has none."""
    try:
        data = yaml.safe_load((root / "sources" / "law.yml").read_text("utf-8"))
    except (OSError, yaml.YAMLError):
        return None
    value = data.get("as_of") if isinstance(data, dict) else None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def package_version(root: Path) -> str:
    """``version`` of the book's ``pyproject.toml``, else of the installed sourcework package."""
    try:
        return str(tomllib.loads((root / "pyproject.toml").read_text("utf-8"))["project"]["version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        try:
            return metadata.version(NAME)
        except metadata.PackageNotFoundError:
            return "0"


def module_version(root: Path | str) -> str:
    """``<package version>-<as-of date>`` (``0.1.0-2026-12-06``), or the package version alone without a date."""
    root = Path(root)
    date = as_of(root)
    return f"{package_version(root)}-{date.isoformat()}" if date else package_version(root)


def bundle_name(version: str, edition: str) -> str:
    return f"{NAME}-{version}-{edition}"


# --- checking a built site -------------------------------------------------------------------------------------


def edition_site(root: Path, edition: str) -> Path:
    """Where ``make editions`` puts an edition's HTML."""
    return root / "_build" / "editions" / edition / "_build" / "html"


def site_files(site: Path) -> list[Path]:
    """Every file of a built site, sorted, without hidden files (Sphinx's ``.buildinfo``)."""
    return sorted(p for p in site.rglob("*") if p.is_file()
                  and not any(part.startswith(".") for part in p.relative_to(site).parts))


def _secret_keys(data: object) -> set[str]:
    if isinstance(data, dict):
        return {k for k in data if k in SECRET_FIELDS} | {s for v in data.values() for s in _secret_keys(v)}
    if isinstance(data, list):
        return {s for v in data for s in _secret_keys(v)}
    return set()


REBUILD = "Rebuild the editions (make editions), then run make dist again."


def site_problems(site: Path, edition: str, expected_hash: str | None) -> list[Problem]:
    """Why ``site`` may not be bundled as ``edition`` (empty when it may)."""
    if not (site / "index.html").is_file():
        return [Problem(str(site), 0, f"no built {edition} edition here (no index.html).", REBUILD)]
    problems: list[Problem] = []
    editions_seen: set[str] = set()
    hashes_seen: set[str] = set()
    for path in site_files(site):
        if path.suffix != ".html":
            continue
        text = path.read_text("utf-8", errors="replace")
        where = str(path)
        editions_seen |= set(re.findall(r'data-edition="([a-z]+)"', text))
        hashes_seen |= set(re.findall(r'data-content-hash="([0-9a-f]+)"', text))
        if edition != "instructor":
            problems += [Problem(where, 0, f"instructor material ({mark}) in the {edition} edition.", REBUILD)
                         for mark in INSTRUCTOR_MARKS if mark in text]
        if edition == "assessment":
            for block in re.findall(r'<script type="application/json" class="sw-data">(.*?)</script>', text, re.S):
                leaked = _secret_keys(json.loads(block.replace("<\\/", "</")))
                if leaked:
                    problems.append(Problem(where, 0, f"item data with {', '.join(sorted(leaked))} in the "
                                            "assessment edition.", REBUILD))
    if editions_seen and editions_seen != {edition}:
        problems.append(Problem(str(site), 0, f"its pages were built as the {', '.join(sorted(editions_seen))} "
                                f"edition, not the {edition} edition.", REBUILD))
    if expected_hash and hashes_seen and hashes_seen != {expected_hash}:
        problems.append(Problem(str(site), 0, f"the {edition} edition was built from other exercises than the "
                                "book holds now.", REBUILD))
    return problems


def redirect_target(site: Path) -> str:
    """Where the site's ``index.html`` leads (its refresh target, when it is a redirect page), from the site's root."""
    head = (site / "index.html").read_text("utf-8", errors="replace")[:4000]
    match = re.search(r'http-equiv="refresh"\s+content="\d+;\s*url=([^"]+)"', head, re.I)
    return html.unescape(match.group(1)) if match and "://" not in match.group(1) else "index.html"


def redirect_page(target: str, title: str, favicon: str = "") -> str:
    """A valid HTML5 page that opens ``target`` at once, with a link for when it does not (no script)."""
    target, title = html.escape(target), html.escape(title)
    icon = f'<link rel="icon" href="{html.escape(favicon)}">\n' if favicon else ""
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>{title}</title>\n'
            f'<meta http-equiv="refresh" content="0; url={target}">\n{icon}</head>\n<body>\n'
            f'<p>Opening <a href="{target}">{title}</a>.</p>\n</body>\n</html>\n')


def site_title(site: Path) -> str:
    text = (site / "index.html").read_text("utf-8", errors="replace")
    match = re.search(r"<title>(.*?)</title>", text, re.S)
    return html.unescape(match.group(1)).strip() if match else "The book"


# --- deterministic zips ----------------------------------------------------------------------------------------


def fixed_time(date: dt.date | None) -> tuple[int, int, int, int, int, int]:
    """Every entry's timestamp: ``SOURCE_DATE_EPOCH`` if set, else the as-of date, else 1980-01-01 (zip's first)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        stamp = time.gmtime(max(int(epoch), 315532800))
        return (stamp.tm_year, stamp.tm_mon, stamp.tm_mday, stamp.tm_hour, stamp.tm_min, stamp.tm_sec)
    if date:
        return (max(date.year, 1980), date.month, date.day, 0, 0, 0)
    return (1980, 1, 1, 0, 0, 0)


def write_zip(out: Path, entries: dict[str, bytes], stamp: tuple[int, int, int, int, int, int]) -> None:
    """Write ``entries`` ({posix name: bytes}) and their folders to ``out`` in sorted order with ``stamp``; atomic."""
    folders = {name.rsplit("/", n)[0] + "/" for name in entries for n in range(1, name.count("/") + 1)}
    out.parent.mkdir(parents=True, exist_ok=True)
    part = out.with_name(out.name + ".part")
    with zipfile.ZipFile(part, "w") as archive:
        for name in sorted(folders | set(entries)):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.create_system = 3  # Unix, so the modes below are read
            if name.endswith("/"):
                info.external_attr = (DIR_MODE << 16) | 0x10
                archive.writestr(info, b"")
                continue
            info.external_attr = FILE_MODE << 16
            stored = Path(name).suffix.lower() in STORED
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            archive.writestr(info, entries[name], compresslevel=None if stored else 9)
    os.replace(part, out)


def normalised_zip(data: bytes, stamp: tuple[int, int, int, int, int, int]) -> bytes:
    """The same archive with fixed timestamps and modes (text2qti stamps its zip with the time of writing)."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        members = [(info, source.read(info)) for info in source.infolist()]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for old, content in members:
            info = zipfile.ZipInfo(old.filename, date_time=stamp)
            info.create_system = 3
            info.external_attr = ((DIR_MODE << 16) | 0x10) if old.is_dir() else FILE_MODE << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, content, compresslevel=9)
    return buffer.getvalue()


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


# --- the instructor extras -------------------------------------------------------------------------------------


def handout_entries(handouts: Path) -> dict[str, bytes]:
    """``handouts/…`` entries: every PDF under ``handouts`` (the set PDFs, the instructor key, organizers/)."""
    pdfs = sorted(p for p in handouts.rglob("*.pdf") if p.is_file())
    if not (handouts / "instructor-key.pdf").is_file() or len(pdfs) < 2:
        raise DistError(Problem(str(handouts), 0, "no handouts with an instructor key here.",
                                "Print them first: make handouts (sourcework handouts --all --organizers)."))
    return {f"handouts/{p.relative_to(handouts).as_posix()}": p.read_bytes() for p in pdfs}


def key_entries(sets: Sequence[ItemSet], title: str) -> dict[str, bytes]:
    from .key import answer_key

    return {f"answer-key/answer-key.{fmt}": answer_key(list(sets), fmt=fmt, book=title).encode("utf-8")
            for fmt in ("md", "json")}


def qti_entries(sets: Sequence[ItemSet], work: Path, stamp: tuple[int, int, int, int, int, int]) -> dict[str, bytes]:
    """``qti/<set id>.zip`` per set (Canvas: Settings, Import Course Content, QTI .zip file) and ``qti/README.txt``
    with what each export adjusted or left out, as ``sourcework export qti`` reports it."""
    from .qti import export_qti

    entries: dict[str, bytes] = {}
    report = ["Canvas quizzes (QTI 1.2), one zip per exercise set. In Canvas: Settings, Import Course Content,",
              "Content Type \"QTI .zip file\", choose the zip. Items Canvas cannot score the same way are left out",
              "(ordering and two-part items): set those in the book or on the printed handout.", ""]
    for item_set in sets:
        if not item_set.items:
            continue
        out = work / f"{item_set.id}.zip"
        try:
            result = export_qti([item_set], out)
        except SourceworkError as exc:
            report += [f"{item_set.id}: not exported: " + "; ".join(p.message for p in exc.problems), ""]
            continue
        entries[f"qti/{item_set.id}.zip"] = normalised_zip(out.read_bytes(), stamp)
        report += [result.summary().replace(str(out), f"{item_set.id}.zip"), ""]
    entries["qti/README.txt"] = "\n".join(report).encode("utf-8")
    return entries


def start_here(*, title: str, version: str, date: dt.date | None, site_dir: str, pages: set[str],
               files: Iterable[str], names: dict[str, str], set_titles: dict[str, str] | None = None) -> str:
    """START-HERE.html: one self-contained page for the teacher (no script, no other file needed)."""
    files = sorted(files)

    def link(rel: str, text: str) -> str:
        return f'<a href="{html.escape(rel)}">{html.escape(text)}</a>'

    def page(docname: str, text: str, otherwise: str) -> str:
        rel = f"{docname}.html"
        return link(f"{site_dir}/{rel}", text) if rel in pages else otherwise

    handouts = [f for f in files if f.startswith("handouts/") and "/organizers/" not in f
                and not f.endswith("instructor-key.pdf")]
    organizers = [f for f in files if f.startswith("handouts/organizers/")]
    qti = [f for f in files if f.startswith("qti/") and f.endswith(".zip")]
    grading = page("book/grade-class", "Grade a class", "")
    guide = page("book/instructor-guide", "instructor guide", "instructor guide")
    when = f" It describes law and policy as of {date:%B} {date.day}, {date.year}." if date else ""
    grade_in_browser = (
        f"<li><strong>In the browser, no install:</strong> open {grading} in this edition (index.html, then the "
        "page of that name in the table of contents). Add the answer files, or the zip your learning platform gives "
        "you (Canvas's Download Submissions, a Moodle assignment download); score the written answers against the "
        "rubric and its anchor answers; export the gradebook, the students' feedback pages and a grade-import file. "
        "Files stay on your computer; the page sends nothing anywhere.</li>") if grading else ""
    set_titles = set_titles or {}

    def named(rel: str) -> str:
        stem = Path(rel).stem
        return link(rel, Path(rel).name) + (f" ({html.escape(set_titles[stem])})" if stem in set_titles else "")

    items = "; ".join(named(f) for f in handouts)
    org = ", ".join(link(f, f.removeprefix("handouts/organizers/")) for f in organizers)
    quiz = ", ".join(link(f, f.removeprefix("qti/")) for f in qti)
    css = ("body{font:16px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;max-width:46rem;margin:2rem auto;"
           "padding:0 1rem;color:#1a1a1a;background:#fff}h1{font-size:1.6rem;margin-bottom:.25rem}"
           "h2{font-size:1.15rem;margin:1.5rem 0 .25rem}table{border-collapse:collapse;width:100%}"
           "th,td{border:1px solid #888;padding:.3rem .5rem;text-align:left;vertical-align:top}"
           "a{color:#0645ad}code{font-size:.95em}.small{font-size:.9rem;color:#333}"
           "@media print{body{margin:0;font-size:11pt}a{color:inherit}}")
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Start here: {html.escape(title)}</title>
<style>{css}</style>
</head>
<body>
<main>
<h1>Start here</h1>
<p><strong>{html.escape(title)}</strong>, version {html.escape(version)}.{when} This folder is for you, the
teacher: it holds every key and anchor answer, so do not give it to students.
{link("index.html", "Open the instructor edition")}.</p>

<h2>Three zips, three audiences</h2>
<table>
<thead><tr><th scope="col">Zip</th><th scope="col">For</th><th scope="col">What it is</th></tr></thead>
<tbody>
<tr><td><code>{html.escape(names['practice'])}.zip</code></td><td>students: reading, homework, self-study</td>
<td>Instant feedback on every item. The keys are inside its pages, so use it only for practice.</td></tr>
<tr><td><code>{html.escape(names['assessment'])}.zip</code></td><td>students: graded work</td>
<td>No key, explanation or sample answer anywhere. Students save their answers and hand in the file that
<strong>Download my answers</strong> makes.</td></tr>
<tr><td><code>{html.escape(names['instructor'])}.zip</code> (this one)</td><td>you</td>
<td>Keys, explanations, rubrics with anchor answers, teaching notes, the answer key, printable handouts,
Canvas quizzes{", the class-grading page" if grading else ""}.</td></tr>
</tbody>
</table>

<h2>Open it, offline</h2>
<p>Unzip the folder anywhere (Windows: right-click, <em>Extract All</em>; Mac: double-click), then open
<code>index.html</code> in any current browser. Nothing to install and no internet needed. Open it from the
unzipped folder, not from inside the zip. Answers are kept in that browser on that computer.</p>

<h2>Assign</h2>
<ol>
<li>Put the practice or assessment zip where students get files: your learning platform, a shared drive, a USB
stick. Each student unzips it and opens <code>index.html</code>.</li>
<li>Name the chapter and its exercise set. Students type their name and student ID on the set's page. Tell them
which ID to type: the one your learning platform knows them by (for Canvas, the SIS user ID or login ID; for
Moodle, the username or school email address, whichever you will map on import), since grades are matched by it.</li>
<li>For graded work students use the assessment edition, then <strong>Download my answers</strong> and upload the
<code>.json</code> file to your assignment. On paper: print the handouts below.</li>
</ol>

<h2>Grade</h2>
<ul>
{grade_in_browser}
<li><strong>On the command line</strong> (whoever installed the module's tools):
<code>sourcework grade submissions.zip --out gradebook.csv</code> writes the gradebook and a feedback page per
student; <code>--rubric-scores</code> adds your rubric levels for the written answers.</li>
</ul>

<h2>Return grades</h2>
<p><strong>Canvas:</strong> export your course's gradebook (Grades, Export), make the import file from it
({"on the grading page, or with " if grading else "with "}<code>sourcework lms canvas</code>) and import it (Grades,
Import). Students are matched by the student ID they typed; anyone not matched for certain is listed, never guessed.
<strong>Moodle and others:</strong> make a plain <code>student_id,points</code> CSV of one set, in raw points
({"the grading page's Plain CSV, or " if grading else ""}<code>sourcework lms plain</code>); use a total only for a
grade item out of the sum of every set's points. Score every written answer first. In Moodle, create the grade item
before you import, with its maximum set to the set's points ({"the grading page lists them as “out of …”, and " if
grading else ""}each set's page gives them as “… points in all”; use one grade item per set). Moodle imports
nothing if one ID matches no Moodle user, so check the IDs against your class list; if
it names an ID, fix or delete that row and upload again. <strong>D2L Brightspace</strong> needs the columns renamed
first: <code>student_id</code> to <code>Username</code> or <code>OrgDefinedId</code>, and <code>points</code> to the
grade item's name followed by <code>Points Grade</code>, plus Brightspace's End-of-Line Indicator column{
" (the grading page gives the steps)" if grading else ""}. Send each student their feedback page.</p>

<h2>What else is here</h2>
<ul>
<li><strong>Teaching notes:</strong> the {guide} (unit plan, classroom climate, rubrics, the full answer key) and
notes inside each chapter, shown only in this edition.</li>
<li><strong>Handouts</strong> to print, one per exercise set: {items}; and the
{link("handouts/instructor-key.pdf", "instructor key")} (every set's key, explanations and rubrics).</li>
{f"<li><strong>Organizers</strong> for the chapters' routines: {org}.</li>" if org else ""}
<li><strong>Answer key</strong> as text: {link("answer-key/answer-key.md", "answer-key.md")} (JSON for tools:
{link("answer-key/answer-key.json", "answer-key.json")}).</li>
<li><strong>Canvas quizzes</strong> (QTI), one per set: {quiz}. In Canvas: Settings, Import Course Content, QTI .zip
file. Ordering and two-part items do not transfer; {link("qti/README.txt", "README.txt")} lists them.</li>
</ul>
<p class="small">The module's own files and the tools (<code>sourcework</code>) are in its source repository; its
README says how to build and check everything.</p>
</main>
</body>
</html>
"""


# --- assembling ------------------------------------------------------------------------------------------------


def site_entries(site: Path, top: str) -> dict[str, bytes]:
    return {f"{top}/site/{p.relative_to(site).as_posix()}": p.read_bytes() for p in site_files(site)}


def make_dist(root: Path | str, *, sets: Sequence[ItemSet], out: Path | str | None = None,
              sites: dict[str, Path] | None = None, handouts: Path | str | None = None, version: str | None = None,
              title: str = "") -> DistResult:
    """Check the three built sites and write the three bundles and ``SHA256SUMS`` to ``out`` (default
    ``<root>/dist``). Raises :class:`DistError` listing every problem before anything is written."""
    root = Path(root)
    out = Path(out) if out else root / "dist"
    sites = {e: Path((sites or {}).get(e) or edition_site(root, e)) for e in EDITIONS}
    handouts = Path(handouts) if handouts else root / "_build" / "handouts"
    version = version or module_version(root)
    if not re.fullmatch(r"[0-9A-Za-z][0-9A-Za-z.+_-]*", version):
        raise DistError(Problem("--version", 0, f"{version!r} cannot be part of a file name.",
                                "Use letters, digits, dots, dashes, plus or underscores."))
    expected = content_hash(list(sets))
    problems = [p for e in EDITIONS for p in site_problems(sites[e], e, expected)]
    if problems:
        raise DistError(problems)
    extras = handout_entries(handouts)
    date = as_of(root)
    stamp = fixed_time(date)
    title = title or site_title(sites["practice"])
    names = {e: bundle_name(version, e) for e in EDITIONS}
    extras |= key_entries(sets, title)
    with tempfile.TemporaryDirectory(prefix="sourcework-qti-") as work:
        extras |= qti_entries(sets, Path(work), stamp)
    result = DistResult(version)
    for edition in EDITIONS:
        site, top = sites[edition], names[edition]
        entries = site_entries(site, top)
        favicon = "site/_static/favicon.svg" if (site / "_static" / "favicon.svg").is_file() else ""
        entries[f"{top}/index.html"] = redirect_page(f"site/{redirect_target(site)}", title, favicon).encode()
        if edition == "instructor":
            entries |= {f"{top}/{name}": data for name, data in extras.items()}
            pages = {p.relative_to(site).as_posix() for p in site.rglob("*.html")}
            if "book/grade-class.html" in pages and 'id="sw-class-book"' not in (
                    site / "book" / "grade-class.html").read_text("utf-8", errors="replace"):
                pages.discard("book/grade-class.html")  # a placeholder, not the grading tool
                result.notes.append("the instructor edition has no class-grading tool yet; START-HERE names the "
                                    "command line only")
            entries[f"{top}/START-HERE.html"] = start_here(
                title=title, version=version, date=date, site_dir="site", pages=pages, files=extras,
                names=names, set_titles={s.id: s.title for s in sets}).encode("utf-8")
        path = out / f"{top}.zip"
        write_zip(path, entries, stamp)
        result.bundles.append(Bundle(edition, path, len(entries), path.stat().st_size, sha256(path)))
    for stale in out.glob(f"{NAME}-*.zip"):
        if stale not in {b.path for b in result.bundles}:
            result.notes.append(f"an older bundle is still in {out}: {stale.name}")
    sums = out / "SHA256SUMS"
    sums.write_text("".join(f"{b.sha256}  {b.path.name}\n" for b in result.bundles), "utf-8")
    result.checksums = sums
    return result
