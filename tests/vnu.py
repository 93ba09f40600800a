"""The W3C Nu HTML checker (``vnu.jar`` from the npm package vnu-jar, pinned in package.json), run once over many
files: one JVM start, JSON report, errors only (imported by tests, not a conftest).

``make browser-deps`` installs Java (Debian's default-jre-headless) and the jar (``npm ci``).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote

ROOT = Path(__file__).resolve().parent.parent
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
# --errors-only: the checker's warnings and info messages are advice (e.g. "the main role is unnecessary for
# main"), not validity; --no-langdetect: language guessing only ever yields warnings, and costs time.
OPTIONS = ["--errors-only", "--no-langdetect", "--format", "json", "--stdout", "--exit-zero-always"]


def missing() -> str | None:
    """Why the checker cannot run here, or None."""
    if shutil.which("java") is None:
        return "Java is not installed (make browser-deps installs Debian's default-jre-headless)"
    if not VNU.exists():
        return f"{VNU} is missing: run `npm ci` (make browser-deps) to install the pinned vnu-jar"
    return None


def run_vnu(files: list[Path]) -> dict:
    """The checker's JSON report (``{"messages": [...]}``) on ``files``, in one run."""
    done = subprocess.run([shutil.which("java") or "java", "-jar", str(VNU), *OPTIONS, *map(str, files)],
                          capture_output=True, text=True, timeout=600)
    try:
        return json.loads(done.stdout)
    except json.JSONDecodeError as exc:
        raise RuntimeError(f"vnu wrote no JSON report (exit {done.returncode}):\n{done.stdout[-2000:]}"
                           f"\n{done.stderr[-2000:]}") from exc


def problems(report: dict, base: Path = ROOT) -> list[str]:
    """Each error (and each file the checker could not read) as ``file:line:column: message``, the file relative
    to ``base`` where it lies below it, in the order reported."""
    found = []
    for message in report.get("messages", []):
        if message.get("type") not in ("error", "non-document-error"):
            continue  # "info" (with or without subType "warning") is advice, not an error
        url = str(message.get("url", "?"))
        path = Path(unquote(url.removeprefix("file:"))) if url.startswith("file:") else None
        where = url
        if path is not None:
            where = path.relative_to(base).as_posix() if path.is_relative_to(base) else path.as_posix()
        line = message.get("lastLine", message.get("firstLine", "?"))
        column = message.get("firstColumn", message.get("lastColumn", "?"))
        kind = "" if message["type"] == "error" else f"{message['type']} ({message.get('subType', '')}): "
        found.append(f"{where}:{line}:{column}: {kind}{message.get('message', '').strip()}")
    return found
