"""Valid HTML: the W3C Nu HTML checker (vnu-jar, pinned in package.json; Java from Debian) finds no error in any
HTML file of the three built editions, the redirect stub at the top included.

One JVM run checks every file of every edition, together with a deliberately broken page: the checker must report
that page's errors, so a checker that silently checks nothing cannot pass the test. Only the theme's template
fragments under ``_static/`` (Jinja macros, never served as pages) are left out. No message is filtered.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import vnu
from conftest import EDITIONS

pytestmark = pytest.mark.browser

BROKEN = """<html><head><meta charset="utf-8"></head><body><main><h1>Set</h1>
<section id="q1"><h3>Question 1</h3></section><p id="q1">again</p>
<details><summary><p>Show code</p></summary></details></main></body></html>
"""
BROKEN_ERRORS = ("doctype", "title", "skipping 1 heading level", "Duplicate ID “q1”", "“p” not allowed as child")


def html_files(html: Path) -> list[Path]:
    """Every HTML file a reader can reach: the pages and the redirect stubs, not ``_static/`` template fragments."""
    return [p for p in sorted(html.rglob("*.html")) if not p.relative_to(html).parts[0].startswith("_")]


def test_every_file_of_every_edition_is_valid_html(editions, tmp_path):
    reason = vnu.missing()
    if reason:
        pytest.fail(reason, pytrace=False)
    broken = tmp_path / "broken.html"
    broken.write_text(BROKEN, "utf-8")
    files = {name: html_files(editions[name].html) for name in EDITIONS}
    for name, found in files.items():
        assert len(found) > 10 and editions[name].html / "index.html" in found, f"{name}: {len(found)} files"
    found = vnu.problems(vnu.run_vnu([broken, *(f for group in files.values() for f in group)]))

    canary = [p for p in found if p.startswith(broken.as_posix())]
    missed = [e for e in BROKEN_ERRORS if not any(e in p for p in canary)]
    assert not missed, f"the checker did not report {missed} on a broken page; it said: {canary}"
    errors = [p for p in found if p not in canary]
    assert not errors, f"{len(errors)} HTML error(s) (Nu HTML checker):\n" + "\n".join(errors)
