"""The playground, exercises, shared snapshots, embeds and oEmbed."""

import logging
import math
from collections.abc import Callable
from urllib.parse import urlencode, urlparse

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import resolve, reverse
from django.urls.exceptions import Resolver404
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect, reswap, retarget

from learn.content.exercises import Exercise
from learn.content.library import Library, get_library
from learn.core.http import HtmxHttpRequest
from learn.core.inputs import parse_int
from learn.core.limits.rates import spend_engine, spend_engine_units, too_many, with_retry_after
from learn.diagrams.errors import error_image
from learn.diagrams.oembed import PROVIDER, NoEmbed, diagram_photo, fit
from learn.diagrams.sizes import MIN_WIDTH, drawing_size
from learn.diagrams.views import (
    CONTENT_TYPES,
    IMAGE_CSP,
    picture_key,
    picture_query,
    picture_response,
)
from learn.playground import sharing
from learn.playground.forms import SIGTERM_CHOICES, RunForm
from learn.playground.models import Snapshot
from learn.playground.workbench import (
    UNIT_SECONDS,
    Results,
    Run,
    Settings,
    checked,
    evaluate,
    evaluate_stored,
    pod_containers,
    run_panel,
    run_units,
)
from learn.podspec import PROFILES, VERSIONS, Report
from learn.podspec.describe import names
from learn.podspec.diagram import NothingToDraw
from learn.podspec.examples import EXAMPLES, example
from learn.podspec.figure import numbered_html
from learn.podspec.goals import needs_run
from learn.podspec.presets import Preset
from learn.podspec.scenario import Scenario, parse_scenario
from learn.progress.learners import (
    count_problems,
    current_learner,
    draft_text,
    keep_draft,
    keeps_learners,
    note_started,
    record_solution,
)
from learn.progress.models import Draft

logger = logging.getLogger(__name__)
DEFAULT_EXAMPLE = "logging-sidecar"
EMBED_CSP = {**settings.SECURE_CSP, "frame-ancestors": ["*"]}
OEMBED_MAX = (1600, 1600)  # pixels: oEmbed answers are never larger, whatever the drawing
EMBED_CHROME = 40  # pixels of the embed page below its drawing (the link to the snapshot)
NO_DRAWING = (600.0, 80.0)  # the size of an embed page that says why there is no drawing
RUN_LIMITED = (
    "Runs are paused for a moment: you, or everyone at your address together, made more checks "
    "and runs this minute than the server makes for them ({limit} small checks a minute for one "
    "learner; a large spec, or a long run of many containers, counts as several). Run again in "
    "{wait} s; your entries are kept."
)
RUN_TOO_LARGE = (
    'This run is too large to simulate here: shorten "Run for at most", or give the probes a '
    "longer periodSeconds, or run it on your machine with `python -m learn.podspec run`."
)


def _choices() -> dict:
    return {
        "versions": VERSIONS,
        "profiles": PROFILES,
        "examples": EXAMPLES,
        "sigterm_choices": SIGTERM_CHOICES,
    }


def _too_many(request: HtmxHttpRequest, template: str, context: dict, wait: int) -> HttpResponse:
    """Too many checks: with htmx, a notice beside the last results (or the last run), which
    stay; without it, the whole page with the learner's text and the notice."""
    limit = settings.PLAYGROUND_CHECKS_PER_MINUTE
    context = {**context, "limit": limit, "wait": wait, "server_text": True}
    if request.htmx:
        runs = _runs(request)
        if runs:
            context["message"] = RUN_LIMITED.format(limit=limit, wait=wait)
        response = render(request, "playground/_workbench.html#limit-notice", context, status=429)
        response = reswap(
            retarget(response, "#run-notice" if runs else "#limit-notice"), "innerHTML"
        )
    else:
        response = render(request, template, {**context, "rate_limited": True}, status=429)
    return with_retry_after(response, wait)


