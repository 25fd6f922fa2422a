"""Grading every question type: right, wrong, partial and malformed answers; content checks."""

import pytest
from django.http import QueryDict

from learn.content.questions import QuestionState, build, grade, normalise, problems_of

SINGLE = {
    "id": "what", "type": "single", "prompt": "A container is",
    "choices": [
        {"text": "a small VM", "why": "No kernel boots."},
        {"text": "a process with a restricted view", "correct": True, "why": "Namespaces and cgroups."},
        {"text": "an image", "why": "An image is what it starts from."},
    ],
}  # fmt: skip
MULTIPLE = {
    "id": "namespaces", "type": "multiple", "prompt": "Which are namespaces?",
    "choices": [
        {"text": "PID", "correct": True, "why": "Process IDs."},
        {"text": "network", "correct": True, "why": "Interfaces and ports."},
        {"text": "memory", "why": "Memory is limited by cgroups, not isolated by a namespace."},
    ],
}  # fmt: skip


def form(**values) -> QueryDict:
    data = QueryDict(mutable=True)
    for key, value in values.items():
        data.setlist(key, [str(v) for v in (value if isinstance(value, list) else [value])])
    return data


def test_single_choice_right_and_wrong():
    question = build(SINGLE)
    right = grade(question, form(choice=1))
    assert right.correct
    assert right.response == {"choice": [1]}
    wrong = grade(question, form(choice=0))
    assert not wrong.correct
    # The explanation of the chosen answer and of the right one are both shown.
    assert [(text, ok) for text, ok, _ in wrong.notes] == [
        ("a small VM", False),
        ("a process with a restricted view", True),
    ]


@pytest.mark.parametrize("data", [form(), form(choice="x"), form(choice=7), form(choice=-1)])
def test_malformed_answers_are_not_accepted(data):
    feedback = grade(build(SINGLE), data)
    assert not feedback.correct
    assert feedback.response == {}
    assert feedback.summary == "Choose one answer."


def test_multiple_choice_needs_every_right_answer_and_no_wrong_one():
    question = build(MULTIPLE)
    assert grade(question, form(choice=[0, 1])).correct
    partial = grade(question, form(choice=[0]))
    assert not partial.correct
    assert partial.summary == "Partly: you missed 1."
    mixed = grade(question, form(choice=[0, 1, 2]))
    assert mixed.summary == "Partly: 1 of your choices is wrong."
    assert not grade(question, form()).correct


def test_true_false():
    question = build(
        {
            "id": "tf",
            "type": "true_false",
            "prompt": "Containers share the host kernel.",
            "answer": True,
            "why": "No guest kernel.",
        }
    )
    assert grade(question, form(answer="true")).correct
    assert grade(question, form(answer="false")).summary == "Not quite: it is true."
    assert grade(question, form(answer="maybe")).response == {}


def test_ordering():
    question = build(
        {
            "id": "states",
            "type": "ordering",
            "prompt": "Order the states",
            "items": ["creating", "created", "running", "stopped"],
            "why": "The lifecycle.",
        }
    )
    shown = [index for index, _ in question.shuffled_items()]
    assert shown != [0, 1, 2, 3]
    assert shown == [index for index, _ in question.shuffled_items()]  # the same every time
    assert grade(question, form(order=[0, 1, 2, 3])).correct
    wrong = grade(question, form(order=[1, 0, 2, 3]))
    assert wrong.summary == "Not quite: 2 of 4 are in the right place."
    assert grade(question, form(order=[0, 0, 1, 2])).response == {}
    assert grade(question, form(order=["a", "b"])).response == {}


def test_short_answers_are_normalised_and_accept_alternatives():
    question = build(
        {
            "id": "fs",
            "type": "short",
            "prompt": "What does stat print on cgroup v2?",
            "answers": ["cgroup2fs", "cgroup2"],
            "why": "The filesystem type.",
        }
    )
    assert grade(question, form(text="  `CGroup2FS`. ")).correct
    assert grade(question, form(text="cgroup2")).correct
    assert not grade(question, form(text="tmpfs")).correct
    assert grade(question, form(text="   ")).response == {}
    assert normalise("“Hello”  World") == "hello world"


