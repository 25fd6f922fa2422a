"""Helpers shared by several test modules: example specs, a work counter, fresh processes.

Test modules import from here, never from each other, so moving a test never breaks another file.
"""

import html
import json
import os
import re
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

from learn.podspec import check

ROOT = Path(__file__).resolve().parent.parent

SIDECAR_POD = """\
apiVersion: v1
kind: Pod
metadata: {name: shop, labels: {app: shop}}
spec:
  initContainers:
  - name: migrate
    image: migrate:1.0
    resources: {requests: {cpu: 200m, memory: 64Mi}}
  - name: proxy
    image: envoy:1.31
    restartPolicy: Always
    resources: {requests: {cpu: 300m, memory: 128Mi}}
  - name: warm-cache
    image: warm:1.0
    resources: {requests: {cpu: 400m, memory: 32Mi}}
  containers:
  - name: web
    image: nginx:1.27
    ports: [{containerPort: 8080, name: http}]
    resources: {requests: {cpu: 200m, memory: 256Mi}}
    volumeMounts: [{name: logs, mountPath: /var/log/nginx}]
  - name: shipper
    image: fluent-bit:3.1
    volumeMounts: [{name: logs, mountPath: /logs, readOnly: true}]
  volumes:
  - name: logs
    emptyDir: {}
"""

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: shop}
spec:
  replicas: 3
  selector:
    matchLabels: {app: shop}
  template:
    metadata:
      labels: {app: shop}
    spec:
      containers: [{name: web, image: nginx:1.27}]
"""

APP = """\
containers:
- name: app
  image: nginx:1.27
"""


def content_errors(root: Path) -> list[str]:
    """The content library's errors as `file:line: message`, the file relative to `root`."""
    from learn.content.library import get_library

    return [f"{e.path.relative_to(root)}:{e.line}: {e.message}" for e in get_library().errors]


def pod(body: str, *, kind: str = "Pod", api: str = "v1", name: str = "web") -> str:
    """A Pod whose spec is `body` (indented YAML under `spec:`)."""
    return f"apiVersion: {api}\nkind: {kind}\nmetadata:\n  name: {name}\nspec:\n" + textwrap.indent(
        textwrap.dedent(body), "  "
    )


def found(text: str, **options: str) -> list[tuple[str, int]]:
    """(code, line) of every diagnostic, in reading order."""
    return [(d.code, d.line) for d in check(text, **options).sorted()]


def calls_made[T](work: Callable[[], T]) -> tuple[T, int]:
    """The result of `work()` and how many Python and C functions it called.

    A count of calls is the same on a busy and an idle machine, so a test can bound the work an
    input causes where a stopwatch would flake.
    """
    count = 0

    def profile(frame: object, event: str, arg: object) -> None:
        nonlocal count
        if event in ("call", "c_call"):
            count += 1

    previous = sys.getprofile()
    sys.setprofile(profile)
    try:
        result = work()
    finally:
        sys.setprofile(previous)
    return result, count


def run(args: list[str], **env: str) -> subprocess.CompletedProcess:
    """Run a command in the checkout with none of the site's DJANGO_* variables but those given."""
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run(
        args, cwd=ROOT, env={**inherited, **env}, capture_output=True, text=True, check=False
    )


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    """Run `manage.py` with the given arguments in a fresh process."""
    return run([sys.executable, "manage.py", *args], **env)


def setting(expression: str, **env: str) -> str:
    """The value of a Python expression over the settings, read in a fresh process."""
    code = f"from django.conf import settings; print({expression})"
    result = run([sys.executable, "-c", code], DJANGO_SETTINGS_MODULE="learn.settings", **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def htmx_swaps(page: str, status: int) -> bool:
    """Whether htmx, configured by the page's htmx-config, swaps an answer with this status in.

    htmx 2 takes the first responseHandling rule whose `code` (a regular expression, unanchored)
    matches the status.
    """
    found_config = re.search(r'<meta name="htmx-config" content=\'([^\']*)\'>', page)
    assert found_config, "the page configures htmx"
    rules = json.loads(html.unescape(found_config.group(1)))["responseHandling"]
    rule = next(r for r in rules if re.search(r["code"], str(status)))
    return rule["swap"]


def engine_budget(settings, units: int) -> None:
    """One engine budget of `units` a minute for a learner, an address and the clients that are
    nobody yet alike: a test of a route's limit then counts as one address did."""
    settings.PLAYGROUND_CHECKS_PER_MINUTE = units
    settings.PLAYGROUND_CHECKS_PER_ADDRESS_PER_MINUTE = units
    settings.PLAYGROUND_CHECKS_UNIDENTIFIED_PER_MINUTE = units


def one_window(monkeypatch) -> None:
    """Every count falls in the same minute's window, however long the test takes: on the real
    clock, a test that crossed a minute found a fresh budget now and then."""
    from types import SimpleNamespace

    from learn.core.limits import rates

    monkeypatch.setattr(rates, "time", SimpleNamespace(time=lambda: 1_900_000_040.0))
