"""A Pygments lexer for gpbt rule files, so `pygmentize`, Sphinx, MkDocs and anything built on Pygments colour them.

Registered through the `pygments.lexers` entry point (alias `gpbt`, files `*.gpbt`). Rule names are
`Name.Function` where defined and referenced, slots `Name.Variable.Global`, bound names `Name.Variable`, modifiers
`Name.Attribute`, weights `Number`, policies `Keyword.Type`, escapes `String.Escape`, directives
`Keyword.Declaration`, comments `Comment.Single`. Whether `{name}` is a slot or a bound name is read from the
`@slot`/`@topic` directives and `[name = …]` bindings of the text being highlighted.
"""

from __future__ import annotations

import re
from typing import Iterator

from pygments.lexer import RegexLexer, bygroups, default
from pygments.token import (Comment, Keyword, Name, Number, Operator, Punctuation, String, Text, Whitespace,
                            _TokenType)

NAME = r'[^\s{}\[\]()|:：.*=,"#@\\/]+'
WEIGHT = r"\([ \t]*[0-9]+(?:\.[0-9]+)?[ \t]*\)"
SLOT_DECLARATION = re.compile(rf"^@(?:slot|topic)[ \t]+({NAME})", re.MULTILINE)
BINDING = re.compile(rf"\[[ \t]*({NAME})[ \t]*:?=")


def _reference_name(lexer: GpbtLexer, match: re.Match) -> Iterator[tuple[int, _TokenType, str]]:
    name = match.group(0)
    if name in lexer.slot_names:
        kind = Name.Variable.Global
    elif name in lexer.bound_names:
        kind = Name.Variable
    else:
        kind = Name.Function
    yield match.start(), kind, name


def _template(reference_state: str) -> list:
    """What may stand in a template: escapes, references, bindings and plain text."""
    return [
        (r"\\[^\n]", String.Escape),
        (r"\{[ \t]*", Punctuation, reference_state),
        (r"\[[ \t]*/", Punctuation, "unbinding"),
        (r"\[[ \t]*", Punctuation, "binding"),
        (r'[^{}\[\]|\\\n]+', Text),
    ]


class GpbtLexer(RegexLexer):
    """Rule files of gpbt (狗屁不通): rules, alternatives, references, bindings and directives."""

    name = "gpbt"
    aliases = ["gpbt"]
    filenames = ["*.gpbt"]
    mimetypes = ["text/x-gpbt"]
    url = "https://github.com/"
    flags = re.MULTILINE

    tokens = {
        "root": [
            (r"^[ \t]*#[^\n]*", Comment.Single),
            (r"\n", Whitespace),
            (rf"^(@slot|@topic)([ \t]+)({NAME})", bygroups(Keyword.Declaration, Whitespace, Name.Variable.Global),
             "directive-value"),
            (r"^(@include)([ \t]+)([^\n]+)", bygroups(Keyword.Declaration, Whitespace, String)),
            (r"^(@start)([ \t]+)([^\n]+)", bygroups(Keyword.Declaration, Whitespace, Name.Function)),
            (r"^(@[^\s]+)([ \t]*)([^\n]*)", bygroups(Keyword.Declaration, Whitespace, String)),
            (rf"^({NAME})([ \t]*)(\()", bygroups(Name.Function, Whitespace, Punctuation), "policy"),
            (rf"^({NAME})([ \t]*[:：][ \t]*)", bygroups(Name.Function, Punctuation), "choice-start"),
            (r"^[ \t]+", Whitespace, "choice-start"),
            (r"[ \t]*\|[ \t]*", Operator, "choice-start"),
            *_template("reference"),
        ],
        "directive-value": [
            (r"([ \t]*=[ \t]*)([^\n]*)", bygroups(Operator, String), "#pop"),
            (r"[^\n]+", String, "#pop"),
            default("#pop"),
        ],
        "policy": [
            (r"[ \t,]+", Whitespace),
            (NAME, Keyword.Type),
            (r"(\))([ \t]*[:：][ \t]*)", bygroups(Punctuation, Punctuation), ("#pop", "choice-start")),
            default("#pop"),
        ],
        "choice-start": [
            (rf"({WEIGHT})([ \t]*)", bygroups(Number.Float, Whitespace), "#pop"),
            default("#pop"),
        ],
        "reference": [
            (NAME, _reference_name),
            (rf"(\.)({NAME})(\()([^()\n{{}}]*)(\))", bygroups(Punctuation, Name.Attribute, Punctuation, String,
                                                              Punctuation)),
            (rf"(\.)({NAME})", bygroups(Punctuation, Name.Attribute)),
            (r"([ \t]*\*[ \t]*)(fill)", bygroups(Operator, Keyword)),
            (r"([ \t]*\*[ \t]*)([0-9]+(?:[ \t]*-[ \t]*[0-9]+)?)", bygroups(Operator, Number.Integer)),
            (r'[ \t]*"(?:\\.|[^"\\\n])*"', String),
            (r"[ \t]*\}", Punctuation, "#pop"),
            default("#pop"),
        ],
        "binding": [
            (rf"({NAME})([ \t]*:?=[ \t]*)", bygroups(Name.Variable, Operator), ("#pop", "binding-value")),
            (r"\{[ \t]*", Punctuation, "reference"),
            (r"[ \t]*\]", Punctuation, "#pop"),
            default("#pop"),
        ],
        "binding-value": [
            (r"[ \t]*\]", Punctuation, "#pop"),
            (r"[ \t]*\|[ \t]*", Operator),
            (r"\\[^\n]", String.Escape),
            (r"\{[ \t]*", Punctuation, "reference"),
            (r'[^{}\[\]|\\\n]+', Text),
            default("#pop"),
        ],
        "unbinding": [
            (NAME, Name.Variable),
            (r"[ \t]*\]", Punctuation, "#pop"),
            default("#pop"),
        ],
    }

    def get_tokens_unprocessed(self, text: str, stack: tuple[str, ...] = ("root",)):
        """Read the names of slots and bindings first, so references to them get their own colour."""
        self.slot_names = set(SLOT_DECLARATION.findall(text)) | {"topic"}
        self.bound_names = set(BINDING.findall(text))
        yield from super().get_tokens_unprocessed(text, stack)
