"""The "My progress" report: per module, what is done and what to do next."""

from dataclasses import dataclass

from learn.content.exercises import Exercise
from learn.content.lessons import Lesson
from learn.content.library import Library
from learn.content.modules import Module
from learn.progress.learners import PASS_PERCENT, Standing


@dataclass(frozen=True)
class LessonRow:
    lesson: Lesson
    read: bool
    best: int | None  # best quiz score, if the quiz was finished
    exercises: tuple[tuple[Exercise, bool], ...]


@dataclass(frozen=True)
class ModuleReport:
    module: Module
    rows: tuple[LessonRow, ...]


@dataclass(frozen=True)
class ProgressReport:
    modules: tuple[ModuleReport, ...]
    other_exercises: tuple[tuple[Exercise, bool], ...]  # exercises whose lessons come later
    next_links: tuple[tuple[str, str], ...]  # (text, url) of what to do next


def progress_report(library: Library, state: Standing) -> ProgressReport:
    """Everything "My progress" shows, from the content and the learner's standing."""
    modules = []
    steps: list[tuple[str, str]] = []
    for module in library.modules:
        rows = []
        for lesson in module.lessons:
            exercises = tuple((e, e.slug in state.solved) for e in library.exercises_for(lesson))
            best = state.best_scores.get(lesson.key)
            rows.append(LessonRow(lesson, lesson.key in state.completed, best, exercises))
            if lesson.key not in state.completed:
                steps.append((f"Read “{lesson.title}”", lesson.url))
            elif lesson.quiz and (best is None or best < PASS_PERCENT):
                steps.append(
                    (
                        f"Take the quiz on “{lesson.title}”"
                        + (f" again (best {best}%)" if best is not None else ""),
                        lesson.quiz_url,
                    )
                )
            steps += [
                (f"Solve the exercise “{e.title}”", e.url) for e, done in exercises if not done
            ]
        modules.append(ModuleReport(module, tuple(rows)))
    others = tuple((e, e.slug in state.solved) for e in library.exercises if not e.lesson_key)
    steps += [(f"Solve the exercise “{e.title}”", e.url) for e, done in others if not done]
    return ProgressReport(tuple(modules), others, tuple(steps[:3]))
