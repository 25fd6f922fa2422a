"""Untrusted numbers and redirect targets: a clear 4xx or a safe default, never a 500."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import get_resolver

from learn.classroom.models import INSTRUCTORS_GROUP, Classroom, Membership
from learn.core.inputs import MAX_ID, parse_id, parse_int

pytestmark = pytest.mark.django_db

TOO_BIG = str(MAX_ID + 1)  # 9223372036854775808: one more than a 64-bit database column holds


@pytest.fixture
def teaching(django_user_model, content_dir):
    teacher = django_user_model.objects.create_user("teacher", password="pass-word-123456")
    teacher.groups.add(Group.objects.get_or_create(name=INSTRUCTORS_GROUP)[0])
    classroom = Classroom.objects.create(name="K8s 101", instructor=teacher)
    learner = django_user_model.objects.create_user("lin", password="pass-word-123456")
    Membership.objects.create(classroom=classroom, user=learner)
    client = Client()
    client.force_login(teacher)
    return client, classroom, learner


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("post", "/classes/{big}/leave/"),
        ("get", "/classes/{big}/"),
        ("get", "/classes/{id}/learners/{big}/"),
        ("get", "/classes/{big}/learners/1/"),
        ("get", "/classes/{big}/export.csv"),
        ("post", "/classes/{big}/manage/"),
        ("post", "/classes/{big}/assign/"),
        ("post", "/classes/{id}/assignments/{big}/withdraw/"),
        ("get", "/classes/{id}/learners/{huge}/"),
    ],
)
def test_ids_beyond_what_a_database_holds_are_not_found(teaching, method, url):
    client, classroom, _ = teaching
    url = url.format(big=TOO_BIG, huge="9" * 5000, id=classroom.pk)
    assert getattr(client, method)(url).status_code == 404


def test_the_largest_id_a_database_holds_is_still_a_url(teaching):
    client, classroom, _ = teaching
    response = client.get(f"/classes/{classroom.pk}/learners/{MAX_ID}/")
    assert response.status_code == 404  # no such learner, said by the view the URL reached
    assert response.resolver_match.view_name == "classroom:learner"
    assert client.post(f"/classes/{classroom.pk}/assignments/{MAX_ID}/withdraw/").status_code == 302


def test_every_integer_in_a_url_is_bounded():
    """No route may use Django's unbounded `<int:…>`: every number goes through `<id:…>`."""

    def routes(resolver, prefix=""):
        for pattern in resolver.url_patterns:
            route = prefix + str(pattern.pattern)
            if hasattr(pattern, "url_patterns"):
                yield from routes(pattern, route)
            else:
                yield route

    all_routes = list(routes(get_resolver()))
    assert any("<id:" in route for route in all_routes)
    assert [route for route in all_routes if "<int:" in route] == []


@pytest.mark.parametrize("user", [TOO_BIG, "9" * 5000, "²", "-1", "0", "1.5", "", "abc"])
def test_removing_a_learner_with_an_impossible_id_is_a_bad_request(teaching, user):
    client, classroom, _ = teaching
    response = client.post(f"/classes/{classroom.pk}/manage/", {"action": "remove", "user": user})
    assert response.status_code == 400
    assert Membership.objects.count() == 1


def test_removing_a_learner_by_id_still_works(teaching):
    client, classroom, learner = teaching
    response = client.post(
        f"/classes/{classroom.pk}/manage/", {"action": "remove", "user": str(learner.pk)}
    )
    assert response.status_code == 302
    assert not Membership.objects.exists()


@pytest.mark.parametrize(
    ("value", "expected"),
    [("12", 12), (" 7 ", 7), ("", None), ("x", None), ("-3", None), ("٣", None), ("9" * 20, None)],
)
def test_form_integers_are_plain_bounded_decimals(value, expected):
    assert parse_int(value) == expected


def test_ids_are_positive_and_fit_a_database_column():
    assert parse_id(str(MAX_ID)) == MAX_ID
    assert parse_id(TOO_BIG) is None
    assert parse_id("0") is None


@pytest.mark.parametrize(
    "params", [{"maxwidth": TOO_BIG}, {"maxwidth": "9" * 5000}, {"maxheight": "²"}]
)
def test_oembed_sizes_out_of_range_fall_back_to_defaults(client, params):
    share = client.post("/playground/share/", {"text": "apiVersion: v1\nkind: Pod\n"})
    response = client.get("/oembed", {"url": "http://testserver" + share["Location"], **params})
    assert response.status_code == 200
    assert 100 <= response.json()["width"] <= 1200


@pytest.mark.parametrize("hints", [TOO_BIG, "9" * 5000, "²"])
def test_hints_out_of_range_show_no_more_than_there_are(client, content_dir, hints):
    assert client.get("/exercises/name-it-web/", {"hints": hints}).status_code == 200


# Redirects to a target the visitor gave --------------------------------------------------------

UNSAFE_TARGETS = [
    "home",
    "lessons:home",
    "https://evil.example/",
    "//evil.example/",
    "/\\evil.example/",
    "javascript:alert(1)",
    "",
]


@pytest.mark.parametrize("target", UNSAFE_TARGETS)
def test_the_theme_switch_goes_home_unless_next_is_a_local_path(client, target):
    response = client.post("/theme/", {"theme": "dark", "next": target})
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_the_theme_switch_goes_back_to_a_local_path(client):
    response = client.post("/theme/", {"theme": "dark", "next": "/lessons/?q=1"})
    assert response["Location"] == "/lessons/?q=1"


@pytest.mark.parametrize("target", UNSAFE_TARGETS)
def test_sign_up_with_an_unsafe_next_still_lands_on_a_page(client, content_dir, target):
    response = client.post(
        "/accounts/signup/",
        {
            "username": "ada",
            "password1": "a-long-pass-phrase",
            "password2": "a-long-pass-phrase",
            "next": target,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/progress/"


def test_sign_up_goes_on_to_a_local_next(client, content_dir):
    response = client.post(
        "/accounts/signup/",
        {
            "username": "ada",
            "password1": "a-long-pass-phrase",
            "password2": "a-long-pass-phrase",
            "next": "/lessons/basics/first/",
        },
    )
    assert response["Location"] == "/lessons/basics/first/"


@pytest.mark.parametrize("target", ["home", "//evil.example/", "javascript:alert(1)"])
def test_sign_in_and_out_with_an_unsafe_next_use_their_defaults(
    client, content_dir, django_user_model, target
):
    django_user_model.objects.create_user("ada", password="a-long-pass-phrase")
    signed_in = client.post(
        "/accounts/login/",
        {"username": "ada", "password": "a-long-pass-phrase", "next": target},
    )
    assert signed_in["Location"] == "/progress/"
    signed_out = client.post("/accounts/logout/", {"next": target})
    assert signed_out["Location"] == "/"


@pytest.mark.parametrize("params", [{"maxwidth": "abc"}, {"maxheight": "-5"}, {"maxheight": "²"}])
def test_oembed_bounds_that_are_not_numbers_are_ignored(client, params):
    share = client.post("/playground/share/", {"text": "apiVersion: v1\nkind: Pod\n"})
    url = "http://testserver" + share["Location"]
    unbounded = client.get("/oembed", {"url": url}).json()
    response = client.get("/oembed", {"url": url, **params})
    assert response.status_code == 200
    assert (response.json()["width"], response.json()["height"]) == (
        unbounded["width"],
        unbounded["height"],
    )


def test_oembed_for_an_unparseable_url_is_not_found(client):
    response = client.get("/oembed", {"url": "http://[::1"})
    assert response.status_code == 404