def _too_many_pages(request: HttpRequest, wait: int) -> HttpResponse:
    return too_many(
        request,
        wait,
        "You, or everyone at your address together, asked for more checks and diagrams in the "
        "last minute than the server makes for them.",
    )


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def playground(request: HtmxHttpRequest) -> HttpResponse:
    """GET: the editor with a starting spec. POST: check it (htmx: only the results), or run it
    (htmx: only the Run panel)."""
    server_text = request.method == "POST"
    judge: Callable[[Settings], Results] = evaluate
    start, draft = None, None
    if request.method == "POST":
        chosen = Settings.from_data(request.POST)
    elif snapshot_id := request.GET.get("from"):
        snapshot = get_object_or_404(Snapshot, pk=snapshot_id)
        sharing.note_opened(request, snapshot)
        chosen = Settings.of(snapshot)
        start = _shared(snapshot)
        server_text = True
        judge = evaluate_stored
    elif not _asks_for_text(request) and (draft := draft_text(request, Draft.PLAYGROUND)):
        chosen, server_text = Settings(draft), True  # a signed-in learner's last checked text
    else:
        chosen_example = example(request.GET.get("example", "")) or example(DEFAULT_EXAMPLE)
        assert chosen_example is not None  # DEFAULT_EXAMPLE ships with the engine
        server_text = _asks_for_text(request)  # what the address asks for beats the browser's copy
        chosen = Settings.from_data(request.GET, default_text=chosen_example.text)
    running = _runs(request) or bool(start and start.scenario_text)
    # Examples are ours and small; a text from the visitor (posted, in the URL, a snapshot or
    # their draft) spends what checking it costs.
    visitors = request.method == "POST" or "text" in request.GET or request.GET.get("from") or draft
    if visitors and (wait := spend_engine(request, chosen.text)):
        context = {"chosen": chosen, **_choices()}
        return _too_many(request, "playground/playground.html", context, wait)
    results = judge(chosen)
    if request.method == "POST":
        keep_draft(request, None, Draft.PLAYGROUND, chosen.text)
    data = request.POST if request.method == "POST" else None
    panel = run_panel(results.report, data, start=start)
    wait = _run(request, panel, results.report) if running else 0
    context = {
        "chosen": chosen,
        "results": results,
        "run": panel,
        "server_text": server_text,
        "example_slug": _example_in_use(request, own_text=bool(visitors)),
        **_choices(),
    }
    if request.htmx and request.method == "POST":
        if wait:  # the run was refused: the last one stays on screen, with the notice
            return _too_many(request, "playground/playground.html", context, wait)
        part = "run-answer" if _runs(request) else "checked"
        return render(request, f"playground/_workbench.html#{part}", context)
    return _limited(render(request, "playground/playground.html", context), wait)


def _example_in_use(request: HttpRequest, *, own_text: bool) -> str:
    """The example the editor holds, for the menu; "" when it holds another text (a link's, a
    snapshot's, a draft's). Posted with the spec, so that the menu stays right after a check."""
    if request.method == "POST":
        return request.POST.get("example", "")
    if "text" in request.GET or own_text:
        return ""
    return request.GET.get("example", DEFAULT_EXAMPLE)


def _asks_for_text(request: HttpRequest) -> bool:
    """Whether the address names the text to open (an example, or a text of its own)."""
    return "example" in request.GET or "text" in request.GET


def _shared(snapshot: Snapshot) -> Preset:
    """A shared link's scenario, as the Run panel's menu names it."""
    return Preset("shared", "The shared link's scenario", snapshot.scenario)


def _runs(request: HttpRequest) -> bool:
    """Whether the post asks for a run: the Run button, or a preset chosen."""
    return request.method == "POST" and ("run" in request.POST or "load_preset" in request.POST)


def _run(request: HttpRequest, panel: Run, report: Report) -> int:
    """Run the panel's scenario within the client's engine budget: 0, or the seconds to wait
    when the budget is spent (the panel then says so, and keeps the learner's entries)."""
    panel.asked = True
    scenario = panel.form.scenario()
    if scenario is None:
        return 0
    ceiling = settings.PLAYGROUND_CHECKS_PER_MINUTE
    units = run_units(report, scenario)
    if units > ceiling:  # more than a whole minute's budget: never, not even in a fresh window
        panel.refused = RUN_TOO_LARGE
        return 0
    if wait := _spend_run(request, report, scenario):
        panel.refused = RUN_LIMITED.format(limit=ceiling, wait=wait)
        return wait
    # The estimate is an upper bound of the simulator's work; the drawing is paid as it went.
    seconds = panel.simulate_and_draw(report, scenario)
    if (extra := math.ceil(seconds / UNIT_SECONDS) - units) > 0:
        spend_engine_units(request, extra)
    return 0


