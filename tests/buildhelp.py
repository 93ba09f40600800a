"""A small Sphinx build over the real corpus, for fast build tests (imported by tests, not a conftest)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CONF = """
project = "Test book"
extensions = ["myst_parser", "sourcework"]
myst_enable_extensions = ["colon_fence"]
html_copy_source = False
nitpicky = True
exclude_patterns = ["sources", "exercises/_*"]
"""


@dataclass
class BuildResult:
    """Outcome of a small Sphinx build: exit status, combined output, and the HTML folder."""

    returncode: int
    output: str
    html: Path

    def page(self, name: str) -> str:
        return (self.html / f"{name}.html").read_text(encoding="utf-8")


def sphinx_build(folder: Path, pages: dict[str, str], *, sources: Path = ROOT / "sources",
                 exercises: dict[str, str] | None = None, edition: str = "practice") -> BuildResult:
    """Build ``pages`` (docname → MyST text) with the real corpus in a fresh folder, warnings as errors."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    (folder / "conf.py").write_text(CONF, encoding="utf-8")
    shutil.copytree(sources, folder / "sources")
    if not any(name.startswith("book/glossary/") for name in pages):
        # a bilingual glossary's terms must be terms of the book's English glossary (book/glossary/), absent here
        (folder / "sources" / "glossary-es.yml").unlink(missing_ok=True)
    (folder / "exercises").mkdir()
    for name, text in (exercises or {}).items():
        (folder / "exercises" / f"{name}.md").write_text(text, encoding="utf-8")
    toc = "\n".join(f"{name}" for name in pages if name != "index")
    for name, text in pages.items():
        path = folder / f"{name}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        if name == "index":
            text += f"\n\n```{{toctree}}\n:hidden:\n\n{toc}\n" + "".join(
                f"exercises/{e}\n" for e in (exercises or {})) + "```\n"
        path.write_text(text, encoding="utf-8")
    env = {**os.environ, "SOURCEWORK_EDITION": edition}
    proc = subprocess.run([sys.executable, "-m", "sphinx", "-q", "-n", "-W", "--keep-going", "-b", "html",
                           str(folder), str(folder / "_build")], capture_output=True, text=True, env=env)
    return BuildResult(proc.returncode, proc.stdout + proc.stderr, folder / "_build")


UPDATE_GOLDEN = os.environ.get("SW_UPDATE_GOLDEN") == "1"


def fragment(html: str, selector: str) -> str:
    """The selected element(s), pretty-printed, for a stable golden comparison."""
    from bs4 import BeautifulSoup

    found = BeautifulSoup(html, "html.parser").select(selector)
    assert found, f"nothing matches {selector!r}"
    return "\n".join(node.prettify() for node in found)


def check_golden(folder: Path, name: str, text: str) -> None:
    """Compare ``text`` with ``folder/name.html`` (SW_UPDATE_GOLDEN=1 rewrites it; a missing one is written)."""
    import pytest

    path = folder / f"{name}.html"
    if UPDATE_GOLDEN or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        if not UPDATE_GOLDEN:
            pytest.fail(f"golden {path.name} was missing and has been written; run again")
    assert text == path.read_text(encoding="utf-8"), f"HTML differs from {path} (SW_UPDATE_GOLDEN=1 to accept)"
