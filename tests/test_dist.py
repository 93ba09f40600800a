"""The bundle assembler (``sourcework dist``, export/dist.py) on the small browser-test book, with stand-in sites.

No build: each "edition" is a few HTML files carrying what a real build's pages carry (``data-edition``,
``data-content-hash``, item data), so the checks and the zips are tested in a second. The real bundles, unzipped and
opened in a browser, are tested in tests/browser/test_bundles.py.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import shutil
import tomllib
import zipfile
from pathlib import Path

import pytest
import yaml

from sourcework import cli
from sourcework.core.corpus import load_corpus
from sourcework.core.items import load_exercises
from sourcework.core.model import content_hash
from sourcework.export import dist

ROOT = Path(__file__).resolve().parent.parent
BOOK = ROOT / "tests" / "books" / "browser"


@pytest.fixture
def book(tmp_path) -> Path:
    """A copy of the small book with a pyproject.toml (version 9.8.7)."""
    copy = tmp_path / "book"
    shutil.copytree(BOOK, copy, ignore=shutil.ignore_patterns("_build"))
    (copy / "pyproject.toml").write_text('[project]\nname = "x"\nversion = "9.8.7"\n', "utf-8")
    return copy


@pytest.fixture(scope="module")
def sets() -> list:
    """The small book's exercise sets, loaded once (the copies in ``book`` hold the same)."""
    found, problems = load_exercises(BOOK, load_corpus(BOOK))
    assert not problems
    return found


@pytest.fixture(scope="module")
def digest(sets) -> str:
    return content_hash(sets)


def refused(book: Path, sets: list, built: dict[str, Path], out: Path) -> str:
    """make_dist's refusal (DistError) as the command line prints it: every problem, one per line."""
    with pytest.raises(dist.DistError) as caught:
        dist.make_dist(book, sets=sets, out=out, handouts=built["handouts"],
                       sites={e: built["editions"] / e / "_build" / "html" for e in dist.EDITIONS})
    assert not out.exists() or not list(out.glob("*.zip"))
    return str(caught.value)


def page(edition: str, digest: str, body: str = "") -> str:
    return (f'<!DOCTYPE html><html lang="en"><head><title>p</title><script data-content-hash="{digest}" '
            f'data-edition="{edition}" src="../_static/sw-main.js"></script></head><body><main>{body}</main>'
            "</body></html>\n")


def make_site(where: Path, edition: str, digest: str, *, extra: str = "") -> Path:
    """A stand-in for ``_build/editions/<edition>/_build/html``: a redirect index, a first page, an exercise page."""
    data = {"id": "fixture.q1", "type": "choice", "stem": "Which?"}
    if edition != "assessment":
        data["key"] = "a"
    body = f'<section class="sw-item"><script type="application/json" class="sw-data">{json.dumps(data)}</script>'
    body += '</section><div class="sw-instructor">Explanation</div>' if edition == "instructor" else "</section>"
    files = {
        "index.html": '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Book</title>'
                      '<meta http-equiv="refresh" content="0; url=book/index.html"></head><body></body></html>\n',
        "book/index.html": page(edition, digest),
        "exercises/fixture.html": page(edition, digest, body + extra),
        "_static/favicon.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
        "_static/sw-main.js": "/* script */",
        ".buildinfo": "hidden",
    }
    for name, text in files.items():
        (where / name).parent.mkdir(parents=True, exist_ok=True)
        (where / name).write_text(text, "utf-8")
    return where


def make_handouts(where: Path) -> Path:
    for name in ("fixture.pdf", "second.pdf", "instructor-key.pdf", "organizers/lateral-reading.pdf"):
        (where / name).parent.mkdir(parents=True, exist_ok=True)
        (where / name).write_bytes(b"%PDF-1.4 stand-in " + name.encode())
    (where / "html").mkdir()
    (where / "html" / "fixture.html").write_text("<p>the print HTML: not bundled</p>", "utf-8")
    return where


