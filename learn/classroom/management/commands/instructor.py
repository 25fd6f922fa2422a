"""`manage.py instructor grant|revoke|list [USERNAME]`: who may create and run classes."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from learn.classroom.models import INSTRUCTORS_GROUP


class Command(BaseCommand):
    help = "Make a user an instructor, take it back, or list the instructors."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=("grant", "revoke", "list"))
        parser.add_argument("username", nargs="?")

    def handle(self, action, username=None, **options):
        group, _ = Group.objects.get_or_create(name=INSTRUCTORS_GROUP)
        if action == "list":
            for name in group.user_set.order_by("username").values_list("username", flat=True):
                self.stdout.write(name)
            return
        if not username:
            raise CommandError(f"`{action}` needs a username")
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user named {username!r}")
        if action == "grant":
            user.groups.add(group)
            self.stdout.write(f"{username} is now an instructor.")
        else:
            user.groups.remove(group)
            self.stdout.write(f"{username} is no longer an instructor.")
