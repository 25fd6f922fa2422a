"""Content validation as a Django system check: `manage.py check` (and runserver, and deploys that
run it) reports every content error with its file and line, as `checkcontent` does."""

from collections.abc import Sequence

from django.apps import AppConfig
from django.core import checks

from learn.content.library import get_library


def check_content(app_configs: Sequence[AppConfig] | None = None, **kwargs: object) -> list:
    """One checks.Error per content error, located at its `file:line`."""
    return [
        checks.Error(error.message, obj=error.location, id="content.E001")
        for error in get_library().errors
    ]
