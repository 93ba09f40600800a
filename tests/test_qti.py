"""The QTI export: the zip parses, its manifest leads to every exported item, counts and points match the sets,
and each item's stem, options, key and feedback are found in the XML by parsing it, with nothing escaped twice."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
import zipfile
from fractions import Fraction
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from sourcework.core.corpus import load_corpus
from sourcework.core.items import load_exercises
from sourcework.core.model import Item
from sourcework.export.qti import QtiError, escape, export_qti, select_sets

ROOT = Path(__file__).resolve().parent.parent
BOOK = ROOT / "tests" / "books" / "tools"
NS = {"m": "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1", "q": "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"}
EXPECTED_SKIPS = {"tools.timeline": "order", "tools.evidence": "two-part"}


def _norm(text: str) -> str:
    return " ".join(text.split())


def _html_text(html: str | None) -> str:
    return _norm(BeautifulSoup(html or "", "html.parser").get_text(" "))


@pytest.fixture(scope="module")
def sets():
    corpus = load_corpus(BOOK)
    item_sets, problems = load_exercises(BOOK, corpus)
    assert not problems, problems
    return item_sets


@pytest.fixture(scope="module")
def export(sets, tmp_path_factory):
    out = tmp_path_factory.mktemp("qti") / "tools.zip"
    return export_qti(sets, out)


@pytest.fixture(scope="module")
def package(export):
    return parse_package(export.path)


def parse_package(path: Path) -> dict:
    """The parsed package: manifest root, assessment root, and the questions by title (text-only items left out)."""
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        manifest = ET.fromstring(zf.read("imsmanifest.xml"))
        hrefs = [f.get("href") for f in manifest.iterfind(".//m:resource/m:file", NS)]
        for href in hrefs:
            assert href in names, f"the manifest lists {href}, which is not in the zip"
        qti_files = [r.find("m:file", NS).get("href") for r in manifest.iterfind(".//m:resource", NS)
                     if r.get("type") == "imsqti_xmlv1p2"]
        assert len(qti_files) == 1
        assessment = ET.fromstring(zf.read(qti_files[0]))
        meta = ET.fromstring(zf.read(next(h for h in hrefs if h.endswith("assessment_meta.xml"))))
    questions = {}
    for element in assessment.iterfind(".//q:item", NS):
        if _field(element, "question_type") != "text_only_question":
            questions[element.get("title")] = element
    return {"manifest": manifest, "assessment": assessment, "meta": meta, "questions": questions}


def _field(item: ET.Element, label: str) -> str:
    for field in item.iterfind(".//q:qtimetadatafield", NS):
        if field.findtext("q:fieldlabel", namespaces=NS) == label:
            return field.findtext("q:fieldentry", default="", namespaces=NS)
    raise AssertionError(f"no {label} in item {item.get('title')}")


def _prompt(item: ET.Element) -> str:
    return _html_text(item.find("q:presentation/q:material/q:mattext", NS).text)


def _choices(item: ET.Element) -> dict[str, str]:
    """Choice ident → choice text."""
    return {label.get("ident"): _html_text(label.find(".//q:mattext", NS).text)
            for label in item.iterfind(".//q:response_label", NS) if label.find(".//q:mattext", NS) is not None}


def _feedback(item: ET.Element) -> dict[str, str]:
    """Feedback ident (general_fb, correct_fb, <choice>_fb…) → text."""
    return {fb.get("ident"): _html_text(fb.find(".//q:mattext", NS).text) for fb in item.iterfind("q:itemfeedback", NS)}


def _correct_choices(item: ET.Element) -> set[str]:
    """The choice idents a response must select for 100 points (plain varequal, not inside <not>)."""
    for condition in item.iterfind(".//q:respcondition", NS):
        if condition.findtext("q:setvar", namespaces=NS) == "100":
            var = condition.find("q:conditionvar", NS)
            negated = {v.text for v in var.iterfind(".//q:not/q:varequal", NS)}
            return {v.text for v in var.iterfind(".//q:varequal", NS)} - negated
    raise AssertionError(f"no scoring condition in {item.get('title')}")


def _numeric_range(item: ET.Element) -> tuple[float, float]:
    condition = next(c for c in item.iterfind(".//q:respcondition", NS) if c.findtext("q:setvar", namespaces=NS))
    return (float(condition.findtext(".//q:vargte", namespaces=NS)),
            float(condition.findtext(".//q:varlte", namespaces=NS)))


def _all_items(sets) -> list[Item]:
    return [item for item_set in sets for item in item_set.items]


# ------------------------------------------------------------------------------------------------ the package


def test_every_xml_file_parses(export):
    with zipfile.ZipFile(export.path) as zf:
        for name in zf.namelist():
            if name.endswith(".xml"):
                ET.fromstring(zf.read(name))


def test_manifest_leads_to_every_exported_item(export, package):
    titles = set(package["questions"])
    expected = {q.title for q in export.questions}
    assert titles == expected
    for item_id in export.item_ids:
        assert any(t == item_id or t.startswith(item_id + " row ") for t in titles)


def test_counts_and_points_match_the_sets(sets, export, package):
    items = _all_items(sets)
    exported = {s.item_id for s in export.skipped} | set(export.item_ids)
    assert exported == {item.id for item in items}, "every item is either exported or reported as left out"
    assert {s.item_id: s.type for s in export.skipped} == EXPECTED_SKIPS
    by_id = {item.id: item for item in items}
    expected_questions = sum(len(by_id[i].rows) if by_id[i].type == "grid" else 1 for i in export.item_ids)
    assert len(package["questions"]) == expected_questions
    expected_points = sum((by_id[i].points for i in export.item_ids), Fraction(0))
    xml_points = sum(Fraction(_field(q, "points_possible")) for q in package["questions"].values())
    assert xml_points == expected_points == export.points
    assert Fraction(package["meta"].findtext("{*}points_possible")) == expected_points


def test_skips_say_why(export):
    reasons = {s.item_id: s.reason for s in export.skipped}
    assert "ordering" in reasons["tools.timeline"]
    assert "Part A" in reasons["tools.evidence"]
    summary = export.summary()
    for item_id in EXPECTED_SKIPS:
        assert item_id in summary


# ----------------------------------------------------------------------------------------------- each item


def _check_options(question: ET.Element, options, key: set[str], feedback: bool = True) -> None:
    choices = _choices(question)
    text_to_ident = {text: ident for ident, text in choices.items()}
    assert sorted(choices.values()) == sorted(_norm(o.text) for o in options)
    correct = {text_to_ident[_norm(o.text)] for o in options if o.id in key}
    assert _correct_choices(question) == correct
    if feedback:
        given_feedback = _feedback(question)
        for option in options:
            assert given_feedback[f"{text_to_ident[_norm(option.text)]}_fb"] == _norm(option.feedback)


@pytest.mark.parametrize("item_id", ["tools.genre", "tools.claims", "second.publisher", "second.genres"])
def test_choice_and_select(sets, package, item_id):
    item = next(i for i in _all_items(sets) if i.id == item_id)
    question = package["questions"][item_id]
    expected_type = "multiple_choice_question" if item.type == "choice" else "multiple_answers_question"
    assert _field(question, "question_type") == expected_type
    assert _norm(item.stem) in _prompt(question)
    for excerpt in item.excerpts:
        assert _norm(excerpt.text) in _prompt(question)
    key = {item.key} if item.type == "choice" else set(item.key)
    _check_options(question, item.options, key)
    assert _feedback(question)["general_fb"] == _norm(item.explanation)


def test_special_characters_arrive_verbatim(sets, package):
    item = next(i for i in _all_items(sets) if i.id == "tools.genre")
    prompt = _prompt(package["questions"]["tools.genre"])
    assert 'Look at the *byline* & the "dateline" -- not at <who> is quoted, and ignore any $5 figure.' in prompt
    assert _norm(item.stem) in prompt
    assert any("[and]" in text for text in _feedback(package["questions"]["tools.genre"]).values())


def test_grid_rows(sets, package):
    item = next(i for i in _all_items(sets) if i.id == "tools.who-says")
    rows = [package["questions"][f"{item.id} row {n} of {len(item.rows)} ({row.id})"]
            for n, row in enumerate(item.rows, 1)]
    for row, question in zip(item.rows, rows, strict=True):
        # One row has two keyed columns, so every row is a multiple-answers question (the form hides the key).
        assert _field(question, "question_type") == "multiple_answers_question"
        assert Fraction(_field(question, "points_possible")) == item.points / len(item.rows)
        assert _norm(item.stem) in _prompt(question) and _norm(row.text) in _prompt(question)
        _check_options(question, [type("C", (), {"id": c.id, "text": c.label})() for c in item.columns],
                       set(row.key), feedback=False)
        assert _norm(row.feedback) in _feedback(question)["general_fb"]


def test_mark_becomes_multiple_answers(sets, package):
    item = next(i for i in _all_items(sets) if i.id == "tools.frame")
    question = package["questions"][item.id]
    assert _field(question, "question_type") == "multiple_answers_question"
    assert _norm(item.passage) in _prompt(question) and item.job in _prompt(question)
    _check_options(question, item.spans, set(item.key))


@pytest.mark.parametrize("item_id", ["tools.rate", "tools.vetted"])
def test_numeric(sets, package, item_id):
    item = next(i for i in _all_items(sets) if i.id == item_id)
    question = package["questions"][item_id]
    assert _field(question, "question_type") == "numerical_question"
    low, high = _numeric_range(question)
    tolerance = item.tolerance_abs if item.tolerance_abs is not None else item.answer * item.tolerance_rel
    assert low == pytest.approx(float(item.answer - tolerance))
    assert high == pytest.approx(float(item.answer + tolerance))
    feedback = _feedback(question)
    assert feedback["correct_fb"] == _norm(item.outcome_feedback["correct"])
    assert feedback["general_incorrect_fb"] == _norm(item.outcome_feedback["incorrect"])
    assert feedback["general_fb"] == _norm(item.explanation)
    assert item.unit in _prompt(question)


def test_response_becomes_essay_without_anchors(sets, package):
    item = next(i for i in _all_items(sets) if i.id == "tools.compare")
    question = package["questions"][item.id]
    assert _field(question, "question_type") == "essay_question"
    assert Fraction(_field(question, "points_possible")) == item.points == 4
    prompt = _prompt(question)
    assert _norm(item.stem) in prompt
    for criterion in item.rubric:
        assert criterion.criterion in prompt
        for level in criterion.levels:
            assert _norm(level.descriptor) in prompt
            assert _norm(level.anchor) not in prompt
    assert _feedback(question)["general_fb"] == _norm(item.explanation)


def test_teaching_notes_stay_out(sets, package):
    text = " ".join(_html_text(m.text) for m in package["assessment"].iterfind(".//q:mattext", NS))
    assert "Sourcing starts with the author" in text
    for item in _all_items(sets):
        if item.teaching_note:
            assert _norm(item.teaching_note) not in text


def test_grid_rows_in_whole_cents(sets, export, package):
    item = next(i for i in _all_items(sets) if i.id == "tools.thirds")
    rows = [package["questions"][f"{item.id} row {n} of 3 ({row.id})"] for n, row in enumerate(item.rows, 1)]
    points = [Fraction(_field(q, "points_possible")) for q in rows]
    assert points == [Fraction("0.34"), Fraction("0.33"), Fraction("0.33")] and sum(points) == item.points
    assert all(_field(q, "question_type") == "multiple_choice_question" for q in rows)
    assert any("tools.thirds" in note and "0.34, 0.33, 0.33" in note for note in export.notes)
    assert "tools.thirds" in export.summary()


@pytest.mark.parametrize(("total", "parts", "shares"), [
    (Fraction(2), 8, ["0.25"] * 8), (Fraction(2), 6, ["0.34", "0.34", "0.33", "0.33", "0.33", "0.33"]),
    (Fraction(1), 2, ["0.5", "0.5"]), (Fraction(3), 3, ["1", "1", "1"]),
])
def test_split_cents(total, parts, shares):
    from sourcework.export.qti import split_cents

    result = split_cents(total, parts)
    assert result == [Fraction(s) for s in shares] and sum(result) == total


def test_points_that_are_not_cents_are_left_out(sets, tmp_path):
    from dataclasses import replace

    second = next(s for s in sets if s.id == "second")
    odd = replace(second, items=(replace(second.items[0], points=Fraction(1, 3)), second.items[1]))
    result = export_qti([odd], tmp_path / "odd.zip")
    assert [s.item_id for s in result.skipped] == ["second.publisher"]
    assert "whole cents" in result.skipped[0].reason
    quarter = replace(second, items=(replace(second.items[0], points=Fraction(5, 4)), second.items[1]))
    result = export_qti([quarter], tmp_path / "quarter.zip")
    with zipfile.ZipFile(result.path) as zf:
        xml = zf.read(next(n for n in zf.namelist() if n.endswith(".xml") and "assessment_meta" not in n
                           and "manifest" not in n)).decode()
    assert ">1.25<" in xml and result.points == Fraction(9, 4)


# ------------------------------------------------------------------------------------------ choosing sets


def test_select_sets(sets):
    assert [s.id for s in select_sets(sets, ["tools"])] == ["tools"]
    assert [s.id for s in select_sets(sets, [], all_sets=True)] == [s.id for s in sets]
    with pytest.raises(QtiError, match="unknown exercise set"):
        select_sets(sets, ["nope"])
    with pytest.raises(QtiError, match="--all"):
        select_sets(sets, [])


def test_one_set_only(sets, tmp_path):
    result = export_qti(select_sets(sets, ["second"]), tmp_path / "second.zip")
    assert result.item_ids == ["second.publisher", "second.genres"] and not result.skipped
    assert result.title == "Second set: publishers"


def test_nothing_exportable_is_a_clear_error(sets, tmp_path):
    from dataclasses import replace

    only_order = [replace(s, items=tuple(i for i in s.items if i.type == "order")) for s in sets if s.id == "tools"]
    with pytest.raises(QtiError, match="none of the chosen items"):
        export_qti(only_order, tmp_path / "none.zip")
    assert not (tmp_path / "none.zip").exists()


def test_output_folder_is_a_clear_error(sets, tmp_path):
    with pytest.raises(QtiError, match="folder"):
        export_qti(sets, tmp_path)


# ------------------------------------------------------------------------------------------------ escaping


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=60))
def test_escape_shows_text_verbatim(text):
    from text2qti.config import Config
    from text2qti.markdown import Markdown

    text = _norm(text)
    if not text:
        return
    html = Markdown(Config()).md_to_html(escape(text))
    assert _html_text(html) == text


@pytest.mark.parametrize("text", [
    "~~~ not a fence", "1. not a list", "- not a list", "+ nor this", "# not a heading", "<!-- not a comment -->",
    "$x$ is not math", r"\$ and \\ stay", "`not code`", "*** --- ___", "|a|b|", "[^1] not a footnote",
    "{: .not-an-attribute}", "&amp; stays as typed", "&#65; too", "<b>not bold</b>", r"\num{5} \SI{3}{m}",
    "She said 'no' -- twice...", "=== underline", "> not a quote", ": not a definition", "% not a comment",
    "[*] not a choice", "*a) not a choice", "Title: not a title", "![not an image](x.png)", "[not a link](x)",
])
def test_escape_tricky_texts(text):
    from text2qti.config import Config
    from text2qti.markdown import Markdown

    assert _html_text(Markdown(Config()).md_to_html(escape(text))) == _norm(text)


def test_real_sets_smoke(tmp_path):
    """The book's own sets export (or say clearly why an item cannot)."""
    corpus = load_corpus(ROOT)
    sets, _problems = load_exercises(ROOT, corpus)
    if not sets:
        pytest.skip("the book has no exercise sets yet")
    result = export_qti(sets, tmp_path / "book.zip")
    assert zipfile.ZipFile(result.path).testzip() is None
    assert len(result.item_ids) + len(result.skipped) == sum(len(s.items) for s in sets)
    assert re.search(r"\d+ item\(s\)", result.summary())
    package = parse_package(result.path)
    assert set(package["questions"]) == {q.title for q in result.questions}
    by_id = {i.id: i for i in _all_items(sets)}
    assert sum(Fraction(_field(q, "points_possible")) for q in package["questions"].values()) == sum(
        (by_id[i].points for i in result.item_ids), Fraction(0))
    for question in result.questions:
        assert _norm(by_id[question.item_id].stem) in _prompt(package["questions"][question.title])


def test_cli_export_prints_what_was_left_out(tmp_path, capsys):
    from sourcework.cli import main

    out = tmp_path / "quiz.zip"
    assert main(["--root", str(BOOK), "export", "qti", "tools", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert out.exists() and "Left out 2 item(s)" in printed
    assert "tools.timeline (order)" in printed and "tools.evidence (two-part)" in printed
    assert main(["export", "qti", "nope", "--out", str(out), "--root", str(BOOK)]) == 1
    assert "unknown exercise set(s): nope" in capsys.readouterr().err
    assert main(["--root", str(BOOK), "export", "qti", "--out", str(out)]) == 1
    assert "--all" in capsys.readouterr().err
