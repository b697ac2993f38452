"""What is wrong with a curriculum source, said so that its author can fix it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one file: where it is (file, line, field) and what was expected."""

    severity: Severity
    file: str
    line: int | None
    field: str
    message: str

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def report_line(self) -> str:
        """The line a command prints: `file:line: field: message`, warnings marked as such."""
        return str(self) if self.is_error else f"{self} (warning)"

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        field = self.field or "(file)"
        return f"{where}: {field}: {self.message}"


class CurriculumError(Exception):
    """The curriculum cannot be used: it carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        errors = [problem for problem in problems if problem.is_error]
        shown = "\n".join(str(problem) for problem in errors[:20])
        more = f"\n... and {len(errors) - 20} more" if len(errors) > 20 else ""
        super().__init__(f"the curriculum has {len(errors)} error(s):\n{shown}{more}")
