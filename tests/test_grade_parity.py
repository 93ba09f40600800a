"""The browser's class grading (sw-grade-*.js, under Node) against `sourcework grade`'s Python, on the same classes.

Each class (the committed sample submissions with a rubric-scores CSV and a Canvas export; a folder of hostile
files; LMS-style zips; a class of the real book) is graded both ways, and every output must be equal: the gradebook
CSV byte for byte, every issue (path, level, message, fix) in order, the progress calls, each feedback page's name
and bytes, the rubric-scores CSV the page writes (read back by the CLI, it gives the same gradebook), the Canvas and
plain LMS files (or the same error). ``tests/vectors/submissions/checks.json`` holds the shared vectors of submission
checking: raw bytes → verdict and reason, pinned for Python and met by the browser.

Regenerate the vectors after an intended change of a reason: ``python tests/test_grade_parity.py --write-vectors``.
"""

from __future__ import annotations

import base64
import io
import json
import re
import shutil
import subprocess
import sys
import warnings
import zipfile
from pathlib import Path
from typing import Any

import pytest

from sourcework.core.corpus import load_corpus
from sourcework.core.items import load_exercises
from sourcework.core.model import ItemSet
from sourcework.core.submission import build_submission, parse_submission, read_submission
from sourcework.grader.bookdata import book_json
from sourcework.grader.grade import grade_files, write_feedback, write_gradebook
from sourcework.grader.lms import LmsError, canvas_import, plain_points
from sourcework.sphinx_ext.assets import STATIC, minify, scorer_files

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests"
MINI = TESTS / "books" / "mini"
CHECKS = TESTS / "vectors" / "submissions" / "checks.json"
ENGINE = ["sw-zip.js", "sw-grade-core.js", "sw-grade-json.js", "sw-grade-admit.js", "sw-grade-csv.js",
          "sw-grade-feedback.js", "sw-grade-lms.js"]
EXPORTED = "2026-01-15T10:00:00+00:00"
RIGHT: dict[str, Any] = {
    "mini.q1": "press", "mini.q2": ["pilot", "workshop"], "mini.q3": {"pilot": "A", "borders": "B"},
    "mini.q4": ["borders"], "mini.q5": "40%", "mini.q6": ["pilot", "neighbours", "workshop"],
    "mini.q7": {"a": "none", "b": "lastyear"}, "mini.q8": {"text": "A says 'fugitives'.", "self": {"claim": 2}},
}


def engine_files() -> list[str]:
    return [*scorer_files(), *ENGINE]


def _sets(root: Path) -> list[ItemSet]:
    sets, problems = load_exercises(root, load_corpus(root))
    assert not problems, problems
    return sets


def _json(data: Any, indent: int | None = 1) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=indent).encode("utf-8")


# ------------------------------------------------------------------------------------------------ the checks


