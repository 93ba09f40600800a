"""The bundles a teacher downloads (``make dist``), tested as a teacher gets them: unzipped, opened from file://.

The ``bundles`` fixture zips the editions this session already built (the assembler ``make dist`` runs, on the same
HTML) and unzips each bundle into a temporary folder. Then:

- each bundle is one top folder named for the module's version and edition, its site byte for byte the built
  edition (so every browser test run on ``_build`` holds for the bundle), and ``SHA256SUMS`` lists the zips;
- each bundle's ``index.html`` opens the book from file:// with every other request blocked, and none attempted, no
  script or console error, and so does every page of its site; in the practice bundle a reader follows a link to an
  exercise set and checks an answer;
- the practice and assessment bundles hold no handout, answer key, QTI package, grading page or START-HERE, and no
  file of theirs holds a secret (the key-leak scan of ``test_key_leaks`` on every unzipped file: for assessment
  every key, feedback, explanation, anchor and teaching note; for practice, whose pages carry keys by design,
  every anchor answer, teaching note and ``{instructor-only}`` sentence);
- the instructor bundle has its handouts (PDFs, instructor key, organizers), answer key, a QTI zip per set and a
  START-HERE page whose every link leads to a file in the bundle; START-HERE and the top pages are valid HTML and
  pass axe-core.
"""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
import vnu
from conftest import EDITIONS, Bundled, describe_violations, format_violations, run_axe
from swpage import answer, item_selector, key_response, multi_rows, submit
from test_key_leaks import norm, readable, secrets

from sourcework.export.dist import module_version

pytestmark = pytest.mark.browser

INSTRUCTOR_ONLY = ("START-HERE.html", "handouts", "answer-key", "qti")


def files_of(folder: Path) -> dict[str, str]:
    """{path relative to ``folder``: sha256} of every file below it."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("name", EDITIONS)
def test_each_bundle_is_one_folder_holding_the_built_edition(name, bundles, editions):
    bundle = bundles[name]
    version = module_version(bundle.book) if bundle.book.joinpath("pyproject.toml").exists() else None
    assert bundle.archive.name == f"{bundle.top.name}.zip"
    assert re.fullmatch(rf"sourcework-[0-9][0-9A-Za-z.+_-]*-{name}", bundle.top.name), bundle.top.name
    if version:
        assert bundle.top.name == f"sourcework-{version}-{name}"
    with zipfile.ZipFile(bundle.archive) as archive:
        assert {n.split("/", 1)[0] for n in archive.namelist()} == {bundle.top.name}
    built = {rel: digest for rel, digest in files_of(editions[name].html).items() if not rel.startswith(".")}
    assert files_of(bundle.html) == built, "the bundle's site differs from the built edition"
    sums = (bundle.archive.parent / "SHA256SUMS").read_text("utf-8")
    assert f"{hashlib.sha256(bundle.archive.read_bytes()).hexdigest()}  {bundle.archive.name}\n" in sums
    top = {p.name for p in bundle.top.iterdir()}
    expected = {"index.html", "site"} | (set(INSTRUCTOR_ONLY) if name == "instructor" else set())
    assert top == expected


def open_top(bundle: Bundled, open_page):
    """Open the bundle's own index.html (outside the site) and wait until it has led into the book."""
    opened = open_page(bundle, "../index.html", wait=False)
    opened.page.wait_for_url(lambda url: url.startswith(bundle.html.as_uri() + "/"), timeout=10000)
    opened.ready()
    return opened


@pytest.mark.parametrize("name", EDITIONS)
def test_each_bundle_opens_from_its_index_offline(name, bundles, open_page):
    """index.html → the book's first page, from file://; open_page fails the test on any request elsewhere and on
    any script or console error or missing file."""
    bundle = bundles[name]
    opened = open_top(bundle, open_page)
    landed = unquote(urlparse(opened.page.url).path)
    assert Path(landed).is_file() and Path(landed).is_relative_to(bundle.html)
    assert opened.page.locator("main").count() == 1
    assert not opened.external


@pytest.mark.parametrize("name", ["instructor"])
def test_every_page_of_each_bundle_loads_offline(name, bundles, open_page):
    """Every page of the unzipped site, visited in one tab: nothing requested elsewhere, no script or console error,
    no local file missing (the byte-identical edition's pages are worked item by item in test_offline).

    One edition, the instructor one (the most pages: every page the others have, plus the grading page): each bundle's
    site is byte-identical to its built edition (the first test), whose every page the other browser tests visit, and
    every bundle opens from its own index above; visiting all three cost about 150 s of the suite."""
    bundle = bundles[name]
    pages = bundle.pages()
    assert len(pages) >= 3
    opened = open_page(bundle, bundle.rel(pages[0]))
    for path in pages[1:]:
        opened.goto(path.as_uri())
    assert not opened.external


