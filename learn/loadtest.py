"""`make loadtest`: the production-like server under a bounded load, on loopback only.

Starts gunicorn as `make serve` does (DEBUG off, two workers) on 127.0.0.1 and a free port, on a
throwaway SQLite file and, when DATABASE_URL names a PostgreSQL server, on a throwaway database
created there (and dropped after). Threads of virtual learners, each with its own session and
CSRF cookie, send htmx requests as the browser does; every row is bounded by a number of requests
and a number of seconds. It prints requests/s, p50/p99 latency and errors, and stops everything it
started. Rate limits are lifted for the run so that it measures the server, not the limiter.
"""

import argparse
import contextlib
import http.client
import itertools
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

HOST = "127.0.0.1"  # fixed on purpose: the load never goes anywhere but this machine
ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
UNLIMITED = "1000000000"
# Every per-client ceiling the site reads from the environment, lifted for the run.
LIMITS_LIFTED = dict.fromkeys(
    (
        "PLAYGROUND_CHECKS_PER_MINUTE",
        "PLAYGROUND_CHECKS_PER_ADDRESS_PER_MINUTE",
        "PLAYGROUND_CHECKS_UNIDENTIFIED_PER_MINUTE",
    ),
    UNLIMITED,
)


def server_environment(database_url: str) -> dict[str, str]:
    """Production settings, passed explicitly so that no default decides what is measured."""
    return {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",
        "DJANGO_TRUSTED_PROXY_HOPS": "0",  # no proxy: clients are counted by their own address
        "DJANGO_LOG_LEVEL": "WARNING",
        "DATABASE_URL": database_url,
        **LIMITS_LIFTED,
    }


# The client ----------------------------------------------------------------------------------


@dataclass
class Request:
    method: str
    path: str
    expect: tuple[int, ...]
    fields: dict | None = None


