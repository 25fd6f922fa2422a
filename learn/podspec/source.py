"""Safe, bounded YAML: text to a tree of nodes that know their range (start and end) in the text.

Built on libyaml's event stream (no recursion, no object construction), so no input can run code,
exhaust the stack or expand without bound: anchors and aliases are shared, and the size they would
expand to is counted and capped. Scalars are resolved the way Kubernetes' YAML 1.1 decoder does
(`yes` and `on` are booleans), duplicate keys are errors as in the API server's strict decoding.
"""

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import lru_cache, partial
from typing import Any

import yaml

from learn.podspec.diagnostics import Diagnostic, Located, Severity, Span

MAX_BYTES = 256 * 1024
MAX_NODES = 100_000  # after expanding aliases
MAX_DEPTH = 64
MAX_INT_DIGITS = 40
STANDARD_TAGS = {
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "map", "seq")
}
MERGE_TAG = "tag:yaml.org,2002:merge"
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_RESOLVER = yaml.resolver.Resolver()
# The first characters of the plain scalars that YAML 1.1 may read as other than text (the
# resolver's table, plus "" for the empty scalar): any other plain scalar is text.
_IMPLICIT_FIRST = frozenset(key for key in _RESOLVER.yaml_implicit_resolvers if key)
_CONTENT_LINE = re.compile(r"^[ \t]*[^\s#]", re.MULTILINE)
_INT = re.compile(r"^[-+]?(?:0b[01_]+|0x[0-9a-fA-F_]+|0o?[0-7_]+|[0-9][0-9_]*)$")
# The line breaks of YAML 1.1, which libyaml counts lines by.
_BREAK = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")
_BREAKS = "\r\n\x85\u2028\u2029"
_BLANK = " \t" + _BREAKS


@dataclass(eq=False, slots=True)
class Node:
    """A YAML node over a range of the text: 1-based lines and columns, the end exclusive.

    A scalar's range is what was typed (quotes, and any anchor or tag before it, included), a
    collection's runs to the end of its last child (a flow collection's to its closing bracket),
    and an alias's is the alias where it is used.
    """

    line: int
    column: int
    end_line: int
    end_column: int


@dataclass(eq=False, slots=True)
class Scalar(Node):
    """A scalar: `value` is the resolved str, int, float, bool or None; `text` what was typed."""

    value: object
    text: str
    quoted: bool = False


@dataclass(eq=False, slots=True)
class Mapping(Node):
    """A mapping with text keys, in the order written."""

    pairs: list[tuple[Scalar, Node]] = field(default_factory=list)
    # The value of each key (the first, when a key is repeated), for lookups by the later stages.
    values: dict[str, Node] = field(default_factory=dict, repr=False)

    def get(self, key: str) -> Node | None:
        """The value of a key, or None."""
        return self.values.get(key)

    def key_node(self, key: str) -> Scalar | None:
        """The node of the key itself (to point at it), or None."""
        return next((name for name, _ in self.pairs if name.text == key), None)

    @property
    def head(self) -> Node:
        """Where to point at the whole mapping without underlining all of it: its first key."""
        return self.pairs[0][0] if self.pairs else self


@dataclass(eq=False, slots=True)
class Sequence(Node):
    """A sequence of nodes."""

    items: list[Node] = field(default_factory=list)


def is_unset(node: Node | None) -> bool:
    """Absent, or written as null (`key:` or `key: null`): the API server reads both as unset."""
    return node is None or (isinstance(node, Scalar) and node.value is None)


@dataclass(slots=True)
class Document:
    """One YAML document of a stream (an empty document's root is a null Scalar)."""

    index: int
    line: int
    root: Node


@dataclass(slots=True)
class _Open:
    node: Mapping | Sequence
    flow: bool
    anchor: str | None
    # A mapping's values by key text (the node's own `values`); None for a sequence.
    values: dict[str, Node] | None
    children: list  # a mapping's pairs or a sequence's items (the node's own list)
    size: int = 1
    pending_key: Scalar | None = None
    last: Node | None = None  # the child attached last, where a block collection ends