@pytest.fixture
def built(digest, tmp_path) -> dict[str, Path]:
    editions = tmp_path / "editions"
    for edition in dist.EDITIONS:
        make_site(editions / edition / "_build" / "html", edition, digest)
    return {"editions": editions, "handouts": make_handouts(tmp_path / "handouts")}


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = cli.main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def dist_args(book: Path, built: dict[str, Path], out: Path) -> list[str]:
    return ["--root", str(book), "dist", "--editions", str(built["editions"]), "--handouts", str(built["handouts"]),
            "--out", str(out)]


def test_dist_writes_three_bundles_each_one_folder_opening_at_index(capsys, book, built, tmp_path):
    status, out, err = run(capsys, *dist_args(book, built, tmp_path / "dist"))
    assert status == 0, err
    names = {e: f"sourcework-9.8.7-{e}" for e in dist.EDITIONS}
    for edition, name in names.items():
        path = tmp_path / "dist" / f"{name}.zip"
        assert str(path) in out
        with zipfile.ZipFile(path) as archive:
            members = archive.namelist()
            assert archive.testzip() is None
            assert {m.split("/", 1)[0] for m in members} == {name}
            assert members == sorted(members)
            assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
            index = archive.read(f"{name}/index.html").decode()
            files = {m.removeprefix(f"{name}/") for m in members if not m.endswith("/")}
        assert 'content="0; url=site/book/index.html"' in index and 'href="site/_static/favicon.svg"' in index
        assert {"site/index.html", "site/book/index.html", "site/exercises/fixture.html"} <= files
        assert "site/.buildinfo" not in files
        teacher = {f for f in files if not f.startswith("site/")} - {"index.html"}
        if edition == "instructor":
            assert teacher >= {"START-HERE.html", "handouts/fixture.pdf", "handouts/second.pdf",
                               "handouts/instructor-key.pdf", "handouts/organizers/lateral-reading.pdf",
                               "answer-key/answer-key.md", "answer-key/answer-key.json", "qti/README.txt"}
            assert {"qti/fixture.zip", "qti/second.zip"} & teacher
            assert not any(f.startswith("handouts/html") for f in files)
        else:
            assert teacher == set(), f"{edition}: {teacher}"
    sums = (tmp_path / "dist" / "SHA256SUMS").read_text("utf-8").splitlines()
    assert len(sums) == 3
    for line in sums:
        digest, name = line.split("  ")
        assert hashlib.sha256((tmp_path / "dist" / name).read_bytes()).hexdigest() == digest
    assert not (tmp_path / "dist" / ".work").exists()


def test_two_runs_give_the_same_bytes(book, sets, built, tmp_path):
    for out in ("one", "two"):
        dist.make_dist(book, sets=sets, out=tmp_path / out, handouts=built["handouts"],
                       sites={e: built["editions"] / e / "_build" / "html" for e in dist.EDITIONS})
    assert (tmp_path / "one" / "SHA256SUMS").read_text() == (tmp_path / "two" / "SHA256SUMS").read_text()


def test_the_start_page_names_the_zips_and_links_only_to_files_in_the_bundle(capsys, book, built, tmp_path):
    assert run(capsys, *dist_args(book, built, tmp_path / "dist"))[0] == 0
    with zipfile.ZipFile(tmp_path / "dist" / "sourcework-9.8.7-instructor.zip") as archive:
        start = archive.read("sourcework-9.8.7-instructor/START-HERE.html").decode()
        files = {m.split("/", 1)[1] for m in archive.namelist()}
    for edition in dist.EDITIONS:
        assert f"sourcework-9.8.7-{edition}.zip" in start
    links = re.findall(r'href="([^"]+)"', start)
    assert links and all(h in files for h in links), [h for h in links if h not in files]
    assert "sourcework grade" in start and "lms canvas" in start


