"""Page weight of the theme: each page ships only the theme CSS, scripts and icons it uses, minified and local.

pydata-sphinx-theme 0.17 (under sphinx-book-theme 1.3) writes into every page a 1.5 MB icon script
(``scripts/fontawesome.js``, which swaps each ``<i class="fa-…">`` for an SVG), two render-blocking stylesheets of
400 KB (``styles/theme.css``, which ``@import``s ``basic.css``, and ``styles/pydata-sphinx-theme.css``, which holds
Bootstrap and the whole Font Awesome webfont CSS), and Sphinx's search scripts with the whole search index, though
only the search page searches (``search_as_you_type`` is off). What this module does instead:

- at ``html-page-context`` (``on_html_page_context``), per page: the theme's stylesheets from Sphinx's list leave the
  page (they are in the bundle below); the copy button's scripts stay only on a page with code, the toggle button's
  only on a page with a toggle or dropdown, sphinx-design's tabs script only on a page with tabs; every remaining
  script file is loaded ``defer`` (in the same order), so no script holds up the first paint (but on the search
  page, whose search script, written in its body, needs ``doctools.js`` at once);
- at ``build-finished`` (``on_build_finished``, after ``a11y``'s repairs): one stylesheet, ``_static/sw-theme.css``,
  replaces them all: ``basic.css``, the theme's stylesheets and the extensions' (``BUNDLED``, in the order the pages
  have them) with every rule whose selector names a class or id that no page of this build and no shipped script
  contains removed (``purge``), minified. The icons are Font Awesome's own glyphs, drawn by the webfont rules the
  theme CSS already has (the theme's own look before its script runs), from a subset of ``fa-solid-900``
  (``_static/sw-fa-solid.woff``) holding only the glyphs the kept CSS names. Then every page loses the icon script,
  the preloads and, except the search page, the search scripts (``rewrite_page``).
- also at ``build-finished``: the header's always hidden sidebar buttons go, so the theme scripts wire the visible
  ones (``drop_hidden_toggles``; the drawer gives focus back to its button, ``FOCUS_BACK``), and an exercise page's
  adjacent ``sw-*.css`` stylesheets become one request, ``_static/sw-css-<crc>.css`` (``join_stylesheets``).

Nothing loads from another origin; the theme's look and its controls stay (``tests/browser/test_theme_weight.py``
takes screenshots at phone and desktop widths). Lighthouse figures: ``benchmarks/bench_lighthouse.py``.
"""

from __future__ import annotations

import fnmatch
import re
import zlib
from pathlib import Path, PurePosixPath
from typing import Any

import rcssmin
from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

BUNDLE = "sw-theme.css"
FONT = "sw-fa-solid.woff"
FONT_SOURCE = "vendor/fontawesome/webfonts/fa-solid-900.ttf"  # under _static; the .woff2 needs brotli to read
# Stylesheets that go into the bundle, by their path under _static: the two the theme's template writes, then those
TEMPLATE_CSS = ("basic.css", "styles/pydata-sphinx-theme.css")
# Sphinx lists for a page, in the order they have there (a glob for MyST-NB's, named by its hash).
BUNDLED = ("pygments.css", "styles/sphinx-book-theme.css", "togglebutton.css", "copybutton.css", "mystnb.*.css",
           "sphinx-design.min.css")