def _spend_run(request: HttpRequest, report: Report, scenario: Scenario) -> int:
    """Spend on the client's engine budget what simulating `report`'s Pod through `scenario`
    costs at most: 0, or the seconds to wait."""
    ceiling = settings.PLAYGROUND_CHECKS_PER_MINUTE
    return spend_engine_units(request, min(run_units(report, scenario), ceiling))


def _limited(response: HttpResponse, wait: int) -> HttpResponse:
    """The page as it is, or a 429 saying when to come back (its run panel says why)."""
    if not wait:
        return response
    response.status_code = 429
    return with_retry_after(response, wait)


@require_POST
def share(request: HtmxHttpRequest) -> HttpResponse:
    """Save a snapshot of the spec and go to its permanent, read-only page."""
    chosen = Settings.from_data(request.POST)
    if wait := spend_engine(request, chosen.text):
        context = {"chosen": chosen, **_choices()}
        return _too_many(request, "playground/playground.html", context, wait)
    # NUL characters cannot be stored (PostgreSQL refuses them) and are never valid YAML anyway.
    most = settings.SNAPSHOT_MAX_BYTES
    too_big = len(chosen.text.encode("utf-8", "surrogatepass")) > most
    if too_big or not chosen.text.strip() or "\x00" in chosen.text:
        message = (
            f"Only a spec that is not empty, at most {most // 1024} KB and free of NUL characters "
            "can be shared."
        )
        return _share_refused(request, chosen, message, 400)
    form = RunForm.from_data(request.POST, pod_containers(checked(chosen)))
    if form.scenario() is None:
        message = (
            "The scenario in the Run panel has problems (Run shows each beside its field): fix "
            "or clear them to share the spec with its run."
        )
        return _share_refused(request, chosen, message, 400)
    try:
        snapshot = sharing.share(
            chosen.text,
            chosen.kubernetes_version,
            chosen.profile,
            sharing.client_key(request),
            scenario=form.text(),
        )
    except sharing.ShareRefused as refused:
        return _share_refused(request, chosen, refused.message, refused.status)
    if request.htmx:  # htmx loads the snapshot's page in full
        return HttpResponseClientRedirect(reverse("playground:snapshot", args=[snapshot.pk]))
    return redirect("playground:snapshot", snapshot.pk)


def _share_refused(request: HtmxHttpRequest, chosen: Settings, message: str, status: int):
    """Say why the spec was not shared where the results go (htmx), or on the whole page."""
    results = evaluate(chosen)
    panel = run_panel(results.report, request.POST)
    panel.form.scenario()  # puts each of its problems beside its field
    context = {
        "chosen": chosen,
        "results": results,
        "run": panel,
        "server_text": True,
        **_choices(),
    }
    context["share_error"] = message
    if not request.htmx:
        return render(request, "playground/playground.html", context, status=status)
    # htmx swaps in only 2xx and 429 answers (base.html's htmx-config): any other refusal would
    # be reported as a server failure instead of saying why.
    shown = status if status == 429 else 200
    # With the Run panel's fields, so that each problem of its scenario shows beside its field.
    return render(request, "playground/_workbench.html#checked", context, status=shown)


