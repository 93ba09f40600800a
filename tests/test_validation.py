"""Item validation: each authoring mistake gives one located error (file, line, item id, what, how to fix)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sourcework.core.corpus import load_corpus
from sourcework.core.items import load_exercises, parse_item

ROOT = Path(__file__).resolve().parent.parent
CORPUS = load_corpus(ROOT)

CHOICE = """id: t.choice
type: choice
skill: sourcing
sources: [A]
stem: Who published Source A?
options:
  - id: a
    text: ICE ERO
    feedback: Right, the agency itself.
  - id: b
    text: A newspaper
    feedback: No outlet is named.
key: a
"""

GRID = """id: t.grid
type: grid
skill: corroboration
sources: [A, D]
stem: Which source says it?
mode: attribution
columns:
  - {id: A, label: Source A}
  - {id: D, label: Source D}
rows:
  - id: r1
    text: The first SAFE workshop was held at ILEA in San Salvador.
    key: A
    claim: a-first-workshop
    feedback: Source A reports the workshop.
"""

MARK = """id: t.mark
type: mark
skill: close-reading
sources: [A]
stem: Mark the framing words.
source: A
paragraph: 3
passage: "SAFE is intended to keep the streets of the U.S. and El Salvador safe by identifying fugitives"
job: framing
spans:
  - {id: s1, text: "keep the streets", feedback: A safety image.}
  - {id: s2, text: "fugitives", feedback: A label that presumes guilt of flight.}
key: [s1, s2]
"""

NUMERIC = """id: t.num
type: numeric
skill: numeracy
sources: [D]
stem: What percent of vetted cases led to an arrest?
answer: 2.05
tolerance: {abs: 0.01}
unit: percent
feedback: {correct: Yes, 474 / 23100., incorrect: Divide arrests by vetted cases.}
"""

ORDER = """id: t.order
type: order
skill: contextualization
sources: [A, D]
stem: Put these in order.
events:
  - {id: e1, text: SAFE pilot}
  - {id: e2, text: Interpol Mexico joins}
  - {id: e3, text: First SAFE workshop}
key: [e1, e2, e3]
feedback: {correct: Right., partial: Close., incorrect: Check the dates.}
"""

RESPONSE = """id: t.resp
type: response
skill: synthesis
sources: [A, C]
stem: Compare the sources.
rubric:
  - id: claim
    criterion: Makes a claim
    levels:
      - {points: 2, label: Proficient, descriptor: Clear claim, anchor: Source A frames SAFE as...}
      - {points: 1, label: Emergent, descriptor: Vague claim, anchor: They disagree.}
      - {points: 0, label: Basic, descriptor: No claim, anchor: I like it.}
