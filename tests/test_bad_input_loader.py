"""The loader and the checker under bad input: includes stay inside the style's root unless allowed, symbolic link
loops are messages, and `check` rejects with a position everything `generate` would refuse. The analysis fixpoints
(now a worklist) give exactly what the old sweep gave."""

from __future__ import annotations

import math
import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gpbt
from bad_input_helpers import refused, run
from gpbt import nodes
from gpbt.engine import analysis
from gpbt.loaders import FileSystemLoader


def _style(folder, text: str):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "main.gpbt").write_text(text, encoding="utf-8")
    return folder


def test_absolute_include_is_refused_and_not_quoted(tmp_path):
    style = _style(tmp_path / "s", "@include /etc/passwd\n@slot 主题\ns: x {主题}\n")
    message = refused(run("check", str(style)), 1, "main.gpbt:1:10", "outside", "--include-path",
                      "[missing-include]")
    assert "root:" not in message


def test_include_that_climbs_out_is_refused_unless_allowed(tmp_path):
    (tmp_path / "outside.gpbt").write_text("w: word\n", encoding="utf-8")
    style = _style(tmp_path / "a" / "b" / "s", "@include ../../../outside.gpbt\n@slot 主题\ns: {w} {主题}\n")
    refused(run("check", str(style)), 1, "outside", "[missing-include]")
    refused(run("generate", "t", "--style", str(style)), 1, "outside")
    assert run("check", str(style), "--include-path", str(tmp_path)).exit_code == 0
    result = run("generate", "--style", str(style), "--include-path", str(tmp_path), "--set", "主题=t")
    assert result.exit_code == 0 and result.output == "word t\n"


def test_sibling_folder_of_the_style_may_be_included(tmp_path):
    _style(tmp_path / "common", "w: word\n")
    style = _style(tmp_path / "s", "@include ../common/main.gpbt\n@slot 主题\ns: {w} {主题}\n")
    assert run("check", str(style)).exit_code == 0


def test_includes_can_be_forbidden_entirely(tmp_path):
    (tmp_path / "s").mkdir()
    (tmp_path / "s" / "words.sub").write_text("w: word\n", encoding="utf-8")
    style = _style(tmp_path / "s", "@include words.sub\n@slot 主题\ns: {w} {主题}\n")
    assert run("check", str(style)).exit_code == 0
    refused(run("check", str(style), "--no-includes"), 1, "turned off")
    analysis_ = gpbt.Environment(FileSystemLoader(allow_includes=False)).analyse(str(style))
    assert any(d.code == "missing-include" for d in analysis_.errors)


def test_include_of_a_symlink_loop_is_a_message_everywhere(tmp_path):
    style = _style(tmp_path / "s", "@include loop.gpbt\n@slot 主题\ns: x {主题}\n")
    (style / "loop.gpbt").symlink_to("loop2.gpbt")
    (style / "loop2.gpbt").symlink_to("loop.gpbt")
    for command in (["check", str(style)], ["generate", "t", "--style", str(style)], ["stats", str(style)]):
        refused(run(*command), 1, "main.gpbt:1:10", "cannot read included file")


def test_style_path_that_is_a_symlink_loop_says_so(tmp_path):
    (tmp_path / "a").symlink_to("b")
    (tmp_path / "b").symlink_to("a")
    refused(run("generate", "t", "--style", str(tmp_path / "a")), 1, "symbolic link that leads nowhere")


def test_exponential_grammar_is_rejected_by_check_with_a_position(tmp_path):
    rules = tmp_path / "exp.gpbt"
    rules.write_text("@start l0\n" + "".join(f"l{i}: {{l{i + 1}}}{{l{i + 1}}}\n" for i in range(40)) + "l40: x\n",
                     encoding="utf-8")
    refused(run("check", str(rules)), 1, "exp.gpbt:23:1", "[too-large]", "'l21'")
    refused(run("generate", "t", "--style", str(rules)), 1, "[too-large]")


def test_tracery_self_expanding_push_is_rejected_by_check(tmp_path):
    grammar = tmp_path / "g.json"
    grammar.write_text('{"origin": ["[x:#x#]#x#"]}', encoding="utf-8")
    refused(run("check", str(grammar)), 1, "g.json:1:18", "[unbound-name]")
    grammar.write_text('{"origin": ["[x:a][x:#x#b]#x#"]}', encoding="utf-8")  # a first value: fine
    assert run("check", str(grammar)).exit_code == 0
    assert run("generate", "--style", str(grammar), "--seed", "1").output == "ab\n"


def _sweep(rules, choice_value):
    """The fixpoint as it was computed before the worklist: sweep every rule until nothing improves."""
    values = {name: math.inf for name in rules}
    changed = True
    while changed:
        changed = False
        for name, rule in rules.items():
            best = min((choice_value(c, values) for c in rule.choices if c.weight > 0), default=math.inf)
            if best < values[name]:
                values[name], changed = best, True
    return values