def _snapshot_context(request: HttpRequest, snapshot: Snapshot) -> dict:
    sharing.note_opened(request, snapshot)
    chosen = Settings.of(snapshot)
    page = request.build_absolute_uri(reverse("playground:snapshot", args=[snapshot.pk]))
    results = evaluate_stored(chosen)
    return {
        "snapshot": snapshot,
        "chosen": chosen,
        "results": results,
        # Named as its author named it; the id means nothing to a reader.
        "name": _snapshot_name(snapshot, results.report),
        "spec_html": mark_safe(numbered_html(snapshot.text)),  # escaped by numbered_html
        "line_anchors": True,  # problems link to the numbered lines, not to an editor
        "page_url": page,
        "embed_url": request.build_absolute_uri(reverse("playground:embed", args=[snapshot.pk])),
        "svg_url": request.build_absolute_uri(
            reverse("playground:image", args=[snapshot.pk, "svg"])
        ),
        "oembed_url": request.build_absolute_uri(reverse("playground:oembed"))
        + "?"
        + urlencode({"url": page, "format": "json"}),
        "origin": request.build_absolute_uri("/").rstrip("/"),
        **_frame_size(results.svg),
    }


def _snapshot_name(snapshot: Snapshot, report: Report) -> str:
    # What its spec defines, as its author named it: the id means nothing to a reader.
    return names(report.workloads) or f"Pod spec {snapshot.pk}"


def _frame_size(svg: str | None) -> dict[str, int]:
    """The drawing's size, and the embed page's height around it, for the iframe snippet."""
    width, height = drawing_size(svg) if svg else NO_DRAWING
    return {
        "drawing_width": round(width),
        "drawing_height": round(height),
        "frame_height": round(height) + EMBED_CHROME,
    }


@require_GET
def snapshot_page(request: HttpRequest, snapshot_id: str) -> HttpResponse:
    snapshot = get_object_or_404(Snapshot, pk=snapshot_id)
    if wait := spend_engine(request, snapshot.text):
        return _too_many_pages(request, wait)
    context = _snapshot_context(request, snapshot)
    if snapshot.scenario:
        report = context["results"].report
        context["run"] = run_panel(report, start=_shared(snapshot))
        wait = _run(request, context["run"], report)
    return _limited(render(request, "playground/snapshot.html", context), wait)


@require_GET
@xframe_options_exempt
@csp_override(EMBED_CSP)
def snapshot_embed(request: HttpRequest, snapshot_id: str) -> HttpResponse:
    """The only page other sites may frame: the diagram and a link back."""
    snapshot = get_object_or_404(Snapshot, pk=snapshot_id)
    if wait := spend_engine(request, snapshot.text):
        return _too_many_pages(request, wait)
    return render(request, "playground/embed.html", _snapshot_context(request, snapshot))


@require_GET
@csp_override(IMAGE_CSP)
def snapshot_image(request: HttpRequest, snapshot_id: str, fmt: str) -> HttpResponse:
    if fmt not in CONTENT_TYPES:
        raise Http404("Diagrams come as .svg or .png")
    snapshot = get_object_or_404(Snapshot, pk=snapshot_id)
    sharing.note_opened(request, snapshot)
    # The same query as a /diagram/ URL's: the theme (an SVG follows its reader's unless told) and size.
    asked = picture_query(request, fmt)
    if isinstance(asked, HttpResponse):
        return asked
    theme, size = asked
    # The id is a hash of the spec and its settings: it names the picture for good.
    key = picture_key("snapshot", fmt, theme, snapshot.pk, size)
    headers = {"Cache-Control": "public, max-age=86400"}
    if request.GET.get("download"):
        headers["Content-Disposition"] = f'attachment; filename="pod-{snapshot.pk}.{fmt}"'
    version = Settings.of(snapshot).kubernetes_version
    try:
        return picture_response(
            request,
            key,
            lambda: snapshot.text,
            fmt,
            theme,
            headers=headers,
            size=size,
            kubernetes_version=version,
        )
    except NothingToDraw as exc:
        return error_image(422, f"nothing to draw: {exc}", fmt, theme)
    except Exception:  # a stored spec that breaks the engine must not break its image for good
        logger.exception("the engine failed to draw snapshot %s", snapshot.pk)
        message = "the checker failed on this snapshot (the failure is logged)"
        return error_image(422, message, fmt, theme)


def _bounded(value: str | None, most: int) -> int:
    """A bound from the query string, within 1..most (`most` when it is not a number)."""
    number = parse_int(value)
    return most if number is None else max(1, min(number, most))


