"""Fixtures for the browser tests: the three built editions, Debian Chromium, and offline pages from file://.

Which book: the real one (the repository root, built into ``_build/editions/<edition>`` exactly as ``make editions``
does) unless ``SW_BROWSER_BOOK`` names another book folder, e.g. ``SW_BROWSER_BOOK=tests/books/browser`` for the
small fixture book, which is built into ``_build/browser-books/<folder name>/<edition>``. An edition whose HTML is
missing, or built before the exercises last changed (no page carries their current content hash), is built here
(as ``make editions`` would), once per session; ``SW_BROWSER_REBUILD=1`` rebuilds it anyway. An edition in which only
some pages carry the current hash is used as it is: ``test_persistence`` then reports the inconsistency. The tests run
against whatever HTML the edition folders hold, so ``make editions`` before ``pytest`` keeps them fresh.

Every page is opened through :func:`open_page`: a fresh browser context (so a fresh localStorage), a route handler
that lets ``file://`` through and aborts and *records* every other request, and listeners for script errors, for
errors and warnings in the console, and for local files that fail to load. A test that let any page attempt a
request to another origin, or whose pages logged an error or a warning, raised a script error or missed a local
file, fails at teardown, whatever it asserted itself (unless it broke the page on purpose: ``expect_errors=True``).

Two accessibility engines check pages: axe-core (:func:`run_axe`) and HTML_CodeSniffer (:func:`run_htmlcs`, WCAG2AA,
errors only), both pinned in package.json and injected into the page as it is.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from sourcework.core.corpus import load_corpus
from sourcework.core.items import load_exercises
from sourcework.core.model import ItemSet, content_hash

REPO = Path(__file__).resolve().parents[2]
EDITIONS = ("practice", "assessment", "instructor")
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
HTMLCS = REPO / "node_modules" / "html_codesniffer" / "build" / "HTMLCS.js"
ARTIFACTS = REPO / "test-artifacts"
# A page with exercises is ready when sw-main.js says so; a page without any loads no exercise script (assets.py),
# so it is ready once it has loaded.
# Ready: the items are wired (or the page has none) and no interface language is still loading (a reader whose
# choice of Spanish is remembered gets its words on demand: sw-i18n.js marks <html> with data-sw-lang-pending).
READY_JS = ("() => (document.documentElement.dataset.swReady === '1' "
            "|| !!(window.Sourcework && window.Sourcework.widgets) "
            "|| (document.readyState === 'complete' && !document.querySelector('.sw-item, .sw-set, .sw-progress')))"
            " && !('swLangPending' in document.documentElement.dataset)")
LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")

if not CHROMIUM.exists():
    pytest.skip("Debian Chromium is not installed at /usr/bin/chromium (make browser-deps)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Everything under tests/browser drives a browser, whether or not a test remembered the mark."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


# ------------------------------------------------------------------------------------------------- the editions


@dataclass
class Edition:
    """One built edition: where its HTML is, which book it came from, and that book's exercise sets."""

    name: str
    book: Path
    out: Path
    sets: list[ItemSet]

    @property
    def html(self) -> Path:
        return self.out / "_build" / "html"

    def pages(self) -> list[Path]:
        """Every HTML page a reader can open: not the theme's template fragments under ``_static/`` (never linked),
        nor redirect stubs (etoc writes one as the top index.html; test_offline checks where they lead)."""
        return [p for p in sorted(self.html.rglob("*.html"))
                if not p.relative_to(self.html).parts[0].startswith("_") and not is_redirect(p)]

    def exercise_pages(self) -> list[Path]:
        return [p for p in self.pages() if 'class="sw-item"' in p.read_text("utf-8", errors="replace")]

    def page_with(self, needle: str) -> Path:
        for page in self.exercise_pages():
            if needle in page.read_text("utf-8", errors="replace"):
                return page
        raise LookupError(f"no page of the {self.name} edition contains {needle!r}")

    def rel(self, page: Path) -> str:
        return page.relative_to(self.html).as_posix()

    @property
    def items(self) -> dict[str, object]:
        return {item.id: item for s in self.sets for item in s.items}