def check_cases() -> list[tuple[str, bytes, bool]]:
    """(name, raw bytes, read as an archive member) for the shared vectors of submission checking."""
    base = {"format": "sourcework-submission/1", "book": "Mini", "content_hash": "0" * 64,
            "item_hashes": {"mini.q1": "a" * 64}, "edition": "assessment",
            "student": {"name": "Ann Lee", "id": "s1"}, "exported_at": EXPORTED, "answers": {"mini.q1": "press"}}
    text = json.dumps(base)

    def swap(**changes: Any) -> bytes:
        return _json({**base, **changes})

    def without(key: str) -> bytes:
        return _json({k: v for k, v in base.items() if k != key})

    def field(raw: str) -> bytes:  # the answers written by hand
        return text.replace('{"mini.q1": "press"}', raw).encode("utf-8")

    cases: list[tuple[str, bytes]] = [
        ("ok", _json(base)), ("ok-bom", b"\xef\xbb\xbf" + _json(base)), ("ok-compact", _json(base, None)),
        ("ok-unknown-fields", swap(zeta=1, alpha=[], _x=None, Éclair=2)),
        ("ok-practice", swap(edition="practice")), ("ok-instructor", swap(edition="instructor")),
        ("ok-unknown-edition", swap(edition="exam\u200b'")),
        ("ok-spaces", swap(student={"name": "\u00a0Ann\u2003", "id": " s1\u3000"})),
        ("ok-numbers", field('{"a": 1.0, "b": -0.0, "c": 1e16, "d": 1e-5, "e": 0.0001, "f": '
                             '123456789012345678901234567890, "g": 1E400, "h": -1e400, "i": 1.5e300, "j": 5e-324, '
                             '"k": 0.1, "l": 100.0, "m": 1e15, "n": 2.5E+3, "o": [1.0, {"p": -0}], "q": 1e22, '
                             '"r": 123456789.123456789, "s": -0, "t": 9007199254740993}')),
        ("ok-strings", field('{"a": "\\u0000\\u001f\\t\\n\\/\\\\\\"", "b": "\\ud800", "c": "\\ud83d\\ude00", '
                             '"d": "Zo\u00eb \U0001f600 \u01c5 \u202e", "e": "\\udc00\\ud800", "f": "\u2028\u0085"}')),
        ("ok-proto", field('{"__proto__": "x", "constructor": 1, "toString": [], "hasOwnProperty": {}}')),
        ("ok-key-order", field('{"2": 1, "1": 2, "b": 3, "a": 4}')),
        ("ok-deep", field("[" * 50 + "]" * 50)),
        ("ok-int-4300", field("1" * 4300)),
        ("ok-whitespace", (" \r\n\t" + text + " \n").encode()),
        ("empty", b""), ("blank", b"  \n\t"), ("unicode-blank", "\u3000\u2003".encode()),
        ("latin1", text.replace("Ann Lee", "Jos\u00e9").encode("latin-1")),
        ("overlong", b'{"a": "\xc0\xaf"}'), ("utf8-surrogate", b'{"a": "\xed\xa0\x80"}'),
        ("utf8-truncated", text.encode()[:-1] + b"\xe2\x82"), ("utf8-after-bom", b"\xef\xbb\xbf{\xff}"),
        ("utf8-f5", b"\xf5\x80\x80\x80"), ("utf8-astral-bad", b'"\xf0\x8f\xbf\xbf"'),
        ("truncated", text.encode()[:100]), ("trailing-comma-object", field('{"a": 1,}')),
        ("trailing-comma-array", field("[1, 2,]")), ("single-quotes", field("{'a': 1}")),
        ("missing-colon", field('{"a" 1}')), ("missing-comma", field('{"a": 1 "b": 2}')),
        ("array-missing-comma", field("[1 2]")), ("unquoted-key", field("{a: 1}")),
        ("comment", field('{"a": 1} // note')), ("tru", field("tru")), ("leading-zero", field("01")),
        ("dot-number", field("1.")), ("point-five", field(".5")), ("plus", field("+1")), ("minus", field("-")),
        ("exp-missing", field("1e")), ("exp-sign", field("1.5e+")), ("extra-data", (text + " {}").encode()),
        ("extra-x", (text + "x").encode()), ("raw-tab", field('"a\tb"')), ("raw-newline", field('"a\nb"')),
        ("unterminated", field('"abc')), ("unterminated-end", text[:-3].encode() + b'"ab'),
        ("bad-escape", field('"\\x41"')), ("bad-u", field('"\\u12G4"')), ("short-u-end", b'"\\u12'),
        ("u-at-end", b'"\\u1234'), ("u-then-quote", b'"\\u1234"'), ("bad-low", field('"\\ud800\\u12G4"')),
        ("high-then-text", field('"\\ud800x"')), ("backslash-end", b'"abc\\'),
        ("open-array", b"["), ("open-object", b"{"), ("object-key-only", b'{"a"'), ("object-colon", b'{"a":'),
        ("object-value", b'{"a":1'), ("object-comma", b'{"a":1,'), ("array-comma", b"[1,"),
        ("line-3", ('{\n "name": "\U0001f600\U0001f600 Zo\u00eb",\n  "x": \U0001f600}').encode()),
        ("crlf-lines", b'{\r\n"a": 1,\r\n"b": }'),
        ("nan", field("NaN")), ("infinity", field("Infinity")), ("minus-infinity", field("-Infinity")),
        ("nan-deep", field('{"a": [1, {"b": NaN}]}')), ("nan-before-error", field("[NaN, }")),
        ("error-before-nan", field("[}, NaN]")),
        ("int-4301", field("1" * 4301)), ("int-minus-5000", field("-" + "9" * 5000)),
        ("float-5000", field("1." + "1" * 5000)),
        ("repeated-top", text.replace('"book": "Mini"', '"answers": {}, "book": "Mini"').encode()),
        ("repeated-answer", field('{"mini.q1": "a", "mini.q1": "b"}')),
        ("repeated-deep", field('{"x": [{"k": 1, "k": 2}]}')),
        ("repeated-then-syntax", field('{"x": {"k": 1, "k": 2}, "y": }')),
        ("syntax-inside-repeated", field('{"k": 1, "k": 2, "y": }')),
        ("repeated-unicode-key", field('{"\\u00e9": 1, "\u00e9": 2}')),
        ("deep-5000", field("[" * 5000 + "]" * 5000)), ("deep-objects", field('{"a":' * 3000 + "1" + "}" * 3000)),
        ("top-array", b"[1, 2]"), ("top-string", b'"x"'), ("top-number", b"1.0"), ("top-null", b"null"),
        ("top-true", b"true"),
        ("format-missing", without("format")), ("format-null", swap(format=None)), ("format-float", swap(format=1.0)),
        ("format-v2", swap(format="sourcework-submission/2")), ("format-other", swap(format="moodle-quiz")),
        ("format-long", swap(format="x" * 60)), ("format-object", swap(format={"a": [1, 2.5, None, True]})),
        ("format-unicode-long", swap(format="\U0001f600" * 45)),
        ("format-big-int", text.replace('"sourcework-submission/1"', "1" * 50).encode()),
        ("format-quote", swap(format="it's \"q\"")), ("format-control", swap(format="a\u0001b\u0085c\x7f")),
    ]
    for key in ("book", "content_hash", "item_hashes", "edition", "student", "exported_at", "answers"):
        cases.append((f"missing-{key}", without(key)))
    cases += [
        ("book-number", swap(book=3)),
        ("item-hashes-list", swap(item_hashes=[])), ("student-string", swap(student="x")),
        ("answers-null", swap(answers=None)), ("exported-true", swap(exported_at=True)),
        ("edition-null", swap(edition=None)), ("answers-list", swap(answers=["a"])),
        ("hash-number", swap(item_hashes={"a": "x", "b": 5, "c": None})),
        ("hash-order", text.replace('{"mini.q1": "' + "a" * 64 + '"}', '{"9": [], "1": false}').encode()),
        ("name-number", swap(student={"name": 12345, "id": "s1"})),
        ("id-null", swap(student={"name": "A", "id": None})),
        ("id-missing", swap(student={"name": "A"})), ("id-float", swap(student={"name": "A", "id": 1.0})),
        ("id-infinity", text.replace('"id": "s1"', '"id": 1e400').encode()),
        ("id-big", text.replace('"id": "s1"', '"id": ' + "7" * 60).encode()),
        ("id-list", swap(student={"name": "A", "id": ["s", 1.5, {"k": "v"}]})),
        ("id-blank", swap(student={"name": "Ann", "id": " \t"})),
        ("id-blank-noname", swap(student={"name": " ", "id": ""})),
        ("id-bool", swap(student={"name": "A", "id": False})),
    ]
    members = {"ok", "truncated", "latin1", "empty", "format-v2"}
    out = [(name, raw, False) for name, raw in cases]
    out += [(f"member-{name}", raw, True) for name, raw in cases if name in members]
    return out


