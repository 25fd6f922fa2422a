"""The limits views ask for, per client and fixed window, and the 429 answers when one is spent.

Requests that make the engine work (checks, runs, snapshot pages, drawings) pay what they cost:
one unit per started ENGINE_UNIT_BYTES of spec (checking takes up to ~8 ms per 4 KB), and a PNG
one more per started PNG_PIXELS_PER_UNIT pixels it draws (checking and drawing took 160 ms for
a 2418 x 898 px PNG of a small pod, 450 ms for a 15244 x 495 px one of 200 containers: a flat
32 units a PNG made the small one as dear as the largest).
Counted one per request, a 256 KB spec of minimal pods let one address take more than a core.

They are paid twice: from the learner's own budget (PLAYGROUND_CHECKS_PER_MINUTE, ~2 s of CPU a
minute) and from their address's ceiling (PLAYGROUND_CHECKS_PER_ADDRESS_PER_MINUTE), which a
classroom behind one school address shares. Counted per address alone, five learners typing
(~24 checks a minute each) used up a budget meant for one. A client that is nobody yet (no
account, session or client cookie: a first check, cookies off, a script) pays from a smaller
budget its whole address shares (PLAYGROUND_CHECKS_UNIDENTIFIED_PER_MINUTE) and is given a
client cookie. A script that drops its cookies gets only that budget; one that collects many
gets a learner's budget with each, all of them within the address's ceiling.
"""

import math
import time

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.crypto import salted_hmac
from django_htmx.http import reselect, reswap, retarget

from learn.core.limits import counters
from learn.core.limits.clients import client_address, client_identity, issue_client_cookie

ENGINE_UNIT_BYTES = 4096
PNG_PIXELS_PER_UNIT = 250_000  # the largest PNG (8 megapixels) costs 32 units


def spend(
    request: HttpRequest, bucket: str, ceiling: int, *, window: int = 60, cost: int = 1
) -> int:
    """Spend `cost` of this client's `ceiling` per `window` seconds on `bucket`: 0 while within
    it, else the seconds until the window ends (for Retry-After)."""
    return spend_on(bucket, client_address(request), ceiling, window=window, cost=cost)


def spend_on(
    bucket: str,
    who: str,
    ceiling: int,
    *,
    window: int = 60,
    cost: int = 1,
    now: float | None = None,
) -> int:
    """spend() for any identity `who` (an address, a user name, an e-mail address)."""
    now = time.time() if now is None else now
    # A request dearer than the whole ceiling still passes in a fresh window; ceiling 0 refuses.
    total = counters.add(key_for(bucket, who), window, min(cost, max(ceiling, 1)), now=now)
    return 0 if total <= ceiling else max(1, math.ceil(window - now % window))


def key_for(bucket: str, who: str) -> str:
    """The counter key: the bucket and a keyed hash of who (no address or e-mail is stored)."""
    # The salt is the package's old name, kept so that counters survive the move to learn.core.
    return f"{bucket}:{salted_hmac('learn.limits', who, algorithm='sha256').hexdigest()[:32]}"


def engine_cost(text: str) -> int:
    """What checking or drawing `text` costs, in units of a small check."""
    size = len(text.encode("utf-8", "surrogatepass"))
    return max(1, math.ceil(size / ENGINE_UNIT_BYTES))


def png_cost(pixels: int) -> int:
    """What drawing a PNG of `pixels` pixels costs, on top of drawing its SVG."""
    return max(1, math.ceil(pixels / PNG_PIXELS_PER_UNIT))


def spend_engine(request: HttpRequest, text: str) -> int:
    """spend_engine_units() what checking or drawing `text` costs."""
    return spend_engine_units(request, engine_cost(text))


def spend_engine_units(request: HttpRequest, cost: int) -> int:
    """Spend `cost` units of engine work from the learner's budget, then from their address's
    ceiling: 0 while within both, else the seconds until the window ends (for Retry-After)."""
    return _spend_by_learner(
        request,
        "engine",
        cost,
        settings.PLAYGROUND_CHECKS_PER_MINUTE,
        settings.PLAYGROUND_CHECKS_PER_ADDRESS_PER_MINUTE,
        settings.PLAYGROUND_CHECKS_UNIDENTIFIED_PER_MINUTE,
    )


def spend_assist(request: HttpRequest, text: str) -> int:
    """spend_engine() for the editor's completions and field documentation, on budgets of their
    own: an editor asks once per word typed, which must never run a learner's checks out."""
    return _spend_by_learner(
        request,
        "assist",
        engine_cost(text),
        settings.PLAYGROUND_ASSISTS_PER_MINUTE,
        settings.PLAYGROUND_ASSISTS_PER_ADDRESS_PER_MINUTE,
        settings.PLAYGROUND_ASSISTS_UNIDENTIFIED_PER_MINUTE,
    )


def _spend_by_learner(
    request: HttpRequest, bucket: str, cost: int, learner: int, address: int, unidentified: int
) -> int:
    """Spend from the learner's `learner` ceiling (the address's `unidentified` one for a client
    that is nobody yet), then from the address's `address` ceiling."""
    where = client_address(request)
    who = client_identity(request)
    if who is None:
        wait = spend_on(f"{bucket}-unidentified", where, unidentified, cost=cost)
    else:
        wait = spend_on(f"{bucket}-learner", who, learner, cost=cost)
    # Refused requests stop here: one learner past their budget must not spend their class's.
    wait = wait or spend_on(f"{bucket}-address", where, address, cost=cost)
    if who is None and not wait:
        # Its next request is somebody's; a refused one gets no cookie, or a script that waits
        # for a cookie would be given a learner's budget for having been refused.
        issue_client_cookie(request)
    return wait


def with_retry_after(response: HttpResponse, wait: int) -> HttpResponse:
    """A 429 response that says when to come back, and is never cached."""
    response["Retry-After"] = str(wait)
    response["Cache-Control"] = "no-store"
    return response


def too_many(request: HttpRequest, wait: int, message: str) -> HttpResponse:
    """The friendly 429 page: what was limited and how long to wait (with htmx, in place of the
    page's content, whatever part was asked for: a page swapped into a part of one misleads)."""
    context = {"message": message, "wait": _duration(wait)}
    response = render(request, "429.html", context, status=429)
    if getattr(request, "htmx", False):
        response = reswap(reselect(retarget(response, "#main"), "#main"), "outerHTML")
    return with_retry_after(response, wait)


def _duration(seconds: int) -> str:
    if seconds <= 90:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    return f"{math.ceil(seconds / 60)} minutes"
