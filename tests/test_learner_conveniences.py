"""What a learner expects of search, sign-in, exercises, lesson figures and drafts (issue #16)."""

import pytest

pytestmark = pytest.mark.django_db


def _third_lesson_says(content_dir, text: str) -> None:
    path = content_dir / "02-more" / "01-third.md"
    path.write_text(path.read_text().replace("Text.", text))


def test_search_highlights_whole_words_and_never_inside_one(client, content_dir):
    _third_lesson_says(content_dir, "The Open Container Initiative. A readinessProbe, a probe.")
    # A word that only starts like the query is another word: not found, not highlighted.
    assert client.get("/search/", {"q": "Init"}).context["hits"] == []
    hits = client.get("/search/", {"q": "probes"}).context["hits"]
    assert [h.document.key for h in hits] == ["more/third"]
    snippet = str(hits[0].snippet)
    assert "A <mark>readinessProbe</mark>, a <mark>probe</mark>." in snippet
    assert "<mark>" not in str(client.get("/search/", {"q": "open probe"}).context["hits"][0].title)


def test_search_snippets_show_no_prompt_or_permalink_marks(client, content_dir):
    shell = "Run this.\n\n```console\n# hostname vm\n$ unshare --uts sh\n```\n"
    _third_lesson_says(content_dir, shell)
    hits = client.get("/search/", {"q": "unshare"}).context["hits"]
    snippet = str(hits[0].snippet)
    assert "<mark>unshare</mark>" in snippet
    assert "#" not in snippet
    assert "$" not in snippet
    hits = client.get("/search/", {"q": "namespace"}).context["hits"]
    assert all("#" not in str(h.snippet) for h in hits)


PASSWORD = "correct-horse-battery-9"


def _signup(client, username: str):
    data = {"username": username, "password1": PASSWORD, "password2": PASSWORD}
    return client.post("/accounts/signup/", data)


def test_usernames_sign_in_in_any_case_and_are_taken_in_every_case(client, django_user_model):
    assert _signup(client, "Ada").status_code == 302
    client.post("/accounts/logout/")
    taken = _signup(client, "ada")
    assert taken.status_code == 200
    assert "A user with that username already exists." in taken.content.decode()
    assert django_user_model.objects.count() == 1
    for typed in ("ada", "ADA", "Ada"):
        response = client.post("/accounts/login/", {"username": typed, "password": PASSWORD})
        assert response.status_code == 302, typed
        assert client.get("/progress/").context["user"].username == "Ada"
        client.post("/accounts/logout/")
    wrong = client.post("/accounts/login/", {"username": "ada", "password": "wrong-password-1"})
    assert "Please enter a correct username and password" in wrong.content.decode()


def test_two_old_accounts_differing_in_case_each_sign_in_by_exact_name(client, django_user_model):
    django_user_model.objects.create_user("bob", password=PASSWORD)
    django_user_model.objects.create_user("Bob", password=PASSWORD)
    for name in ("bob", "Bob"):
        assert (
            client.post("/accounts/login/", {"username": name, "password": PASSWORD}).status_code
            == 302
        )
        assert client.get("/progress/").context["user"].username == name
        client.post("/accounts/logout/")
    assert (
        client.post("/accounts/login/", {"username": "BOB", "password": PASSWORD}).status_code
        == 200
    )


SOLVED_WEB = """\
apiVersion: v1
kind: Pod
metadata: {name: demo}
spec:
  containers: [{name: web, image: nginx:1.27}]
"""


def _add_exercise(content_dir, slug: str, lesson: str) -> None:
    first = (content_dir / "exercises" / "name-it-web.md").read_text()
    text = first.replace("title: Name it web", f"title: Exercise {slug}")
    (content_dir / "exercises" / f"{slug}.md").write_text(text.replace("basics/first", lesson))


def test_a_solved_exercise_links_to_the_next_in_course_order(client, content_dir):
    # Alphabetically "a-later" comes first; in the course it follows the first lesson's exercise.
    _add_exercise(content_dir, "a-later", "more/third")
    _add_exercise(content_dir, "z-between", "basics/second")
    listing = client.get("/exercises/").content.decode()
    assert (
        listing.index("Name it web")
        < listing.index("Exercise z-between")
        < listing.index("Exercise a-later")
    )
    unsolved = client.post("/exercises/name-it-web/", {"text": "kind: Pod"}).content.decode()
    assert "Next exercise" not in unsolved
    solved = client.post(
        "/exercises/name-it-web/", {"text": SOLVED_WEB}, headers={"HX-Request": "true"}
    ).content.decode()
    assert 'href="/exercises/z-between/">Next exercise: Exercise z-between</a>' in solved
    last = client.post("/exercises/a-later/", {"text": SOLVED_WEB}).content.decode()
    assert "That was the last exercise." in last
    assert '<a href="/exercises/">Back to all exercises</a>' in last


