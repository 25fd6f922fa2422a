"""`make bench`: the project's performance figures, each measured against a peer in the same run.

- learn.podspec.check() against kubernetes_validate.validate(strict=True) on the same documents
  (goal: ours at most 0.2x its time while reporting everything);
- the first check in a fresh process (goal: under 300 ms);
- peak memory and time on hostile inputs.
"""

import statistics
import subprocess
import sys
import textwrap
import time
import tracemalloc
from pathlib import Path

import yaml

SIDECAR_POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: web
  labels: {app: web}
spec:
  initContainers:
  - name: fetch-config
    image: busybox:1.36
    command: [sh, -c, "wget -O /config/app.conf http://config/app.conf"]
    volumeMounts: [{name: config, mountPath: /config}]
  - name: log-shipper
    image: fluent/fluent-bit:3.1
    restartPolicy: Always
    volumeMounts: [{name: logs, mountPath: /logs, readOnly: true}]
    resources: {requests: {cpu: 50m, memory: 64Mi}, limits: {memory: 128Mi}}
  containers:
  - name: web
    image: nginx:1.27.3
    ports: [{containerPort: 8080, name: http}]
    readinessProbe: {httpGet: {path: /healthz, port: http}}
    resources: {requests: {cpu: 250m, memory: 128Mi}, limits: {memory: 256Mi}}
    volumeMounts:
    - {name: logs, mountPath: /var/log/nginx}
    - {name: config, mountPath: /etc/nginx/conf.d, readOnly: true}
  volumes:
  - {name: logs, emptyDir: {}}
  - {name: config, emptyDir: {}}
"""

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: shop, labels: {app: shop}}
spec:
  replicas: 3
  selector: {matchLabels: {app: shop}}
  strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}
  template:
    metadata: {labels: {app: shop}}
    spec:
      containers:
      - name: shop
        image: shop:2.4.1
        ports: [{containerPort: 8080, name: http}]
        env: [{name: MODE, value: production}]
        livenessProbe: {httpGet: {path: /live, port: http}}
        readinessProbe: {httpGet: {path: /ready, port: http}}
        resources: {requests: {cpu: 100m, memory: 128Mi}, limits: {memory: 256Mi}}
"""


def many_containers(count: int = 30) -> str:
    """A pod with `count` containers, each with a port, a mount and resources."""
    containers = "".join(
        f"  - name: c{i}\n    image: app:1.{i}\n    ports: [{{containerPort: {8000 + i}}}]\n"
        f"    resources: {{requests: {{cpu: 10m, memory: 16Mi}}}}\n"
        f"    volumeMounts: [{{name: shared, mountPath: /data/{i}}}]\n"
        for i in range(count)
    )
    return (
        "apiVersion: v1\nkind: Pod\nmetadata: {name: big}\nspec:\n  containers:\n"
        + containers
        + "  volumes: [{name: shared, emptyDir: {}}]\n"
    )


DOCUMENTS = {
    "init + native sidecar + shared volume": SIDECAR_POD,
    "Deployment": DEPLOYMENT,
    "30-container pod": many_containers(),
}


def median_seconds(function, runs: int) -> float:
    """The median time of `runs` calls, after one warm-up call."""
    function()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def check_and_draw(text: str) -> str:
    """What the playground does for each keystroke: check, then draw."""
    from learn.podspec import check
    from learn.podspec.diagram import diagram

    return diagram(check(text, kubernetes_version="1.37"), standalone=False)


def compare_with_kubernetes_validate(runs: int = 30) -> None:
    """Print our times against kubernetes_validate's on the same documents, with ratios."""
    import kubernetes_validate

    from learn.podspec import check

    print(
        "ours vs kubernetes_validate.validate(strict=True) on the same documents, median of", runs
    )
    print(
        f"  {'document':38} {'check':>8} {'+diagram':>9} {'k-v':>8} {'check/k-v':>10} {'both/k-v':>9}"
    )
    worst = [0.0, 0.0]
    for name, text in DOCUMENTS.items():
        report = check(text, kubernetes_version="1.37")
        assert report.ok, [str(d) for d in report.errors]
        data = yaml.safe_load(text)
        ours = median_seconds(lambda text=text: check(text, kubernetes_version="1.37"), runs)
        both = median_seconds(lambda text=text: check_and_draw(text), runs)
        theirs = median_seconds(
            lambda data=data: kubernetes_validate.validate(data, "1.37", strict=True), runs
        )
        worst = [max(worst[0], ours / theirs), max(worst[1], both / theirs)]
        print(
            f"  {name:38} {ours * 1000:6.2f}ms {both * 1000:7.2f}ms {theirs * 1000:6.2f}ms "
            f"{ours / theirs:9.3f}x {both / theirs:8.3f}x"
        )
    print(f"  worst: check {worst[0]:.3f}x, check + diagram {worst[1]:.3f}x (goal: at most 0.2x)")


