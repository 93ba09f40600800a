"""core.render: golden HTML per item type and edition, no key leaks in the assessment edition, escaping.

Regenerate the goldens after an intended change with ``SW_UPDATE_GOLDEN=1 pytest tests/test_render.py`` and
review the diff.
"""

from __future__ import annotations

import html
import json
import os
import re
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sample_items import ALL_ITEMS, BY_TYPE, CHOICE, GRID, MARK, SAMPLE_SET

from sourcework.core.model import EDITIONS, SECRET_FIELDS, Column, GridRow, Option, Part, Span
from sourcework.core.render import (
    CORRECT_MARK,
    item_anchor,
    render_item,
    render_progress_page,
    render_set_toolbar,
    shown_events,
)

GOLDEN = Path(__file__).parent / "golden" / "render"


def normalise(text: str) -> str:
    """Light whitespace normalisation: strip lines, drop blank ones, collapse runs of spaces."""
    lines = (re.sub(r"[ \t]+", " ", line.strip()) for line in text.splitlines())
    return "\n".join(line for line in lines if line) + "\n"


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("item", ALL_ITEMS, ids=lambda item: item.type)
def test_golden(item, edition):
    path = GOLDEN / f"{item.type}-{edition}.html"
    actual = normalise(render_item(item, edition, number=1))
    if os.environ.get("SW_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    assert path.exists(), f"missing golden {path}; run with SW_UPDATE_GOLDEN=1 and review it"
    assert actual == normalise(path.read_text(encoding="utf-8"))


def _secret_texts(data, inside_secret=False):
    """Every string held under a secret field (feedback, explanation, anchor, teaching note, claim, …)."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _secret_texts(value, inside_secret or key in SECRET_FIELDS)
    elif isinstance(data, list):
        for value in data:
            yield from _secret_texts(value, inside_secret)
    elif isinstance(data, str) and inside_secret and len(data) > 12:
        yield data  # short strings are ids (option keys), which every option shows; see the invariance test


@pytest.mark.parametrize("item", ALL_ITEMS, ids=lambda item: item.type)
def test_assessment_contains_no_secret_text(item):
    text = html.unescape(render_item(item, "assessment")).replace("<\\/", "</")
    secrets = list(_secret_texts(item.to_dict(with_keys=True)))
    assert secrets or item.type in ("order",), "sample item should carry feedback to test against"
    for secret in secrets:
        assert secret not in text, f"assessment HTML of {item.type} leaks {secret!r}"
    for word in ("Correct answer", "Feedback", "Explanation", "Teaching note", "Anchor", 'data-sw-action="check"',
                 'data-sw-action="show"'):
        assert word not in text


def test_assessment_numeric_has_no_answer():
    text = render_item(BY_TYPE["numeric"], "assessment")
    for secret in ("2.05", "41/20", "0.01", "1/100", "tolerance", '"answer"'):
        assert secret not in text


def _other_keys(item):
    """The same item with different keys and different feedback everywhere."""
    new_option = lambda o: replace(o, feedback="other feedback " + o.id)  # noqa: E731
    changes = {"explanation": "another explanation", "teaching_note": "another note"}
    if item.type == "choice":
        changes |= {"key": item.options[-1].id, "options": tuple(map(new_option, item.options))}
    elif item.type == "select":
        changes |= {"key": (item.options[-1].id,), "options": tuple(map(new_option, item.options))}
    elif item.type == "grid":
        # Keep one multi-column row (the one fact the assessment grid shows), but move it and every key.
        cols = [c.id for c in item.columns]
        rows = [replace(r, key=(cols[(i + 1) % len(cols)],), feedback="other") for i, r in enumerate(item.rows)]
        rows[-1] = replace(rows[-1], key=tuple(cols[:2]))
        changes["rows"] = tuple(rows)
    elif item.type == "mark":
        changes |= {"key": (item.spans[-1].id,), "spans": tuple(replace(s, feedback="other") for s in item.spans)}
    elif item.type == "numeric":
        changes |= {"answer": Fraction(7), "tolerance_abs": None, "tolerance_rel": Fraction(1, 10),
                    "outcome_feedback": {"correct": "other", "incorrect": "other"}}
    elif item.type == "order":
        changes |= {"key": tuple(reversed(item.key)), "outcome_feedback": {"correct": "other"}}
    elif item.type == "two-part":
        changes |= {
            "part_a": replace(item.part_a, key=item.part_a.options[-1].id),
            "part_b": replace(item.part_b, key=item.part_b.options[-1].id,
                              options=tuple(map(new_option, item.part_b.options))),
        }
    elif item.type == "response":
        changes["rubric"] = tuple(
            replace(c, levels=tuple(replace(lv, anchor="other anchor") for lv in c.levels)) for c in item.rubric
        )
    return replace(item, **changes)


@pytest.mark.parametrize("item", ALL_ITEMS, ids=lambda item: item.type)
def test_assessment_html_does_not_depend_on_keys(item):
    """Changing every key and feedback changes nothing in the assessment HTML but the content hash."""
    other = _other_keys(item)
    assert other.content_hash() != item.content_hash()
    strip_hash = lambda text: re.sub(r'data-sw-hash="[0-9a-f]+"', "", text)  # noqa: E731
    assert strip_hash(render_item(item, "assessment")) == strip_hash(render_item(other, "assessment"))


def _data(fragment: str) -> dict:
    script = BeautifulSoup(fragment, "html.parser").select_one("script.sw-data")
    return json.loads(script.string)


@pytest.mark.parametrize("item", ALL_ITEMS, ids=lambda item: item.type)
def test_embedded_data_per_edition(item):
    full = item.to_dict(with_keys=True)
    assert _data(render_item(item, "instructor")) == full
    full.pop("teaching_note", None)  # students' pages do not carry teachers' notes
    for criterion in full.get("rubric", []):  # nor anchor answers, which are model answers to the question
        for level in criterion["levels"]:
            level.pop("anchor", None)
    practice = _data(render_item(item, "practice"))
    assert practice == full
    assert "anchor" not in json.dumps(practice)
    assert _data(render_item(item, "assessment")) == item.to_dict(with_keys=False)


def test_escaping_of_stem_and_script_data():
    hostile = replace(
        CHOICE,
        stem='Is <script>alert("x")</script> & <b>bold</b> escaped?',
        options=(Option("press", 'A "quoted" </script><!-- option', "feedback </script>"), *CHOICE.options[1:]),
    )
    for edition in EDITIONS:
        fragment = render_item(hostile, edition)
        soup = BeautifulSoup(fragment, "html.parser")
        assert len(soup.find_all("script")) == 1 and not soup.find("b")  # no markup from the text
        assert soup.select_one(".sw-stem").get_text().strip() == hostile.stem
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in fragment
        assert fragment.count("</script>") == 1  # only the data script's own end tag
        assert "<!--" not in fragment
        assert _data(fragment)["options"][0]["text"] == 'A "quoted" </script><!-- option'


def test_section_attributes_and_feedback_region():
    soup = BeautifulSoup(render_item(CHOICE, "practice"), "html.parser")
    section = soup.select_one("section.sw-item")
    assert section["id"] == item_anchor(CHOICE.id) == "item-sample-genre"
    assert (section["data-sw-id"], section["data-sw-type"], section["data-sw-points"]) == (CHOICE.id, "choice", "1")
    assert section["data-sw-hash"] == CHOICE.content_hash()
    feedback = section.select_one("div.sw-feedback")
    assert (feedback["role"], feedback["aria-live"]) == ("status", "polite")


@pytest.mark.parametrize("edition", EDITIONS)
def test_buttons_per_edition(edition):
    soup = BeautifulSoup(render_item(CHOICE, edition), "html.parser")
    labels = [b.get_text() for b in soup.select(".sw-actions button")]
    assert labels == {"practice": ["Check", "Try again", "Show answer"], "assessment": ["Save answer"],
                      "instructor": ["Check", "Show answer"]}[edition]


@pytest.mark.parametrize("edition", EDITIONS)
def test_every_control_is_labelled_and_ids_are_unique(edition):
    page = "".join(render_item(item, edition, number=n) for n, item in enumerate(ALL_ITEMS, 1))
    page += render_set_toolbar(SAMPLE_SET, edition)
    soup = BeautifulSoup(page, "html.parser")
    ids = [tag["id"] for tag in soup.find_all(id=True)]
    assert len(ids) == len(set(ids))
    for control in soup.select("input, textarea, select"):
        if control.get("type") == "file":
            assert control.has_attr("hidden") and control.get("aria-label")
            continue
        assert soup.select_one(f'label[for="{control["id"]}"]'), control
    for fieldset in soup.select("fieldset"):
        assert fieldset.find("legend", recursive=False) is not None


def test_instructor_marks_the_key_in_words():
    soup = BeautifulSoup(render_item(CHOICE, "instructor"), "html.parser")
    marked = [o["data-sw-option"] for o in soup.select(".sw-option") if CORRECT_MARK in o.get_text()]
    assert marked == ["press"]
    text = soup.get_text()
    assert CHOICE.explanation in text and CHOICE.teaching_note in text and CHOICE.options[1].feedback in text
    rubric = BeautifulSoup(render_item(BY_TYPE["response"], "instructor"), "html.parser").select_one("table")
    assert "Anchor answer" in rubric.get_text() and BY_TYPE["response"].rubric[0].levels[0].anchor in rubric.get_text()


def test_grid_controls_follow_the_edition():
    def kinds(item, edition):
        soup = BeautifulSoup(render_item(item, edition), "html.parser")
        return [{i["type"] for i in row.select("input")} for row in soup.select("tr.sw-grid-row")]

    assert kinds(GRID, "practice") == [{"checkbox"}, {"radio"}, {"radio"}]
    assert kinds(GRID, "assessment") == [{"checkbox"}] * 3  # which row is multi-column stays hidden
    single = replace(GRID, rows=tuple(replace(r, key=r.key[:1]) for r in GRID.rows))
    assert kinds(single, "assessment") == [{"radio"}] * 3
    legends = BeautifulSoup(render_item(GRID, "assessment"), "html.parser").select(".sw-row-legend")
    assert all("Select all that apply" in legend.get_text() for legend in legends)


def test_grid_column_labels_head_the_matrix_for_the_eye_and_stay_on_each_control():
    soup = BeautifulSoup(render_item(GRID, "practice"), "html.parser")
    table = soup.select_one("table.sw-grid")
    assert "sw-matrix" in table["class"]
    heads = table.select_one("thead .sw-grid-heads")
    assert heads["aria-hidden"] == "true"
    labels = [column.label for column in GRID.columns]
    assert [span.get_text() for span in heads.select("span")] == labels
    for row in table.select("tr.sw-grid-row"):
        choices = row.select(".sw-row-fieldset > .sw-grid-choices > .sw-option")
        assert [soup.select_one(f'label[for="{o.input["id"]}"]').get_text() for o in choices] == labels
    # More than five columns stay stacked at any width (sw-type-grid.css lays out only .sw-matrix as a matrix).
    wide = replace(GRID, columns=tuple(Column(f"c{n}", f"Column {n}") for n in range(6)),
                   rows=tuple(replace(r, key=("c0",)) for r in GRID.rows))
    assert "sw-matrix" not in BeautifulSoup(render_item(wide, "practice"), "html.parser").table["class"]


def test_mark_spans_are_buttons_inside_the_verbatim_passage():
    soup = BeautifulSoup(render_item(MARK, "practice"), "html.parser")
    passage = soup.select_one(".sw-passage")
    assert passage.get_text() == MARK.passage
    buttons = passage.select("button.sw-span")
    assert [b["data-sw-span"] for b in buttons] == ["fugitives", "justice", "cooperation", "criminals"]
    assert all(b["type"] == "button" and b["aria-pressed"] == "false" for b in buttons)


def test_mark_span_missing_from_passage_is_an_error():
    broken = replace(MARK, spans=(*MARK.spans, Span("ghost", "words that are not there")))
    with pytest.raises(ValueError, match="ghost"):
        render_item(broken, "practice")


def test_order_buttons_name_their_event():
    soup = BeautifulSoup(render_item(BY_TYPE["order"], "practice"), "html.parser")
    first = soup.select_one("li.sw-order-item")
    names = [b.get_text() for b in first.select("button")]
    event = shown_events(BY_TYPE["order"])[0].text
    assert names == [f"Move up: {event}", f"Move down: {event}"]


def test_two_part_has_two_fieldsets_and_numeric_shows_its_unit():
    soup = BeautifulSoup(render_item(BY_TYPE["two-part"], "practice"), "html.parser")
    assert [f.legend.get_text()[:6] for f in soup.select("fieldset.sw-part")] == ["Part A", "Part B"]
    soup = BeautifulSoup(render_item(BY_TYPE["numeric"], "practice"), "html.parser")
    number = soup.select_one("input.sw-number")
    assert (number["type"], number["inputmode"]) == ("text", "decimal")
    assert [lab.get_text() for lab in soup.select(f'label[for="{number["id"]}"]')] == ["Your answer", "percent"]


def test_response_self_rating_only_in_practice():
    for edition, expected in (("practice", 2), ("assessment", 0), ("instructor", 0)):
        soup = BeautifulSoup(render_item(BY_TYPE["response"], edition), "html.parser")
        assert len(soup.select("fieldset.sw-self")) == expected
        assert soup.select_one("textarea")


def test_set_toolbar():
    soup = BeautifulSoup(render_set_toolbar(SAMPLE_SET, "practice"), "html.parser")
    box = soup.select_one("div.sw-set")
    assert box["data-sw-set"] == "sample" and box["data-sw-possible"] == "13"
    assert json.loads(box["data-sw-items"]) == [item.id for item in ALL_ITEMS]
    assert soup.select_one(".sw-set-score")["role"] == "status"
    assert {b.get_text() for b in soup.select("button")} == {"Download my answers", "Load answers"}
    assert soup.select_one("input.sw-student-name") and soup.select_one("input.sw-student-id")
    assessment = BeautifulSoup(render_set_toolbar(SAMPLE_SET, "assessment"), "html.parser")
    assert assessment.select_one(".sw-set-score") is None  # no scores without keys


def test_progress_page():
    sets = [{"id": "s1", "title": "Set <one>", "url": "../exercises/s1.html", "possible": Fraction(7, 2),
             "items": ["s1.a", "s1.b"]}]
    soup = BeautifulSoup(render_progress_page(sets), "html.parser")
    box = soup.select_one("div.sw-progress")
    assert json.loads(box["data-sw-sets"]) == [{**sets[0], "possible": "7/2"}]
    assert "JavaScript" in soup.select_one(".sw-progress-fallback").get_text()
    assert {b.get_text() for b in soup.select("button")} == {"Download my answers", "Load answers",
                                                             "Clear my progress"}


def test_what_the_scripts_redraw_is_written_as_they_draw_it_for_a_new_reader():
    """The set's score line and the progress table are written in the words the scripts put there for a reader with
    no saved answers (the English catalog), so a page does not move when its scripts run (Lighthouse's layout shift).
    """
    from sourcework.sphinx_ext.messages import msg

    count = len(SAMPLE_SET.items)
    toolbar = BeautifulSoup(render_set_toolbar(SAMPLE_SET, "practice"), "html.parser")
    assert toolbar.select_one(".sw-set-score").get_text() == msg("score.nothing_yet", answered=0, count=count)
    sets = [{"id": "s1", "title": "Set one", "url": "s1.html", "possible": 2, "items": ["s1.a", "s1.b"]}]
    for edition, heads in (("practice", ["progress.set", "progress.answered", "progress.points"]),
                           ("assessment", ["progress.set", "progress.answered"])):
        soup = BeautifulSoup(render_progress_page(sets, edition), "html.parser")
        table = soup.select_one(".sw-progress-table.pst-js-only > table.sw-progress-grid")
        assert table.caption.get_text() == msg("progress.caption")
        assert [th.get_text() for th in table.select("thead th[scope=col]")] == [msg(k) for k in heads]
        cells = [td.get_text() for td in table.select("tbody td")]
        assert cells == [msg("progress.answered_count", answered=0, count=2),
                         *([msg("progress.nothing_checked")] if edition == "practice" else [])]
        assert table.select_one("tbody th[scope=row] a")["href"] == "s1.html"
        assert soup.select_one("noscript .sw-progress-fallback")


def test_unknown_edition_is_refused():
    with pytest.raises(ValueError, match="edition"):
        render_item(CHOICE, "teacher")


def test_grid_rows_and_parts_can_be_built():
    # Guard the sample module itself: every type present, once.
    assert sorted(BY_TYPE) == sorted({"choice", "select", "grid", "mark", "numeric", "order", "two-part", "response"})
    assert isinstance(GRID.rows[0], GridRow) and isinstance(BY_TYPE["two-part"].part_a, Part)


def test_source_labels_link_to_their_pages_only_when_a_url_maker_is_given():
    """Web editions: each label of "Sources: A, B" links to its source page; without para_url, the same plain text."""
    item = replace(BY_TYPE["select"], sources=("A", "B"))
    plain = render_item(item, "practice")
    assert '<span class="sw-sources">Sources: A, B</span>' in plain
    linked = render_item(item, "practice", para_url=lambda label, n: f"../s/source-{label.lower()}.html#p{n}")
    assert ('<span class="sw-sources">Sources: <a class="sw-source-link" href="../s/source-a.html">A</a>, '
            '<a class="sw-source-link" href="../s/source-b.html">B</a></span>') in linked
    assert re.sub(r"<[^>]+>", "", linked) == re.sub(r"<[^>]+>", "", plain), "only links are added, no words change"
