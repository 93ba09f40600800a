"""Exercise assets by need: which files each page loads, and the minified copies a build ships."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from buildhelp import sphinx_build
from sample_items import ALL_ITEMS
from test_exercise_build import EXERCISES, PAGES

from sourcework.core.model import ITEM_TYPES
from sourcework.core.render import render_item
from sourcework.sphinx_ext.assets import LAZY_JS, SHARED, STATIC, minify, page_assets
from sourcework.sphinx_ext.messages import split_words

OURS = re.compile(r'(?:src|href)="[^"]*_static/(sw-[a-z0-9-]+\.(?:js|css))(?:\?v=[0-9a-f]+)?"')
QUOTE_PAGE = ("# Quoted\n\n```{source-quote} A 3\n"
              "SAFE is intended to keep the streets of the U.S. and El Salvador safe\n```\n")


def ours(html: str) -> list[str]:
    return OURS.findall(html)


def test_every_item_type_has_its_script():
    for item_type in ITEM_TYPES:
        text = (STATIC / f"sw-type-{item_type}.js").read_text("utf-8")
        assert f'SourceworkTypes.register("{item_type}"' in text


def test_page_assets_by_need():
    # Every page gets the print stylesheet (chapters and sources are printed too), and only it without exercises.
    assert page_assets("<p>No exercises here.</p>") == (["sw-print.css"], [])
    # Text about the markup is escaped in a page, so it never counts as an item.
    assert page_assets("<code>data-sw-type=&quot;grid&quot;</code>") == (["sw-print.css"], [])
    css, js = page_assets('<div class="sw-set"></div><section data-sw-type="choice"></section>')
    # The interface language's switch comes first (tests/test_i18n.py has the other pages' rules).
    assert js == ["sw-i18n.js", "sw-storage.js", "sw-core.js", "sw-type-choice.js", "sw-main.js"]
    assert css == ["sw-i18n.css", "sw-visually-hidden.css", "sw-items.css", "sw-print.css"]
    # Teaching notes are styled where they are shown.
    css, js = page_assets('<section data-sw-type="order"></section><div class="sw-instructor"></div>')
    assert css == ["sw-i18n.css", "sw-visually-hidden.css", "sw-items.css", "sw-type-order.css", "sw-instructor.css",
                   "sw-print.css"]
    assert js == ["sw-i18n.js", "sw-storage.js", "sw-core.js", "sw-lists.js", "sw-type-order.js", "sw-main.js"]
    css, js = page_assets('<div class="sw-progress" data-sw-sets="[]"></div>')
    assert "sw-progress.js" in js and not any(name.startswith("sw-type-") for name in js)
    assert css[-1] == "sw-print.css" and "sw-progress.css" in css
    assert page_assets('<p class="attribution">A</p>') == (["sw-source.css", "sw-print.css"], [])


def test_shared_files_follow_the_scripts_and_the_markup():
    """``SHARED`` is typed by hand: a type whose script calls a helper of sw-lists.js must be listed for it (the
    vectors and the widget smoke tests load every type at once, so they would not notice); and a type whose markup
    has screen-reader-only text gets its stylesheet (with the switch's, on every page with a script)."""
    lists = (STATIC / "sw-lists.js").read_text("utf-8")
    helpers = re.search(r"Object\.assign\(S, \{([^}]*)\}", lists).group(1).replace(" ", "").split(",")
    assert len(helpers) > 1
    assert {item.type for item in ALL_ITEMS} == set(ITEM_TYPES)
    for item in ALL_ITEMS:
        script = (STATIC / f"sw-type-{item.type}.js").read_text("utf-8")
        uses = any(re.search(rf"\.{helper}\b", script) for helper in helpers)
        assert uses == (item.type in SHARED["sw-lists.js"]), item.type
        html = render_item(item, "practice", number=1)
        if "sw-visually-hidden" in html:
            assert "sw-visually-hidden.css" in page_assets(html)[0], item.type


def test_instructor_css_follows_the_markup():
    item = next(item for item in ALL_ITEMS if item.explanation)
    assert "sw-instructor.css" in page_assets(render_item(item, "instructor", number=1))[0]
    assert "sw-instructor.css" not in page_assets(render_item(item, "practice", number=1))[0]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    result = sphinx_build(tmp_path_factory.mktemp("assets") / "b", {**PAGES, "quoted": QUOTE_PAGE},
                          exercises=EXERCISES)
    assert result.returncode == 0, result.output
    return result


def test_page_without_items_loads_no_exercise_script(built):
    assert ours(built.page("index")) == ["sw-print.css"]
    # A Source-reader page has Listen controls (and so the interface language) and, since the module's Source A has
    # adapted versions, the version switch; no exercise script.
    assert ours(built.page("book/sources/source-a")) == ["sw-i18n.css", "sw-visually-hidden.css", "sw-adapted.css",
                                                         "sw-listen.css", "sw-print.css", "sw-i18n.js",
                                                         "sw-versions.js", "sw-listen.js"]
    assert ours(built.page("quoted")) == ["sw-source.css", "sw-print.css"]
    links = re.findall(r"<link[^>]*sw-print\.css[^>]*>", built.page("index"))
    assert len(links) == 1 and 'media="print"' in links[0]


def test_set_page_loads_its_types_only(built):
    page = built.page("exercises/t")  # one choice and one select item
    files = ours(page)
    scripts = [f for f in files if f.endswith(".js")]
    assert scripts == ["sw-i18n.js", "sw-storage.js", "sw-core.js", "sw-lists.js",
                       "sw-type-choice.js", "sw-type-select.js", "sw-main.js"]
    assert "sw-type-grid.js" not in files and "sw-submission.js" not in files
    assert {"sw-items.css", "sw-print.css"} <= set(files)
    assert "sw-messages.js" not in files and "sw-i18n-rewrite.js" not in files  # loaded when Spanish is chosen
    # Each script that loads others on demand names them, versioned, in its data-sw-lazy.
    tags = {re.search(r'src="[^"]*?(sw-[\w-]+\.js)', tag).group(1): tag
            for tag in re.findall(r"<script[^>]*data-sw-lazy[^>]*>", page)}
    assert set(tags) == set(LAZY_JS)
    for script, tag in tags.items():
        lazy = json.loads(re.search(r"data-sw-lazy=\"([^\"]*)\"", tag).group(1).replace("&quot;", '"'))
        assert set(lazy) == set(LAZY_JS[script])
        for file in lazy.values():
            name, _, version = file.partition("?v=")
            assert (built.html / "_static" / name).exists() and re.fullmatch(r"[0-9a-f]{8}", version)


def test_build_ships_minified_copies(built):
    static = built.html / "_static"
    for source in STATIC.glob("sw-*.js"):
        shipped = (static / source.name).read_text("utf-8")
        # After the line of English words the build puts at the head (tests/test_i18n.py checks those).
        assert split_words(shipped)[1] == minify(source.name, source.read_text("utf-8"))
        assert len(shipped) < len(source.read_text("utf-8")) and "@ts-check" not in shipped
    assert (static / "sw-items.css").read_text("utf-8") == minify("x.css", (STATIC / "sw-items.css").read_text())
    assert not (static / "sw-handout.css").exists()  # the handout tool's, not a page's


def test_stylesheets_lose_leading_zeros():
    assert minify("x.css", "a { margin: 0.5rem 0.25em; flex: 1 1 0; width: calc(10.5px + 0.1em) }") == \
        "a{margin:.5rem .25em;flex:1 1 0;width:calc(10.5px + .1em)}\n"


def test_minification_can_be_switched_off(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCEWORK_MINIFY", "0")
    result = sphinx_build(tmp_path / "b", PAGES, exercises=EXERCISES)
    assert result.returncode == 0, result.output
    for name in ("sw-core.js", "sw-main.js", "sw-items.css"):
        # A script after its line of English words (tests/test_i18n.py).
        shipped = (result.html / "_static" / name).read_text("utf-8")
        assert split_words(shipped)[1] == (STATIC / name).read_text("utf-8")


def test_no_template_literal_is_nested_in_another():
    """rjsmin 1.3.0 reads a template literal inside another's ``${…}`` as code and strips its spaces (the answer
    "2.05 percent" was shipped as "2.05percent"), so the scripts write such pieces with ``+`` instead."""
    found = [f"{path.name}:{n}" for path in sorted(STATIC.glob("*.js"))
             for n, line in enumerate(path.read_text("utf-8").splitlines(), 1) if re.search(r"\$\{[^}`]*`", line)]
    assert not found, f"a template literal inside ${{…}} (write it with + instead): {found}"


def test_a_change_to_any_shipped_file_rewrites_every_page(tmp_path):
    """The digest of the shipped files is an "html" setting (``sourcework_assets_hash``): Sphinx rewrites every page
    and copies the new files when it changes, though no page's source did."""
    from sourcework.sphinx_ext.assets import sources_digest

    static = tmp_path / "static"
    shutil.copytree(STATIC, static)
    before = sources_digest(static)
    assert sources_digest(static) == before
    for name in ("sw-core.js", "min/sw-core.js", "messages/es.json", "sw-items.css"):
        path = static / name
        original = path.read_bytes()
        path.write_bytes(original + b" ")
        assert sources_digest(static) != before, name
        path.write_bytes(original)
    assert sources_digest(static) == before