# Scripts a page keeps only if its body has one of these markers.
BY_NEED = {
    "clipboard.min.js": ('class="highlight',),
    "copybutton.js": ('class="highlight',),
    "togglebutton.js": ("toggle", "dropdown"),
    "design-tabs.js": ("sd-tab-set",),
}
# Inline scripts that only configure a dropped script.
INLINE_FOR = {"togglebutton.js": ("toggleHint", "toggleOpenOnPrint", "togglebuttonSelector")}
# Classes kept whatever the pages hold: made by markup repairs or scripts in ways a token scan cannot see.
ALWAYS = {"visually-hidden", "visually-hidden-focusable"}
# Class prefixes that scripts build at run time (e.g. Bootstrap's `bs-${name}-auto`, `tooltip`).
PREFIXES = ("bs-tooltip", "bs-popover")
SKIP_SCRIPTS = ("fontawesome.js", "searchindex.js")  # not shipped to pages / text, not code
# Bootstrap's bundle names the classes of every component it has (carousel, modal, offcanvas, toast…); the theme
# uses its tooltips, dropdowns and collapses, so only the classes those add at run time count as used. (A component
# whose markup is on a page keeps its rules through the page's own classes.)
BOOTSTRAP_RUNTIME = frozenset({
    "active", "collapse", "collapse-horizontal", "collapsed", "collapsing", "disabled", "dropdown", "dropdown-center",
    "dropend", "dropstart", "dropup", "dropup-center", "dropdown-item", "fade", "show", "showing", "hiding",
    "tooltip", "tooltip-arrow", "tooltip-inner", "popover", "popover-arrow", "popover-body", "popover-header"})
SCRIPT_CLASSES = {"bootstrap.js": BOOTSTRAP_RUNTIME}
# Added to the bundle, after the theme's rules (each found by the browser tests, tests/browser/test_a11y.py):
# - reflow on a 320 CSS px screen (a small phone, or a desktop zoomed to 400%: WCAG 1.4.10), where 11 of the book's
#   34 pages scrolled sideways (9 at 360 px, the commonest phone width): a long word or web address ran on past the
#   screen (bibliography, Source E); the source card's field list (a grid) widened its column to the longest address;
#   inline code kept one line (Sphinx's ``span.pre`` does not wrap; it may wrap only on a narrow screen, and never in
#   a table). A wide table keeps its own scroll box (the theme's ``pst-scrollable-table-container``);
# - dark mode (WCAG 1.4.3): a notebook output's table caption kept the theme's muted grey on the light box dark mode
#   gives outputs (1.71:1, Chapter 5's table of figures); the search form's Search button (``a11y.SEARCH_SUBMIT``)
#   had Bootstrap's fixed dark text on the dark page (1.21:1); it now takes the theme's text and border colours
#   through Bootstrap's own button variables (on hover the theme's ``.btn:hover`` applies, as to its buttons).
FIXES_CSS = """
.bd-article { overflow-wrap: break-word; }
.bd-article dl.field-list > dd { min-width: 0; overflow-wrap: anywhere; }
@media (max-width: 35em) {
  .bd-article code.literal, .bd-article code.literal span.pre { white-space: normal; overflow-wrap: anywhere; }
  .bd-article :is(td, th) code.literal, .bd-article :is(td, th) code.literal span.pre {
    white-space: nowrap; overflow-wrap: normal; }
}
html[data-theme=dark] .bd-content div.cell_output .text_html caption { color: inherit; }
.sw-search-submit { --bs-btn-color: var(--pst-color-text-base); --bs-btn-border-color: var(--pst-color-border); }
"""


THEMES = ("sphinx_book_theme", "pydata_sphinx_theme")  # the themes whose markup this module knows


def applies(app: Sphinx) -> bool:
    """Only an HTML build with the book's theme is slimmed (the small test builds use Sphinx's default theme)."""
    return app.builder.format == "html" and app.config.html_theme in THEMES


def _name(asset: Any) -> str:
    """An asset's path under _static (Sphinx lists some as ``_static/…``), without a query."""
    name = str(getattr(asset, "filename", asset) or "").split("?")[0]
    return name.removeprefix("_static/")


def _bundled(name: str) -> bool:
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in BUNDLED)


