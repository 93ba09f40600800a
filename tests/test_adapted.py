"""Adapted sources and the bilingual glossary (core.adapted): the format, every located error, the reading level.

The core tests use the mini book's sources (tests/books/mini) with adapted files written here; the reading-level and
length tests run on every ``sources/adapted/*.en.md`` of the module and, always, on the browser fixture book's
adapted Source B, so they check something even before the module's adapted texts exist.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import textstat
from buildhelp import sphinx_build

from sourcework.core.adapted import check_quotations, glossary_terms, parse_originals, plain
from sourcework.core.corpus import load_corpus

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "books" / "mini"
FIXTURE_ADAPTED = ROOT / "tests" / "books" / "browser" / "sources" / "adapted"

GOOD_EN = """---
source: B
lang: en
title: "Police from two countries meet"
head_note: >
  ICE wrote this press release around 2018 for the public. It reports a meeting in El Salvador.
word_bank:
  - term: gang
    meaning: a group that commits crimes together
  - term: partnership
    meaning: working together
  - term: transnational
    meaning: across borders
  - term: homicide
    meaning: killing a person
---
¶1 [1, 2] Police went to El Salvador to talk about a gang.

¶2 [3] An official called it "real-time coordination and information sharing".

[…]

¶3 [6] The release says murders fell by {fig}`b-homicide-drop`.
"""

GOOD_ES = """---
source: B
lang: es
title: "Policías de dos países se reúnen"
head_note: >
  ICE escribió este comunicado hacia 2018. Las palabras entre comillas inglesas son del original.
word_bank:
  - term: pandilla
    meaning: un grupo que comete delitos
  - term: alianza
    meaning: trabajo en conjunto
  - term: transnacional
    meaning: que cruza fronteras
  - term: homicidio
    meaning: matar a una persona
---
¶1 [1, 2] Policías viajaron a El Salvador para hablar de una pandilla.

¶2 [3] Un funcionario lo llamó "real-time coordination and information sharing" «coordinación en tiempo real».

[…]

¶3 [6] El comunicado dice que los homicidios bajaron {fig}`b-homicide-drop`.
"""


def book(tmp_path: Path, files: dict[str, str]) -> Path:
    """The mini book's sources with ``files`` (name → text) in sources/adapted/ and elsewhere (paths with '/')."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    root = tmp_path / f"book{len(list(tmp_path.iterdir()))}"
    shutil.copytree(MINI / "sources", root / "sources")
    for name, text in files.items():
        path = root / (name if "/" in name else f"sources/adapted/{name}")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def problems(tmp_path: Path, files: dict[str, str]) -> list[str]:
    return [str(p) for p in load_corpus(book(tmp_path, files)).problems]


def test_good_english_and_spanish_load_with_their_shape(tmp_path):
    corpus = load_corpus(book(tmp_path, {"b.en.md": GOOD_EN, "b.es.md": GOOD_ES}))
    assert [str(p) for p in corpus.problems] == []
    english, spanish = corpus.adapted["B"]["en"], corpus.adapted["B"]["es"]
    assert english.shape() == spanish.shape() == [
        ("paragraph", 1, (1, 2)), ("paragraph", 2, (3,)), ("cut", 0, ()), ("paragraph", 3, (6,))]
    assert english.word_bank[0] == ("gang", "a group that commits crimes together")
    assert english.anchor(2) == "source-b-en-p2" and spanish.anchor(2) == "source-b-es-p2"
    assert english.paragraphs[0].line == 17


def test_no_adapted_folder_means_no_versions_and_no_problem():
    corpus = load_corpus(MINI)
    assert corpus.adapted == {} and corpus.glossary_es == []