class InputError(Exception):
    """A problem that stops parsing, carried as a diagnostic."""

    def __init__(self, diagnostic: Diagnostic):
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


def _problem(code: str, message: str, place: Located, hint: str, document: int = 0) -> InputError:
    return InputError(
        Diagnostic.at(place, code, Severity.ERROR, message, hint=hint, document=document)
    )


def split_lines(text: str) -> list[str]:
    """The text's lines, broken where libyaml breaks them."""
    return _BREAK.split(text)


def _token(text: str, line: int, column: int) -> Span:
    """The word at a place, or the rest of its line from there (empty at the end of a line)."""
    lines = split_lines(text)
    rest = lines[line - 1][column - 1 :] if 0 < line <= len(lines) else ""
    word = re.match(r"\S+", rest)
    width = word.end() if word else len(rest.rstrip())
    return Span(line, column, line, column + width)


@lru_cache(maxsize=4096)  # keys and common values repeat throughout a document
def _resolve(value: str, implicit: tuple[bool, bool], tag: str | None) -> object:
    if tag is None or tag == "!":
        tag = str(_RESOLVER.resolve(yaml.ScalarNode, value, implicit))
    if tag.endswith(":null"):
        return None
    if tag.endswith(":bool"):
        return value.lower() in {"yes", "true", "on"}
    if tag.endswith(":int"):
        return _to_int(value)
    if tag.endswith(":float"):
        return _to_float(value)
    return value


def _to_int(text: str) -> object:
    """An int, infinity for absurdly long numbers, or the text when YAML 1.1 forms don't convert."""
    if not _INT.match(text):
        return text  # e.g. sexagesimal 1:30, which Kubernetes' decoder treats as text
    cleaned = text.replace("_", "")
    sign = -1 if cleaned.startswith("-") else 1
    digits = cleaned.lstrip("+-")
    if len(digits) > MAX_INT_DIGITS:
        return sign * math.inf
    if digits.startswith("0b"):
        return sign * int(digits[2:], 2)
    if digits.startswith("0x"):
        return sign * int(digits[2:], 16)
    if digits.startswith("0o"):
        return sign * int(digits[2:], 8)
    if len(digits) > 1 and digits.startswith("0"):
        return sign * int(digits, 8)
    return sign * int(digits)


def _to_float(text: str) -> object:
    lowered = text.replace("_", "").lower()
    if lowered.endswith(".inf"):
        return -math.inf if lowered.startswith("-") else math.inf
    if lowered.endswith(".nan"):
        return math.nan
    try:
        return float(lowered)
    except ValueError:
        return text


def _line_of_offset(text: str, offset: int) -> tuple[int, int]:
    # libyaml counts the offset in bytes of the UTF-8 text, not in characters.
    before = text.encode("utf-8", "surrogatepass")[:offset].decode("utf-8", "ignore")
    line = before.count("\n") + 1
    return line, len(before) - (before.rfind("\n") + 1) + 1


_OPENERS = {"[": "]", "{": "}", '"': '"', "'": "'"}
# A line that is one word, not a key (no colon at its end; `image:nginx` is one word), a list
# item's too: the text before the word, the word.
_BARE_WORD = re.compile(r"^([ \t]*(?:- +)?)([^\s:#\-\[\]{}'\"](?:[^\s#]*[^\s:#])?)[ \t]*$")
WORD_SHOWN = 40  # characters of a word quoted in a message


@dataclass(frozen=True)
class _Blame:
    """Where the mistake behind a libyaml error is (0-based line and column), and what it is:
    "open" (a bracket or quote never closed), "word" (a word where a key was expected), "end"
    (the input stops where a value is still wanted), "inside" (a bracket still open where libyaml
    stopped), "began" (inside a flow collection or quoted text that began there), or "" (where
    libyaml stopped, which is where the mistake is)."""

    line: int
    column: int
    kind: str = ""
    opened: str = ""  # the bracket or quote of "open" and "inside"


