"""Every way into an account keeps where the visitor was going (`next`), and only ever to a
page of this site."""

import re

import pytest
from django.core import mail

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery-9"
JOIN = "/classes/join/ABCD2345/"


def signup(client, username="ada", password2=PASSWORD, **extra):
    return client.post(
        "/accounts/signup/",
        {
            "username": username,
            "email": f"{username}@example.org",
            "password1": PASSWORD,
            "password2": password2,
            **extra,
        },
    )


def test_a_join_link_sends_a_visitor_to_sign_in_with_next(client):
    response = client.get(JOIN)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={JOIN}"


def test_sign_in_links_to_sign_up_and_password_reset_with_next(client):
    page = client.get("/accounts/login/", {"next": JOIN}).content.decode()
    assert f'href="/accounts/signup/?next={JOIN}"' in page
    assert f'href="/accounts/password/reset/?next={JOIN}"' in page


def test_sign_up_links_back_to_sign_in_with_next(client):
    page = client.get("/accounts/signup/", {"next": JOIN}).content.decode()
    assert f'href="/accounts/login/?next={JOIN}"' in page
    assert f'<input type="hidden" name="next" value="{JOIN}">' in page


def test_a_sign_up_refused_once_keeps_next_for_the_second_try(client):
    refused = signup(client, password2="something-else-1", next=JOIN)
    assert refused.status_code == 200
    assert f'<input type="hidden" name="next" value="{JOIN}">' in refused.content.decode()
    assert signup(client, next=JOIN)["Location"] == JOIN


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/", "/\\evil.example/", "home", "javascript:alert(1)"],
)
def test_next_never_leaves_the_site(client, target):
    page = client.get("/accounts/signup/", {"next": target}).content.decode()
    assert '<input type="hidden" name="next" value="">' in page
    assert 'href="/accounts/login/"' in page
    assert signup(client, next=target)["Location"] == "/progress/"
    client.post("/accounts/logout/")
    signed_in = client.post(
        "/accounts/login/", {"username": "ada", "password": PASSWORD, "next": target}
    )
    assert signed_in["Location"] == "/progress/"
    signed_out = client.post("/accounts/logout/", {"next": target})
    assert signed_out["Location"] == "/"


def test_a_signed_in_visitor_on_sign_up_goes_on_to_next(client):
    signup(client)
    assert client.get("/accounts/signup/", {"next": JOIN})["Location"] == JOIN
    assert client.get("/accounts/login/", {"next": JOIN})["Location"] == JOIN


def test_signing_out_goes_on_to_a_local_next(client):
    signup(client)
    assert client.post("/accounts/logout/", {"next": "/lessons/"})["Location"] == "/lessons/"


def test_a_password_reset_begun_from_a_join_link_signs_in_back_to_it(client, django_user_model):
    signup(client)
    client.post("/accounts/logout/")
    form = client.get("/accounts/password/reset/", {"next": JOIN}).content.decode()
    assert f'<input type="hidden" name="next" value="{JOIN}">' in form
    client.post("/accounts/password/reset/", {"email": "ada@example.org", "next": JOIN})
    (message,) = mail.outbox
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", message.body).group(1)
    page = client.get(link, follow=True)
    new = {"new_password1": "brand-new-pass-42", "new_password2": "brand-new-pass-42"}
    done = client.post(page.redirect_chain[-1][0], new, follow=True)
    assert f'href="/accounts/login/?next={JOIN}"' in done.content.decode()
    # Used once: the next reset, begun anywhere, does not lead back there.
    again = client.get("/accounts/reset/done/").content.decode()
    assert 'href="/accounts/login/"' in again


def test_a_password_reset_from_elsewhere_signs_in_to_the_usual_page(client):
    client.post("/accounts/password/reset/", {"email": "x@example.org", "next": "//evil.example/"})
    page = client.get("/accounts/reset/done/").content.decode()
    assert 'href="/accounts/login/"' in page


def test_the_headers_sign_in_link_comes_back_to_the_page(client, content_dir):
    page = client.get("/lessons/basics/first/").content.decode()
    assert '<a href="/accounts/login/?next=/lessons/basics/first/">Sign in</a>' in page


def test_a_password_change_goes_on_to_a_local_next(client, django_user_model):
    signup(client)
    form = client.get("/accounts/password/change/", {"next": JOIN}).content.decode()
    assert f'<input type="hidden" name="next" value="{JOIN}">' in form
    change = {
        "old_password": PASSWORD,
        "new_password1": "another-pass-77",
        "new_password2": "another-pass-77",
    }
    assert client.post("/accounts/password/change/", {**change, "next": JOIN})["Location"] == JOIN
    again = {
        "old_password": "another-pass-77",
        "new_password1": PASSWORD,
        "new_password2": PASSWORD,
    }
    done = client.post("/accounts/password/change/", {**again, "next": "//evil.example/"})
    assert done["Location"] == "/accounts/password/change/done/"


def test_sign_in_and_sign_up_from_a_join_link_name_the_class_while_it_is_open(
    client, django_user_model
):
    from learn.classroom.models import Classroom

    teacher = django_user_model.objects.create_user("tess", password=PASSWORD)
    classroom = Classroom.objects.create(name="Pods 101", instructor=teacher, join_code="ABCD2345")
    for page in ("/accounts/login/", "/accounts/signup/"):
        html = client.get(page, {"next": JOIN.lower()}).content.decode()  # codes in any case
        assert "join the class <strong>Pods 101</strong>, taught by tess" in html
        assert "join the class" not in client.get(page, {"next": "/playground/"}).content.decode()
    classroom.joining_open = False
    classroom.save()
    assert "join the class" not in client.get("/accounts/login/", {"next": JOIN}).content.decode()


@pytest.mark.parametrize(
    "page", ["/accounts/signup/", "/accounts/login/", "/accounts/password/reset/"]
)
def test_the_header_s_sign_in_link_keeps_where_an_account_page_leads(client, page):
    header = client.get(page, {"next": JOIN}).content.decode().split("</header>")[0]
    assert f'href="/accounts/login/?next={JOIN}">Sign in</a>' in header
    unsafe = client.get(page, {"next": "https://evil.example/"}).content.decode()
    assert 'href="/accounts/login/">Sign in</a>' in unsafe.split("</header>")[0]
