"""Search across lessons, exercises and pages, in memory (the content is small and loaded).

A word of the query matches a whole word of the text with the same stem, so "sidecars" finds
"sidecar" and "sidecar" finds "sidecars", or a part of a compound name ("init" finds
"initContainers", "probe" finds "readinessProbe"); never the start of another word ("init" does not
find "Initiative"). A document must match every word of the query.
"""

import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

if TYPE_CHECKING:  # only annotations: the library module imports this one
    from learn.content.exercises import Exercise
    from learn.content.lessons import Lesson
    from learn.content.library import Library
    from learn.content.pages import Page

MAX_QUERY = 200
MAX_TERMS = 6  # a query of more words than this says nothing more, and costs more
SNIPPET_CHARS = 220
# Endings taken off a word, with the shortest stem each may leave: a plural "s" (not "ss"), "es"
# only after a hissing sound ("boxes"), "ies" as "y"; verb endings only from longer words, so
# that "probing" does not come down to "prob" and find "problem".
ENDINGS = (("ies", 3), ("ing", 5), ("ed", 5), ("es", 3), ("s", 3))
HISSING = ("s", "x", "z", "ch", "sh")
Index = Counter[str]  # see Document.index


@dataclass(frozen=True)
class Document:
    """Something search can find: a lesson, an exercise or a page."""

    kind: str  # shown beside the title: "Lesson", "Exercise", "Page"
    item: "Lesson | Exercise | Page" = field(compare=False, repr=False)
    title: str
    summary: str
    text: str
    key: str  # stable identity, for ordering ties and tests
    # Per field (title, summary, text): how many of its words each stem stands for (see keys_of).
    index: tuple[Index, Index, Index] = field(compare=False, repr=False)

    @property
    def url(self) -> str:
        """Where the document is read."""
        return self.item.url

    def counts(self, term: str) -> tuple[int, int, int]:
        """How many words of the title, summary and text the term matches."""
        title, summary, text = self.index
        return title[term], summary[term], text[term]


WORD = re.compile(r"\w+")
# The parts of a compound name: "initContainers" is "init" and "Containers", "HTTPGet" is "HTTP"
# and "Get", "max_surge" is "max" and "surge".
PART = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")


@lru_cache(maxsize=1 << 16)  # the course has a few thousand distinct words; queries add few
def keys_of(word: str) -> frozenset[str]:
    """The stems a word of the text is found by: its own and those of its parts."""
    return frozenset(stem(part.lower()) for part in [word, *PART.findall(word)])


def _indexed(text: str) -> Index:
    return Counter(key for word in WORD.findall(text) for key in keys_of(word))


@dataclass(frozen=True)
class Hit:
    """A document that matches a query, with its matches highlighted."""

    document: Document
    title: SafeString
    snippet: SafeString
    score: int


def stem(word: str) -> str:
    """The word without a plural or verb ending (so "sidecars" and "probes" find their roots)."""
    for ending, shortest in ENDINGS:
        root = word[: -len(ending)]
        if not word.endswith(ending) or len(root) < shortest:
            continue
        if ending == "ies":
            return root + "y"
        if ending == "es" and not root.endswith(HISSING):
            continue  # "probes" is "probe" + "s"
        if ending == "s" and root.endswith("s"):
            continue  # "class", "pass"
        return root
    return word


def terms_of(query: str) -> list[str]:
    """The distinct stems of a query's words, longest first.

    Single letters count only when the query has nothing longer: they match almost everything.
    """
    words = {stem(w) for w in WORD.findall(query[:MAX_QUERY].lower())}
    longer = {w for w in words if len(w) > 1}
    return sorted(longer or words, key=lambda w: (-len(w), w))[:MAX_TERMS]


def _matches(text: str, terms: frozenset[str]) -> Iterator[re.Match]:
    """The whole words of the text that one of the terms matches."""
    return (m for m in WORD.finditer(text) if keys_of(m.group()) & terms)


def highlight(text: str, terms: frozenset[str]) -> SafeString:
    """Escape text and wrap every word the terms match in <mark>."""
    parts, last = [], 0
    for match in _matches(text, terms):
        parts += [escape(text[last : match.start()]), f"<mark>{escape(match.group())}</mark>"]
        last = match.end()
    parts.append(escape(text[last:]))
    return mark_safe("".join(parts))


def _snippet(text: str, terms: frozenset[str]) -> str:
    match = next(_matches(text, terms), None)
    if not match:
        return text[:SNIPPET_CHARS] + ("…" if len(text) > SNIPPET_CHARS else "")
    start = max(0, match.start() - SNIPPET_CHARS // 3)
    start = text.rfind(" ", 0, start) + 1 if start else 0
    end = min(len(text), start + SNIPPET_CHARS)
    end = text.find(" ", end) if text.find(" ", end) != -1 else len(text)
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")


def documents_of(
    lessons: Sequence["Lesson"], exercises: Sequence["Exercise"], pages: Sequence["Page"]
) -> tuple[Document, ...]:
    """Everything search looks through, in reading order, indexed (once, when content loads)."""
    items: list[tuple[str, Lesson | Exercise | Page, str, str]]
    items = [("Lesson", x, x.text, x.key) for x in lessons]
    items += [("Exercise", x, x.prompt_text, f"exercises/{x.slug}") for x in exercises]
    items += [("Page", x, x.text, f"pages/{x.slug}") for x in pages]
    return tuple(
        Document(
            kind,
            item,
            item.title,
            item.summary,
            text,
            key,
            (_indexed(item.title), _indexed(item.summary), _indexed(text)),
        )
        for kind, item, text, key in items
    )


def search(library: "Library", query: str) -> list[Hit]:
    """Documents containing every word of the query, best first (title matches weigh most)."""
    terms = terms_of(query)
    if not terms:
        return []
    wanted = frozenset(terms)
    hits = []
    for document in library.documents:
        counts = [document.counts(term) for term in terms]
        if not all(any(found) for found in counts):
            continue
        score = sum(10 * title + 3 * summary + body for title, summary, body in counts)
        source = document.text if any(found[2] for found in counts) else document.summary
        hits.append(
            Hit(
                document=document,
                title=highlight(document.title, wanted),
                snippet=highlight(_snippet(source, wanted), wanted),
                score=score,
            )
        )
    return sorted(hits, key=lambda h: (-h.score, h.document.key))
