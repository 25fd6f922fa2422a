"""A Learner owns all progress. Anonymous learners are found through their session; when
accounts arrive, a user gets a Learner of their own and adopts the anonymous one's records."""

import uuid

from django.conf import settings
from django.db import models, transaction
from django.db.models.functions import Now
from django.utils import timezone


class Learner(models.Model):
    """Someone learning on the site, with or without an account."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="learner",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The last day an anonymous learner came back (kept to the day, so reading stays write-free):
    # `clearanonymous` deletes those idle for longer than ANONYMOUS_PROGRESS_DAYS. The database
    # default lets the previous release, which does not name it, insert during a rolling update.
    last_seen = models.DateTimeField(default=timezone.now, db_default=Now(), db_index=True)
    # The `module/lesson` key of the last lesson opened, for "continue where you left off".
    last_lesson = models.CharField(max_length=201, blank=True)

    def __str__(self) -> str:
        return f"learner {self.id}" + (f" ({self.user})" if self.user_id else "")

    def completed_keys(self) -> set[str]:
        """The keys of every lesson this learner has completed."""
        return {
            f"{module}/{lesson}"
            for module, lesson in self.completions.values_list("module_slug", "lesson_slug")
        }

    def solved_slugs(self) -> set[str]:
        """The slugs of every exercise this learner has solved."""
        return set(self.solutions.values_list("exercise_slug", flat=True))

    def best_scores(self) -> dict[str, int]:
        """The best finished quiz score (percent) per lesson key."""
        # Through the attempts' reverse relation, as `adopt` moves them: progress reads the
        # quizzes app's rows without importing it, so the apps keep one direction.
        best: dict[str, int] = {}
        finished = self.quiz_attempts.filter(finished_at__isnull=False)
        for key, correct, total in finished.values_list("lesson_key", "correct", "total"):
            best[key] = max(best.get(key, 0), round(100 * correct / total) if total else 0)
        return best

    @transaction.atomic
    def adopt(self, other: "Learner") -> None:
        """Take over another learner's progress (e.g. an anonymous one who just signed up)."""
        mine = self.completed_keys()
        for completion in other.completions.all():
            if completion.key not in mine:
                completion.learner = self
                completion.save(update_fields=["learner"])
        other.solutions.exclude(exercise_slug__in=self.solved_slugs()).update(learner=self)
        other.quiz_attempts.update(learner=self)  # every attempt is distinct: all of them move
        mine_started = self.exercise_starts.values("exercise_slug")
        other.exercise_starts.exclude(exercise_slug__in=mine_started).update(learner=self)
        for problem in other.exercise_problems.all():
            ExerciseProblem.add(self, problem.exercise_slug, problem.code, problem.count)
        if not self.last_lesson:
            self.last_lesson = other.last_lesson
            self.save(update_fields=["last_lesson"])
        other.delete()


class LessonCompletion(models.Model):
    """A lesson marked complete by a learner. Lessons are referred to by their stable slugs."""

    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="completions")
    module_slug = models.SlugField(max_length=100)
    lesson_slug = models.SlugField(max_length=100)
    completed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "module_slug", "lesson_slug"], name="one_completion_per_lesson"
            )
        ]

    def __str__(self) -> str:
        return f"{self.learner_id} completed {self.key}"

    @property
    def key(self) -> str:
        """The lesson's `module/lesson` key."""
        return f"{self.module_slug}/{self.lesson_slug}"


class ExerciseSolution(models.Model):
    """An exercise a learner solved: every goal met and no errors. The spec is kept."""

    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="solutions")
    exercise_slug = models.SlugField(max_length=100)
    text = models.TextField()
    solved_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "exercise_slug"], name="one_solution_per_exercise"
            )
        ]

    def __str__(self) -> str:
        return f"{self.learner_id} solved {self.exercise_slug}"


class ExerciseStart(models.Model):
    """A learner began an exercise: their first check of it, typed or asked for. A class shows
    the exercise in progress from then on, whatever the check found."""

    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="exercise_starts")
    exercise_slug = models.SlugField(max_length=100)
    started_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "exercise_slug"], name="one_start_per_exercise"
            )
        ]

    def __str__(self) -> str:
        return f"{self.learner_id} started {self.exercise_slug}"


class ExerciseProblem(models.Model):
    """How often a learner's checks of an exercise hit each diagnostic: what trips the class up."""

    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="exercise_problems")
    exercise_slug = models.SlugField(max_length=100)
    code = models.CharField(max_length=64)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "exercise_slug", "code"], name="one_count_per_problem"
            )
        ]

    def __str__(self) -> str:
        return f"{self.exercise_slug}: {self.code} x{self.count}"

    @classmethod
    def add(cls, learner: Learner, slug: str, code: str, times: int = 1) -> None:
        """Count `times` more hits of a diagnostic code in an exercise (atomically in the database)."""
        problem, _ = cls.objects.get_or_create(learner=learner, exercise_slug=slug, code=code)
        cls.objects.filter(pk=problem.pk).update(count=models.F("count") + times)


class Draft(models.Model):
    """The text a signed-in learner last checked in one editor, so it follows them to another
    device: one row per learner and place, written on each check.

    A place is PLAYGROUND or exercise_place(slug). Read it with Draft.text_for, write it with
    Draft.save_for (both are what other apps use, such as an instructor's view of a learner).
    """

    PLAYGROUND = "playground"

    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="drafts")
    place = models.CharField(max_length=120)
    text = models.TextField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["learner", "place"], name="one_draft_per_place")
        ]

    def __str__(self) -> str:
        return f"{self.learner_id}'s draft of {self.place}"

    @staticmethod
    def exercise_place(slug: str) -> str:
        """The place of an exercise's editor."""
        return f"exercise/{slug}"

    @classmethod
    def save_for(cls, learner: Learner, place: str, text: str) -> bool:
        """Keep this text as the learner's draft of the place; a text larger than a check takes
        is not kept.

        One insert-or-update statement (on the unique constraint), as each check as you type
        writes it: parallel checks leave one row, the last one's.
        """
        if len(text.encode("utf-8", "surrogatepass")) > settings.PODSPEC_MAX_BYTES:
            return False
        Draft.objects.bulk_create(
            [Draft(learner=learner, place=place, text=text)],
            update_conflicts=True,
            unique_fields=["learner", "place"],
            update_fields=["text", "updated_at"],
        )
        return True

    @classmethod
    def text_for(cls, learner: Learner, place: str) -> str | None:
        """The learner's draft of the place, or None when they have none."""
        return (
            cls.objects.filter(learner=learner, place=place).values_list("text", flat=True).first()
        )
