"""JSON with positions: every string knows the line and column of each of its characters in the file.

Tracery grammars and BullshitGenerator corpora are JSON; an error in them must point at the string (and at the
`#tag#` inside it), which the stdlib json module cannot do. Read by a small hand-written scanner: one regular
expression per token and an explicit stack for nesting, so it is linear in the file's size, has no recursion limit,
and costs nothing at start-up (building the lark parser for JSON that it replaces took ~300 ms).

What it accepts is what gpbt always read (RFC 8259, except that a string may hold raw control characters other than
a line break); an error is reported at the first token that cannot go where it stands, with that character in the
message, and a bad escape only once the whole file has parsed (syntax errors first).
"""

from __future__ import annotations

import re
from typing import NamedTuple, Union

from ..errors import Diagnostic, RuleFileError
from ..source import SourceFile, Span

_SIMPLE = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
_HEX = frozenset("0123456789abcdefABCDEF")


# NamedTuples rather than frozen dataclasses: as immutable, and several times cheaper both to define at import and to
# build, which is much of what reading a small grammar costs.
class JString(NamedTuple):
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


class JList(NamedTuple):
    items: tuple[JValue, ...]
    span: Span


class JObject(NamedTuple):
    pairs: tuple[tuple[JString, JValue], ...]
    span: Span


class JAtom(NamedTuple):
    """A number, true, false or null."""

    value: object
    span: Span


JValue = Union[JString, JList, JObject, JAtom]

# One token after optional blanks; `lastindex` tells which: a string (the pattern of every JSON reader gpbt had: any
# character but a line break may follow a backslash, checked later), a bracket or separator, a number, a word.
_TOKEN = re.compile(r'[ \t\r\n]*(?:("(?:\\[^\n]|[^"\\\n])*")|([][{},:])'
                    r'|(-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)|(true|false|null))?')
_STRING, _PUNCT, _NUMBER = 1, 2, 3  # 4: true, false or null
_WORDS = {"true": True, "false": False, "null": None}
# What the scanner expects next.
_VALUE, _KEY, _COLON, _AFTER, _END = range(5)


def parse_json(source: SourceFile) -> JValue:
    """Parse `source`, raising `RuleFileError` with the position of the first syntax error or bad escape."""
    scanner = _Scanner(source)
    value = scanner.document()
    if scanner.bad_escape is not None:
        raise RuleFileError([scanner.bad_escape])
    return value


class _Frame:
    """An array or object being read: where it opened, and what it holds so far."""

    __slots__ = ("is_object", "line", "column", "items", "key")

    def __init__(self, is_object: bool, line: int, column: int) -> None:
        self.is_object, self.line, self.column = is_object, line, column
        self.items: list = []
        self.key: JString | None = None