def test_find_the_line():
    question = build(
        {
            "id": "line",
            "type": "find_line",
            "prompt": "Which line is wrong?",
            "snippet": "a: 1\nb: 2\nc: 3\n",
            "line": 2,
            "why": "b.",
        }
    )
    assert grade(question, form(line=2)).correct
    assert grade(question, form(line=3)).summary == "Not quite: the problem is on line 2."
    assert grade(question, form(line=9)).response == {}
    assert grade(question, form(line="two")).response == {}


def test_write_the_spec_is_checked_by_the_engine_and_goals():
    question = build({
        "id": "spec", "type": "write_spec", "prompt": "Write a pod", "starter": "", "why": "Requests.",
        "goals": [{"text": "api requests 250m CPU", "request": {"container": "api", "cpu": "250m"}}],
    })  # fmt: skip
    good = "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers: [{name: api, image: nginx:1.27, resources: {requests: {cpu: 250m}}}]\n"
    assert grade(question, form(text=good)).correct
    short = grade(question, form(text=good.replace("250m", "200m")))
    assert short.summary == "Not yet: 1 goal not met."
    broken = grade(question, form(text=good.replace("image: nginx:1.27, ", "")))
    assert "1 error" in broken.summary
    # The error itself, with its line, is kept for the feedback to show.
    assert [(p["code"], p["severity"], p["line"]) for p in broken.problems] == [
        ("missing-field", "error", 5)
    ]
    assert broken.problems[0]["message"] == "container `api` needs an `image`"
    assert grade(question, form(text="")).response == {}


def test_a_question_with_a_run_goal_is_a_content_mistake():
    question = {
        "id": "spec", "type": "write_spec", "prompt": "Write a Job", "starter": "", "why": "Sidecars.",
        "goals": [{"text": "The Job completes", "run_completes": True}],
    }  # fmt: skip
    assert "run goals (`run_...`) need a scenario: use them in an exercise" in problems_of(
        question, set()
    )


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (
            {"choices": [{"text": "a", "why": "x"}, {"text": "b", "why": "y"}]},
            "exactly one correct choice, not 0",
        ),
        ({"choices": [{"text": "a", "correct": True}, {"text": "b", "why": "y"}]}, "needs a `why`"),
        (
            {
                "choices": [
                    {"text": "Same", "correct": True, "why": "x"},
                    {"text": "same ", "why": "y"},
                ]
            },
            "say the same thing",
        ),
        ({"type": "riddle"}, "`type` must be one of"),
        ({"id": "Not An Id"}, "`id` must be"),
        ({"answer": True}, "unknown field `answer`"),
    ],
)
def test_content_mistakes_in_questions_are_reported(change, problem):
    problems = problems_of({**SINGLE, **change}, set())
    assert any(problem in p for p in problems), problems


def test_duplicate_question_ids_are_reported():
    assert problems_of(SINGLE, {"what"}) == ["the id `what` is used twice"]


def test_an_ordering_answer_is_shown_beside_the_right_order():
    question = build({
        "id": "states", "type": "ordering", "prompt": "Order the states",
        "items": ["creating", "created", "running", "stopped"], "why": "The lifecycle.",
    })  # fmt: skip
    state = QuestionState(1, question, "", grade(question, form(order=[1, 0, 2, 3])))
    assert state.order_rows() == [
        (1, "created", "creating", False),
        (2, "creating", "created", False),
        (3, "running", "running", True),
        (4, "stopped", "stopped", True),
    ]
    # An answer kept for an older version of the question (one item fewer) is not set beside it.
    state.feedback = grade(question, form(order=[0, 1, 2]))
    assert state.order_rows() == []


def test_ordering_items_are_lettered_as_shown_and_snippet_lines_keep_their_indentation():
    question = build({
        "id": "states", "type": "ordering", "prompt": "Order the states",
        "items": ["creating", "created", "running"], "why": "The lifecycle.",
    })  # fmt: skip
    lettered = question.lettered_items()
    assert [letter for letter, _, _ in lettered] == ["A", "B", "C"]
    assert [(i, item) for _, i, item in lettered] == question.shuffled_items()
    snippet = build({
        "id": "line", "type": "find_line", "prompt": "Which?", "snippet": "a:\n  b: 1  # c\n",
        "line": 2, "why": "b.",
    })  # fmt: skip
    assert snippet.snippet_rows() == [("", "a:"), ("  ", "b: 1  # c")]
