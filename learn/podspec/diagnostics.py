"""Diagnostics and the Report that every stage of the engine adds to."""

from dataclasses import dataclass, field
from enum import StrEnum

# Past this many findings, more of them only bury the first ones (and cost time to show).
MAX_DIAGNOSTICS = 500


class Severity(StrEnum):
    """How bad a finding is: errors are what the API server rejects."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding, at a 1-based line and column of the input (0 when it has no place)."""

    code: str
    severity: Severity
    message: str
    line: int = 0
    column: int = 0
    path: str = ""
    hint: str = ""
    lesson: str = ""  # `module/lesson` key of the lesson that explains the concept
    document: int = 0  # index of the YAML document (0-based)

    def to_dict(self) -> dict:
        """A JSON-ready dictionary."""
        return {
            "code": self.code,
            "severity": str(self.severity),
            "message": self.message,
            "line": self.line,
            "column": self.column,
            "path": self.path,
            "hint": self.hint,
            "lesson": self.lesson,
            "document": self.document,
        }


@dataclass
class Report:
    """Everything the engine found about one input: diagnostics and a model of each workload."""

    text: str
    kubernetes_version: str
    profile: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    objects: list = field(default_factory=list)  # one model.Workload per checked object
    dropped: int = 0  # findings beyond MAX_DIAGNOSTICS, counted but not kept
    _seen: set = field(default_factory=set, repr=False)

    def add(self, diagnostic: Diagnostic) -> None:
        """Record a finding (the same finding at the same place is kept once)."""
        if diagnostic in self._seen:
            return
        if len(self.diagnostics) >= MAX_DIAGNOSTICS:
            self.dropped += 1
            return
        self._seen.add(diagnostic)
        self.diagnostics.append(diagnostic)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.WARNING]

    @property
    def ok(self) -> bool:
        """True when nothing would be rejected (warnings allowed)."""
        return not self.errors

    def sorted(self) -> list[Diagnostic]:
        """Diagnostics in reading order: by line, then column, errors first."""
        rank = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
        return sorted(
            self.diagnostics, key=lambda d: (d.document, d.line, d.column, rank[d.severity])
        )
