"""The core has no Sphinx imports: it serves the extension, the grader and the exporters alike."""

from __future__ import annotations

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parent.parent / "src" / "sourcework" / "core"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_core_modules_import_neither_sphinx_nor_docutils():
    files = sorted(CORE.glob("*.py"))
    assert len(files) >= 8
    banned = ("sphinx", "docutils", "myst_parser")
    offenders = {f.name: sorted(m for m in imported_modules(f) if m.split(".")[0] in banned) for f in files}
    assert {name: mods for name, mods in offenders.items() if mods} == {}
