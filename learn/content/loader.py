"""Load lessons from `content/` into typed, immutable objects with their HTML pre-rendered.

Layout: one folder per module, `content/NN-module-slug/`, holding `module.md` (front matter and
intro) and one `NN-lesson-slug.md` per lesson; `content/exercises/` and `content/pages/` hold the
exercises and the other pages. The number prefixes give the order. Every mistake an
author can make is collected as a ContentError with its file and line, never raised, so one
command (`checkcontent`) can report them all at once.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.urls import reverse

from learn.content import markdown
from learn.content.markdown import Heading

NUMBERED = re.compile(r"^(?P<number>\d+)-(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)$")
MODULE_FILE = "module.md"


@dataclass(frozen=True)
class ContentError:
    """A mistake in a content file, at a line (1-based)."""

    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"

    @property
    def location(self) -> str:
        """`file:line`, the file relative to the working directory when it is inside it."""
        path = (
            self.path.relative_to(Path.cwd()) if self.path.is_relative_to(Path.cwd()) else self.path
        )
        return f"{path}:{self.line}"


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
    html: str
    headings: tuple[Heading, ...]
    text: str
    path: Path
    quiz: tuple = ()  # learn.content.questions.Question, in order
    quiz_prompts: dict = field(default_factory=dict, compare=False)  # question id -> prompt HTML
    needs: tuple[str, ...] = ()  # what the hands-on parts need: see NEEDS
    review: bool = False  # a module review: a recap and a quiz across the module
    no_exercise: str = ""  # why no exercise belongs to this lesson, when none does
    # Questions asked in place ("predict, then read on"), graded but never recorded.
    checks: tuple = ()
    segments: tuple[tuple[str, str], ...] = ()  # (HTML, id of the check after it or "")
    exercise_links: tuple[str, ...] = ()  # exercises the text links to, besides its own

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


@dataclass(frozen=True)
class Module:
    """A module: an ordered group of lessons with an introduction."""

    slug: str
    number: int
    title: str
    summary: str
    intro_html: str
    lessons: tuple[Lesson, ...]
    path: Path

    @property
    def minutes(self) -> int:
        """Total estimated time of the module's lessons."""
        return sum(lesson.minutes for lesson in self.lessons)

    @property
    def url(self) -> str:
        """The module's page."""
        return reverse("lessons:module", args=[self.slug])


@dataclass(frozen=True)
class Exercise:
    """A hands-on task in the playground: a prompt, a starter spec, goals, hints, a solution."""

    slug: str
    title: str
    summary: str
    topic: str
    minutes: int
    lesson_key: str  # "" until the lesson it belongs to exists
    kubernetes_version: str | None
    hints: tuple[str, ...]
    goals: tuple[dict, ...]
    starter: str
    solution: str
    prompt_html: str
    path: Path
    prompt_text: str = ""  # the prompt as plain text, for search

    @property
    def url(self) -> str:
        """The exercise's page in the playground."""
        return reverse("playground:exercise", args=[self.slug])


@dataclass(frozen=True)
class Page:
    """A page outside the course, such as what a learner needs to set up."""

    slug: str
    title: str
    summary: str
    html: str
    headings: tuple[Heading, ...]
    text: str
    path: Path

    @property
    def url(self) -> str:
        """The page's address."""
        return reverse("lessons:page", args=[self.slug])


@dataclass(frozen=True)
class Library:
    """All content, in order, plus every error found while loading it."""

    modules: tuple[Module, ...]
    errors: tuple[ContentError, ...] = ()
    exercises: tuple[Exercise, ...] = ()
    pages: tuple[Page, ...] = ()
    _lessons: dict[str, Lesson] = field(default_factory=dict, repr=False, compare=False)

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


# Front matter fields: name -> (required for modules, required for lessons, checker).
def _text(value) -> bool:
    return isinstance(value, str) and value.strip() != ""


