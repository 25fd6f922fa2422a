"""Liveness and readiness probes, called the way a kubelet calls them."""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection, connections
from django.db.utils import ConnectionHandler
from django.test import RequestFactory

from learn.core import health
from learn.core.health import database_problem

ROOT = Path(__file__).resolve().parent.parent
# What a kubelet sends: the pod's IP and port as Host, plain HTTP, its own user agent.
KUBELET = {"host": "10.1.2.3:8000", "user-agent": "kube-probe/1.35"}
on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")

# Runs in a fresh process: each request of argv goes through the WSGI application as gunicorn
# hands it over, and the status line and body come back as JSON.
WSGI_CALLS = """
import json, sys
from learn.wsgi import application

def call(method, path, host):
    environ = {"REQUEST_METHOD": method, "PATH_INFO": path, "HTTP_HOST": host,
               "HTTP_USER_AGENT": "kube-probe/1.35", "SERVER_NAME": "10.1.2.3",
               "SERVER_PORT": "8000", "SERVER_PROTOCOL": "HTTP/1.1", "wsgi.url_scheme": "http",
               "wsgi.input": sys.stdin.buffer, "wsgi.errors": sys.stderr}
    started = []
    body = b"".join(application(environ, lambda status, headers: started.append(status)))
    return [started[0], body.decode()]

print(json.dumps([call(*request.split()) for request in sys.argv[1:]]))
"""


def run_python(code: str, *args: str, **env: str) -> subprocess.CompletedProcess:
    """Run Python code in the checkout with none of the site's DJANGO_* variables but those given."""
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=ROOT,
        env={**inherited, "PYTHONDONTWRITEBYTECODE": "1", **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_probes_pass_from_the_pod_ip_over_plain_http_in_production(tmp_path):
    database = tmp_path / "db.sqlite3"
    requests = ["GET /healthz", "HEAD /healthz", "GET /readyz", "HEAD /readyz", "GET /"]
    production = {
        "DJANGO_SECRET_KEY": "k" * 64,
        "DJANGO_ALLOWED_HOSTS": "learn.example.org",
        "DATABASE_URL": f"sqlite:///{database}",
        # Its own folder: other test workers' servers read the checkout's staticfiles meanwhile.
        "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
    }
    # Production serves collected static files (make serve and the image collect them first);
    # the 400 page below needs their manifest.
    collect = "import runpy, sys\nsys.argv = ['manage.py', 'collectstatic', '--noinput', '-v0']\n"
    collect += "runpy.run_path('manage.py', run_name='__main__')"
    collected = run_python(collect, **production)
    assert collected.returncode == 0, collected.stderr
    result = run_python(
        WSGI_CALLS,
        *(f"{request} 10.1.2.3:8000" for request in requests),
        "GET / learn.example.org",
        **production,
    )
    assert result.returncode == 0, result.stderr
    answers = json.loads(result.stdout)
    assert answers[:4] == [
        ["200 OK", "ok"],
        ["200 OK", ""],
        ["503 Service Unavailable", "not ready: the database file is missing"],
        ["503 Service Unavailable", ""],
    ]
    # Every other path still checks the host and redirects to HTTPS.
    assert answers[4][0] == "400 Bad Request"
    assert answers[5][0] == "301 Moved Permanently"
    assert not database.exists()


@pytest.mark.django_db
def test_a_migrated_database_is_ready_from_the_pod_ip_in_production(client, settings):
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["learn.example.org"]
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/readyz", headers=KUBELET)
    assert (response.status_code, response.content) == (200, b"ready")
    assert response["Cache-Control"] == "no-store"
    assert client.head("/readyz", headers=KUBELET).status_code == 200
    assert client.get("/", headers=KUBELET).status_code == 400


def test_liveness_answers_get_and_head_without_the_database(client):
    response = client.get("/healthz")
    assert (response.status_code, response.content) == (200, b"ok")
    response = client.head("/healthz")
    assert (response.status_code, response.content) == (200, b"")


def test_probes_answer_only_get_and_head(client):
    assert client.post("/healthz").status_code == 405
    assert client.delete("/readyz").status_code == 405


def sqlite_database(path: Path):
    """A connection to the SQLite file at path, as the site would open it."""
    return ConnectionHandler({"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": path}})[
        "default"
    ]


def test_a_missing_sqlite_file_is_not_ready_and_not_created(tmp_path, django_db_blocker):
    database = tmp_path / "db.sqlite3"
    with django_db_blocker.unblock():
        assert database_problem(sqlite_database(database)) == "the database file is missing"
    assert not database.exists()


def test_an_empty_database_is_not_ready_until_migrated(tmp_path, django_db_blocker):
    database = tmp_path / "db.sqlite3"
    database.touch()
    db = sqlite_database(database)
    with django_db_blocker.unblock():
        assert database_problem(db).startswith("the database is not migrated (")
        assert database_problem(db).startswith("the database is not migrated (")  # still
    db.close()


@pytest.mark.django_db
def test_once_migrated_a_probe_only_asks_the_database_whether_it_answers(
    django_assert_num_queries,
):
    health.forget_migrated()  # a fresh process
    assert database_problem(connection) == ""  # reads the applied migrations
    with django_assert_num_queries(1):  # SELECT 1, or on PostgreSQL whether it is read-only
        assert database_problem(connection) == ""


def test_an_unreachable_database_is_not_ready(django_db_blocker):
    settings = {"ENGINE": "django.db.backends.postgresql", "NAME": "learn", "HOST": "127.0.0.1"}
    db = ConnectionHandler({"default": {**settings, "PORT": "1"}})["default"]
    with django_db_blocker.unblock():
        assert database_problem(db) == "the database is unreachable"


# Root writes any file, so the check runs as nobody (65534), as a container's user would; the
# interpreter lives where only root can read, so everything is imported before.
READ_ONLY_CHECK = """
import os, django
django.setup()
from django.db import connection
from learn.core import health
from learn.core.health import database_problem
if os.geteuid() == 0:
    os.setgid(65534)
    os.setuid(65534)
print(database_problem(connection))
"""


def test_a_sqlite_file_the_server_cannot_write_is_not_ready():
    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / "db.sqlite3"
        database.touch(mode=0o444)
        Path(folder).chmod(0o555)
        result = run_python(
            READ_ONLY_CHECK,
            DJANGO_SETTINGS_MODULE="learn.settings",
            DJANGO_DEBUG="1",
            DATABASE_URL=f"sqlite:///{database}",
        )
        Path(folder).chmod(0o755)
    assert result.stdout.strip() == "the database is read-only", result.stderr


@on_postgresql
@pytest.mark.django_db
def test_a_read_only_postgresql_is_not_ready():
    with connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION READ ONLY")  # as on a hot standby
    assert database_problem(connection) == "the database is read-only"


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_connections_recover_at_once_when_postgresql_restarts():
    handler = WSGIHandler()  # the real request cycle, which the test client shortens

    def get(path: str) -> int:
        request = RequestFactory().get(path)
        return handler(request.environ, lambda status, headers: None).status_code

    assert get("/readyz") == 200
    killer = connections.create_connection("default")
    with killer.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [connection.connection.info.backend_pid])
    killer.close()

    assert get("/readyz") == 200
    assert get("/healthz") == 200
