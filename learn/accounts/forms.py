"""Forms for signing up, a sign-in form that slows down password guessing, and a password reset
that mails one address only so often."""

import time

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, UserCreationForm

from learn.core.limits import counters
from learn.core.limits.clients import client_address
from learn.core.limits.rates import key_for, spend_on

LOCKOUT_SECONDS = 15 * 60


def stored_username(typed: str) -> str:
    """The username as stored for the one typed in any case ("Ada" signs in as "ada"); the typed
    one when none, or several accounts made before this rule, match without regard to case."""
    users = get_user_model()._default_manager
    names = list(users.filter(username__iexact=typed).values_list("username", flat=True)[:2])
    if typed in names or len(names) != 1:
        return typed
    return names[0]


class SignupForm(UserCreationForm):
    """A username, an optional e-mail address (needed to reset a forgotten password), a password.

    A username taken in another case ("Ada" when "ada" exists) is refused: Django's form checks
    it. The database's own unique index is on the exact name (auth's table, not ours to migrate),
    so two sign-ups racing with the same name in different cases could both pass: rare, and both
    still sign in by their exact names.
    """

    email = forms.EmailField(
        required=False, help_text="Optional; needed only to reset a forgotten password."
    )

    class Meta(UserCreationForm.Meta):
        fields = ("username", "email")


class ThrottledAuthenticationForm(AuthenticationForm):
    """After FAILED_SIGN_INS_PER_NAME failed sign-ins for one username (5) or
    FAILED_SIGN_INS_PER_ADDRESS for any (20) from one address, wait until the fifteen-minute
    window ends.

    Each attempt takes its place in the counts before the password is checked, in one atomic
    statement per count, and gives it back when it succeeds: parallel guesses cannot all pass a
    check made before any of them failed (6 of 60 did, with a count read and then written).
    """

    error_messages = {
        **AuthenticationForm.error_messages,
        # Django's says both fields may be case-sensitive; here only the password is (clean()).
        "invalid_login": "Please enter a correct username and password. Only the password is case-sensitive.",
        "throttled": "Too many failed sign-in attempts. Wait 15 minutes and try again, or reset your password.",
    }
    wait = 0  # seconds until a throttled client may try again

    def _limits(self) -> dict[str, int]:
        """Failures counted per username from this address, and per address for all names (so
        nobody can lock someone else out from elsewhere, and one address cannot try many names)."""
        username = (self.data.get("username") or "").strip().lower()
        address = client_address(self.request) if self.request else ""
        return {
            f"{address}\n{username}": settings.FAILED_SIGN_INS_PER_NAME,
            address: settings.FAILED_SIGN_INS_PER_ADDRESS,
        }

    def clean(self):
        if username := self.cleaned_data.get("username"):
            self.cleaned_data["username"] = stored_username(username)
        now = time.time()
        limits = self._limits()
        for who, most in limits.items():  # the next count only once this one passed
            if wait := spend_on("sign-in", who, most, window=LOCKOUT_SECONDS, now=now):
                self.wait = wait
                raise forms.ValidationError(self.error_messages["throttled"], code="throttled")
        cleaned = super().clean()  # a failure raises, and stays counted
        for who in limits:
            counters.add(key_for("sign-in", who), LOCKOUT_SECONDS, -1, now=now)
        return cleaned


class LimitedPasswordResetForm(PasswordResetForm):
    """Django's password reset, sending at most PASSWORD_RESET_MAILS_PER_HOUR mails to one
    address: beyond that nothing is sent, and the page says what it always says (so it tells
    nobody whether the address has an account)."""

    def get_users(self, email):
        most = settings.PASSWORD_RESET_MAILS_PER_HOUR
        if spend_on("reset-mail", email.strip().lower(), most, window=60 * 60):
            return iter(())
        return super().get_users(email)
