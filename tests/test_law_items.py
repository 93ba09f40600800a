"""An item that states a legal rule with ``{law}``: the same words in every place item text goes (the page, the
answer key, QTI, print handouts, the grader's feedback pages), and nothing more in the assessment edition."""

from __future__ import annotations

import html
import json
import re
import zipfile
from pathlib import Path

import pytest
from test_law import write_book

from sourcework.core.corpus import load_corpus
from sourcework.core.items import load_exercises, parse_item
from sourcework.core.law import expand
from sourcework.core.render import render_item
from sourcework.core.submission import build_submission
from sourcework.export.handout import handout_html, key_html
from sourcework.export.key import answer_key
from sourcework.export.qti import export_qti
from sourcework.grader.grade import grade_files, write_feedback

BODY = """\
id: law.q1
type: choice
skill: contextualization
sources: [A]
stem: "As of {asof}``, who must show what at a bond hearing under {law}`bond-burden|cite`?"
options:
  - id: person
    text: "The detained person: {law}`bond-burden`"
    feedback: "Right: {law}`bond-burden`."
  - id: agency
    text: The agency must show the person is a danger
    feedback: "That was the older practice; see {law}`old-circuit-rule|cite`."
key: person
explanation: "The regulation puts the burden on the person: {law}`bond-burden`."
teaching_note: "Courts differ: {law}`old-circuit-rule`."
"""
SET = f"# Law set\n\n```{{exercise-set}}\nid: law\ntitle: Law set\nchapter: book/index\n```\n\n```{{item}}\n{BODY}```\n"

STEM = ("As of December 6, 2026, who must show what at a bond hearing under 8 C.F.R. § 1236.1(c)(8) (as of December "
        "2026)?")
RULE = ("In a bond hearing, the detained person must show they are not a danger (8 C.F.R. § 1236.1(c)(8); as of "
        "December 2026)")
OLD_CITE = "Doe v. Roe, 1 F.4th 1 (4th Cir. 2021) (as of November 2025)"


@pytest.fixture(scope="module")
def book(tmp_path_factory) -> Path:
    folder = write_book(tmp_path_factory.mktemp("law") / "book")
    (folder / "exercises" / "law.md").write_text(SET, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def sets(book):
    found, problems = load_exercises(book, load_corpus(book))
    assert problems == []
    return found


@pytest.fixture(scope="module")
def item(sets):
    return next(i for s in sets for i in s.items if i.id == "law.q1")


def words(text: str) -> str:
    """Visible text, entities decoded and whitespace collapsed (so the same words compare equal in any format)."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).replace("\\", "").split())


def test_the_model_holds_the_words(item):
    assert item.stem == STEM
    assert item.options[0].text == f"The detained person: {RULE}"
    assert item.options[1].feedback == f"That was the older practice; see {OLD_CITE}."


@pytest.mark.parametrize("edition", ["practice", "instructor"])
def test_page_html_and_its_data(item, edition):
    page = render_item(item, edition)
    assert STEM in words(page) and RULE in words(page)
    data = json.loads(re.search(r'class="sw-data">(.*?)</script>', page).group(1))
    assert data["stem"] == STEM and data["options"][0]["feedback"] == f"Right: {RULE}."
    assert "{law}" not in page and "{asof}" not in page


def test_answer_key_in_both_formats(sets):
    markdown = answer_key(sets, fmt="md")
    assert STEM in words(markdown) and f"The detained person: {RULE}" in words(markdown)
    data = json.loads(answer_key(sets, fmt="json"))
    assert STEM in json.dumps(data, ensure_ascii=False) and "{law}" not in markdown


def test_qti(sets, tmp_path):
    export = export_qti([s for s in sets if s.id == "law"], tmp_path / "law.zip")
    with zipfile.ZipFile(export.path) as zf:
        xml = "".join(zf.read(name).decode("utf-8") for name in zf.namelist() if name.endswith(".xml"))
    text = words(html.unescape(xml))
    assert STEM in text and RULE in text and OLD_CITE in text and "{law}" not in xml


def test_handout_and_print_key(sets):
    law_set = next(s for s in sets if s.id == "law")
    assert STEM in words(handout_html(law_set)) and RULE in words(handout_html(law_set))
    assert "{law}" not in handout_html(law_set)
    assert f"The detained person: {RULE}" in words(key_html([law_set]))


def test_feedback_pages(sets, tmp_path):
    submission = build_submission(sets=sets, student_name="Ada", student_id="s1", answers={"law.q1": "person"})
    path = tmp_path / "s1.json"
    path.write_text(json.dumps(submission), encoding="utf-8")
    run = grade_files([path], sets=sets)
    pages = write_feedback(run, tmp_path / "feedback", markdown=True)
    page_html = next(p for p in pages if p.suffix == ".html").read_text(encoding="utf-8")
    page_md = next(p for p in pages if p.suffix == ".md").read_text(encoding="utf-8")
    assert STEM in words(page_html) and STEM in words(page_md)
    assert f"The regulation puts the burden on the person: {RULE}." in words(page_html)


def _written_out(book: Path) -> str:
    """The item's body with the roles replaced by their words by hand: what an author could have typed."""
    law = load_corpus(book).law
    text, errors = expand(BODY, law)
    assert errors == [] and "{law}" not in text
    return text


@pytest.mark.parametrize("edition", ["practice", "assessment", "instructor"])
def test_the_role_adds_nothing_but_its_words(book, item, edition):
    """Same HTML (keys, data, hash) as the item with the words typed in: in the assessment edition no key, feedback,
    explanation or teaching note comes with the expansion."""
    typed, problems = parse_item(_written_out(book), path="exercises/law.md", first_line=10, corpus=None)
    assert problems == [] and typed is not None
    assert typed.content_hash() == item.content_hash()
    assert render_item(typed, edition) == render_item(item, edition)


def test_assessment_edition_shows_the_stem_and_no_feedback(item):
    page = render_item(item, "assessment")
    assert STEM in words(page) and f"The detained person: {RULE}" in words(page)
    for secret in ("Right:", "older practice", "puts the burden", "Courts differ", '"key"'):
        assert secret not in page
