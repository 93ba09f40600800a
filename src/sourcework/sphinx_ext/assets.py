"""The exercise JS and CSS: which files each page loads, and the copies a build ships (minified by default).

A page loads only what it needs (``page_assets``), added at ``html-page-context``, which Sphinx (≥ 3.5) applies to
that page alone:

- every page loads the print stylesheet ``sw-print.css`` (all of it ``@media print``: a chapter or a source printed
  from the browser loses the theme's menus and shows link addresses);
- a page without exercises loads no exercise script and no exercise stylesheet (a page quoting a source loads
  ``sw-source.css`` too);
- an exercise-set page loads ``sw-storage.js``, ``sw-core.js`` (scorer core, type registry, the item widget),
  ``sw-lists.js`` if it has a select, mark, grid or order item (their shared scorer helpers), one
  ``sw-type-<type>.js`` per item type on it (plus ``sw-type-<type>.css`` where the type has styles), then
  ``sw-main.js``; ``sw-items.css``, ``sw-instructor.css`` if it shows teaching notes (instructor edition);
- the progress page loads the same core with ``sw-progress.js`` and ``sw-progress.css`` instead of item types;
- every page that loads a script loads ``sw-i18n.js`` first, and ``sw-i18n.css`` and ``sw-visually-hidden.css``
  (``I18N_CSS``: the language switch's look and its screen-reader-only status line, which grid and order items and
  adapted texts use too);
- the class-grading page (instructor edition, ``grading.py``; recognised by its ``id="sw-class-book"`` data block)
  loads ``grading_assets()``: the zip reader, the scorer core and every item type's scorer, the grading engine,
  the rubric screen and the page script, and ``sw-grade.css``; no other page loads any of them;
- ``sw-submission.js`` (Download / Load answers: the answers file and the buttons' work) is loaded by ``sw-main.js``
  on first use, and the whole message catalogs (``sw-messages.js``) and the page rewriter (``sw-i18n-rewrite.js``)
  by ``sw-i18n.js`` when a reader chooses Spanish (``LAZY_JS``); a page loads at once only the English words its
  own scripts ask for, which the build puts at the head of each script (``messages.words_prologue``).

The build writes the files into its ``_static`` minified, while ``src/sourcework/static`` stays readable:
stylesheets by rcssmin; scripts as the committed ``static/min/<name>`` that esbuild (pinned in package.json,
``--minify``: local names shortened) made from them, which ``make minify`` rewrites after a script changes. A build
needs no Node: it ships the committed copy when ``static/min/manifest.json`` records the readable file's sha256, and
otherwise falls back to rjsmin (pure Python, no renaming) with a warning that names the file and the fix.
``sourcework_minify_assets: false`` (or ``SOURCEWORK_MINIFY=0``) ships the files as written, for debugging.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import zlib
from collections.abc import Callable
from pathlib import Path

import rcssmin
import rjsmin

from ..core.model import ITEM_TYPES
from .messages import NOT_SCANNED, SCRIPT, catalog, script_text, script_words, words_prologue

STATIC = Path(__file__).resolve().parent.parent / "static"
MIN_DIR = "min"  # static/min/: esbuild's copies of the scripts and manifest.json (``make minify``)
ESBUILD = STATIC.parents[2] / "node_modules" / ".bin" / "esbuild"  # pinned in package.json (npm ci)
ESBUILD_ARGS = ("--minify", "--target=es2020", "--charset=utf8")
CORE_JS = ("sw-storage.js", "sw-core.js")
MAIN_JS = "sw-main.js"
# Files some item types share, loaded when one of them is on the page: the list types' scorer helpers (after
# sw-core.js).
SHARED = {"sw-lists.js": ("select", "mark", "grid", "order")}
INSTRUCTOR_CSS = "sw-instructor.css"  # explanations and teaching notes (render._instructor_notes)
# Loaded on first use: script → {the name it asks for → file}, in that script's data-sw-lazy.
LAZY_JS = {"sw-main.js": {"submission": "sw-submission.js"},
           "sw-i18n.js": {"messages": SCRIPT, "rewrite": "sw-i18n-rewrite.js"}}
PRINT_CSS = "sw-print.css"  # every page: all its rules are @media print (theme chrome hidden, link addresses shown)
NOT_SHIPPED = ("sw-handout.css",)  # the handout tool's stylesheet: no book page uses it
# The interface language (ARCHITECTURE.md, "Interface languages"): the switch and lookup, first on every page that
# loads a script (the catalogs as a script the build writes, messages.SCRIPT, and the rewriter load on demand).
I18N_JS = "sw-i18n.js"
# The switch's look, and text for screen readers only (the switch's status line, a grid row's legend, an order item's
# move buttons and announcements, an adapted text's marked cuts): with every page that loads a script.
I18N_CSS = ("sw-i18n.css", "sw-visually-hidden.css")
# Loaded only after the whole catalogs (sw-i18n.js loads sw-messages.js first): it ships without words of its own.
AFTER_CATALOGS = LAZY_JS["sw-i18n.js"]["rewrite"]
VERSIONS = ("sw-adapted.css", "sw-versions.js")  # a source page with adapted versions
ADAPTED_CSS = "sw-adapted.css"  # also the Spanish summary box and the bilingual glossary
LISTEN = ("sw-listen.css", "sw-listen.js")  # Read aloud: source pages and pages with sections (chapters)


def type_files(item_type: str) -> list[str]:
    """The script of an item type and, when the type has styles of its own, its stylesheet."""
    return [name for name in (f"sw-type-{item_type}.js", f"sw-type-{item_type}.css") if (STATIC / name).exists()]


def scorer_files(types: tuple[str, ...] = ITEM_TYPES) -> list[str]:
    """The scripts that make up the browser scorer for ``types``, in page order (what the vector runner loads)."""
    return ["sw-core.js", *(n for n in shared_files(types) if n.endswith(".js")), *(f"sw-type-{t}.js" for t in types)]


def shared_files(types: tuple[str, ...]) -> list[str]:
    """The shared files (``SHARED``) that some of ``types`` need, loaded before the type files."""
    return [name for name, users in SHARED.items() if set(users) & set(types)]


def page_assets(body: str) -> tuple[list[str], list[str]]:
    """(stylesheets, scripts) a page with this HTML body loads, in order. A page without exercises loads no script,
    and of the stylesheets only ``sw-source.css`` if it quotes a source and the print stylesheet, which every page
    loads: chapters and Source-reader pages are printed too.

    The markers are the attributes ``core.render`` writes; in prose they would be escaped (``&quot;``), so text
    about them never matches.
    """
    if GRADE_MARK in body:
        return grading_assets()
    css: list[str] = ["sw-source.css"] if 'class="attribution"' in body else []
    types = tuple(t for t in ITEM_TYPES if f'data-sw-type="{t}"' in body)
    progress = 'class="sw-progress"' in body
    exercises = bool(types or progress or 'class="sw-set"' in body)
    versions = 'class="sw-versions' in body
    # Read aloud: a Source-reader page, or a page of prose sections (a chapter); not an exercise page.
    listen = not exercises and ('class="sw-source-text' in body or "<h2" in body)
    adapted = versions or 'class="sw-summary-es' in body or 'class="sw-bilingual-glossary' in body
    extra_css = [ADAPTED_CSS] if adapted else []
    extra_js = [VERSIONS[1]] if versions else []
    if listen:
        extra_css.append(LISTEN[0])
        extra_js.append(LISTEN[1])
    if not exercises:
        if not extra_js:
            return [*css, *extra_css, PRINT_CSS], []
        return [*css, *I18N_CSS, *extra_css, PRINT_CSS], [I18N_JS, *extra_js]
    own = [*shared_files(types), *(name for t in types for name in type_files(t))]
    css += [*I18N_CSS, "sw-items.css", *(n for n in own if n.endswith(".css")), *extra_css]
    if 'class="sw-instructor"' in body:
        css.append(INSTRUCTOR_CSS)
    js = [I18N_JS, *extra_js, *CORE_JS, *(n for n in own if n.endswith(".js"))]
    if progress:
        css.append("sw-progress.css")
        js.append("sw-progress.js")
    return [*css, PRINT_CSS], [*js, MAIN_JS]


GRADE_MARK = 'id="sw-class-book"'  # grading.BOOK_ID: the class-grading page's data block
# The grading engine in load order (sw-grade-core.js's header: each file reads the ones before it as it loads), then
# the page's own two scripts.
GRADE_ENGINE = ("sw-grade-core.js", "sw-grade-json.js", "sw-grade-admit.js", "sw-grade-csv.js", "sw-grade-feedback.js",
                "sw-grade-lms.js")
GRADE_PAGE_JS = ("sw-grade-rubric.js", "sw-grade-page.js")


def grading_assets(static: Path = STATIC) -> tuple[list[str], list[str]]:
    """(stylesheets, scripts) of the class-grading page: the zip reader, the scorer (core, shared helpers, every
    type), the engine (``GRADE_ENGINE``; a ``sw-grade-*.js`` not named there after it, by name), the rubric screen
    and the page script."""
    known = {*GRADE_ENGINE, *GRADE_PAGE_JS}
    others = sorted(p.name for p in static.glob("sw-grade-*.js") if p.name not in known)
    js = ["sw-zip.js", *scorer_files(), *GRADE_ENGINE, *others, *GRADE_PAGE_JS]
    return ["sw-grade.css", PRINT_CSS], [name for name in js if (static / name).exists()]


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _manifest(static: Path) -> dict[str, str]:
    try:
        return dict(json.loads((static / MIN_DIR / "manifest.json").read_text("utf-8"))["sources"])
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def committed_minified(name: str, text: str, static: Path = STATIC) -> str | None:
    """The committed esbuild copy of script ``name`` if it was made from exactly ``text``, else None."""
    if _manifest(static).get(name) != sha256(text):
        return None
    try:
        return (static / MIN_DIR / name).read_text("utf-8")
    except OSError:
        return None


def shipped_files(static: Path = STATIC, suffixes: tuple[str, ...] = (".js", ".css")) -> list[Path]:
    """The files a build ships from ``static`` (those ending in ``suffixes``), by name; not ``NOT_SHIPPED``."""
    return [path for path in sorted(static.iterdir())
            if path.suffix in suffixes and path.is_file() and path.name not in NOT_SHIPPED]


def sources_digest(static: Path = STATIC) -> str:
    """One sha256 over every file a build ships or ships from (the readable files, their committed minified copies
    and the message catalogs): it changes whenever a shipped byte could."""
    digest = hashlib.sha256()
    for path in [*shipped_files(static), *sorted((static / MIN_DIR).glob("*")),
                 *sorted((static / "messages").glob("*.json"))]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def stale_minified(static: Path = STATIC) -> list[str]:
    """The shipped scripts whose committed esbuild copy is missing or was made from another version of them."""
    return [path.name for path in shipped_files(static, (".js",))
            if committed_minified(path.name, path.read_text("utf-8"), static) is None]


# "0.5rem" → ".5rem", which rcssmin leaves; a number starts after ":", a space, "," or "(" in our stylesheets (none
# has a string or url() with such digits in it).
LEADING_ZERO = re.compile(r"(?<=[:\s,(])0\.(?=[0-9])")


def minify(name: str, text: str, static: Path = STATIC) -> str:
    """A file's text as shipped: a script's committed esbuild copy (rjsmin when that is stale), rcssmin for a
    stylesheet (comments and spacing removed), and a number's leading zero dropped (``LEADING_ZERO``)."""
    if name.endswith(".js"):
        committed = committed_minified(name, text, static)
        return committed if committed is not None else str(rjsmin.jsmin(text)) + "\n"
    if name.endswith(".css"):
        return LEADING_ZERO.sub(".", str(rcssmin.cssmin(text))) + "\n"
    return text


