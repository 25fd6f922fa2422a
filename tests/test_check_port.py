"""`make run` and `make serve` on a busy port say which port and how to choose another, before
they migrate anything (scripts/check-port.py)."""

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "check-port.py"


@pytest.fixture
def busy_port():
    """A port another program listens on."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        yield listener.getsockname()[1]


def check(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, SCRIPT, *args], capture_output=True, text=True)


def test_a_busy_port_is_named_with_how_to_choose_another(busy_port):
    done = check("127.0.0.1", str(busy_port), "run")
    assert done.returncode == 1
    assert done.stderr == (
        f"Port {busy_port} on 127.0.0.1 is busy: another program is listening on it.\n"
        f"Stop that program, or choose another port: make run PORT={busy_port + 100}\n"
    )


def test_a_free_port_passes_silently():
    with socket.socket() as probe:  # a port free a moment ago
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    done = check("127.0.0.1", str(port), "serve")
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


@pytest.mark.parametrize(
    ("port", "message"),
    [
        ("abc", "PORT must be a number from 1 to 65535, not 'abc': make run PORT=8100\n"),
        ("70000", "PORT must be a number from 1 to 65535, not '70000': make run PORT=8100\n"),
    ],
)
def test_a_port_that_is_no_port_says_so(port, message):
    done = check("127.0.0.1", port, "run")
    assert (done.returncode, done.stderr) == (1, message)


def test_make_run_on_a_busy_port_stops_before_migrating(busy_port, tmp_path):
    database = tmp_path / "db.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}"}
    done = subprocess.run(
        ["make", "--no-print-directory", "run", f"PORT={busy_port}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert f"Port {busy_port} on 127.0.0.1 is busy" in done.stderr
    assert "migrate" not in done.stdout
    assert not database.exists()


def test_make_run_checks_the_port_after_the_content_check_and_right_before_migrating():
    done = subprocess.run(
        ["make", "--no-print-directory", "-n", "run"], cwd=ROOT, capture_output=True, text=True
    )
    steps = [
        line for line in done.stdout.splitlines() if "manage.py" in line or "check-port" in line
    ]
    names = [
        next(
            w
            for w in ("checkcontent", "check-port", "migrate", "createcachetable", "runserver")
            if w in line
        )
        for line in steps
    ]
    assert names == ["checkcontent", "check-port", "migrate", "createcachetable", "runserver"]
