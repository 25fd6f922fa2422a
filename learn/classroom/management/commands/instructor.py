"""`manage.py instructor grant|revoke|list [USERNAME]`: who may create and run classes.

Mistakes exit with status 1 and say what to do instead; asking for what is already so is no
mistake (status 0, and it says so)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.urls import reverse

from learn.classroom.models import INSTRUCTORS_GROUP


class Command(BaseCommand):
    help = "Make a user an instructor, take it back, or list the instructors."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=("grant", "revoke", "list"))
        parser.add_argument("username", nargs="?")

    def handle(self, action, username=None, **options):
        group, _ = Group.objects.get_or_create(name=INSTRUCTORS_GROUP)
        if action == "list":
            if username:
                raise CommandError("`list` takes no username: manage.py instructor list")
            return self._list(group)
        if not username:
            raise CommandError(
                f"`{action}` needs a username: manage.py instructor {action} USERNAME"
            )
        user = self._user(username)
        teaches = user.groups.filter(pk=group.pk).exists()
        name = user.get_username()
        if action == "grant":
            if teaches:
                self.stdout.write(f"{name} is already an instructor; nothing changed.")
                return
            user.groups.add(group)
            self.stdout.write(f"{name} is now an instructor.")
        elif not teaches:
            note = " (a superuser, who may teach anyway)" if user.is_superuser else ""
            self.stdout.write(f"{name} is not an instructor{note}; nothing changed.")
        else:
            user.groups.remove(group)
            self.stdout.write(f"{name} is no longer an instructor.")

    def _user(self, username: str):
        """The account named so (in any case when only one matches), or why there is none."""
        users = get_user_model().objects
        user = users.filter(username=username).first()
        if user is None:
            matches = list(users.filter(username__iexact=username)[:2])
            user = matches[0] if len(matches) == 1 else None
        if user is None:
            raise CommandError(
                f"No user is named {username!r}. They must sign up first, on the site's "
                f"{reverse('accounts:signup')} page; then run "
                f"`manage.py instructor grant {username}` again."
            )
        return user

    def _list(self, group: Group) -> None:
        users = get_user_model().objects
        instructors = users.filter(Q(groups=group) | Q(is_superuser=True)).distinct()
        names = list(instructors.order_by("username").values_list("username", "is_superuser"))
        if not names:
            self.stdout.write(
                "No instructors yet. Make one with `manage.py instructor grant USERNAME`."
            )
        for name, superuser in names:
            self.stdout.write(f"{name} (superuser)" if superuser else name)
