"""Sign up, and "My progress"; signing in and passwords use Django's own views."""

from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods

from learn.accounts.forms import SignupForm
from learn.accounts.progress import progress_report
from learn.lessons.library import get_library
from learn.progress.learners import current_learner, standing


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    """Create an account; what the visitor did before signing up stays theirs."""
    if request.user.is_authenticated:
        return redirect("accounts:progress")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        back = request.POST.get("next", "")
        safe = url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure())
        return redirect(back if back and safe else "accounts:progress")
    return render(
        request, "registration/signup.html", {"form": form, "next": request.GET.get("next", "")}
    )


@require_GET
def my_progress(request: HttpRequest) -> HttpResponse:
    """Per module: lessons read, quiz scores, exercises solved, and what to do next."""
    state = standing(current_learner(request))
    return render(
        request, "accounts/progress.html", {"report": progress_report(get_library(), state)}
    )
