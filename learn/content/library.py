"""The library: every module, lesson, exercise and page loaded together, their links checked
across files; and the process-wide copy of it, loaded once and reloaded on change under DEBUG."""

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from learn.content import links, search
from learn.content.exercises import FOLDER as EXERCISES_FOLDER
from learn.content.exercises import Exercise, load_exercises
from learn.content.lessons import Lesson
from learn.content.loader import ContentError, Reader
from learn.content.modules import Module, build_module, read_modules
from learn.content.pages import FOLDER as PAGES_FOLDER
from learn.content.pages import Page, load_pages


@dataclass(frozen=True)
class Library:
    """All content, in order, plus every error found while loading it."""

    modules: tuple[Module, ...]
    errors: tuple[ContentError, ...] = ()
    exercises: tuple[Exercise, ...] = ()
    pages: tuple[Page, ...] = ()
    _lessons: dict[str, Lesson] = field(default_factory=dict, repr=False, compare=False)
    # What search looks through, indexed once when loaded rather than on every query.
    documents: tuple[search.Document, ...] = field(default=(), repr=False, compare=False)

    def __post_init__(self) -> None:
        for module in self.modules:
            for lesson in module.lessons:
                self._lessons[lesson.key] = lesson

    @property
    def lessons(self) -> tuple[Lesson, ...]:
        """Every lesson in reading order."""
        return tuple(self._lessons.values())

    def module(self, slug: str) -> Module | None:
        """The module with this slug, if any."""
        return next((m for m in self.modules if m.slug == slug), None)

    def lesson(self, key: str) -> Lesson | None:
        """The lesson with this `module/lesson` key, if any."""
        return self._lessons.get(key)

    def exercise(self, slug: str) -> Exercise | None:
        """The exercise with this slug, if any."""
        return next((e for e in self.exercises if e.slug == slug), None)

    def page(self, slug: str) -> Page | None:
        """The page with this slug, if any."""
        return next((p for p in self.pages if p.slug == slug), None)

    def exercises_for(self, lesson: Lesson) -> list[Exercise]:
        """The exercises that belong to a lesson, then those its text links to."""
        own = [e for e in self.exercises if e.lesson_key == lesson.key]
        linked = [self.exercise(slug) for slug in lesson.exercise_links]
        return own + [e for e in linked if e is not None and e not in own]

    def neighbours(self, lesson: Lesson) -> tuple[Lesson | None, Lesson | None]:
        """The lessons before and after this one in reading order (across modules)."""
        keys = list(self._lessons)
        index = keys.index(lesson.key)
        previous = self._lessons[keys[index - 1]] if index > 0 else None
        following = self._lessons[keys[index + 1]] if index + 1 < len(keys) else None
        return previous, following


def load_library(root: Path, *, static_dir: Path, resolve: Callable[[str, str], str]) -> Library:
    """Load every module, lesson, exercise and page under `root`, collecting all content errors.

    `resolve(kind, target)` gives what a link to a lesson, exercise, page or static file becomes
    in the rendered HTML (the site passes links.mark).
    """
    reader = Reader(root, static_dir, resolve)
    if not root.is_dir():
        reader.error(root, 1, "the content folder does not exist")
        return Library((), tuple(reader.errors))
    folders = sorted(
        p for p in root.iterdir() if p.is_dir() and p.name not in (EXERCISES_FOLDER, PAGES_FOLDER)
    )
    modules = read_modules(reader, folders)
    module_drafts = [draft for module in modules for draft in module.drafts()]
    for draft in module_drafts:
        reader.render(draft)
    anchors = {
        key: {h.anchor for h in draft.rendered.headings}
        for module in modules
        for key, draft in module.keyed_lessons()
    }
    pages, page_drafts = load_pages(reader)
    exercises, exercise_drafts = load_exercises(reader, set(anchors))
    targets: dict[str, dict[str, set[str]]] = {
        "lesson": anchors,
        "page": {p.slug: {h.anchor for h in p.headings} for p in pages},
        "exercise": {e.slug: set() for e in exercises},
    }
    for draft in module_drafts + page_drafts + exercise_drafts:
        reader.check_references(draft, targets)
    order = list(anchors)
    built = tuple(build_module(reader, module, order) for module in modules)
    lessons = [lesson for module in built for lesson in module.lessons]
    return Library(
        built,
        tuple(sorted(reader.errors, key=lambda e: (str(e.path), e.line))),
        exercises,
        pages,
        documents=search.documents_of(lessons, exercises, pages),
    )


_lock = threading.Lock()
_cache: dict[Path, tuple[tuple, Library]] = {}


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
        library = load_library(root, static_dir=_static_dir(), resolve=links.mark)
        _cache[root] = (fingerprint, library)
    return library
