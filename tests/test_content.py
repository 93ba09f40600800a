"""Content rules for the module: coverage of item types and skills, copyright, reading level, typed numbers."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import textstat

from sourcework.core.corpus import load_corpus
from sourcework.core.items import load_exercises
from sourcework.core.model import ITEM_TYPES, SKILLS

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = sorted((ROOT / "book").glob("ch[0-9]-*.md"))
CORPUS = load_corpus(ROOT)
SETS, PROBLEMS = load_exercises(ROOT, CORPUS)
ITEMS = [item for item_set in SETS for item in item_set.items]
CHAPTER_SETS = [s for s in SETS if s.id not in ("demo",)]


def test_exercises_have_no_problems():
    assert [str(p) for p in PROBLEMS] == []


def test_enough_graded_items_over_enough_sets():
    graded = [i for s in CHAPTER_SETS for i in s.items]
    assert len(CHAPTER_SETS) >= 7 and len(graded) >= 60, (len(CHAPTER_SETS), len(graded))


def test_every_type_three_times_and_every_skill_four_times():
    graded = [i for s in CHAPTER_SETS for i in s.items]
    types, skills = Counter(i.type for i in graded), Counter(i.skill for i in graded)
    assert {t: types[t] for t in ITEM_TYPES if types[t] < 3} == {}
    assert {s: skills[s] for s in SKILLS if skills[s] < 4} == {}


def test_demo_set_has_two_items_of_every_type():
    demo = next(s for s in SETS if s.id == "demo")
    types = Counter(i.type for i in demo.items)
    assert all(types[t] >= 2 for t in ITEM_TYPES), types


def test_every_chapter_set_has_a_rubric_scored_response_and_sourcing_two_parts():
    for item_set in CHAPTER_SETS:
        assert any(i.type == "response" for i in item_set.items), item_set.id
    assert any(i.type == "two-part" and i.skill == "sourcing" for i in ITEMS)


def _named_item_ids(text: str) -> list[str]:
    """Backticked ``set.item`` ids in a page: the prefix is a set id or looks like one (chN-..., demo, review)."""
    set_ids = {s.id for s in SETS}
    looks_like_set = re.compile(r"ch\d+-[a-z0-9-]+|demo|review")
    return [f"{prefix}.{name}" for prefix, name in re.findall(r"`([a-z][a-z0-9-]*)\.([a-z][a-z0-9-]*)`", text)
            if prefix in set_ids or looks_like_set.fullmatch(prefix)]


def test_item_ids_named_in_the_book_exist():
    """Every item id a page names (e.g. in the instructor guide's one-period paths) is an item in exercises/."""
    known = {item.id for item in ITEMS}
    missing = [f"{path.relative_to(ROOT)}: {item_id}" for path in sorted((ROOT / "book").rglob("*.md"))
               for item_id in _named_item_ids(path.read_text(encoding="utf-8")) if item_id not in known]
    assert missing == []


def test_item_id_check_catches_a_wrong_id():
    ids = _named_item_ids("Assign `ch5-numbers.arrest-rate` and `ch5-numbers.no-such-item`; see `law.yml`.")
    assert ids == ["ch5-numbers.arrest-rate", "ch5-numbers.no-such-item"]
    assert "ch5-numbers.no-such-item" not in {item.id for item in ITEMS}


def _references() -> set[tuple[str, int]]:
    """Every (label, paragraph) that a chapter or an item quotes or references."""
    found: set[tuple[str, int]] = set()
    pattern = re.compile(r"\{(?:para|sq)\}`\s*([A-E])\s*¶?\s*(\d+)|\{source-quote\}\s*([A-E])\s*¶?\s*(\d+)")
    for path in [*(ROOT / "book").rglob("*.md"), *(ROOT / "exercises").glob("*.md")]:
        for match in pattern.finditer(path.read_text(encoding="utf-8")):
            label, number = (match.group(1), match.group(2)) if match.group(1) else (match.group(3), match.group(4))
            found.add((label, int(number)))
    for item in ITEMS:
        found.update((e.source, e.paragraph) for e in item.excerpts)
        if item.type == "mark":
            found.add((item.source, item.paragraph))
    return found


@pytest.mark.parametrize("label", [lab for lab, s in sorted(CORPUS.sources.items()) if s.meta["reuse"] == "excerpts"])
def test_every_reproduced_paragraph_of_a_copyrighted_source_is_analysed(label):
    referenced = _references()
    unused = [n for n in CORPUS.sources[label].paragraphs if (label, n) not in referenced]
    assert unused == [], f"Source {label} reproduces paragraphs no chapter or item uses: {unused}"


def prose(text: str) -> str:
    """A chapter's own prose: no front matter, code, directives, roles' targets, quotations or tables."""
    text = re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.S)
    text = re.sub(r"^(`{3,}|:{3,})[^\n]*\n.*?^\1\s*$", "", text, flags=re.S | re.M)
    text = re.sub(r"\{sq\}`[^`]*`", "the quotation", text)
    text = re.sub(r"\{(?:term|doc|para|source|fig|cite:p|cite:t|glue:text|ref)\}`([^`<]*?)(?:<[^`]*>)?`",
                  lambda m: m.group(1) or "it", text)
    text = re.sub(r"“[^”]*”|\"[^\"]*\"", "the quotation", text)
    lines = [ln for ln in text.splitlines() if not ln.lstrip().startswith(("|", "#", "<", "+++", "%"))]
    return "\n".join(lines)


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_chapter_reading_level_is_grade_9_to_13(path):
    grade = textstat.flesch_kincaid_grade(prose(path.read_text(encoding="utf-8")))
    assert 9 <= grade <= 13, f"{path.name}: Flesch–Kincaid grade {grade:.1f}"


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_chapter_opens_with_objectives_time_and_key_terms(path):
    head = path.read_text(encoding="utf-8")[:4000].lower()
    assert "learning objectives" in head or "you will be able to" in head, path.name
    assert "minutes" in head, f"{path.name}: no time estimate"
    assert "{term}" in head, f"{path.name}: key terms not linked to the glossary"


def test_source_figures_are_never_typed_by_hand_in_prose():
    """A number that figures.yml holds must reach prose through {fig}, never typed (e.g. '23,100' or '474')."""
    values = {f.display.replace("more than ", "").strip() for f in CORPUS.figures.values()}
    values = {v for v in values
              if re.fullmatch(r"[\d,.]+%?", v) and len(v) >= 3 and not re.fullmatch(r"(19|20)\d\d", v)}
    offenders = []
    for path in [*CHAPTERS, *(ROOT / "book").glob("*.md")]:
        text = prose(path.read_text(encoding="utf-8"))
        text = re.sub(r"\{fig\}`[^`]*`", "", text)
        for value in values:
            if re.search(rf"(?<![\w.,]){re.escape(value)}(?![\w,])", text):
                offenders.append(f"{path.name}: {value}")
    assert offenders == []


def test_shown_option_order_does_not_give_the_key_away():
    """Authors write the key first; the stable shuffle must spread keys across positions and never pre-solve order."""
    from sourcework.core.render import shown_events, shown_options

    firsts = [shown_options(i)[0].id == i.key for i in ITEMS if i.type == "choice"]
    assert len(firsts) >= 20 and sum(firsts) / len(firsts) < 0.5
    for item in (i for i in ITEMS if i.type == "order"):
        assert tuple(e.id for e in shown_events(item)) != tuple(item.key), item.id
