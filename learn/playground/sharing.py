"""Sharing snapshots within bounds: a size per snapshot, an allowance per client and day, a total.

Without bounds one address sharing 250 KB specs at the check rate grew the database by 29 MiB a
minute. Now every new snapshot costs its bytes plus ROW_BYTES (so that tiny ones count too):

- one client (an IPv4 address, or an IPv6 /64 network) may add SNAPSHOT_BYTES_PER_CLIENT_PER_DAY
  a day, counted in the database (ShareUsage) with one conditional UPDATE, so parallel requests
  cannot overdraw it; sharing a spec that is already stored is free;
- all snapshots together hold at most SNAPSHOT_STORAGE_BYTES. When a new one does not fit, the
  oldest snapshots nobody but their sharer ever opened are deleted first: a link that was really
  shared keeps working, a flood nobody looks at goes first. When only opened snapshots are left,
  those least recently opened go, so that a store full of opened links still takes new ones.
"""

from datetime import timedelta

from django.conf import settings
from django.db.models import F, Q, Sum
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac

from learn.core.limits.clients import client_address
from learn.playground.models import ShareUsage, Snapshot

ROW_BYTES = 512  # a row's id, settings, dates and index entries, beside the text
USE_RESOLUTION = timedelta(days=1)  # last_used is kept to the day: opening writes at most daily
EVICTION_BATCH = 500  # at most this many snapshots are deleted to make room for one


class ShareRefused(Exception):
    """This share would exceed a bound; `message` says which, `status` is the HTTP status."""

    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.message, self.status = message, status


def client_key(request: HttpRequest) -> str:
    """Who shares, for accounting: a keyed hash of the client's address (an IPv6 client's /64
    network), so no address is ever stored."""
    address = client_address(request)
    return salted_hmac("learn.playground.sharing", address, algorithm="sha256").hexdigest()[:16]


def cost(text: str) -> int:
    """What storing a snapshot of `text` counts against the bounds, in bytes."""
    return len(text.encode("utf-8", "surrogatepass")) + ROW_BYTES


def share(
    text: str, kubernetes_version: str, profile: str, client: str, scenario: str = ""
) -> Snapshot:
    """The snapshot of this spec (and its run's scenario), stored once within the bounds;
    ShareRefused if it does not fit."""
    key = Snapshot.key_for(text, kubernetes_version, profile, scenario)
    existing = Snapshot.objects.filter(pk=key).only("pk").first()
    if existing is not None:
        return existing
    size = cost(text + scenario)
    if not _charge(client, size):
        allowance = settings.SNAPSHOT_BYTES_PER_CLIENT_PER_DAY
        raise ShareRefused(
            f"Your address has shared all it may today ({allowance // 1024:,} KB of new "
            "snapshots); the links you made keep working. Share again tomorrow (the day turns "
            "at midnight UTC).",
            429,
        )
    if not _make_room(size):
        _refund(client, size)  # refused for everyone: not counted against this client
        raise ShareRefused(
            "Sharing is paused: the store of shared snapshots is full. Your spec is safe in the "
            "editor; try again later.",
            503,
        )
    snapshot, _ = Snapshot.objects.get_or_create(
        id=key,
        defaults={
            "text": text,
            "kubernetes_version": kubernetes_version,
            "profile": profile,
            "scenario": scenario,
            "size": size,
            "client": client,
        },
    )
    return snapshot


def _charge(client: str, size: int) -> bool:
    """Count `size` bytes against the client's allowance today; False if they do not fit."""
    today = timezone.now().date()
    allowance = settings.SNAPSHOT_BYTES_PER_CLIENT_PER_DAY
    _, created = ShareUsage.objects.get_or_create(client=client, day=today)
    if created:  # the first share of a client's day: earlier days are no longer needed
        ShareUsage.objects.filter(day__lt=today).delete()
    # One conditional UPDATE: two requests in parallel cannot both take the last bytes.
    fits = ShareUsage.objects.filter(client=client, day=today, bytes__lte=allowance - size)
    return fits.update(bytes=F("bytes") + size) == 1


def _refund(client: str, size: int) -> None:
    usage = ShareUsage.objects.filter(client=client, day=timezone.now().date(), bytes__gte=size)
    usage.update(bytes=F("bytes") - size)


def _make_room(size: int) -> bool:
    """Room for `size` more bytes in the store, deleting snapshots if needed: unopened ones first,
    then those least recently opened, each oldest first."""
    stored = Snapshot.objects.aggregate(total=Sum("size"))["total"] or 0
    excess = stored + size - settings.SNAPSHOT_STORAGE_BYTES
    if excess <= 0:
        return True
    oldest = Snapshot.objects.order_by("opened", "last_used")
    victims, freed, latest = [], 0, None
    for pk, victim_size, opened, last_used in oldest.values_list(
        "pk", "size", "opened", "last_used"
    )[:EVICTION_BATCH]:
        victims.append(pk)
        freed += victim_size
        latest = last_used if opened else latest
        if freed >= excess:
            break
    # Opened since they were read: they stay (and then this share may not fit this time).
    unchanged = Q(opened=False) | Q(last_used__lte=latest) if latest else Q(opened=False)
    deleted, _ = Snapshot.objects.filter(unchanged, pk__in=victims).delete()
    return deleted == len(victims) and freed >= excess


def note_opened(request: HttpRequest, snapshot: Snapshot) -> None:
    """Someone other than the sharer opened the snapshot: it was really shared, so it is evicted
    last, and the least recently opened first (one write a day at most)."""
    now = timezone.now()
    fresh = snapshot.opened and now - snapshot.last_used < USE_RESOLUTION
    if not fresh and snapshot.client != client_key(request):
        Snapshot.objects.filter(pk=snapshot.pk).update(opened=True, last_used=now)
        snapshot.opened, snapshot.last_used = True, now
