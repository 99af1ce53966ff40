"""The Pygments lexer: found through its entry point, no Error token on any valid rule file or docs listing, and the
right token kind at chosen places."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pygments.lexers import get_lexer_by_name, get_lexer_for_filename
from pygments.token import Comment, Error, Keyword, Name, Number, Operator, String, Text

from gpbt import analyse_style
from gpbt.loaders import shipped_root
from gpbt.lsp.lexer import GpbtLexer

ROOT = Path(__file__).parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
VALID_FIXTURES = sorted(path for path in FIXTURES.rglob("*.gpbt") if not analyse_style(str(path)).errors)
DOC_LISTINGS = [(doc.name, block) for doc in sorted((ROOT / "docs").glob("*.md"))
                for block in re.findall(r"```gpbt\n(.*?)```", doc.read_text(encoding="utf-8"), re.DOTALL)]


def error_tokens(text: str) -> list[str]:
    return [value for token, value in GpbtLexer().get_tokens(text) if token in Error]


def test_registered_through_the_entry_point():
    assert isinstance(get_lexer_by_name("gpbt"), GpbtLexer)
    assert isinstance(get_lexer_for_filename("文章.gpbt"), GpbtLexer)


@pytest.mark.parametrize("path", sorted(shipped_root().glob("*/*.gpbt")), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_no_error_tokens_in_shipped_styles(path):
    assert error_tokens(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("path", VALID_FIXTURES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_no_error_tokens_in_valid_fixtures(path):
    assert error_tokens(path.read_text(encoding="utf-8")) == []


def test_no_error_tokens_in_the_docs_listings():
    assert len(DOC_LISTINGS) > 10
    for name, block in DOC_LISTINGS:
        assert error_tokens(block) == [], name


def test_there_are_many_valid_fixtures():
    assert len(VALID_FIXTURES) >= 5


SAMPLE = """# 注释
@slot 作者 = 鲁迅
@include common/词.gpbt
故事 (random unique):
    (3) [英雄 = {人名}]{英雄}说\\{{作者.replace(鲁,周)}{句子*2-3 "、"}{段*fill}[/英雄]
    甲 | (0.5) 乙
"""


def kind_at(text: str, needle: str, nth: int = 0) -> object:
    """The token type of the first character of the `nth` occurrence of `needle`."""
    index = -1
    for _ in range(nth + 1):
        index = text.index(needle, index + 1)
    for start, token, value in GpbtLexer().get_tokens_unprocessed(text):
        if start <= index < start + len(value):
            return token
    raise AssertionError(needle)


@pytest.mark.parametrize(("needle", "nth", "kind"), [
    ("# 注释", 0, Comment.Single),
    ("@slot", 0, Keyword.Declaration),
    ("作者", 0, Name.Variable.Global),
    ("鲁迅", 0, String),
    ("common/", 0, String),
    ("故事", 0, Name.Function),
    ("random", 0, Keyword.Type),
    ("unique", 0, Keyword.Type),
    ("(3)", 0, Number.Float),
    ("英雄", 0, Name.Variable),
    ("人名", 0, Name.Function),
    ("英雄", 1, Name.Variable),
    ("说", 0, Text),
    ("\\{", 0, String.Escape),
    ("作者", 1, Name.Variable.Global),
    ("replace", 0, Name.Attribute),
    ("2-3", 0, Number.Integer),
    ('"、"', 0, String),
    ("fill", 0, Keyword),
    ("英雄", 2, Name.Variable),
    ("|", 0, Operator),
    ("(0.5)", 0, Number.Float),
])
def test_token_kinds_at_chosen_places(needle, nth, kind):
    assert kind_at(SAMPLE, needle, nth) == kind


@pytest.mark.parametrize("text", ["", "{", "[", "a: {b", "a: [x = {y", "a (", "@", "\\", "]}|", "\x00\ud800"])
def test_any_text_lexes_without_raising(text):
    assert "".join(value for _, value in GpbtLexer().get_tokens(text)).rstrip("\n") == text.rstrip("\n")