@require_GET
def oembed(request: HttpRequest) -> HttpResponse:
    """oEmbed (https://oembed.com): a photo for /diagram/... URLs, a rich iframe of the embed
    page for snapshot pages; both sized from the drawing, within maxwidth and maxheight."""
    url = request.GET.get("url", "")
    if request.GET.get("format", "json") != "json":
        return HttpResponse(
            "only format=json is supported\n", status=501, content_type="text/plain"
        )
    try:
        parts = urlparse(url)
        match = resolve(parts.path)
    except (Resolver404, ValueError):
        raise Http404("not a snapshot or diagram URL") from None
    most = (
        _bounded(request.GET.get("maxwidth"), OEMBED_MAX[0]),
        _bounded(request.GET.get("maxheight"), OEMBED_MAX[1]),
    )
    if match.view_name == "diagrams:image":
        try:
            answer = diagram_photo(
                request, match.kwargs["fmt"], match.kwargs["code"], parts.query, most
            )
        except NoEmbed:
            raise Http404("this diagram URL draws nothing") from None
    elif match.view_name == "playground:snapshot":
        snapshot = get_object_or_404(Snapshot, pk=match.kwargs["snapshot_id"])
        answer = _snapshot_rich(request, snapshot, most)
    else:
        raise Http404("not a snapshot or diagram URL")
    if isinstance(answer, int):
        return _too_many_pages(request, answer)
    if answer["width"] < MIN_WIDTH:
        # The spec says maxwidth and maxheight must be respected; a drawing narrower than the
        # smallest picture a diagram URL draws cannot be, so there is no answer (oembed.com 2.3.4).
        raise Http404("the drawing cannot be shown within maxwidth and maxheight")
    return JsonResponse(answer)


def _snapshot_rich(request: HttpRequest, snapshot: Snapshot, most: tuple[int, int]) -> dict | int:
    """The oEmbed rich answer for a snapshot page: an iframe sized to its drawing, titled as the
    page is (from the same evaluation, which logs an engine failure and shows its message)."""
    if wait := spend_engine(request, snapshot.text):
        return wait
    results = evaluate_stored(Settings.of(snapshot))
    size = drawing_size(results.svg) if results.svg else NO_DRAWING
    width, height = fit(size[0], size[1] + EMBED_CHROME, *most)
    embed = request.build_absolute_uri(reverse("playground:embed", args=[snapshot.pk]))
    title = _snapshot_name(snapshot, results.report)
    return {
        "version": "1.0",
        "type": "rich",
        "provider_name": PROVIDER,
        "provider_url": request.build_absolute_uri("/"),
        "title": title,
        "width": width,
        "height": height,
        "html": format_html(
            '<iframe src="{}" width="{}" height="{}" title="{}" loading="lazy" '
            'style="border:0;max-width:100%;height:auto;aspect-ratio:{} / {}"></iframe>',
            embed,
            width,
            height,
            title,
            width,
            height,
        ),
    }


def in_course_order(library: Library) -> list[Exercise]:
    """The exercises in the order the course reaches them: by their lesson's place in reading
    order, within a lesson as its text links them; those of no lesson last."""
    places = {lesson.key: index for index, lesson in enumerate(library.lessons)}

    def place(exercise: Exercise) -> tuple[int, int]:
        lesson = library.lesson(exercise.lesson_key) if exercise.lesson_key else None
        if lesson is None:
            return len(places), 0
        links = lesson.exercise_links
        within = links.index(exercise.slug) if exercise.slug in links else len(links)
        return places[lesson.key], within

    return sorted(library.exercises, key=place)


def _next_exercise(library: Library, exercise: Exercise) -> Exercise | None:
    """The exercise after this one in course order; None after the last."""
    ordered = in_course_order(library)
    index = ordered.index(exercise)
    return ordered[index + 1] if index + 1 < len(ordered) else None


