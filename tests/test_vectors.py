"""The shared scoring vectors (tests/vectors/*.json) through both scorers: Python's and the browser's.

Each vector is ``{name, item, response, expected: {earned, status, possible?}}``; the item is in
``Item.to_dict(with_keys=True)`` form. The browser scorer runs under Node (``tests/js/run_vectors.mjs``), loading the
files a page with every item type loads (``sw-core.js``, ``sw-lists.js`` and each ``sw-type-*.js``, as
``sphinx_ext.assets`` lists them), twice: as written in ``src/sourcework/static`` and minified as a build ships them.
Both must agree with the expectations and with Python's reason and display text.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from fractions import Fraction
from pathlib import Path

import pytest

from sourcework.core.model import ITEM_TYPES
from sourcework.core.numbers import format_points
from sourcework.core.scoring import STATUSES, memo_keyer, score
from sourcework.core.serial import item_from_dict
from sourcework.sphinx_ext.assets import STATIC, minify, scorer_files

ROOT = Path(__file__).resolve().parent.parent

VECTOR_DIR = ROOT / "tests" / "vectors"
VECTORS = [
    (path.name, case) for path in sorted(VECTOR_DIR.glob("*.json")) for case in json.loads(path.read_text("utf-8"))
]
IDS = [case["name"] for _, case in VECTORS]


def test_vectors_are_many_named_once_and_cover_every_type():
    assert len(VECTORS) >= 70
    assert len(set(IDS)) == len(IDS), "vector names must be unique: they key the Python/JS comparison"
    assert {case["item"]["type"] for _, case in VECTORS} == set(ITEM_TYPES)
    assert {case["expected"]["status"] for _, case in VECTORS} == set(STATUSES)


@pytest.mark.parametrize(("file", "case"), VECTORS, ids=IDS)
def test_python_scorer(file, case):
    item = item_from_dict(case["item"])
    result = score(item, case["response"])
    expected = case["expected"]
    assert (result.status, result.earned) == (expected["status"], Fraction(expected["earned"])), result.reason
    if "possible" in expected:
        assert result.possible == Fraction(expected["possible"])
    assert 0 <= result.earned <= result.possible
    assert result.reason.endswith(".") and not result.reason[0].islower()


@pytest.fixture(scope="module", params=["readable", "minified"])
def browser_results(request, tmp_path_factory) -> dict[str, dict]:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    folder = STATIC
    if request.param == "minified":
        folder = tmp_path_factory.mktemp("minified")
        for name in scorer_files():
            shipped = minify(name, (STATIC / name).read_text("utf-8"))
            assert len(shipped) < len((STATIC / name).read_text("utf-8")), f"{name} was not minified"
            (folder / name).write_text(shipped, "utf-8")
    completed = subprocess.run(
        [node, str(ROOT / "tests" / "js" / "run_vectors.mjs"), str(folder), *scorer_files()],
        capture_output=True, text=True, encoding="utf-8", timeout=120, check=False,
    )
    assert completed.returncode == 0, completed.stderr
    return {row["name"]: row for row in json.loads(completed.stdout)}


@pytest.mark.parametrize(("file", "case"), VECTORS, ids=IDS)
def test_browser_scorer_matches(browser_results, file, case):
    row = browser_results[case["name"]]
    expected = case["expected"]
    assert (row["status"], Fraction(row["earned"])) == (expected["status"], Fraction(expected["earned"])), row
    python = score(item_from_dict(case["item"]), case["response"])
    # Same sentence and same displayed points, so a student sees the same feedback online and in the gradebook.
    assert row["reason"] == python.reason
    assert row["possible"] == str(python.possible)
    assert row["display"] == format_points(python.earned)


def _variants(response):
    """The response, plus copies of it that differ where the memo key says they should not matter (an essay's
    wording, keeping it written or blank), and a few that must matter."""
    out = [response, None, [], {}, "", "x", ["x"], {"x": "y"}]
    if isinstance(response, dict):
        text = response.get("text")
        if isinstance(text, str):
            out.append({**response, "text": text + " And more words." if text.strip() else text + "\u00a0 "})
            out.append({**response, "text": "A different answer entirely."})
            out.append({**response, "text": " \t"})
        out.append({**response, "text": 5})
        out.append({k: v for k, v in response.items() if k != "self"})
        out.append({**response, "extra": "ignored"})
    return out


def test_memo_key_gives_equal_scores_for_equal_keys():
    """The grader scores each distinct memo key once per run, so equal keys must mean equal scores, every field."""
    shared = 0
    for _file, case in VECTORS:
        item = item_from_dict(case["item"])
        by_key: dict[str, tuple[object, object]] = {}
        for response in _variants(case["response"]):
            result = score(item, response)
            key = memo_keyer(item)(response)
            if key in by_key:
                shared += 1
                assert by_key[key][0] == result, (case["name"], by_key[key][1], response)
            else:
                by_key[key] = (result, response)
    assert shared >= 20  # the essays' rewordings share keys: the test compares something


def test_memo_key_separates_what_scores_differently():
    response_items = [item_from_dict(case["item"]) for _f, case in VECTORS if case["item"]["type"] == "response"]
    memo_key = memo_keyer(response_items[0])
    written, blank = {"text": "An answer."}, {"text": "  "}
    assert memo_key(written) != memo_key(blank)
    assert memo_key(written) == memo_key({"text": "Another answer."})
    assert memo_key("choice-a") != memo_key(["choice-a"])
