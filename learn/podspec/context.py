"""What every stage after the model sees of one workload, and the one way it reports a finding."""

from dataclasses import dataclass

from learn.podspec.diagnostics import Diagnostic, Severity
from learn.podspec.model import Pod, Workload
from learn.podspec.source import Mapping, Node


@dataclass
class Context:
    """One workload on its way through the stages: its model, its object's nodes, the version."""

    workload: Workload
    root: Mapping
    version: tuple[int, int]
    document: int

    @property
    def pod(self) -> Pod:
        """The pod the workload runs."""
        return self.workload.pod

    def error(
        self, code: str, node: Node | None, path: str, message: str, hint: str = ""
    ) -> Diagnostic:
        """A finding the API server would reject, over a node's range (the object's without one)."""
        return self.finding(Severity.ERROR, code, node, path, message, hint)

    def warning(
        self, code: str, node: Node | None, path: str, message: str, hint: str = ""
    ) -> Diagnostic:
        """A finding that would be accepted, over a node's range (the object's without one)."""
        return self.finding(Severity.WARNING, code, node, path, message, hint)

    def finding(
        self,
        severity: Severity,
        code: str,
        node: Node | None,
        path: str,
        message: str,
        hint: str = "",
    ) -> Diagnostic:
        """A finding of any severity over a node's range (the object's without one)."""
        return Diagnostic.at(
            node or self.root.head, code, severity, message, path, hint, self.document
        )