def _written_after(lines: list[str], line: int, column: int) -> bool:
    """Whether anything but blanks and comments follows a place in the text's lines."""
    rest = lines[line][column:].strip() if line < len(lines) else ""
    if rest and not rest.startswith("#"):
        return True
    return _CONTENT_LINE.search("\n".join(lines[line + 1 :])) is not None


def _unclosed_bracket(lines: list[str]) -> tuple[int, int] | None:
    """The last `[` or `{` that starts a flow collection (after a line's indent, `:`, `-`, `,` or
    another bracket) and is never closed, outside quotes and comments: where libyaml, reaching
    the end inside a flow collection, no longer knows it began."""
    open_brackets: list[tuple[int, int]] = []
    for number, line in enumerate(lines):
        quote, before = "", ""
        for column, char in enumerate(line):
            if quote:
                quote = "" if char == quote else quote
            elif char in "'\"" and (not before or before in ":-,[{"):
                quote = char
            elif char == "#" and (column == 0 or line[column - 1] in " \t"):
                break
            elif char in "[{" and (not before or before in ":-,[{"):
                open_brackets.append((number, column))
            elif char in "]}" and open_brackets:
                open_brackets.pop()
            if not char.isspace():
                before = char
    return open_brackets[-1] if open_brackets else None


def _blame(text: str, exc: yaml.MarkedYAMLError) -> _Blame | None:
    stopped, began = exc.problem_mark or exc.context_mark, exc.context_mark
    if stopped is None:
        return None
    context, lines = exc.context or "", split_lines(text)
    if not _written_after(lines, stopped.line, stopped.column):
        # libyaml gave up at the end of what was written: the problem is where the construct it
        # was reading began, or else the end of the last line written.
        if began is not None and _written_after(lines, began.line, began.column):
            opened = lines[began.line][began.column : began.column + 1]
            if opened in _OPENERS:
                return _Blame(began.line, began.column, "open", opened)
            if context == "while scanning a simple key":
                return _Blame(began.line, began.column, "word")
        opener = _unclosed_bracket(lines) if "flow" in context else None
        if opener is not None:
            return _Blame(*opener, "open", lines[opener[0]][opener[1]])
        written = [n for n, line in enumerate(lines) if _CONTENT_LINE.match(line)]
        last = written[-1] if written else 0
        return _Blame(last, len(lines[last].split(" #")[0].rstrip()), "end")
    if began is not None and context == "while scanning a simple key":
        # A word where a key was expected: libyaml notices on the next line.
        return _Blame(began.line, began.column, "word")
    mapping_value = (exc.problem or "").startswith("mapping values are not allowed")
    if mapping_value and 0 < stopped.line < len(lines):
        # A word alone on the line above runs on into this key as one plain text, whose colon
        # comes too late: the word is the mistake.
        above = _BARE_WORD.match(lines[stopped.line - 1])
        if above:
            return _Blame(stopped.line - 1, len(above[1]), "word")
    if "flow" in context:
        # Inside a flow collection: libyaml's context may be the item it was reading, not the
        # bracket that opened the collection, which is usually the mistake (never closed).
        opener = _unclosed_bracket([*lines[: stopped.line], lines[stopped.line][: stopped.column]])
        if opener is not None:
            return _Blame(*opener, "inside", lines[opener[0]][opener[1]])
    if began is not None and (context.startswith("while scanning a quoted") or "flow" in context):
        return _Blame(began.line, began.column, "began")
    return _Blame(stopped.line, stopped.column)