def python_check(name: str, raw: bytes, member: bool, tmp: Path) -> dict[str, Any]:
    if member:
        found = parse_submission(raw, name)
    else:
        path = tmp / "check.json"
        path.write_bytes(raw)
        found = read_submission(path)
    if not hasattr(found, "student_id"):
        return {"name": name, "verdict": "rejected", "reason": found.reason, "fix": found.fix}
    from sourcework.grader.gradebook import json_text

    return {"name": name, "verdict": "ok", "warnings": list(found.warnings),
            "student": [found.student_id, found.student_name],
            "answers": [[key, json_text(value)] for key, value in found.answers.items()]}


def write_vectors(tmp: Path) -> None:
    rows = []
    for name, raw, member in check_cases():
        expected = python_check(name, raw, member, tmp)
        expected.pop("name")
        rows.append({"name": name, "b64": base64.b64encode(raw).decode(), "member": member, "expected": expected})
    CHECKS.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(rows, ensure_ascii=True, indent=1)
    CHECKS.write_text(text.encode("utf-8", "backslashreplace").decode() + "\n", "utf-8")


# ------------------------------------------------------------------------------------------------ the classes


def mini_sub(sets: list[ItemSet], name: str, sid: str, changes: dict[str, Any] | None = None, **over: Any) -> bytes:
    data = build_submission(sets=sets, student_name=name, student_id=sid, answers={**RIGHT, **(changes or {})},
                            book="Mini", exported_at=EXPORTED, **over)
    return _json(data)


