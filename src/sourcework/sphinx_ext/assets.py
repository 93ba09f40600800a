"""The exercise JS and CSS: which files each page loads, and the copies a build ships (minified by default).

A page loads only what it needs (``page_assets``), added at ``html-page-context``, which Sphinx (≥ 3.5) applies to
that page alone:

- every page loads the print stylesheet ``sw-print.css`` (all of it ``@media print``: a chapter or a source printed
  from the browser loses the theme's menus and shows link addresses);
- a page without exercises loads no exercise script and no exercise stylesheet (a page quoting a source loads
  ``sw-source.css`` too);
- an exercise-set page loads ``sw-storage.js``, ``sw-core.js`` (scorer core, type registry, ItemWidget base),
  ``sw-lists.js`` if it has a select, mark, grid or order item (their shared scorer helpers), one
  ``sw-type-<type>.js`` per item type on it (plus ``sw-type-<type>.css`` where the type has styles), then
  ``sw-main.js``; ``sw-items.css``;
- the progress page loads the same core with ``sw-progress.js`` and ``sw-progress.css`` instead of item types;
- ``sw-submission.js`` (Download / Load answers) is loaded by ``sw-main.js`` on first use (``LAZY_JS``).

The build writes the files into its ``_static`` minified with rjsmin / rcssmin (pure Python, pinned), while
``src/sourcework/static`` stays readable; ``sourcework_minify_assets: false`` (or ``SOURCEWORK_MINIFY=0``) ships
them as written, for debugging.
"""

from __future__ import annotations

import json
import os
import shutil
import zlib
from pathlib import Path

import rcssmin
import rjsmin

from ..core.model import ITEM_TYPES

STATIC = Path(__file__).resolve().parent.parent / "static"
CORE_JS = ("sw-storage.js", "sw-core.js")
MAIN_JS = "sw-main.js"
SHARED_JS = {"sw-lists.js": ("select", "mark", "grid", "order")}  # scorer helpers of the list types, after sw-core.js
LAZY_JS = {"submission": "sw-submission.js"}  # name sw-main.js asks for → file, loaded on first use
PRINT_CSS = "sw-print.css"  # every page: all its rules are @media print (theme chrome hidden, link addresses shown)
NOT_SHIPPED = ("sw-handout.css",)  # the handout tool's stylesheet: no book page uses it


def type_files(item_type: str) -> list[str]:
    """The script of an item type and, when the type has styles of its own, its stylesheet."""
    return [name for name in (f"sw-type-{item_type}.js", f"sw-type-{item_type}.css") if (STATIC / name).exists()]


def scorer_files(types: tuple[str, ...] = ITEM_TYPES) -> list[str]:
    """The scripts that make up the browser scorer for ``types``, in page order (what the vector runner loads)."""
    return ["sw-core.js", *shared_files(types), *(f"sw-type-{t}.js" for t in types)]


def shared_files(types: tuple[str, ...]) -> list[str]:
    """The shared scripts (``SHARED_JS``) that some of ``types`` need, loaded before the type files."""
    return [name for name, users in SHARED_JS.items() if set(users) & set(types)]


def page_assets(body: str) -> tuple[list[str], list[str]]:
    """(stylesheets, scripts) a page with this HTML body loads, in order. A page without exercises loads no script,
    and of the stylesheets only ``sw-source.css`` if it quotes a source and the print stylesheet, which every page
    loads: chapters and Source-reader pages are printed too.

    The markers are the attributes ``core.render`` writes; in prose they would be escaped (``&quot;``), so text
    about them never matches.
    """
    css: list[str] = ["sw-source.css"] if 'class="attribution"' in body else []
    types = tuple(t for t in ITEM_TYPES if f'data-sw-type="{t}"' in body)
    progress = 'class="sw-progress"' in body
    if not (types or progress or 'class="sw-set"' in body):
        return [*css, PRINT_CSS], []
    own = [name for t in types for name in type_files(t)]
    css += ["sw-items.css", *(n for n in own if n.endswith(".css"))]
    js = [*CORE_JS, *shared_files(types), *(n for n in own if n.endswith(".js"))]
    if progress:
        css.append("sw-progress.css")
        js.append("sw-progress.js")
    return [*css, PRINT_CSS], [*js, MAIN_JS]


def minify(name: str, text: str) -> str:
    """A file's text as shipped: rjsmin for scripts, rcssmin for stylesheets (comments and spacing removed)."""
    if name.endswith(".js"):
        return str(rjsmin.jsmin(text)) + "\n"
    if name.endswith(".css"):
        return str(rcssmin.cssmin(text)) + "\n"
    return text


def minify_wanted(config_value: bool) -> bool:
    """The ``sourcework_minify_assets`` setting, unless ``SOURCEWORK_MINIFY`` (0/1) overrides it."""
    env = os.environ.get("SOURCEWORK_MINIFY")
    return config_value if env is None else env.strip().lower() not in ("0", "false", "no", "off", "")


def write_static(target: Path, *, minified: bool) -> dict[str, str]:
    """Write every shipped asset into ``target`` (emptied first); return {file name: checksum} (Sphinx's ``?v=``
    style, so a lazily loaded file is not served stale from a cache after the book changes)."""
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    checksums = {}
    for source in sorted(STATIC.iterdir()):
        if source.suffix not in (".js", ".css") or source.name in NOT_SHIPPED:
            continue
        text = source.read_text("utf-8")
        data = (minify(source.name, text) if minified else text).encode("utf-8")
        (target / source.name).write_bytes(data)
        checksums[source.name] = f"{zlib.crc32(data):08x}"
    return checksums


def lazy_setting(checksums: dict[str, str]) -> str:
    """``data-sw-lazy`` of sw-main.js: {name: file?v=checksum}, each file relative to sw-main.js."""
    return json.dumps({name: f"{file}?v={checksums.get(file, '')}" for name, file in LAZY_JS.items()},
                      separators=(",", ":"))
