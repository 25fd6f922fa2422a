"""The counters behind every rate limit and the sign-in throttle."""

from django.db import models


class Counter(models.Model):
    """What one key (a limit and a client) spent in one fixed time window.

    Counted by learn.core.limits.counters in one INSERT … ON CONFLICT DO UPDATE statement; rows of
    windows that ended are deleted in bounded batches.
    """

    key = models.CharField(max_length=100)
    window_start = models.BigIntegerField()  # Unix time, a multiple of the window's length
    expires_at = models.BigIntegerField(db_index=True)  # Unix time the window ends
    count = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "window_start"], name="one_counter_per_window")
        ]

    def __str__(self) -> str:
        return f"{self.key} @ {self.window_start}: {self.count}"
