"""Example specs to start from: the playground's menu, the README's pictures, the tests."""

from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).parent


@dataclass(frozen=True)
class Example:
    slug: str
    title: str
    broken: bool = False

    @property
    def text(self) -> str:
        return (HERE / f"{self.slug}.yaml").read_text(encoding="utf-8")


EXAMPLES = (
    Example("single-container", "A single container"),
    Example("logging-sidecar", "Logging sidecar with a shared emptyDir"),
    Example("init-prepares-data", "Init container preparing data"),
    Example("ambassador", "Ambassador"),
    Example("adapter", "Adapter"),
    Example("job-native-sidecar", "Native sidecar in a Job"),
    Example("init-native-sidecar", "Deployment with an init container and a native sidecar"),
    Example("broken", "Broken: undefined volume, port clash, probe on an init container", True),
    Example("broken-job", "Broken: a Job's restart policy, units, field case", True),
    Example("broken-deployment", "Broken: selector, duplicate names, named port", True),
)


def example(slug: str) -> Example | None:
    """The example with this slug, if any."""
    return next((e for e in EXAMPLES if e.slug == slug), None)


def shipped(slug: str) -> Example:
    """An example the code itself relies on (KeyError when it is not shipped)."""
    found = example(slug)
    if found is None:
        raise KeyError(f"no shipped example {slug!r}")
    return found