def _syntax_error(text: str, exc: yaml.YAMLError, document: int) -> InputError:
    if isinstance(exc, yaml.reader.ReaderError):
        line, column = _line_of_offset(text, exc.position)
        char = exc.character
        code = ord(char) if isinstance(char, str) else int(char)
        shown = f"U+{code:04X}"
        return _problem(
            "yaml-syntax",
            f"the character {shown} is not allowed in YAML",
            Span(line, column, line, column + 1),
            "Remove the control character; YAML accepts printable text, tabs and line breaks.",
            document,
        )
    problem = getattr(exc, "problem", None) or "invalid YAML"
    context = getattr(exc, "context", None)
    hint = "Check the indentation and punctuation on this line and the one before it."
    stopped = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line, column = (stopped.line + 1, stopped.column + 1) if stopped else (1, 1)
    blame = _blame(text, exc) if isinstance(exc, yaml.MarkedYAMLError) else None
    if blame is not None and blame.kind in ("open", "word", "end"):  # else libyaml's place
        line, column = blame.line + 1, blame.column + 1
    if blame is not None and blame.kind == "open":
        opened = blame.opened
        return _problem(
            "yaml-syntax",
            f"YAML syntax error: the `{opened}` opened here is never closed ({problem})",
            Span(line, column, line, column + 1),
            f"Close it with `{_OPENERS[opened]}` where its value ends.",
            document,
        )
    if blame is not None and blame.kind == "word":
        return _problem("yaml-syntax", *_word_without_colon(text, line, column), document)
    if blame is not None and blame.kind == "inside":
        opened = blame.opened
        hint = (
            f"The `{opened}` on line {blame.line + 1} is still open here: close it with "
            f"`{_OPENERS[opened]}` where its value ends"
            + (
                ", or write the items on lines of their own, each after `- `."
                if opened == "["
                else "."
            )
        )
    if line <= len(text.splitlines()) and "\t" in text.splitlines()[line - 1]:
        problem = "a tab character is used for indentation"
        hint = "YAML indents with spaces only: replace the tab with spaces."
    message = f"{problem} ({context})" if context else problem
    return _problem(
        "yaml-syntax", f"YAML syntax error: {message}", _token(text, line, column), hint, document
    )


def _word_without_colon(text: str, line: int, column: int) -> tuple[str, Span, str]:
    """The message, place and hint for a word where a key was expected (often a field name still
    being typed, or `key:value` without its space)."""
    place = _token(text, line, column)
    word = split_lines(text)[line - 1][column - 1 : place.end_column - 1]
    shown = word if len(word) <= WORD_SHOWN else word[: WORD_SHOWN - 1] + "…"
    quoted = f"`{shown}`" if "`" not in shown else f'"{shown}"'
    if ":" in word.rstrip(":"):
        key = word.split(":", 1)[0]
        return (
            f"YAML syntax error: {quoted} needs a space after its `:` to be `{key}: …`",
            place,
            "YAML reads `key:value` as one word: write `key: value`, with a space.",
        )
    return (
        f"YAML syntax error: {quoted} needs a `:` after it to be a key (could not find "
        "expected ':')",
        place,
        "Write `key: value`; if it belongs to the line above, indent it under that line's key.",
    )


