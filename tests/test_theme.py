"""The theme diet (sphinx_ext/theme.py): CSS purging, inline icons, page rewriting, per-page scripts, and that the
pinned theme still writes the markup the rewriting expects. Fast: no build (the browser tests look at built pages)."""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from types import SimpleNamespace

import pydata_sphinx_theme
import pytest
from sphinx.builders.html._assets import _JavaScript

from sourcework.sphinx_ext import theme

THEME_STATIC = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "static"


def test_selector_needs_every_class_and_id_it_requires():
    used = {"btn", "show", "main"}
    assert theme.selector_needed(".btn.show", used)
    assert theme.selector_needed("html[data-theme=dark] .btn:hover", used)
    assert theme.selector_needed("a:not(.unused)", used)  # a :not() class is not required
    assert theme.selector_needed("#main > p", used)
    assert theme.selector_needed("p", used)
    assert not theme.selector_needed(".btn .carousel-item", used)
    assert not theme.selector_needed("#other", used)
    assert theme.selector_needed(".bs-tooltip-auto", used)  # built at run time: kept by prefix


def test_purge_keeps_what_may_match_and_every_non_grouping_at_rule():
    css = """/* note */ @import url(x.css);
    .btn{color:red} .carousel{color:blue} .btn,.toast{margin:0}
    @media (min-width:10px){.toast{a:b}} @media print{.btn{c:d}}
    @font-face{font-family:X;src:url(a.woff)} @keyframes spin{0%{a:b}to{a:c}}
    :root{--x:"{"}"""
    out = theme.purge(css, {"btn"})
    assert ".carousel" not in out and ".toast" not in out and "min-width" not in out
    assert ".btn{color:red}" in out and ".btn{margin:0}" in out and "@media print{.btn{c:d}}" in out
    assert "@font-face" in out and "@keyframes spin{0%{a:b}to{a:c}}" in out and '--x:"{"' in out
    assert out.startswith("@import url(x.css);")


def test_urls_are_rebased_to_static():
    css = 'a{b:url(../vendor/f.woff2)} c{d:url("file.png")} e{f:url(data:image/png;base64,xx)}'
    out = theme.rebase_urls(css, PurePosixPath("styles/theme.css"))
    assert 'url("vendor/f.woff2")' in out and 'url("styles/file.png")' in out and "url(data:image" in out


def test_icon_codepoints_read_escaped_and_literal_private_use_characters():
    assert theme.icon_codepoints('.fa-bars:before{content:"\\f0c9"} :root{--bell:"\uf0f3"} .x{content:"a"}') == {
        0xF0C9, 0xF0F3}


ICONS = {"bars": (448, 512, "M0 96z"), "sun": (512, 512, "M1 1z")}


def test_icons_become_the_svg_the_icon_script_would_write():
    page = ('<span class="fa-solid fa-bars"></span>'
            '<i class="theme-switch fa-solid fa-sun fa-lg" data-mode="light" title="Light"></i>'
            '<i class="fa-brands fa-github"></i>')
    out = theme.inline_icons(page, ICONS)
    assert ('<svg class="svg-inline--fa fa-bars" aria-hidden="true" focusable="false" data-prefix="fas" '
            'data-icon="bars" role="img" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 448 512">'
            '<path fill="currentColor" d="M0 96z"></path></svg>') in out
    assert ('<svg class="svg-inline--fa fa-sun theme-switch fa-lg" data-mode="light" '
            'aria-labelledby="svg-inline--fa-title-1"') in out
    assert '<title id="svg-inline--fa-title-1">Light</title>' in out
    assert '<i class="fa-brands fa-github"></i>' in out  # not a solid icon: left to the webfont


PAGE = """<head>
  <!-- Loaded before other Sphinx assets -->
  <link href="../_static/styles/theme.css?digest=abc" rel="stylesheet" />
<link href="../_static/styles/pydata-sphinx-theme.css?digest=abc" rel="stylesheet" />
  <!-- So that users can add custom icons -->
  <script defer src="../_static/scripts/fontawesome.js?digest=abc"></script>
  <!-- Pre-loaded scripts that we'll load fully later -->
  <link rel="preload" as="script" href="../_static/scripts/bootstrap.js?digest=abc" />
<link rel="preload" as="script" href="../_static/scripts/pydata-sphinx-theme.js?digest=abc" />
    <script src="../_static/searchtools.js"></script>
    <script src="../_static/language_data.js"></script>
    <script src="../searchindex.js"></script>
</head><body><span class="fa-solid fa-bars"></span>
  <script defer src="../_static/scripts/bootstrap.js?digest=abc"></script>
</body>"""


