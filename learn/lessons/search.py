"""Search across lessons, exercises and pages, in memory (the content is small and loaded).

A word of the query matches any word of the text that starts with its stem, so "sidecars" finds
"sidecar" and "sidecar" finds "sidecars"; a document must match every word of the query.
"""

import re
from dataclasses import dataclass

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from learn.lessons.content import Library

MAX_QUERY = 200
MAX_TERMS = 12  # a query of more words than this says nothing more, and costs more
SNIPPET_CHARS = 220
# Plural and verb endings, longest first; a stem keeps at least four letters.
ENDINGS = ("ies", "ing", "es", "ed", "s")


@dataclass(frozen=True)
class Document:
    """Something search can find: a lesson, an exercise or a page."""

    kind: str  # shown beside the title: "Lesson", "Exercise", "Page"
    url: str
    title: str
    summary: str
    text: str
    key: str  # stable identity, for ordering ties and tests


@dataclass(frozen=True)
class Hit:
    """A document that matches a query, with its matches highlighted."""

    document: Document
    title: SafeString
    snippet: SafeString
    score: int


def stem(word: str) -> str:
    """The word without a plural or verb ending (so "sidecars" and "probing" find their roots)."""
    for ending in ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            return word[: -len(ending)] + ("y" if ending == "ies" else "")
    return word


def terms_of(query: str) -> list[str]:
    """The distinct stems of a query's words, longest first (so highlights prefer them)."""
    words = {stem(w) for w in re.findall(r"\w[\w.-]*\w|\w", query[:MAX_QUERY].lower()) if w}
    return sorted(words, key=lambda w: (-len(w), w))[:MAX_TERMS]


def _word_pattern(term: str) -> re.Pattern:
    """A word that starts with the term (a "y" stem also matches "ies")."""
    root = re.escape(term[:-1]) + "(?:y|ie)" if term.endswith("y") and len(term) > 4 else None
    return re.compile(rf"(?<!\w)(?:{root or re.escape(term)})[\w-]*", re.IGNORECASE)


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


def documents(library: Library) -> list[Document]:
    """Everything search looks through, in reading order."""
    found = [
        Document(
            "Lesson",
            reverse("lessons:lesson", args=[lesson.module_slug, lesson.slug]),
            lesson.title,
            lesson.summary,
            lesson.text,
            lesson.key,
        )
        for lesson in library.lessons
    ]
    found += [
        Document(
            "Exercise",
            reverse("playground:exercise", args=[exercise.slug]),
            exercise.title,
            exercise.summary,
            exercise.prompt_text,
            f"exercises/{exercise.slug}",
        )
        for exercise in library.exercises
    ]
    found += [
        Document(
            "Page",
            reverse("lessons:page", args=[page.slug]),
            page.title,
            page.summary,
            page.text,
            f"pages/{page.slug}",
        )
        for page in library.pages
    ]
    return found


def search(library: Library, query: str) -> list[Hit]:
    """Documents containing every word of the query, best first (title matches weigh most)."""
    terms = terms_of(query)
    if not terms:
        return []
    patterns = [_word_pattern(t) for t in terms]
    anywhere = re.compile("|".join(p.pattern for p in patterns), re.IGNORECASE)
    hits = []
    for document in documents(library):
        counts = [
            (
                len(p.findall(document.title)),
                len(p.findall(document.summary)),
                len(p.findall(document.text)),
            )
            for p in patterns
        ]
        if not all(any(c) for c in counts):
            continue
        score = sum(10 * title + 3 * summary + body for title, summary, body in counts)
        source = document.text if anywhere.search(document.text) else document.summary
        hits.append(
            Hit(
                document=document,
                title=highlight(document.title, anywhere),
                snippet=highlight(_snippet(source, anywhere), anywhere),
                score=score,
            )
        )
    return sorted(hits, key=lambda h: (-h.score, h.document.key))
