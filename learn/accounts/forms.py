"""Forms for signing up and a sign-in form that slows down password guessing."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.core.cache import cache

from learn.playground.limits import client_address

MAX_FAILURES = 5
LOCKOUT_SECONDS = 15 * 60


class SignupForm(UserCreationForm):
    """A username, an optional e-mail address (needed to reset a forgotten password), a password."""

    email = forms.EmailField(
        required=False, help_text="Optional; needed only to reset a forgotten password."
    )

    class Meta(UserCreationForm.Meta):
        fields = ("username", "email")


class ThrottledAuthenticationForm(AuthenticationForm):
    """After five failed sign-ins for one username or from one address, wait fifteen minutes."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "throttled": "Too many failed sign-in attempts. Wait 15 minutes and try again, or reset your password.",
    }

    def _limits(self) -> dict[str, int]:
        """Failures counted per username from this address, and per address for all names (so
        nobody can lock someone else out from elsewhere, and one address cannot try many names)."""
        username = (self.data.get("username") or "").strip().lower()
        address = client_address(self.request) if self.request else ""
        return {
            f"login-failures:{address}:{username}": MAX_FAILURES,
            f"login-failures:{address}": MAX_FAILURES * 4,
        }

    def clean(self):
        limits = self._limits()
        keys = list(limits)
        if any((cache.get(key) or 0) >= most for key, most in limits.items()):
            raise forms.ValidationError(self.error_messages["throttled"], code="throttled")
        try:
            return super().clean()
        except forms.ValidationError:
            for key in keys:
                cache.add(key, 0, LOCKOUT_SECONDS)
                try:
                    cache.incr(key)
                except ValueError:
                    cache.set(key, 1, LOCKOUT_SECONDS)
            raise
