"""The Nu HTML checker's report parser (tests/vnu.py); the checker itself runs on the editions in
tests/browser/test_valid_html.py, which also proves on a broken page that it can fail."""

from __future__ import annotations

from pathlib import Path

from vnu import ROOT, problems

REPORT = {"messages": [
    {"type": "error", "url": (ROOT / "_build/x/index.html").as_uri(), "lastLine": 1, "firstColumn": 1,
     "lastColumn": 58, "message": "Start tag seen without seeing a doctype first. Expected “<!DOCTYPE html>”."},
    {"type": "info", "subType": "warning", "url": (ROOT / "_build/x/a.html").as_uri(), "lastLine": 3,
     "message": "The “main” role is unnecessary for element “main”."},
    {"type": "info", "url": (ROOT / "_build/x/a.html").as_uri(), "lastLine": 4,
     "message": "Trailing slash on void elements has no effect."},
    {"type": "error", "url": "file:/elsewhere/b.html", "lastLine": 9, "firstColumn": 4,
     "message": "Duplicate ID “source-a”."},
    {"type": "non-document-error", "subType": "io", "url": (ROOT / "gone.html").as_uri(),
     "message": "File not found."},
]}


def test_errors_are_listed_with_file_line_and_message_and_advice_is_not():
    assert problems(REPORT) == [
        "_build/x/index.html:1:1: Start tag seen without seeing a doctype first. Expected “<!DOCTYPE html>”.",
        "/elsewhere/b.html:9:4: Duplicate ID “source-a”.",
        "gone.html:?:?: non-document-error (io): File not found.",
    ]


def test_file_urls_with_one_slash_are_read_too():
    """vnu writes ``file:/path`` (one slash); ``Path.as_uri`` writes ``file:///path``: both name the file."""
    one = {"messages": [{"type": "error", "url": f"file:{ROOT}/p.html", "lastLine": 2, "firstColumn": 1,
                         "message": "Stray end tag “div”."}]}
    assert problems(one) == ["p.html:2:1: Stray end tag “div”."]
    assert problems({"messages": []}) == [] and problems({}) == []
    assert Path(problems(REPORT, base=ROOT / "_build")[0].split(":")[0]) == Path("x/index.html")