def on_html_page_context(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """Per page: theme stylesheets out (bundled), scripts by need, every script file ``defer``."""
    if not applies(app):
        return
    if "css_files" in context:
        context["css_files"] = [a for a in context["css_files"] if not _bundled(_name(a))]
    if "script_files" not in context:
        return
    body = context.get("body") or ""
    dropped = {name for name, markers in BY_NEED.items() if not any(m in body for m in markers)}
    inline_dropped = tuple(v for name, values in INLINE_FOR.items() if name in dropped for v in values)
    kept = []
    for asset in context["script_files"]:
        name = _name(asset).rsplit("/", 1)[-1]
        attributes = dict(getattr(asset, "attributes", {}) or {})
        if name in dropped:
            continue
        if not name:
            if inline_dropped and any(v in attributes.get("body", "") for v in inline_dropped):
                continue
            kept.append(asset)
            continue
        if pagename == "search" or "defer" in attributes or "async" in attributes or attributes.get("type") == "module":
            kept.append(asset)
            continue
        attributes["defer"] = "defer"
        kept.append(type(asset)(asset.filename, priority=getattr(asset, "priority", 500), **attributes))
    context["script_files"] = kept


# ----------------------------------------------------------------------------------------------- CSS purging

_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")
_GROUPING_AT = ("@media", "@supports", "@layer", "@container", "@document")


def _blocks(css: str) -> list[tuple[str, str | None]]:
    """Top-level (prelude, body) pairs of ``css`` (comments gone); ``body`` None for a statement (``@import …;``)."""
    css = _COMMENT.sub("", css)
    out: list[tuple[str, str | None]] = []
    i, n, start = 0, len(css), 0
    while i < n:
        c = css[i]
        if c in "\"'":
            i = css.index(c, i + 1) + 1 if c in css[i + 1:] else n
            continue
        if c == ";":
            prelude = css[start:i].strip()
            if prelude:
                out.append((prelude, None))
            start = i = i + 1
            continue
        if c == "{":
            depth, j = 1, i + 1
            while j < n and depth:
                d = css[j]
                if d in "\"'":
                    j = css.index(d, j + 1) + 1 if d in css[j + 1:] else n
                    continue
                depth += d == "{"
                depth -= d == "}"
                j += 1
            out.append((css[start:i].strip(), css[i + 1:j - 1]))
            start = i = j
            continue
        i += 1
    return out


def _split_selectors(prelude: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for i, c in enumerate(prelude):
        depth += c in "(["
        depth -= c in ")]"
        if c == "," and depth == 0:
            parts.append(prelude[start:i].strip())
            start = i + 1
    parts.append(prelude[start:].strip())
    return [p for p in parts if p]


_INNER = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_CLASS = re.compile(r"\.(-?[_a-zA-Z\\][\w\\-]*)")
_ID = re.compile(r"#(-?[_a-zA-Z][\w-]*)")


def selector_needed(selector: str, used: set[str], prefixes: tuple[str, ...] = PREFIXES) -> bool:
    """Whether a selector may match: every class and id it requires (outside ``:not(…)``, ``:is(…)`` and other
    brackets, which are not required) is in ``used`` or starts with one of ``prefixes``. Escaped names are kept."""
    bare = selector
    while True:
        stripped = _INNER.sub("", bare)
        if stripped == bare:
            break
        bare = stripped
    for name in _CLASS.findall(bare) + _ID.findall(bare):
        if "\\" in name:
            continue
        if name not in used and not name.startswith(prefixes):
            return False
    return True


def purge(css: str, used: set[str]) -> str:
    """``css`` without the rules no page can match (see ``selector_needed``); at-rules other than grouping ones
    (``@font-face``, ``@keyframes``, ``@page``, ``@property``…) are kept whole, and an emptied ``@media`` goes."""
    out = []
    for prelude, body in _blocks(css):
        if body is None:
            out.append(prelude + ";")
        elif prelude.startswith(_GROUPING_AT):
            inner = purge(body, used)
            if inner.strip():
                out.append(f"{prelude}{{{inner}}}")
        elif prelude.startswith("@"):
            out.append(f"{prelude}{{{body}}}")
        else:
            kept = [s for s in _split_selectors(prelude) if selector_needed(s, used)]
            if kept:
                out.append(f"{','.join(kept)}{{{body}}}")
    return "\n".join(out)


def rebase_urls(css: str, source: PurePosixPath) -> str:
    """Rewrite the relative ``url()``s of a stylesheet at ``source`` (a path under _static) for one in _static."""

    def fix(match: re.Match[str]) -> str:
        url = match.group(2).strip()
        if re.match(r"^(?:[a-z][a-z0-9+.-]*:|/|#)", url, re.I):
            return match.group(0)
        parts: list[str] = []
        for part in (source.parent / url).parts:
            if part == "..":
                if parts:
                    parts.pop()
            elif part != ".":
                parts.append(part)
        return f'url("{"/".join(parts)}")'

    return _URL.sub(fix, css)


# ----------------------------------------------------------------------------------------------- the icon font

_PUA = re.compile(r"\\(f[0-9a-f]{3}|e[0-9a-f]{3})\b", re.I)
_SOLID_FACE = re.compile(r"@font-face\{[^{}]*?font-weight:900[^{}]*?fa-solid-900[^{}]*\}")


def icon_codepoints(css: str) -> set[int]:
    """The Font Awesome code points the stylesheet names: private use area characters, escaped (``"\\f0c9"``,
    as in ``.fa-bars:before``) or written as themselves (as in the theme's ``--pst-icon-bell``)."""
    return {int(code, 16) for code in _PUA.findall(css)} | {ord(c) for c in css if 0xE000 <= ord(c) <= 0xF8FF}


def subset_font(source: Path, target: Path, codepoints: set[int]) -> bool:
    """Write a WOFF (zlib, no brotli needed) of ``source`` with only ``codepoints``; False if fontTools is missing
    or the font cannot be read."""
    try:
        from fontTools import subset
    except ImportError:  # pragma: no cover - fontTools is pinned (pyproject)
        return False
    options = subset.Options()
    options.flavor = "woff"
    options.layout_features = []
    options.name_IDs = []
    options.notdef_outline = True
    try:
        font = subset.load_font(str(source), options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=sorted(codepoints))
        subsetter.subset(font)
        subset.save_font(font, str(target), options)
    except Exception as error:  # noqa: BLE001 - reported as a warning; the full font still works
        logger.warning(f"could not subset {source.name}: {error}", type="sourcework", subtype="theme")
        return False
    return True


# ----------------------------------------------------------------------------------------------- the pages

_TOKEN = re.compile(r"[A-Za-z_][\w-]*")
_CLASS_ATTR = re.compile(r'\b(?:class|id)="([^"]*)"')
_LEADING_ZERO = re.compile(r"(?<=[:\s,(])0\.(?=[0-9])")


def used_names(pages: list[str], scripts: list[str]) -> set[str]:
    """Every class and id on the pages, every word of the scripts (a class a script adds is a string in it)."""
    used = set(ALWAYS)
    for text in pages:
        for value in _CLASS_ATTR.findall(text):
            used.update(value.split())
    for text in scripts:
        used.update(_TOKEN.findall(text))
    return used


def script_words(static: Path) -> list[str]:
    """The text ``used_names`` scans for class names: each shipped script (Bootstrap by its list)."""
    texts = []
    for path in sorted(static.rglob("*.js")):
        if path.name in SCRIPT_CLASSES:
            texts.append(" ".join(sorted(SCRIPT_CLASSES[path.name])))
        elif path.name not in SKIP_SCRIPTS:
            texts.append(path.read_text("utf-8", errors="replace"))
    return texts


_PAGE_DROPS = (
    re.compile(r"[ \t]*<!-- So that users can add custom icons -->\n"),
    re.compile(r'[ \t]*<script defer src="[^"]*_static/scripts/fontawesome\.js[^"]*"></script>\n?'),
    re.compile(r"[ \t]*<!-- Pre-loaded scripts that we'll load fully later -->\n"),
    re.compile(r'[ \t]*<link rel="preload" as="script" href="[^"]*_static/scripts/[^"]*" />\n?'),
    re.compile(r"[ \t]*<!-- Loaded before other Sphinx assets -->\n"),
)
_SEARCH_SCRIPTS = re.compile(
    r'[ \t]*<script src="[^"]*(?:_static/searchtools\.js|_static/language_data\.js|searchindex\.js)"></script>\n?')
_THEME_LINKS = re.compile(r'<link href="([^"]*)_static/styles/theme\.css\?[^"]*" rel="stylesheet" />\s*'
                          r'<link href="[^"]*_static/styles/pydata-sphinx-theme\.css\?[^"]*" rel="stylesheet" />')
_BUNDLE_LINK = re.compile(r'(_static/' + re.escape(BUNDLE) + r')\?v=[0-9a-f]+')


_HIDDEN_TOGGLE = re.compile(r'[ \t]*<button class="pst-navbar-icon sidebar-toggle (primary|secondary)-toggle"[^>]*>'
                            r'.*?</button>\n?', re.S)


def drop_hidden_toggles(text: str) -> str:
    """The header's sidebar buttons that sphinx-book-theme always hides (``.bd-header button.primary-toggle``
    ``{display:none}``), when the page has the visible one too: both theme scripts wire only the first
    ``.primary-toggle`` / ``.secondary-toggle`` (``document.querySelector``), which was the hidden one, so the
    visible button opened nothing on a phone (and did not hide the sidebar on a desktop)."""

    def drop(match: re.Match[str]) -> str:
        rest = text[match.end():]
        return "" if f"{match.group(1)}-toggle" in rest else match.group(0)

    return _HIDDEN_TOGGLE.sub(drop, text)


# The book theme blurs a sidebar button on click, so the drawer, on closing, gives focus back to the page's body;
# this puts it back on the button that opened it (keyboard users go on from where they were).
FOCUS_BACK = ('<script>document.addEventListener("DOMContentLoaded",()=>{for(const s of["primary","secondary"]){'
              'const b=document.querySelector(`.${s}-toggle`),d=document.getElementById(`pst-${s}-sidebar-modal`);'
              'b&&d&&d.addEventListener("close",()=>b.focus())}})</script>\n')


# The theme's first inline script sets ``data-theme`` to the stored theme or, on a first visit, to "auto", which no
# rule matches; its script then sets the real one ("light" or "dark") after the page is parsed, which restyles the
# whole page once more (a long forced style recalculation on a long page). This sets it at once, as that script
# would: the stored mode, or the system's preference when the mode is "auto".
_EARLY_THEME = re.compile(r'(document\.documentElement\.dataset\.theme = )localStorage\.getItem\("theme"\) \|\| "\w+";')
EARLY_THEME = (r'\1(m => m === "light" || m === "dark" ? m : matchMedia("(prefers-color-scheme: dark)").matches ? '
               r'"dark" : "light")(document.documentElement.dataset.mode);')


def early_theme(text: str) -> str:
    """The page's colour theme resolved in its first inline script (``EARLY_THEME``)."""
    return _EARLY_THEME.sub(EARLY_THEME, text, count=1)


def slim_page(text: str, icons: dict[str, tuple[int, int, str]], *, search_page: bool) -> str:
    """One page without the icon script (its icons drawn inline instead, ``inline_icons``), the preloads,
    the always hidden sidebar buttons (``drop_hidden_toggles``) and, except on the search page, the search
    scripts."""
    for pattern in _PAGE_DROPS:
        text = pattern.sub("", text)
    text = early_theme(drop_hidden_toggles(text))
    if "-sidebar-modal" in text and FOCUS_BACK not in text:
        text = text.replace("</body>", FOCUS_BACK + "</body>", 1)
    if not search_page:
        text = _SEARCH_SCRIPTS.sub("", text)
    return inline_icons(text, icons) if icons else text


def link_bundle(text: str, checksum: str) -> str:
    """The bundle instead of the theme's two stylesheets (``?v=`` its checksum, also on a page written before)."""
    text = _THEME_LINKS.sub(lambda m: f'<link href="{m.group(1)}_static/{BUNDLE}?v={checksum}" rel="stylesheet" />',
                            text, count=1)
    return _BUNDLE_LINK.sub(lambda m: f"{m.group(1)}?v={checksum}", text)


# ----------------------------------------------------------------------------------------------- the icons

FA_SCRIPT = "scripts/fontawesome.js"
_FA_PACK_END = re.compile(r'\bd\("fas",(\w+)\),d\("fa-solid",\1\)')
_FA_ICON = re.compile(r'(?:"([\w-]+)"|(\w+)):\[(\d+),(\d+),\[[^\]]*\],"[0-9a-f]+","([^"]+)"\]')
_FA_CSS = re.compile(r"'(:host,:root\{--fa-font-solid[^']*)'")
_ICON_TAG = re.compile(r'<(i|span) class="([^"]*\bfa-solid\b[^"]*)"([^>]*)></\1>')
_TITLE = re.compile(r'\s+title="([^"]*)"')


def solid_icons(script: str) -> dict[str, tuple[int, int, str]]:
    """{name: (width, height, path)} of the solid icons in the theme's ``fontawesome.js``: the pack it registers
    with ``d("fas", p)``. Empty if the script is not laid out so (the page then keeps the webfont icons)."""
    end = _FA_PACK_END.search(script)
    if not end:
        return {}
    start = script.rfind(f"var {end.group(1)}={{", 0, end.start())
    return {(m.group(1) or m.group(2)): (int(m.group(3)), int(m.group(4)), m.group(5))
            for m in _FA_ICON.finditer(script, max(start, 0), end.start())}


def icon_styles(script: str) -> str:
    """The stylesheet ``fontawesome.js`` injects for its SVGs (``.svg-inline--fa`` …), without its ``:root`` rule,
    which would point the theme's ``--fa-font-*`` at fonts no page has."""
    found = _FA_CSS.search(script)
    if not found:
        return ""
    return "\n".join(f"{prelude}{{{body}}}" if body is not None else prelude + ";"
                     for prelude, body in _blocks(found.group(1)) if not prelude.startswith(":host"))


def inline_icons(text: str, icons: dict[str, tuple[int, int, str]]) -> str:
    """Each ``<i class="fa-solid fa-NAME …">`` (or ``<span>``) as the SVG ``fontawesome.js`` would put in its place:
    the same classes, attributes, size and title, so the page looks as it did once the script had run."""
    count = 0

    def svg(match: re.Match[str]) -> str:
        nonlocal count
        classes = match.group(2).split()
        names = [c[3:] for c in classes if c.startswith("fa-") and c[3:] in icons and c != "fa-solid"]
        if not names:
            return match.group(0)
        name = names[0]
        width, height, path = icons[name]
        rest = [c for c in classes if c not in ("fa-solid", f"fa-{name}")]
        title = _TITLE.search(match.group(3))
        attributes = " ".join(_TITLE.sub("", match.group(3)).split())
        head = f'<svg class="{" ".join(["svg-inline--fa", f"fa-{name}", *rest])}"'
        head += f" {attributes}" if attributes else ""
        if title:
            count += 1
            ident = f"svg-inline--fa-title-{count}"
            head += f' aria-labelledby="{ident}"'
            inner = f'<title id="{ident}">{title.group(1)}</title>'
        else:
            head += ' aria-hidden="true" focusable="false"'
            inner = ""
        return (f'{head} data-prefix="fas" data-icon="{name}" role="img" xmlns="http://www.w3.org/2000/svg" '
                f'viewBox="0 0 {width} {height}">{inner}<path fill="currentColor" d="{path}"></path></svg>')

    return _ICON_TAG.sub(svg, text)


def build_bundle(static: Path, used: set[str], icon_css: str = "") -> str:
    """The bundle's text: the icon script's stylesheet (first, where the script put it), the theme stylesheets in
    page order, then ``FIXES_CSS``, purged, urls rebased to _static, minified; the solid icon face pointed at the
    subset font when it could be written."""
    parts = [icon_css]
    for pattern in (*TEMPLATE_CSS, *BUNDLED):
        for path in sorted(static.glob(pattern)):
            parts.append(rebase_urls(path.read_text("utf-8"), PurePosixPath(path.relative_to(static).as_posix())))
    css = purge("\n".join([*parts, FIXES_CSS]), used)
    css = _LEADING_ZERO.sub(".", str(rcssmin.cssmin(css)))
    codepoints = icon_codepoints(css)
    if codepoints and (static / FONT_SOURCE).is_file() and subset_font(static / FONT_SOURCE, static / FONT, codepoints):
        face = ('@font-face{font-display:block;font-family:"Font Awesome 6 Free";font-style:normal;font-weight:900;'
                f'src:url("{FONT}") format("woff")}}')
        css = _SOLID_FACE.sub(face, css)
    return css + "\n"


# ----------------------------------------------------------------------------------------------- the theme's scripts

# Edits to the theme's own scripts (the pinned versions), each (file under _static, the text, its replacement): the
# layout each forced at start-up, on a page that has not been laid out yet, now happens when it is needed.
# - bootstrap.js measured the header at start (for its back-to-top button) though only scrolling needs it;
# - pydata-sphinx-theme.js measured every code block and table, at load and after each change to the page, to make
#   the scrollable ones focusable (``tabindex=0``, so a keyboard can scroll them); it now measures each when it
#   comes near the screen (an IntersectionObserver), in the browser's own layout, not one forced at load.
SCRIPT_EDITS = (
    ("scripts/bootstrap.js",
     'var e=document.getElementsByClassName("bd-header")[0].getBoundingClientRect();'
     'window.addEventListener("scroll",function(){',
     'var e;window.addEventListener("scroll",function(){'
     'e=e||document.getElementsByClassName("bd-header")[0].getBoundingClientRect();'),
    ("scripts/pydata-sphinx-theme.js",
     "forEach(e=>{e.tabIndex=e.scrollWidth>e.clientWidth||e.scrollHeight>e.clientHeight?0:-1})",
     "forEach(e=>{const o=window.swScrollables||=new IntersectionObserver(s=>{for(const{target:e,isIntersecting:i}"
     "of s)i&&(e.tabIndex=e.scrollWidth>e.clientWidth||e.scrollHeight>e.clientHeight?0:-1)},"
     '{rootMargin:"100% 0px"});o.unobserve(e),o.observe(e)})'),
)
_SOURCE_MAP = re.compile(r"\n//# sourceMappingURL=[^\n]*\n?$")


def edit_scripts(static: Path) -> list[str]:
    """Apply ``SCRIPT_EDITS`` to the copied theme scripts (their source-map comment goes: the map no longer fits);
    the edits whose text is not found (another theme version), for a warning."""
    missing = []
    for name, old, new in SCRIPT_EDITS:
        path = static / name
        if not path.is_file():
            continue
        text = path.read_text("utf-8")
        if new in text:
            continue
        if old not in text:
            missing.append(name)
            continue
        path.write_text(_SOURCE_MAP.sub("\n", text.replace(old, new, 1)), "utf-8")
    return missing


# ----------------------------------------------------------------------------------------------- unused files

# Files the themes and extensions copy into _static that a page may load only if something names them. What no page,
# no kept stylesheet and no kept script names is left out of the build (the icon script, the full fonts and
# stylesheets now in the bundle, source maps, the templates' fragments, the themes' translation catalogues…). Sphinx
# copies them again at the start of each build, so the bundle and the font subset are still made from them.
KEEP = ("sw-*", "documentation_options.js", "favicon.*")


def drop_unused(out: Path, static: Path) -> list[str]:
    """Delete from ``static`` every file that no page and no file kept names (by its file name); the removed
    paths, relative to ``static``."""
    pages = " ".join(p.read_text("utf-8", errors="replace") for p in out.rglob("*.html")
                     if "_static" not in p.relative_to(out).parts)
    files = {p: p.relative_to(static).as_posix() for p in static.rglob("*") if p.is_file()}
    names = {p: re.compile(r"(?<![\w.-])" + re.escape(p.name)) for p in files}  # not "theme.css" in "sw-theme.css"
    kept = {p for p, rel in files.items() if any(fnmatch.fnmatchcase(rel, k) for k in KEEP) or names[p].search(pages)}
    while True:  # what a kept stylesheet or script names is kept too
        texts = " ".join(p.read_text("utf-8", errors="replace") for p in kept if p.suffix in (".css", ".js"))
        more = {p for p in files if p not in kept and names[p].search(texts)}
        if not more:
            break
        kept |= more
    removed = []
    for path, rel in sorted(files.items(), key=lambda item: item[1]):
        if path not in kept:
            path.unlink()
            removed.append(rel)
    for folder in sorted((d for d in static.rglob("*") if d.is_dir()), key=lambda d: -len(d.parts)):
        if not any(folder.iterdir()):
            folder.rmdir()
    return removed


_SW_CSS_LINK = r'<link rel="stylesheet" type="text/css" href="([^"]*)_static/(sw-[\w-]+\.css)\?v=[0-9a-f]+" />'
_SW_CSS_RUN = re.compile(rf"{_SW_CSS_LINK}(?:\s*{_SW_CSS_LINK})+")
_SW_CSS_ONE = re.compile(_SW_CSS_LINK)
JOINED = "sw-css-"  # _static/sw-css-<checksum>.css: one page's exercise stylesheets in one file
_JOINED_LINK = re.compile(r'<link rel="stylesheet" type="text/css" href="([^"]*)_static/' + JOINED
                          + r'[0-9a-f]+\.css" data-sw-joined="([^"]+)" />')


def join_stylesheets(text: str, static: Path, written: dict[str, str]) -> str:
    """A page's run of two or more adjacent exercise stylesheets (``assets.page_assets``: ``sw-items.css``, the
    item types' own…; not the print one, which has ``media``) as one request: ``_static/sw-css-<crc>.css``, their
    texts in the same order (written once per distinct run; ``written`` maps file name → text). The link names its
    parts (``data-sw-joined``), so a page an incremental build leaves as it was is joined again from the current
    files."""

    def link(prefix: str, names: list[str], original: str) -> str:
        if not all((static / name).is_file() for name in names):
            return original
        data = "".join((static / name).read_text("utf-8") for name in names)
        name = f"{JOINED}{zlib.crc32(data.encode('utf-8')):08x}.css"
        if name not in written:
            (static / name).write_text(data, "utf-8")
            written[name] = data
        return (f'<link rel="stylesheet" type="text/css" href="{prefix}_static/{name}" '
                f'data-sw-joined="{" ".join(names)}" />')

    text = _JOINED_LINK.sub(lambda m: link(m.group(1), m.group(2).split(), m.group(0)), text)
    return _SW_CSS_RUN.sub(lambda m: link(m.group(1), [n.group(2) for n in _SW_CSS_ONE.finditer(m.group(0))],
                                          m.group(0)), text)


def on_build_finished(app: Sphinx, exception: Exception | None) -> None:
    """Slim every page, then write the purged bundle and the icon subset, and link the pages to the bundle."""
    if exception is not None or not applies(app):
        return
    out = Path(app.outdir)
    static = out / "_static"
    if not (static / TEMPLATE_CSS[-1]).is_file():
        # Sphinx copies the theme's files only when it writes a page; with nothing out of date it wrote none, so the
        # pages, the bundle and the dropped files (drop_unused) are as the last build left them.
        return
    script = static / FA_SCRIPT
    fontawesome = script.read_text("utf-8") if script.is_file() else ""
    icons = solid_icons(fontawesome)
    pages = [p for p in out.rglob("*.html") if "_static" not in p.relative_to(out).parts]
    before = {p: p.read_text("utf-8") for p in pages}
    slim = {p: slim_page(text, icons, search_page=p == out / "search.html") for p, text in before.items()}
    css = build_bundle(static, used_names(list(slim.values()), script_words(static)), icon_styles(fontawesome))
    data = css.encode("utf-8")
    (static / BUNDLE).write_bytes(data)
    checksum = f"{zlib.crc32(data):08x}"
    joined: dict[str, str] = {}
    for path, text in slim.items():
        new = join_stylesheets(link_bundle(text, checksum), static, joined)
        if new != before[path]:
            path.write_text(new, "utf-8")
    for stale in static.glob(f"{JOINED}*.css"):
        if stale.name not in joined:
            stale.unlink()
    for name in edit_scripts(static):
        logger.warning(f"theme script {name} is not as expected; left as it is", type="sourcework", subtype="theme")
    drop_unused(out, static)


def setup_theme(app: Sphinx) -> None:
    app.connect("html-page-context", on_html_page_context, priority=800)  # after the exercise assets are added
    app.connect("build-finished", on_build_finished, priority=900)  # after a11y's repairs (their classes count)
