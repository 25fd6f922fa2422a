"""The engine gives the same answer in every process: no output depends on hash order."""

import json
import sys

from learn.podspec.examples import HERE
from tests.support import run

# Broken specs too: their diagnostics come from sets and dicts of names, where order could leak.
SPECS = [
    str(HERE / f"{name}.yaml")
    for name in ("init-native-sidecar", "logging-sidecar", "broken", "broken-deployment")
]
SEEDS = ("0", "1", "2026")
# Every report and standalone drawing, in one JSON document (the CLI is run separately).
ENGINE = """
import json, sys
from learn.podspec import check
from learn.podspec.diagram import diagram
out = {}
for path in sys.argv[1:]:
    text = open(path, encoding="utf-8").read()
    for profile in ("learning", "production"):
        report = check(text, profile=profile)
        out[f"{path} {profile}"] = {
            "diagnostics": [d.to_dict() for d in report.diagnostics],
            "svg": diagram(report),
        }
print(json.dumps(out))
"""


def outputs(seed: str) -> tuple[str, str]:
    """What the engine and the CLI print in a fresh process with this hash seed."""
    engine = run([sys.executable, "-c", ENGINE, *SPECS], PYTHONHASHSEED=seed)
    cli = run(
        [sys.executable, "-m", "learn.podspec", "check", "--format", "json", "--profile",
         "production", *SPECS],
        PYTHONHASHSEED=seed,
    )  # fmt: skip
    assert engine.returncode == 0, engine.stderr
    assert cli.stderr == ""
    return engine.stdout, cli.stdout


def test_reports_drawings_and_cli_json_are_the_same_under_every_hash_seed():
    first, *others = [outputs(seed) for seed in SEEDS]
    engine, cli = first
    assert len(json.loads(engine)) == 2 * len(SPECS)
    assert json.loads(cli)  # the CLI printed JSON, not an error
    for other in others:
        assert other == first