def test_pages_lose_the_icon_script_preloads_and_search_scripts_and_link_the_bundle():
    slim = theme.slim_page(PAGE, ICONS, search_page=False)
    out = theme.link_bundle(slim, "0badf00d")
    for gone in ("fontawesome.js", "preload", "searchtools.js", "language_data.js", "searchindex.js",
                 "styles/theme.css", "pydata-sphinx-theme.css", "fa-solid"):
        assert gone not in out
    assert '<link href="../_static/sw-theme.css?v=0badf00d" rel="stylesheet" />' in out
    assert '<script defer src="../_static/scripts/bootstrap.js?digest=abc"></script>' in out  # the controls stay
    assert theme.link_bundle(out, "12345678").count("sw-theme.css?v=12345678") == 1  # a rebuild updates ?v=
    assert "searchindex.js" in theme.slim_page(PAGE, ICONS, search_page=True)


def _context(body: str) -> tuple[SimpleNamespace, dict]:
    app = SimpleNamespace(builder=SimpleNamespace(format="html"),
                          config=SimpleNamespace(html_theme="sphinx_book_theme"))
    scripts = [_JavaScript("documentation_options.js"), _JavaScript("clipboard.min.js"), _JavaScript("copybutton.js"),
               _JavaScript("togglebutton.js"), _JavaScript(None, body="let toggleHintShow = 'Click to show';"),
               _JavaScript("design-tabs.js"), _JavaScript("sw-main.js", **{"data-edition": "practice"}),
               _JavaScript(None, body="var other = 1;")]
    css = [SimpleNamespace(filename="_static/pygments.css"), SimpleNamespace(filename="_static/mystnb.abc.css"),
           SimpleNamespace(filename="_static/sw-items.css")]
    return app, {"body": body, "script_files": scripts, "css_files": css}


def test_a_page_keeps_the_scripts_it_needs_all_deferred_and_only_its_own_stylesheets():
    app, context = _context('<p>prose</p>')
    theme.on_html_page_context(app, "page", "page.html", context, None)
    names = [js.filename for js in context["script_files"]]
    assert names == ["documentation_options.js", "sw-main.js", None]
    assert all(js.attributes.get("defer") for js in context["script_files"] if js.filename)
    assert context["script_files"][1].attributes["data-edition"] == "practice"
    assert [c.filename for c in context["css_files"]] == ["_static/sw-items.css"]
    app, context = _context('<div class="highlight"><pre>x</pre></div><details class="dropdown">')
    theme.on_html_page_context(app, "page", "page.html", context, None)
    names = [js.filename for js in context["script_files"]]
    assert names == ["documentation_options.js", "clipboard.min.js", "copybutton.js", "togglebutton.js", None,
                     "sw-main.js", None]


def test_the_search_page_keeps_its_scripts_in_order():
    """search.html's body runs searchtools.js at once, which needs doctools.js: nothing there is deferred."""
    app, context = _context("<p>prose</p>")
    theme.on_html_page_context(app, "search", "search.html", context, None)
    assert not any(js.attributes.get("defer") for js in context["script_files"])


def test_another_theme_is_left_alone():
    app, context = _context("<p>prose</p>")
    app.config.html_theme = "alabaster"
    before = (list(context["script_files"]), list(context["css_files"]))
    theme.on_html_page_context(app, "page", "page.html", context, None)
    assert (context["script_files"], context["css_files"]) == before


# The pinned theme: a new version that lays out its files or templates otherwise must fail here, not silently ship
# the 1.5 MB script again.

@pytest.mark.skipif(not (THEME_STATIC / "scripts" / "fontawesome.js").exists(), reason="theme assets not installed")
def test_the_pinned_icon_script_yields_its_solid_icons_and_their_stylesheet():
    script = (THEME_STATIC / "scripts" / "fontawesome.js").read_text("utf-8")
    icons = theme.solid_icons(script)
    assert len(icons) > 1000
    for name in ("bars", "magnifying-glass", "sun", "moon", "circle-half-stroke", "list", "outdent", "arrow-up",
                 "chevron-down", "angle-left", "angle-right"):
        assert name in icons, name
    assert icons["bars"][:2] == (448, 512)
    styles = theme.icon_styles(script)
    assert ".svg-inline--fa{" in styles and not styles.startswith(":host")


def test_the_pinned_templates_write_what_the_rewriting_removes():
    macros = (THEME_STATIC / "webpack-macros.html").read_text("utf-8")
    assert "<!-- So that users can add custom icons -->" in macros
    assert "_static/scripts/fontawesome.js', 1) }}?digest=" in macros
    assert "_static/styles/theme.css', 1) }}?digest=" in macros
    layout = (THEME_STATIC.parent / "layout.html").read_text("utf-8")
    assert "<script src=\"{{ pathto('searchindex.js', 1) | e }}\"></script>" in layout
    assert "search_as_you_type = False" in (THEME_STATIC.parent / "theme.conf").read_text("utf-8")


