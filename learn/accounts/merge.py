"""When an anonymous learner signs up or signs in, their progress moves to the account."""

from learn.progress.learners import SESSION_KEY
from learn.progress.models import Learner


def adopt_anonymous_progress(sender, request, user, **kwargs) -> None:
    """Signal receiver for user_logged_in: the session's anonymous learner joins the account.

    Django keeps the session's data when an anonymous visitor signs in, so the anonymous
    learner's id is still there.
    """
    if request is None:
        return
    account, _ = Learner.objects.get_or_create(user=user)
    anonymous_id = request.session.get(SESSION_KEY)
    if anonymous_id and anonymous_id != str(account.pk):
        anonymous = Learner.objects.filter(pk=anonymous_id, user__isnull=True).first()
        if anonymous is not None:
            account.adopt(anonymous)
    request.session[SESSION_KEY] = str(account.pk)
    # An account's session lasts SESSION_COOKIE_AGE, not the shorter anonymous lifetime.
    request.session.set_expiry(None)