DRAFT = "apiVersion: v1\nkind: Pod\nmetadata: {name: from-the-laptop}\n"


def _signed_in(client_class, django_user_model):
    user = django_user_model.objects.filter(username="ada").first()
    user = user or django_user_model.objects.create_user("ada", password=PASSWORD)
    other = client_class()
    other.force_login(user)
    return other


def test_a_signed_in_learners_drafts_open_on_another_device(client, content_dir, django_user_model):
    from django.test import Client

    from learn.progress.models import Draft

    laptop = _signed_in(Client, django_user_model)
    laptop.post("/playground/", {"text": DRAFT}, headers={"HX-Request": "true"})
    laptop.post("/exercises/name-it-web/", {"text": DRAFT + "# mine\n"})
    phone = _signed_in(Client, django_user_model)
    page = phone.get("/playground/").content.decode()
    assert "metadata: {name: from-the-laptop}" in page
    assert "data-editor-server-text" in page  # the account's text wins; the browser's is offered
    assert "opens here on any device" in page
    exercise = phone.get("/exercises/name-it-web/").content.decode()
    assert "from-the-laptop}\n# mine" in exercise
    # An example asked for by its address is what opens, and one row is kept per place.
    assert (
        "from-the-laptop"
        not in phone.get("/playground/", {"example": "hello-pod"}).content.decode()
    )
    laptop.post("/playground/", {"text": DRAFT.replace("laptop", "phone")})
    assert Draft.objects.count() == 2
    assert "from-the-phone" in Draft.text_for(Draft.objects.first().learner, Draft.PLAYGROUND)


def test_anonymous_visitors_keep_no_draft_on_the_server(client, content_dir):
    from learn.progress.models import Draft

    client.post("/playground/", {"text": DRAFT})
    client.post("/exercises/name-it-web/", {"text": DRAFT})
    assert Draft.objects.count() == 0
    page = client.get("/playground/").content.decode()
    assert "from-the-laptop" not in page
    assert "sign in to have it on any device" in page


def test_a_draft_is_bounded_by_what_a_check_takes(settings, django_user_model):
    from learn.progress.models import Draft, Learner

    settings.PODSPEC_MAX_BYTES = 100
    learner = Learner.objects.create(user=django_user_model.objects.create_user("bo"))
    assert Draft.save_for(learner, Draft.PLAYGROUND, "x" * 100)
    assert not Draft.save_for(learner, Draft.PLAYGROUND, "é" * 51)
    assert Draft.text_for(learner, Draft.PLAYGROUND) == "x" * 100
    assert Draft.text_for(learner, Draft.exercise_place("hello-pod")) is None


FIGURES = """\
A figure:

```pod
apiVersion: v1
kind: Pod
metadata: {name: figured}
spec:
  containers: [{name: web, image: "nginx:1.27"}]
```

And its run:

```pod-run
apiVersion: v1
kind: Pod
metadata: {name: figured}
spec:
  containers: [{name: web, image: "nginx:1.27"}]
```
"""


def test_every_lesson_figure_opens_in_the_playground(client, content_dir):
    import html
    import re

    _third_lesson_says(content_dir, FIGURES)
    page = client.get("/lessons/more/third/").content.decode()
    links = re.findall(r'<a href="([^"]+)">Open in the playground</a>', page)
    assert len(links) == 2  # the figure and the run
    assert links[0].startswith("/playground/?text=apiVersion")
    opened = client.get(html.unescape(links[0])).content.decode()
    assert "metadata: {name: figured}" in html.unescape(opened)
    assert "data-editor-server-text" in opened


def test_opening_a_draft_is_paid_as_a_check(client, content_dir, django_user_model, settings):
    from django.test import Client

    settings.PLAYGROUND_CHECKS_PER_MINUTE = 2
    laptop = _signed_in(Client, django_user_model)
    laptop.post("/playground/", {"text": DRAFT})
    laptop.post("/exercises/name-it-web/", {"text": DRAFT})
    assert laptop.get("/playground/").status_code == 429
    assert laptop.get("/exercises/name-it-web/").status_code == 429
    assert Client().get("/exercises/name-it-web/").status_code == 200  # the starter is free


def test_password_reset_finds_the_address_in_any_case(client, django_user_model):
    from django.core import mail

    django_user_model.objects.create_user("ada", "Ada@Example.org", PASSWORD)
    response = client.post("/accounts/password/reset/", {"email": "ada@example.ORG"})
    assert response["Location"] == "/accounts/password/reset/sent/"
    assert [m.to for m in mail.outbox] == [["Ada@example.org"]]  # its domain lower-cased