def esbuild_minify(text: str, esbuild: Path) -> str:
    """``text`` minified by the pinned esbuild (what ``make minify`` commits)."""
    done = subprocess.run([str(esbuild), *ESBUILD_ARGS], input=text.encode("utf-8"), capture_output=True, check=True)
    return done.stdout.decode("utf-8")


def write_minified(esbuild: Path = ESBUILD, target: Path = STATIC / MIN_DIR) -> list[str]:
    """``make minify``: esbuild's copy of every shipped script into ``static/min`` (or ``target``), with the
    manifest of the sources' sha256; returns the names written."""
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    sources = {}
    for path in shipped_files(STATIC, (".js",)):
        text = path.read_text("utf-8")
        (target / path.name).write_text(esbuild_minify(text, esbuild), "utf-8")
        sources[path.name] = sha256(text)
    version = subprocess.run([str(esbuild), "--version"], capture_output=True, text=True, check=True).stdout.strip()
    manifest = {"made_by": f"esbuild {version} {' '.join(ESBUILD_ARGS)} (make minify)", "sources": sources}
    (target / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n", "utf-8")
    return list(sources)


def minify_wanted(config_value: bool) -> bool:
    """The ``sourcework_minify_assets`` setting, unless ``SOURCEWORK_MINIFY`` (0/1) overrides it."""
    env = os.environ.get("SOURCEWORK_MINIFY")
    return config_value if env is None else env.strip().lower() not in ("0", "false", "no", "off", "")


def write_static(target: Path, *, minified: bool, warn: Callable[[str], None] | None = None,
                 static: Path = STATIC) -> dict[str, str]:
    """Write every shipped asset into ``target`` (emptied first); return {file name: checksum} (Sphinx's ``?v=``
    style, so a lazily loaded file is not served stale from a cache after the book changes). ``warn`` is told of
    each script shipped by the rjsmin fallback because its committed esbuild copy is stale."""
    if minified and warn:
        for name in stale_minified(static):
            warn(f"static/{MIN_DIR}/{name} was not made from the current static/{name}, so it ships minified by "
                 "rjsmin instead (larger). Fix: run `make minify` and commit src/sourcework/static/min/.")
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    checksums = {}
    english = catalog("en", static / "messages")
    for source in shipped_files(static):
        text = source.read_text("utf-8")
        shipped = minify(source.name, text, static) if minified else text
        if source.suffix == ".js" and not source.name.startswith(NOT_SCANNED) and source.name != AFTER_CATALOGS:
            shipped = words_prologue(script_words(text, english)) + shipped
        data = shipped.encode("utf-8")
        (target / source.name).write_bytes(data)
        checksums[source.name] = f"{zlib.crc32(data):08x}"
    # Every message catalog as a script (compact JSON already: nothing to minify), loaded on demand.
    data = script_text(static / "messages").encode("utf-8")
    (target / SCRIPT).write_bytes(data)
    checksums[SCRIPT] = f"{zlib.crc32(data):08x}"
    return checksums


def lazy_setting(checksums: dict[str, str]) -> dict[str, str]:
    """``data-sw-lazy`` of each script that loads others on demand (``LAZY_JS``): script → JSON {name: file?v=checksum},
    each file relative to the script."""
    return {script: json.dumps({name: f"{file}?v={checksums.get(file, '')}" for name, file in files.items()},
                               separators=(",", ":"))
            for script, files in LAZY_JS.items()}


# Scripts bundled from npm packages (pinned in package.json) by esbuild: the file written into static/ → (its entry
# under static/bundle/, the package whose LICENSE heads the bundle). ``make minify`` rewrites them before minifying.
BUNDLES = {"sw-zip.js": ("bundle/sw-zip-entry.js", "fflate")}


def bundle(name: str, esbuild: Path = ESBUILD) -> str:
    """The bundle ``name`` (see ``BUNDLES``) as the pinned esbuild makes it now: a classic script (an IIFE), readable,
    headed by the package's name, version and LICENSE text as a legal comment (``/*!``, which minifying keeps)."""
    entry, package = BUNDLES[name]
    folder = STATIC.parents[2] / "node_modules" / package
    version = json.loads((folder / "package.json").read_text("utf-8"))["version"]
    license_text = (folder / "LICENSE").read_text("utf-8").replace("*/", "* /")
    banner = "\n".join([f"/*! {name}: {package} {version} (npm), bundled by esbuild ({entry}).", " *",
                        *(f" * {line}".rstrip() for line in license_text.strip().splitlines()), " */"])
    done = subprocess.run([str(esbuild), str(STATIC / entry), "--bundle", "--format=iife", "--preserve-symlinks",
                           "--target=es2020", "--charset=utf8", "--legal-comments=inline", f"--banner:js={banner}"],
                          capture_output=True, check=True, cwd=STATIC.parents[2])
    return done.stdout.decode("utf-8")


def write_bundles(esbuild: Path = ESBUILD) -> list[str]:
    """``make minify``'s first step: every bundle of ``BUNDLES`` rewritten into static/; returns their names."""
    for name in BUNDLES:
        (STATIC / name).write_text(bundle(name, esbuild), "utf-8")
    return list(BUNDLES)


def main() -> None:
    """``make minify``: the bundles (``BUNDLES``), then esbuild's minified copy of every script."""
    print(f"static/: {len(write_bundles())} bundle(s) made by esbuild")
    print(f"static/{MIN_DIR}/: {len(write_minified())} scripts minified by esbuild")