def _minutes(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 240


def _texts(value) -> bool:
    return isinstance(value, list) and len(value) > 0 and all(_text(v) for v in value)


def _sources(value) -> bool:
    return (
        isinstance(value, list)
        and len(value) > 0
        and all(
            isinstance(v, dict)
            and set(v) == {"title", "url"}
            and _text(v["title"])
            and isinstance(v["url"], str)
            and v["url"].startswith("https://")
            for v in value
        )
    )


NEEDS = {
    "browser": "a browser",
    "linux": "a Linux machine with root",
    "cluster": "a Kubernetes cluster",
}


def _needs(value) -> bool:
    return isinstance(value, list) and len(value) > 0 and set(value) <= set(NEEDS)


FIELD_RULES: dict[str, tuple[Callable[[object], bool], str]] = {
    "title": (_text, "a non-empty text"),
    "summary": (_text, "a non-empty text"),
    "minutes": (_minutes, "a whole number of minutes from 1 to 240"),
    "objectives": (_texts, "a non-empty list of texts"),
    "sources": (_sources, "a non-empty list of {title, url} entries with https:// URLs"),
    "needs": (_needs, f"a list of what the hands-on parts need: {', '.join(NEEDS)}"),
    "review": (lambda value: value is True, "true (a module review) or left out"),
    "no_exercise": (_text, "a text saying why no exercise belongs to the lesson"),
}


def _yaml_text(value) -> bool:
    return isinstance(value, str) and value.strip() != "" and len(value) <= 64 * 1024


def _goals(value) -> bool:
    from learn.podspec.goals import check_goal

    return isinstance(value, list) and len(value) > 0 and all(check_goal(g) is None for g in value)


def _version(value) -> bool:
    from learn.podspec import VERSIONS

    return str(value) in VERSIONS


FIELD_RULES |= {
    "topic": (_text, "a non-empty text"),
    "lesson": (_text, "a lesson key, module/lesson"),
    "hints": (_texts, "a non-empty list of texts"),
    "goals": (_goals, "a non-empty list of goals (see learn/podspec/goals.py)"),
    "starter": (_yaml_text, "the starting spec, as a YAML block (`starter: |`)"),
    "solution": (_yaml_text, "the reference solution, as a YAML block (`solution: |`)"),
    "kubernetes_version": (_version, 'a shipped Kubernetes version such as "1.35"'),
}
MODULE_FIELDS = ("title", "summary")
LESSON_FIELDS = ("title", "summary", "minutes", "objectives", "sources")
LESSON_OPTIONAL = ("needs", "review", "no_exercise")
PAGE_FIELDS = ("title", "summary")
EXERCISE_FIELDS = ("title", "summary", "topic", "minutes", "hints", "goals", "starter", "solution")
EXERCISE_OPTIONAL = ("lesson", "kubernetes_version")
EXERCISES_FOLDER = "exercises"
PAGES_FOLDER = "pages"
SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


def _line_of(lines: list[str], name: object) -> int:
    """The line of a front matter field (1 when it cannot be found)."""
    return next((i for i, text in enumerate(lines, 1) if text.startswith(f"{name}:")), 1)


@dataclass
class _Draft:
    """A content file read and split, before links across files can be checked."""

    path: Path
    meta: dict
    body: str
    body_line: int  # line number of the body's first line in the file
    rendered: markdown.Rendered | None = None


@dataclass
class _QuestionContext:
    """What checking the questions of one lesson needs, and what it collects."""

    anchors: set[str]  # the lesson's section anchors
    earlier: set[str]  # keys of the lessons before it, which a question may revisit
    types: tuple[str, ...] = ()  # the question types allowed, when not all
    seen: set[str] = field(default_factory=set)  # ids used so far
    prompts: dict[str, str] = field(default_factory=dict)  # id -> prompt HTML


# Questions asked in place: quick to answer in a lesson, and small enough for a GET request.
INLINE_TYPES = ("single", "multiple", "true_false", "ordering", "short", "find_line")


class _Loader:
    def __init__(self, root: Path, static_dir: Path, resolve):
        self.root = root
        self.static_dir = static_dir
        self.resolve = resolve
        self.errors: list[ContentError] = []

    def error(self, path: Path, line: int, message: str) -> None:
        self.errors.append(ContentError(path, line, message))

    def read(
        self, path: Path, fields: tuple[str, ...], optional: tuple[str, ...] = ()
    ) -> _Draft | None:
        """Read a file, split its front matter and check its fields."""
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            line = path.read_bytes()[: exc.start].count(b"\n") + 1
            self.error(path, line, "the file is not valid UTF-8 text")
            return None
        lines = text.splitlines()
        if not lines or lines[0].strip() != "---":
            self.error(path, 1, "the file must start with '---' and YAML front matter")
            return None
        # The closing line is `---` at the start of a line (an indented one belongs to a YAML block).
        end = next((i for i, line in enumerate(lines[1:], 1) if line.rstrip() == "---"), None)
        if end is None:
            self.error(path, 1, "the front matter is not closed by a line '---'")
            return None
        front = "\n".join(lines[1:end])
        try:
            meta = yaml.safe_load(front) or {}
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 2 if mark else 1
            problem = getattr(exc, "problem", None) or str(exc)
            self.error(path, line, f"front matter is not valid YAML: {problem}")
            return None
        if not isinstance(meta, dict):
            self.error(path, 2, "front matter must be a mapping of field: value")
            return None
        self.check_fields(path, lines[:end], meta, fields, optional)
        return _Draft(path, meta, "\n".join(lines[end + 1 :]), end + 2)

    def check_fields(self, path, lines, meta: dict, fields: tuple[str, ...], optional=()) -> None:
        for name in meta:
            if name not in fields + optional:
                allowed = ", ".join(fields + optional)
                self.error(
                    path, _line_of(lines, name), f"unknown field '{name}' (allowed: {allowed})"
                )
        for name in fields + optional:
            check, expected = FIELD_RULES[name]
            if name not in meta:
                if name in fields:
                    self.error(path, 2, f"missing field '{name}': it must be {expected}")
            elif not check(meta[name]):
                self.error(path, _line_of(lines, name), f"field '{name}' must be {expected}")

    def render(self, draft: _Draft) -> None:
        for line, language in markdown.unknown_code_languages(draft.body):
            self.error(
                draft.path,
                draft.body_line + line - 1,
                f"unknown code language '{language}' (use a Pygments name such as yaml, "
                "shell, console, go, python, json or text)",
            )
        draft.rendered = markdown.render(draft.body, resolve=self.resolve)
        self.check_pod_blocks(draft)

    def check_pod_blocks(self, draft: _Draft) -> None:
        """A ```pod block must pass the engine, unless it says it is broken (then it must not)."""
        lines = [
            i for i, text in enumerate(draft.body.splitlines()) if markdown.POD_FENCE.match(text)
        ]
        for line, block in zip(lines, draft.rendered.pod_blocks, strict=False):
            where = draft.body_line + line
            errors = block.report.errors
            if errors and not block.broken:
                for error in errors:
                    self.error(
                        draft.path,
                        where + error.line,
                        f"pod block: {error.message} [{error.code}] (mark the block `pod broken` if "
                        "the mistake is meant)",
                    )
            elif block.broken and not errors:
                self.error(draft.path, where, "pod block is marked `broken` but has no error")

    def line_in_body(self, draft: _Draft, needle: str) -> int:
        for number, line in enumerate(draft.body.splitlines()):
            if needle in line:
                return draft.body_line + number
        return draft.body_line

    def check_references(self, draft: _Draft, targets: dict[str, dict[str, set[str]]]) -> None:
        """Every link goes to content that exists: targets maps scheme -> name -> anchors."""
        for reference in draft.rendered.references:
            line = self.line_in_body(draft, reference.target)
            if reference.kind == "static":
                if not self.static_file_exists(reference.target):
                    self.error(draft.path, line, f"no file static/{reference.target}")
                continue
            kind = reference.kind
            key, _, anchor = reference.target.partition("#")
            if key not in targets[kind]:
                usage = " (use module/lesson)" if kind == "lesson" else ""
                self.error(draft.path, line, f"link to unknown {kind} '{key}'{usage}")
            elif anchor and anchor not in targets[kind][key]:
                self.error(draft.path, line, f"{kind} '{key}' has no section '#{anchor}'")

    def static_file_exists(self, target: str) -> bool:
        path = (self.static_dir / target).resolve()
        return path.is_file() and path.is_relative_to(self.static_dir.resolve())

    def numbered(self, path: Path) -> re.Match | None:
        match = NUMBERED.match(path.stem if path.is_file() else path.name)
        if not match:
            self.error(
                path, 1, "name must be NN-slug (digits, a hyphen, lower-case words with hyphens)"
            )
        return match

    def load(self) -> Library:
        if not self.root.is_dir():
            self.error(self.root, 1, "the content folder does not exist")
            return Library((), tuple(self.errors))
        modules = []  # (match, draft, [(match, draft)])
        folders = sorted(
            p
            for p in self.root.iterdir()
            if p.is_dir() and p.name not in (EXERCISES_FOLDER, PAGES_FOLDER)
        )
        for folder in folders:
            match = self.numbered(folder)
            module_file = folder / MODULE_FILE
            if not match:
                continue
            if not module_file.is_file():
                self.error(module_file, 1, "each module folder needs a module.md")
                continue
            draft = self.read(module_file, MODULE_FIELDS)
            lessons = []
            for path in sorted(folder.glob("*.md")):
                if path.name == MODULE_FILE:
                    continue
                lesson_match = self.numbered(path)
                lesson_draft = (
                    self.read(path, LESSON_FIELDS, LESSON_OPTIONAL) if lesson_match else None
                )
                if lesson_draft:
                    lessons.append((lesson_match, lesson_draft))
            if draft:
                modules.append((match, draft, lessons))
        self.check_unique(modules)
        for _, draft, lessons in modules:
            for item in [draft, *(d for _, d in lessons)]:
                self.render(item)
        anchors = {
            f"{m['slug']}/{lm['slug']}": {h.anchor for h in d.rendered.headings}
            for m, _, lessons in modules
            for lm, d in lessons
        }
        pages, page_drafts = self.load_pages()
        exercises, exercise_drafts = self.load_exercises(set(anchors))
        targets = {
            "lesson": anchors,
            "page": {p.slug: {h.anchor for h in p.headings} for p in pages},
            "exercise": {e.slug: set() for e in exercises},
        }
        drafts = [d for _, module, lessons in modules for d in [module, *(d for _, d in lessons)]]
        for draft in drafts + page_drafts + exercise_drafts:
            self.check_references(draft, targets)
        order = list(anchors)
        built = tuple(self.build_module(m, d, lessons, order) for m, d, lessons in modules)
        return Library(
            built,
            tuple(sorted(self.errors, key=lambda e: (str(e.path), e.line))),
            exercises,
            pages,
        )

    def load_pages(self) -> tuple[tuple[Page, ...], list[_Draft]]:
        pages, drafts = [], []
        for path in sorted((self.root / PAGES_FOLDER).glob("*.md")):
            if not SLUG.fullmatch(path.stem):
                self.error(
                    path, 1, "a page's file name must be its slug: lower-case words with hyphens"
                )
                continue
            draft = self.read(path, PAGE_FIELDS)
            if draft is None:
                continue
            self.render(draft)
            drafts.append(draft)
            rendered = draft.rendered
            pages.append(
                Page(
                    slug=path.stem,
                    title=str(draft.meta.get("title", path.stem)),
                    summary=str(draft.meta.get("summary", "")),
                    html=rendered.html,
                    headings=rendered.headings,
                    text=rendered.text,
                    path=path,
                )
            )
        return tuple(pages), drafts

    def load_exercises(self, lesson_keys: set[str]) -> tuple[tuple[Exercise, ...], list[_Draft]]:
        exercises, drafts = [], []
        for path in sorted((self.root / EXERCISES_FOLDER).glob("*.md")):
            if not SLUG.fullmatch(path.stem):
                self.error(
                    path,
                    1,
                    "an exercise's file name must be its slug: lower-case words with hyphens",
                )
                continue
            draft = self.read(path, EXERCISE_FIELDS, EXERCISE_OPTIONAL)
            if draft is None or not all(
                FIELD_RULES[f][0](draft.meta.get(f)) for f in EXERCISE_FIELDS
            ):
                continue
            meta = draft.meta
            lines = path.read_text(encoding="utf-8").splitlines()
            if "lesson" in meta and meta["lesson"] not in lesson_keys:
                self.error(
                    path,
                    _line_of(lines, "lesson"),
                    f"no lesson '{meta['lesson']}' (use module/lesson)",
                )
            self.check_exercise(path, lines, meta)
            self.render(draft)
            drafts.append(draft)
            exercises.append(
                Exercise(
                    slug=path.stem,
                    title=meta["title"],
                    summary=meta["summary"],
                    topic=meta["topic"],
                    minutes=meta["minutes"],
                    lesson_key=meta.get("lesson", "") if meta.get("lesson") in lesson_keys else "",
                    kubernetes_version=str(meta["kubernetes_version"])
                    if "kubernetes_version" in meta
                    else None,
                    hints=tuple(meta["hints"]),
                    goals=tuple(meta["goals"]),
                    starter=meta["starter"],
                    solution=meta["solution"],
                    prompt_html=draft.rendered.html,
                    path=path,
                    prompt_text=draft.rendered.text,
                )
            )
        return tuple(exercises), drafts

    def check_exercise(self, path: Path, lines: list[str], meta: dict) -> None:
        """The solution must pass and meet every goal; the starter must not already be done."""
        from learn.podspec import check
        from learn.podspec.goals import met

        version = meta.get("kubernetes_version")
        for key in ("solution", "starter"):
            report = check(meta[key], kubernetes_version=str(version) if version else None)
            unmet = [g["text"] for g in meta["goals"] if not met(g, report)]
            start = _line_of(lines, key)
            if key == "solution":
                for error in report.errors:
                    self.error(
                        path, start + error.line, f"solution: {error.message} [{error.code}]"
                    )
                for text in unmet:
                    self.error(path, start, f"solution does not meet the goal: {text}")
            elif not unmet:
                self.error(path, start, "the starter already meets every goal")

    def check_unique(self, modules) -> None:
        seen: dict[str, Path] = {}
        for match, draft, lessons in modules:
            names = [(match["slug"], draft.path)]
            names += [(f"{match['slug']}/{lm['slug']}", d.path) for lm, d in lessons]
            for name, path in names:
                if name in seen:
                    self.error(path, 1, f"'{name}' is used twice (also {seen[name]})")
                seen[name] = path

    def build_module(self, match, draft: _Draft, lessons, order: list[str]) -> Module:
        meta = draft.meta
        return Module(
            slug=match["slug"],
            number=int(match["number"]),
            title=str(meta.get("title", match["slug"])),
            summary=str(meta.get("summary", "")),
            intro_html=draft.rendered.html,
            lessons=tuple(self.build_lesson(match["slug"], lm, d, order) for lm, d in lessons),
            path=draft.path,
        )

    def question(self, path: Path, line: int, label: str, raw, context: _QuestionContext):
        """One question checked and built (None when it has problems, each reported at `line`)."""
        from learn.content.questions import build, problems_of

        problems = problems_of(raw, context.seen)
        if isinstance(raw, dict):
            if raw.get("section") and raw["section"] not in context.anchors:
                problems.append(f"the lesson has no section `#{raw['section']}`")
            revisits = raw.get("revisits")
            if revisits is not None and revisits not in context.earlier:
                problems.append(
                    f"`revisits: {revisits}` must name an earlier lesson (module/lesson)"
                )
            if context.types and raw.get("type") not in context.types:
                problems.append(f"a question in a lesson is one of: {', '.join(context.types)}")
        for problem in problems:
            self.error(path, line, f"{label}: {problem}")
        if problems:
            return None
        context.seen.add(raw["id"])
        question = build(raw)
        context.prompts[question.id] = markdown.render(question.prompt, resolve=self.resolve).html
        return question

    def load_checks(self, draft: _Draft, context: _QuestionContext) -> tuple[tuple, tuple]:
        """The ```question blocks of a lesson: the questions, and the HTML cut around them."""
        fences = [
            draft.body_line + i
            for i, text in enumerate(draft.body.splitlines())
            if markdown.QUESTION_FENCE.match(text)
        ]
        ids, checks = {}, []
        for index, (line, source) in enumerate(
            zip(fences, draft.rendered.question_blocks, strict=False)
        ):
            try:
                raw = yaml.safe_load(source)
            except yaml.YAMLError as exc:
                mark = getattr(exc, "problem_mark", None)
                where = line + (mark.line if mark else 0)
                self.error(draft.path, where, f"question block is not valid YAML: {exc}")
                continue
            question = self.question(draft.path, line, "question block", raw, context)
            if question:
                checks.append(question)
                ids[index] = question.id
        segments = tuple((html, ids.get(index, "")) for html, index in draft.rendered.segments())
        return tuple(checks), segments

    def load_quiz(self, lesson_path: Path, context: _QuestionContext) -> tuple:
        """The quiz beside a lesson (`NN-slug.quiz.yaml`), checked question by question."""
        path = lesson_path.with_suffix(".quiz.yaml")
        if not path.is_file():
            return ()
        text = path.read_text(encoding="utf-8")
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            self.error(
                path,
                mark.line + 1 if mark else 1,
                f"not valid YAML: {getattr(exc, 'problem', exc)}",
            )
            return ()
        raw_questions = data.get("questions") if isinstance(data, dict) else None
        if not isinstance(raw_questions, list) or len(raw_questions) < 3:
            self.error(path, 1, "a quiz is a mapping with `questions:`, a list of at least three")
            return ()
        lines = text.splitlines()
        questions = []
        for number, raw in enumerate(raw_questions, start=1):
            qid = raw.get("id") if isinstance(raw, dict) else None
            line = next(
                (
                    i
                    for i, t in enumerate(lines, 1)
                    if qid and re.search(rf"\bid:\s*{re.escape(str(qid))}\s*$", t)
                ),
                1,
            )
            question = self.question(path, line, f"question {number}", raw, context)
            if question:
                questions.append(question)
        return tuple(questions)

    def build_lesson(self, module_slug: str, match, draft: _Draft, order: list[str]) -> Lesson:
        meta = draft.meta
        key = f"{module_slug}/{match['slug']}"
        anchors = {h.anchor for h in draft.rendered.headings}
        earlier = set(order[: order.index(key)]) if key in order else set()
        checks_context = _QuestionContext(anchors, earlier, types=INLINE_TYPES)
        checks, segments = self.load_checks(draft, checks_context)
        quiz_context = _QuestionContext(anchors, earlier, seen=set(checks_context.seen))
        quiz = self.load_quiz(draft.path, quiz_context)
        # Fields were checked above; fall back to harmless values so a page still renders.
        sources = meta.get("sources") if _sources(meta.get("sources")) else []
        return Lesson(
            module_slug=module_slug,
            slug=match["slug"],
            number=int(match["number"]),
            title=str(meta.get("title", match["slug"])),
            summary=str(meta.get("summary", "")),
            minutes=meta["minutes"] if _minutes(meta.get("minutes")) else 0,
            objectives=tuple(meta["objectives"]) if _texts(meta.get("objectives")) else (),
            sources=tuple(Source(s["title"], s["url"]) for s in sources),
            html=markdown.QUESTION_MARKER.sub("", draft.rendered.html),
            headings=draft.rendered.headings,
            text=draft.rendered.text,
            path=draft.path,
            quiz=quiz,
            quiz_prompts=checks_context.prompts | quiz_context.prompts,
            needs=tuple(meta["needs"]) if _needs(meta.get("needs")) else (),
            review=meta.get("review") is True,
            no_exercise=meta["no_exercise"] if _text(meta.get("no_exercise")) else "",
            checks=checks,
            segments=segments,
            exercise_links=tuple(
                dict.fromkeys(r.target for r in draft.rendered.references if r.kind == "exercise")
            ),
        )


def load_library(root: Path, *, static_dir: Path, resolve: Callable[[str, str], str]) -> Library:
    """Load every module, lesson, exercise and page under `root`, collecting all content errors.

    `resolve(kind, target)` gives the URL of a lesson, exercise, page or static file.
    """
    return _Loader(root, static_dir, resolve).load()
