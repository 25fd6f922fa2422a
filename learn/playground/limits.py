"""A per-client rate limit for checks, in the cache (per process with the default cache)."""

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def client_key(request: HttpRequest) -> str:
    """Who is asking: the address the request came from."""
    return request.META.get("REMOTE_ADDR", "unknown")


def allow_check(request: HttpRequest) -> bool:
    """True while this client is within its checks per minute."""
    key = f"checks:{client_key(request)}:{int(time.time() // 60)}"
    cache.add(key, 0, timeout=90)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=90)
        count = 1
    return count <= settings.PLAYGROUND_CHECKS_PER_MINUTE
