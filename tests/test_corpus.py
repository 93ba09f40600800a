"""The corpus: metadata, numbering, and the verbatim rule for every figure snippet and claim quote."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sourcework.core.corpus import LABELS, REQUIRED_META, load_corpus, normalise
from sourcework.core.errors import SourceworkError

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(ROOT)


def test_real_corpus_has_no_problems(corpus):
    assert [str(p) for p in corpus.problems] == []
    assert sorted(corpus.sources) == list(LABELS)


def test_every_source_has_required_metadata(corpus):
    for source in corpus.sources.values():
        for key in REQUIRED_META:
            assert source.meta.get(key), f"{source.path} lacks {key}"


def test_every_figure_snippet_and_claim_quote_is_verbatim(corpus):
    assert len(corpus.figures) >= 20 and len(corpus.claims) >= 30
    for figure in corpus.figures.values():
        if figure.external:
            continue
        text = corpus.paragraph(figure.source, figure.paragraph).normalised
        assert normalise(figure.snippet) in text, figure.id
    for claim in corpus.claims.values():
        assert normalise(claim.quote) in corpus.paragraph(claim.source, claim.paragraph).normalised, claim.id


def test_claims_cover_every_source_and_record_conflicts(corpus):
    by_source = {label: [c for c in corpus.claims.values() if c.source == label] for label in LABELS}
    assert all(len(claims) >= 5 for claims in by_source.values())
    assert any(c.conflicts_with for c in corpus.claims.values())


def test_every_number_in_public_paragraphs_has_a_figure(corpus):
    """Numbers in the text (digits) must each be in figures.yml for that paragraph, phone numbers aside."""
    for label, source in corpus.sources.items():
        for number, paragraph in source.paragraphs.items():
            text = re.sub(r"1-866-DHS-2-ICE|24-hour|MS-13|\[\d\]|Barrio 18|#\w+", "", paragraph.text)
            snippets = " ".join(f.snippet for f in corpus.figures.values()
                                if f.source == label and f.paragraph == number)
            for digits in re.findall(r"\d[\d,]*", text):
                assert digits.rstrip(",") in snippets, f"Source {label} ¶{number}: {digits} has no figure"


def test_normalise_forgives_only_whitespace_and_quote_shapes():
    assert normalise("  “Safe”\n streets ’s ") == "\"Safe\" streets 's"
    assert normalise("streets.") != normalise("streets")


@pytest.mark.skipif(not SEEDS.exists(), reason="the seed documents live outside the repository (../shared/seeds)")
def test_paragraphs_match_the_seed_documents(corpus):
    for label, source in corpus.sources.items():
        seed = (SEEDS / source.meta["seed"]).read_text(encoding="utf-8")
        seed_norm = normalise(seed)
        for paragraph in source.paragraphs.values():
            assert paragraph.normalised in seed_norm, f"Source {label} ¶{paragraph.number} differs from the seed"


def _write_source(folder: Path, front: str, body: str = "¶1 Hello world.\n") -> Path:
    (folder / "sources").mkdir(parents=True, exist_ok=True)
    path = folder / "sources" / "a.md"
    path.write_text(f"---\n{front}---\n\n{body}", encoding="utf-8")
    (folder / "sources" / "figures.yml").write_text("[]\n")
    (folder / "sources" / "claims.yml").write_text("[]\n")
    return path


FULL_META = ("id: x\nlabel: A\ntitle: T\npublisher: P\ngenre: press release\ndate: 2020-01-22\ndate_note: on page\n"
             "url: https://example.org\nreuse: public-domain\nreuse_note: public domain\n")


def test_missing_metadata_is_located(tmp_path):
    _write_source(tmp_path, FULL_META.replace("date_note: on page\n", ""))
    problems = [str(p) for p in load_corpus(tmp_path).problems]
    assert problems == ["sources/a.md:1: source metadata is missing 'date_note'. Fix: Add 'date_note: …' to the "
                        "front matter (see ARCHITECTURE.md, Source files)."]


def test_bad_metadata_values_and_unknown_keys_are_located(tmp_path):
    _write_source(tmp_path, FULL_META.replace("genre: press release", "genre: tweet") + "colour: red\n")
    problems = [str(p) for p in load_corpus(tmp_path).problems]
    assert any(p.startswith("sources/a.md:6: genre 'tweet'") for p in problems), problems
    assert any(p.startswith("sources/a.md:12: unknown metadata key 'colour'") for p in problems), problems


def test_paragraph_numbers_must_increase(tmp_path):
    _write_source(tmp_path, FULL_META, "¶2 Two.\n\n¶1 One.\n")
    problems = [str(p) for p in load_corpus(tmp_path).problems]
    assert problems and problems[0].startswith("sources/a.md:16: paragraph ¶1 comes after ¶2")


def test_figure_snippet_not_verbatim_is_located(tmp_path):
    _write_source(tmp_path, FULL_META, "¶1 It vetted 23,100 cases.\n")
    (tmp_path / "sources" / "figures.yml").write_text(
        "- id: a-cases\n  value: 23100\n  unit: cases\n  counts: c\n  period: p\n  source: A\n  paragraph: 1\n"
        "  snippet: vetted 23,000 cases\n  display: '23,100'\n")
    problems = [str(p) for p in load_corpus(tmp_path).problems]
    assert len(problems) == 1 and problems[0].startswith("sources/figures.yml:1: a-cases: the quotation is not "
                                                         "verbatim in Source A ¶1")


@pytest.mark.parametrize(("display_es", "problem"), [
    ("más de 23,100", None),
    ("más de 23.100", None),  # only digits are compared; the separators (Mexico: 23,100 and 2.5) are the reviewer's
    ("más de 23,000", "a-cases: display_es 'más de 23,000' does not have the digits of display 'more than 23,100'"),
    ("más de veintitrés mil", "does not have the digits"),
])
def test_display_es_keeps_the_digits_of_display(tmp_path, display_es, problem):
    _write_source(tmp_path, FULL_META, "¶1 It vetted more than 23,100 cases.\n")
    (tmp_path / "sources" / "figures.yml").write_text(
        "- id: a-cases\n  value: 23100\n  unit: cases\n  counts: c\n  period: p\n  source: A\n  paragraph: 1\n"
        f"  snippet: vetted more than 23,100 cases\n  display: more than 23,100\n  display_es: {display_es}\n",
        encoding="utf-8")
    corpus = load_corpus(tmp_path)
    problems = [str(p) for p in corpus.problems]
    if problem is None:
        assert problems == [] and corpus.figures["a-cases"].display_es == display_es
    else:
        assert len(problems) == 1 and problems[0].startswith("sources/figures.yml:1: ") and problem in problems[0]


def test_yaml_syntax_error_is_located(tmp_path):
    _write_source(tmp_path, FULL_META + "title: [broken\n")
    problems = [str(p) for p in load_corpus(tmp_path).problems]
    assert len(problems) == 1 and problems[0].startswith("sources/a.md:") and "YAML syntax error" in problems[0]


def test_missing_front_matter_raises_located_error(tmp_path):
    from sourcework.core.corpus import parse_source

    path = tmp_path / "a.md"
    path.write_text("¶1 text\n")
    with pytest.raises(SourceworkError, match=r"^a.md:1: missing YAML front matter"):
        parse_source(path, "a.md")


def test_source_that_is_not_utf8_is_located(tmp_path):
    path = _write_source(tmp_path, FULL_META)
    path.write_bytes(path.read_bytes() + b"\xff\xfe broken")
    problems = [str(p) for p in load_corpus(tmp_path).problems]
    assert problems == ["sources/a.md: the file is not UTF-8 text (byte " + problems[0].split("byte ")[1]]
    assert "Fix: Save it as UTF-8." in problems[0]
