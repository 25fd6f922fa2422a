"""Diagnostics and the Report that every stage of the engine adds to."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # the model imports the source, which imports this module
    from learn.podspec.model import Workload

# Past this many findings, more of them only bury the first ones (and cost time to show).
MAX_DIAGNOSTICS = 500


class Severity(StrEnum):
    """How bad a finding is: errors are what the API server rejects."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Located(Protocol):
    """Anything with a range of the input: 1-based lines and columns, the end exclusive."""

    @property
    def line(self) -> int: ...
    @property
    def column(self) -> int: ...
    @property
    def end_line(self) -> int: ...
    @property
    def end_column(self) -> int: ...


@dataclass(frozen=True, slots=True)
class Span:
    """A range of the input that is not a node (a syntax error's token, a bad byte)."""

    line: int
    column: int
    end_line: int
    end_column: int


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding over a range of the input (0 when it has no place).

    Lines and columns are 1-based; the end is exclusive (the position just after the last
    character), as LSP and CodeMirror count. A finding made with only a start gets an empty range
    there, so the end is never before the start.
    """

    code: str
    severity: Severity
    message: str
    line: int = 0
    column: int = 0
    path: str = ""
    hint: str = ""
    lesson: str = ""  # `module/lesson` key of the lesson that explains the concept
    document: int = 0  # index of the object (0-based): a YAML document, or an item of a list
    end_line: int = 0
    end_column: int = 0

    def __post_init__(self) -> None:
        if (self.end_line, self.end_column) < (self.line, self.column):
            object.__setattr__(self, "end_line", self.line)
            object.__setattr__(self, "end_column", self.column)

    @classmethod
    def at(
        cls,
        place: Located,
        code: str,
        severity: Severity,
        message: str,
        path: str = "",
        hint: str = "",
        document: int = 0,
    ) -> Diagnostic:
        """A finding over the range of a node (or a Span)."""
        return cls(
            code,
            severity,
            message,
            place.line,
            place.column,
            path,
            hint,
            document=document,
            end_line=place.end_line,
            end_column=place.end_column,
        )

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready dictionary."""
        return {
            "code": self.code,
            "severity": str(self.severity),
            "message": self.message,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "path": self.path,
            "hint": self.hint,
            "lesson": self.lesson,
            "document": self.document,
        }


def _identity(d: Diagnostic) -> tuple[object, ...]:
    """What makes two findings the same: everything but the end, as before ranges existed."""
    return (d.code, d.severity, d.message, d.line, d.column, d.path, d.hint, d.lesson, d.document)


@dataclass
class Report:
    """Everything the engine found about one input: diagnostics and a model of each workload."""

    text: str
    kubernetes_version: str
    profile: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    workloads: list[Workload] = field(default_factory=list)  # one per checked workload object
    dropped: int = 0  # findings beyond MAX_DIAGNOSTICS, counted but not kept
    _seen: set[tuple[object, ...]] = field(default_factory=set, repr=False)

    def add(self, diagnostic: Diagnostic) -> None:
        """Record a finding (the same finding at the same place is kept once)."""
        identity = _identity(diagnostic)
        if identity in self._seen:
            return
        if len(self.diagnostics) >= MAX_DIAGNOSTICS:
            self.dropped += 1
            return
        self._seen.add(identity)
        self.diagnostics.append(diagnostic)

    @property
    def errors(self) -> list[Diagnostic]:
        """The findings the API server would reject."""
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        """The findings that would be accepted with a warning (or are best practice)."""
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
