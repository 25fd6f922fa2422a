"""Lessons (`content/NN-module/NN-slug.md`): front matter, the rendered text, its questions."""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from django.urls import reverse

from learn.content import links, markdown
from learn.content.loader import (
    MINUTES,
    TEXT,
    TEXTS,
    Check,
    Draft,
    Reader,
    is_minutes,
    is_text,
    is_texts,
)
from learn.content.markdown import Heading
from learn.content.questions import Question
from learn.content.quizzes import INLINE_TYPES, QuestionContext, load_checks, load_quiz

NEEDS = {
    "browser": "a browser",
    "linux": "a Linux machine with root",
    "cluster": "a Kubernetes cluster",
}


def _sources(value: object) -> bool:
    return (
        isinstance(value, list)
        and len(value) > 0
        and all(
            isinstance(v, dict)
            and set(v) == {"title", "url"}
            and is_text(v["title"])
            and isinstance(v["url"], str)
            and v["url"].startswith("https://")
            for v in value
        )
    )


def _needs(value: object) -> bool:
    return isinstance(value, list) and len(value) > 0 and set(value) <= set(NEEDS)


FIELDS: dict[str, Check] = {
    "title": TEXT,
    "summary": TEXT,
    "minutes": MINUTES,
    "objectives": TEXTS,
    "sources": (_sources, "a non-empty list of {title, url} entries with https:// URLs"),
}
OPTIONAL: dict[str, Check] = {
    "needs": (_needs, f"a list of what the hands-on parts need: {', '.join(NEEDS)}"),
    "review": (lambda value: value is True, "true (a module review) or left out"),
    "no_exercise": (is_text, "a text saying why no exercise belongs to the lesson"),
}


@dataclass(frozen=True)
class Source:
    """A reference a lesson relies on."""

    title: str
    url: str


@dataclass(frozen=True)
class Lesson:
    """One lesson, ready to show."""

    module_slug: str
    slug: str
    number: int
    title: str
    summary: str
    minutes: int
    objectives: tuple[str, ...]
    sources: tuple[Source, ...]
    marked_html: str  # the text's HTML with links.mark markers: see `html`
    headings: tuple[Heading, ...]
    text: str
    path: Path
    quiz: tuple[Question, ...] = ()  # in order
    # Question id -> prompt HTML (marked), for the quiz's questions and those asked in the text.
    marked_prompts: dict[str, str] = field(default_factory=dict, compare=False)
    needs: tuple[str, ...] = ()  # what the hands-on parts need: see NEEDS
    review: bool = False  # a module review: a recap and a quiz across the module
    no_exercise: str = ""  # why no exercise belongs to this lesson, when none does
    # Questions asked in place ("predict, then read on"), graded but never recorded.
    checks: tuple[Question, ...] = ()
    # (marked HTML, id of the check after it or ""): see `segments`
    marked_segments: tuple[tuple[str, str], ...] = ()
    exercise_links: tuple[str, ...] = ()  # exercises the text links to, besides its own

    # Links are made URLs on access, under the script prefix of the request (see links.py).
    @property
    def html(self) -> str:
        """The lesson's text as HTML."""
        return links.expand(self.marked_html)

    @property
    def segments(self) -> tuple[tuple[str, str], ...]:
        """The text's HTML cut at each check asked in it: (HTML, id of the check after it or "")."""
        return tuple((links.expand(html), check_id) for html, check_id in self.marked_segments)

    @property
    def prompts(self) -> Mapping[str, str]:
        """Question id -> prompt HTML."""
        return links.Expanded(self.marked_prompts)

    @property
    def key(self) -> str:
        """The stable identifier that user data refers to: `module/lesson`."""
        return f"{self.module_slug}/{self.slug}"

    # URLs are reversed on access, not stored at load: the library loads before URLconfs are ready,
    # and content stays independent of where the site mounts its apps.
    @property
    def url(self) -> str:
        """The lesson's page."""
        return reverse("lessons:lesson", args=[self.module_slug, self.slug])

    @property
    def quiz_url(self) -> str:
        """The lesson's quiz page (meaningful only when the lesson has a quiz)."""
        return reverse("quizzes:quiz", args=[self.module_slug, self.slug])


def read_lesson(reader: Reader, path: Path) -> Draft | None:
    """A lesson file read, its front matter checked (rendered later, with the others)."""
    return reader.read(path, FIELDS, OPTIONAL)


def build_lesson(
    reader: Reader, module_slug: str, match: re.Match, draft: Draft, order: list[str]
) -> Lesson:
    """The lesson of a rendered draft, with its questions; `order` holds every lesson's key."""
    meta = draft.meta
    key = f"{module_slug}/{match['slug']}"
    anchors = {h.anchor for h in draft.rendered.headings}
    earlier = set(order[: order.index(key)]) if key in order else set()
    checks_context = QuestionContext(anchors, earlier, types=INLINE_TYPES)
    checks, segments = load_checks(reader, draft, checks_context)
    quiz_context = QuestionContext(anchors, earlier, seen=set(checks_context.seen))
    quiz = load_quiz(reader, draft.path, quiz_context)
    # Fields were checked when read; fall back to harmless values so a page still renders.
    sources = meta["sources"] if _sources(meta.get("sources")) else []
    return Lesson(
        module_slug=module_slug,
        slug=match["slug"],
        number=int(match["number"]),
        title=str(meta.get("title", match["slug"])),
        summary=str(meta.get("summary", "")),
        minutes=meta["minutes"] if is_minutes(meta.get("minutes")) else 0,
        objectives=tuple(meta["objectives"]) if is_texts(meta.get("objectives")) else (),
        sources=tuple(Source(s["title"], s["url"]) for s in sources),
        marked_html=markdown.QUESTION_MARKER.sub("", draft.rendered.html),
        headings=draft.rendered.headings,
        text=draft.rendered.text,
        path=draft.path,
        quiz=quiz,
        marked_prompts=checks_context.prompts | quiz_context.prompts,
        needs=tuple(meta["needs"]) if _needs(meta.get("needs")) else (),
        review=meta.get("review") is True,
        no_exercise=meta["no_exercise"] if is_text(meta.get("no_exercise")) else "",
        checks=checks,
        marked_segments=segments,
        exercise_links=tuple(
            dict.fromkeys(r.target for r in draft.rendered.references if r.kind == "exercise")
        ),
    )
