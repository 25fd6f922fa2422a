"""The site served under a sub-path (a proxy mounting it at /learn/): every link keeps it."""

import re

import pytest
from django.contrib.auth.models import Group
from django.core.handlers.wsgi import get_script_name
from django.core.management import call_command
from django.test import Client
from django.test.client import ClientHandler
from django.urls import set_script_prefix

from learn.classroom.models import INSTRUCTORS_GROUP, Assignment, Classroom, Membership
from learn.content.library import get_library

pytestmark = pytest.mark.django_db

# Every attribute that holds a URL a browser follows, fetches or posts to.
URL_ATTRIBUTES = re.compile(r'\b(?:href|src|action|hx-get|hx-post)="([^"]*)"')


def local_urls(html: str) -> list[str]:
    """The URLs on a page that point into the site (not elsewhere, not within the page)."""
    urls = [url for url in URL_ATTRIBUTES.findall(html) if url.startswith("/")]
    return [url for url in urls if not url.startswith("//")]


class MountedHandler(ClientHandler):
    """The test client's handler, taking the mount point from SCRIPT_NAME as a WSGI server does
    (Django's WSGIHandler sets the script prefix; the test client's handler does not)."""

    def __call__(self, environ):
        set_script_prefix(get_script_name(environ))
        return super().__call__(environ)


@pytest.fixture
def mounted(settings, content_dir, django_user_model):
    """A client under /learn/ for an instructor who is in their own class, with one assignment
    of each kind."""
    # Django fixes the static prefix when the process first uses it: set again (to the value
    # learn/settings.py has), it is read afresh under the mount, as in a process started there.
    settings.STATIC_URL = "static/"
    teacher = django_user_model.objects.create_user("teacher", "t@example.org", "pass-word-123456")
    teacher.groups.add(Group.objects.get_or_create(name=INSTRUCTORS_GROUP)[0])
    classroom = Classroom.objects.create(name="Pods", instructor=teacher)
    Membership.objects.create(classroom=classroom, user=teacher)
    for kind, target in [
        ("module", "basics"),
        ("lesson", "basics/second"),
        ("quiz", "basics/first"),
        ("exercise", "name-it-web"),
    ]:
        Assignment.objects.create(classroom=classroom, kind=kind, target=target)
    client = Client(SCRIPT_NAME="/learn")
    client.handler = MountedHandler()
    client.force_login(teacher)
    yield client
    set_script_prefix("/")  # the prefix is per thread: later tests run at the root again


@pytest.mark.parametrize(
    "path",
    ["/", "/lessons/basics/first/", "/classes/{class_id}/", "/progress/"],
)
def test_every_link_keeps_the_sub_path(mounted, path):
    classroom = Classroom.objects.get()
    response = mounted.get(path.format(class_id=classroom.pk))
    assert response.status_code == 200
    urls = local_urls(response.content.decode())
    assert urls  # the page has links to check
    assert [url for url in urls if not url.startswith("/learn/")] == []


def test_the_class_dashboard_shows_the_join_link_under_the_sub_path(mounted):
    classroom = Classroom.objects.get()
    page = mounted.get(f"/classes/{classroom.pk}/").content.decode()
    assert f"http://testserver/learn/classes/join/{classroom.join_code}/" in page


# A figure whose problem links to its lesson, and an image from the static folder.
FIGURE_AND_IMAGE = """
![Pods and VMs](static:figures/containers-vs-vms.svg)

```pod broken
apiVersion: v1
kind: Pod
metadata: {name: demo}
spec:
  containers: [{name: app, image: nginx:1.27, volumeMounts: [{name: data, mountPath: /d}]}]
```
"""


def test_content_loaded_at_the_root_links_under_the_sub_path(content_dir, mounted):
    lesson = content_dir / "01-basics" / "01-first.md"
    lesson.write_text(lesson.read_text() + FIGURE_AND_IMAGE)
    # As in a server process: the system check loads the content before the first request.
    call_command("check", tags=["content"])
    assert get_library().errors == ()
    page = mounted.get("/lessons/basics/first/").content.decode()
    prose = page[page.index('<div class="prose') :]
    assert 'href="/learn/lessons/basics/second/#limits"' in prose  # a lesson: link in the text
    assert 'src="/learn/static/figures/containers-vs-vms.svg"' in prose
    assert (
        'href="/learn/lessons/pods/sharing-data-and-processes/#emptydir-scratch-space-for-the-pod">Read the lesson'
        in prose
    )
    assert [url for url in local_urls(prose) if not url.startswith("/learn/")] == []
