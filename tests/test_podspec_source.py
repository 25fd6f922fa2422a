"""The YAML source stage: safe, bounded, every problem a diagnostic with its line."""

import math

import pytest

from learn.podspec import check
from learn.podspec.source import MAX_NODES, decode, parse, to_python
from tests.support import APP, DEPLOYMENT, calls_made, pod


def codes(text: str, **options) -> list[tuple[str, int]]:
    return [(d.code, d.line) for d in check(text, **options).sorted()]


def test_values_resolve_like_kubernetes_yaml():
    (document,), problems = parse("a: 1\nb: yes\nc: 0x1F\nd: '80'\ne: ~\nf: 1.5\ng: 1:30\n")
    assert problems == []
    assert to_python(document.root) == {
        "a": 1,
        "b": True,
        "c": 31,
        "d": "80",
        "e": None,
        "f": 1.5,
        "g": "1:30",
    }


def test_every_node_knows_its_line_and_column():
    (document,), _ = parse("kind: Pod\nspec:\n  containers:\n  - name: web\n")
    name = document.root.get("spec").get("containers").items[0].get("name")
    assert (name.line, name.column) == (4, 11)


def test_multiple_documents_are_numbered():
    documents, _ = parse("a: 1\n---\nb: 2\n---\n")
    assert [d.index for d in documents] == [0, 1, 2]
    assert [d.line for d in documents] == [1, 2, 4]


def test_duplicate_keys_are_errors_at_the_second_key():
    assert ("yaml-duplicate-key", 3) in codes("apiVersion: v1\nkind: Pod\nkind: Pod\n")


def test_syntax_errors_have_lines():
    assert codes("apiVersion: v1\nkind: Pod\nmetadata:\n  name: [web\n")[0][0] == "yaml-syntax"


@pytest.mark.parametrize(
    ("text", "line", "column", "opened"),
    [
        ("apiVersion: v1\nkind: Pod\nmetadata:\n  name: [web\n", 4, 9, "["),
        ("apiVersion: v1\nkind: Pod\nmetadata: {name: web\n\n", 3, 11, "{"),
        ('apiVersion: v1\nkind: Pod\nmetadata:\n  name: "web\n', 4, 9, '"'),
    ],
)
def test_a_bracket_or_quote_left_open_at_the_end_is_pointed_at_where_it_opens(
    text, line, column, opened
):
    # libyaml gives up at the end of the input, a line the learner never wrote: the problem is
    # where the unclosed construct begins.
    (diagnostic,) = check(text).diagnostics
    assert (diagnostic.code, diagnostic.line, diagnostic.column) == ("yaml-syntax", line, column)
    assert f"`{opened}` opened here is never closed" in diagnostic.message


@pytest.mark.parametrize(
    ("text", "line", "column", "opened"),
    [
        ("a: [b,\n", 1, 4, "["),
        ("a: [b, \n\n", 1, 4, "["),
        ("kind: Pod\nspec: {containers: [\n", 2, 20, "["),
        ("kind: Pod\nspec: {containers: [x]\n", 2, 7, "{"),
        ("a: echo b[1]\nc: [d, 'e[',\n", 2, 4, "["),  # not inside text or quotes
    ],
)
def test_a_bracket_left_open_is_found_where_libyaml_forgot_it(text, line, column, opened):
    # At the end of the input inside a flow collection, libyaml no longer says where it began.
    (diagnostic,) = check(text).diagnostics
    assert (diagnostic.line, diagnostic.column) == (line, column)
    assert f"`{opened}` opened here is never closed" in diagnostic.message


def test_a_list_item_inside_a_bracket_left_open_says_where_the_bracket_is():
    text = "spec:\n  containers:\n  - name: web\n    ports: [\n  - name: side\n    image: x\n"
    (diagnostic,) = check(text).diagnostics
    assert diagnostic.line == 5  # where libyaml stopped, as it says
    assert "The `[` on line 4 is still open here" in diagnostic.hint


def test_a_value_missing_at_the_end_is_pointed_at_the_end_of_the_last_line_written():
    (diagnostic,) = check("a: b\nc: *\n\n# the end\n").diagnostics  # an alias with no name
    assert (diagnostic.line, diagnostic.column) == (2, 5)


def test_a_word_without_its_colon_is_pointed_at_itself_not_at_the_next_line():
    text = "apiVersion: v1\nkind: Pod\nspec:\n  containers: []\n  hostNet\n  volumes: []\n"
    (diagnostic,) = check(text).diagnostics
    assert (diagnostic.line, diagnostic.column, diagnostic.end_column) == (5, 3, 10)
    assert "`hostNet` needs a `:` after it" in diagnostic.message


@pytest.mark.parametrize(
    ("text", "line", "column", "said"),
    [
        # The first key of a block: libyaml reads the word on into the next line's key.
        ("spec:\n  contai\n  restartPolicy: Always\n", 2, 3, "`contai` needs a `:` after it"),
        ("containers:\n- imag\n  name: web\n", 2, 3, "`imag` needs a `:` after it"),
        # The commonest slip: no space after the colon.
        ("kind: Pod\nspec:\n  x:\n    image:nginx\n    name: web\n", 4, 5, "space after its `:`"),
        ("kind: Pod\nspec:\n  " + "a" * 100 + "\n  b: 1\n", 3, 3, "`" + "a" * 39 + "…`"),
        ("kind: Pod\nspec:\n  it`s\n  b: 1\n", 3, 3, '"it`s" needs'),
    ],
)
def test_a_word_where_a_key_was_expected_is_named_where_it_is(text, line, column, said):
    (diagnostic,) = check(text).diagnostics
    assert (diagnostic.line, diagnostic.column) == (line, column)
    assert said in diagnostic.message


