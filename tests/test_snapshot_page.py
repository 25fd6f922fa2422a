"""The shared snapshot page as a reader finds it: numbered lines its problems link to, the pod's
name as title, warnings that do not look like errors."""

import re

import pytest

from learn.podspec.examples import shipped

pytestmark = pytest.mark.django_db


def share(client, text: str, profile: str = "learning") -> str:
    """Share `text` and return its snapshot page's URL."""
    data = {"text": text, "kubernetes_version": "1.35", "profile": profile}
    return client.post("/playground/share/", data)["Location"]


def test_every_line_link_reaches_a_numbered_line_of_the_spec(client):
    text = shipped("broken-deployment").text
    html = client.get(share(client, text)).content.decode()
    links = re.findall(r'<a href="#(L\d+)" class="problem__where">line (\d+)</a>', html)
    assert {number for _, number in links} == {"15", "21", "22"}
    ids = set(re.findall(r'<span class="numbered__line" id="(L\d+)">', html))
    assert len(ids) == text.count("\n") + 1  # as the checker counts: after the last break too
    for anchor, number in links:
        assert anchor == f"L{number}"
        assert anchor in ids
    line_21 = re.search(r'id="L21">(.*?)</span>', html, re.S)
    assert line_21
    assert "containerPort: http" in line_21.group(1)


def test_the_spec_shown_is_escaped(client):
    text = shipped("single-container").text.replace("name: web", 'name: "<b>x</b>"', 1)
    html = client.get(share(client, text)).content.decode()
    assert "<b>x</b>" not in html
    assert "&lt;b&gt;x&lt;/b&gt;" in html


def test_the_page_and_its_embed_are_titled_by_the_pod(client):
    page = share(client, shipped("broken-deployment").text)
    response = client.get(page)
    html = response.content.decode()
    snapshot = page.strip("/").split("/")[-1]
    assert "<h1>Deployment catalog</h1>" in html
    assert "<title>Deployment catalog · shared pod spec" in html
    assert f"Pod spec {snapshot}" not in html
    embed = client.get(page + "embed").content.decode()
    assert "<title>Pod diagram: Deployment catalog</title>" in embed


def test_a_spec_without_workloads_is_titled_by_its_id(client):
    page = share(client, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n")
    snapshot = page.strip("/").split("/")[-1]
    assert f"<h1>Pod spec {snapshot}</h1>" in client.get(page).content.decode()


def test_warnings_are_listed_and_drawn_as_warnings(client):
    html = client.get(share(client, shipped("logging-sidecar").text, "production")).content
    html = html.decode()
    assert re.search(r"No errors, \d+ warnings", html)
    assert 'class="problem warning"' in html
    assert 'class="problem error"' not in html
    assert 'class="pd-mark warning"' in html
    assert 'class="pd-mark error"' not in html
    assert "warning: accepted, but worth a look" in html


def test_a_problem_at_the_end_of_the_input_links_to_a_line_that_exists(client):
    text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: [web\n"
    html = client.get(share(client, text)).content.decode()
    links = re.findall(r'<a href="#(L\d+)" class="problem__where">', html)
    ids = set(re.findall(r'<span class="numbered__line" id="(L\d+)">', html))
    assert links
    assert set(links) <= ids
