"""Rule file text → nodes, with lark (LALR, contextual lexer; the parser makes the nodes as it reduces).

A file is split into records (a directive, or a rule with its indented alternative lines) and each record is parsed
on its own, its positions then counted from the record's first line in the file. One bad line therefore yields one
error and never hides or invents others.
"""

from __future__ import annotations

import functools
import threading
from typing import Mapping, MutableMapping, NamedTuple
from importlib.resources import files

from lark import Lark, Token, Transformer, UnexpectedInput, v_args

from .. import nodes
from ..errors import Diagnostic, RuleFileError
from ..source import SourceFile, Span
from .syntax_messages import describe_parse_error
from .text import merge_text

ESCAPES = {"n": "\n", "t": "\t", "r": "\r"}
UNIQUE = "unique"


@functools.lru_cache(maxsize=1)
def lark_parser() -> Lark:
    """Built on first use (importing gpbt stays cheap for the CLI), and kept by lark's own cache in gpbt's private
    cache folder when the compiled-style cache is on: building the LALR tables is most of a cold load's start."""
    from ..cache_folder import parser_cache_file

    grammar = (files("gpbt") / "grammar" / "gpbt.lark").read_text(encoding="utf-8")
    return Lark(
        grammar,
        parser="lalr",
        lexer="contextual",
        propagate_positions=False,  # nodes take their positions from the tokens
        maybe_placeholders=True,
        start=["file", "record"],
        cache=parser_cache_file() or False,
        transformer=TREE_TO_NODES,  # nodes made as the parser reduces: no tree is built and walked again
    )


def parse_record(text: str):
    return lark_parser().parse(text, start="record")


def split_records(source: SourceFile) -> list[tuple[int, int]]:
    """(first line, end line) of each record: a record starts at every line that is not blank, not a comment and
    not indented; a stray indented line before the first rule becomes a record of its own, to be reported."""
    starts: list[int] = []
    for number, line in enumerate(source.lines[:-1], start=1):
        stripped = line.lstrip(" \t")
        if not stripped or stripped.startswith("#"):
            continue
        if line is stripped or not starts:
            starts.append(number)
    ends = starts[1:] + [len(source.lines)]
    return list(zip(starts, ends))


def parse_source(source: SourceFile) -> nodes.RuleFile:
    """Parse a whole file; raise `RuleFileError` with every syntax error if there is any."""
    rule_file, diagnostics = parse_rules(source)
    if diagnostics:
        raise RuleFileError(diagnostics)
    return rule_file


RecordResult = tuple  # (directive or rule or None, diagnostics, the name of a broken rule or "")


def parse_rules(source: SourceFile, known: Mapping[tuple[int, str], RecordResult] | None = None,
                kept: MutableMapping[tuple[int, str], RecordResult] | None = None,
                ) -> tuple[nodes.RuleFile, list[Diagnostic]]:
    """Parse what parses and report the rest. The names of rules whose record failed are kept, so later checks do
    not call them undefined (no cascade of false errors from one bad line).

    `known`: the records of an earlier text of the same file, by first line and text (what an earlier call put in
    `kept`), reused instead of parsed again: after an edit only the records that changed are parsed. A reused
    record's spans point into the earlier text, whose lines from that first line on were the same."""
    diagnostics: list[Diagnostic] = []
    directives: list[nodes.Directive] = []
    rules: list[nodes.RuleDef] = []
    broken: list[str] = []
    for first, end in split_records(source):
        body = "\n".join(source.lines[first - 1 : end - 1])
        key = (first, body)
        result = known.get(key) if known is not None else None
        if result is None:
            result = _parse_record(source, first, body)
        if kept is not None:
            kept[key] = result
        item, found, broken_name = result
        diagnostics.extend(found)
        if item is None:
            broken.append(broken_name)
        else:
            (directives if isinstance(item, nodes.Directive) else rules).append(item)
    return nodes.RuleFile(source, tuple(directives), tuple(rules), tuple(filter(None, broken))), diagnostics


def _parse_record(source: SourceFile, first: int, body: str) -> RecordResult:
    """One record, parsed on its own text (not padded to its place: lexing the padding made a file's parse grow with
    the square of its length); its nodes take their lines from the record's first line on."""
    text = body + "\n"
    diagnostics = TREE_TO_NODES.begin(source, first - 1)
    try:
        tree = parse_record(text)
    except UnexpectedInput as error:
        found = describe_parse_error(error, source, text, parse_record, line_offset=first - 1)
        return None, [found], _probable_name(source.lines[first - 1])
    return tree.children[0], diagnostics, ""


def _probable_name(line: str) -> str:
    """What a writer most likely meant as the rule name on a header line that did not parse."""
    head = line.strip()
    for stop in (":", "：", "(", " ", "\t", "{", "|"):
        head = head.split(stop, 1)[0]
    return head


