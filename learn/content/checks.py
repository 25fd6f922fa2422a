"""Content validation as a Django system check: `manage.py check` (and runserver, and deploys that
run it) reports every content error with its file and line, as `checkcontent` does.

In production a content error stops the site from starting; in development it is a warning, so
the server still starts and every page lists the errors while the author fixes them (content
reloads on change, but a server that refused to start would not).
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
