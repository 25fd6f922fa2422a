"""Liveness (/healthz) and readiness (/readyz) probes for load balancers and the kubelet.

A kubelet probes a pod at its IP over plain HTTP: the Host header is `10.1.2.3:8000`, which is
not in ALLOWED_HOSTS (400), and the scheme is http, which SECURE_SSL_REDIRECT answers with a 301.
Neither passes a probe, so the first middleware answers these two paths itself, before host
validation and the HTTPS redirect; every other path still goes through both.
"""

import logging
import os
from collections.abc import Callable
from pathlib import Path

from django.db import DatabaseError, connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed

logger = logging.getLogger(__name__)
# The databases this process has seen fully migrated. Loading the migration graph to compare
# takes ~4 ms on every probe; a migrated database stays so for the life of a process (a new
# release that brings migrations comes in new pods, after its migration Job).
_migrated: set[tuple] = set()


def forget_migrated() -> None:
    """Forget which databases were seen migrated, as a new process starts (for tests)."""
    _migrated.clear()


def live(request: HttpRequest) -> HttpResponse:
    """The process is up and answering; no database or content work, so it stays cheap."""
    return plain("ok", 200)


def ready(request: HttpRequest) -> HttpResponse:
    """Ready for traffic: the database is there, reachable, writable and migrated."""
    problem = database_problem(connection)
    if problem:
        return plain(f"not ready: {problem}", 503)
    return plain("ready", 200)


PROBES: dict[str, Callable[[HttpRequest], HttpResponse]] = {"/healthz": live, "/readyz": ready}


def probe_middleware(get_response):
    """Answer the probe paths (GET or HEAD) before any other middleware can refuse them."""

    def middleware(request: HttpRequest) -> HttpResponse:
        probe = PROBES.get(request.path_info)
        if probe is None:
            return get_response(request)
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        response = probe(request)
        if request.method == "HEAD":
            response.content = b""  # gunicorn would drop it, with a warning on every probe
        return response

    return middleware


def plain(text: str, status: int) -> HttpResponse:
    """A short text answer that no cache keeps."""
    response = HttpResponse(text, content_type="text/plain", status=status)
    response["Cache-Control"] = "no-store"
    return response


def database_problem(db: BaseDatabaseWrapper) -> str:
    """What keeps the database from serving the site, in a few words; empty when nothing does."""
    # The sqlite3 backend's own method; not narrowed with isinstance, which is False for the
    # django.db.connection proxy that `ready` passes.
    if db.vendor == "sqlite" and not db.is_in_memory_db():  # type: ignore[attr-defined]
        # Checked before connecting: connecting would create a missing file, empty.
        problem = sqlite_file_problem(Path(db.settings_dict["NAME"]))
        if problem:
            return problem
    try:
        # A cursor, not ensure_connection(): only a cursor runs the health check that replaces
        # a connection the database closed (CONN_HEALTH_CHECKS), e.g. after it restarted.
        with db.cursor() as cursor:
            if db.vendor == "postgresql":
                # A hot standby, or default_transaction_read_only, refuses every write.
                cursor.execute("SHOW transaction_read_only")
                if cursor.fetchone()[0] == "on":
                    return "the database is read-only"
            else:
                cursor.execute("SELECT 1")  # proves the database answers
            if database_key(db) in _migrated:
                return ""
            pending = pending_migrations(db)
    except DatabaseError as error:
        logger.warning("readiness: the database is unreachable: %s", error)
        return "the database is unreachable"
    if pending:
        return f"the database is not migrated ({pending} migrations to apply)"
    _migrated.add(database_key(db))
    return ""


def database_key(db: BaseDatabaseWrapper) -> tuple:
    """Which database a connection reaches (each thread has its own connection to it)."""
    return tuple(db.settings_dict.get(name) for name in ("ENGINE", "NAME", "HOST", "PORT"))


def pending_migrations(db: BaseDatabaseWrapper) -> int:
    """How many migrations the code has that the database has not applied."""
    executor = MigrationExecutor(db)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def sqlite_file_problem(path: Path) -> str:
    """A missing or unwritable SQLite file; its folder must be writable too, for the journal."""
    if not path.is_file():
        return "the database file is missing"
    if not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)):
        return "the database is read-only"
    return ""