@require_GET
def exercise_list(request: HttpRequest) -> HttpResponse:
    learner = current_learner(request)
    solved = learner.solved_slugs() if learner else set()
    library = get_library()
    return render(
        request,
        "playground/exercises.html",
        {"exercises": in_course_order(library), "solved": solved, "library": library},
    )


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
@keeps_learners
def exercise_page(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """An exercise: the playground with the goals ticking as the spec meets them."""
    library = get_library()
    exercise = library.exercise(slug)
    if exercise is None:
        raise Http404("No such exercise")
    learner = current_learner(request)
    hints = _hint_count(request, len(exercise.hints))
    report = None
    if request.method == "POST":
        chosen = Settings.from_data(request.POST, version=exercise.kubernetes_version)
    else:
        draft = draft_text(request, Draft.exercise_place(exercise.slug))
        version = exercise.kubernetes_version or Settings("").kubernetes_version
        chosen = Settings(draft or exercise.starter, version)
    if request.method == "POST" or chosen.text != exercise.starter:  # the starter is ours
        wait = spend_engine(request, chosen.text)
        if not wait and needs_run(exercise.goals):
            # Goals on a run simulate the exercise's own scenario on every check: paid as the Run
            # button pays for a run, before it runs.
            report = checked(chosen)
            wait = _spend_run(request, report, parse_scenario(exercise.scenario))
        if wait:
            context = {
                "exercise": exercise,
                "chosen": chosen,
                "hints_shown": exercise.hints[:hints],
                **_choices(),
            }
            return _too_many(request, "playground/exercise.html", context, wait)
    results = evaluate(chosen, exercise.goals, scenario=exercise.scenario, report=report)
    if learner is not None and request.method == "POST" and "hints" not in request.POST:
        note_started(request, learner, exercise.slug)  # typed or asked for, it is begun
    if request.method == "POST" and "hints" not in request.POST:
        keep_draft(request, learner, Draft.exercise_place(exercise.slug), chosen.text)
    if learner is not None and _asked_to_check(request):
        count_problems(learner, exercise.slug, {d.code for d in results.report.diagnostics})
    newly_solved = False
    if results.solved:
        learner = learner or current_learner(request, create=True)
        newly_solved = record_solution(learner, exercise.slug, chosen.text)
    solved = exercise.slug in (learner.solved_slugs() if learner else set())
    # The exercise's own scenario to start from: the run its goals are judged on.
    data = request.POST if request.method == "POST" else None
    start = Preset("exercise", "This exercise's scenario", exercise.scenario)
    panel = run_panel(results.report, data, start=start)
    wait = _run(request, panel, results.report) if _runs(request) else 0
    context = {
        "exercise": exercise,
        "lesson": library.lesson(exercise.lesson_key) if exercise.lesson_key else None,
        "chosen": chosen,
        "results": results,
        "run": panel,
        "solved": solved,
        "newly_solved": newly_solved,
        "next_exercise": _next_exercise(library, exercise) if results.solved else None,
        "hints_shown": exercise.hints[:hints],
        "next_hint": hints + 1 if hints < len(exercise.hints) else None,
        # Posted, or a signed-in learner's draft: the browser's copy is offered back, not used.
        "server_text": request.method == "POST" or chosen.text != exercise.starter,
        "storage_key": f"podspec:exercise:{exercise.slug}",
        **_choices(),
    }
    if request.htmx and request.method == "POST":
        if wait:  # the run was refused: the last one stays on screen, with the notice
            return _too_many(request, "playground/exercise.html", context, wait)
        part = "run-answer" if _runs(request) else "hints" if "hints" in request.POST else "checked"
        return render(request, f"playground/_workbench.html#{part}", context)
    return _limited(render(request, "playground/exercise.html", context), wait)


def _asked_to_check(request: HtmxHttpRequest) -> bool:
    """A check the learner asked for (the Check button, or a post without JavaScript), not one
    htmx makes while they type: what is counted as a problem is what they stood by."""
    if request.method != "POST" or "hints" in request.POST:
        return False
    return "check" in request.POST or not request.htmx


def _hint_count(request: HttpRequest, available: int) -> int:
    wanted = parse_int(request.POST.get("hints", request.GET.get("hints"))) or 0
    return min(wanted, available)