def make_classes(root: Path, sets: list[ItemSet]) -> list[dict[str, Any]]:
    """Write every class under ``root``; return their jobs."""
    classes = []

    # 1. The committed sample submissions, each given as a file, with rubric scores and a Canvas export.
    folder = root / "committed"
    folder.mkdir(parents=True)
    names = sorted(p.name for p in (TESTS / "submissions").glob("*.json"))
    for name in names:
        shutil.copy(TESTS / "submissions" / name, folder / name)
    (folder / "rubric.csv").write_bytes("\ufeffStudent_ID;Item_ID;criterion_id;points;Comment;notes\r\n"
                                        "s001;mini.q8;claim;2;Clear claim, \"well\" put.;x\r\n"
                                        "s001;mini.q8;evidence;1;;\r\n"
                                        "\r\n"
                                        "S002 ;mini.q8;claim;1;<b>bold</b> & more;\r\n"
                                        "s002;mini.q8;evidence;2;\r\n"
                                        "s002;mini.q8;evidence;0;dup\r\n"
                                        "s003;mini.q8;claim;5;\r\n"
                                        "s003;mini.q8;evidence;x;\r\n"
                                        "s003;mini.q1;;;Look again at the dates.\r\n"
                                        "s003;mini.q1;;;Look again at the dates.\r\n"
                                        "nobody;mini.q8;claim;1;\r\n"
                                        "s001;mini.q99;claim;1;\r\n"
                                        "s001;mini.q1;claim;1;\r\n"
                                        "s006;mini.q8;claim;1;\r\n"
                                        "'+s010;mini.q8;claim;2;\"multi\r\nline\"\r\n"
                                        "'+s010;mini.q8;evidence;0;=HYPERLINK(\"x\")\r\n"
                                        "s007;mini.q8;claim;;\r\n"
                                        "s007;mini.q8;;2;\r\n"
                                        "s007;;;;only a comment\r\n".encode())
    (folder / "canvas.csv").write_bytes(b"Student,ID,SIS User ID,SIS Login ID,Section,Mini test set (123),Other (9)\r\n"
                                        b"    Points Possible,,,,,10,5\r\n"
                                        b"\"Lovelace, Ada\",101,s001,ada@x.edu,A,,\r\n"
                                        b"\"Hopper, Grace\",102,,S002,A,,\r\n"
                                        b"Johnson,103,x3,s003,B,,\r\n"
                                        b"Lamarr,s006,,,B,,\r\n"
                                        b"Liskov,105,s007,+s010,B,,\r\n"
                                        b"Nobody,106,s999,,B,,\r\n"
                                        b"Twin,107,s008,,B,,\r\n"
                                        b"Twin2,108,,s008,B,,\r\n"
                                        b"Student,ID,,,,,\r\n")
    classes.append({"name": "committed", "inputs": names, "rubric": "rubric.csv", "canvasExport": "canvas.csv"})

    # 2. A folder of hostile files, nested as an LMS download, given as one folder.
    folder = root / "hostile-folder"
    top = folder / "Class 10B"
    for sub in ("", "a/b", "__MACOSX/a", "Zoë"):
        (top / sub).mkdir(parents=True, exist_ok=True)
    other = build_submission(sets=sets, student_name="Hedy", student_id="s050", answers=RIGHT, book="Mini",
                             exported_at=EXPORTED)
    other["content_hash"] = "f" * 64
    other["item_hashes"]["mini.q2"] = "1" * 64
    other["item_hashes"]["mini.q8"] = "2" * 64
    del other["item_hashes"]["mini.q3"]
    other["item_hashes"]["mini.q0"] = "3" * 64
    files: dict[str, bytes] = {
        "lastfirst_101_202_answers.json": mini_sub(sets, "Ann Lee", "S100"),
        "a/b/dup-case.JSON": mini_sub(sets, "Ann Again", " s100 ", {"mini.q1": "news"}),
        "a/dup-space.json": mini_sub(sets, "Ann Thrice", "s100\u3000"),
        "a/b/changed.json": _json(other),
        "formula.json": mini_sub(sets, '=HYPERLINK("http://x","y")', "-s101", {"mini.q5": "-40",
                                 "mini.q8": {"text": "@SUM(A1) <script>x</script>\r\nline"}}),
        "tab.json": mini_sub(sets, "\tTab", "\u2212s102", {"mini.q1": "'quoted"}),
        "Zoë/unicode.json": mini_sub(sets, "Zoë \U0001f600 \u01c5", "s\u00e9103", {"mini.q5": "\u00bd"}),
        "surrogate.json": mini_sub(sets, "x", "s104").replace(b'"x"', b'"\\ud800 lone"'),
        "numbers.json": mini_sub(sets, "Num", "s105", {"mini.q5": 1.0, "mini.q2": [1e16, 10**30, -0.0, 1e-7],
                                                      "mini.q7": {"a": "HUGE", "b": None}})
        .replace(b'"HUGE"', b"1E400"),
        "wrong-types.json": mini_sub(sets, "Types", "s106", {"mini.q1": ["press"], "mini.q3": "A",
                                                            "mini.q8": {"text": 5}, "mini.q6": {"x": 1}}),
        "unknown.json": mini_sub(sets, "Unk", "s107", {"2": 1, "1": 2, "x" * 70: 3,
                                                      **{f"extra{n}": n for n in range(12)}}),
        "bad.json": b'{"format": "sourcework-submission/1",\n "book": }',
        "repeated.json": mini_sub(sets, "Rep", "s108").replace(b'"book"', b'"answers": {}, "book"'),
        "huge-int.json": mini_sub(sets, "Big", "s109").replace(b'"40%"', b"1" * 5000),
        "wrong-format.json": mini_sub(sets, "Fmt", "s110", format="sourcework-submission/9"),
        "nan.json": mini_sub(sets, "NaN", "s111").replace(b'"40%"', b"NaN"),
        "empty-id.json": mini_sub(sets, "Nobody", "  "),
        "practice.json": mini_sub(sets, "Prac", "s112", edition="practice", extra_field=1),
        "empty.json": b"",
        "quote-name.json": mini_sub(sets, "'O'Brien", "x.y"),
        "same-stem.json": mini_sub(sets, "@Same stem", "x y"),
        "latin1.json": mini_sub(sets, "Jos\u00e9", "s113").replace("é".encode(), "é".encode("latin-1")),
        "notes.txt": b"not a submission",
        "._lastfirst.json": b"\x00\x05\x16\x07",
        "__MACOSX/a/._x.json": b"\x00\x05\x16\x07",
        "__MACOSX/a/real.json": mini_sub(sets, "Mac", "s114"),
        "deep.json": mini_sub(sets, "Deep", "s115").replace(b'"40%"', b"[" * 3000 + b"]" * 3000),
        "answers-none.json": mini_sub(sets, "None", "s116", {"mini.q1": None, "mini.q8": None, "zz": 1}),
        "repeated-answer.json": mini_sub(sets, "Rep", "s117").replace(b'"answers": {', b'"answers": {"mini.q1": 0,'),
    }
    for rel, data in files.items():
        (top / rel).write_bytes(data)
    (folder / "big.json").write_bytes(b" " * (5 * 1024 * 1024 + 1))
    (folder / "rubric.csv").write_text("student_id,item_id,criterion_id,points,comment\ns100,mini.q8,claim,2\n"
                                       "s100,mini.q8,evidence,2\ns050,mini.q8,claim,1\ns050,mini.q8,evidence,1\n"
                                       "s100,mini.q1,,,Good <eye> for \"dates\"\nx y,mini.q8,,,Two; comments\n"
                                       "x y,mini.q8,,,and a second one\n"
                                       "-s101,mini.q8,claim,1\n", "utf-8")
    classes.append({"name": "hostile-folder", "inputs": ["Class 10B", "big.json"], "rubric": "rubric.csv"})

    # 3. LMS zips: nested folders, macOS metadata, a directory entry, a member too large, a bad member; an archive
    # that is not one, one without .json files; then a loose file whose id is already in the zip.
    folder = root / "zips"
    folder.mkdir()
    buffer = io.BytesIO()
    warnings.filterwarnings("ignore", "Duplicate name", UserWarning)  # a name twice: as some zip tools write
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("submissions/", b"")
        archive.writestr("submissions/zeta_201_answers.json", mini_sub(sets, "Zeta", "z201"))
        archive.writestr("submissions/Alpha/alpha_202_answers.json", mini_sub(sets, "Alpha", "z202",
                                                                               {"mini.q2": ["errors"]}))
        archive.writestr("submissions/beta_203.json", b'{"format": 1}')
        archive.writestr("__MACOSX/submissions/._zeta_201_answers.json", b"\x00\x05")
        archive.writestr("submissions/._hidden.json", b"\x00")
        archive.writestr("submissions/readme.txt", b"hello")
        archive.writestr("submissions/Gamma/GAMMA_204.JSON", mini_sub(sets, "Gamma", "Z201"))
        archive.writestr("submissions/huge.json", b" " * (5 * 1024 * 1024 + 10))
        archive.writestr("submissions/\u00e9l\u00e8ve_205.json", mini_sub(sets, "\u00c9l\u00e8ve", "z205"))
        archive.writestr(zipfile.ZipInfo("submissions/stored_206.json"), mini_sub(sets, "Stored", "z206"))
        archive.writestr("submissions/twice.json", mini_sub(sets, "First", "z207"))
        archive.writestr("submissions/twice.json", mini_sub(sets, "Second", "z208"))
    (folder / "Submissions.zip").write_bytes(buffer.getvalue())
    (folder / "broken.zip").write_bytes(b"PK\x03\x04 this is not really a zip")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", b"no submissions here")
    (folder / "empty.zip").write_bytes(buffer.getvalue())
    (folder / "late.json").write_bytes(mini_sub(sets, "Late", "z202 "))
    classes.append({"name": "zips", "inputs": ["Submissions.zip", "broken.zip", "empty.zip", "late.json"]})
    return classes