def first_call_in_fresh_process() -> float:
    """Seconds from `import learn.podspec` to the first report, in a new interpreter."""
    code = textwrap.dedent(f"""
        import time
        started = time.perf_counter()
        from learn.podspec import check
        check({SIDECAR_POD!r})
        print(time.perf_counter() - started)
    """)
    times = []
    for _ in range(5):
        out = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            cwd=Path(__file__).resolve().parent.parent,
        )
        times.append(float(out.stdout))
    first = statistics.median(times)
    print(f"first check in a fresh process: {first * 1000:.0f} ms (median of 5; goal under 300 ms)")
    return first


def hostile_inputs() -> dict[str, str]:
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]']
    for i in range(1, 10):
        lines.append(f"{chr(97 + i)}: &{chr(97 + i)} [" + ",".join([f"*{chr(96 + i)}"] * 10) + "]")
    return {
        "billion laughs": "\n".join(lines),
        "deep nesting (100k brackets)": "[" * 100_000 + "]" * 100_000,
        "256 KB of containers": many_containers(900)[: 256 * 1024 - 100],
        "50,000-digit number": "apiVersion: v1\nkind: Pod\nmetadata: {name: "
        + "9" * 50_000
        + "}\n",
        "300 KB (over the limit)": "a: b\n" * 60_000,
    }


def hostile_memory() -> None:
    """Peak memory and time of check() on hostile inputs."""
    from learn.podspec import check

    print("hostile inputs: time and peak Python memory of one check()")
    for name, text in hostile_inputs().items():
        tracemalloc.start()
        started = time.perf_counter()
        report = check(text)
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        codes = sorted({d.code for d in report.errors})
        print(f"  {name:32} {elapsed * 1000:7.1f}ms {peak / 2**20:7.2f} MiB  {', '.join(codes)}")


def playground_server_time(runs: int = 200) -> None:
    """Server time of one htmx check of the sidecar example, through Django's test client."""
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learn.settings")
    import django

    django.setup()
    import kubernetes_validate
    from django.conf import settings
    from django.test import Client
    from django.test.utils import setup_test_environment

    from learn.podspec.examples import example

    setup_test_environment()
    settings.DEBUG = False
    settings.PLAYGROUND_CHECKS_PER_MINUTE = 10**9
    client = Client()
    text = example("logging-sidecar").text
    data = {"text": text, "kubernetes_version": "1.37", "profile": "learning"}
    times = []
    for _ in range(runs + 5):
        started = time.perf_counter()
        response = client.post("/playground/", data, headers={"HX-Request": "true"})
        times.append(time.perf_counter() - started)
        assert response.status_code == 200
    times = sorted(times[5:])
    p50, p95 = times[len(times) // 2], times[int(len(times) * 0.95)]
    peer = median_seconds(
        lambda: kubernetes_validate.validate(yaml.safe_load(text), "1.37", strict=True), 30
    )
    print(f"playground htmx check (logging sidecar), {runs} requests through the test client:")
    print(
        f"  p50 {p50 * 1000:.2f} ms, p95 {p95 * 1000:.2f} ms (goal: p50 under 10 ms); "
        f"kubernetes_validate alone {peer * 1000:.2f} ms, ratio {p50 / peer:.2f}x"
    )

    page = client.get("/playground/")
    html = page.content
    assets = [
        "css/code.css",
        "css/site.css",
        "css/pod-diagram.css",
        "css/editor.css",
        "js/site.js",
        "js/editor.js",
        "django_htmx/htmx-2.min.js",
        "django_htmx/django-htmx.js",
        "favicon.svg",
    ]
    from django.contrib.staticfiles import finders

    sizes = {name: Path(finders.find(name)).read_bytes() for name in assets}
    import gzip

    total = len(html) + sum(len(b) for b in sizes.values())
    zipped = len(gzip.compress(html)) + sum(len(gzip.compress(b)) for b in sizes.values())
    print(
        f"playground page: HTML {len(html) / 1024:.1f} KB; with its {len(assets)} assets "
        f"{total / 1024:.1f} KB ({zipped / 1024:.1f} KB gzipped)"
    )


def main() -> None:
    compare_with_kubernetes_validate()
    print()
    first_call_in_fresh_process()
    print()
    hostile_memory()
    print()
    playground_server_time()


if __name__ == "__main__":
    main()
