"""The site's packages import one another in one direction (the layers themselves are checked
by import-linter in `make lint`; this test keeps the no-cycle rule in the suite)."""

from graphlib import CycleError, TopologicalSorter

import grimp
import pytest


def package_graph() -> dict[str, set[str]]:
    """Which top-level learn packages each top-level learn package imports."""
    graph = grimp.build_graph("learn", cache_dir=None)
    imports: dict[str, set[str]] = {}
    for module in graph.modules:
        parts = module.split(".")
        if len(parts) < 2:
            continue
        package = ".".join(parts[:2])
        for imported in graph.find_modules_directly_imported_by(module):
            target = ".".join(imported.split(".")[:2])
            if target != package and target != "learn":
                imports.setdefault(package, set()).add(target)
    return imports


def test_the_site_packages_import_one_another_without_cycles():
    try:
        TopologicalSorter(package_graph()).prepare()
    except CycleError as cycle:
        # graphlib lists each package before the one importing it: reversed, "a -> b" reads
        # "a imports b".
        path = " -> ".join(reversed(cycle.args[1]))
        pytest.fail(f"import cycle among the site's packages: {path}")


def test_the_engine_imports_no_other_site_package():
    assert package_graph().get("learn.podspec", set()) == set()