class _Builder:
    """Builds documents from libyaml events with an explicit stack and running budgets."""

    def __init__(self, text: str):
        self.text = text
        self.documents: list[Document] = []
        self.stack: list[_Open] = []
        self.anchors: dict[str, tuple[Node, int]] = {}
        self.open_anchors: set[str] = set()
        self.total = 0
        self.duplicates: list[Diagnostic] = []
        self.document_line = 1

    @property
    def index(self) -> int:
        return len(self.documents)

    def too_complex(self, message: str, place: Located) -> InputError:
        return _problem(
            "input-too-complex",
            message,
            place,
            "Simplify the document: Kubernetes objects need neither deep nesting nor aliases "
            "that expand to huge trees.",
            self.index,
        )

    def too_many(self, node: Node) -> InputError:
        return self.too_complex(
            f"the document expands to more than {MAX_NODES:,} values "
            "(anchors and aliases included)",
            node,
        )

    def add_pair(self, top: _Open, key: Scalar, value: Node) -> None:
        """A key and its value join a mapping: merged in (`<<`), or refused as a duplicate key."""
        values = top.values
        assert values is not None  # only mappings take pairs
        text = key.text
        if text == "<<" and not key.quoted:
            self.merge(top, value)
            return
        if text in values:
            first = next(name for name, _ in top.children if name.text == text)
            self.duplicates.append(
                Diagnostic.at(
                    key,
                    "yaml-duplicate-key",
                    Severity.ERROR,
                    f"duplicate key `{text}` (first used on line {first.line})",
                    hint="The API server rejects duplicate keys: keep one and merge what the two say.",
                    document=self.index,
                )
            )
            return
        top.children.append((key, value))
        values[text] = value

    def merge(self, top: _Open, value: Node) -> None:
        values = top.values
        assert values is not None
        sources = value.items if isinstance(value, Sequence) else [value]
        for source in sources:
            if isinstance(source, Mapping):
                for key, item in source.pairs:
                    if key.text not in values:
                        top.children.append((key, item))
                        values[key.text] = item

    def check_tag(self, tag: str | None, mark: Any) -> None:
        if tag and tag != "!" and tag not in STANDARD_TAGS and tag != MERGE_TAG:
            raise _problem(
                "yaml-syntax",
                f"the YAML tag `{tag}` is not allowed",
                _token(self.text, mark.line + 1, mark.column + 1),
                "Remove the tag: Kubernetes objects are plain maps, lists, text and numbers.",
                self.index,
            )

    def open(self, kind: type[Mapping] | type[Sequence], event: Any) -> None:
        """A collection starts (`kind` is Mapping or Sequence): children attach to it until its end."""
        mark = event.start_mark
        if event.tag:
            self.check_tag(event.tag, mark)
        line, column = mark.line + 1, mark.column + 1
        children: list = []
        values: dict[str, Node] | None = None
        node: Mapping | Sequence
        if kind is Mapping:
            values = {}
            node = Mapping(line, column, line, column, children, values)
        else:
            node = Sequence(line, column, line, column, children)
        if len(self.stack) >= MAX_DEPTH:
            raise self.too_complex(f"the document nests deeper than {MAX_DEPTH} levels", node)
        anchor = event.anchor
        if anchor:
            self.open_anchors.add(anchor)
        self.stack.append(_Open(node, bool(event.flow_style), anchor, values, children))

    def close(self, event: Any) -> tuple[Node, int]:
        """A collection ends: it is attached to the one it is in."""
        end = event.end_mark
        done = self.stack.pop()
        if done.flow:  # ends at its closing bracket
            done.node.end_line, done.node.end_column = end.line + 1, end.column + 1
        elif done.last is not None:
            # A block collection ends where its last child does (libyaml's end event sits at the
            # next token, past blank lines and comments).
            done.node.end_line, done.node.end_column = done.last.end_line, done.last.end_column
        if done.anchor:
            self.open_anchors.discard(done.anchor)
            self.anchors[done.anchor] = (done.node, done.size)
        self.total -= done.size - 1  # children were counted as they were attached
        return done.node, done.size

    def block_scalar_end(self, event: Any) -> tuple[int, int]:
        """Where a block scalar ends: its end event counts the blank lines after it."""
        end = event.end_mark
        offset = end.index
        while offset > event.start_mark.index and self.text[offset - 1] in _BLANK:
            offset -= 1
        if offset == end.index:
            return end.line + 1, end.column + 1
        line = end.line + 1 - len(_BREAK.findall(self.text, offset, end.index))
        line_start = offset
        while line_start > 0 and self.text[line_start - 1] not in _BREAKS:
            line_start -= 1
        return line, offset - line_start + 1

    def run(self, parser: Any) -> None:
        """Build from every event of a parser: each kind of event goes to its handler, and the
        node a handler makes (a scalar, an alias, a collection it ends) joins the open one.

        Plain scalars, most of the events, are made and attached right here: for a big document
        the calls saved are a good part of the time."""
        handlers: dict[type, Callable[[Any], tuple[Node, int] | None]] = {
            yaml.ScalarEvent: self.scalar,
            yaml.MappingStartEvent: partial(self.open, Mapping),
            yaml.SequenceStartEvent: partial(self.open, Sequence),
            yaml.MappingEndEvent: self.close,
            yaml.SequenceEndEvent: self.close,
            yaml.DocumentStartEvent: self.document_start,
            yaml.AliasEvent: self.alias_event,
        }
        ignore = self.ignore
        next_event: Callable[[], Any] = parser.get_event
        stack = self.stack
        scalar_event = yaml.ScalarEvent
        implicit_first = _IMPLICIT_FIRST
        while (event := next_event()) is not None:
            if event.__class__ is scalar_event and not (event.tag or event.anchor or event.style):
                # A plain scalar: text unless it starts like a number, bool or null.
                value = event.value
                start: Any = event.start_mark
                end: Any = event.end_mark
                node: Node = Scalar(
                    start.line + 1,
                    start.column + 1,
                    end.line + 1,
                    end.column + 1,
                    value
                    if value and value[0] not in implicit_first
                    else _resolve(value, event.implicit, None),
                    value,
                )
                size = 1
            else:
                made = handlers.get(type(event), ignore)(event)
                if made is None:
                    continue
                node, size = made
            self.total += size
            if self.total > MAX_NODES:
                raise self.too_many(node)
            if not stack:
                self.documents.append(Document(self.index, self.document_line, node))
                continue
            top = stack[-1]
            top.size += size
            top.last = node
            key = top.pending_key
            if top.values is None:  # a sequence
                top.children.append(node)
            elif key is None:  # a mapping's key
                if not isinstance(node, Scalar):
                    raise _problem(
                        "yaml-syntax",
                        "a mapping key must be plain text, not a list or mapping",
                        node,
                        "Write keys as simple words followed by a colon.",
                        self.index,
                    )
                top.pending_key = node
            else:  # its value
                top.pending_key = None
                self.add_pair(top, key, node)

    def ignore(self, event: Any) -> None:
        """Stream starts and ends and document ends: nothing to build."""

    def scalar(self, event: Any) -> tuple[Node, int]:
        """A scalar with a tag, an anchor or a style (quoted or block): plain ones are made in run."""
        mark, tag, style, value = event.start_mark, event.tag, event.style, event.value
        if tag:
            self.check_tag(tag, mark)
            resolved = _resolve(value, event.implicit, tag)
        elif style:  # quoted, or a block scalar: text, whatever it looks like
            resolved = value
        elif value and value[0] not in _IMPLICIT_FIRST:
            resolved = value  # no implicit type (number, bool, null) starts with this character
        else:
            resolved = _resolve(value, event.implicit, None)
        if style == "|" or style == ">":
            end_line, end_column = self.block_scalar_end(event)
        else:
            end = event.end_mark
            end_line, end_column = end.line + 1, end.column + 1
        node = Scalar(
            mark.line + 1, mark.column + 1, end_line, end_column, resolved, value, bool(style)
        )
        if event.anchor:
            self.anchors[event.anchor] = (node, 1)
        return node, 1

    def document_start(self, event: Any) -> None:
        self.document_line = event.start_mark.line + 1
        self.anchors.clear()

    def alias_event(self, event: Any) -> tuple[Node, int]:
        mark, end = event.start_mark, event.end_mark
        return self.alias(
            event.anchor, Span(mark.line + 1, mark.column + 1, end.line + 1, end.column + 1)
        )

    def alias(self, anchor: str, place: Span) -> tuple[Node, int]:
        if anchor in self.open_anchors:
            raise self.too_complex(f"the alias *{anchor} refers to itself", place)
        if anchor not in self.anchors:
            raise _problem(
                "yaml-syntax",
                f"the alias *{anchor} has no anchor &{anchor} before it",
                place,
                "Define the anchor first, or write the value out.",
                self.index,
            )
        node, size = self.anchors[anchor]
        # The same value (children shared, so the size budget is unchanged) at the alias's place.
        used = replace(
            node,
            line=place.line,
            column=place.column,
            end_line=place.end_line,
            end_column=place.end_column,
        )
        return used, size


