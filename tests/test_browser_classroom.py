"""An instructor runs a class in a real browser: create, assign, a learner joins and works,
the dashboard and the CSV show it."""

import re

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from learn.classroom.models import INSTRUCTORS_GROUP, Classroom
from learn.content.library import get_library
from tests.browser import answer, serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-and-unusual-pass-42"


def sign_in(page, username):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_a_class_from_creation_to_grades(browser, live_server, django_user_model):
    teacher = django_user_model.objects.create_user("teacher", "t@example.org", PASSWORD)
    teacher.groups.add(Group.objects.get_or_create(name=INSTRUCTORS_GROUP)[0])
    django_user_model.objects.create_user("lin", "lin@example.org", PASSWORD)
    module = get_library().modules[0]
    lesson = module.lessons[0]

    instructor = browser.new_context(base_url=live_server.url).new_page()
    sign_in(instructor, "teacher")
    instructor.get_by_role("link", name="Classes").click()
    instructor.get_by_label("Name").fill("Containers, autumn")
    instructor.get_by_label("Time zone").select_option("Europe/Berlin")
    instructor.get_by_role("button", name="Create class").click()
    expect(instructor.get_by_role("heading", level=1)).to_have_text("Containers, autumn")
    instructor.get_by_label("What to assign").select_option(f"module:{module.slug}")
    instructor.get_by_label("Due").fill("2030-01-15T18:00")
    instructor.get_by_role("button", name="Save assignment").click()
    expect(instructor.locator(".assignment-list")).to_contain_text("due Tue 15 Jan 2030, 18:00")
    for exercise in get_library().exercises[:2]:  # a grid wider than a phone
        instructor.get_by_label("What to assign").select_option(f"exercise:{exercise.slug}")
        instructor.get_by_role("button", name="Save assignment").click()
        expect(instructor.locator(".assignment-list")).to_contain_text(exercise.title)
    instructor.set_viewport_size({"width": 390, "height": 844})  # the long item menu fits a phone
    assert instructor.evaluate("document.documentElement.scrollWidth") <= 390
    instructor.set_viewport_size({"width": 1280, "height": 720})
    code = instructor.locator(".join-code").inner_text()

    learner = browser.new_context(base_url=live_server.url).new_page()
    sign_in(learner, "lin")
    learner.goto("/classes/join/")
    learner.get_by_label("Join code").fill(code)
    learner.get_by_role("button", name="Join class").click()
    expect(learner.get_by_role("heading", name="Containers, autumn")).to_be_visible()
    learner.goto(f"/lessons/{lesson.module_slug}/{lesson.slug}/")
    learner.get_by_role("button", name="Mark as complete").click()
    expect(
        learner.get_by_role("status").filter(has_text="You completed this lesson")
    ).to_be_visible()
    learner.goto(f"/lessons/{lesson.module_slug}/{lesson.slug}/quiz/")
    for question in lesson.quiz:
        answer(learner, question, right=True)
    learner.goto("/")
    expect(learner.locator(".class-card")).to_contain_text("In progress")

    instructor.reload()
    row = instructor.get_by_role("row").filter(has_text="lin")
    expect(row).to_contain_text("In progress")
    expect(row).to_contain_text(
        f"2/{len(module.lessons) + sum(1 for item in module.lessons if item.quiz)}"
    )
    assert serious_violations(instructor) == []
    instructor.set_viewport_size({"width": 390, "height": 844})  # with a member in the grid
    assert instructor.evaluate("document.querySelector('.grid-scroll').scrollWidth") > 390
    assert instructor.evaluate("document.documentElement.scrollWidth") <= 390
    instructor.set_viewport_size({"width": 1280, "height": 720})
    with instructor.expect_download() as download:
        instructor.get_by_role("link", name="Download CSV").click()
    text = download.value.path().read_text(encoding="utf-8")
    assert re.search(
        r"^lin,lin@example.org,in-progress \(2/\d+\),,not-started,,not-started,$", text, re.M
    )
    instructor.context.close()
    learner.context.close()