def is_redirect(page: Path) -> bool:
    head = page.read_text("utf-8", errors="replace")[:2000].lower()
    return 'http-equiv="refresh"' in head and "<main" not in head


def book_root() -> Path:
    chosen = os.environ.get("SW_BROWSER_BOOK")
    return (REPO / chosen).resolve() if chosen else REPO


def output_dir(book: Path, edition: str) -> Path:
    if book == REPO:
        return REPO / "_build" / "editions" / edition
    return REPO / "_build" / "browser-books" / book.name / edition


def build_edition(book: Path, edition: str, out: Path) -> None:
    """``SOURCEWORK_EDITION=<edition> jb build <book> -n -W --keep-going --path-output <out>``; log kept."""
    jb = Path(sys.executable).with_name("jb")
    env = dict(os.environ, SOURCEWORK_EDITION=edition)
    log = ARTIFACTS / "builds" / f"{book.name if book != REPO else 'book'}-{edition}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    done = subprocess.run([str(jb), "build", str(book), "-n", "-W", "--keep-going", "--path-output", str(out)],
                          cwd=REPO, env=env, capture_output=True, text=True)
    log.write_text(done.stdout + done.stderr, "utf-8")
    if not (out / "_build" / "html" / "index.html").exists():
        tail = "\n".join((done.stdout + done.stderr).splitlines()[-40:])
        pytest.fail(f"the {edition} edition of {book} did not build (log: {log}):\n{tail}", pytrace=False)


def built_hashes(html: Path) -> dict[str, list[str]]:
    """{content hash: pages} of a built edition: the exercises' hash each page was written with (sw-main.js's
    data-content-hash). One hash for every page, equal to the sources', is a fresh and consistent edition."""
    found: dict[str, list[str]] = {}
    for page in sorted(html.rglob("*.html")):
        match = re.search(r'data-content-hash="([0-9a-f]+)"', page.read_text("utf-8", errors="replace"))
        if match:
            found.setdefault(match.group(1), []).append(page.relative_to(html).as_posix())
    return found


def assert_fresh(edition: Edition) -> None:
    """Fail clearly when the exercises on disk changed after the edition was built (authors at work): a grade of
    today's exercises cannot be compared with a page built from yesterday's."""
    sets, _problems = load_exercises(edition.book, load_corpus(edition.book))
    now = content_hash(sets)
    built = built_hashes(edition.html)
    if set(built) != {now}:
        pytest.fail(f"the exercises changed since the {edition.name} edition was built (pages carry "
                    f"{', '.join(h[:12] for h in built)}; the sources now hash to {now[:12]}): rebuild the editions "
                    "(make editions) and rerun", pytrace=False)


@pytest.fixture(scope="session")
def editions() -> dict[str, Edition]:
    """All three editions, built if missing or made from other exercises than the sources hold now."""
    book = book_root()
    corpus = load_corpus(book)
    sets, _problems = load_exercises(book, corpus)
    result = {}
    for name in EDITIONS:
        out = output_dir(book, name)
        html = out / "_build" / "html"
        if (os.environ.get("SW_BROWSER_REBUILD") == "1" or not (html / "index.html").exists()
                or (built_hashes(html) and content_hash(sets) not in built_hashes(html))):
            build_edition(book, name, out)
        result[name] = Edition(name, book, out, sets)
    return result


# -------------------------------------------------------------------------------------------- the bundles


@dataclass
class Bundled(Edition):
    """An edition as a teacher gets it: its bundle (``make dist``) unzipped into a temporary folder. ``html`` is the
    site inside the bundle, so every helper of :class:`Edition` (and ``open_page``) works on it; ``top`` is the
    bundle's one top folder (``index.html``; in the instructor's also ``START-HERE.html``, ``handouts/``,
    ``answer-key/`` and ``qti/``) and ``archive`` the zip."""

    top: Path = Path()
    archive: Path = Path()

    @property
    def html(self) -> Path:
        return self.top / "site"


