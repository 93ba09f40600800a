"""A teacher's walk-through of the class-grading page, done as a new user would, in Chromium, offline.

Steps: (unzip the instructor bundle, when ``SW_WALKTHROUGH_ZIP`` names one), open the site's start page, reach the
grading page by links only, load the class zip (Canvas's "Download Submissions"), score two written answers, export
the Canvas import file. Each step's duration goes to ``test-artifacts/walkthrough.json``; the times are recorded,
never asserted (the machine is shared).

The site is the ``site_root`` fixture: the instructor edition's build folder by default, the folder
``SW_WALKTHROUGH_SITE`` names, or the unzipped ``SW_WALKTHROUGH_ZIP`` (a ``make dist`` instructor bundle); a
``conftest.py`` may override the fixture too.
"""

from __future__ import annotations

import json
import os
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import ARTIFACTS, is_redirect
from test_grade_page import (
    STUDENTS,
    canvas_export,
    criteria_count,
    make_class,
    saved_download,
    score_current,
    scored_text,
    wait_graded,
)

pytestmark = pytest.mark.browser


@dataclass
class Site:
    """What ``open_page`` needs of an edition: the folder holding the site's HTML."""

    html: Path
    name: str = "site"


class Steps:
    """Times named steps (wall clock, seconds)."""

    def __init__(self) -> None:
        self.times: list[dict[str, object]] = []

    def step(self, name: str):
        steps = self

        class _Step:
            def __enter__(self):
                self.start = time.perf_counter()

            def __exit__(self, *exc):
                steps.times.append({"step": name, "seconds": round(time.perf_counter() - self.start, 3),
                                    "ok": exc[0] is None})
                return False

        return _Step()


def _site_folder(folder: Path) -> Path:
    """The folder of an unzipped bundle that holds the start page (index.html), at any depth."""
    for index in sorted(folder.rglob("index.html"), key=lambda p: len(p.parts)):
        return index.parent
    pytest.fail(f"no index.html in {folder}", pytrace=False)


@pytest.fixture
def site_root(editions, tmp_path, request) -> Path:
    """The instructor site to walk through (see the module's docstring)."""
    bundle = os.environ.get("SW_WALKTHROUGH_ZIP")
    if bundle:
        request.node.sw_unzip_seconds = None
        start = time.perf_counter()
        with zipfile.ZipFile(bundle) as z:
            z.extractall(tmp_path / "bundle")
        request.node.sw_unzip_seconds = round(time.perf_counter() - start, 3)
        return _site_folder(tmp_path / "bundle")
    chosen = os.environ.get("SW_WALKTHROUGH_SITE")
    return Path(chosen).resolve() if chosen else editions["instructor"].html


def test_teacher_walkthrough(site_root, editions, open_page, tmp_path, request):
    steps = Steps()
    unzip = getattr(request.node, "sw_unzip_seconds", None)
    if unzip is not None:
        steps.times.append({"step": "unzip the instructor bundle", "seconds": unzip, "ok": True})
    klass = make_class(editions["instructor"], tmp_path / "from-canvas")
    export = canvas_export(tmp_path / "canvas-gradebook.csv")
    site = Site(site_root)
    try:
        with steps.step("open the start page"):
            opened = open_page(site, "index.html", wait=False)
            page = opened.page
            start = (site_root / "index.html").as_uri()
            if is_redirect(site_root / "index.html"):  # the site's top page sends the reader into the book
                page.wait_for_url(lambda url: url != start, timeout=10000)
            opened.ready()
        with steps.step("find the grading page by links"):
            link = page.get_by_role("link", name="Grade a class").first
            link.click()
            page.wait_for_selector("#swg-files")
            assert page.url.endswith("grade-class.html"), page.url
        with steps.step("load the class zip"):
            page.set_input_files("#swg-files", str(klass.zip))
            wait_graded(page)
            assert len(page.locator("#swg-table tbody tr").all()) == len(STUDENTS)
        with steps.step("score two written answers"):
            score_current(page, [2] * criteria_count(page))
            page.fill("#swg-comment", "Clear and well cited.")
            page.click('[data-swg="next"]')
            score_current(page, [1] * criteria_count(page))
            assert scored_text(page).startswith("2 of")
        with steps.step("export the Canvas CSV"):
            page.set_input_files("#swg-canvas-file", str(export))
            made = saved_download(page, "#swg-canvas", tmp_path / "downloads")
            assert made.read_text("utf-8").startswith("Student,ID,SIS User ID,SIS Login ID,Section")
            assert "s005" in (page.text_content("#swg-unmatched") or "")
    finally:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        (ARTIFACTS / "walkthrough.json").write_text(json.dumps(
            {"site": str(site_root), "steps": steps.times,
             "total_seconds": round(sum(float(s["seconds"]) for s in steps.times), 3)}, indent=1) + "\n", "utf-8")