class Learner:
    """A virtual learner: one browser's cookies, sending what htmx sends."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self.counters: Counter = Counter()  # where this learner is in each scenario

    def send(self, request: Request) -> int:
        """Send one request on a fresh connection (gunicorn's sync workers close each one)."""
        headers = {"HX-Request": "true"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if request.method == "POST":
            body = urlencode(request.fields or {}, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
            headers["Origin"] = f"http://{HOST}:{self.port}"
        # gunicorn ends a request after 30 s (its default timeout); wait no longer than that.
        connection = http.client.HTTPConnection(HOST, self.port, timeout=35)
        try:
            connection.request(request.method, request.path, body, headers)
            response = connection.getresponse()
            response.read()
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or ():
            jar = SimpleCookie()
            jar.load(header)
            self.cookies.update({name: morsel.value for name, morsel in jar.items()})
        return response.status


# What the learners do ------------------------------------------------------------------------


@dataclass(frozen=True)
class Scenario:
    name: str
    next_request: Callable[[Learner], Request]


def answer_for(question) -> dict:
    """A well-formed answer to any quiz question (right or wrong does not matter here)."""
    kind = question.type
    if kind in ("single", "multiple"):
        return {"choice": "0"}
    if kind == "true_false":
        return {"answer": "true"}
    if kind == "ordering":
        return {"order": [str(i) for i in range(len(question.items))]}
    if kind == "find_line":
        return {"line": "1"}
    if kind == "short":
        return {"text": question.answers[0]}
    return {"text": "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec: {containers: []}\n"}


def scenarios() -> list[Scenario]:
    """The main pages, the playground check and the three write paths, as the site sends them."""
    from learn.content.library import get_library
    from learn.podspec import DEFAULT_VERSION
    from learn.podspec.examples import shipped

    lesson = next(lesson for lesson in get_library().lessons if lesson.quiz)
    page = f"/lessons/{lesson.module_slug}/{lesson.slug}/"
    spec = shipped("logging-sidecar").text
    answers = [{"question": q.id, **answer_for(q)} for q in lesson.quiz]

    def get(path: str) -> Callable[[Learner], Request]:
        return lambda learner: Request("GET", path, (200,))

    def complete(learner: Learner) -> Request:
        done = learner.counters["complete"] % 2 == 0  # toggle: every request changes a row
        learner.counters["complete"] += 1
        return Request("POST", page + "complete/", (200,), {"done": "1" if done else "0"})

    def answer(learner: Learner) -> Request:
        step = learner.counters["quiz"] % (len(answers) + 1)
        learner.counters["quiz"] += 1
        if step == len(answers):  # the attempt is finished: start another, as "Try again" does
            return Request("POST", page + "quiz/", (302,), {"retry": "1"})
        return Request("POST", page + "quiz/", (200,), answers[step])

    counter = itertools.count()

    def share(learner: Learner) -> Request:
        text = f"{spec}# shared by the load test, {next(counter)}\n"  # a new snapshot each time
        fields = {"text": text, "kubernetes_version": DEFAULT_VERSION, "profile": "learning"}
        return Request("POST", "/playground/share/", (204,), fields)

    def check(learner: Learner) -> Request:
        fields = {"text": spec, "kubernetes_version": DEFAULT_VERSION, "profile": "learning"}
        return Request("POST", "/playground/", (200,), fields)

    writes = [complete, answer, share]

    def mixed(learner: Learner) -> Request:
        learner.counters["mixed"] += 1
        return writes[learner.counters["mixed"] % len(writes)](learner)

    return [
        Scenario("home page", get("/")),
        Scenario("lesson page", get(page)),
        Scenario("quiz page", get(page + "quiz/")),
        Scenario("playground check (htmx)", check),
        Scenario("mark lesson complete", complete),
        Scenario("answer a quiz question", answer),
        Scenario("share a snapshot", share),
        Scenario("all three writes", mixed),
    ]


# Measuring -----------------------------------------------------------------------------------


@dataclass
class Row:
    name: str
    concurrency: int
    seconds: float = 0.0
    cpu: float = 0.0  # seconds of the workers' CPU time
    latencies: list[float] = field(default_factory=list)
    errors: Counter = field(default_factory=Counter)

    @property
    def requests(self) -> int:
        return len(self.latencies)

    def cells(self) -> list[str]:
        rate = self.requests / self.seconds if self.seconds else 0.0
        cuts = statistics.quantiles(self.latencies, n=100) if self.requests > 1 else [0.0] * 99
        errors = sum(self.errors.values())
        detail = " (" + ", ".join(f"{k}: {v}" for k, v in self.errors.most_common()) + ")"
        return [
            self.name,
            str(self.concurrency),
            str(self.requests),
            f"{rate:.0f}",
            f"{cuts[49] * 1000:.0f}",
            f"{cuts[98] * 1000:.0f}",
            f"{self.cpu * 1000 / self.requests:.1f}" if self.requests else "-",
            f"{errors}{detail if errors else ''}",
        ]


def drive(scenario: Scenario, learners: list[Learner], *, requests: int, seconds: float) -> Row:
    """Send at most `requests` requests for at most `seconds`, one thread per learner."""
    row = Row(scenario.name, len(learners))
    tickets = itertools.count()
    lock = threading.Lock()
    start = time.perf_counter()
    deadline = start + seconds

    def work(learner: Learner) -> None:
        while next(tickets) < requests and time.perf_counter() < deadline:
            request = scenario.next_request(learner)
            began = time.perf_counter()
            try:
                status = learner.send(request)
                error = None if status in request.expect else str(status)
            except TimeoutError:
                error = "timeout"
            except (OSError, http.client.HTTPException) as exc:
                error = type(exc).__name__
            with lock:
                row.latencies.append(time.perf_counter() - began)
                if error:
                    row.errors[error] += 1

    threads = [threading.Thread(target=work, args=(learner,)) for learner in learners]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    row.seconds = time.perf_counter() - start
    return row


# The server ----------------------------------------------------------------------------------


def manage(env: dict[str, str], *args: str) -> None:
    """Run a management command; its output is shown only when it fails."""
    result = subprocess.run(
        [str(BIN / "python"), "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stdout}{result.stderr}")


def wait_until_up(port: int, process: subprocess.Popen, log: Path) -> None:
    """Wait for /healthz to answer 200; give up when gunicorn exits or after 60 seconds."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"gunicorn exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        with contextlib.suppress(OSError):
            if Learner(port).send(Request("GET", "/healthz", (200,))) == 200:
                return
        time.sleep(0.2)
    sys.exit(f"gunicorn did not answer within 60 s:\n{log.read_text()[-3000:]}")


@contextlib.contextmanager
def gunicorn(env: dict[str, str], workers: int, folder: Path) -> Iterator[tuple[int, int]]:
    """gunicorn as `make serve` runs it, on a loopback socket bound here (no port race).

    Yields the port and the master's process id."""
    listener = socket.socket()
    listener.bind((HOST, 0))
    listener.listen(2048)
    port = listener.getsockname()[1]
    log = folder / "gunicorn.log"
    command = [str(BIN / "gunicorn"), "learn.wsgi", "--bind", f"fd://{listener.fileno()}"]
    command += ["--workers", str(workers)]
    with log.open("w") as output:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            pass_fds=(listener.fileno(),),
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    listener.close()  # gunicorn holds its own copy
    try:
        wait_until_up(port, process, log)
        yield port, process.pid
    finally:
        process.send_signal(signal.SIGTERM)  # graceful: the master stops its workers
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextlib.contextmanager
def throwaway_postgres(url: str) -> Iterator[str]:
    """A new database on the server DATABASE_URL names, dropped afterwards (needs CREATEDB)."""
    import psycopg

    name = f"learn_loadtest_{secrets.token_hex(4)}"
    try:
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error as exc:
        sys.exit(
            f"No throwaway database on DATABASE_URL's server (is it up? may the role CREATEDB?): {exc}"
        )
    try:
        yield urlunsplit(urlsplit(url)._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def database(kind: str, folder: Path) -> Iterator[str]:
    """The DATABASE_URL of a throwaway database of this kind."""
    if kind == "SQLite":
        yield f"sqlite:///{folder / 'db.sqlite3'}{sqlite_options()}"
    else:
        with throwaway_postgres(os.environ["DATABASE_URL"]) as url:
            yield url


def server_errors(log: Path) -> str:
    """The server's side of the errors: each exception in its log, counted."""
    found = Counter(
        line
        for line in log.read_text(errors="replace").splitlines()
        if re.match(r"[\w.]+(Error|Exception|Timeout)\b", line)
    )
    lines = [f"{count:6} x {line[:160]}" for line, count in found.most_common(8)]
    return "\n".join(["server log:", *lines] if lines else ["server log: no exception"])


def measure(kind: str, options: argparse.Namespace, plan: list[Scenario]) -> tuple[list[Row], str]:
    """Migrate a throwaway database of this kind, serve it, and drive every scenario.

    Returns the rows and, when any request failed, the exceptions in the server's log."""
    rows = []
    with tempfile.TemporaryDirectory(prefix="learn-loadtest-") as temp:
        folder = Path(temp)
        with database(kind, folder) as url:
            env = server_environment(url)
            manage(env, "migrate", "--noinput")
            manage(env, "createcachetable")
            with gunicorn(env, options.workers, folder) as (port, master):
                learners = arrive(port, options.concurrency)
                # One client per worker, so that each loads the content before it is timed.
                warmers = arrive(port, options.workers)
                for scenario in plan:
                    drive(scenario, warmers, requests=options.workers * 2, seconds=10)
                    rows.append(timed(master, scenario, learners, options))
                writes = plan[-1]  # the last row: every write path, with many more clients
                rows.append(timed(master, writes, arrive(port, options.stress), options))
        failures = server_errors(folder / "gunicorn.log") if any(r.errors for r in rows) else ""
    return rows, failures


def arrive(port: int, count: int) -> list[Learner]:
    """Learners who opened the home page, as a browser does first: they hold a CSRF cookie."""
    learners = [Learner(port) for _ in range(count)]
    for learner in learners:
        learner.send(Request("GET", "/", (200,)))
    return learners


def timed(
    master: int, scenario: Scenario, learners: list[Learner], options: argparse.Namespace
) -> Row:
    """One row, with the CPU time the workers spent on it."""
    before = worker_cpu_seconds(master)
    row = drive(scenario, learners, requests=options.requests, seconds=options.seconds)
    row.cpu = worker_cpu_seconds(master) - before
    return row


def worker_cpu_seconds(master: int) -> float:
    """CPU time used so far by the children of gunicorn's master (Linux; 0 elsewhere).

    Unlike requests/s, this hardly changes when other work on the machine takes cores away.
    """
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()  # after "pid (name)"
        except OSError:  # the process has just ended
            continue
        if int(fields[1]) == master:  # ppid; then utime and stime, in clock ticks
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


# Report --------------------------------------------------------------------------------------

HEADER = ["scenario", "clients", "requests", "req/s", "p50 ms", "p99 ms", "CPU ms", "errors"]


def table(rows: list[Row]) -> str:
    """A plain-text table, numbers right-aligned."""
    lines = [HEADER, *(row.cells() for row in rows)]
    widths = [max(len(line[i]) for line in lines) for i in range(len(HEADER) - 1)]

    def format_line(cells: list[str]) -> str:
        first = cells[0].ljust(widths[0])
        middle = [cell.rjust(width) for cell, width in zip(cells[1:-1], widths[1:], strict=True)]
        return "  ".join([first, *middle, cells[-1]])

    rule = "-" * (sum(widths) + 2 * len(widths) + len("errors"))
    return "\n".join([format_line(HEADER), rule, *map(format_line, lines[1:])])


def sqlite_options() -> str:
    """The options a SQLite DATABASE_URL gives (`?init_command=…`), kept for the throwaway file."""
    url = urlsplit(os.environ.get("DATABASE_URL", ""))
    return f"?{url.query}" if url.scheme == "sqlite" and url.query else ""


def databases() -> list[str]:
    """SQLite always; PostgreSQL when DATABASE_URL names a server."""
    scheme = urlsplit(os.environ.get("DATABASE_URL", "")).scheme
    return ["SQLite", "PostgreSQL"] if scheme.startswith("postgres") else ["SQLite"]


def parse_options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=600, help="per row, at most")
    parser.add_argument("--seconds", type=float, default=4.0, help="per row, at most")
    parser.add_argument("--concurrency", type=int, default=8, help="clients per row")
    parser.add_argument("--stress", type=int, default=48, help="clients in the last row")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (make serve: 2)")
    return parser.parse_args()


def prepare() -> None:
    """What every server needs once: collected static files and the content loaded here."""
    env = server_environment("sqlite://:memory:")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    os.environ.update({k: v for k, v in env.items() if k.startswith("DJANGO_")})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learn.settings")
    import django

    django.setup()


def main() -> None:
    options = parse_options()
    kinds = databases()
    prepare()
    plan = scenarios()
    print(
        f"gunicorn, {options.workers} workers, DEBUG off, on {HOST} only; at most "
        f"{options.requests} requests or {options.seconds:g} s per row; "
        f"{options.concurrency} clients ({options.stress} in the last row); rate limits lifted."
    )
    print("CPU ms: the gunicorn workers' CPU time per request (PostgreSQL's own is not in it).")
    if kinds == ["SQLite"]:
        print("PostgreSQL: set DATABASE_URL, e.g. `scripts/with-postgres.sh make loadtest`.")
    for kind in kinds:
        # Other work on the machine takes cores from the server: the load average says how much.
        load = os.getloadavg()[0]
        started = time.perf_counter()
        rows, failures = measure(kind, options, plan)
        took = time.perf_counter() - started
        name = kind + (sqlite_options() if kind == "SQLite" else "")
        print(f"\n== {name} (load average {load:.1f} before, {took:.0f} s)")
        print(table(rows), flush=True)
        if failures:
            print(failures, flush=True)


if __name__ == "__main__":
    main()
