"""Termination by construction: rules with no finite expansion are refused at load time with their position;
recursive rules always finish; runaway growth stops with a clear error instead of exhausting memory."""

from __future__ import annotations

import re

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
    """Rules that cannot write much uncounted count nothing: a repetition counts its items' work, so nested
    repetitions are stopped at the repetition, however little they write."""
    style = make_style("@topic t\na: {b*0-3000}\nb: {c*0-3000}\nc (random): {t} | {t}\n")
    with pytest.raises(gpbt.GenerationError) as info:
        style.generate("", seed=1)
    assert info.value.diagnostics[0].code == "too-large"
    assert (info.value.diagnostics[0].span.line, info.value.diagnostics[0].span.column) == (3, 4)
    functions = {chunk.split("(", 1)[0]: chunk for chunk in style.python_source().split("\ndef ")[1:]}
    assert "ex.steps" not in functions["r1"] + functions["r2"]  # only the start rule counts, once


def test_only_recursive_rules_and_rules_that_could_write_much_count_their_work(make_style):
    """A recursive rule counts each expansion, by the most templates it can write before the next count; a rule
    whose one expansion could write more than STEP_CAP templates counts; the others count nothing."""
    from gpbt.engine.reach import STEP_CAP

    doubling = "".join(f"d{n}: {{d{n + 1}}}{{d{n + 1}}}\n" for n in range(8)) + "d8: x\n"
    style = make_style(f"a (random): (9) ({{a}}{{b}}) | x\nb: [v = {{c}}]{{c}}{{v}}\nc: p | q\n{doubling}")
    source = style.python_source()
    functions = {chunk.split("(", 1)[0]: chunk for chunk in source.split("\ndef ")[1:]}
    # an expansion of a counts its template and b's most: b itself, its binding value and the c in it, and c again
    assert "ex.steps -= 5\n" in functions["r0"] and "ex.steps" not in functions["r1"] + functions["r2"]
    # the doubling rules d0-d8 are r3-r11: d2 (r5) could write 2**7 - 1 > STEP_CAP templates, so it counts; d1 and
    # d0 above it then write little before d2 counts, and d3 and below are small
    assert STEP_CAP == 64
    assert set(re.findall(r"check_size\((R\d+)\)", source)) == {"R0", "R5"}


def test_binary_recursion_without_a_cycle_is_stopped_by_the_size_ceiling(make_style):
    """Thirty rules, each writing the next twice: no rule is recursive, but the work is still bounded."""
    rules = "".join(f"d{n} (random): (99) {{d{n + 1}}}{{d{n + 1}}} | x\n" for n in range(30)) + "d30: xyz\n"
    style = make_style(rules)
    with pytest.raises(gpbt.GenerationError) as info:
        style.generate(seed=1)
    assert info.value.diagnostics[0].code == "too-large"


@pytest.mark.parametrize("spec", ["zh", "en", "ja", "tracery/test_grammar.json", "demo.gpbt"])
def test_the_steps_counted_are_never_fewer_than_the_templates_written(spec):
    """Every alternative and binding value written announces itself to a tracing document: the steps counted
    (each a bound on the templates written since the count before) cover them all."""
    from conftest import FIXTURES
    from gpbt.engine.runtime import CHECK_EVERY
    from gpbt.engine.trace import TracingDocument

    class Counting(TracingDocument):
        __slots__ = ("entered",)

        def enter(self, origin, depth):
            self.entered = getattr(self, "entered", 0) + 1
            super().enter(origin, depth)

    style = gpbt.load_style(spec if spec in ("zh", "en", "ja") else FIXTURES / spec)
    slots = {name: f"<{name}>" for name in style.definition.slots}
    for seed in range(3):
        document, _ = style.document(seed=seed, length=3000, slots=slots, document_class=Counting)
        document.run()
        assert document.work + CHECK_EVERY - document.steps >= document.entered > 0
