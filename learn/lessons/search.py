"""Search across lesson titles and text, in memory (the content is small and already loaded)."""

import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from learn.lessons.content import Lesson, Library

MAX_QUERY = 200
SNIPPET_CHARS = 220


@dataclass(frozen=True)
class Hit:
    """A lesson that matches a query, with its matches highlighted."""

    lesson: Lesson
    title: SafeString
    snippet: SafeString
    score: int


def terms_of(query: str) -> list[str]:
    """The distinct lower-case words of a query, longest first (so highlights prefer them)."""
    words = {w for w in re.findall(r"\w[\w.-]*\w|\w", query[:MAX_QUERY].lower()) if w}
    return sorted(words, key=lambda w: (-len(w), w))


def _pattern(terms: list[str]) -> re.Pattern:
    return re.compile("|".join(re.escape(t) for t in terms), re.IGNORECASE)


def highlight(text: str, pattern: re.Pattern) -> SafeString:
    """Escape text and wrap every match in <mark>."""
    parts, last = [], 0
    for match in pattern.finditer(text):
        parts += [escape(text[last : match.start()]), f"<mark>{escape(match.group())}</mark>"]
        last = match.end()
    parts.append(escape(text[last:]))
    return mark_safe("".join(parts))


def _snippet(text: str, pattern: re.Pattern) -> str:
    match = pattern.search(text)
    if not match:
        return text[:SNIPPET_CHARS] + ("…" if len(text) > SNIPPET_CHARS else "")
    start = max(0, match.start() - SNIPPET_CHARS // 3)
    start = text.rfind(" ", 0, start) + 1 if start else 0
    end = min(len(text), start + SNIPPET_CHARS)
    end = text.find(" ", end) if text.find(" ", end) != -1 else len(text)
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")


def search(library: Library, query: str) -> list[Hit]:
    """Lessons containing every word of the query, best first (title matches weigh most)."""
    terms = terms_of(query)
    if not terms:
        return []
    pattern = _pattern(terms)
    hits = []
    for lesson in library.lessons:
        fields = {"title": lesson.title.lower(), "summary": lesson.summary.lower()}
        body = lesson.text.lower()
        if not all(any(t in f for f in (*fields.values(), body)) for t in terms):
            continue
        score = sum(
            10 * fields["title"].count(t) + 3 * fields["summary"].count(t) + body.count(t)
            for t in terms
        )
        snippet_source = lesson.text if pattern.search(lesson.text) else lesson.summary
        hits.append(
            Hit(
                lesson=lesson,
                title=highlight(lesson.title, pattern),
                snippet=highlight(_snippet(snippet_source, pattern), pattern),
                score=score,
            )
        )
    return sorted(hits, key=lambda h: (-h.score, h.lesson.key))
