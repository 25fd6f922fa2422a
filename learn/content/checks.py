"""Content validation as a Django system check: `manage.py check`, and the commands that run the
checks first (migrate, runserver), report every content error with its file and line, as
`checkcontent` does.

In production a content error is an error: those commands fail on it. gunicorn runs no checks;
what keeps broken content from being served is that `make serve` and the migration Job
(deploy/migrate-job.yaml) run `migrate` and `checkcontent` before the site starts, and the image
build (Containerfile) runs `checkcontent`. In development it is a warning, so runserver still
starts and every page lists the errors while the author fixes them (content reloads on change,
but a server that refused to start would not).
"""

from collections.abc import Sequence

from django.apps import AppConfig
from django.conf import settings
from django.core import checks

from learn.content.library import get_library


def check_content(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: object
) -> list[checks.CheckMessage]:
    """One message per content error, located at its `file:line`."""
    level, code = (
        (checks.WARNING, "content.W001") if settings.DEBUG else (checks.ERROR, "content.E001")
    )
    return [
        checks.CheckMessage(level, error.message, obj=error.location, id=code)
        for error in get_library().errors
    ]
