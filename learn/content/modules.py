"""Modules (`content/NN-slug/module.md`): an introduction and an ordered folder of lessons."""

import re
from dataclasses import dataclass
from pathlib import Path

from django.urls import reverse

from learn.content import links
from learn.content.lessons import Lesson, build_lesson, read_lesson
from learn.content.loader import TEXT, Check, Draft, Reader

MODULE_FILE = "module.md"
FIELDS: dict[str, Check] = {"title": TEXT, "summary": TEXT}


@dataclass(frozen=True)
class Module:
    """A module: an ordered group of lessons with an introduction."""

    slug: str
    number: int
    title: str
    summary: str
    marked_intro_html: str  # with links.mark markers: see `intro_html`
    lessons: tuple[Lesson, ...]
    path: Path

    @property
    def intro_html(self) -> str:
        """The introduction as HTML, its links under the current script prefix."""
        return links.expand(self.marked_intro_html)

    @property
    def minutes(self) -> int:
        """Total estimated time of the module's lessons."""
        return sum(lesson.minutes for lesson in self.lessons)

    @property
    def url(self) -> str:
        """The module's page."""
        return reverse("lessons:module", args=[self.slug])


@dataclass
class ModuleDraft:
    """A module folder read: its module.md and its lessons, before anything is rendered."""

    match: re.Match
    draft: Draft
    lessons: list[tuple[re.Match, Draft]]

    @property
    def slug(self) -> str:
        """The module's slug, from its folder name."""
        return self.match["slug"]

    def drafts(self) -> list[Draft]:
        """module.md, then the lessons in order."""
        return [self.draft, *(draft for _, draft in self.lessons)]

    def keyed_lessons(self) -> list[tuple[str, Draft]]:
        """Each lesson's `module/lesson` key and draft, in order."""
        return [(f"{self.slug}/{match['slug']}", draft) for match, draft in self.lessons]


def read_modules(reader: Reader, folders: list[Path]) -> list[ModuleDraft]:
    """Every module folder with its lessons, read in order; names used twice are reported."""
    modules = []
    for folder in folders:
        match = reader.numbered(folder)
        module_file = folder / MODULE_FILE
        if not match:
            continue
        if not module_file.is_file():
            reader.error(module_file, 1, "each module folder needs a module.md")
            continue
        draft = reader.read(module_file, FIELDS)
        lessons = []
        for path in sorted(folder.glob("*.md")):
            if path.name == MODULE_FILE:
                continue
            lesson_match = reader.numbered(path)
            if not lesson_match:
                continue
            lesson_draft = read_lesson(reader, path)
            if lesson_draft:
                lessons.append((lesson_match, lesson_draft))
        if draft:
            modules.append(ModuleDraft(match, draft, lessons))
    _check_unique(reader, modules)
    return modules


def _check_unique(reader: Reader, modules: list[ModuleDraft]) -> None:
    seen: dict[str, Path] = {}
    for module in modules:
        names = [(module.slug, module.draft.path)]
        names += [(key, draft.path) for key, draft in module.keyed_lessons()]
        for name, path in names:
            if name in seen:
                reader.error(path, 1, f"'{name}' is used twice (also {seen[name]})")
            seen[name] = path


def build_module(reader: Reader, module: ModuleDraft, order: list[str]) -> Module:
    """The module of rendered drafts, with its lessons; `order` holds every lesson's key."""
    meta = module.draft.meta
    return Module(
        slug=module.slug,
        number=int(module.match["number"]),
        title=str(meta.get("title", module.slug)),
        summary=str(meta.get("summary", "")),
        marked_intro_html=module.draft.rendered.html,
        lessons=tuple(
            build_lesson(reader, module.slug, match, draft, order)
            for match, draft in module.lessons
        ),
        path=module.draft.path,
    )
