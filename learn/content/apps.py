from django.apps import AppConfig
from django.core import checks


class ContentConfig(AppConfig):
    name = "learn.content"

    def ready(self) -> None:
        """Register the content check."""
        # Imported here, as Django advises, so that loading the app registry loads no content code.
        from learn.content.checks import check_content

        checks.register(check_content, "content")
