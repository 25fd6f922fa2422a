"""Site-wide views: theme choice and error pages (the probes are in learn.core.health)."""

from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
)
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from learn.core.context_processors import THEME_COOKIE, THEMES
from learn.core.inputs import local_path


@require_POST
def set_theme(request: HttpRequest) -> HttpResponse:
    """Remember the chosen colour theme in a cookie and go back to the page it was chosen on."""
    theme = request.POST.get("theme", "")
    response = HttpResponseRedirect(
        local_path(request, request.POST.get("next")) or reverse("lessons:home")
    )
    if theme in THEMES:
        response.set_cookie(THEME_COOKIE, theme, max_age=60 * 60 * 24 * 365, samesite="Lax")
    else:
        response.delete_cookie(THEME_COOKIE)
    return response


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """A friendly 404 that helps the reader find their way."""
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """A friendly 500, rendered without any context processor that could fail again."""
    return render(request, "500.html", status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form was posted without a valid security token (often: the page was open for long)."""
    return render(request, "403_csrf.html", status=403)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "400.html", status=400)


@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers and pages that embed ours ask for /favicon.ico whatever a page declares."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))
