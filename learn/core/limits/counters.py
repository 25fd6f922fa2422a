"""Counting in the database: one atomic statement per count, shared by every worker and replica.

Django's database cache counted with a read and a write (its `incr` is a get and a set), so
parallel requests overwrote each other's counts (600 parallel checks let 124-206 through a limit
of 120), and it culls the alphabetically lowest keys once it holds MAX_ENTRIES (300) entries,
the sign-in throttle's first. Here a count is one statement,

    INSERT … ON CONFLICT (key, window_start) DO UPDATE SET count = count + excluded.count
    RETURNING count

which PostgreSQL and SQLite (3.35 and later) run atomically: the row is created, or locked and
updated, and each caller gets the total its own count made. bulk_create(update_conflicts=True)
can only copy the new row's values (not add to the stored one) and does not return them, hence
SQL. Rows are never culled; those of windows that ended are deleted in batches, as many as a
short time allows, once a minute in each process, and again soon while some are left: one batch
a minute fell behind a flood of requests from ever new addresses.
"""

import time

from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Field

from learn.core.limits.models import Counter

PURGE_EVERY = 60  # seconds between purges of ended windows, in each process
PURGE_AGAIN = 1  # seconds to the next purge when one ran out of time with ended windows left
PURGE_BATCH = 10_000  # counters deleted by one statement, so that no lock is held long
PURGE_SECONDS = 0.1  # what batches one request may spend purging, so that no request waits long
_next_purge = 0.0


def add(key: str, window: int, amount: int = 1, *, now: float | None = None) -> int:
    """Add `amount` to `key` in the current window of `window` seconds; the window's new total."""
    now = time.time() if now is None else now
    start = int(now // window) * window
    connection = connections[router.db_for_write(Counter)]
    with connection.cursor() as cursor:
        cursor.execute(_upsert(connection), [key, start, start + window, amount])
        (total,) = cursor.fetchone()
    _purge_now_and_then(now)
    return total


def _upsert(connection: BaseDatabaseWrapper) -> str:
    quote = connection.ops.quote_name
    table = quote(Counter._meta.db_table)
    key, start, expires, count = (
        quote(_column(name)) for name in ("key", "window_start", "expires_at", "count")
    )
    return (
        f"INSERT INTO {table} ({key}, {start}, {expires}, {count}) VALUES (%s, %s, %s, %s) "
        f"ON CONFLICT ({key}, {start}) DO UPDATE SET {count} = {table}.{count} + excluded.{count} "
        f"RETURNING {count}"
    )


def _column(name: str) -> str:
    """The column of one of Counter's fields (get_field also finds relations, which have none)."""
    field = Counter._meta.get_field(name)
    if not isinstance(field, Field) or field.column is None:
        raise TypeError(f"Counter.{name} is not a column")
    return field.column


def purge(now: float | None = None, batch: int = PURGE_BATCH) -> int:
    """Delete up to `batch` counters whose window has ended; how many were deleted."""
    now = time.time() if now is None else now
    ended = Counter.objects.filter(expires_at__lte=now).values("pk")[:batch]
    deleted, _ = Counter.objects.filter(pk__in=ended).delete()
    return deleted


def purge_ended(now: float, batch: int, seconds: float) -> bool:
    """Delete ended windows batch after batch while batches come back full and `seconds` have not
    passed (one batch at least); whether all are gone."""
    deadline = time.monotonic() + seconds
    while purge(now, batch) == batch:
        if time.monotonic() >= deadline:
            return False
    return True


def schedule_purge(at: float) -> None:
    """When counting may next purge ended windows: 0.0 at the next count (as in a new process),
    infinity never (tests that count purges themselves)."""
    global _next_purge
    _next_purge = at


def _purge_now_and_then(now: float) -> None:
    global _next_purge
    if now >= _next_purge:
        _next_purge = now + PURGE_EVERY
        if not purge_ended(now, PURGE_BATCH, PURGE_SECONDS):
            _next_purge = now + PURGE_AGAIN
