"""`manage.py checkcontent`: report every content error with its file and line."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from learn.content.library import get_library


class Command(BaseCommand):
    help = "Load all lessons and report every content error as file:line: message."
    # The system checks include the content check: run first, they listed every error twice.
    requires_system_checks: list[str] = []

    def handle(self, *args, **options):
        library = get_library()
        for error in library.errors:
            self.stderr.write(str(error))
        if library.errors:
            raise CommandError(f"{len(library.errors)} content error(s) in {settings.CONTENT_DIR}")
        lessons = len(library.lessons)
        exercises = len(library.exercises)
        self.stdout.write(
            f"Content OK: {len(library.modules)} modules, {lessons} lessons, {exercises} exercises."
        )