def parse(text: str, *, max_bytes: int = MAX_BYTES) -> tuple[list[Document], list[Diagnostic]]:
    """Parse a YAML stream into documents; problems come back as diagnostics, never raised."""
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        return [], [
            Diagnostic(
                "input-too-large",
                Severity.ERROR,
                f"the input is {size / 1024:.0f} KB; the limit is {max_bytes // 1024} KB",
                1,
                1,
                hint="Check one object at a time, or remove what is not needed.",
            )
        ]
    if not _CONTENT_LINE.search(text):  # nothing but blank lines and comments
        return [], [
            Diagnostic(
                "empty-input",
                Severity.ERROR,
                "there is nothing to check: the input is empty",
                1,
                1,
                hint="Write or paste a Kubernetes object, starting with `apiVersion:` and `kind:`.",
            )
        ]
    for _ in range(MAX_ESCAPE_FIXES + 1):
        builder = _Builder(text)
        try:
            parser = _LOADER(text)
            try:
                builder.run(parser)
            finally:
                parser.dispose()
        except InputError as exc:
            return builder.documents, [*builder.duplicates, exc.diagnostic]
        except yaml.YAMLError as exc:
            problem = _syntax_error(text, exc, builder.index).diagnostic
            retry = _accept_quote_escape(text, exc)
            if retry is None:
                return builder.documents, [*builder.duplicates, problem]
            text = retry
            continue
        return builder.documents, builder.duplicates
    return builder.documents, [*builder.duplicates, problem]


