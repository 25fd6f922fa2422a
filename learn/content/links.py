"""Links inside content: marked when the content loads, made URLs each time a page shows them.

Content loads once per process, the first time by the system check, before any request: then
neither the sub-path the site is served under (FORCE_SCRIPT_NAME, or a proxy's SCRIPT_NAME, set per
request) nor the collected static files' manifest (absent from a fresh checkout) can be relied on.
So the rendered HTML holds markers in the href and src attributes that the content's links write,
`site:lessons/basics/first/#part` (a path inside the site) and `static:figures/x.svg`, and `expand`
turns them into URLs under the script prefix of the moment: one regex substitution per page.
"""

import logging
import re
from collections.abc import Iterator, Mapping
from html import unescape
from urllib.parse import urlencode

from django.conf import settings
from django.templatetags.static import static
from django.urls import get_script_prefix, reverse
from django.utils.html import escape

from learn.content.loader import SLUG

SITE = "site:"
STATIC = "static:"
logger = logging.getLogger(__name__)
_VIEWS = {"lesson": "lessons:lesson", "exercise": "playground:exercise", "page": "lessons:page"}
_ARGUMENTS = {"lesson": 2, "exercise": 1, "page": 1}

# Markers only count in a link's or an image's own attribute: text is escaped (no literal "<"
# outside a tag) and an attribute value holds no literal quote, so what an author writes as text or
# code never matches. (A link an author writes as `site:path` is a content error.)
_MARKER = re.compile(
    r'(?P<start><(?:a|img)\b[^<>]*?\s(?:href|src)=")(?P<scheme>site|static):(?P<target>[^"]*)"'
)


def mark(kind: str, target: str) -> str:
    """The marker for a `lesson:`, `exercise:`, `page:` or `static:` target ("#" when malformed),
    or for a spec to open in the playground."""
    if kind == "static":
        return STATIC + target
    if kind == "playground":  # the target is a spec, opened by the playground's `text`
        path = reverse("playground:playground").removeprefix(get_script_prefix())
        return f"{SITE}{path}?{urlencode({'text': target})}"
    key, _, anchor = target.partition("#")
    args = key.split("/")
    if len(args) != _ARGUMENTS[kind] or not all(SLUG.fullmatch(a) for a in args):
        return "#"
    # reverse() puts the script prefix of the moment in front; the marker keeps the path after it.
    path = reverse(_VIEWS[kind], args=args).removeprefix(get_script_prefix())
    return f"{SITE}{path}#{anchor}" if anchor else SITE + path


def _url(match: re.Match) -> str:
    target = match["target"]  # as serialized: HTML-escaped
    if match["scheme"] == "static":
        url = escape(_static(unescape(target)))
    else:
        url = escape(get_script_prefix()) + target
    return f'{match["start"]}{url}"'


def _static(path: str) -> str:
    """The static file's URL; its plain path when the collected manifest lacks it (files added
    since the last collectstatic): a missing picture, not a page that fails."""
    try:
        return static(path)
    except ValueError:
        logger.warning("static file %s is not in the collected manifest: run collectstatic", path)
        return f"{settings.STATIC_URL}{path}"  # Django puts the script prefix before it


def expand(html: str) -> str:
    """The HTML with every marker made a URL under the current script prefix."""
    return _MARKER.sub(_url, html)


class Expanded(Mapping[str, str]):
    """A mapping to marked HTML whose values are expanded as they are read."""

    def __init__(self, marked: Mapping[str, str]) -> None:
        self.marked = marked

    def __getitem__(self, key: str) -> str:
        return expand(self.marked[key])

    def __iter__(self) -> Iterator[str]:
        return iter(self.marked)

    def __len__(self) -> int:
        return len(self.marked)