def test_the_always_hidden_sidebar_buttons_go_when_the_visible_ones_are_there():
    hidden = ('<button class="pst-navbar-icon sidebar-toggle primary-toggle" aria-label="Site navigation">\n'
              '    <svg></svg>\n  </button>\n')
    visible = '<button class="sidebar-toggle primary-toggle btn btn-sm" title="Toggle primary sidebar"></button>'
    assert theme.drop_hidden_toggles(f"<header>{hidden}</header>{visible}") == f"<header></header>{visible}"
    assert theme.drop_hidden_toggles(f"<header>{hidden}</header>") == f"<header>{hidden}</header>"


def test_adjacent_exercise_stylesheets_become_one_request(tmp_path):
    (tmp_path / "sw-items.css").write_text(".a{color:red}\n")
    (tmp_path / "sw-type-grid.css").write_text(".b{color:blue}\n")
    page = ('<link href="../_static/sw-theme.css?v=1" rel="stylesheet" />\n'
            '<link rel="stylesheet" type="text/css" href="../_static/sw-items.css?v=9aa89821" />\n'
            '<link rel="stylesheet" type="text/css" href="../_static/sw-type-grid.css?v=553ed0a2" />\n'
            '<link media="print" rel="stylesheet" type="text/css" href="../_static/sw-print.css?v=06671731" />')
    written: dict[str, str] = {}
    joined = theme.join_stylesheets(page, tmp_path, written)
    [name] = written
    assert (tmp_path / name).read_text() == ".a{color:red}\n.b{color:blue}\n"
    assert joined.count("stylesheet") == 3 and f'href="../_static/{name}"' in joined
    assert 'data-sw-joined="sw-items.css sw-type-grid.css"' in joined and "sw-print.css" in joined
    # a page left as it was by an incremental build is joined again from the current files
    (tmp_path / "sw-items.css").write_text(".a{color:green}\n")
    again: dict[str, str] = {}
    rejoined = theme.join_stylesheets(joined, tmp_path, again)
    [new] = again
    assert new != name and f'href="../_static/{new}"' in rejoined
    assert (tmp_path / new).read_text().startswith(".a{color:green}")
    # one stylesheet alone stays as it is
    single = '<link rel="stylesheet" type="text/css" href="../_static/sw-items.css?v=9aa89821" />'
    assert theme.join_stylesheets(single, tmp_path, {}) == single


@pytest.mark.skipif(not (THEME_STATIC / "scripts" / "bootstrap.js").exists(), reason="theme assets not installed")
def test_the_pinned_theme_scripts_take_the_start_up_edits(tmp_path):
    (tmp_path / "scripts").mkdir()
    for name in ("bootstrap.js", "pydata-sphinx-theme.js"):
        (tmp_path / "scripts" / name).write_text((THEME_STATIC / "scripts" / name).read_text("utf-8"), "utf-8")
    assert theme.edit_scripts(tmp_path) == []
    for name, old, new in theme.SCRIPT_EDITS:
        text = (tmp_path / name).read_text("utf-8")
        assert new in text and old not in text and "sourceMappingURL" not in text
    assert theme.edit_scripts(tmp_path) == []  # a second build leaves them as they are
    (tmp_path / "scripts" / "bootstrap.js").write_text("other();", "utf-8")
    assert theme.edit_scripts(tmp_path) == ["scripts/bootstrap.js"]


def test_the_first_inline_script_resolves_the_colour_theme():
    layout = (THEME_STATIC.parent / "layout.html").read_text("utf-8")
    page = layout.replace("{{ default_mode }}", "auto")
    resolved = theme.early_theme(page)
    assert 'dataset.theme = localStorage.getItem("theme")' not in resolved
    assert 'matchMedia("(prefers-color-scheme: dark)")' in resolved
    assert theme.early_theme(resolved) == resolved


def test_unused_static_files_are_left_out(tmp_path):
    static = tmp_path / "_static"
    (static / "scripts").mkdir(parents=True)
    (static / "vendor").mkdir()
    for name in ("scripts/used.js", "scripts/used.js.LICENSE.txt", "scripts/icons.js", "scripts/icons.js.map",
                 "vendor/font.woff2", "theme.css", "sw-theme.css", "sw-lazy.js", "plus.png", "other.png"):
        (static / name).write_text("")
    (static / "scripts" / "used.js").write_text("/*! see used.js.LICENSE.txt */")
    (static / "sw-theme.css").write_text('.a{background:url("plus.png")}')
    (tmp_path / "page.html").write_text('<link href="_static/sw-theme.css"><script src="_static/scripts/used.js">')
    removed = theme.drop_unused(tmp_path, static)
    assert removed == ["other.png", "scripts/icons.js", "scripts/icons.js.map", "theme.css", "vendor/font.woff2"]
    assert sorted(p.relative_to(static).as_posix() for p in static.rglob("*") if p.is_file()) == [
        "plus.png", "scripts/used.js", "scripts/used.js.LICENSE.txt", "sw-lazy.js", "sw-theme.css"]
    assert not (static / "vendor").exists()
