"""`manage.py clearanonymous [--days N]`: delete idle anonymous learners and expired sessions."""

from datetime import timedelta

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from learn.progress.learners import purge_idle_anonymous


class Command(BaseCommand):
    help = (
        "Delete anonymous learners (with their progress) not seen for --days days, then expired "
        "sessions. Accounts are never touched. Safe to run at any time, e.g. daily from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=settings.ANONYMOUS_PROGRESS_DAYS,
            help="idle days before an anonymous learner goes (default: ANONYMOUS_PROGRESS_DAYS, "
            "%(default)s)",
        )

    def handle(self, *args, days: int, **options):
        if days < 1:
            raise CommandError("--days must be at least 1")
        deleted = purge_idle_anonymous(timedelta(days=days))
        call_command("clearsessions")
        if options["verbosity"]:
            self.stdout.write(
                f"Deleted {deleted} anonymous learner(s) idle for {days} days or more, "
                "and expired sessions."
            )