@pytest.mark.parametrize(("edition", "extra", "says"), [
    ("assessment", '<div class="sw-instructor">key</div>', "instructor material"),
    ("practice", '<section class="sw-answer-key">', "instructor material"),
    ("practice", '<script type="application/json" id="sw-class-book">{}</script>', "instructor material"),
    ("assessment", '<script type="application/json" class="sw-data">{"id": "x", "explanation": "e"}</script>',
     "item data with explanation"),
])
def test_a_student_site_with_instructor_material_is_refused(book, sets, digest, built, tmp_path, edition, extra,
                                                            says):
    make_site(built["editions"] / edition / "_build" / "html", edition, digest, extra=extra)
    err = refused(book, sets, built, tmp_path / "dist")
    assert says in err and "exercises/fixture.html" in err, err


def test_a_stale_or_misnamed_or_missing_edition_is_refused(book, sets, digest, built, tmp_path):
    make_site(built["editions"] / "practice" / "_build" / "html", "practice", "0" * 64)
    make_site(built["editions"] / "assessment" / "_build" / "html", "instructor", digest)
    shutil.rmtree(built["editions"] / "instructor")
    err = refused(book, sets, built, tmp_path / "dist")
    assert "built from other exercises" in err and "built as the instructor edition" in err
    assert "no built instructor edition" in err and "make editions" in err


def test_missing_handouts_are_refused(book, sets, built, tmp_path):
    (built["handouts"] / "instructor-key.pdf").unlink()
    assert "make handouts" in refused(book, sets, built, tmp_path / "dist")


def test_the_version_is_the_package_version_and_the_as_of_date():
    version = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["version"]
    as_of = yaml.safe_load((ROOT / "sources" / "law.yml").read_text("utf-8"))["as_of"]
    assert dist.module_version(ROOT) == f"{version}-{as_of}"
    assert dist.as_of(ROOT) == as_of
    assert dist.fixed_time(dt.date(2026, 12, 6)) == (2026, 12, 6, 0, 0, 0)


def test_source_date_epoch_sets_the_timestamps(monkeypatch, tmp_path):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1796515200")  # 2026-12-06T00:00:00Z
    stamp = dist.fixed_time(None)
    assert stamp == (2026, 12, 6, 0, 0, 0)
    dist.write_zip(tmp_path / "a.zip", {"top/b.txt": b"b", "top/a/c.txt": b"c"}, stamp)
    with zipfile.ZipFile(tmp_path / "a.zip") as archive:
        assert archive.namelist() == ["top/", "top/a/", "top/a/c.txt", "top/b.txt"]
        assert {i.external_attr >> 16 for i in archive.infolist()} == {dist.DIR_MODE, dist.FILE_MODE}


def test_a_bad_version_is_refused(book, sets, built, tmp_path):
    with pytest.raises(dist.DistError, match="cannot be part of a file name"):
        dist.make_dist(book, sets=sets, out=tmp_path / "dist", version="../x", handouts=built["handouts"])


def test_the_start_page_leads_to_the_class_grading_page_only_when_the_edition_has_it(book, sets, digest, built,
                                                                                     tmp_path):
    sites = {e: built["editions"] / e / "_build" / "html" for e in dist.EDITIONS}
    grading = sites["instructor"] / "book" / "grade-class.html"
    grading.write_text(page("instructor", digest, "<p>The class-grading page appears in the instructor edition.</p>"))
    result = dist.make_dist(book, sets=sets, out=tmp_path / "a", handouts=built["handouts"], sites=sites)
    with zipfile.ZipFile(tmp_path / "a" / "sourcework-9.8.7-instructor.zip") as archive:
        start = archive.read("sourcework-9.8.7-instructor/START-HERE.html").decode()
    assert "grade-class.html" not in start and "sourcework grade" in start
    assert any("no class-grading tool" in note for note in result.notes)
    grading.write_text(page("instructor", digest, '<script type="application/json" id="sw-class-book">{}</script>'))
    dist.make_dist(book, sets=sets, out=tmp_path / "b", handouts=built["handouts"], sites=sites)
    with zipfile.ZipFile(tmp_path / "b" / "sourcework-9.8.7-instructor.zip") as archive:
        start = archive.read("sourcework-9.8.7-instructor/START-HERE.html").decode()
    assert 'href="site/book/grade-class.html">Grade a class</a>' in start and "In the browser" in start