"""


def problems_of(body: str, set_id: str = "t") -> list[str]:
    item, problems = parse_item(body, path="exercises/t.md", first_line=10, corpus=CORPUS, set_id=set_id)
    assert (item is None) == bool(problems)
    return [str(p) for p in problems]


@pytest.mark.parametrize("body", [CHOICE, GRID, MARK, NUMERIC, ORDER, RESPONSE])
def test_valid_items_have_no_problems(body):
    assert problems_of(body) == []


MISTAKES = {
    "yaml-syntax": (CHOICE.replace("stem: Who published Source A?", "stem: [Who published"),
                    "exercises/t.md:", "YAML syntax error"),
    "unknown-key-typo": (CHOICE.replace("key: a", "kye: a"), "exercises/t.md:22: [t.choice] unknown key 'kye'",
                         "Check the spelling"),
    "missing-stem": (CHOICE.replace("stem: Who published Source A?\n", ""), "exercises/t.md:10: [t.choice]",
                     "the item has no 'stem'"),
    "unknown-type": (CHOICE.replace("type: choice", "type: quiz"), "exercises/t.md:11:", "unknown item type 'quiz'"),
    "bad-id": (CHOICE.replace("id: t.choice", "id: Choice One"), "exercises/t.md:10:", "is not of the form"),
    "id-wrong-set": (CHOICE.replace("id: t.choice", "id: other.choice"), "exercises/t.md:10:",
                     "does not start with this file's set id 't'"),
    "key-names-missing-option": (CHOICE.replace("key: a", "key: c"), "exercises/t.md:22: [t.choice]",
                                 "the key names option 'c', which does not exist"),
    "option-without-feedback": (CHOICE.replace("    feedback: No outlet is named.\n", ""),
                                "exercises/t.md:19: [t.choice]", "option 'b' has no feedback"),
    "duplicate-option-id": (CHOICE.replace("  - id: b", "  - id: a"), "exercises/t.md:19:",
                            "option id 'a' is used twice"),
    "unknown-skill": (CHOICE.replace("skill: sourcing", "skill: vibes"), "exercises/t.md:12:", "unknown skill 'vibes'"),
    "unknown-source": (CHOICE.replace("sources: [A]", "sources: [Q]"), "exercises/t.md:13:", "unknown source 'Q'"),
    "non-positive-points": (CHOICE + "points: 0\n", "exercises/t.md:23:", "points must be a positive number"),
    "grid-key-disagrees-with-claims": (GRID.replace("    key: A\n", "    key: D\n"), "exercises/t.md:22: [t.grid]",
                                       "claims.yml attributes 'a-first-workshop' to Source A"),
    "grid-row-without-claim": (GRID.replace("    claim: a-first-workshop\n", ""), "exercises/t.md:20:",
                               "does not name its claim"),
    "grid-unknown-claim": (GRID.replace("claim: a-first-workshop", "claim: a-nothing"), "exercises/t.md:23:",
                           "names unknown claim 'a-nothing'"),
    "grid-unknown-column": (GRID.replace("    key: A\n", "    key: [A, Z]\n"), "exercises/t.md:22:",
                            "the key names column 'Z'"),
    "mark-passage-not-verbatim": (MARK.replace("keep the streets of", "keep the roads of").replace(
        "text: \"keep the streets\"", "text: \"keep the roads\""), "exercises/t.md:17: [t.mark]",
        "mark passage: the quotation is not verbatim in Source A ¶3"),
    "mark-span-not-in-passage": (MARK.replace("text: \"fugitives\"", "text: \"criminals\""), "exercises/t.md:21:",
                                 "span 's2' ('criminals') does not occur in the passage"),
    "mark-paragraph-out-of-range": (MARK.replace("paragraph: 3", "paragraph: 42"), "exercises/t.md:17:",
                                    "Source A has no reproduced paragraph 42"),
    "numeric-without-tolerance": (NUMERIC.replace("tolerance: {abs: 0.01}\n", ""), "exercises/t.md:10: [t.num]",
                                  "a numeric item needs a tolerance"),
    "numeric-without-unit": (NUMERIC.replace("unit: percent\n", ""), "exercises/t.md:10: [t.num]",
                             "a numeric item needs a unit"),
    "numeric-answer-not-number": (NUMERIC.replace("answer: 2.05", "answer: two"), "exercises/t.md:15:",
                                  "answer 'two' is not a number"),
    "order-repeated-event": (ORDER.replace("{id: e3, text: First SAFE workshop}", "{id: e3, text: SAFE pilot}"),
                             "exercises/t.md:18:", "event text 'SAFE pilot' is repeated"),
    "order-key-repeats": (ORDER.replace("key: [e1, e2, e3]", "key: [e1, e1, e3]"), "exercises/t.md:19:",
                          "the order key repeats an event"),
    "outcome-feedback-missing": (ORDER.replace(" partial: Close.,", ""), "exercises/t.md:20:",
                                 "outcome feedback missing for: partial"),
    "rubric-level-without-anchor": (RESPONSE.replace(", anchor: They disagree.", ""), "exercises/t.md:20:",
                                    "level 'Emergent' has no anchor answer"),
    "excerpt-not-verbatim": (CHOICE + "excerpt:\n  - {source: A, paragraph: 3, text: \"SAFE keeps us safe\"}\n",
                             "exercises/t.md:24:", "excerpt: the quotation is not verbatim in Source A ¶3"),
}


@pytest.mark.parametrize("name", sorted(MISTAKES))
def test_each_mistake_gives_its_located_error(name):
    body, where, what = MISTAKES[name]
    problems = problems_of(body)
    assert problems, f"{name}: no problem reported"
    assert any(p.startswith(where) and what in p and "Fix:" in p for p in problems), problems


def test_at_least_fifteen_distinct_mistakes_are_covered():
    assert len(MISTAKES) >= 15


def _write(folder: Path, name: str, text: str) -> None:
    (folder / "exercises").mkdir(parents=True, exist_ok=True)
    (folder / "exercises" / name).write_text(text, encoding="utf-8")


def test_duplicate_ids_across_the_book_are_located(tmp_path):
    item = "```{item}\n" + CHOICE + "```\n"
    _write(tmp_path, "one.md", "```{exercise-set}\nid: t\ntitle: One\nchapter: c1\n```\n\n" + item)
    _write(tmp_path, "two.md", "```{exercise-set}\nid: t\ntitle: Two\nchapter: c2\n```\n\n" + item)
    sets, problems = load_exercises(tmp_path, CORPUS)
    messages = [str(p) for p in problems]
    assert any(m.startswith("exercises/two.md:1: set id 't' is also used in exercises/one.md:1") for m in messages)
    assert any(m.startswith("exercises/two.md:7: [t.choice] duplicate item id 't.choice' (first used at "
                            "exercises/one.md:7)") for m in messages), messages


def test_item_before_set_and_unknown_set_key_are_located(tmp_path):
    _write(tmp_path, "bad.md", "```{item}\n" + CHOICE + "```\n\n```{exercise-set}\nid: t\ntitle: T\nchapter: c\n"
           "colour: red\n```\n")
    _sets, problems = load_exercises(tmp_path, CORPUS)
    messages = [str(p) for p in problems]
    assert any(m.startswith("exercises/bad.md:1: an item before the exercise-set directive") for m in messages)
    assert any(m.startswith("exercises/bad.md:") and "unknown exercise-set key 'colour'" in m for m in messages)


def test_real_exercises_are_valid():
    sets, problems = load_exercises(ROOT, CORPUS)
    assert [str(p) for p in problems] == []
