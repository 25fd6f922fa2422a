"""What a newcomer's walk-through of issue #16's fixes still found: search snippets, the per-learner
page, the join page, the playground's example menu, the admin sign-in, the results panel."""

import pytest

pytestmark = pytest.mark.django_db


def _third_lesson_says(content_dir, text: str) -> None:
    path = content_dir / "02-more" / "01-third.md"
    path.write_text(path.read_text().replace("Text.", text))


def test_search_snippets_keep_punctuation_on_its_word_and_end_headings(client, content_dir):
    lesson = (
        "List them in `spec.quokkas`, which is **required**.\n\n"
        "## Run at least once\n\nThe previous lesson said so.\n\n## Why?\n\nBecause."
    )
    _third_lesson_says(content_dir, lesson)
    snippet = str(client.get("/search/", {"q": "quokkas"}).context["hits"][0].snippet)
    assert "spec.<mark>quokkas</mark>, which is required." in snippet
    assert "Run at least once. The previous lesson said so. Why? Because." in snippet


def test_a_join_link_names_the_class_and_its_instructor_and_joins_on_one_confirm(
    client, django_user_model
):
    from learn.classroom.models import Classroom, Membership

    teacher = django_user_model.objects.create_user(
        "teacher", first_name="Grace", last_name="Hopper"
    )
    classroom = Classroom.objects.create(name="K8s 101", instructor=teacher)
    learner = django_user_model.objects.create_user("learner")
    client.force_login(learner)
    link = client.get(f"/classes/join/{classroom.join_code.lower()}/")
    page = link.content.decode()
    assert "You are about to join <strong>K8s 101</strong>, taught by Grace Hopper." in page
    assert "Join K8s 101</button>" in page
    assert not Membership.objects.exists()  # following the link changes nothing by itself
    assert client.post("/classes/join/", {"code": classroom.join_code}).status_code == 302
    assert Membership.objects.filter(user=learner, classroom=classroom).exists()
    for code in ("NOPE1234", "%20", "x" * 300):  # unknown or odd: the plain form, no error page
        response = client.get(f"/classes/join/{code}/")
        assert response.status_code == 200
        assert "You are about to join" not in response.content.decode()


def _menu(response) -> str:
    page = response.content.decode()
    return page[page.index('<select id="example"') : page.index("</select>")]


def test_the_example_menu_names_no_example_when_the_editor_holds_another_text(client):
    from learn.podspec.examples import EXAMPLES

    own = _menu(client.get("/playground/", {"text": "kind: Pod\n"}))
    assert '<option value="" selected disabled>Your own spec</option>' in own
    assert own.count("selected") == 1
    checked = {"text": "kind: Pod\n", "kubernetes_version": "1.37", "profile": "learning"}
    assert "Your own spec" in _menu(client.post("/playground/", checked))
    chosen = _menu(client.get("/playground/", {"example": EXAMPLES[1].slug}))
    assert f'<option value="{EXAMPLES[1].slug}" selected>' in chosen
    assert "Your own spec" not in chosen
    assert "Your own spec" not in _menu(client.get("/playground/"))  # the default example
