"""A teacher's walk-through of the class-grading page, done as a new user would, in Chromium, offline.

Steps: (unzip the instructor bundle, when ``SW_WALKTHROUGH_ZIP`` names one), open the site's start page, reach the
grading page by links only, load the class zip (Canvas's "Download Submissions"), score two written answers, export
the Canvas import file. Each step's duration goes to ``test-artifacts/walkthrough.json``; the times are recorded,
never asserted (the machine is shared).

The site is the ``site_root`` fixture: by default the instructor bundle that ``make dist``'s assembler makes from
this session's editions (the ``bundles`` fixture), unzipped by the test; else the unzipped ``SW_WALKTHROUGH_ZIP``
(another ``make dist`` instructor bundle) or the folder ``SW_WALKTHROUGH_SITE`` names.
"""

from __future__ import annotations

import json
import os
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse
from urllib.request import url2pathname

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


START_PAGES = ("START-HERE.html", "index.html")  # a make-dist bundle's first page, else the site's top page


def _site_folder(folder: Path) -> Path:
    """The folder of an unzipped bundle that holds its start page (``START_PAGES``), the shallowest."""
    found = [p for name in START_PAGES for p in folder.rglob(name)]
    if not found:
        pytest.fail(f"no {' or '.join(START_PAGES)} in {folder}", pytrace=False)
    return min(found, key=lambda p: len(p.parts)).parent


@pytest.fixture
def site_root(editions, tmp_path, request) -> Path:
    """The instructor site to walk through (see the module's docstring)."""
    chosen = os.environ.get("SW_WALKTHROUGH_SITE")
    if chosen:
        return Path(chosen).resolve()
    # by default the session's own instructor bundle (make dist's assembler over this session's editions): the walk
    # starts, as a teacher's does, from the zip alone
    bundle = os.environ.get("SW_WALKTHROUGH_ZIP") or str(request.getfixturevalue("bundles")["instructor"].archive)
    if bundle:
        request.node.sw_unzip_seconds = None
        start = time.perf_counter()
        with zipfile.ZipFile(bundle) as z:
            z.extractall(tmp_path / "bundle")
        request.node.sw_unzip_seconds = round(time.perf_counter() - start, 3)
        return _site_folder(tmp_path / "bundle")
    return editions["instructor"].html


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
            first = next(name for name in START_PAGES if (site_root / name).exists())
            opened = open_page(site, first, wait=False)
            page = opened.page
            page.wait_for_load_state("load")
            if first == "START-HERE.html":  # the bundle's note for the teacher links to the book
                page.locator("a[href$='index.html']").first.click()
                page.wait_for_load_state("load")
            here = page.url
            if here.startswith("file:") and is_redirect(Path(url2pathname(urlparse(here).path))):
                page.wait_for_url(lambda url: url != here, timeout=10000)  # a top page that sends on into the book
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
