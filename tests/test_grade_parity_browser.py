"""The grading engine in a real browser: headless Chromium loads the shipped (minified) sw-grade-*.js from file://, as
the class-grading page does, grades the hostile classes of tests/test_grade_parity.py, and must write what
`sourcework grade` writes (gradebook bytes, issues, feedback pages). The Node tests cover the rest; this one proves
the browser's own TextDecoder, crypto.subtle (on file://), fflate bundle and event-loop yields give the same."""

from __future__ import annotations

import base64
import shutil
from pathlib import Path
from typing import Any

import pytest
from test_grade_parity import MINI, _sets, engine_files, make_classes, python_class

from sourcework.grader.bookdata import book_json
from sourcework.sphinx_ext.assets import STATIC, minify

CHROMIUM = Path("/usr/bin/chromium")
GRADE = """async ({files, book, rubric}) => {
  const G = window.SourceworkGrader;
  const bytes = (b64) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  const given = files.map(([path, b64]) => ({path, bytes: bytes(b64)}));
  const options = {every: 3};
  if (rubric) {
    const read = G.rubricCsv.parseBytes(bytes(rubric), "rubric.csv");
    Object.assign(options, {rubricRows: read.rows, rubricIssues: read.issues, rubricName: "rubric.csv"});
  }
  const run = await G.gradeClass(G.expandInputs(given), book, options);
  const pages = await G.feedbackPages(run, book);
  const b64 = (text) => {
    let s = "";
    for (const x of new TextEncoder().encode(text)) s += String.fromCharCode(x);
    return btoa(s);
  };
  return {gradebook: b64(await G.gradebookCsvAsync(run, book)),
          issues: run.issues.map((i) => [i.path, i.level, i.message, i.fix]),
          feedback: pages.map((p) => [p.name, b64(p.html)])};
}"""


def _files(cwd: Path, inputs: list[str]) -> list[list[str]]:
    out = []
    for given in inputs:
        path = cwd / given
        found = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        out += [[p.relative_to(cwd).as_posix(), base64.b64encode(p.read_bytes()).decode()] for p in found]
    return out


@pytest.mark.skipif(not CHROMIUM.exists(), reason="chromium is not installed")
def test_chromium_grades_like_the_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chromium: Any) -> None:
    sets = _sets(MINI)
    site = tmp_path / "site"
    site.mkdir()
    for name in engine_files():
        (site / name).write_text(minify(name, (STATIC / name).read_text("utf-8")), "utf-8")
    scripts = "".join(f'<script src="{name}"></script>' for name in engine_files())
    (site / "index.html").write_text(f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>t</title>'
                                     f"{scripts}</head><body></body></html>", "utf-8")
    classes = [c for c in make_classes(tmp_path / "classes", sets) if c["name"] in ("hostile-folder", "zips")]
    book = book_json(sets, title="Mini")
    page = chromium.new_page()  # the session's one Chromium (tests/conftest.py)
    try:
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto((site / "index.html").as_uri())
        results = {}
        for cls in classes:
            cwd = tmp_path / "classes" / cls["name"]
            rubric = cls.get("rubric")
            results[cls["name"]] = page.evaluate(GRADE, {
                "files": _files(cwd, cls["inputs"]), "book": book,
                "rubric": base64.b64encode((cwd / rubric).read_bytes()).decode() if rubric else None})
        assert not errors, errors
    finally:
        page.close()
    for cls in classes:
        cwd = tmp_path / "classes" / cls["name"]
        py = python_class(cls, cwd, sets, monkeypatch, tmp_path / f"out-{cls['name']}")
        got = results[cls["name"]]
        assert base64.b64decode(got["gradebook"]) == py["gradebook"], cls["name"]
        assert got["issues"] == py["issues"], cls["name"]
        assert [[n, base64.b64decode(h)] for n, h in got["feedback"]] == [[n, b] for n, b in py["feedback"]]
    shutil.rmtree(site)
