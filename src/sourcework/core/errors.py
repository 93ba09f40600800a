"""Located problems: every error a user can meet names the file and line, says what is wrong and how to fix it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One located problem in a source, exercise or data file."""

    path: str
    line: int
    message: str
    fix: str = ""
    item: str = ""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        what = f"[{self.item}] {self.message}" if self.item else self.message
        return f"{where}: {what}" + (f" Fix: {self.fix}" if self.fix else "")

    @property
    def location(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path


class SourceworkError(Exception):
    """Raised with one or more located problems; ``str()`` is ready to show to a user."""

    def __init__(self, problems: list[Problem] | Problem):
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
