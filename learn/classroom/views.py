"""Classes for instructors and learners. Every view checks who may see what, itself."""

import csv
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRefresh

from learn.classroom.chart import progress_chart
from learn.classroom.forms import AssignmentForm, ClassroomForm, JoinForm
from learn.classroom.grid import Grid, Row, assignments_for, build_grid, learner_id_of, row_for
from learn.classroom.models import Assignment, Classroom, Membership, is_instructor
from learn.classroom.record import learner_record
from learn.content.library import get_library
from learn.core.http import AuthenticatedHttpRequest
from learn.core.inputs import parse_id
from learn.core.limits.rates import spend, with_retry_after


def _taught(request: AuthenticatedHttpRequest, class_id: int) -> Classroom:
    """The class, if the signed-in user teaches it; 404 otherwise (not even its existence leaks)."""
    classroom = Classroom.objects.filter(pk=class_id, instructor=request.user).first()
    if classroom is None:
        raise Http404("No such class")
    return classroom


def instructor_required(view):
    """Only instructors; everyone else is told so (403), anonymous visitors are asked to sign in."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not is_instructor(request.user):
            return render(request, "classroom/not_instructor.html", status=403)
        return view(request, *args, **kwargs)

    return wrapped


@require_GET
@login_required
def classes(request: AuthenticatedHttpRequest) -> HttpResponse:
    """My classes: those I teach (instructors) and those I belong to, with what is due."""
    return render(request, "classroom/classes.html", _classes_context(request))


def _classes_context(request: AuthenticatedHttpRequest, **forms) -> dict:
    instructor = is_instructor(request.user)
    return {
        "teaching": list(Classroom.objects.filter(instructor=request.user)) if instructor else [],
        "learning": assignments_for(request.user, get_library(), timezone.now()),
        "form": forms.get("form", ClassroomForm()),
        "join_form": forms.get("join_form", JoinForm()),
        "instructor": instructor,
    }


@require_POST
@login_required
def leave(request: AuthenticatedHttpRequest, class_id: int) -> HttpResponse:
    """A learner leaves a class (their own progress stays theirs)."""
    Membership.objects.filter(classroom_id=class_id, user=request.user).delete()
    return redirect("classroom:classes")


@require_POST
@instructor_required
def create_class(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ClassroomForm(request.POST)
    if not form.is_valid():
        return render(
            request, "classroom/classes.html", _classes_context(request, form=form), status=400
        )
    classroom = form.save(commit=False)
    classroom.instructor = request.user
    classroom.save()
    return redirect("classroom:dashboard", classroom.pk)


@require_http_methods(["GET", "POST"])
@login_required
def join(request: AuthenticatedHttpRequest, code: str = "") -> HttpResponse:
    """Join a class with its code (typed, or from a join link)."""
    form = JoinForm(request.POST or None, initial={"code": code})
    wait = 0
    if request.method == "POST":  # codes cannot be guessed at speed
        wait = spend(request, "join", settings.CLASS_JOINS_PER_MINUTE)
    if wait:
        form.add_error(None, "Too many attempts to join; wait a minute and try again.")
    elif request.method == "POST" and form.is_valid():
        classroom = Classroom.objects.filter(
            join_code=form.cleaned_data["code"], joining_open=True
        ).first()
        if classroom is None:
            form.add_error("code", "No open class has this code. Check it with your instructor.")
        elif classroom.instructor_id == request.user.pk:
            form.add_error("code", "You teach this class.")
        else:
            Membership.objects.get_or_create(classroom=classroom, user=request.user)
            return redirect("classroom:classes")
    if wait:
        return with_retry_after(
            render(request, "classroom/join.html", {"form": form}, status=429), wait
        )
    context = {"form": form, "invited_to": _invited_to(request, code)}
    return render(request, "classroom/join.html", context, status=400 if form.errors else 200)


def _invited_to(request: AuthenticatedHttpRequest, code: str) -> Classroom | None:
    """The open class a join link names, to confirm by name before joining.

    Following the link does not join: a GET changes nothing (a link preview, a prefetch or another
    site's <img> could follow it), so one button, which names the class, confirms.
    """
    if request.method != "GET" or not code:
        return None
    classroom = Classroom.open_for(code)
    return None if classroom is None or classroom.instructor_id == request.user.pk else classroom


def _filtered(grid: Grid, show: str, sort: str) -> list[Row]:
    rows = grid.rows
    if show == "late":
        rows = [r for r in rows if r.count("late")]
    elif show == "behind":
        rows = [r for r in rows if r.count("late") or r.count("not-started")]
    elif show == "not-started":
        rows = [r for r in rows if r.count("not-started") == len(r.cells)]
    if sort == "progress":
        rows = sorted(rows, key=lambda r: (r.done, r.user.username))
    elif sort == "late":
        rows = sorted(rows, key=lambda r: (-r.count("late"), r.user.username))
    return rows


@require_GET
@instructor_required
def dashboard(request: AuthenticatedHttpRequest, class_id: int) -> HttpResponse:
    classroom = _taught(request, class_id)
    return render(request, "classroom/dashboard.html", _dashboard_context(request, classroom))


def _dashboard_context(
    request: AuthenticatedHttpRequest, classroom: Classroom, assignment_form=None, class_form=None
) -> dict:
    grid = build_grid(classroom, get_library(), timezone.now())
    show, sort = request.GET.get("show", "all"), request.GET.get("sort", "name")
    return {
        "classroom": classroom,
        "grid": grid,
        "rows": _filtered(grid, show, sort),
        "show": show,
        "sort": sort,
        "chart": progress_chart(grid),
        "assignment_form": assignment_form
        or AssignmentForm(library=get_library(), classroom=classroom),
        "class_form": class_form or ClassroomForm(instance=classroom),
        "join_url": request.build_absolute_uri(
            reverse("classroom:join_code", args=[classroom.join_code])
        ),
    }


@require_GET
@instructor_required
def learner_detail(request: AuthenticatedHttpRequest, class_id: int, user_id: int) -> HttpResponse:
    classroom = _taught(request, class_id)
    membership = get_object_or_404(
        Membership.objects.select_related("user"), classroom=classroom, user_id=user_id
    )
    library, learner_id = get_library(), learner_id_of(membership.user)
    pairs = row_for(classroom, learner_id, library, timezone.now())
    record = learner_record(learner_id, [item for item, _ in pairs], library)
    return render(
        request,
        "classroom/learner.html",
        {"classroom": classroom, "member": membership.user, "pairs": pairs, "record": record},
    )


@require_GET
@instructor_required
def export_csv(request: AuthenticatedHttpRequest, class_id: int) -> StreamingHttpResponse:
    """The grid as CSV for gradebooks, streamed: one row per learner; per assignment its status,
    when it was completed (ISO 8601, in the class's time zone) and, for quizzes, the best score."""
    classroom = _taught(request, class_id)
    grid = build_grid(classroom, get_library(), timezone.now())
    quiz = [item.kind == Assignment.Kind.QUIZ for item in grid.items]

    class Echo:
        def write(self, value):
            return value

    writer = csv.writer(Echo())

    def cell(text: str) -> str:
        """Spreadsheets run cells that start like formulas: make such text plain text."""
        return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text

    def columns(item, is_quiz: bool) -> list[str]:
        title = cell(item.title)
        return [title, f"{title} completed", *([f"{title} best score %"] if is_quiz else [])]

    def values(c, is_quiz: bool) -> list[str]:
        done = (
            c.completed_at.astimezone(classroom.zone).isoformat(timespec="seconds")
            if c.completed_at
            else ""
        )
        status = f"{c.status}{' (' + c.detail + ')' if c.detail else ''}"
        score = "" if c.score is None else str(c.score)
        return [status, done, *([score] if is_quiz else [])]

    def lines():
        header = [col for item, q in zip(grid.items, quiz, strict=True) for col in columns(item, q)]
        yield writer.writerow(["username", "email", *header])
        for row in grid.rows:
            cells = [v for c, q in zip(row.cells, quiz, strict=True) for v in values(c, q)]
            yield writer.writerow([cell(row.user.username), cell(row.user.email), *cells])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="class-{classroom.pk}.csv"'
    return response


@require_POST
@instructor_required
def manage(request: AuthenticatedHttpRequest, class_id: int) -> HttpResponse:
    """Change the join code, open or close joining, or remove a learner."""
    classroom = _taught(request, class_id)
    action = request.POST.get("action")
    if action == "regenerate":
        classroom.regenerate_code()
    elif action in ("open", "close"):
        classroom.joining_open = action == "open"
        classroom.save(update_fields=["joining_open"])
    elif action == "remove":
        user_id = parse_id(request.POST.get("user"))
        if user_id is None and request.htmx:  # htmx shows no 400: the unchanged page instead
            return HttpResponseClientRefresh()
        if user_id is None:  # only a forged form sends one
            raise BadRequest("The learner to remove is not a valid id.")
        Membership.objects.filter(classroom=classroom, user_id=user_id).delete()
    elif action == "rename":
        form = ClassroomForm(request.POST, instance=classroom)
        if not form.is_valid():
            return _rename_refused(request, classroom, form)
        form.save()  # dates already set stay the same instants; they show in the new zone
    if request.htmx:  # the class's name and times show all over the page
        return HttpResponseClientRefresh()
    return redirect("classroom:dashboard", classroom.pk)


def _rename_refused(
    request: AuthenticatedHttpRequest, classroom: Classroom, form: ClassroomForm
) -> HttpResponse:
    """The settings form again with what is wrong: in place (htmx), or on the whole page."""
    # The instance took the invalid values while validating: the page shows the stored ones.
    classroom.refresh_from_db()
    if request.htmx:  # a 200: htmx swaps only 2xx and 429 answers in (base.html's htmx-config)
        context = {"classroom": classroom, "class_form": form}
        return render(request, "classroom/dashboard.html#class-settings", context)
    context = _dashboard_context(request, classroom, class_form=form)
    return render(request, "classroom/dashboard.html", context, status=400)


@require_POST
@instructor_required
def assign(request: AuthenticatedHttpRequest, class_id: int) -> HttpResponse:
    """Add an assignment, or change its dates when it exists."""
    classroom = _taught(request, class_id)
    form = AssignmentForm(request.POST, library=get_library(), classroom=classroom)
    if form.is_valid():
        kind, target = form.kind_and_target
        Assignment.objects.update_or_create(
            classroom=classroom,
            kind=kind,
            target=target,
            defaults={
                "opens_at": form.cleaned_data["opens_at"],
                "due_at": form.cleaned_data["due_at"],
            },
        )
        if warning := form.past_due_warning(timezone.now()):
            messages.warning(request, warning)
        return redirect("classroom:dashboard", classroom.pk)
    context = _dashboard_context(request, classroom, assignment_form=form)
    return render(request, "classroom/dashboard.html", context, status=400)


@require_POST
@instructor_required
def withdraw(request: AuthenticatedHttpRequest, class_id: int, assignment_id: int) -> HttpResponse:
    classroom = _taught(request, class_id)
    Assignment.objects.filter(classroom=classroom, pk=assignment_id).delete()
    return redirect("classroom:dashboard", classroom.pk)