def test_a_comment_after_an_unfinished_value_is_not_where_the_problem_is():
    (diagnostic,) = check("a: [b,\n# a comment\n").diagnostics
    assert (diagnostic.line, diagnostic.column) == (1, 4)  # the bracket left open


def test_tabs_are_named_as_the_problem():
    report = check("apiVersion: v1\nkind: Pod\nmetadata:\n\tname: web\n")
    (diagnostic,) = report.diagnostics
    assert (diagnostic.code, diagnostic.line) == ("yaml-syntax", 4)
    assert "tab" in diagnostic.message
    assert "spaces" in diagnostic.hint


def test_object_constructing_tags_are_refused():
    report = check("apiVersion: v1\nkind: !!python/object/apply:os.system ['echo hi']\n")
    assert [(d.code, d.line) for d in report.diagnostics] == [("yaml-syntax", 2)]
    assert "not allowed" in report.diagnostics[0].message


def test_billion_laughs_is_stopped_quickly():
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]']
    for i in range(1, 10):
        prev, name = chr(96 + i), chr(97 + i)
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 10) + "]")
    report, work = calls_made(lambda: check("\n".join(lines)))
    # Ten billion values are refused after reading the text once: less work than a small pod.
    assert work < calls_made(lambda: check(DEPLOYMENT))[1]
    assert [d.code for d in report.diagnostics] == ["input-too-complex"]
    assert f"{MAX_NODES:,}" in report.diagnostics[0].message


def test_recursive_alias_is_refused():
    assert codes("a: &a [*a]\n") == [("input-too-complex", 1)]


@pytest.mark.parametrize(
    "text", ["[" * 50_000 + "]" * 50_000, "a:\n" + "".join(" " * i + "b:\n" for i in range(1, 200))]
)
def test_deep_nesting_is_an_error_not_a_crash(text):
    report = check(text)
    assert report.diagnostics[0].code in {"input-too-complex", "yaml-syntax"}
    assert not report.ok


def test_giant_numbers_do_not_crash():
    report = check(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers:\n"
        "  - {name: a, image: b, ports: [{containerPort: " + "9" * 50_000 + "}]}\n"
    )
    assert [d.code for d in report.errors] == ["invalid-value"]
    (document,), _ = parse("n: -" + "9" * 5000)
    assert to_python(document.root) == {"n": -math.inf}


def test_too_large_input_is_refused_before_parsing():
    report = check("a: b\n" * 100, max_bytes=100)
    assert [d.code for d in report.diagnostics] == ["input-too-large"]


@pytest.mark.parametrize("text", ["", "   \n", "# just a comment\n", "---\n---\n"])
def test_empty_input(text):
    assert [d.code for d in check(text).diagnostics] == ["empty-input"]


def test_control_characters_are_syntax_errors_at_their_line():
    assert codes("apiVersion: v1\nkind: \x07Pod\n") == [("yaml-syntax", 2)]


def test_invalid_utf8_is_reported_at_its_line():
    text, problem = decode(b"apiVersion: v1\nkind: Pod\nmetadata: {name: \xff}\n")
    assert text is None
    assert (problem.code, problem.line, problem.column) == ("yaml-syntax", 3, 18)


def test_not_an_object():
    assert codes("- just\n- a list\n") == [("not-an-object", 1)]


def test_merge_keys_work():
    (document,), _ = parse("base: &b {x: 1}\nother:\n  <<: *b\n  y: 2\n")
    assert to_python(document.root)["other"] == {"x": 1, "y": 2}


def test_a_control_character_after_accents_is_placed_by_characters_not_bytes():
    report = check("a: ééééééééééé\nb: x\nc: é\x07\n")
    assert [(d.code, d.line, d.column) for d in report.diagnostics] == [("yaml-syntax", 3, 5)]


def test_go_yaml_quote_escapes_are_accepted():
    spec = pod(
        APP.replace(
            "image: nginx:1.27", "image: nginx:1.27\n  command: [sh, -c, \"echo \\'quoted\\'\"]"
        )
    )
    report = check(spec)
    assert report.diagnostics == []
    assert (
        report.workloads[0].pod.containers[0].node.get("command").items[2].value == "echo 'quoted'"
    )
    assert [d.code for d in check('a: "\\q"\n').diagnostics] == ["yaml-syntax"]


def test_a_duplicate_key_points_at_the_first_one_even_a_merged_one():
    text = "base: &b {x: 1}\nother:\n  <<: *b\n  y: 2\n  y: 3\n  x: 4\n"
    _, problems = parse(text)
    assert [(p.code, p.line, p.message) for p in problems] == [
        ("yaml-duplicate-key", 5, "duplicate key `y` (first used on line 4)"),
        # A key the merge brought in counts as written at the anchored mapping.
        ("yaml-duplicate-key", 6, "duplicate key `x` (first used on line 1)"),
    ]
