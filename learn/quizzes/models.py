"""Quiz attempts: every attempt and every first answer is kept; a retry starts a new attempt.

A question already answered may be tried again on its own (`QuizRetry`, the latest try only): the
first answer (`QuizAnswer`) is what the score and the instructor's pages count.
"""

from django.db import models
from django.utils import timezone

from learn.content.questions import Feedback, Question, grade
from learn.progress.models import Learner


class QuizAttempt(models.Model):
    """One go at a lesson's quiz."""

    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="quiz_attempts")
    lesson_key = models.CharField(max_length=201)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    correct = models.PositiveSmallIntegerField(default=0)
    total = models.PositiveSmallIntegerField()

    class Meta:
        indexes = [models.Index(fields=["learner", "lesson_key"])]

    def __str__(self) -> str:
        return f"{self.learner_id} on {self.lesson_key}: {self.correct}/{self.total}"

    @property
    def percent(self) -> int:
        return round(100 * self.correct / self.total) if self.total else 0

    def finish_if_complete(self, question_ids: set[str]) -> None:
        """Score the attempt once every question of the quiz as it is now has an answer
        (a question removed from the quiz since the attempt began no longer counts)."""
        answers = [a for a in self.answers.all() if a.question_id in question_ids]
        if self.finished_at is None and {a.question_id for a in answers} >= question_ids:
            self.correct = sum(a.correct for a in answers)
            self.total = len(question_ids)
            self.finished_at = timezone.now()
            self.save(update_fields=["correct", "total", "finished_at"])


class GradedAnswer(models.Model):
    """What was answered to one question, whether it was right, and what grading said."""

    response = models.JSONField(default=dict)
    correct = models.BooleanField()
    # What grading said (summary, notes, why, a spec's errors) for the version of the question
    # named by `fingerprint`, so that showing the quiz again does not grade again (a written spec
    # costs an engine run); graded again once the question changes, or when it was stored without
    # something the page now shows. Null for answers kept before it was stored.
    feedback = models.JSONField(null=True, blank=True)
    fingerprint = models.CharField(max_length=16, blank=True, default="")

    class Meta:
        abstract = True

    @staticmethod
    def graded_fields(question: Question, feedback: Feedback) -> dict:
        """The fields that keep a grading of an answer to this version of the question (what was
        answered has its own field, kept as answered)."""
        return {
            "feedback": {
                "correct": feedback.correct,
                "summary": feedback.summary,
                "notes": feedback.notes,
                "why": feedback.why,
                "problems": feedback.problems,
            },
            "fingerprint": question.fingerprint,
        }

    def graded(self, question: Question) -> Feedback:
        """The feedback for this answer to the question as it is now: as stored, or graded again
        and stored (one UPDATE) when none was kept, it lacks a part, or the question has changed.

        `correct` stays what the answer scored when it was given, as the attempt's score does; the
        feedback shows the question as it reads now, verdict included.
        """
        stored = self.feedback
        if stored is None or "problems" not in stored or self.fingerprint != question.fingerprint:
            fields = self.graded_fields(question, grade(question, self.response))
            for name, value in fields.items():
                setattr(self, name, value)
            self.save(update_fields=list(fields))
            stored = fields["feedback"]
        return Feedback(
            stored["correct"],
            stored["summary"],
            tuple(tuple(note) for note in stored["notes"]),
            stored["why"],
            self.response,
            tuple(stored["problems"]),
        )


class QuizAnswer(GradedAnswer):
    """The first answer to one question in an attempt: the one the score counts."""

    attempt = models.ForeignKey(QuizAttempt, on_delete=models.CASCADE, related_name="answers")
    question_id = models.CharField(max_length=100)
    answered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "question_id"], name="one_answer_per_question"
            )
        ]

    def __str__(self) -> str:
        return f"{self.question_id}: {'right' if self.correct else 'wrong'}"


class QuizRetry(GradedAnswer):
    """The latest answer to a question tried again after its first answer; it counts for
    nothing but the learner's own feedback, so only the latest is kept (one row per answer)."""

    answer = models.OneToOneField(QuizAnswer, on_delete=models.CASCADE, related_name="retry")
    answered_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.answer.question_id} again: {'right' if self.correct else 'wrong'}"
