"""Property tests over form posts: whatever a client sends, no page answers 500."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

FIELD_VALUES = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "",
            "0",
            "-1",
            "999999999999",
            "1e9",
            "true",
            "abc",
            "\x00",
            "<script>",
            "2026-13-45T25:61",
        ]
    ),
)
FORMS = st.dictionaries(
    st.sampled_from(["question", "choice", "answer", "order", "text", "line", "retry", "item", "opens_at",
                     "due_at", "action", "user", "name", "time_zone", "code", "hints", "kubernetes_version",
                     "profile", "done"]),
    st.lists(FIELD_VALUES, min_size=1, max_size=3),
    max_size=6,
)  # fmt: skip
HEALTH = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]


def post(client, url, data):
    """Post as a plain form and as htmx; neither may fail."""
    for headers in ({}, {"HX-Request": "true"}):
        response = client.post(url, data, headers=headers)
        assert response.status_code < 500, (url, data, headers)


@pytest.mark.django_db
@settings(max_examples=30, deadline=None, suppress_health_check=HEALTH)
@given(FORMS)
def test_learner_forms_never_fail(client, content_dir, data):
    for url in ("/lessons/basics/first/quiz/", "/lessons/basics/first/complete/", "/exercises/name-it-web/",
                "/playground/", "/playground/share/", "/theme/"):  # fmt: skip
        post(client, url, data)


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=HEALTH)
@given(FORMS)
def test_instructor_forms_never_fail(client, content_dir, django_user_model, data):
    from django.contrib.auth.models import Group

    from learn.classroom.models import INSTRUCTORS_GROUP, Classroom

    teacher, _ = django_user_model.objects.get_or_create(username="teacher")
    teacher.groups.add(Group.objects.get_or_create(name=INSTRUCTORS_GROUP)[0])
    client.force_login(teacher)
    classroom, _ = Classroom.objects.get_or_create(name="C", instructor=teacher)
    for url in (f"/classes/{classroom.pk}/assign/", f"/classes/{classroom.pk}/manage/", "/classes/new/",
                "/classes/join/", f"/classes/{classroom.pk}/leave/"):  # fmt: skip
        post(client, url, data)
