"""Plain-language syntax errors, as lark does for its own grammar files (`GRAMMAR_ERRORS` + `match_examples`).

Each message is paired with small broken records that fail in the same parser state; lark re-parses them and picks
the message whose example fails like the author's text. A test checks that every example maps to its own message.
"""

from __future__ import annotations

from typing import Callable

from lark import UnexpectedCharacters, UnexpectedInput, UnexpectedToken

from ..errors import Diagnostic
from ..source import SourceFile, Span

# message -> (code, hint, examples)
SYNTAX_ERRORS: dict[str, tuple[str, str | None, list[str]]] = {
    "a rule name must be followed by ':'": (
        "missing-colon",
        "write the rule as 'name:' and put its alternatives on the indented lines below",
        ["名字\n", "hero is brave\n", "名字 (deck)\n", "名字 (deck) x\n"],
    ),
    "an alternative line must belong to a rule": (
        "orphan-alternative",
        "indented lines list a rule's alternatives; start the rule with 'name:' on an unindented line",
        ["  孤零零的一行\n"],
    ),
    "unclosed reference: '{' needs a matching '}'": (
        "unclosed-reference",
        "write \\{ for a literal brace",
        ["a: {b\n", "a: x{b.c\n", "a: {b*3\n", "a: {b.c(d\n", "a: {b*3 \"x\"\n", "a: {b*3-6\\n\n", "a: {b\\n\n"],
    ),
    "'}' without a matching '{'": (
        "unmatched-brace",
        "write \\} for a literal brace",
        ["a: b}\n", "a: }\n", "a: x\n  }\n"],
    ),
    "expected a rule or slot name after '{'": (
        "missing-reference-name",
        "write \\{ for a literal brace",
        ["a: {}\n", "a: {*3}\n", "a: {.x}\n", "a: {\"x\"}\n"],
    ),
    "unexpected character inside a reference": (
        "bad-reference",
        "a reference looks like {name}, {name.modifier}, {name*3-6} or {name*fill \"joiner\"}",
        ["a: {b c}\n", "a: {b:c}\n", "a: {b=c}\n", "a: {b*3-6 x}\n", "a: {b.c d}\n"],
    ),
    "a repetition needs a count, a range such as 3-6, or 'fill'": (
        "bad-repetition",
        None,
        ["a: {b*}\n", "a: {b*x}\n", "a: {b*-1}\n"],
    ),
    "a modifier needs a name after '.'": (
        "missing-modifier-name",
        None,
        ["a: {b.}\n", "a: {b..c}\n", "a: {b.*2}\n"],
    ),
    "unclosed modifier arguments: '(' needs a matching ')'": (
        "unclosed-arguments",
        None,
        ["a: {b.c(d}\n", "a: {b.c(d,e}\n"],
    ),
    "unclosed binding: '[' needs a matching ']'": (
        "unclosed-binding",
        "write \\[ for a literal bracket",
        ["a: [x = y\n", "a: [x = {y}\n", "a: [x = y | z\n"],
    ),
    "a binding looks like [name = value]": (
        "bad-binding",
        "write \\[ for a literal bracket",
        ["a: [x]\n", "a: [= y]\n", "a: [x y]\n", "a: []\n", "a: [x = ]\n", "a: [x = [y = z]]\n"],
    ),
    "']' without a matching '['": (
        "unmatched-bracket",
        "write \\] for a literal bracket",
        ["a: x]\n", "a: ]\n"],
    ),
    "'[/' must be followed by a bound name and ']'": (
        "bad-unbinding",
        None,
        ["a: [/]\n", "a: [/x\n", "a: [/x y]\n"],
    ),
    "empty alternative between '|' separators": (
        "empty-alternative",
        "remove the extra '|', or write a weight alone, such as (1), for an alternative that writes nothing",
        ["a: x |\n", "a: | x\n", "a: x || y\n", "a: x\n  | y\n"],
    ),
    "a policy looks like (deck), (random), (no-repeat) or (once), and may add unique: (random unique)": (
        "bad-policy-syntax",
        None,
        ["a (: x\n", "a (): x\n", "a (deck: x\n", "a (deck,): x\n"],
    ),
    "a directive needs a name after '@'": (
        "bad-directive",
        None,
        ["@\n"],
    ),
}

SYNTAX_CHARACTERS = set("{}[]()|:：.*=,\"@\\/ \t")

