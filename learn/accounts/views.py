"""Sign up, and "My progress"; signing in and out and passwords use Django's own views (the
first two going on only to a local `next`)."""

from functools import wraps
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth import views as auth
from django.core.exceptions import NON_FIELD_ERRORS
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse_lazy
from django.views.decorators.http import require_GET, require_http_methods

from learn.accounts.forms import LimitedPasswordResetForm, SignupForm
from learn.accounts.progress import progress_report
from learn.classroom.models import Classroom
from learn.content.library import get_library
from learn.core.inputs import local_path
from learn.core.limits.rates import spend, too_many, with_retry_after
from learn.progress.learners import current_learner, standing

NEXT_AFTER_RESET = "next_after_password_reset"  # session key


def hashes_passwords(view):
    """For a view that hashes a password when posted to (~0.35 s each, on purpose): at most
    PASSWORD_HASHES_PER_MINUTE such posts per address, whatever their outcome."""

    @wraps(view)
    def limited(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method == "POST":
            most = settings.PASSWORD_HASHES_PER_MINUTE
            if wait := spend(request, "password-hash", most):
                message = "Your address sent many passwords in the last minute; checking one takes a while on purpose."
                return too_many(request, wait, message)
        return view(request, *args, **kwargs)

    return limited


def throttled_is_429(view):
    """For a sign-in view whose form is ThrottledAuthenticationForm: an attempt the throttle
    refused answers 429 with Retry-After (the form's page, saying why), not a 200."""

    @wraps(view)
    def answered(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        form = (getattr(response, "context_data", None) or {}).get("form")
        if form is not None and form.has_error(NON_FIELD_ERRORS, "throttled"):
            response.status_code = 429
            with_retry_after(response, form.wait)
        return response

    return answered


def next_of(request: HttpRequest) -> str:
    """The `next` a form or link carries (posted or in the query), if it is a local path; else ""."""
    return local_path(request, request.POST.get("next") or request.GET.get("next")) or ""


def invitation(next_path: str) -> Classroom | None:
    """The open class a sign-in or sign-up goes on to join (a join link as `next`), to name it."""
    try:
        match = resolve(urlsplit(next_path).path)
    except Resolver404:
        return None
    if match.view_name != "classroom:join_code":
        return None
    return Classroom.open_for(match.kwargs["code"])


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    """Create an account; what the visitor did before signing up stays theirs."""
    next_path = next_of(request)
    if request.user.is_authenticated:
        return redirect(next_path or "accounts:progress")
    form = SignupForm(request.POST or None)
    wait = 0
    if request.method == "POST":  # each hashes a password (~300 ms on purpose)
        wait = spend(request, "sign-up", settings.SIGNUPS_PER_HOUR, window=60 * 60)
    if wait:
        form.add_error(None, "Too many sign-up attempts from your address; try again in an hour.")
    elif request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect(next_path or "accounts:progress")
    context = {"form": form, "next": next_path, "invited_to": invitation(next_path)}
    response = render(request, "registration/signup.html", context, status=429 if wait else 200)
    return with_retry_after(response, wait) if wait else response


@require_http_methods(["GET", "POST"])
def password_reset(request: HttpRequest) -> HttpResponseBase:
    """Django's password reset, a few requests an hour per address (each may send a mail)."""
    if request.method == "POST":
        most = settings.PASSWORD_RESETS_PER_HOUR
        if wait := spend(request, "password-reset", most, window=60 * 60):
            message = "Your address asked for many password resets in the last hour."
            return too_many(request, wait, message)
    response = _password_reset(request)
    if request.method == "POST" and response.status_code == 302 and (next_path := next_of(request)):
        # The mailed link may be opened in this browser: signing in afterwards goes on there.
        request.session[NEXT_AFTER_RESET] = next_path
    return response


@require_GET
def password_reset_complete(request: HttpRequest) -> HttpResponse:
    """The new password is set: sign in, going on to where the reset began (if it was here)."""
    # Used once: a reset weeks later must not lead back to where this one began.
    next_path = local_path(request, request.session.pop(NEXT_AFTER_RESET, None)) or ""
    return render(request, "registration/password_reset_complete.html", {"next": next_path})


class PasswordResetView(auth.PasswordResetView):
    """Django's password reset, its form carrying a local `next` along."""

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "next": next_of(self.request)}


_password_reset = PasswordResetView.as_view(
    form_class=LimitedPasswordResetForm, success_url=reverse_lazy("accounts:password_reset_done")
)


@require_GET
def my_progress(request: HttpRequest) -> HttpResponse:
    """Per module: lessons read, quiz scores, exercises solved, and what to do next."""
    state = standing(current_learner(request))
    return render(
        request, "accounts/progress.html", {"report": progress_report(get_library(), state)}
    )


class LocalNextMixin(auth.RedirectURLMixin):
    """Django's sign-in and sign-out views follow `next` to anything url_has_allowed_host_and_scheme
    passes, such as `home` (a redirect relative to the current page); follow only local paths."""

    request: HttpRequest  # set by the view it is mixed into (View.setup)

    def get_redirect_url(self, request: HttpRequest | None = None) -> str:
        request = request or self.request
        return local_path(request, super().get_redirect_url(request)) or ""


class PasswordChangeView(auth.PasswordChangeView):
    """Django's password change, going on to a local `next` when one came along."""

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "next": next_of(self.request)}

    def get_success_url(self) -> str:
        return next_of(self.request) or str(super().get_success_url())


class LoginView(LocalNextMixin, auth.LoginView):
    """Django's sign-in, going on only to a local `next` (a throttled attempt is a 429: urls.py),
    naming the class a join link it came from invites to."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        return {**context, "invited_to": invitation(context.get("next", ""))}


class LogoutView(LocalNextMixin, auth.LogoutView):
    """Django's sign-out, going on only to a local `next`."""
