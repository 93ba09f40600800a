"""The three editions built by `make editions`: pages present, and no secret in any file of the assessment build."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from sourcework.core.corpus import load_corpus
from sourcework.core.items import load_exercises
from sourcework.core.model import Item

ROOT = Path(__file__).resolve().parent.parent
EDITIONS = ROOT / "_build" / "editions"
pytestmark = pytest.mark.build


def html_root(edition: str) -> Path:
    path = EDITIONS / edition / "_build" / "html"
    if not (path / "index.html").exists():
        pytest.fail(f"{path} is missing: run `make editions` first (make test does)")
    return path


def secrets(item: Item) -> set[str]:
    """Every text that only a key-holding edition may show: feedback, explanations, anchors, notes."""
    found = {item.explanation, item.teaching_note, *item.outcome_feedback.values()}
    found |= {o.feedback for o in item.options} | {r.feedback for r in item.rows} | {s.feedback for s in item.spans}
    for part in (item.part_a, item.part_b):
        if part:
            found |= {o.feedback for o in part.options}
    found |= {level.anchor for criterion in item.rubric for level in criterion.levels}
    return {s for s in found if len(s) >= 25}


def public_texts(item: Item) -> str:
    """Everything an assessment page shows on purpose: a secret that is also one of these is no secret."""
    texts = [item.stem, item.passage, *(o.text for o in item.options), *(r.text for r in item.rows),
             *(s.text for s in item.spans), *(e.text for e in item.events), *(e.text for e in item.excerpts)]
    for part in (item.part_a, item.part_b):
        if part:
            texts += [part.stem, *(o.text for o in part.options)]
    for criterion in item.rubric:
        texts += [criterion.criterion, *(lv.descriptor for lv in criterion.levels)]
    return "\n".join(texts)


def forms(text: str) -> set[str]:
    """How a text may appear in a file: as is, HTML-escaped (with or without quotes), JSON-escaped."""
    head = text[:200]
    return {head, html.escape(head), json.dumps(head)[1:-1], html.escape(head, quote=False)}


def test_assessment_build_contains_no_key_explanation_or_anchor_anywhere():
    root = html_root("assessment")
    sets, problems = load_exercises(ROOT, load_corpus(ROOT))
    assert not problems
    shown = "\n".join(public_texts(item) for item_set in sets for item in item_set.items)
    needles = {needle for item_set in sets for item in item_set.items for s in secrets(item)
               if s[:200] not in shown for needle in forms(s)}
    assert len(needles) > 100
    files = [p for p in root.rglob("*") if p.is_file() and p.suffix in (".html", ".js", ".json", ".txt", ".css", ".md")]
    assert len(files) > 20
    leaks = []
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        leaks += [f"{path.relative_to(root)}: {needle[:40]!r}" for needle in needles if needle in text]
        for block in re.findall(r'<script type="application/json" class="sw-data">(.*?)</script>', text, re.S):
            data = json.loads(block.replace("<\\/", "</"))
            assert not ({"key", "feedback", "explanation", "answer", "anchor"} & set(_all_keys(data))), path
    assert leaks == []
    assert not (root / "_sources").exists(), "html_copy_source must be false"


def _all_keys(data: object) -> list[str]:
    if isinstance(data, dict):
        return [*data.keys(), *(k for v in data.values() for k in _all_keys(v))]
    if isinstance(data, list):
        return [k for v in data for k in _all_keys(v)]
    return []


def test_instructor_edition_shows_keys_and_the_answer_key_page():
    root = html_root("instructor")
    guide = (root / "book" / "instructor-guide.html").read_text(encoding="utf-8")
    assert "sw-answer-key" in guide and "Anchor:" in guide
    practice_guide = (html_root("practice") / "book" / "instructor-guide.html").read_text(encoding="utf-8")
    assert "sw-answer-key" not in practice_guide and "sw-instructor-only" not in practice_guide


@pytest.mark.parametrize("edition", ["practice", "assessment", "instructor"])
def test_every_toc_page_is_built_in_every_edition(edition):
    root = html_root(edition)
    toc = (ROOT / "_toc.yml").read_text(encoding="utf-8")
    for docname in re.findall(r"file:\s*(\S+)", toc):
        assert (root / f"{docname}.html").exists(), f"{edition}: {docname}.html missing"