TOKEN_WORDS = {
    "_NL": "the end of the line", "$END": "the end of the file", "_NEXT_LINE": "the end of the line",
    "NAME": "a name", "COLON": "':'", "LPAR": "'('", "RPAR": "')'", "WEIGHT": "a weight such as (3)",
    "BAR": "'|'", "TEXT": "text", "ESCAPE": "an escape", "LBRACE": "'{'", "RBRACE": "'}'", "DOT": "'.'",
    "ARG": "an argument", "COMMA": "','", "STAR": "'*'", "COUNT": "a count", "RANGE": "a range",
    "FILL": "'fill'", "JOINER": "a quoted joiner", "LBRACKET": "'['", "RBRACKET": "']'", "EQUALS": "'='",
    "UNBIND": "'[/'", "DIRECTIVE": "a directive", "DIRECTIVE_VALUE": "a value",
    "PLAIN_REFERENCE": "'{'", "PLAIN_BINDING": "'['",  # `{name}` and `[name = text]` read whole: named by how they open
}


def describe_parse_error(
    error: UnexpectedInput, source: SourceFile, text: str, parse: Callable[[str], object], line_offset: int = 0
) -> Diagnostic:
    """Turn lark's exception into a diagnostic that names the mistake in the author's terms. `text` was parsed on
    its own; its first line is line `line_offset + 1` of `source`."""
    message = match_example(error, text, parse)
    line, column = error.line, error.column
    width = 1
    if isinstance(error, UnexpectedToken):
        token = error.token
        if token.type == "$END" or line < 1:
            line = len(text.rstrip("\n").split("\n"))
            column = len(text.rstrip("\n").split("\n")[-1]) + 1
        else:
            width = max(len(str(token).split("\n")[0]), 1)
            if token.type in ("_NL", "_NEXT_LINE"):  # report at the end of the line, not the start of the next one
                line = token.line
                column = token.column
                width = 1
    line += line_offset
    span = Span(source, line, column, line, column + width)
    if message:
        code, hint, _ = SYNTAX_ERRORS[message]
        return Diagnostic(span, message, code, hint=hint)
    return Diagnostic(span, _generic_message(error), "syntax")


def _state_key(error: UnexpectedInput) -> object:
    return getattr(error.state, "position", error.state)


def _what_failed(error: UnexpectedInput) -> str:
    """The kind of character the parser could not place: a line end, a piece of syntax, or ordinary text. (Not the
    token type: when the contextual lexer finds nothing allowed, lark re-lexes with every terminal, and the catch-all
    ones then name almost anything.)"""
    token = getattr(error, "token", None)
    if token is None:
        char = getattr(error, "char", "") or ""
    else:
        char = "" if token.type == "$END" else str(token).lstrip(" \t")[:1]
    if char in ("", "\n"):
        return "end"
    return char if char in SYNTAX_CHARACTERS else "text"


def match_example(error: UnexpectedInput, text: str, parse: Callable[[str], object]) -> str | None:
    """lark's `match_examples` idea, keyed on the LALR state alone.

    lark's own version also compares the depth of the parser stack, which depends on how much text came before the
    mistake on the same line, so `猫{x y}` would not match the example `{b c}`. Examples get the same leading line
    breaks as the failing record. An example failing on the same token type wins over a plain state match."""
    padding = text[: len(text) - len(text.lstrip("\n"))][:1]
    found = _what_failed(error)
    candidate = None
    for message, (_code, _hint, examples) in SYNTAX_ERRORS.items():
        for example in examples:
            try:
                parse(padding + example)
            except UnexpectedInput as other:
                if type(other) is not type(error) or _state_key(other) != _state_key(error):
                    continue
                if _what_failed(other) == found:
                    return message
                candidate = candidate or message
    return candidate


def _generic_message(error: UnexpectedInput) -> str:
    if isinstance(error, UnexpectedCharacters):
        found = repr(error.char)
        expected = error.allowed or set()
    elif isinstance(error, UnexpectedToken):
        found = TOKEN_WORDS.get(error.token.type, repr(str(error.token)))
        expected = error.accepts or error.expected
    else:
        return "syntax error"
    words = sorted({TOKEN_WORDS.get(name, name.lower()) for name in expected})
    return f"unexpected {found}; expected " + (", ".join(words) if words else "something else")
