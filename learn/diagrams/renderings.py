"""Drawn pictures kept by their content, so that the same picture costs no second drawing.

A diagram URL carries its spec and a snapshot's id is a hash of its spec, so the engine version,
the kind of content (a URL's code or a snapshot's id), the format, the theme and that content
name a picture for good. Pictures are kept in the
"renderings" cache (in the database, shared by every worker and replica), at most its
MAX_ENTRIES; one larger than RENDERING_CACHE_MAX_BYTES is drawn each time instead of kept.
"""

import hashlib

from django.conf import settings
from django.core.cache import caches


def name(*parts: str) -> str:
    """The cache key of the picture these parts (engine version, kind, format, theme, content)
    name."""
    return "rendering:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()


def get(key: str) -> bytes | None:
    """The kept picture, or None."""
    return caches["renderings"].get(key)


def keep(key: str, body: bytes) -> None:
    """Keep a picture, unless it is too large to be worth its room."""
    if len(body) <= settings.RENDERING_CACHE_MAX_BYTES:
        caches["renderings"].set(key, body)