def test_renaming_a_class_in_place_and_to_nothing(page, django_user_model):
    # The `page` fixture fails on console errors: the refused rename is no failed request.
    teacher = django_user_model.objects.create_user("teacher", "t@example.org", PASSWORD)
    teacher.groups.add(Group.objects.get_or_create(name=INSTRUCTORS_GROUP)[0])
    classroom = Classroom.objects.create(name="Pods", instructor=teacher)
    sign_in(page, "teacher")
    page.goto(f"/classes/{classroom.pk}/")
    page.get_by_text("Rename the class or change its time zone").click()
    page.get_by_label("Name", exact=True).fill("")
    page.evaluate("document.getElementById('id_name').removeAttribute('required')")
    page.get_by_role("button", name="Save", exact=True).click()
    settings = page.locator("#class-settings")
    expect(settings.locator(".field__error")).to_contain_text("This field is required.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Pods")
    page.get_by_label("Name", exact=True).fill("Pods, spring")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pods, spring")  # refreshed


def test_a_brand_new_learner_follows_a_join_link_signs_up_and_joins(
    browser, live_server, django_user_model
):
    teacher = django_user_model.objects.create_user("teacher", "t@example.org", PASSWORD)
    teacher.groups.add(Group.objects.get_or_create(name=INSTRUCTORS_GROUP)[0])
    classroom = Classroom.objects.create(name="Pods, spring", instructor=teacher)
    page = browser.new_context(base_url=live_server.url).new_page()  # no session, no account
    page.goto(f"/classes/join/{classroom.join_code}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    page.get_by_role("link", name="Sign up").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Create an account")
    page.get_by_label("Username").fill("newcomer")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password confirmation").fill("not-the-same-one-7")
    page.get_by_role("button", name="Create account").click()  # refused once: next stays
    expect(page.locator(".field__error").first).to_be_visible()
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password confirmation").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    # One confirm, which names the class and its teacher (a link followed joins nothing by itself).
    expect(page.get_by_role("heading", level=1)).to_have_text("Join Pods, spring")
    expect(
        page.get_by_text("You are about to join Pods, spring, taught by teacher.")
    ).to_be_visible()
    page.get_by_role("button", name="Join Pods, spring").click()
    expect(page.get_by_role("heading", name="Pods, spring")).to_be_visible()
    assert classroom.memberships.filter(user__username="newcomer").exists()
    page.context.close()


def test_leaving_removing_and_a_new_code_each_say_what_they_do_before_they_do_it(
    browser, live_server, django_user_model
):
    teacher = django_user_model.objects.create_user("teacher", "t@example.org", PASSWORD)
    teacher.groups.add(Group.objects.get_or_create(name=INSTRUCTORS_GROUP)[0])
    classroom = Classroom.objects.create(name="Pods", instructor=teacher)
    for name in ("lin", "ada"):
        user = django_user_model.objects.create_user(name, f"{name}@example.org", PASSWORD)
        classroom.memberships.create(user=user)
    code = classroom.join_code

    learner = browser.new_context(base_url=live_server.url).new_page()
    sign_in(learner, "lin")
    learner.goto("/classes/")
    learner.get_by_text("Leave Pods…").click()  # opens; leaves nothing yet
    expect(learner.get_by_text("Your progress stays yours.")).to_be_visible()
    assert classroom.memberships.filter(user__username="lin").exists()
    learner.get_by_role("button", name="Leave Pods").click()
    expect(learner.get_by_role("heading", name="Pods")).to_have_count(0)
    assert not classroom.memberships.filter(user__username="lin").exists()

    instructor = browser.new_context(base_url=live_server.url).new_page()
    sign_in(instructor, "teacher")
    instructor.goto(f"/classes/{classroom.pk}/")
    instructor.keyboard.press("Tab")  # by keyboard: the disclosure is reachable and opens
    instructor.get_by_text("Remove ada…").focus()
    instructor.keyboard.press("Enter")
    expect(instructor.get_by_text("their progress stays theirs")).to_be_visible()
    instructor.get_by_role("button", name="Remove ada").click()
    expect(instructor.get_by_role("button", name="Remove ada")).to_have_count(0)
    assert not classroom.memberships.exists()
    instructor.get_by_text("New code…").click()
    expect(instructor.get_by_text("The code and link above stop working")).to_be_visible()
    instructor.get_by_role("button", name="Make a new code").click()
    expect(instructor.locator(".join-code")).not_to_have_text(code)
    assert serious_violations(instructor) == []
    learner.context.close()
    instructor.context.close()