def bundle_handouts(book: Path, sets: list[ItemSet], where: Path) -> Path:
    """Handouts for the instructor bundle: ``_build/handouts`` when ``make handouts`` (or ``make dist``) printed them,
    else, to keep the test session short, the first exercise set's handout, its instructor key and the organizers
    (the whole book takes about 40 s on an idle 2-CPU machine), printed by a ``sourcework handouts`` subprocess
    (its Playwright may not share this thread with the session's)."""
    made = REPO / "_build" / "handouts"
    if book == REPO and (made / "instructor-key.pdf").is_file():
        return made
    done = subprocess.run([sys.executable, "-m", "sourcework.cli", "--root", str(book), "handouts", sets[0].id,
                           "--organizers", "--out", str(where)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.fail(f"sourcework handouts failed:\n{done.stdout}{done.stderr}", pytrace=False)
    return where


@pytest.fixture(scope="session")
def bundles(editions, tmp_path_factory) -> dict[str, Bundled]:
    """The three bundles made from the editions this session already has (``make dist``'s assembler, not a new
    build), each unzipped into its own temporary folder."""
    import zipfile

    from sourcework.export.dist import make_dist

    first = editions["practice"]
    work = tmp_path_factory.mktemp("dist")
    handouts = bundle_handouts(first.book, first.sets, work / "handouts")
    result = make_dist(first.book, sets=first.sets, out=work / "zips", handouts=handouts,
                       sites={name: edition.html for name, edition in editions.items()})
    found = {}
    for bundle in result.bundles:
        target = work / "unzipped" / bundle.edition
        with zipfile.ZipFile(bundle.path) as archive:
            archive.extractall(target)
        (top,) = target.iterdir()
        found[bundle.edition] = Bundled(bundle.edition, first.book, top, first.sets, top=top, archive=bundle.path)
    return found


@pytest.fixture(scope="session")
def bundle_root(bundles) -> Callable[[str], Path]:
    """``bundle_root("instructor") -> Path``: the site root (``site/``) of that edition's unzipped bundle."""
    return lambda edition: bundles[edition].html


# -------------------------------------------------------------------------------------------- browser and pages


@pytest.fixture(scope="session")
def browser(chromium) -> Iterator[object]:
    """The session's one Chromium (tests/conftest.py): a second sync Playwright in the same thread would fail."""
    yield chromium


@dataclass
class Opened:
    """A page opened offline, with what it tried to do: ``external`` requests (all blocked), script ``errors``,
    local files that ``failed`` to load, and ``console`` errors and warnings."""

    page: object
    context: object
    url: str
    external: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    expect_errors: bool = False

    def problems(self) -> list[str]:
        """Everything the page should not have done besides requests elsewhere: script errors, console errors and
        warnings, local files that did not load."""
        return ([f"script error: {e}" for e in self.errors] + [f"console {c}" for c in self.console]
                + [f"local file did not load: {f}" for f in self.failed])

    def own_errors(self) -> list[str]:
        """Script errors raised in the exercise scripts (``_static/sw-*.js``), not the theme's."""
        return [e for e in self.errors if "/_static/sw-" in e]

    def ready(self) -> None:
        """Wait until the exercise script has wired every item and restored saved answers."""
        try:
            self.page.wait_for_function(READY_JS, timeout=15000)
        except sync_api.TimeoutError:
            pytest.fail(f"{self.page.url}: the exercise script never became ready; script errors: {self.errors}",
                        pytrace=False)

    def reload(self) -> None:
        self.page.reload()
        self.ready()

    def goto(self, url: str) -> None:
        self.url = url
        self.page.goto(url)
        self.ready()


def unexpected_problems(opened: list[Opened]) -> list[str]:
    """What the pages did wrong (``Opened.problems``), except on pages opened with ``expect_errors=True``."""
    return [f"{o.url}: {problem}" for o in opened if not o.expect_errors for problem in o.problems()]


def _first_frame(exc: object) -> str:
    """Where a page error was raised: the first stack line that names a file, or "inline script"."""
    for line in (getattr(exc, "stack", "") or "").splitlines()[1:]:
        if "file://" in line:
            return line.strip()
    return "inline script"


def _console_line(msg: object) -> str:
    """A console message as "warning: text [file:line]" (the file the message came from, if any)."""
    where = msg.location or {}
    source = f" [{where['url'].rsplit('/', 1)[-1]}:{where.get('lineNumber', '?')}]" if where.get("url") else ""
    return f"{msg.type}: {msg.text}{source}"


@pytest.fixture
def open_page(browser) -> Iterator[Callable[..., Opened]]:
    """``open_page(edition, "exercises/demo.html", init_script=None, wait=True, expect_errors=False) -> Opened``.

    Each call gets a new browser context (its own localStorage for file://); every request that is not for a
    ``file://`` URL is aborted and recorded, and the test fails at teardown if there was any. It also fails at
    teardown if a page raised a script error, logged an error or a warning to the console, or missed a local file,
    unless it was opened with ``expect_errors=True`` (a test that breaks the page on purpose and checks it copes).
    """
    opened: list[Opened] = []

    def _open(edition: Edition, rel: str, *, init_script: str | None = None, wait: bool = True,
              context: object | None = None, viewport: dict | None = None, expect_errors: bool = False) -> Opened:
        ctx = context or browser.new_context(accept_downloads=True, viewport=viewport or {"width": 1280, "height": 900})
        page = ctx.new_page()
        path, _, fragment = rel.partition("#")
        url = (edition.html / path).as_uri() + (f"#{fragment}" if fragment else "")
        result = Opened(page, ctx, url, expect_errors=expect_errors)

        seen: set[str] = set()

        def note(kind: str, target: str) -> None:
            if target not in seen:  # the route handler and the request listener both see most requests
                seen.add(target)
                result.external.append(f"{kind} {target} (from {page.url})")

        def route(r) -> None:
            if r.request.url.startswith("file:"):
                r.continue_()
            else:
                note(r.request.method, r.request.url)
                r.abort("blockedbyclient")

        ctx.route("**/*", route)
        page.on("request", lambda req: None if req.url.startswith(LOCAL_SCHEMES) else note(req.method, req.url))
        page.on("websocket", lambda ws: note("WebSocket", ws.url))
        page.on("pageerror", lambda exc: result.errors.append(f"{page.url}: {exc} [{_first_frame(exc)}]"))
        page.on("console", lambda msg: msg.type in ("error", "warning") and result.console.append(_console_line(msg)))
        # net::ERR_ABORTED is a request the page itself gave up, not a missing file: the redirect page's favicon
        # when its refresh leaves at once, a late request when the test closes the page. A missing file is
        # net::ERR_FILE_NOT_FOUND.
        page.on("requestfailed", lambda req: req.url.startswith("file:") and "ERR_ABORTED" not in str(req.failure)
                and result.failed.append(f"{req.url} ({req.failure})"))
        if init_script:
            page.add_init_script(init_script)
        page.goto(url)
        if wait:
            result.ready()
        opened.append(result)
        return result

    yield _open
    external = [request for o in opened for request in o.external]
    problems = unexpected_problems(opened)
    for o in opened:
        try:
            o.context.close()
        except Exception:  # noqa: BLE001 - a context closed by the test itself
            pass
    if external:
        pytest.fail("requests to other origins were attempted (all were blocked):\n  " + "\n  ".join(external),
                    pytrace=False)
    if problems:
        pytest.fail(f"{len(problems)} script error(s), console error(s) or warning(s), or missing local file(s):\n  "
                    + "\n  ".join(problems), pytrace=False)


# ---------------------------------------------------------------------------------------------------------- axe


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm ci` (make browser-deps) to install the pinned axe-core",
                    pytrace=False)
    return AXE.read_text("utf-8")


# preload: false. By default axe fetches every stylesheet again with XMLHttpRequest to read its rules (for
# css-orientation-lock); from file:// Chromium refuses those requests (CORS, origin "null"), so the rule never had
# the rules to read, and each refusal logged two console errors and a warning that the console check would blame
# on the page. Without the preload axe does exactly what it did before, quietly.
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
               "resultTypes": ["violations"], "preload": False}


def run_axe(page, axe_source: str) -> list[dict]:
    """axe-core's violations of the WCAG 2.0/2.1 A and AA rules on the page as it is now."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(content=axe_source)
    return page.evaluate("async (options) => (await axe.run(document, options)).violations", AXE_OPTIONS)


@pytest.fixture(scope="session")
def htmlcs_source() -> str:
    if not HTMLCS.exists():
        pytest.fail(f"{HTMLCS} is missing: run `npm ci` (make browser-deps) to install the pinned html_codesniffer",
                    pytrace=False)
    return HTMLCS.read_text("utf-8")


# HTMLCS.process(standard, content, callback, failCallback): the messages are read in the callback. An element is
# described by a short CSS-like selector (tag, id, classes), like axe's targets.
HTMLCS_RUN = """() => new Promise((resolve, reject) => HTMLCS.process('WCAG2AA', document, () => {
  const name = (el) => !el || !el.nodeName ? '?' : el.nodeType !== 1 ? el.nodeName.toLowerCase()
    : el.nodeName.toLowerCase() + (el.id ? '#' + el.id : '') + [...el.classList].map(c => '.' + c).join('');
  resolve(HTMLCS.getMessages().filter(m => m.type === HTMLCS.ERROR).map(m => ({
    code: m.code, msg: m.msg,
    target: (m.element && m.element.parentElement ? name(m.element.parentElement) + ' > ' : '') + name(m.element)})));
}, (error) => reject(new Error('HTML_CodeSniffer failed: ' + error))))"""


def run_htmlcs(page, htmlcs_source: str) -> list[dict]:
    """HTML_CodeSniffer's errors (type 1; not its warnings or notices, which ask for a human's judgement) under
    its WCAG2AA standard, on the page as it is now: ``[{code, msg, target}]``."""
    if not page.evaluate("() => typeof window.HTMLCS === 'object'"):
        page.add_script_tag(content=htmlcs_source)
    return page.evaluate(HTMLCS_RUN)


def describe_htmlcs(where: str, messages: list[dict]) -> list[tuple[str, str, str, str, str]]:
    """HTMLCS errors as (technique code, "error", message, target, page), the shape format_violations groups."""
    return [(m["code"].removeprefix("WCAG2AA."), "error", m["msg"], m["target"], where) for m in messages]


def describe_violations(where: str, violations: list[dict]) -> list[tuple[str, str, str, str, str]]:
    """One (rule id, impact, help, target selector, page) per violating node."""
    found = []
    for v in violations:
        for node in v.get("nodes", []):
            target = " ".join(str(t) for t in node.get("target", []))
            found.append((v["id"], str(v.get("impact")), v["help"], target, where))
    return found


def format_violations(found: list[tuple[str, str, str, str, str]]) -> str:
    """Violations grouped by rule, then by selector with the pages it is on, so theme-wide ones read once."""
    rules: dict[tuple[str, str, str], dict[str, list[str]]] = {}
    for rule, impact, help_text, target, where in found:
        rules.setdefault((rule, impact, help_text), {}).setdefault(target, []).append(where)
    lines = []
    for (rule, impact, help_text), targets in sorted(rules.items()):
        lines.append(f"[{rule}] ({impact}) {help_text}: {sum(map(len, targets.values()))} node(s)")
        for n, (target, pages) in enumerate(sorted(targets.items(), key=lambda kv: -len(kv[1]))):
            if n == 6:
                lines.append(f"    … and {len(targets) - 6} more selector(s)")
                break
            shown = ", ".join(pages[:4]) + (f" and {len(pages) - 4} more" if len(pages) > 4 else "")
            lines.append(f"    {target}  — on {len(pages)} page(s): {shown}")
    return "\n".join(lines)
