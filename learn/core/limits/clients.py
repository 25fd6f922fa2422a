"""Who the client is, for counting: its address, as the outermost trusted proxy saw it, and the
learner behind it (their account, their session, or a client cookie this server issued).

Each proxy appends the address it got the request from to X-Forwarded-For. Behind N proxies
(DJANGO_TRUSTED_PROXY_HOPS), the Nth address from the right is the one the first of them saw;
anything left of it was sent by the client and proves nothing. With no proxy (N = 0) the header
is ignored and REMOTE_ADDR counts.

Both mistakes are silent, so each is logged once per process when a request shows it: N set
without a proxy lets clients choose their address and escape every limit; no N behind a proxy
puts every client in the proxy's one bucket.
"""

import ipaddress
import logging
import secrets
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)
_warned: set[str] = set()


def client_address(request: HttpRequest) -> str:
    """The client's address (for IPv6, its /64 network, which one client usually holds whole)."""
    hops = settings.TRUSTED_PROXY_HOPS
    forwarded = [
        entry.strip()
        for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if entry.strip()
    ]
    if hops and len(forwarded) >= hops:
        return _network(forwarded[-hops])
    if hops:
        _warn_once(
            f"DJANGO_TRUSTED_PROXY_HOPS is {hops}, but a request came with {len(forwarded)} "
            "X-Forwarded-For address(es); it is counted by REMOTE_ADDR. Without a proxy in front, "
            "set it to 0: clients can otherwise choose the address they are counted by."
        )
    elif forwarded:
        _warn_once(
            "Requests carry X-Forwarded-For but DJANGO_TRUSTED_PROXY_HOPS is 0: behind a proxy, "
            "every client shares the proxy's rate limits. Set it to the number of proxies."
        )
    return _network(request.META.get("REMOTE_ADDR", ""))


# A random token, signed so that a client cannot name itself; it names nobody and lasts until
# the browser closes. A client may still collect many: all of them together stay within their
# address's ceiling (rates.py).
CLIENT_COOKIE = "learn_client"
CLIENT_COOKIE_SALT = "learn.core.limits.client"


def client_identity(request: HttpRequest) -> str | None:
    """Which learner asks: their account, their session (an anonymous learner's), or the client
    cookie this server issued; None for a client that brought none of them."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    session = getattr(request, "session", None)
    # Reading the session loads it: a key the store does not hold is dropped, so a made-up
    # session cookie is nobody.
    if session is not None and session.keys() and session.session_key:
        return f"session:{session.session_key}"
    token = request.get_signed_cookie(CLIENT_COOKIE, default=None, salt=CLIENT_COOKIE_SALT)
    return f"client:{token}" if token else None


def issue_client_cookie(request: HttpRequest) -> None:
    """Give this client a cookie with its answer (client_cookie_middleware sets it)."""
    request.issue_client_cookie = True  # type: ignore[attr-defined]


def client_cookie_middleware(get_response: Callable[[HttpRequest], HttpResponse]):
    """Set the client cookie on answers to clients that were asked to get one, except on answers
    a shared cache may keep (pictures): they would hand one client's cookie to all."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if getattr(request, "issue_client_cookie", False) and not _shared(response):
            response.set_signed_cookie(
                CLIENT_COOKIE,
                secrets.token_urlsafe(16),
                salt=CLIENT_COOKIE_SALT,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response

    return middleware


def _shared(response: HttpResponse) -> bool:
    return "public" in response.get("Cache-Control", "")


def _network(address: str) -> str:
    """The address without a port, an IPv6 address as its /64; other text as it is (bounded)."""
    text = address.strip()
    if text.startswith("[") and "]" in text:  # [2001:db8::1]:443
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # 192.0.2.1:443
        text = text.split(":")[0]
    try:
        ip = ipaddress.ip_address(text)
    except ValueError:
        return address[:64] or "unknown"
    if ip.version == 6 and ip.ipv4_mapped:
        return str(ip.ipv4_mapped)
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def forget_warnings() -> None:
    """Warn again about proxy settings, as a new process would (for tests)."""
    _warned.clear()


def _warn_once(message: str) -> None:
    if message not in _warned:
        _warned.add(message)
        logger.warning(message)
