"""Interface languages: the message catalogs are complete, a missing or unknown key fails the build naming it, the
pages load the language, version and Listen scripts where they are needed, and the Spanish summary, bilingual
glossary and original-needed directives render."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from buildhelp import sphinx_build

from sourcework.sphinx_ext import messages
from sourcework.sphinx_ext.assets import AFTER_CATALOGS, I18N_JS, LAZY_JS, STATIC, minify, page_assets, write_static

ROOT = Path(__file__).resolve().parent.parent


def test_catalogs_are_complete_and_every_key_a_script_asks_for_exists():
    assert messages.check_catalogs() == []
    en, es = messages.catalog("en"), messages.catalog("es")
    assert set(en) == set(es) and len(en) > 100
    used = messages.used_keys()
    # Every script that shows words asks for them (a sample of each file's keys).
    for key, script in (("result.partial", "sw-core.js"), ("score.line", "sw-main.js"), ("file.loaded.one",
                        "sw-submission.js"), ("progress.caption", "sw-progress.js"), ("storage.full", "sw-storage.js"),
                        ("order.moved", "sw-type-order.js"), ("listen.pause", "sw-listen.js")):
        assert key in en and (key not in used or script in used[key] or key == "result.partial"), key


def test_spanish_keeps_the_placeholders_and_differs_from_english():
    en, es = messages.catalog("en"), messages.catalog("es")
    shared = ("version.", "feedback.colon", "lang.", "listen.rate_n")
    same = [k for k in en if en[k] == es[k] and not k.startswith(shared)]
    assert len(same) <= 3, same  # "Original", "Normal" and such may be the same word
    assert es["ui.check"] == "Revisar" and es["result.correct"] == "Correcto"
    # "tú" form: no "usted" forms in the student-facing words.
    assert not [k for k, v in es.items() if re.search(r"\b(usted|su respuesta|escriba|elija|presione)\b", v, re.I)]


def _damaged(tmp_path: Path, lang: str, drop: str) -> Path:
    folder = tmp_path / "messages"
    shutil.copytree(STATIC / "messages", folder)
    data = json.loads((folder / f"{lang}.json").read_text("utf-8"))
    del data[drop]
    (folder / f"{lang}.json").write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    return folder


def test_a_key_missing_in_one_language_is_named_with_its_file(tmp_path):
    problems = messages.check_catalogs(_damaged(tmp_path, "es", "save.saved"))
    assert "static/messages/es.json: key 'save.saved' is missing. Fix: add its es text (the other catalogs have " \
           "it)." in problems
    assert any("sw-core.js asks for key 'save.saved', which static/messages/es.json lacks" in p for p in problems)


def test_a_script_asking_for_an_unknown_key_is_named(tmp_path):
    static = tmp_path / "static"
    static.mkdir()
    (static / "sw-new.js").write_text('const t = (k) => k;\nt("no.such.key");\n// t("in.a.comment")\n', "utf-8")
    problems = messages.check_catalogs(STATIC / "messages", static)
    expected = "sw-new.js asks for key 'no.such.key', which static/messages/en.json lacks"
    assert any(p.startswith(expected) for p in problems)
    assert not any("in.a.comment" in p for p in problems)


def test_placeholders_must_match(tmp_path):
    folder = tmp_path / "messages"
    shutil.copytree(STATIC / "messages", folder)
    data = json.loads((folder / "es.json").read_text("utf-8"))
    data["file.too_large"] = "{nombre} es demasiado grande."
    (folder / "es.json").write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    assert any("key 'file.too_large' has placeholders ['nombre'] but en.json has ['name']" in p
               for p in messages.check_catalogs(folder))


def test_a_removed_key_fails_the_build_naming_it(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCEWORK_MESSAGES_DIR", str(_damaged(tmp_path, "en", "progress.cleared")))
    result = sphinx_build(tmp_path / "book", {"index": "# Test\n\nA page.\n"})
    assert result.returncode != 0
    assert "static/messages/en.json: key 'progress.cleared' is missing" in result.output, result.output


def test_the_build_ships_the_catalogs_as_a_script_loaded_on_demand(tmp_path):
    write_static(tmp_path, minified=True)
    text = (tmp_path / messages.SCRIPT).read_text("utf-8")
    head = "Object.assign(globalThis.SourceworkMessages=globalThis.SourceworkMessages||{},"
    assert text.startswith(head) and text.endswith(");\n")
    data = json.loads(text[len(head):-3])
    assert data["es"]["ui.check"] == "Revisar" and set(data) == {"en", "es"}
    assert data["en"] == messages.catalog("en") and data["es"] == messages.catalog("es")
    assert "fetch(" not in (STATIC / "sw-i18n.js").read_text("utf-8")
    # Loaded by sw-i18n.js when a reader chooses Spanish, with the rewriter: never by a page itself.
    assert set(LAZY_JS["sw-i18n.js"].values()) == {messages.SCRIPT, "sw-i18n-rewrite.js"}
    for body in ('<div class="sw-set"></div><section data-sw-type="choice"></section>',
                 '<div class="sw-versions sw-versions-b"><div class="sw-source-text"></div></div>', "<h2>A</h2>"):
        assert not {messages.SCRIPT, "sw-i18n-rewrite.js"} & set(page_assets(body)[1])


def test_each_script_ships_with_the_english_words_it_asks_for_and_no_others(tmp_path):
    write_static(tmp_path, minified=True)
    english = messages.catalog("en")
    asked = messages.used_keys()
    for source in sorted(STATIC.glob("sw-*.js")):
        words, body = messages.split_words((tmp_path / source.name).read_text("utf-8"))
        assert messages.words_prologue(words) + body == (tmp_path / source.name).read_text("utf-8")
        if source.name == AFTER_CATALOGS:
            assert not words, "the rewriter is loaded after the whole catalogs: it needs no words of its own"
            continue
        wanted = {key for key, files in asked.items() if source.name in files}
        wanted = {k for k in english if k in wanted or any(w.endswith(".") and k.startswith(w) for w in wanted)}
        assert wanted <= set(words), f"{source.name} ships without the English of {sorted(wanted - set(words))}"
        assert all(english[k] == v for k, v in words.items()), source.name
        # What follows the words is the script as minified, unchanged.
        assert body == minify(source.name, source.read_text("utf-8"))
        if source.name.startswith(messages.NOT_SCANNED):
            assert not words, f"{source.name} shows no student-facing words, so it ships none"
    # Keys named only through a variable are still shipped: the status words (an array of keys) and the notices.
    core = messages.split_words((tmp_path / "sw-core.js").read_text("utf-8"))[0]
    assert {"result.correct", "result.ungraded", "points.of.one", "restore.changed", "ui.correct_mark"} <= set(core)
    # A choice page does not carry the words of Listen, the progress page or the answers file.
    assert not any(k.startswith(("listen.", "progress.", "file.saved")) for k in core)


def test_script_words_reads_literals_prefixes_and_plural_forms():
    english = {"a.b": "AB", "a.c.one": "one", "a.c.other": "other", "p.x": "PX", "p.y": "PY", "q": "Q", "z.z": "ZZ"}
    source = 'const k = "a.b"; tn("a.c", 2); t("p." + kind);\n  // t("z.z")\n/* "q" */ const other = "not.a.key";'
    assert messages.script_words(source, english) == {"a.b": "AB", "a.c.one": "one", "a.c.other": "other",
                                                      "p.x": "PX", "p.y": "PY"}
    assert messages.words_prologue({}) == ""


def test_pages_load_the_language_versions_and_listen_scripts_where_needed():
    assert page_assets("<p>No exercises here.</p>") == (["sw-print.css"], [])
    css, js = page_assets('<div class="sw-set"></div><section data-sw-type="choice"></section><h2>Q</h2>')
    assert js[0] == I18N_JS and js[-1] == "sw-main.js" and "sw-listen.js" not in js
    assert "sw-i18n.css" in css
    css, js = page_assets('<div class="sw-versions sw-versions-b"><div class="sw-source-text"></div></div>')
    assert js == [I18N_JS, "sw-versions.js", "sw-listen.js"]
    assert css == ["sw-i18n.css", "sw-visually-hidden.css", "sw-adapted.css", "sw-listen.css", "sw-print.css"]
    css, js = page_assets('<section><h2>A section</h2></section>')
    assert js == [I18N_JS, "sw-listen.js"] and "sw-adapted.css" not in css
    css, js = page_assets('<div class="sw-summary-es language-es"></div><h2>x</h2>')
    assert "sw-adapted.css" in css


def test_summary_glossary_and_original_needed_render(tmp_path):
    pages = {
        "index": "# Chapter\n\n```{summary-es}\nUn resumen corto en español.\n```\n\n## A section\n\nText.\n",
        # glossary_terms reads book/glossary/_part*.md: here that file is a page of its own.
        "book/glossary/_part1": "# Glossary\n\n```{glossary}\nextradition\n  Sending a person away.\n```\n",
        "book/glosario": "# Glosario\n\n```{bilingual-glossary}\n```\n",
        "guide": "# Guide\n\n```{original-needed}\n```\n",
    }
    sources = tmp_path / "sources"
    shutil.copytree(ROOT / "sources", sources)
    (sources / "glossary-es.yml").write_text("terms:\n  - en: extradition\n    es: extradición\n    def: Entregar a "
                                             "una persona a otro país.\n", "utf-8")
    result = sphinx_build(tmp_path / "book", pages, sources=sources, exercises={"marks": MARK_SET})
    assert result.returncode == 0, result.output
    index = result.page("index")
    assert re.search(r'<div class="sw-summary-es docutils container" lang="es">', index), index
    assert "Resumen en español" in index and "glosario bilingüe" in index and 'href="book/glosario.html"' in index
    glosario = result.page("book/glosario")
    assert re.search(r'<a class="reference internal" href="glossary/_part1.html#term-extradition">', glosario)
    assert '<p lang="es">extradición</p>' in glosario and '<p lang="es">Entregar a una persona a otro país.</p>' \
        in glosario
    guide = result.page("guide")
    assert "marks.find" in guide and "marks.close" in guide and "marks.other" not in guide


MARK_SET = """# Marks

```{exercise-set}
id: marks
title: Marks
chapter: book/index
```

```{item}
id: marks.find
type: mark
skill: close-reading
sources: [B]
stem: Mark the phrase.
source: B
paragraph: 6
passage: "reducing the homicide rate by 40 percent"
job: a number
spans:
  - id: rate
    text: "40 percent"
    feedback: The number.
key: [rate]
```

```{item}
id: marks.close
type: choice
skill: close-reading
sources: [B]
needs_original: true
stem: Which word does the release use?
options:
  - id: a
    text: reducing
    feedback: Its word.
  - id: b
    text: cutting
    feedback: Not its word.
key: a
```

```{item}
id: marks.other
type: choice
skill: sourcing
sources: [B]
stem: Who wrote it?
options:
  - id: a
    text: ICE
    feedback: Yes.
  - id: b
    text: NIJC
    feedback: No.
key: a
```
"""
