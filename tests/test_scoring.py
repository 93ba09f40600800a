"""Scoring and serialisation beyond the shared vectors: display rounding, teacher rubric scores, the number
parser, the item round trip, and that no JSON value makes the scorer raise."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from sourcework.core.model import Column, Criterion, GridRow, Item, Level, Option, Part, Span
from sourcework.core.numbers import format_points
from sourcework.core.scoring import STATUSES, parse_number, score, score_rubric
from sourcework.core.serial import item_from_dict

ROOT = Path(__file__).resolve().parent.parent

VECTOR_ITEMS = [case["item"] for path in sorted((ROOT / "tests" / "vectors").glob("*.json"))
                for case in json.loads(path.read_text("utf-8"))]
ONE_ITEM_PER_TYPE = list({item["type"]: item for item in VECTOR_ITEMS}.values())

RUBRIC_ITEM = Item(
    id="set.essay", type="response", skill="synthesis", sources=("B", "C"), stem="Compare B and C.",
    points=Fraction(5),
    rubric=(
        Criterion("claim", "States a claim", (Level(0, "Missing", "No claim."), Level(2, "Full", "Clear.", "A…"))),
        Criterion("evidence", "Cites evidence", tuple(Level(p, f"L{p}", f"Level {p}.") for p in range(4))),
    ),
)


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Fraction(1, 8), "0.13"),  # 0.125: half up, not half to even
        (Fraction(1, 200), "0.01"),  # 0.005
        (Fraction(2, 3), "0.67"),
        (Fraction(1, 3), "0.33"),
        (Fraction(1, 2), "0.5"),
        (Fraction(1), "1"),
        (Fraction(0), "0"),
        (Fraction(5, 2), "2.5"),
        (Fraction(10), "10"),
        (Fraction(199999, 100000), "2"),  # rounds up into the next whole number
        (Fraction(1, 201), "0"),  # just under 0.005
        (Fraction(-1, 8), "-0.13"),
    ],
)
def test_format_points_rounds_half_up_for_display(value, shown):
    assert format_points(value) == shown


@pytest.mark.parametrize(
    ("text", "unit", "value"),
    [
        ("2.05", "percent", Fraction(41, 20)),
        (" 2.05 % ", "percent", Fraction(41, 20)),
        ("2.05%", "%", Fraction(41, 20)),
        ("23,100", "", Fraction(23100)),
        ("1,234,567.5", "", Fraction(2469135, 2)),
        ("-0", "", Fraction(0)),
        (".5", "", Fraction(1, 2)),
        ("5.", "", Fraction(5)),
        ("\u2212\u00a03", "", None),  # sign must touch the digits
        ("\u22123", "", Fraction(-3)),
        ("\u00a0\u202f7\u00a0", "", Fraction(7)),  # non-breaking spaces copied from the page
        ("1e3", "", None),
        ("2,31", "", None),
        ("1234,567", "", None),
        ("٣", "", None),  # only ASCII digits, as in the browser
        ("12 people", "people", Fraction(12)),
        ("12 People", "people", Fraction(12)),
        ("12 persons", "people", None),
        ("9" * 65, "", None),
        ("9" * 64, "", Fraction(int("9" * 64))),
    ],
)
def test_parse_number(text, unit, value):
    assert parse_number(text, unit) == value


def test_score_rubric_sums_teacher_levels():
    result = score_rubric(RUBRIC_ITEM, {"claim": 2, "evidence": 1})
    assert (result.earned, result.possible, result.status) == (Fraction(3), Fraction(5), "partial")
    assert result.details["levels"] == {"claim": 2, "evidence": 1}
    assert score_rubric(RUBRIC_ITEM, {"claim": "2", "evidence": " 3"}).status == "correct"  # spreadsheet cells
    assert score_rubric(RUBRIC_ITEM, {"claim": 0, "evidence": 0}).status == "incorrect"


@pytest.mark.parametrize(
    ("levels", "fragment"),
    [
        ({"claim": 1, "evidence": 1}, 'Criterion "claim" has no level worth 1'),
        ({"claim": 2}, 'No level given for criterion "evidence"'),
        ({"claim": 2, "evidence": 1, "style": 1}, 'Unknown rubric criterion "style"'),
        ({"claim": True, "evidence": 1}, 'Criterion "claim"'),
        ({"claim": 2.5, "evidence": 1}, 'Criterion "claim"'),
        (["claim"], "Expected one level per rubric criterion"),
    ],
)
def test_score_rubric_rejects_levels_that_do_not_exist(levels, fragment):
    result = score_rubric(RUBRIC_ITEM, levels)
    assert (result.status, result.earned, result.possible) == ("invalid", 0, 5)
    assert fragment in result.reason


def test_response_items_are_ungraded_and_carry_the_self_rating():
    result = score(RUBRIC_ITEM, {"text": "B frames it as…", "self": {"claim": 2, "evidence": 3}})
    assert (result.status, result.earned, result.possible) == ("ungraded", 0, 5)
    assert result.details == {"self": {"claim": 2, "evidence": 3}}
    broken = score(RUBRIC_ITEM, {"text": "B frames it as…", "self": {"claim": 9}})
    assert broken.status == "ungraded" and "self" not in broken.details and broken.details["self_error"]


def test_select_reason_explains_the_formula():
    item = item_from_dict({"id": "s.1", "type": "select", "skill": "sourcing", "sources": ["A"], "stem": "?",
                           "options": [{"id": i, "text": i} for i in "abcd"], "key": ["a", "b", "c"]})
    result = score(item, ["a", "b", "d"])
    assert result.reason == "2 of 3 keyed options chosen, 1 wrong choice: (2\u22121)/3 of the points."
    assert result.details == {"right": 2, "wrong": 1, "keyed": 3}


def full_items() -> list[Item]:
    """Items with every field set, so the round trip sees feedback, claims, anchors and fractions."""
    common = {"skill": "sourcing", "sources": ("A", "B"), "stem": "Stem.", "explanation": "Why.",
              "teaching_note": "Note.", "title": "Title", "points": Fraction(5, 2)}
    options = (Option("a", "A", "fa"), Option("b", "B", "fb"))
    return [
        Item(id="x.choice", type="choice", options=options, key="a", **common),
        Item(id="x.select", type="select", options=options, key=("a", "b"), **common),
        Item(id="x.grid", type="grid", mode="attribution", columns=(Column("A", "Source A"), Column("B", "B")),
             rows=(GridRow("r1", "t", ("A",), "f", "claim-1"), GridRow("r2", "t", ("A", "B"))), **common),
        Item(id="x.mark", type="mark", source="B", paragraph=6, passage="p q", job="hedging",
             spans=(Span("s1", "p", "f"), Span("s2", "q")), key=("s1",), **common),
        Item(id="x.numeric", type="numeric", answer=Fraction(41, 20), tolerance_abs=Fraction(1, 200),
             tolerance_rel=Fraction(1, 100), unit="percent", outcome_feedback={"correct": "y", "incorrect": "n"},
             **common),
        Item(id="x.zero", type="numeric", answer=Fraction(0), unit="", **common),
        Item(id="x.order", type="order", events=(Option("e1", "E1"), Option("e2", "E2")), key=("e2", "e1"),
             outcome_feedback={"correct": "y", "partial": "p", "incorrect": "n"}, **common),
        Item(id="x.two", type="two-part", part_a=Part("A?", options, "a"), part_b=Part("B?", options, "b"),
             **common),
        RUBRIC_ITEM,
    ]


@pytest.mark.parametrize("item", full_items(), ids=lambda item: item.id)
def test_item_round_trips_through_to_dict(item):
    data = json.loads(json.dumps(item.to_dict(with_keys=True)))  # through real JSON, as the browser sees it
    assert item_from_dict(data) == item


@pytest.mark.parametrize("data", VECTOR_ITEMS[::7], ids=lambda d: d["id"])
def test_vector_items_round_trip(data):
    item = item_from_dict(data)
    assert item_from_dict(json.loads(json.dumps(item.to_dict()))) == item


def test_item_from_dict_reads_decimals_floats_and_single_keys():
    item = item_from_dict({"id": "n.1", "type": "numeric", "skill": "numeracy", "sources": ["A"], "stem": "?",
                           "answer": 2.05, "tolerance_abs": "0.005", "points": "5/2"})
    assert (item.answer, item.tolerance_abs, item.points) == (Fraction(41, 20), Fraction(1, 200), Fraction(5, 2))
    select = item_from_dict({"id": "s.1", "type": "select", "skill": "sourcing", "sources": ["A"], "stem": "?",
                             "key": "a"})
    assert select.key == ("a",)
    with pytest.raises(ValueError, match="unknown item field"):
        item_from_dict({"id": "s.1", "type": "select", "skill": "sourcing", "sources": [], "stem": "?", "kye": 1})
    with pytest.raises(ValueError, match="points"):
        item_from_dict({"id": "s.1", "type": "select", "skill": "sourcing", "sources": [], "stem": "?",
                        "points": "lots"})


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12)
    | st.sampled_from(["a", "b", "r1", "A", "e1", "s1", "a2", "b3", "2.05%", "23,100", "text", "self", "claim"]),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(
        st.sampled_from(["a", "b", "r1", "r3", "text", "self", "claim", "x"]) | st.text(max_size=4), children,
        max_size=4),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(data=st.sampled_from(ONE_ITEM_PER_TYPE), response=JSON_VALUES)
def test_score_never_raises_on_any_json_value(data, response):
    item = item_from_dict(data)
    result = score(item, response)
    assert result.status in STATUSES
    assert 0 <= result.earned <= result.possible
    assert result.reason


_GRID_VALUES = st.one_of(st.sampled_from(["A", "B", "C", "", " ", "Z", None, 1, True, 1.0, 0, False]),
                         st.lists(st.sampled_from(["A", "B", "C", "Z", "", "1", "True", 1, True]), max_size=4),
                         st.just([["A"]]), st.just({"A": 1}))


@settings(max_examples=400, deadline=None)
@given(st.lists(st.dictionaries(st.sampled_from(["r1", "r2", "r3", "r4", "r9"]), _GRID_VALUES, max_size=5),
                min_size=1, max_size=12))
@example([{"r1": None}, {"r1": ["A", "C"]}])  # the same row results, unanswered, then answered and wrong
def test_a_grid_scores_each_value_as_if_seen_for_the_first_time(responses):
    """A grid keeps the outcome of each row value and each row pattern it has seen (the grader scores thousands).
    Whatever came before, a response must score exactly as it does on a fresh copy of the item, which has seen
    nothing: values equal as keys (1, 1.0 and True; "A" and ["A"]) must not borrow each other's outcome wrongly."""
    grid = next(item for item in VECTOR_ITEMS if item["type"] == "grid")
    seasoned = item_from_dict(grid)
    for response in responses:
        assert score(seasoned, response) == score(item_from_dict(grid), response), response


def test_a_grid_keeps_apart_values_that_look_alike():
    grid = next(item for item in VECTOR_ITEMS if item["type"] == "grid")
    alike = [1, True, 1.0, 0, False, "1", "True", "A", ["A"], [1], ["1"], [True], ["True"], "", " ", None, [], [""],
             ["A", "A"], ["A", "C"], ["C", "A"], [["A"]], {"A": 1}, ("A",), ("A", "C"), ()]
    for first in alike:
        for second in alike:
            seasoned = item_from_dict(grid)
            for value in (first, second):
                response = {"r3": value, "r1": "A"}
                assert score(seasoned, response) == score(item_from_dict(grid), response), (first, second)
