"""The rule language's syntax: every construct parses into the right node with the right span, and every syntax
error is reported at its position in plain words (one per bad record, none invented)."""

from __future__ import annotations

import pytest
from lark import Lark, UnexpectedInput

from gpbt import nodes
from gpbt.errors import RuleFileError
from gpbt.readers.rules import TREE_TO_NODES, lark_parser, parse_record, parse_source
from gpbt.source import SourceFile
from gpbt.readers.syntax_messages import SYNTAX_ERRORS, match_example


def parse(text: str) -> nodes.RuleFile:
    return parse_source(SourceFile.from_text("t.gpbt", text))


def rule(text: str, name: str | None = None) -> nodes.RuleDef:
    rules = parse(text).rules
    return next(r for r in rules if r.name == name) if name else rules[0]


def errors(text: str) -> list[tuple[int, int, str]]:
    with pytest.raises(RuleFileError) as info:
        parse(text)
    return [(d.span.line, d.span.column, d.code) for d in info.value.diagnostics]


def test_grammar_has_no_hidden_conflicts():
    """strict=True turns silent shift/reduce resolutions and terminal collisions into errors."""
    from importlib.resources import files

    text = (files("gpbt") / "grammar" / "gpbt.lark").read_text(encoding="utf-8")
    Lark(text, parser="lalr", lexer="contextual", strict=True, start=["file", "record"], maybe_placeholders=True)


def test_whole_file_start_parses_what_records_parse():
    text = "@style x\n\n# note\na:\n    one\n    (2) two | three\nb: {a}\n"
    TREE_TO_NODES.begin(SourceFile("whole.gpbt", text), 0)
    tree = lark_parser().parse(text, start="file")  # the parser makes nodes as it goes
    assert [type(child).__name__ for child in tree.children] == ["Directive", "RuleDef", "RuleDef"]
    assert [(c.span.line, c.span.column) for c in tree.children[2].choices] == [(7, 4)]


def test_rule_with_indented_alternatives_and_inline_bar():
    r = rule("颜色: 红 | 绿\n    蓝\n  # a comment line inside\n\n    (2) 黄\n")
    assert r.name == "颜色"
    assert [c.pieces[0].value for c in r.choices] == ["红", "绿", "蓝", "黄"]
    assert [c.weight for c in r.choices] == [1, 1, 1, 2]
    assert (r.choices[3].span.line, r.choices[3].span.column) == (5, 5)


def test_names_in_any_script_and_full_width_colon():
    file = parse("名人名言：甲\nhero: b\nヒーロー-2 : c\n")
    assert [r.name for r in file.rules] == ["名人名言", "hero", "ヒーロー-2"]


def test_text_keeps_unicode_and_strips_only_alternative_edges():
    r = rule("a:   “你好”，世界！😀 #tag 100% $5   \n")
    assert r.choices[0].pieces[0].value == "“你好”，世界！😀 #tag 100% $5"


def test_escapes():
    r = rule(r"a: \{x\} \[y\] \| \\ \# \(1\)\n\t\ " + "\n")
    assert r.choices[0].pieces[0].value == "{x} [y] | \\ # (1)\n\t "


def test_escape_keeps_edge_space():
    assert rule("a: \\ x\\ \n").choices[0].pieces[0].value == " x "


def test_unknown_escape_is_an_error_at_its_position():
    assert errors("a: ok\nb: x\\qy\n") == [(2, 5, "unknown-escape")]


def test_reference_with_modifiers_repeat_and_joiner():
    ref = rule('a: 前{ b.capitalize.replace(x,) * 2-5 "、" }后\n').choices[0].pieces[1]
    assert isinstance(ref, nodes.Reference)
    assert ref.name == "b"
    assert [(m.name, m.args) for m in ref.modifiers] == [("capitalize", ()), ("replace", ("x", ""))]
    assert (ref.repeat.low, ref.repeat.high, ref.repeat.fill) == (2, 5, False)
    assert ref.joiner == "、"
    assert (ref.span.column, ref.span.end_column) == (5, 43)
    assert ref.name_span.column == 7


def test_fill_and_count_and_joiner_escapes():
    pieces = rule('a: {p*fill "\\n"}{q*3}\n').choices[0].pieces
    assert pieces[0].repeat.fill and pieces[0].joiner == "\n"
    assert (pieces[1].repeat.low, pieces[1].repeat.high) == (3, 3)


