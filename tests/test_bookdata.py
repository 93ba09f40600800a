"""The book JSON the class-grading page embeds (grader/bookdata.py): no Sphinx, every key the engine needs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from sourcework.core.corpus import load_corpus
from sourcework.core.items import load_exercises
from sourcework.core.model import content_hash
from sourcework.core.serial import item_from_dict
from sourcework.grader.bookdata import BOOK_FORMAT, book_json
from sourcework.grader.results import GradeRun

MINI = Path(__file__).resolve().parent / "books" / "mini"


def test_book_json_holds_what_the_engine_needs() -> None:
    sets, problems = load_exercises(MINI, load_corpus(MINI))
    assert not problems
    data = book_json(sets, title="Mini")
    assert json.loads(json.dumps(data)) == data  # JSON-ready
    assert data["format"] == BOOK_FORMAT and data["title"] == "Mini"
    assert data["content_hash"] == content_hash(sets)
    assert data["skills"] == GradeRun(sets=tuple(sets)).skills
    assert [s["id"] for s in data["sets"]] == [s.id for s in sets]
    for given, item_set in zip(data["sets"], sets, strict=True):
        assert given["title"] == item_set.title and given["chapter"] == item_set.chapter
        assert given["items"] == [item.to_dict(with_keys=True) for item in item_set.items]
        for item_data, item in zip(given["items"], item_set.items, strict=True):
            rebuilt = item_from_dict(item_data)  # the instructor edition's sw-data: the full definition
            assert rebuilt.content_hash() == item.content_hash() == data["hashes"][item.id]
    levels = [lv for s in data["sets"] for i in s["items"] for c in i.get("rubric", []) for lv in c["levels"]]
    assert levels and any(lv.get("anchor") for lv in levels)  # the rubric screen shows the anchors


def test_bookdata_imports_no_sphinx() -> None:
    code = "import sys, sourcework.grader.bookdata; sys.exit(any(n.split('.')[0] == 'sphinx' for n in sys.modules))"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
