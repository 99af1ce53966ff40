"""Semantic errors in rule files, through the library: each is found with its position, all of them at once, in
file order; carets follow display width. (The rendered text of every kind is in tests/test_check.py's goldens.)"""

from __future__ import annotations

import pytest

import gpbt
from conftest import FIXTURES
from gpbt.source import SourceFile, Span, display_width

BROKEN = FIXTURES / "broken"


def codes(diagnostics) -> list[tuple[str, int, int]]:
    return [(d.code, d.span.line, d.span.column) for d in diagnostics]


def test_undefined_name_with_hint(load_errors):
    [diagnostic] = load_errors("a: {名人明言}\n名人名言: x\n")
    assert (diagnostic.code, diagnostic.span.column) == ("undefined-name", 5)
    assert diagnostic.hint == "did you mean 名人名言?"


def test_duplicate_rule_points_at_both(load_errors):
    [diagnostic] = load_errors("a: x\nb: y\na: z\n")
    assert codes([diagnostic]) == [("duplicate-rule", 3, 1)]
    assert diagnostic.hint.endswith(":1:1")


def test_unknown_policy_modifier_and_arity(load_errors):
    found = codes(load_errors("a (decks): {b.capitalise}{b.replace(x)}\nb: y\n"))
    assert found == [("unknown-policy", 1, 4), ("unknown-modifier", 1, 14), ("modifier-arguments", 1, 28)]


def test_directives_are_checked(load_errors):
    found = codes(load_errors("@lenght 5\n@length x\n@style a\n@style b\n@start 无\na: x\n"))
    assert found == [("unknown-directive", 1, 1), ("bad-length", 2, 9), ("duplicate-directive", 4, 1),
                     ("undefined-start", 5, 8)]


def test_diagnostics_come_in_file_order(load_errors):
    found = codes(load_errors("a: {x}\nb (bad): y\na: z\n"))
    assert found == [("undefined-name", 1, 5), ("unknown-policy", 2, 4), ("duplicate-rule", 3, 1)]


def test_slot_and_rule_share_a_name(load_errors):
    assert codes(load_errors("@slot a\na: x\n")) == [("slot-rule-clash", 2, 1)]


def test_all_zero_weights_and_empty_fill(load_errors):
    found = codes(load_errors("a: {b}{c*fill}\nb: (0) x | (0) y\nc: {d*0-2}\nd: z\n"))
    assert ("all-zero-weights", 2, 1) in found and ("empty-fill-unit", 1, 7) in found


def test_include_cycle_and_missing_include():
    with pytest.raises(gpbt.RuleFileError) as info:
        gpbt.load_style(FIXTURES / "cycle")
    assert codes(info.value.diagnostics) == [("include-cycle", 1, 10)]
    with pytest.raises(gpbt.RuleFileError) as info:
        gpbt.load_style(BROKEN / "missing_include.gpbt")
    assert codes(info.value.diagnostics) == [("missing-include", 1, 10)]


def test_unknown_style_suggests_a_name():
    with pytest.raises(gpbt.StyleNotFoundError) as info:
        gpbt.load_style("zhh")
    assert info.value.diagnostics[0].hint == "did you mean zh?"


def test_caret_follows_display_width():
    source = SourceFile.from_text("x.gpbt", "句子: 猫が{主题 x}。\n")
    span = Span(source, 1, 11, 1, 13)
    line, caret = span.snippet().split("\n")
    assert caret == " " * display_width("句子: 猫が{主题 ") + "^~"
    assert display_width("猫が") == 4 and display_width("ab") == 2


def test_diagnostic_as_json_fields(load_errors):
    [diagnostic] = load_errors("a: {b}\n")
    record = diagnostic.as_dict()
    assert record["line"] == 1 and record["column"] == 5 and record["end_column"] == 6
    assert record["severity"] == "error" and record["code"] == "undefined-name"