@pytest.mark.parametrize(("change", "expected"), [
    (("source: B", "source: Z"), "b.en.md:2: unknown source 'Z'"),
    (("¶2 [3]", "¶2 [3, 40]"), "b.en.md:19: ¶2: Source B has no paragraph 40"),
    (("¶3 [6]", "¶4 [6]"), "b.en.md:23: adapted paragraph ¶4 should be numbered ¶3"),
    (("¶2 [3]", "¶2 [5-3]"), "¶2: the range '5-3' runs backwards"),
    (("¶2 [3]", "¶2 [x]"), "¶2: 'x' is not a paragraph number"),
    (("information sharing\"", "information-sharing\""), "b.en.md:19: ¶2: the quoted words 'real-time coordination "
                                                        "and information-sharing' are not verbatim"),
    (("\"real-time coordination and information sharing\"", "\"information sharing … real-time coordination\""),
     "are out of order in the original paragraphs"),
    (("head_note: >\n  ICE wrote", "head_notes: >\n  ICE wrote"), "b.en.md:5: unknown front-matter key "
                                                                  "'head_notes'"),
    (("title: \"Police from two countries meet\"\n", ""), "b.en.md:1: the front matter has no 'title'"),
    (("  - term: homicide\n    meaning: killing a person\n", ""), "the word bank has 3 entries; it needs 4 to 10"),
    (("murders fell", "{sq}`B 6|murders` fell"), "¶3: the role {sq} is not allowed"),
    (("{fig}`b-homicide-drop`", "{fig}`b-nothing`"), "¶3: figure id 'b-nothing' is not in sources/figures.yml"),
    (("¶1 [1, 2] Police", "Police"), "b.en.md:17: a body block must start with '¶N [original paragraphs]'"),
])
def test_each_problem_is_located_with_a_fix(tmp_path, change, expected):
    found = problems(tmp_path, {"b.en.md": GOOD_EN.replace(*change)})
    assert any(expected in p for p in found), found
    assert all(" Fix: " in p for p in found)


def test_a_spanish_file_needs_display_es_for_its_figures_and_english_does_not(tmp_path):
    figures = (MINI / "sources" / "figures.yml").read_text(encoding="utf-8")
    bare = figures.replace('  display_es: "40 por ciento"\n', "")
    assert bare != figures
    corpus = load_corpus(book(tmp_path, {"b.en.md": GOOD_EN, "b.es.md": GOOD_ES}))
    assert corpus.figures["b-homicide-drop"].display_in("es") == "40 por ciento"
    assert corpus.figures["b-homicide-drop"].display_in("en") == "40 percent"
    found = problems(tmp_path, {"b.en.md": GOOD_EN, "b.es.md": GOOD_ES, "sources/figures.yml": bare})
    assert found == ["sources/adapted/b.es.md:23: ¶3: figure 'b-homicide-drop' has no display_es, so a Spanish "
                     "text would show its English display. Fix: Add display_es to that figure in "
                     "sources/figures.yml (ARCHITECTURE.md, Formats: figures)."], found
    assert problems(tmp_path, {"b.en.md": GOOD_EN, "sources/figures.yml": bare}) == []


def test_missing_word_bank_and_head_note_are_reported(tmp_path):
    text = re.sub(r"head_note: >\n.*?\n(?=word_bank)", "", GOOD_EN, flags=re.S)
    text = re.sub(r"word_bank:\n(  .*\n)+", "", text)
    found = problems(tmp_path, {"b.en.md": text})
    assert any("has no 'head_note'" in p for p in found) and any("has no 'word_bank'" in p for p in found), found


def test_a_file_name_must_name_a_source_and_a_language(tmp_path):
    assert any("is not '<x>.<lang>.md'" in p for p in problems(tmp_path, {"b.fr.md": GOOD_EN}))
    assert any("lang 'es' does not match the file name" in p
               for p in problems(tmp_path, {"b.en.md": GOOD_EN.replace("lang: en", "lang: es")}))


@pytest.mark.parametrize(("change", "what"), [
    (("¶2 [3] Un", "¶2 [3, 4] Un"), "mapping"),
    (("[…]\n\n¶3", "¶3"), "cut"),
    (("\n\n¶3 [6] El comunicado dice que los homicidios bajaron {fig}`b-homicide-drop`.", ""), "paragraph"),
])
def test_spanish_must_keep_the_english_paragraphs_mapping_and_cuts(tmp_path, change, what):
    found = problems(tmp_path, {"b.en.md": GOOD_EN, "b.es.md": GOOD_ES.replace(*change)})
    assert any("b.es.md:" in p and "differ from sources/adapted/b.en.md" in p for p in found), (what, found)


