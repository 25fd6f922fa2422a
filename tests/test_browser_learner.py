"""A learner's conveniences in a real browser: copy buttons, and drafts that follow an account."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser import serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct-horse-battery-9"
SHELL = "Try it:\n\n```console\n$ kubectl get pods -w\n```\n"


@pytest.fixture
def lesson_with_a_command(content_dir):
    path = content_dir / "02-more" / "01-third.md"
    path.write_text(path.read_text().replace("Text.", SHELL))
    return "/lessons/more/third/"


def test_copy_a_command_by_keyboard_and_hear_it_copied(page, lesson_with_a_command):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(lesson_with_a_command)
    button = page.get_by_role("button", name="Copy this code")
    button.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").filter(has_text="Copied")).to_have_count(1)
    # The command without its prompt, ready to paste into a terminal.
    assert page.evaluate("navigator.clipboard.readText()") == "kubectl get pods -w"
    assert serious_violations(page) == []


def test_without_the_clipboard_api_the_code_is_selected(page, lesson_with_a_command):
    page.add_init_script("Object.defineProperty(navigator, 'clipboard', {value: undefined})")
    page.goto(lesson_with_a_command)
    page.get_by_role("button", name="Copy this code").click()
    assert "kubectl get pods -w" in page.evaluate("String(window.getSelection())")
    expect(page.locator("#copy-status")).to_have_text(re.compile("Copied|Selected"))


def test_without_javascript_there_is_no_copy_button(browser, live_server, lesson_with_a_command):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto(lesson_with_a_command)
    expect(page.get_by_text("kubectl get pods -w")).to_be_visible()
    expect(page.get_by_role("button", name="Copy this code")).to_have_count(0)
    context.close()


def test_copy_a_class_join_link(page, django_user_model):
    from django.contrib.auth.models import Group

    from learn.classroom.models import INSTRUCTORS_GROUP, Classroom

    teacher = django_user_model.objects.create_user("teacher", password=PASSWORD)
    teacher.groups.add(Group.objects.get_or_create(name=INSTRUCTORS_GROUP)[0])
    classroom = Classroom.objects.create(name="Pods", instructor=teacher)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    _sign_in(page, "teacher")
    page.goto(f"/classes/{classroom.pk}/")
    page.get_by_role("button", name="Copy the join link").click()
    expect(page.locator("#copy-status")).to_have_text("Copied")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.endswith(f"/classes/join/{classroom.join_code}/")


def test_copy_a_shared_spec_without_its_line_numbers(page):
    from learn.playground.models import Snapshot

    text = "apiVersion: v1\nkind: Pod\nmetadata: {name: shared}\n"
    snapshot = Snapshot.objects.create(
        pk=Snapshot.key_for(text, "1.35", "learning", ""), text=text, kubernetes_version="1.35"
    )
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(f"/p/{snapshot.pk}/")
    page.locator(".snapshot-text").get_by_role("button", name="Copy this code").click()
    expect(page.locator("#copy-status")).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()").rstrip("\n") == text.rstrip("\n")


def _sign_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url(re.compile("/accounts/login/"))


def test_a_draft_typed_on_one_device_opens_on_another(
    page, browser, live_server, django_user_model
):
    django_user_model.objects.create_user("ada", password=PASSWORD)
    _sign_in(page, "ada")
    page.goto("/playground/")
    page.locator("#spec").fill("apiVersion: v1\nkind: Pod\nmetadata: {name: on-the-laptop}\n")
    expect(page.locator("#results")).to_contain_text("has no pod `spec`")  # checked, so kept
    phone = browser.new_context(base_url=live_server.url).new_page()
    _sign_in(phone, "ADA")  # any case signs in
    phone.goto("/playground/")
    expect(phone.locator("#spec")).to_have_value(re.compile("name: on-the-laptop"))
    expect(phone.get_by_text("opens here on any device")).to_be_visible()
    phone.context.close()
