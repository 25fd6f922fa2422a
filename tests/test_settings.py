"""The settings module: production unless development is asked for, and deployment-checked."""

import pytest

from tests.support import ROOT, manage, run, setting

COMPLETE = "/lessons/basics/first/complete/"


def test_production_settings_pass_check_deploy(tmp_path):
    # No collected static files, as in a fresh checkout: the checks (content among them) need none.
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SECRET_KEY="x" * 64 + "a-long-random-production-key",
        DJANGO_SECRET_KEY_FALLBACKS="y" * 64 + "the-previous-production-key",
        DJANGO_ALLOWED_HOSTS="learn.example.org",
        DJANGO_STATIC_ROOT=str(tmp_path / "not-collected"),
    )
    assert result.returncode == 0, result.stderr + result.stdout


def test_debug_is_off_unless_development_is_asked_for():
    assert setting("settings.DEBUG", DJANGO_SECRET_KEY="k" * 64) == "False"
    assert setting("settings.DEBUG", DJANGO_DEBUG="1") == "True"


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check")
    assert result.returncode != 0
    # One line that says what to set, not a traceback.
    assert result.stderr.startswith("manage.py: DJANGO_SECRET_KEY is not set")
    assert "Traceback" not in result.stderr
    assert "DJANGO_DEBUG=1" in result.stderr  # what a developer should do instead


def test_old_keys_are_read_from_the_environment():
    fallbacks = setting(
        "settings.SECRET_KEY_FALLBACKS",
        DJANGO_DEBUG="1",
        DJANGO_SECRET_KEY_FALLBACKS="the-old-key, the-older-key,",
    )
    assert fallbacks == "['the-old-key', 'the-older-key']"


@pytest.mark.django_db
def test_a_key_rotation_keeps_anonymous_progress_and_sign_ins(
    client, content_dir, django_user_model, settings
):
    client.post(COMPLETE, {"done": "1"})
    client.force_login(django_user_model.objects.create_user("ada", password="pw"))
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-key-" + "n" * 50

    response = client.get("/lessons/basics/first/")
    assert response.context["is_complete"] is True
    assert response.context["user"].username == "ada"


def test_make_serve_generates_a_key_once_and_keeps_it(tmp_path):
    (tmp_path / ".python-version").write_text((ROOT / ".python-version").read_text())
    make = ["make", "--silent", "-f", str(ROOT / "Makefile"), "-C", str(tmp_path), ".secret_key"]
    assert run(make).returncode == 0
    key = (tmp_path / ".secret_key").read_text().strip()
    assert run(make).returncode == 0
    assert (tmp_path / ".secret_key").read_text().strip() == key
    assert len(key) >= 50
    assert (tmp_path / ".secret_key").stat().st_mode & 0o077 == 0  # readable by its owner only


def test_the_500_page_is_friendly(rf):
    from learn.core.views import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


def test_sqlite_writers_take_the_lock_first_and_url_options_are_kept():
    # Deferred transactions that read, then write, failed with "database is locked" when two
    # sign-ups came at once; immediate ones wait their turn.
    wal = "sqlite:////tmp/x.sqlite3?init_command=PRAGMA+journal_mode%3DWAL"
    options = setting(
        'settings.DATABASES["default"]["OPTIONS"]', DJANGO_DEBUG="1", DATABASE_URL=wal
    )
    assert options == (
        "{'init_command': 'PRAGMA journal_mode=WAL', 'transaction_mode': 'IMMEDIATE', 'timeout': 20}"
    )
