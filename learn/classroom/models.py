"""Classes, their members and their assignments. Content is referred to by stable slugs."""

import secrets
import zoneinfo

from django.conf import settings
from django.db import models

INSTRUCTORS_GROUP = "Instructors"
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: codes are read aloud and typed


def new_join_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))


def is_instructor(user) -> bool:
    """Instructors are the members of the Instructors group (and superusers)."""
    return user.is_authenticated and (
        user.is_superuser or user.groups.filter(name=INSTRUCTORS_GROUP).exists()
    )


def normal_code(text: str) -> str:
    """A join code as stored: capitals, without the spaces or dashes a person may type."""
    return text.strip().upper().replace(" ", "").replace("-", "")


class Classroom(models.Model):
    """A group of learners taught by one instructor."""

    name = models.CharField(max_length=120)
    instructor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="classes_taught"
    )
    time_zone = models.CharField(max_length=64, default="UTC")
    join_code = models.CharField(max_length=8, unique=True, default=new_join_code)
    joining_open = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @classmethod
    def open_for(cls, code: str) -> "Classroom | None":
        """The class a join code names, if it is open to joining (with its instructor)."""
        return (
            cls.objects.filter(join_code=normal_code(code[:16]), joining_open=True)
            .select_related("instructor")
            .first()
        )

    def regenerate_code(self) -> None:
        """A new join code; the old one stops working."""
        self.join_code = new_join_code()
        self.save(update_fields=["join_code"])


class Membership(models.Model):
    """A learner in a class."""

    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["classroom", "user"], name="one_membership_per_class")
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.classroom}"


class Assignment(models.Model):
    """Work given to a class: a module, a lesson, an exercise or a lesson's quiz."""

    class Kind(models.TextChoices):
        MODULE = "module", "Module"
        LESSON = "lesson", "Lesson"
        EXERCISE = "exercise", "Exercise"
        QUIZ = "quiz", "Quiz"

    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="assignments")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    target = models.CharField(max_length=201)  # module slug, lesson key or exercise slug
    opens_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        # Undated items last on every database (SQLite sorts NULL first, PostgreSQL last).
        ordering = [models.F("due_at").asc(nulls_last=True), "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["classroom", "kind", "target"], name="one_assignment_per_item"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.target} for {self.classroom}"
