"""Reading untrusted values from requests: integers a database can hold, local redirect targets.

Python's int() takes any number of digits (and non-ASCII ones), but a database column holds at
most 2**63 - 1: a bigger id reaching a query raises OverflowError, a 500. Numbers from URLs
therefore go through `<id:…>` (too big: the URL matches nothing, a 404) and numbers from forms
through `parse_int` / `parse_id` (None when they are not plain, bounded decimals).
"""

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

MAX_ID = 2**63 - 1  # the largest value of a signed 64-bit column (BigAutoField, PostgreSQL bigint)
MAX_DIGITS = len(str(MAX_ID))


class IdConverter:
    """`<id:name>` in a route: a database id from 1 to MAX_ID; anything else is a 404."""

    regex = f"[0-9]{{1,{MAX_DIGITS}}}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 0 < number <= MAX_ID:
            raise ValueError("not a database id")  # the resolver then tries the next route
        return number

    def to_url(self, value: int) -> str:
        return str(value)


def parse_int(value: object) -> int | None:
    """A non-negative integer typed as plain ASCII digits (at most MAX_DIGITS), or None."""
    text = str(value if value is not None else "").strip()
    if not (0 < len(text) <= MAX_DIGITS and text.isascii() and text.isdigit()):
        return None
    return int(text)


def parse_id(value: object) -> int | None:
    """A database id (1 to MAX_ID) from form or query data, or None."""
    number = parse_int(value)
    return number if number is not None and 0 < number <= MAX_ID else None


def local_path(request: HttpRequest, target: str | None) -> str | None:
    """`target` if it is a path on this site (such as a `next` field), else None.

    A bare word like `home` is not a path (redirect() would look it up as a URL name, and
    fail), and `//host` or `/\\host` would leave the site: only a path without a host passes.
    """
    if not target or not target.startswith("/"):
        return None
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if safe else None