def test_spanish_double_quotes_are_checked_and_angle_quotes_are_not(tmp_path):
    assert problems(tmp_path, {"b.en.md": GOOD_EN, "b.es.md": GOOD_ES}) == []
    wrong = GOOD_ES.replace('"real-time coordination and information sharing"', '"coordinación en tiempo real"')
    assert any("not verbatim" in p for p in problems(tmp_path, {"b.en.md": GOOD_EN, "b.es.md": wrong}))


def test_quotations_with_ellipses_are_checked_piece_by_piece_in_order():
    original = ["We remain 100% committed to working with El Salvador to combat transnational organized crime."]
    assert check_quotations('"We remain … committed … to combat" it said', original) == []
    assert check_quotations('“We remain...to combat”', original) == []
    assert check_quotations('"to combat … We remain"', original)[0].endswith("out of order in the original "
                                                                            "paragraphs it maps")
    assert check_quotations('"We remained"', original)


def test_original_lists_and_plain_text():
    assert parse_originals("1, 3-5") == ((1, 3, 4, 5), None)
    assert parse_originals("3, 1")[1] == "the original paragraphs must be listed once each, in increasing order"
    assert plain("It fell by {fig}`b-homicide-drop`, *a lot*, says a {term}`gang <gang>`.") == \
        "It fell by b-homicide-drop, a lot, says a gang."


# ------------------------------------------------------------------------------------------ bilingual glossary

GLOSSARY = """# Part

```{glossary}
:sorted:

SAFE
  Security Alliance for Fugitive Enforcement.

press release
  A statement.
```
"""


def test_glossary_terms_are_read_from_the_glossary_blocks():
    terms = glossary_terms(ROOT)
    assert {"SAFE", "extradition", "press release", "due process"} <= set(terms)
    assert "Security Alliance for Fugitive Enforcement. A program of ICE's Enforcement" not in terms


def test_bilingual_glossary_entries_must_name_english_terms(tmp_path):
    good = "terms:\n  - en: SAFE\n    es: SAFE\n    def: Un programa de ICE.\n"
    corpus = load_corpus(book(tmp_path, {"book/glossary/_part1.md": GLOSSARY, "sources/glossary-es.yml": good}))
    assert [str(p) for p in corpus.problems] == []
    assert corpus.glossary_es[0].en == "SAFE" and corpus.glossary_es[0].definition == "Un programa de ICE."
    bad = good + "  - en: Press release\n    es: comunicado\n    def: Un texto.\n  - en: SAFE\n    es: x\n    def: y\n"
    found = [str(p) for p in load_corpus(book(tmp_path / "2", {"book/glossary/_part1.md": GLOSSARY,
                                                                 "sources/glossary-es.yml": bad})).problems]
    assert any("sources/glossary-es.yml:5: 'Press release' is not a term of the English glossary" in p
               and "'press release'" in p for p in found), found
    assert any("'SAFE' appears twice" in p for p in found), found
    missing = "terms:\n  - en: SAFE\n    es: SAFE\n"
    found = [str(p) for p in load_corpus(book(tmp_path / "3", {"book/glossary/_part1.md": GLOSSARY,
                                                                 "sources/glossary-es.yml": missing})).problems]
    assert any("entry 1 lacks def" in p for p in found), found


def test_the_module_glossary_es_file_if_any_is_sound():
    corpus = load_corpus(ROOT)
    bad = [str(p) for p in corpus.problems if "adapted" in p.path or "glossary-es" in p.path]
    assert bad == []


# --------------------------------------------------------------------------------- reading level and length


def _english_files() -> list[Path]:
    return sorted((ROOT / "sources" / "adapted").glob("*.en.md")) + [FIXTURE_ADAPTED / "b.en.md"]


def _body(path: Path) -> str:
    text = re.sub(r"\A---\n.*?\n---\n", "", path.read_text(encoding="utf-8"), flags=re.S)
    text = re.sub(r"^¶\d+\s*\[[^\]]*\]\s*", "", text, flags=re.M)
    text = text.replace("[…]", "")
    return plain(text)


@pytest.mark.parametrize("path", _english_files(), ids=lambda p: p.parent.parent.parent.name + "/" + p.name)
def test_adapted_english_reads_at_grade_8_or_below(path):
    """Flesch–Kincaid with textstat over the same "prose" extraction as the chapters' check (tests/test_content)."""
    from test_content import prose

    grade = textstat.flesch_kincaid_grade(prose(_body(path)))
    assert grade <= 8, f"{path.name}: Flesch–Kincaid grade {grade:.1f} (at most 8)"


