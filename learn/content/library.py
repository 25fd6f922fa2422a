"""The process-wide content library: loaded once, reloaded on change when DEBUG is on."""

import threading
from pathlib import Path

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse

from learn.content.loader import SLUG, Library, load_library

_lock = threading.Lock()
_cache: dict[Path, tuple[tuple, Library]] = {}


def _resolve(kind: str, target: str) -> str:
    """The URL of a `lesson:`, `exercise:`, `page:` or `static:` target in the content."""
    if kind == "static":
        return static(target)
    key, _, anchor = target.partition("#")
    args = key.split("/")
    wanted = {"lesson": 2, "exercise": 1, "page": 1}[kind]
    if len(args) != wanted or not all(SLUG.fullmatch(a) for a in args):
        return "#"
    url = reverse(
        {"lesson": "lessons:lesson", "exercise": "playground:exercise", "page": "lessons:page"}[
            kind
        ],
        args=args,
    )
    return f"{url}#{anchor}" if anchor else url


def _static_dir() -> Path:
    return Path(settings.STATICFILES_DIRS[0])


def _fingerprint(root: Path) -> tuple:
    """What changes when any content file or figure changes (cheap: a stat per file)."""
    paths = [*root.rglob("*"), *(_static_dir() / "figures").glob("*")]
    return tuple(sorted((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in paths))


def get_library() -> Library:
    """The content library for settings.CONTENT_DIR."""
    root = Path(settings.CONTENT_DIR)
    cached = _cache.get(root)
    if cached and not settings.DEBUG:
        return cached[1]
    fingerprint = _fingerprint(root) if root.is_dir() else ()
    if cached and cached[0] == fingerprint:
        return cached[1]
    with _lock:
        library = load_library(root, static_dir=_static_dir(), resolve=_resolve)
        _cache[root] = (fingerprint, library)
    return library