def real_book_class(root: Path, count: int = 40) -> dict[str, Any]:
    """A class of the real book (exercises/): random answers of every shape, as benchmarks/bench_grade.py makes."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import random

    from bench_grade import response

    sets = _sets(ROOT)
    folder = root / "real" / "class"
    folder.mkdir(parents=True)
    rng = random.Random(13)
    items = [item for s in sets for item in s.items]
    for n in range(count):
        answers = {item.id: response(item, rng) for item in items if rng.random() < 0.95}
        data = build_submission(sets=sets, student_name=f"Student {n}", student_id=f"r{n:03d}", answers=answers,
                                book="Book", exported_at=EXPORTED)
        (folder / f"r{n:03d}.json").write_bytes(_json(data, 2))
    book = root / "real-book.json"
    book.write_text(json.dumps(book_json(sets, title="Book")), "utf-8")
    return {"name": "real", "inputs": ["class"], "book": str(book), "sets": sets}


# ------------------------------------------------------------------------------------------------ both ways


def run_node(folder: Path, job: dict[str, Any], tmp: Path) -> dict[str, Any]:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    path = tmp / "job.json"
    path.write_text(json.dumps(job), "utf-8")
    done = subprocess.run([node, str(TESTS / "js" / "grade_class.mjs"), str(folder), json.dumps(engine_files()),
                           str(path)], capture_output=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr.decode()
    return dict(json.loads(done.stdout))


def python_class(cls: dict[str, Any], cwd: Path, sets: list[ItemSet], monkeypatch: pytest.MonkeyPatch,
                 out: Path) -> dict[str, Any]:
    monkeypatch.chdir(cwd)
    progress: list[list[Any]] = []
    run = grade_files(cls["inputs"], sets=sets, rubric_scores=cls.get("rubric"),
                      progress=lambda done, total, name: progress.append([done, total, name]))
    out.mkdir()
    write_gradebook(run, out / "gradebook.csv")
    pages = write_feedback(run, out / "feedback")
    result: dict[str, Any] = {
        "gradebook": (out / "gradebook.csv").read_bytes(),
        "issues": [[i.path, i.level, i.message, i.fix] for i in run.issues],
        "progress": progress,
        "feedback": [[p.name, p.read_bytes()] for p in pages],
    }
    shutil.copy(out / "gradebook.csv", cwd / "gradebook.csv")

    def lms(action: Any) -> Any:
        try:
            return action()
        except LmsError as exc:
            return {"error": str(exc)}

    if cls.get("canvasExport"):
        for mode in ("sets", "total"):
            def canvas(mode: str = mode) -> dict[str, Any]:
                got = canvas_import("gradebook.csv", cls["canvasExport"], out / "canvas.csv", sets,
                                    total=mode == "total")
                return {"csv": (out / "canvas.csv").read_bytes(), "matched": got.matched, "unmatched": got.unmatched,
                        "ambiguous": got.ambiguous, "missing": got.missing, "columns": got.columns}
            result[f"canvas_{mode}"] = lms(canvas)

    def plain(set_id: str | None) -> dict[str, Any]:
        count = plain_points("gradebook.csv", out / "plain.csv", set_id=set_id)
        return {"csv": (out / "plain.csv").read_bytes(), "count": count}

    result["plain"] = lms(lambda: plain(None))
    result["plain_set"] = lms(lambda: plain(sets[0].id))
    result["plain_bad"] = lms(lambda: plain("no-such-set"))
    return result


def _decoded(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: base64.b64decode(v) if k == "csv" else v for k, v in value.items()}
    return value


@pytest.fixture(scope="module")
def mini_sets() -> list[ItemSet]:
    return _sets(MINI)


@pytest.fixture(scope="module", params=["readable", "minified"])
def engine_dir(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    if request.param == "readable":
        return STATIC
    folder = tmp_path_factory.mktemp("minified")
    for name in engine_files():
        (folder / name).write_text(minify(name, (STATIC / name).read_text("utf-8")), "utf-8")
    return folder


def compare_class(cls: dict[str, Any], js: dict[str, Any], py: dict[str, Any]) -> None:
    gradebook = base64.b64decode(js["gradebook"])
    assert gradebook.decode("utf-8").splitlines() == py["gradebook"].decode("utf-8").splitlines()
    assert gradebook == py["gradebook"], "the gradebook CSVs differ in bytes"
    assert [list(i) for i in js["issues"]] == py["issues"]
    assert js["progress"] == py["progress"]
    assert [name for name, _ in js["feedback"]] == [name for name, _ in py["feedback"]]
    for (name, page), (_, expected) in zip(js["feedback"], py["feedback"], strict=True):
        assert base64.b64decode(page).decode().splitlines() == expected.decode().splitlines(), name
        assert base64.b64decode(page) == expected, name
    for key in ("canvas_sets", "canvas_total", "plain", "plain_set", "plain_bad"):
        if key in py:
            assert _decoded(js[key]) == py[key], key


def test_classes_graded_alike(tmp_path: Path, mini_sets: list[ItemSet], engine_dir: Path,
                              monkeypatch: pytest.MonkeyPatch) -> None:
    classes = make_classes(tmp_path / "classes", mini_sets)
    book = tmp_path / "book.json"
    book.write_text(json.dumps(book_json(mini_sets, title="Mini")), "utf-8")
    js = run_node(engine_dir, {"cwd": str(tmp_path / "classes"), "book": str(book), "classes": classes}, tmp_path)
    for cls in classes:
        cwd = tmp_path / "classes" / cls["name"]
        py = python_class(cls, cwd, mini_sets, monkeypatch, tmp_path / f"out-{cls['name']}")
        result = js["classes"][cls["name"]]
        compare_class(cls, result, py)
        # The rubric-scores CSV the page writes, read by the CLI, gives the page's gradebook (comments without the
        # formula guard's apostrophe come back as they were).
        rubric = tmp_path / "classes" / cls["name"] / "from-page.csv"
        rubric.write_bytes(base64.b64decode(result["rubricCsv"]))
        again = grade_files(cls["inputs"], sets=mini_sets, rubric_scores=rubric.name)
        write_gradebook(again, tmp_path / "again.csv")
        assert (tmp_path / "again.csv").read_bytes() == base64.b64decode(result["gradebook"])
        if cls["name"] != "committed":  # the committed class has a comment starting with "=" (kept guarded)
            pages = write_feedback(again, tmp_path / f"again-{cls['name']}")
            expected = [[name, base64.b64decode(page)] for name, page in result["feedback"]]
            assert [[p.name, p.read_bytes()] for p in pages] == expected
            assert result["rubricRoundTrip"]
        assert not [i for i in again.issues if "rubric" in i.message or i.path.startswith("from-page.csv")]


def test_real_book_class_graded_alike(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cls = real_book_class(tmp_path)
    sets = cls.pop("sets")
    js = run_node(STATIC, {"cwd": str(tmp_path), "classes": [cls]}, tmp_path)
    py = python_class(cls, tmp_path / "real", sets, monkeypatch, tmp_path / "out")
    compare_class(cls, js["classes"]["real"], py)
    assert py["gradebook"].count(b"\r\n") == 41


def test_shared_submission_check_vectors(tmp_path: Path) -> None:
    vectors = json.loads(CHECKS.read_text("utf-8"))
    assert len(vectors) >= 100 and len({v["name"] for v in vectors}) == len(vectors)
    assert {v["expected"]["verdict"] for v in vectors} == {"ok", "rejected"}
    cases = {name: (raw, member) for name, raw, member in check_cases()}
    assert sorted(cases) == sorted(v["name"] for v in vectors), "run: python tests/test_grade_parity.py --write-vectors"
    for vector in vectors:  # Python still says what the vectors pin
        raw = base64.b64decode(vector["b64"])
        assert (raw, vector["member"]) == cases[vector["name"]]
        got = python_check(vector["name"], raw, vector["member"], tmp_path)
        got.pop("name")
        assert got == vector["expected"], vector["name"]
    js = run_node(STATIC, {"cwd": str(tmp_path), "classes": [], "checks": vectors}, tmp_path)
    for vector, row in zip(vectors, js["checks"], strict=True):
        row.pop("name")
        assert row == vector["expected"], vector["name"]


if __name__ == "__main__" and "--write-vectors" in sys.argv:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        write_vectors(Path(folder))
    print(f"wrote {CHECKS}")


def test_damaged_member_rejected_alike(tmp_path: Path, mini_sets: list[ItemSet],
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """A member whose deflate data is broken (a reserved block type) is rejected in both, naming the decompressor's
    own words (zlib's and fflate's differ: the one known difference in words), and the other members are graded."""
    folder = tmp_path / "classes" / "damaged"
    folder.mkdir(parents=True)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a_good.json", mini_sub(mini_sets, "Good", "d1"))
        archive.writestr("b_bad.json", mini_sub(mini_sets, "Bad", "d2"))
        archive.writestr("c_good.json", mini_sub(mini_sets, "Good too", "d3"))
        bad = archive.getinfo("b_bad.json")
    data = bytearray(buffer.getvalue())
    start = bad.header_offset + 30 + int.from_bytes(data[bad.header_offset + 26:bad.header_offset + 28], "little") + \
        int.from_bytes(data[bad.header_offset + 28:bad.header_offset + 30], "little")
    data[start] |= 0b110  # BTYPE 11: reserved, an error for every inflater
    (folder / "class.zip").write_bytes(bytes(data))
    book = tmp_path / "book.json"
    book.write_text(json.dumps(book_json(mini_sets, title="Mini")), "utf-8")
    cls = {"name": "damaged", "inputs": ["class.zip"]}
    js = run_node(STATIC, {"cwd": str(tmp_path / "classes"), "book": str(book), "classes": [cls]}, tmp_path)
    py = python_class(cls, folder, mini_sets, monkeypatch, tmp_path / "out")
    result = js["classes"]["damaged"]
    assert base64.b64decode(result["gradebook"]) == py["gradebook"]
    assert py["gradebook"].count(b"\r\n") == 3  # both good members graded

    def words(issues: list[list[str]]) -> list[list[str]]:
        return [[p, level, re.sub(r"damaged \(.*\)\.$", "damaged (…).", message), fix] for p, level, message, fix
                in issues]

    assert words(result["issues"]) == words(py["issues"])
    assert [i[0] for i in py["issues"]] == ["class.zip:b_bad.json"] and "damaged (" in py["issues"][0][2]


def mutations(count: int = 400, seed: int = 13) -> list[tuple[str, bytes, bool]]:
    """Seeded random damage to a submission's text (a character deleted, doubled, swapped for a JSON character, or the
    text cut short) and random small JSON documents: where Python's reader fails, the browser's must fail the same."""
    import random

    rng = random.Random(seed)
    base = json.dumps({"format": "sourcework-submission/1", "book": "Mini \u00e9 \U0001f600", "content_hash": "0",
                       "item_hashes": {"q": "h"}, "edition": "assessment",
                       "student": {"name": "Ann", "id": "s1"}, "exported_at": EXPORTED,
                       "answers": {"q": ["a", 1.5, {"t": "x\\u00e9\\n"}], "r": None, "s": -0.0, "t": 12}},
                      ensure_ascii=False, indent=rng.choice([None, 1]))
    pieces = list('{}[]:,"\\ -0123456789.eE+tfnul\u00e9\U0001f600\n\t') + ["\\u", "\\ud800", "NaN", "true", "1e5"]
    out = []
    for n in range(count):
        text = base
        for _ in range(rng.randint(1, 3)):
            if not text:
                break
            at = rng.randrange(len(text))
            action = rng.choice(["delete", "insert", "replace", "cut", "double"])
            if action == "delete":
                text = text[:at] + text[at + 1:]
            elif action == "insert":
                text = text[:at] + rng.choice(pieces) + text[at:]
            elif action == "replace":
                text = text[:at] + rng.choice(pieces) + text[at + 1:]
            elif action == "cut":
                text = text[:at]
            else:
                text = text[:at] + text[at] + text[at:]
        out.append((f"mutant-{n}", text.encode("utf-8", "surrogatepass"), False))
    for n in range(count // 4):  # small random documents, valid or not
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 12)))
        out.append((f"random-{n}", text.encode("utf-8", "surrogatepass"), False))
    return out


def test_damaged_json_read_alike(tmp_path: Path) -> None:
    cases = mutations()
    vectors = [{"name": name, "b64": base64.b64encode(raw).decode(), "member": member} for name, raw, member in cases]
    js = run_node(STATIC, {"cwd": str(tmp_path), "classes": [], "checks": vectors}, tmp_path)
    verdicts = set()
    for (name, raw, member), row in zip(cases, js["checks"], strict=True):
        expected = python_check(name, raw, member, tmp_path)
        assert row == expected, (name, raw)
        verdicts.add(expected.get("reason", "ok").split("(")[0])
    assert len(verdicts) >= 8  # the damage reaches many different reasons
