"""Choice policies as one registry (gpbt/engine/policies.py): every policy is complete, and `cycle` — added by
following docs/architecture.md — is known to generation, check, lint, stats, trace and convert alike."""

from __future__ import annotations

import math

import pytest

import gpbt
from gpbt.engine.policies import DEFAULT_POLICY, REGISTRY, Policy
from gpbt.writers.tracery_json import TraceryWriter

LIST = """doc: {item*7 ","}
item (cycle): one | two | three
"""


def test_every_policy_is_complete_and_the_default_is_one_of_them():
    assert DEFAULT_POLICY in REGISTRY
    for name, policy in REGISTRY.items():
        assert policy.name == name and policy.summary and callable(policy.draw) and callable(policy.long_run)
        assert policy.fast_path(_fake_rule(), "R0")


def test_a_policy_missing_a_part_cannot_be_built():
    with pytest.raises(TypeError):
        Policy("half", "a policy with no draw")  # type: ignore[call-arg]


def test_cycle_writes_the_alternatives_in_order_and_wraps(make_style):
    style = make_style(LIST)
    assert style.generate(seed=1) == "one,two,three,one,two,three,one"
    assert style.generate(seed=2) == style.generate(seed=1)  # no random draw


def test_cycle_starts_again_in_each_document(make_style):
    style = make_style("doc: {item}\nitem (cycle): 1 | 2\n")
    assert {style.generate(seed=seed) for seed in range(5)} == {"1"}


def test_cycle_skips_a_zero_weight_and_warns_about_other_weights(make_style):
    style = make_style('doc: {item*4 " "}\nitem (cycle): a | (0) b | (3) c\n')
    assert style.generate(seed=1) == "a c a c"
    assert [warning.code for warning in style.warnings] == ["zero-weight", "ignored-weight"]


def test_cycle_is_suggested_for_a_misspelt_policy(load_errors):
    problem, = load_errors("doc: {item}\nitem (cycel): a | b\n")
    assert problem.code == "unknown-policy" and problem.hint == "did you mean cycle?"


def test_stats_know_cycle(make_style):
    figures = make_style(LIST).stats()
    item = next(rule for rule in figures.rules if rule.name == "item")
    assert item.policy == "cycle" and item.choice_entropy == pytest.approx(math.log2(3))


def test_trace_knows_cycle(make_style):
    essay = make_style(LIST).essay(seed=1, trace=True)
    items = [span for span in essay.trace if span.get("rule") == "item"]
    assert [span["alternative"] for span in items] == [1, 2, 3, 1, 2, 3, 1]


def test_convert_approximates_cycle_for_tracery_and_names_it(make_style):
    writer = TraceryWriter(make_style(LIST).definition)
    assert writer.grammar()["item"] == ["one", "two", "three"]
    warning, = (w for w in writer.warnings if w.code == "tracery-policy")
    assert "cycle policy" in warning.message and warning.severity == "warning"


def test_a_cycle_rule_is_written_back_to_rule_text(make_style):
    from gpbt.writers.gpbt_text import GpbtWriter

    definition = make_style(LIST).definition
    assert GpbtWriter({}).rule(definition.rules["item"]).startswith("item (cycle):")


def test_cycle_near_the_depth_budget_still_finishes(make_style):
    style = make_style("a (cycle): ({a}) | x\n")
    assert style.generate(seed=1).strip("()") == "x"


def _fake_rule():
    style = gpbt.load_style_from_sources({"s.gpbt": "r (random): (2) a | b\n"})
    return style.grammar.rules[0].replace()
