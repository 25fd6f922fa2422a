"""Corpora: real-world valid manifests (modelled on the Kubernetes docs) pass on every shipped
version; each broken manifest gets exactly the one error it was written to show, at its line."""

import re
from pathlib import Path

import pytest

from learn.podspec import VERSIONS, check

CORPUS = Path(__file__).parent / "podspec_corpus"
VALID = sorted((CORPUS / "valid").glob("*.yaml"))
BROKEN = sorted((CORPUS / "broken").glob("*.yaml"))


def test_the_corpora_are_there():
    assert len(VALID) >= 20
    assert len(BROKEN) >= 12


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
@pytest.mark.parametrize("version", VERSIONS)
def test_valid_manifests_pass(path, version):
    report = check(path.read_text(), kubernetes_version=version)
    assert [str(d) for d in report.diagnostics] == []
    assert report.workloads or "kind: Pod" not in path.read_text()


@pytest.mark.parametrize("path", BROKEN, ids=lambda p: p.stem)
def test_broken_manifests_get_their_one_error(path):
    text = path.read_text()
    code, line = re.match(r"# expect: ([a-z-]+) line (\d+)", text).groups()
    report = check(text)
    problems = report.errors or report.warnings
    assert [(d.code, d.line) for d in problems] == [(code, int(line))]