def _piece_min_length(piece, lengths, slot_lengths, bound=None) -> float:
    """The shortest text of one piece, as the analysis defined it before its linear forms: the oracle they must
    agree with."""
    if isinstance(piece, nodes.Text):
        return len(piece.value)
    if not isinstance(piece, nodes.Reference):
        return 0  # bindings write nothing
    if piece.name in lengths:
        one = lengths[piece.name]
    elif bound and piece.name in bound:  # a bound-only name: its shortest possible value
        one = min(sum(_piece_min_length(p, lengths, slot_lengths) for p in value) for value in bound[piece.name])
    else:
        one = slot_lengths.get(piece.name, 0)
    repeat = piece.repeat
    if repeat is None:
        return one
    if repeat.fill or repeat.low == 0:
        return 0
    return repeat.low * one + (repeat.low - 1) * len(piece.joiner)


def _old_lengths(rules, slot_lengths):
    bound = analysis.bound_values(rules)
    return _sweep(rules, lambda choice, lengths: sum(
        _piece_min_length(p, lengths, slot_lengths, bound) for p in choice.pieces))


def _old_heights(rules):
    return _sweep(rules, lambda choice, heights: 1 + analysis.choice_height(choice, heights))


def test_worklist_equals_the_sweep_on_shipped_styles():
    for name in gpbt.loaders.shipped_style_names():
        rules = gpbt.load_style(name).definition.rules
        assert analysis.min_heights(rules) == _old_heights(rules)
        assert analysis.min_lengths(rules, {"主题": 2}) == _old_lengths(rules, {"主题": 2})


NAMES = ["a", "b", "c", "d"]
ALTERNATIVE = st.lists(st.sampled_from(["x", "yy", "{a}", "{b}", "{c}", "{d}", "{a*2}", "[h = {b}]", "{h}",
                                        "[h = {c}{d}]"]), max_size=4).map(lambda p: "".join(p) or "z")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(ALTERNATIVE, min_size=1, max_size=3), min_size=4, max_size=4))
def test_worklist_equals_the_sweep_on_random_grammars(alternatives):
    text = "@start a\nh: fallback\n" + "".join(
        f"{name}:\n" + "".join(f"    {alt}\n" for alt in alts) for name, alts in zip(NAMES, alternatives))
    rules = gpbt.analyse_sources({"g.gpbt": text}).definition.rules
    assert analysis.min_heights(rules) == _old_heights(rules)
    assert analysis.min_lengths(rules, {}) == _old_lengths(rules, {})


def test_rule_text_past_the_ceiling_is_refused_before_reading(tmp_path):
    big = tmp_path / "big.gpbt"
    big.write_text("s: " + "字" * 400_000 + "\n", encoding="utf-8")  # 1.2 MB
    refused(run("check", str(big)), 1, "over the limit of 1 MB per style")
    refused(run("generate", "t", "--style", str(big)), 1, "over the limit")
    small = tmp_path / "s"
    small.mkdir()
    for number in range(3):  # 0.4 MB each: the style together is past the limit
        (small / f"part{number}.gpbt").write_text(f"r{number}: " + "a" * 400_000 + "\n", encoding="utf-8")
    refused(run("check", str(small)), 1, "over the limit")
    with pytest.raises(gpbt.GpbtError):
        gpbt.load_style_from_sources({"a.gpbt": "s: " + "a" * 1_100_000 + "\n"})


def test_a_fifo_as_a_style_is_refused_not_read_forever(tmp_path):
    fifo = tmp_path / "f.gpbt"
    os.mkfifo(fifo)
    refused(run("check", str(fifo)), 1, "not a regular file")


def test_a_nul_in_an_include_or_a_path_is_a_message(tmp_path):
    rules = tmp_path / "nul.gpbt"
    rules.write_text("@include a\x00b\ns: x\n", encoding="utf-8")
    refused(run("check", str(rules)), 1, "NUL character", "[missing-include]")
    refused(run("generate", "--style", "a\x00b"), 1, "NUL character")
    refused(run("generate", "t", "-o", str(tmp_path / "a\x00b")), 1, "NUL character")


def test_every_loading_command_takes_the_include_options(tmp_path):
    (tmp_path / "outside.gpbt").write_text("w: word\n", encoding="utf-8")
    style = _style(tmp_path / "a" / "b" / "s", "@include ../../../outside.gpbt\ns: {w} x\n")
    for command in ("check", "stats", "compile"):
        refused(run(command, str(style)), 1, "outside")
        assert run(command, str(style), "--include-path", str(tmp_path)).exit_code == 0
        refused(run(command, str(style), "--include-path", str(tmp_path), "--no-includes"), 1, "turned off")
