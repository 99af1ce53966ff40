"""Termination by construction: rules with no finite expansion are refused at load time with their position;
recursive rules always finish; runaway growth stops with a clear error instead of exhausting memory."""

from __future__ import annotations

import pytest

import gpbt


def test_rule_that_never_finishes_is_refused_with_its_position(load_errors):
    diagnostics = load_errors("start: {a}\na: x{b}\nb: y{a}\n")
    found = {(d.code, d.span.line, d.span.column) for d in diagnostics}
    # start only calls the stuck cycle: the cycle is reported, start is not blamed as well
    assert found == {("no-termination", 2, 1), ("no-termination", 3, 1)}


def test_self_reference_only_is_refused(load_errors):
    assert [d.code for d in load_errors("origin: {origin}\n")] == ["no-termination"]


def test_zero_weight_exit_does_not_count_as_an_exit(load_errors):
    assert [d.code for d in load_errors("a: {a}{a} | (0) end\n")] == ["no-termination"]


@pytest.mark.parametrize("policy", ["deck", "random", "no-repeat"])
def test_deeply_recursive_rule_always_finishes(make_style, policy):
    # without a depth budget this recurses forever 99% of the time
    style = make_style(f"a ({policy}): (99) ({{a}}) | x\n")
    for seed in range(20):
        text = style.generate(seed=seed)
        assert text.count("(") == text.count(")") and text.strip("()") == "x"
        assert text.count("(") <= 100


def test_mutual_recursion_through_several_rules_finishes(make_style):
    style = make_style("s: {n}\nn (random): (9) \\[{v}\\] | n\nv (random): (9) <{n}> | v\n")
    for seed in range(20):
        assert style.generate(seed=seed).strip("[]<>") in ("n", "v")


def test_binary_recursion_is_stopped_by_the_size_ceiling(make_style):
    style = make_style("a (random): (9) {a}{a}{a} | xxxxxxxxxx\n")
    with pytest.raises(gpbt.GenerationError) as info:
        style.generate(seed=1)
    assert info.value.diagnostics[0].code == "too-large"
    assert info.value.diagnostics[0].span.line == 1


def test_min_depth_beyond_the_default_budget_still_works(make_style):
    chain = "".join(f"r{i}: {{r{i + 1}}}\n" for i in range(150)) + "r150: end\n"
    assert make_style(chain).generate(seed=1) == "end"


def test_growth_hidden_in_modifiers_is_stopped_by_the_ceiling(make_style):
    """Each level joins its expansion into one piece (a modifier), so the text doubles while the pieces do not."""
    style = make_style("x (random): (9) {y.upper}{y.upper} | a\ny (random): (9) {x.lower}{x.lower} | b\n")
    with pytest.raises(gpbt.GenerationError) as info:
        style.generate(seed=1)
    assert info.value.diagnostics[0].code == "too-large"


def test_unique_retries_are_bounded_in_recursive_grammars(make_style):
    style = make_style("b (random unique): z | {c}{c}\nc (random unique): z | {b}{c}{b}\n")
    for seed in range(2):
        try:
            style.generate(seed=seed)
        except gpbt.GenerationError as error:  # the size ceiling, never a hang
            assert error.diagnostics[0].code == "too-large"


def test_a_repetition_counts_its_items_toward_the_work_bound(make_style):
    """A template that only writes text and slots counts no step (what expanded it did), so a repetition counts
    its items: nested repetitions of such a template are stopped at the repetition, however little they write."""
    style = make_style("@topic t\na: {b*0-3000}\nb: {c*0-3000}\nc (random): {t} | {t}\n")
    with pytest.raises(gpbt.GenerationError) as info:
        style.generate("", seed=1)
    assert info.value.diagnostics[0].code == "too-large"
    assert (info.value.diagnostics[0].span.line, info.value.diagnostics[0].span.column) == (3, 4)
    source = style.python_source()
    functions = {chunk.split("(", 1)[0]: chunk for chunk in source.split("\ndef ")[1:]}
    assert "ex.steps" not in functions["r2"] and "ex.steps" in functions["r1"]