class _Scanner:
    """One pass over the text with an explicit stack, so nesting depth is bounded by memory, not by Python's stack.
    Line breaks can only be in the blanks between tokens (a JSON string holds none), so only those are counted."""

    def __init__(self, source: SourceFile) -> None:
        self.source, self.text = source, source.text
        self.pos, self.line, self.line_start = 0, 1, 0  # where the token being read starts
        self.last_end = (1, 1)  # line and column just past the last token read, where a truncated file stops
        self.bad_escape: Diagnostic | None = None

    def unexpected(self) -> RuleFileError:
        column = self.pos - self.line_start + 1
        span = Span(self.source, self.line, column, self.line, column + 1)
        message = f"invalid JSON: unexpected {self.text[self.pos]!r}"
        return RuleFileError([Diagnostic(span, message, "json-syntax")])

    def end_of_file(self) -> RuleFileError:
        line, column = self.last_end
        span = Span(self.source, line, column, line, column + 1)
        return RuleFileError([Diagnostic(span, "invalid JSON: unexpected end of file", "json-syntax")])

    def document(self) -> JValue:
        """The one value of the file, or the error at the first token that cannot stand where it is."""
        text, size, source = self.text, len(self.text), self.source
        stack: list[_Frame] = []
        state, closable = _VALUE, False  # closable: just after `[` or `{`, where the closing bracket may come
        pos, line, line_start = 0, 1, 0
        value: JValue | None = None
        while True:
            match = _TOKEN.match(text, pos)
            kind = match.lastindex
            start = match.start(kind) if kind else match.end()
            if start > pos:
                breaks = text.count("\n", pos, start)
                if breaks:
                    line += breaks
                    line_start = text.rfind("\n", pos, start) + 1
            self.pos, self.line, self.line_start = start, line, line_start
            if kind is None:
                if start < size:
                    raise self.unexpected()
                if state == _END:
                    return value
                raise self.end_of_file()
            if state == _END:
                raise self.unexpected()
            pos = match.end()
            column = start - line_start + 1
            self.last_end = (line, pos - line_start + 1)
            if kind == _PUNCT:
                char = text[start]
                if state == _COLON:
                    if char != ":":
                        raise self.unexpected()
                    state, closable = _VALUE, False
                    continue
                if char == "," and state == _AFTER:
                    state, closable = (_KEY if stack[-1].is_object else _VALUE), False
                    continue
                if char == "{" or char == "[":
                    if state != _VALUE:
                        raise self.unexpected()
                    stack.append(_Frame(char == "{", line, column))
                    state, closable = (_KEY if char == "{" else _VALUE), True
                    continue
                if char not in "]}" or not (state == _AFTER or closable) or stack[-1].is_object != (char == "}"):
                    raise self.unexpected()
                frame = stack.pop()
                span = Span(source, frame.line, frame.column, line, column + 1)
                value = JObject(tuple(frame.items), span) if frame.is_object else JList(tuple(frame.items), span)
            elif state == _KEY and kind == _STRING:
                stack[-1].key = self.string(match.group(_STRING)[1:-1], line, column + 1)
                state = _COLON
                continue
            elif state != _VALUE:
                raise self.unexpected()
            elif kind == _STRING:
                value = self.string(match.group(_STRING)[1:-1], line, column + 1)
            else:
                word = match.group(kind)
                value = JAtom(_number(word) if kind == _NUMBER else _WORDS[word],
                              Span(source, line, column, line, column + len(word)))
            if not stack:
                state = _END
                continue
            frame = stack[-1]
            frame.items.append((frame.key, value) if frame.is_object else value)
            state = _AFTER

    def string(self, raw: str, line: int, first: int) -> JString:
        """The text between the quotes decoded, with the column of every character (`first`: the first's)."""
        if "\\" not in raw:
            return JString(raw, self.source, line, tuple(range(first, first + len(raw) + 1)))
        chars: list[str] = []
        columns: list[int] = []
        i, size = 0, len(raw)
        while i < size:
            char = raw[i]
            column = first + i
            if char != "\\":
                chars.append(char)
                columns.append(column)
                i += 1
                continue
            code = raw[i + 1]  # the token's pattern pairs every backslash with a character
            if code in _SIMPLE:
                chars.append(_SIMPLE[code])
                columns.append(column)
                i += 2
                continue
            digits = raw[i + 2 : i + 6]
            if code != "u" or len(digits) != 4 or not _HEX.issuperset(digits):
                if self.bad_escape is None:  # raised once the syntax is known to be right, as always
                    span = Span(self.source, line, column, line, column + 2)
                    self.bad_escape = Diagnostic(span, f"invalid JSON escape '\\{code}'", "json-syntax",
                                                 hint="in JSON a backslash is written \\\\")
                return JString(raw, self.source, line, tuple(range(first, first + size + 1)))
            value = int(digits, 16)
            i += 6
            low = raw[i + 2 : i + 6] if raw[i : i + 2] == "\\u" else ""
            low_value = int(low, 16) if len(low) == 4 and _HEX.issuperset(low) else 0
            if 0xD800 <= value < 0xDC00 and 0xDC00 <= low_value < 0xE000:  # a surrogate pair: one character
                value = 0x10000 + ((value - 0xD800) << 10) + (low_value - 0xDC00)
                i += 6
            chars.append(chr(value))
            columns.append(column)
        columns.append(first + size)
        return JString("".join(chars), self.source, line, tuple(columns))


def _number(text: str) -> object:
    try:
        return float(text) if any(c in text for c in ".eE") else int(text)
    except ValueError:  # more digits than int() converts: still a number
        return float(text)
