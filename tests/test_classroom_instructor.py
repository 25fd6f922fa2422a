"""What an instructor meets: the `instructor` command, the per-learner page, the CSV, due dates
already past, and the admin for site staff."""

import pytest
from django.core.management import CommandError, call_command

from learn.classroom.models import INSTRUCTORS_GROUP

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("instructor", *args, stdout=out)
    return out.getvalue()


def failure(*args) -> CommandError:
    with pytest.raises(CommandError) as raised:
        run(*args)
    assert raised.value.returncode == 1
    return raised.value


def test_granting_to_nobody_says_they_must_sign_up_first():
    message = str(failure("grant", "nobody"))
    assert message == (
        "No user is named 'nobody'. They must sign up first, on the site's /accounts/signup/ "
        "page; then run `manage.py instructor grant nobody` again."
    )


def test_listing_no_instructors_says_so():
    assert run("list") == (
        "No instructors yet. Make one with `manage.py instructor grant USERNAME`.\n"
    )


def test_grant_list_revoke_and_repeats(django_user_model):
    account = django_user_model.objects.create_user("Ada", "ada@example.org", "pass-word-123456")
    django_user_model.objects.create_superuser("root", "root@example.org", "pass-word-123456")
    assert run("grant", "ada") == "Ada is now an instructor.\n"  # one account matches, any case
    assert account.groups.filter(name=INSTRUCTORS_GROUP).exists()
    assert run("grant", "Ada") == "Ada is already an instructor; nothing changed.\n"
    assert run("list") == "Ada\nroot (superuser)\n"
    assert run("revoke", "Ada") == "Ada is no longer an instructor.\n"
    assert run("revoke", "Ada") == "Ada is not an instructor; nothing changed.\n"
    assert run("revoke", "root") == (
        "root is not an instructor (a superuser, who may teach anyway); nothing changed.\n"
    )


def test_missing_or_extra_usernames_say_how_to_call_it():
    assert str(failure("grant")) == "`grant` needs a username: manage.py instructor grant USERNAME"
    assert str(failure("list", "ada")) == "`list` takes no username: manage.py instructor list"
