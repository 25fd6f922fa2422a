"""Ranges: every node and every diagnostic knows where it starts and ends, for exact underlines."""

import json
import re
from dataclasses import replace

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from learn.podspec import Diagnostic, Report, Severity, check
from learn.podspec.cli import main
from learn.podspec.source import Mapping, Node, Scalar, Sequence, decode, parse

POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: nginx:1.27
"""


def root_of(text: str) -> Node:
    documents, problems = parse(text)
    assert problems == []
    return documents[0].root


def span(node: Node) -> tuple[int, int, int, int]:
    return node.line, node.column, node.end_line, node.end_column


def text_of(text: str, line: int, column: int, end_line: int, end_column: int) -> str:
    """The characters a 1-based, end-exclusive range covers."""
    lines = text.split("\n")
    if line == end_line:
        return lines[line - 1][column - 1 : end_column - 1]
    middle = lines[line : end_line - 1]
    return "\n".join(
        [lines[line - 1][column - 1 :], *middle, lines[end_line - 1][: end_column - 1]]
    )


def value(text: str, *keys: str) -> Node:
    node = root_of(text)
    for key in keys:
        assert isinstance(node, Mapping)
        found = node.get(key)
        assert found is not None
        node = found
    return node


def test_a_plain_scalar_covers_exactly_its_text():
    node = value("name: web-1  # the front\n", "name")
    assert span(node) == (1, 7, 1, 12)
    assert text_of("name: web-1  # the front\n", *span(node)) == "web-1"


def test_a_quoted_scalar_includes_its_quotes():
    text = 'a: \'single\'\nb: "dou\\"ble"\n'
    assert text_of(text, *span(value(text, "a"))) == "'single'"
    assert text_of(text, *span(value(text, "b"))) == '"dou\\"ble"'


def test_a_plain_scalar_over_two_lines_ends_on_the_second():
    text = "command: echo one\n  two  \nnext: 1\n"
    node = value(text, "command")
    assert span(node) == (1, 10, 2, 6)
    assert isinstance(node, Scalar)
    assert node.text == "echo one two"


def test_a_block_scalar_ends_at_its_last_character_not_at_the_blank_lines_after_it():
    text = "script: |\n  echo one\n  echo two\n\n# next\nafter: 1\n"
    node = value(text, "script")
    assert span(node) == (1, 9, 3, 11)
    assert text_of(text, *span(node)) == "|\n  echo one\n  echo two"


def test_a_folded_block_scalar_with_windows_line_ends_stops_before_them():
    text = "note: >-\r\n  one\r\n  two\r\n\r\nnext: 1\r\n"
    assert span(value(text, "note")) == (1, 7, 3, 6)


def test_a_key_covers_the_key_text():
    mapping = root_of("spec:\n  restartPolicy: Never\n").get("spec")
    assert isinstance(mapping, Mapping)
    key = mapping.key_node("restartPolicy")
    assert key is not None
    assert span(key) == (2, 3, 2, 16)


def test_a_block_mapping_ends_with_its_last_value_not_at_the_comment_after_it():
    text = "spec:\n  a: 1\n  b: two\n  # trailing comment\n\nnext: 3\n"
    assert span(value(text, "spec")) == (2, 3, 3, 9)
    assert span(root_of(text)) == (1, 1, 6, 8)


def test_a_block_sequence_ends_with_its_last_item():
    text = "items:\n- a\n- bb\n\n# done\n"
    assert span(value(text, "items")) == (2, 1, 3, 5)


def test_flow_collections_end_at_their_closing_bracket():
    text = "ports: [80, {port: 443} ]\nlabels: {}\n"
    ports = value(text, "ports")
    assert isinstance(ports, Sequence)
    assert text_of(text, *span(ports)) == "[80, {port: 443} ]"
    assert text_of(text, *span(ports.items[1])) == "{port: 443}"
    assert text_of(text, *span(value(text, "labels"))) == "{}"


def test_an_alias_has_the_range_where_it_is_used():
    text = "first: &img nginx:1.27\nsecond: *img\n"
    used = value(text, "second")
    assert isinstance(used, Scalar)
    assert used.value == "nginx:1.27"
    assert text_of(text, *span(used)) == "*img"
    assert span(value(text, "first")) == (1, 8, 1, 23)  # the anchor is part of what was typed


def test_an_aliased_mapping_shares_its_children():
    text = "base: &b {cpu: 1}\ncopy: *b\n"
    root = root_of(text)
    assert isinstance(root, Mapping)
    base, copy = root.get("base"), root.get("copy")
    assert isinstance(base, Mapping)
    assert isinstance(copy, Mapping)
    assert copy.pairs is base.pairs
    assert text_of(text, *span(copy)) == "*b"


def test_an_empty_value_is_an_empty_range_after_its_colon():
    assert span(value("name:\nnext: 1\n", "name")) == (1, 6, 1, 6)


def test_an_unknown_field_underlines_exactly_the_key():
    report = check(POD.replace("      image:", "      imagee:"))
    (unknown,) = [d for d in report.diagnostics if d.code == "unknown-field"]
    assert (unknown.line, unknown.column, unknown.end_line, unknown.end_column) == (8, 7, 8, 13)


def test_a_wrong_type_underlines_exactly_the_value():
    text = POD + '      ports:\n        - containerPort: "http"\n'
    (wrong,) = [d for d in check(text).diagnostics if d.code == "wrong-type"]
    covered = text_of(text, wrong.line, wrong.column, wrong.end_line, wrong.end_column)
    assert covered == '"http"'


def test_a_rule_finding_underlines_the_node_it_is_about():
    text = POD.replace("name: web\nspec", "name: Web_Server\nspec")
    (bad,) = [d for d in check(text).diagnostics if d.code == "invalid-name"]
    assert text_of(text, bad.line, bad.column, bad.end_line, bad.end_column) == "Web_Server"


def test_a_duplicate_key_underlines_the_second_key():
    text = "a: 1\na: 2\n"
    (duplicate,) = parse(text)[1]
    assert (duplicate.line, duplicate.column, duplicate.end_line, duplicate.end_column) == (
        2,
        1,
        2,
        2,
    )


def test_a_syntax_error_underlines_the_offending_token():
    text = "a: !custom value\n"
    (problem,) = check(text).diagnostics
    assert problem.code == "yaml-syntax"
    assert text_of(text, problem.line, problem.column, problem.end_line, problem.end_column) == (
        "!custom"
    )


def test_an_undefined_alias_underlines_the_alias():
    text = "a: 1\nb: *missing\n"
    (problem,) = check(text).diagnostics
    assert text_of(text, problem.line, problem.column, problem.end_line, problem.end_column) == (
        "*missing"
    )


def test_invalid_utf8_underlines_one_character():
    _, problem = decode(b"a: \xff\n")
    assert problem is not None
    assert (problem.line, problem.column, problem.end_line, problem.end_column) == (1, 4, 1, 5)


def test_a_diagnostic_made_from_a_point_gets_an_empty_range_there():
    d = Diagnostic("x", Severity.ERROR, "m", 3, 4)
    assert (d.end_line, d.end_column) == (3, 4)
    assert Diagnostic("x", Severity.INFO, "no place").to_dict()["end_line"] == 0


def test_diagnostic_at_takes_the_node_range():
    node = value("k: value\n", "k")
    d = Diagnostic.at(node, "c", Severity.WARNING, "m", "k", "h", 2)
    assert (d.line, d.column, d.end_line, d.end_column, d.path, d.hint, d.document) == (
        1,
        4,
        1,
        9,
        "k",
        "h",
        2,
    )


def test_findings_differing_only_in_their_end_are_kept_once():
    report = Report("a: 1\n", "1.35", "learning")
    first = Diagnostic("missing-field", Severity.ERROR, "needs `b`", 1, 1, end_line=1, end_column=2)
    report.add(first)
    report.add(replace(first, end_line=1, end_column=5))
    assert report.diagnostics == [first]


def test_cli_json_carries_the_range(tmp_path, capsys):
    path = tmp_path / "pod.yaml"
    path.write_text(POD.replace("      image:", "      imagee:"))
    assert main(["check", "--format", "json", str(path)]) == 1
    payload = json.loads(capsys.readouterr().out)
    unknown = next(d for d in payload["diagnostics"] if d["code"] == "unknown-field")
    assert (unknown["line"], unknown["column"], unknown["end_line"], unknown["end_column"]) == (
        8,
        7,
        8,
        13,
    )


def test_cli_text_underlines_the_range(tmp_path, capsys):
    path = tmp_path / "pod.yaml"
    path.write_text(POD.replace("name: web\nspec", "name: Web_Server\nspec"))
    main(["check", str(path)])
    out = capsys.readouterr().out.splitlines()
    assert "    4 |   name: Web_Server" in out
    assert "      |         ^^^^^^^^^^" in out


# Random valid YAML: the data a pod spec is made of, written by PyYAML in any of its styles.
KEYS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz-_.", min_size=1, max_size=8)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-(10**6), 10**6)
    | st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)
)
DATA = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4),
    max_leaves=20,
)


def nodes(node: Node):
    yield node
    if isinstance(node, Mapping):
        for key, item in node.pairs:
            yield from nodes(key)
            yield from nodes(item)
    elif isinstance(node, Sequence):
        for item in node.items:
            yield from nodes(item)


@settings(max_examples=150, deadline=None)  # timing under a loaded CI is not a property
@given(data=DATA, flow=st.sampled_from([None, True, False]), indent=st.sampled_from([2, 4]))
def test_every_range_lies_inside_the_text_and_plain_scalars_cover_what_was_typed(
    data, flow, indent
):
    text = yaml.safe_dump(data, default_flow_style=flow, indent=indent, allow_unicode=True)
    documents, problems = parse(text)
    assert problems == []
    lines = re.split(r"\r\n|[\r\n\x85\u2028\u2029]", text)
    for node in nodes(documents[0].root):
        assert 1 <= node.line <= node.end_line <= len(lines)
        assert node.line < node.end_line or node.column <= node.end_column
        assert 1 <= node.column <= len(lines[node.line - 1]) + 1
        assert 1 <= node.end_column <= len(lines[node.end_line - 1]) + 1
        if isinstance(node, Scalar) and not node.quoted and node.line == node.end_line:
            typed = lines[node.line - 1][node.column - 1 : node.end_column - 1]
            assert typed == node.text


def test_a_field_missing_from_an_object_underlines_its_first_key_not_the_whole_object():
    report = check("apiVersion: v1\nmetadata:\n  name: web\nspec:\n  containers: []\n")
    (missing,) = [d for d in report.diagnostics if d.code == "missing-field"]
    assert (missing.line, missing.column, missing.end_line, missing.end_column) == (1, 1, 1, 11)