def _merge_text(pieces: list, strip_edges: bool) -> tuple:
    """Drop blanks at the edges of an alternative (never those written as `\\ `), then merge the text."""
    if strip_edges and pieces and isinstance(pieces[0], _RawText):
        pieces[0] = _RawText(pieces[0].value.lstrip(" \t"), pieces[0].span)
    if strip_edges and pieces and isinstance(pieces[-1], _RawText):
        pieces[-1] = _RawText(pieces[-1].value.rstrip(" \t"), pieces[-1].span)
    return merge_text(pieces)


class _RawText(nodes.Text):
    """Text as typed (its edges may be stripped), as opposed to text from an escape."""


class _Record(threading.local):
    """What the transformer needs to know of the record being parsed, per thread (one parser serves them all)."""

    def __init__(self) -> None:
        self.source: SourceFile | None = None
        self.offset = 0  # lines before the record's text in its file
        self.diagnostics: list[Diagnostic] = []


class TreeToNodes(Transformer):
    """lark's reductions → `nodes`, run by the parser itself (`Lark(transformer=…)`), so no tree is built. Problems
    found here (a bad escape, a bad range) are collected, not raised. `begin` names the record about to be parsed."""

    def __init__(self) -> None:
        super().__init__()
        self._record = _Record()

    def begin(self, source: SourceFile, offset: int) -> list[Diagnostic]:
        """Parse the next record of `source`, whose text starts after `offset` lines; the list its problems go to."""
        record = self._record
        record.source, record.offset, record.diagnostics = source, offset, []
        return record.diagnostics

    @property
    def source(self) -> SourceFile:
        return self._record.source  # type: ignore[return-value]

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return self._record.diagnostics

    def _span(self, first: Token, last: Token | None = None) -> Span:
        last = last or first
        offset = self._record.offset
        return Span(self._record.source, first.line + offset, first.column, last.end_line + offset,  # type: ignore
                    last.end_column)

    @v_args(inline=True)
    def text(self, token: Token) -> _RawText:
        return _RawText(str(token), self._span(token))

    @v_args(inline=True)
    def escape(self, token: Token) -> nodes.Text:
        char = token[1]
        if char in ESCAPES:
            value = ESCAPES[char]
        elif char.isalnum():
            self.diagnostics.append(Diagnostic(
                self._span(token), f"unknown escape '\\{char}'", "unknown-escape",
                hint="write \\\\ for a backslash; \\n is a line break, \\t a tab"))
            value = ""
        else:
            value = char
        return nodes.Text(value, self._span(token))

    def modifier(self, children: list) -> nodes.Modifier:
        dot, name, *rest = children
        args = tuple((arg or "").strip() for arg in rest if not _is_punct(arg))
        last = next((tok for tok in reversed(children) if isinstance(tok, Token)), name)
        return nodes.Modifier(str(name), args, self._span(dot, last))

    @v_args(inline=True)
    def repeat(self, star: Token, count: Token) -> nodes.Repeat:
        span = self._span(star, count)
        if count.type == "FILL":
            return nodes.Repeat(1, 1, True, span)
        if count.type == "COUNT":
            low = high = int(count)
        else:
            low, high = (int(part) for part in count.split("-"))
        if low > high:
            self.diagnostics.append(Diagnostic(
                span, f"repetition range {low}-{high} runs backwards", "bad-range", hint=f"write *{high}-{low}"))
        return nodes.Repeat(min(low, high), max(low, high), False, span)

    def reference(self, children: list) -> nodes.Reference:
        lbrace, name, *middle, rbrace = children
        modifiers = tuple(child for child in middle if isinstance(child, nodes.Modifier))
        repeat = next((child for child in middle if isinstance(child, nodes.Repeat)), None)
        joiner_token = next((child for child in middle if isinstance(child, Token) and child.type == "JOINER"), None)
        joiner = _decode_joiner(joiner_token) if joiner_token is not None else ""
        return nodes.Reference(str(name), modifiers, repeat, joiner, self._span(lbrace, rbrace), self._span(name))

    @v_args(inline=True)
    def plain_reference(self, token: Token) -> nodes.Reference:
        """`{name}` read as one token: the same node as the long form makes."""
        name_span = self._inner_span(token, 1, len(token) - 1)
        return nodes.Reference(str(token)[1:-1].strip(" \t"), (), None, "", self._span(token), name_span)

    @v_args(inline=True)
    def plain_binding(self, token: Token) -> nodes.Binding:
        """`[name = plain text]` (or `:=`) read as one token: the same node as the long form makes."""
        text = str(token)
        equals = text.index("=")
        keep = text[equals - 1] == ":"
        name_end = equals - 1 if keep else equals
        value_start = equals + 1
        value_start += len(text[value_start:]) - len(text[value_start:].lstrip(" \t"))
        value = _RawText(text[value_start:-1], self._inner_span(token, value_start, len(text) - 1, strip=False))
        return nodes.Binding(text[1:name_end].strip(" \t"), (_merge_text([value], strip_edges=True),),
                             self._span(token), self._inner_span(token, 1, name_end), keep=keep)

    def _inner_span(self, token: Token, start: int, stop: int, strip: bool = True) -> Span:
        """The span of `token[start:stop]` (less its blanks with `strip`); a one-line token."""
        if strip:
            part = token[start:stop]
            start += len(part) - len(part.lstrip(" \t"))
            stop -= len(part) - len(part.rstrip(" \t"))
        line = token.line + self._record.offset  # type: ignore[operator]
        return Span(self._record.source, line, token.column + start, line, token.column + stop)  # type: ignore

    def value_choice(self, children: list) -> tuple:
        return _merge_text(list(children), strip_edges=True)

    def binding(self, children: list) -> nodes.Binding:
        lbracket, name, equals, *rest = children
        choices = tuple(child for child in rest if type(child) is tuple)  # value_choice (nodes are tuples too)
        return nodes.Binding(str(name), choices, self._span(lbracket, rest[-1]), self._span(name),
                             keep=equals.type == "KEEP_EQUALS")

    @v_args(inline=True)
    def silent(self, opener: Token, reference: nodes.Reference, closer: Token) -> nodes.Silent:
        return nodes.Silent(reference, self._span(opener, closer))

    @v_args(inline=True)
    def unbinding(self, opener: Token, name: Token, closer: Token) -> nodes.Unbinding:
        return nodes.Unbinding(str(name), self._span(opener, closer))

    def weighted_choice(self, children: list) -> nodes.Choice:
        weight_token, *pieces = children
        weight = float(weight_token.strip().strip("()").strip())
        end = pieces[-1].span if pieces else self._span(weight_token)
        start = self._span(weight_token)
        span = Span(self.source, start.line, start.column, end.end_line, end.end_column)
        return nodes.Choice(weight, _merge_text(list(pieces), strip_edges=True), span)

    def plain_choice(self, children: list) -> nodes.Choice:
        first, last = children[0].span, children[-1].span
        span = Span(self.source, first.line, first.column, last.end_line, last.end_column)
        return nodes.Choice(1.0, _merge_text(list(children), strip_edges=True), span)

    def choices(self, children: list) -> list[nodes.Choice]:
        return [child for child in children if isinstance(child, nodes.Choice)]

    @v_args(inline=True)
    def alt_line(self, choices: list) -> list[nodes.Choice]:
        return choices

    def policy(self, children: list) -> _Policy:
        """`(deck)`, `(random unique)`: at most one choice policy, and the `unique` flag."""
        words = [token for token in children if isinstance(token, Token) and token.type == "NAME"]
        unique = any(word == UNIQUE for word in words)
        choices = [word for word in words if word != UNIQUE]
        for extra in choices[1:]:
            self.diagnostics.append(Diagnostic(self._span(extra), f"a rule has one choice policy; '{choices[0]}' "
                                               f"is already given", "two-policies"))
        first = choices[0] if choices else None
        return _Policy(str(first) if first else None, self._span(first) if first else None, unique)

    def rule(self, children: list) -> nodes.RuleDef:
        name, *rest = children
        policy = _Policy(None, None, False)
        choices: list[nodes.Choice] = []
        for child in rest:
            if isinstance(child, _Policy):
                policy = child
            elif isinstance(child, list):
                choices.extend(child)
        return nodes.RuleDef(str(name), policy.name, tuple(choices), self._span(name), policy.span, policy.unique)

    def directive(self, children: list) -> nodes.Directive:
        keyword, value = children[0], (children[1] if len(children) > 1 else None)  # `@style` may stand alone
        if value is None:
            return nodes.Directive(str(keyword)[1:], "", self._span(keyword), self._span(keyword))
        blanks = len(value) - len(value.lstrip())
        whole = self._span(value)
        value_span = Span(self.source, whole.line, whole.column + blanks, whole.end_line, whole.end_column)
        return nodes.Directive(str(keyword)[1:], str(value).strip(), self._span(keyword, value), value_span)


class _Policy(NamedTuple):
    name: str | None
    span: Span | None
    unique: bool


def _is_punct(token: object) -> bool:
    return isinstance(token, Token) and token.type in ("LPAR", "RPAR", "COMMA")


def _decode_joiner(token: Token) -> str:
    body = token.strip()[1:-1]
    out, chars = [], iter(body)
    for char in chars:
        if char == "\\":
            nxt = next(chars, "")
            out.append(ESCAPES.get(nxt, nxt))
        else:
            out.append(char)
    return "".join(out)


TREE_TO_NODES = TreeToNodes()  # the one transformer, handed to the parser
