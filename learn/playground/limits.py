"""Rate limits per client, in the cache (shared across workers when the cache is the database)."""

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The client's address; behind a trusted proxy, the one it puts in X-Forwarded-For."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if settings.TRUST_X_FORWARDED_FOR and forwarded:
        return forwarded.split(",")[-1].strip()  # the address the trusted proxy saw
    return request.META.get("REMOTE_ADDR", "unknown")


def allow(request: HttpRequest, bucket: str, per_minute: int) -> bool:
    """True while this client has made at most `per_minute` requests of this kind this minute."""
    key = f"rate:{bucket}:{client_address(request)}:{int(time.time() // 60)}"
    cache.add(key, 0, timeout=90)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=90)
        count = 1
    return count <= per_minute


def allow_check(request: HttpRequest) -> bool:
    """True while this client is within its playground checks per minute."""
    return allow(request, "checks", settings.PLAYGROUND_CHECKS_PER_MINUTE)
