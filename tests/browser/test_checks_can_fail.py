"""The page checks catch what they are for: on a deliberately broken page HTML_CodeSniffer reports a duplicate id
and a form without a submit button, and the ``open_page`` fixture records a console error, a console warning, a
script error and a missing local file (which fail any test whose page was not opened with ``expect_errors=True``).
The Nu HTML checker's own broken page is in test_valid_html.py."""

from __future__ import annotations

import pytest
from conftest import Edition, run_htmlcs, unexpected_problems

pytestmark = pytest.mark.browser

BROKEN = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Broken on purpose</title>
<script src="missing.js"></script></head>
<body><main><h1>Broken on purpose</h1>
<p id="twice">One.</p><p id="twice">Two.</p>
<form action="#"><label>Name <input type="text" name="q"></label></form>
<script>console.error("deliberate error"); console.warn("deliberate warning");</script>
<script>throw new Error("deliberate throw");</script>
</main></body></html>
"""


def test_htmlcs_and_the_console_check_catch_a_broken_page(tmp_path, open_page, htmlcs_source):
    html = tmp_path / "out" / "_build" / "html"
    html.mkdir(parents=True)
    (html / "broken.html").write_text(BROKEN, "utf-8")
    edition = Edition("broken", tmp_path, tmp_path / "out", [])
    opened = open_page(edition, "broken.html", expect_errors=True)

    codes = [m["code"] for m in run_htmlcs(opened.page, htmlcs_source)]
    assert any(code.endswith(".F77") for code in codes), codes  # duplicate id
    assert any(code.endswith(".H32.2") for code in codes), codes  # form without a submit button

    opened.page.wait_for_timeout(100)
    problems = "\n".join(opened.problems())
    for expected in ("console error: deliberate error", "console warning: deliberate warning",
                     "script error", "deliberate throw", "local file did not load", "missing.js"):
        assert expected in problems, f"{expected!r} not recorded:\n{problems}"
    assert unexpected_problems([opened]) == []
    opened.expect_errors = False
    assert len(unexpected_problems([opened])) == len(opened.problems()) >= 4
    opened.expect_errors = True  # the fixture's teardown must not fail this test for the page it broke on purpose
