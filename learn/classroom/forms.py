"""Forms for classes and assignments. Dates are entered in the class's time zone."""

import zoneinfo
from datetime import UTC, datetime
from typing import Any

from django import forms
from django.utils import timezone

from learn.classroom.models import Classroom, normal_code
from learn.content.library import Library

ZONES = sorted(zoneinfo.available_timezones())


class ClassroomForm(forms.ModelForm):
    time_zone = forms.ChoiceField(
        choices=[(z, z) for z in ZONES],
        initial="UTC",
        help_text="Due dates are shown and entered in this time zone.",
    )

    class Meta:
        model = Classroom
        fields = ("name", "time_zone")


class JoinForm(forms.Form):
    code = forms.CharField(
        max_length=16,
        label="Join code",
        help_text="Eight letters and digits, from your instructor.",
    )

    def clean_code(self) -> str:
        return normal_code(self.cleaned_data["code"])


def assignable(library: Library) -> list[tuple[str, str]]:
    """Every item that can be assigned, as (kind:target, label) choices."""
    choices = []
    for module in library.modules:
        choices.append((f"module:{module.slug}", f"Module {module.number}: {module.title}"))
        for lesson in module.lessons:
            choices.append((f"lesson:{lesson.key}", f"  Lesson: {lesson.title}"))
            if lesson.quiz:
                choices.append((f"quiz:{lesson.key}", f"  Quiz: {lesson.title}"))
    choices += [(f"exercise:{e.slug}", f"Exercise: {e.title}") for e in library.exercises]
    return choices


class AssignmentForm(forms.Form):
    item = forms.ChoiceField(label="What to assign")
    opens_at = forms.DateTimeField(
        required=False, label="Opens", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    due_at = forms.DateTimeField(
        required=False, label="Due", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )

    def __init__(self, *args, library: Library, classroom: Classroom, **kwargs):
        super().__init__(*args, **kwargs)
        self.classroom = classroom
        item = self.fields["item"]
        assert isinstance(item, forms.ChoiceField)  # declared so above
        item.choices = assignable(library)
        zone = classroom.time_zone
        self.fields["opens_at"].help_text = f"Optional, in {zone}."
        self.fields["due_at"].help_text = f"Optional, in {zone}."

    def _in_zone(self, value: datetime | None) -> datetime | None:
        """Naive form dates are read in the class's time zone, whatever the server's is."""
        if value is None:
            return None
        if timezone.is_aware(value):  # Django read it in the server's zone: take the wall clock
            value = timezone.make_naive(value, timezone.get_current_timezone())
        if not 2000 <= value.year <= 2100:
            raise forms.ValidationError("Choose a date between the years 2000 and 2100.")
        aware = timezone.make_aware(value, self.classroom.zone)
        if timezone.make_naive(aware.astimezone(UTC), self.classroom.zone) != value:
            raise forms.ValidationError(
                f"{value:%H:%M} does not exist on that day in {self.classroom.time_zone} (the clocks change); choose another time."
            )
        return aware

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        for name in ("opens_at", "due_at"):
            try:
                data[name] = self._in_zone(data.get(name))
            except forms.ValidationError as error:
                self.add_error(name, error)
                data[name] = None
        if data.get("opens_at") and data.get("due_at") and data["due_at"] <= data["opens_at"]:
            self.add_error("due_at", "The due date must come after the opening date.")
        return data

    def past_due_warning(self, now: datetime) -> str:
        """A warning (not an error) when the due date set is already past: the item shows as
        late to every learner who has not finished it."""
        due = self.cleaned_data.get("due_at")
        if due is None or due > now:
            return ""
        when = due.astimezone(self.classroom.zone)
        return (
            f"The due date you set, {when:%a} {when.day} {when:%b %Y, %H:%M} ({self.classroom.time_zone}), "
            "is already past: learners who have not finished it see it as late. "
            "Change the date below if that was a slip."
        )

    @property
    def kind_and_target(self) -> tuple[str, str]:
        kind, _, target = self.cleaned_data["item"].partition(":")
        return kind, target
