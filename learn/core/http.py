"""The requests the site's views receive, typed with what its middleware adds to Django's.

Middleware sets these attributes at run time; the classes only tell the type checker so. They
are never instantiated.
"""

from django.contrib.auth.models import User
from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    """Every request: django-htmx's middleware (settings.MIDDLEWARE) sets `htmx`."""

    htmx: HtmxDetails


class AuthenticatedHttpRequest(HtmxHttpRequest):
    """A request to a view behind login_required: `user` is a signed-in account."""

    user: User