def test_binding_and_unbinding():
    pieces = rule("a: [英雄 = {人名} | 张三]{英雄}[/英雄]\n").choices[0].pieces
    binding, ref, unbinding = pieces
    assert isinstance(binding, nodes.Binding) and binding.name == "英雄"
    assert len(binding.choices) == 2 and binding.choices[1][0].value == "张三"
    assert isinstance(ref, nodes.Reference)
    assert isinstance(unbinding, nodes.Unbinding) and unbinding.name == "英雄"


def test_policy_and_weight_only_alternative():
    r = rule("a (once):\n    x\n    (3)\n")
    assert r.policy == "once" and r.policy_span.column == 4
    assert r.choices[1].weight == 3 and r.choices[1].pieces == ()


def test_directives():
    file = parse("@style 狗屁 不通\n@slot 作者 = 鲁迅\na: x\n")
    assert [(d.name, d.value) for d in file.directives] == [("style", "狗屁 不通"), ("slot", "作者 = 鲁迅")]
    assert file.directives[1].value_span.column == 7


def test_crlf_is_normalised():
    file = parse("a:\r\n    x\r\n    y\r\n")
    assert [c.pieces[0].value for c in file.rules[0].choices] == ["x", "y"]


def test_every_bad_record_reported_once_and_good_ones_kept_apart():
    text = "名字\na: {b\nc: fine\nd: x |\ne: ok\n"
    assert errors(text) == [(1, 3, "missing-colon"), (2, 6, "unclosed-reference"), (4, 7, "empty-alternative")]


def test_error_position_after_cjk_text():
    assert errors("c: 猫が{x y}\n") == [(1, 8, "bad-reference")]


@pytest.mark.parametrize("message", list(SYNTAX_ERRORS))
def test_each_friendly_message_is_chosen_for_its_own_examples(message):
    """The match_examples table: each example snippet must fail and map back to its own message."""
    for example in SYNTAX_ERRORS[message][2]:
        with pytest.raises(UnexpectedInput) as info:
            parse_record(example)
        assert match_example(info.value, example, parse_record) == message, example


def test_no_lark_internals_in_messages():
    text = "a: {b\nb (: x\nc: [x\n  x\n@\n"
    with pytest.raises(RuleFileError) as info:
        parse(text)
    rendered = info.value.render()
    for internal in ("__ANON", "$END", "Expected one of", "COLON", "_NL"):
        assert internal not in rendered


def test_kept_binding_and_silent_reference():
    pieces = rule("a: [x := 甲][{set}]\n").choices[0].pieces
    assert isinstance(pieces[0], nodes.Binding) and pieces[0].keep
    assert isinstance(pieces[1], nodes.Silent) and pieces[1].reference.name == "set"
    assert not rule("a: [x = 甲]\n").choices[0].pieces[0].keep


def test_plain_references_and_bindings_read_as_one_token_make_the_long_forms_nodes():
    """`{name}` and `[name = plain text]` are single tokens (a third of zh's tokens): the nodes, names, values and
    every span are those the token-by-token forms give, and the forms with more inside still parse as before."""
    choice = rule("a: 前{ 名 }后[x = 我的 室友 ][y:=z]{w.upper}[v = {名}|b]\n").choices[0]
    ref, after, bind, keep, long_ref, long_bind = choice.pieces[1:]
    assert (ref.name, ref.modifiers, ref.repeat, ref.joiner) == ("名", (), None, "")
    assert (ref.span.column, ref.span.end_column, ref.name_span.column, ref.name_span.end_column) == (5, 10, 7, 8)
    assert after == nodes.Text("后", after.span)
    assert (bind.name, bind.keep, bind.span.column, bind.span.end_column) == ("x", False, 11, 23)
    assert (bind.name_span.column, bind.name_span.end_column) == (12, 13)
    (value,), = bind.choices
    assert value.value == "我的 室友" and (value.span.column, value.span.end_column) == (16, 22)  # trailing blank
    # stays inside the text's span, as the long form's text token has it
    assert (keep.name, keep.keep, keep.choices[0][0].value) == ("y", True, "z")
    assert long_ref.modifiers[0].name == "upper" and long_bind.choices[1][0].value == "b"
    assert errors("a: [x = ]\n") and errors("a: {}\n")  # nothing to read as plain: errors as before
