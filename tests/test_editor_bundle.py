"""The committed editor bundle is the one frontend/build.mjs makes from the committed sources."""

import hashlib
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FRONTEND = ROOT / "frontend"
VENDOR = ROOT / "static" / "vendor" / "codemirror"


def bundle_path() -> Path:
    """The bundle named after frontend/package.json's version, as build.mjs names it."""
    version = json.loads((FRONTEND / "package.json").read_text())["version"]
    return VENDOR / f"podspec-editor-{version}.js"


def sources_digest() -> str:
    """build.mjs's digest: each file of src/ then package-lock.json, as path NUL bytes NUL."""
    paths = sorted(
        p.relative_to(FRONTEND).as_posix() for p in (FRONTEND / "src").rglob("*") if p.is_file()
    )
    digest = hashlib.sha256()
    for path in [*paths, "package-lock.json"]:
        digest.update(path.encode() + b"\0" + (FRONTEND / path).read_bytes() + b"\0")
    return digest.hexdigest()


def test_the_bundle_was_built_from_the_committed_sources():
    header = bundle_path().read_text(encoding="utf-8").split("\n", 1)[0]
    found = re.search(r"sources-sha256:([0-9a-f]{64})", header)
    assert found, "the bundle has no sources-sha256 header: run `make editor`"
    assert found.group(1) == sources_digest(), (
        "frontend/ changed since the bundle was built: run `make editor`"
    )


def test_every_bundled_package_is_pinned_and_its_licence_shipped():
    package = json.loads((FRONTEND / "package.json").read_text())
    pinned = {**package["dependencies"], **package["devDependencies"]}
    assert all(re.fullmatch(r"\d+\.\d+\.\d+", version) for version in pinned.values())
    licences = (VENDOR / "LICENSES.txt").read_text(encoding="utf-8")
    for name, version in package["dependencies"].items():
        assert f"{name} {version} (MIT)" in licences


def test_the_pages_load_the_bundle_that_exists():
    name = bundle_path().name
    assert [p.name for p in VENDOR.glob("podspec-editor-*.js")] == [name]
    for template in ("playground/playground.html", "playground/exercise.html", "quizzes/quiz.html"):
        assert f"vendor/codemirror/{name}" in (ROOT / "templates" / template).read_text()
