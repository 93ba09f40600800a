"""Build tests for the corpus roles and directives: located failures (no traceback) and golden HTML fragments."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from buildhelp import ROOT, fragment, sphinx_build
from buildhelp import check_golden as _check_golden

GOLDEN = Path(__file__).parent / "golden" / "sources"


def check_golden(name: str, text: str) -> None:
    _check_golden(GOLDEN, name, text)

pytestmark = pytest.mark.build




GOOD_PAGES = {
    "index": "# Test\n\nSee {para}`B 6`, {source}`A` and {fig}`d-vetted-cases`.\n\n"
             "Inline: {sq}`B 6|reducing the homicide rate by 40 percent`.\n\n"
             "```{source-quote} A 3\nSAFE is intended to keep the streets of the U.S. and El Salvador safe\n```\n\n"
             "```{source-overview}\n```\n",
    "source-b": "# Source B\n\n```{source-document} B\n```\n",
    "source-a": "# Source A\n\n```{source-document} A\n```\n",
    "source-d": "# Source D\n\n```{source-document} D\n```\n",
    "source-c": "# Source C\n\n```{source-document} C\n```\n",
    "source-e": "# Source E\n\n```{source-document} E\n```\n",
}


@pytest.fixture(scope="module")
def good(tmp_path_factory):
    result = sphinx_build(tmp_path_factory.mktemp("good") / "book", GOOD_PAGES)
    assert result.returncode == 0, result.output
    assert "WARNING" not in result.output, result.output
    return result


def test_source_page_has_provenance_card_and_numbered_anchors(good):
    html = good.page("source-b")
    soup = BeautifulSoup(html, "html.parser")
    # the original's paragraphs (the adapted versions' paragraphs, source-b-en-pN and source-b-es-pN, follow them)
    paragraphs = [p for p in soup.select("p.sw-para") if re.fullmatch(r"source-b-p\d+", p.get("id", ""))]
    assert len(paragraphs) == len(soup.select("p.sw-para:not([id*='-en-']):not([id*='-es-'])"))
    assert [p["id"] for p in paragraphs] == [f"source-b-p{n}" for n in range(1, len(paragraphs) + 1)]
    assert paragraphs[5].select_one("a.sw-para-number")["href"] == "#source-b-p6"
    check_golden("source-b-card", fragment(html, ".sw-provenance"))
    check_golden("source-b-p6", fragment(html, "#source-b-p6"))


def test_copyrighted_source_shows_excerpt_note_and_omissions(good):
    html = good.page("source-e")
    assert "omitted passages are marked" in html and "sw-omission" in html
    check_golden("source-e-p21", fragment(html, "#source-e-p21"))


def test_roles_and_directives_render_links_to_paragraphs(good):
    html = good.page("index")
    soup = BeautifulSoup(html, "html.parser")
    hrefs = [a["href"] for a in soup.select("a.reference.internal")]
    assert "source-b.html#source-b-p6" in hrefs and "source-a.html#source-a" in hrefs
    assert "source-d.html#source-d-p4" in hrefs
    check_golden("role-para", fragment(html, "section > p:nth-of-type(1)"))
    check_golden("role-sq", fragment(html, "span.sw-quote"))
    check_golden("directive-source-quote", fragment(html, "blockquote.sw-block-quote"))
    check_golden("directive-source-overview", fragment(html, "table.sw-overview"))


BAD_CASES = {
    "not-verbatim": ("{sq}`B 6|reducing the homicide rate by 50 percent`",
                     "the quotation is not verbatim in Source B ¶6"),
    "unknown-label": ("{para}`Z 2`", "unknown source label 'Z'"),
    "paragraph-out-of-range": ("{para}`B 99`", "Source B has no reproduced paragraph 99"),
    "unknown-figure": ("{fig}`d-no-such-figure`", "figure id 'd-no-such-figure' is not in sources/figures.yml"),
    "block-quote-not-verbatim": ("```{source-quote} A 3\nSAFE keeps the streets safe\n```",
                                 "the quotation is not verbatim in Source A ¶3"),
}


@pytest.mark.parametrize("case", sorted(BAD_CASES))
def test_bad_reference_fails_the_build_with_a_located_message(tmp_path, case):
    markup, message = BAD_CASES[case]
    result = sphinx_build(tmp_path / "book", {"index": f"# Test\n\nFirst line.\n\n{markup}\n"})
    assert result.returncode != 0
    assert "Traceback" not in result.output
    assert re.search(r"index\.md:5: WARNING: .*" + re.escape(message), result.output), result.output
    assert "Fix:" in result.output


def test_source_missing_metadata_fails_the_build_naming_file_and_line(tmp_path):
    sources = tmp_path / "sources"
    shutil.copytree(ROOT / "sources", sources)
    text = (sources / "d.md").read_text(encoding="utf-8")
    (sources / "d.md").write_text(re.sub(r"\npublisher:[^\n]*", "", text, count=1), encoding="utf-8")
    result = sphinx_build(tmp_path / "book", {"index": "# Test\n"}, sources=sources)
    assert result.returncode != 0 and "Traceback" not in result.output
    assert "sources/d.md:1: WARNING: source metadata is missing 'publisher'" in result.output, result.output


def _sources_with_adapted_b(tmp_path: Path) -> Path:
    """The module's sources with the browser fixture book's adapted Source B (English and Spanish)."""
    sources = tmp_path / "sources"
    shutil.copytree(ROOT / "sources", sources)
    shutil.rmtree(sources / "adapted", ignore_errors=True)
    (sources / "adapted").mkdir()
    for name in ("b.en.md", "b.es.md"):
        shutil.copy(ROOT / "tests" / "books" / "browser" / "sources" / "adapted" / name, sources / "adapted" / name)
    return sources


SPANISH_PAGES = {
    "index": "# Test\n\nEnglish: {fig}`d-vetted-cases`.\n\n```{summary-es}\nEn español: {fig}`d-vetted-cases`.\n```\n",
    "source-b": "# Source B\n\n```{source-document} B\n```\n",
    "source-d": "# Source D\n\n```{source-document} D\n```\n",
}


def test_fig_in_a_spanish_text_renders_display_es_and_english_is_unchanged(tmp_path):
    result = sphinx_build(tmp_path / "book", SPANISH_PAGES, sources=_sources_with_adapted_b(tmp_path))
    assert result.returncode == 0, result.output
    soup = BeautifulSoup(result.page("index"), "html.parser")
    summary = soup.select_one("div.sw-summary-es")
    assert summary.select_one(".sw-figure").get_text() == "más de 23,100"
    english = [p for p in soup.select("section > p") if p.get_text().startswith("English")][0]
    assert english.select_one(".sw-figure").get_text() == "more than 23,100"
    page = BeautifulSoup(result.page("source-b"), "html.parser")
    assert page.select_one("#source-b-en-p3 .sw-figure").get_text() == "40 percent"
    assert page.select_one("#source-b-es-p3 .sw-figure").get_text() == "40 por ciento"
    check_golden("adapted-b-es-p3", fragment(result.page("source-b"), "#source-b-es-p3"))


def test_a_spanish_text_using_a_figure_without_display_es_fails_located(tmp_path):
    sources = _sources_with_adapted_b(tmp_path)
    text = (sources / "figures.yml").read_text(encoding="utf-8")
    (sources / "figures.yml").write_text(re.sub(r'\n  display_es: "más de 23,100"', "", text), encoding="utf-8")
    result = sphinx_build(tmp_path / "book", {"index": SPANISH_PAGES["index"]}, sources=sources)
    assert result.returncode != 0 and "Traceback" not in result.output
    assert re.search(r"index\.md:\d+: WARNING: figure 'd-vetted-cases' has no display_es", result.output), \
        result.output
    assert result.output.count("has no display_es") == 1, "only the Spanish use fails; the English one is fine"
