"""Shared snapshots: content-addressed, so the same spec and settings always give the same link."""

import hashlib

from django.db import models


class Snapshot(models.Model):
    """A spec someone shared, with the Kubernetes version and profile it was checked with."""

    id = models.CharField(max_length=16, primary_key=True)
    text = models.TextField()
    kubernetes_version = models.CharField(max_length=8)
    profile = models.CharField(max_length=16)
    created_at = models.DateTimeField(auto_now_add=True)

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
    def key_for(text: str, kubernetes_version: str, profile: str) -> str:
        """The snapshot id of a spec and its settings."""
        digest = hashlib.sha256(f"{kubernetes_version}\n{profile}\n{text}".encode()).digest()
        return digest.hex()[:12]

    @classmethod
    def share(cls, text: str, kubernetes_version: str, profile: str) -> "Snapshot":
        """The snapshot of this spec, saved once."""
        key = cls.key_for(text, kubernetes_version, profile)
        snapshot, _ = cls.objects.get_or_create(
            id=key,
            defaults={"text": text, "kubernetes_version": kubernetes_version, "profile": profile},
        )
        return snapshot