def syntax_culprit(text: str) -> int | None:
    """The 1-based line of the mistake that stops the parsing (see _blame: an unclosed bracket or
    quote, or a key without its colon, is blamed where it began, not where libyaml gave up), or
    None when the text parses."""
    parser = _LOADER(text)
    try:
        while parser.get_event() is not None:
            pass
    except yaml.MarkedYAMLError as exc:
        blame = _blame(text, exc)
        return blame.line + 1 if blame is not None else None
    except yaml.YAMLError:
        return None
    finally:
        parser.dispose()
    return None


# Kubernetes' YAML decoder (go-yaml) accepts `\'` in double-quoted strings, which libyaml refuses;
# such an escape is rewritten to a plain quote and the text parsed again (a few times at most).
MAX_ESCAPE_FIXES = 5


def _accept_quote_escape(text: str, exc: yaml.YAMLError) -> str | None:
    """The text with the offending `\'` made a plain `'`, when that is what libyaml refused."""
    mark = getattr(exc, "problem_mark", None)
    if mark is None or "unknown escape character" not in str(getattr(exc, "problem", "")):
        return None
    offset = mark.index
    if text[offset - 1 : offset + 1] != "\\'" and text[offset : offset + 2] != "\\'":
        return None
    start = offset - 1 if text[offset - 1 : offset + 1] == "\\'" else offset
    return text[:start] + text[start + 1 :]


def decode(data: bytes) -> tuple[str, None] | tuple[None, Diagnostic]:
    """Bytes to text; invalid UTF-8 becomes a yaml-syntax diagnostic at its line."""
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, Diagnostic(
            "yaml-syntax",
            Severity.ERROR,
            f"the input is not valid UTF-8 text (byte 0x{data[exc.start]:02x})",
            line,
            column,
            hint="Save the file as UTF-8.",
            end_line=line,
            end_column=column + 1,
        )


def to_python(node: Node | None) -> object:
    """The plain Python value of a node (aliases expanded; the parse budget bounds the size)."""
    if node is None:
        return None
    if isinstance(node, Scalar):
        return node.value
    if isinstance(node, Sequence):
        return [to_python(item) for item in node.items]
    if isinstance(node, Mapping):
        return {key.text: to_python(value) for key, value in node.pairs}
    raise TypeError(f"not a YAML node: {node!r}")
