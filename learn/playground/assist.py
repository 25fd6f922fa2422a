"""The editor's helper: completions and field documentation at the cursor, as JSON.

The editor posts the whole text and a position (1-based line and column); the engine
(learn.podspec.completion) answers from the schema of the chosen Kubernetes version and from the
names the spec defines. Requests are cheap (a parse, and a few partial ones while the text is
broken) and spend from their own budget, so that a learner typing never runs their checks out.
"""

from dataclasses import asdict

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_POST

from learn.core.inputs import parse_int
from learn.core.limits.rates import spend_assist, with_retry_after
from learn.playground.templatetags.podspec import lesson_url
from learn.podspec import VERSIONS
from learn.podspec.completion import complete, hover

MAX_POSITION = 100_000  # lines or columns; far beyond any spec the size limit lets through


@require_POST
def assist(request: HttpRequest) -> HttpResponse:
    """`what=complete` or `what=hover` at `line`/`column` of `text`; {} where nothing applies."""
    text = request.POST.get("text", "").replace("\r\n", "\n")
    line = parse_int(request.POST.get("line"))
    column = parse_int(request.POST.get("column"))
    what = request.POST.get("what")
    if what not in ("complete", "hover") or not line or not column:
        return _error("Send what=complete or hover, and a line and column from 1.", 400)
    if max(line, column) > MAX_POSITION:
        return _error("The line or column is beyond any spec.", 400)
    if len(text.encode("utf-8", "surrogatepass")) > settings.PODSPEC_MAX_BYTES:
        return _error("The spec is too large to complete; check it instead.", 413)
    wait = spend_assist(request, text)
    if wait:
        return with_retry_after(_error("Too many requests: try again shortly.", 429), wait)
    chosen = request.POST.get("kubernetes_version")
    version = chosen if chosen in VERSIONS else None
    if what == "complete":
        found = complete(text, line, column, version)
        return JsonResponse(asdict(found) if found else {})
    explained = hover(text, line, column, version)
    if explained is None:
        return JsonResponse({})
    answer = {"path": explained.path, **asdict(explained.field)}
    answer["lesson"] = lesson_url(explained.lesson) if explained.lesson else ""
    return JsonResponse(answer)


def _error(message: str, status: int) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)
