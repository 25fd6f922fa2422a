"""In development, show content errors with their file and line instead of a broken page."""

from django.conf import settings
from django.shortcuts import render

from learn.content.library import get_library


class ContentErrorMiddleware:
    """When DEBUG is on and the content has errors, every page lists them (status 500)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.DEBUG and not request.path.startswith(settings.STATIC_URL):
            errors = get_library().errors
            if errors:
                return render(
                    request, "lessons/content_errors.html", {"errors": errors}, status=500
                )
        return self.get_response(request)