@pytest.mark.parametrize("path", sorted((ROOT / "sources" / "adapted").glob("*.en.md")), ids=lambda p: p.name)
def test_adapted_english_is_200_to_450_words(path):
    # The issue asks for "about 200-400 words". The fidelity review (session 6) needed room in C and E to keep
    # the posts' attributions and core evidence, so the upper bound allows "about" 400 up to 450, and no further.
    words = len(_body(path).split())
    assert 200 <= words <= 450, f"{path.name}: {words} words"


@pytest.mark.parametrize("path", sorted((ROOT / "sources" / "adapted").glob("*.md")), ids=lambda p: p.name)
def test_copyrighted_sources_are_quoted_briefly(path):
    """C and E: at most about 15 words a quotation and 50 quoted words a document (ARCHITECTURE.md)."""
    if path.name[0] not in "ce":
        pytest.skip("public-domain source")
    quotes = [m.group(1) or m.group(2) for m in re.finditer(r"“([^”]*)”|\"([^\"]*)\"", _body(path))]
    lengths = [len(q.split()) for q in quotes]
    assert all(n <= 15 for n in lengths) and sum(lengths) <= 50, (path.name, lengths)


def test_every_spanish_adaptation_has_its_english_one():
    folder = ROOT / "sources" / "adapted"
    for path in sorted(folder.glob("*.es.md")):
        assert (folder / path.name.replace(".es.", ".en.")).exists(), f"{path.name} has no English adaptation"


# ------------------------------------------------------------------------------------------------- the build


def test_source_page_shows_the_versions_with_links_and_languages(tmp_path):
    sources = tmp_path / "sources"
    shutil.copytree(ROOT / "sources", sources)
    (sources / "glossary-es.yml").unlink(missing_ok=True)  # its terms need the module's glossary, absent here
    shutil.rmtree(sources / "adapted", ignore_errors=True)
    (sources / "adapted").mkdir()
    for name in ("b.en.md", "b.es.md"):
        shutil.copy(FIXTURE_ADAPTED / name, sources / "adapted" / name)
    result = sphinx_build(tmp_path / "book", {"index": "# Source B\n\n```{source-document} B\n```\n"}, sources=sources)
    assert result.returncode == 0, result.output
    page = result.page("index")
    assert '<fieldset class="sw-version-switch pst-js-only">' in page
    assert page.index('id="source-b-original"') < page.index('id="source-b-en"') < page.index('id="source-b-es"')
    assert re.search(r'class="sw-version sw-version-adapted docutils container" id="source-b-es" lang="es"|'
                     r'lang="es"[^>]*id="source-b-es"', page), "the Spanish version has lang=es"
    assert '<p class="sw-para sw-adapted-para" id="source-b-en-p2">' in page
    assert 'href="#source-b-p3"' in page and "from ¶3" in page and "del original ¶3" in page
    assert 'href="#source-b-p1"' in page and "¶1–2" in page
    assert re.search(r'<dl class="[^"]*sw-word-bank-list', page) and "Banco de palabras" in page
    assert page.count('class="sw-omission"') >= 2
    # The original's own source note, not a copy in the adapted file.
    assert page.count("HSI and local partners travel to El Salvador") >= 3


def test_a_quotation_error_in_an_adapted_file_fails_the_build(tmp_path):
    sources = tmp_path / "sources"
    shutil.copytree(ROOT / "sources", sources)
    (sources / "adapted").mkdir(exist_ok=True)
    text = (FIXTURE_ADAPTED / "b.en.md").read_text("utf-8").replace("information sharing", "info sharing")
    (sources / "adapted" / "b.en.md").write_text(text, "utf-8")
    result = sphinx_build(tmp_path / "book", {"index": "# Source B\n\n```{source-document} B\n```\n"}, sources=sources)
    assert result.returncode != 0
    assert "sources/adapted/b.en.md:21: WARNING: ¶2: the quoted words 'real-time coordination and info sharing' " \
           "are not verbatim" in result.output
