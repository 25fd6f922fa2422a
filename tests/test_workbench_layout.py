"""What the results tell the page's script about a missing diagram, through the test client."""

import pytest

from learn.content.library import get_library
from tests.support import SIDECAR_POD

pytestmark = pytest.mark.django_db
HX = {"HX-Request": "true"}
UNFINISHED = SIDECAR_POD.replace("name: http}]", "name: http}")  # line 20's list not closed yet


def checked(client, text, url="/playground/", headers=None):
    data = {"text": text, "kubernetes_version": "1.35", "profile": "learning"}
    return client.post(url, data, headers=headers or {}).content.decode()


@pytest.mark.parametrize("headers", [HX, {}])
def test_a_diagram_missing_because_the_yaml_does_not_parse_says_at_which_line(client, headers):
    html = checked(client, UNFINISHED, headers=headers)
    assert '<div class="diagram-panel" data-unparsed-line="20">' in html
    assert "No diagram: YAML syntax error" in html  # what a page without JavaScript shows


@pytest.mark.parametrize(
    "text",
    [SIDECAR_POD, "apiVersion: v1\nkind: Service\nmetadata: {name: web}\n", ""],
    ids=["drawn", "nothing-to-draw", "empty"],
)
def test_a_diagram_drawn_or_missing_for_another_reason_has_no_line(client, text):
    html = checked(client, text, headers=HX)
    assert '<div class="diagram-panel">' in html
    assert "data-unparsed-line" not in html


def test_an_exercise_check_says_it_too(client):
    exercise = next(e for e in get_library().exercises if e.goals)
    html = checked(client, UNFINISHED, url=exercise.url, headers=HX)
    assert 'data-unparsed-line="20"' in html
