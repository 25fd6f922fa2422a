"""Shared snapshots: content-addressed, so the same spec and settings always give the same link.

Storage is bounded (learn.playground.sharing): each snapshot records what it costs and who shared
it, and how much every client shared today is counted in ShareUsage.
"""

import hashlib

from django.db import models
from django.db.models.functions import Now
from django.utils import timezone


class Snapshot(models.Model):
    """A spec someone shared, with the Kubernetes version and profile it was checked with, and
    the scenario of its run ("" when the sharer did not change what happens to the Pod)."""

    id = models.CharField(max_length=16, primary_key=True)
    text = models.TextField()
    kubernetes_version = models.CharField(max_length=8)
    profile = models.CharField(max_length=16)
    created_at = models.DateTimeField(auto_now_add=True)
    # The columns added with storage bounds have database defaults too, so that the previous
    # release, which does not name them, can still insert rows during a rolling update.
    size = models.PositiveIntegerField(default=0, db_default=0)  # its text and a row's overhead
    client = models.CharField(  # who shared it, as sharing.client_key
        max_length=16, blank=True, default="", db_default=""
    )
    # Opened by someone other than its sharer: it was really shared, so it is evicted last.
    opened = models.BooleanField(default=False, db_default=False)
    # When it was shared, or last opened by someone other than its sharer (kept to the day).
    last_used = models.DateTimeField(default=timezone.now, db_default=Now())
    scenario = models.TextField(blank=True, default="", db_default="")  # scenario YAML

    class Meta:
        indexes = [
            models.Index(fields=["opened", "last_used"], name="snapshot_eviction_order"),
            # The store's total is summed on every new share: from this index, not the texts
            # (100,000 snapshots on SQLite: 5-8 ms instead of 215-360 ms).
            models.Index(fields=["size"], name="snapshot_size"),
        ]

    def __str__(self) -> str:
        return f"snapshot {self.id}"

    def settings(self) -> dict:
        """The snapshot as form data (an unknown version then falls back to the default)."""
        return {
            "text": self.text,
            "kubernetes_version": self.kubernetes_version,
            "profile": self.profile,
        }

    @staticmethod
    def key_for(text: str, kubernetes_version: str, profile: str, scenario: str = "") -> str:
        """The snapshot id of a spec, its settings and its run's scenario."""
        key = f"{kubernetes_version}\n{profile}\n{text}"
        # Only a scenario that says something counts, so that every id made before scenarios
        # existed still names the same spec. NUL ends the text: no stored text holds one.
        if scenario:
            key += f"\x00{scenario}"
        return hashlib.sha256(key.encode()).digest().hex()[:12]


class ShareUsage(models.Model):
    """The bytes of new snapshots one client shared on one day (UTC): their daily allowance."""

    client = models.CharField(max_length=16)  # sharing.client_key: a keyed hash, not an address
    day = models.DateField(db_index=True)
    bytes = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client", "day"], name="one_usage_per_client_and_day")
        ]

    def __str__(self) -> str:
        return f"{self.client} shared {self.bytes} bytes on {self.day}"
