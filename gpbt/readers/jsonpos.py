"""JSON with positions: every string knows the line and column of each of its characters in the file.

Tracery grammars and BullshitGenerator corpora are JSON; an error in them must point at the string (and at the
`#tag#` inside it), which the stdlib json module cannot do. Parsed with lark (grammar/json.lark).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib.resources import files
from typing import Union

from lark import Lark, Token, Tree, UnexpectedInput

from ..errors import Diagnostic, RuleFileError
from ..source import SourceFile, Span

_SIMPLE = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}


@functools.lru_cache(maxsize=1)
def _parser() -> Lark:
    grammar = (files("gpbt") / "grammar" / "json.lark").read_text(encoding="utf-8")
    return Lark(grammar, parser="lalr", propagate_positions=True, maybe_placeholders=False)


@dataclass(frozen=True)
class JString:
    """A decoded string; `columns[i]` is the file column of decoded character i (`columns[len]`: the closing quote)."""

    value: str
    source: SourceFile
    line: int
    columns: tuple[int, ...]

    @property
    def span(self) -> Span:
        return Span(self.source, self.line, self.columns[0] - 1, self.line, self.columns[-1] + 1)

    def span_of(self, start: int, stop: int) -> Span:
        """The span of decoded characters [start, stop)."""
        column = self.columns[start]
        end = self.columns[stop - 1] + 1 if stop > start else column + 1
        return Span(self.source, self.line, column, self.line, max(end, column + 1))


@dataclass(frozen=True)
class JList:
    items: tuple[JValue, ...]
    span: Span


@dataclass(frozen=True)
class JObject:
    pairs: tuple[tuple[JString, JValue], ...]
    span: Span


@dataclass(frozen=True)
class JAtom:
    """A number, true, false or null."""

    value: object
    span: Span


JValue = Union[JString, JList, JObject, JAtom]


def parse_json(source: SourceFile) -> JValue:
    """Parse `source`, raising `RuleFileError` with the position of the first syntax error or bad escape."""
    try:
        tree = _parser().parse(source.text)
    except UnexpectedInput as error:
        line, column = getattr(error, "line", 1), getattr(error, "column", 1)
        span = Span(source, max(line, 1), max(column, 1), max(line, 1), max(column, 1) + 1)
        found = source.line(line)[column - 1 : column] if line > 0 else ""
        message = f"invalid JSON: unexpected {found!r}" if found else "invalid JSON: unexpected end of file"
        raise RuleFileError([Diagnostic(span, message, "json-syntax")]) from None
    return _build(tree, source)


def _span(source: SourceFile, node: Tree | Token) -> Span:
    meta = node if isinstance(node, Token) else node.meta
    return Span(source, meta.line, meta.column, meta.end_line, meta.end_column)


def _build(node: Tree | Token, source: SourceFile) -> JValue:
    if isinstance(node, Token):  # only reached for a bare top-level string
        return decode_string(node, source)
    kind = node.data
    if kind == "string":
        return decode_string(node.children[0], source)
    if kind == "number":
        text = str(node.children[0])
        value = float(text) if any(c in text for c in ".eE") else int(text)
        return JAtom(value, _span(source, node))
    if kind == "literal":
        return JAtom({"true": True, "false": False, "null": None}[str(node.children[0])], _span(source, node))
    if kind == "array":
        items = tuple(_build(child, source) for child in node.children if isinstance(child, Tree))
        return JList(items, _span(source, node))
    pairs = []
    for pair in node.children:
        if isinstance(pair, Tree):
            key, _colon, value = pair.children
            pairs.append((decode_string(key, source), _build(value, source)))
    return JObject(tuple(pairs), _span(source, node))


def decode_string(token: Token, source: SourceFile) -> JString:
    """Decode a JSON string token, keeping the column of every character; a bad escape is a `RuleFileError`."""
    raw = str(token)
    chars: list[str] = []
    columns: list[int] = []
    i = 1
    while i < len(raw) - 1:
        char = raw[i]
        column = token.column + i
        if char != "\\":
            chars.append(char)
            columns.append(column)
            i += 1
            continue
        code = raw[i + 1]
        if code in _SIMPLE:
            chars.append(_SIMPLE[code])
            columns.append(column)
            i += 2
            continue
        digits = raw[i + 2 : i + 6]
        if code != "u" or len(digits) != 4 or not all(c in "0123456789abcdefABCDEF" for c in digits):
            span = Span(source, token.line, column, token.line, column + 2)
            raise RuleFileError([Diagnostic(span, f"invalid JSON escape '\\{code}'", "json-syntax",
                                            hint="in JSON a backslash is written \\\\")])
        value = int(digits, 16)
        i += 6
        low = raw[i + 2 : i + 6] if raw[i : i + 2] == "\\u" else ""
        low_value = int(low, 16) if len(low) == 4 and all(c in "0123456789abcdefABCDEF" for c in low) else 0
        if 0xD800 <= value < 0xDC00 and 0xDC00 <= low_value < 0xE000:
            value = 0x10000 + ((value - 0xD800) << 10) + (low_value - 0xDC00)
            i += 6
        chars.append(chr(value))
        columns.append(column)
    columns.append(token.column + len(raw) - 1)
    return JString("".join(chars), source, token.line, tuple(columns))