def test_practice_bundle_follow_a_link_to_an_exercise_and_check_an_answer(bundles, open_page):
    bundle = bundles["practice"]
    opened = open_top(bundle, open_page)
    page = opened.page
    link = page.locator('nav a[href*="exercises/"]').first
    assert link.count(), "no link to an exercise set on the first page"
    link.click()
    page.wait_for_url("**/exercises/**")
    opened.ready()
    ids = page.eval_on_selector_all("section.sw-item", "s => s.map(e => e.dataset.swId)")
    item = next(bundle.items[i] for i in ids if bundle.items[i].type != "response")
    answer(page, item, key_response(item, multi_rows=multi_rows(page, item.id)))
    said = submit(page, item.id)
    assert "correct" in said.lower() and "incorrect" not in said.lower(), said
    assert page.locator(f"{item_selector(item.id)} .sw-feedback").inner_text().strip()


@pytest.mark.parametrize("name", ["practice", "assessment"])
def test_student_bundles_hold_no_key_grading_page_or_teacher_files(name, bundles):
    bundle = bundles[name]
    teacher = [n for n in INSTRUCTOR_ONLY if (bundle.top / n).exists()]
    assert not teacher, f"teacher files in the {name} bundle: {teacher}"
    kinds = sorted({p.suffix for p in bundle.top.rglob("*") if p.is_file()})
    assert not {".pdf", ".zip", ".md", ".csv"} & set(kinds), kinds
    hidden = secrets(bundle)
    if name == "practice":  # keys, feedback and explanations are the practice edition's purpose; notes are not
        hidden = {s: w for s, w in hidden.items() if " anchor " in w or "teaching note" in w or "instructor-only" in w}
    assert hidden, "no secrets to look for"
    leaks, marks = [], []
    for path in sorted(p for p in bundle.top.rglob("*") if p.is_file()):
        raw = readable(path)
        text = norm(raw)
        leaks += [f"{path.relative_to(bundle.top)}: {where}: {secret[:80]!r}"
                  for secret, where in hidden.items() if secret in text]
        marks += [f"{path.relative_to(bundle.top)}: {mark}" for mark in
                  ('id="sw-class-book"', 'class="sw-answer-key', "sw-instructor-only", 'class="sw-instructor"')
                  if mark in raw]
    assert not leaks, f"{len(leaks)} secret(s) in the {name} bundle:\n" + "\n".join(leaks)
    assert not marks, f"instructor material in the {name} bundle:\n" + "\n".join(marks)


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def test_instructor_bundle_has_handouts_key_qti_and_a_start_page_whose_links_work(bundles, open_page):
    bundle = bundles["instructor"]
    top = bundle.top
    pdfs = sorted(p.relative_to(top).as_posix() for p in (top / "handouts").rglob("*.pdf"))
    assert "handouts/instructor-key.pdf" in pdfs
    assert any(p.startswith("handouts/organizers/") for p in pdfs), pdfs
    assert len([p for p in pdfs if p.count("/") == 1 and not p.endswith("instructor-key.pdf")]) >= 1
    assert all((top / p).read_bytes().startswith(b"%PDF-") for p in pdfs)
    key = json.loads((top / "answer-key" / "answer-key.json").read_text("utf-8"))
    assert key and (top / "answer-key" / "answer-key.md").read_text("utf-8").strip()
    quizzes = sorted((top / "qti").glob("*.zip"))
    assert quizzes and {q.stem for q in quizzes} <= {s.id for s in bundle.sets}
    for quiz in quizzes:
        with zipfile.ZipFile(quiz) as archive:
            assert "imsmanifest.xml" in archive.namelist() and archive.testzip() is None
    start = (top / "START-HERE.html").read_text("utf-8")
    parser = Links()
    parser.feed(start)
    local = [h for h in parser.hrefs if not re.match(r"[a-z]+:", h)]
    assert len(local) >= 5 and not [h for h in parser.hrefs if h not in local], parser.hrefs
    missing = [h for h in local if not (top / unquote(h.split("#")[0])).is_file()]
    assert not missing, f"START-HERE links to files not in the bundle: {missing}"
    for name in EDITIONS:  # it names the three zips as they are called
        assert f"{bundles[name].top.name}.zip" in start
    grading = bundle.html / "book" / "grade-class.html"
    if grading.is_file() and 'id="sw-class-book"' in grading.read_text("utf-8"):
        assert "site/book/grade-class.html" in local, "START-HERE does not lead to the class-grading page"
    opened = open_page(bundle, "../START-HERE.html", wait=False)
    opened.page.wait_for_load_state("load")
    assert opened.page.locator("h1").inner_text() == "Start here"


def test_start_here_and_top_pages_are_valid_and_accessible(bundles, open_page, axe_source):
    if vnu.missing():
        pytest.fail(vnu.missing(), pytrace=False)
    pages = [bundles[name].top / "index.html" for name in EDITIONS] + [bundles["instructor"].top / "START-HERE.html"]
    errors = vnu.problems(vnu.run_vnu(pages), base=bundles["instructor"].top.parent.parent)
    assert not errors, "invalid HTML:\n" + "\n".join(errors)
    opened = open_page(bundles["instructor"], "../START-HERE.html", wait=False)
    opened.page.wait_for_load_state("load")
    found = describe_violations("START-HERE.html", run_axe(opened.page, axe_source))
    assert not found, format_violations(found)
