"""`gpbt stats`: exact counts and lengths against brute-force enumeration, expected lengths against seeded
generation, entropy, recursion, fills, the shipped zh style, and the CLI."""

from __future__ import annotations

import itertools
import json
import math
import statistics
import sys
import time
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

import gpbt
from gpbt import nodes
from gpbt.cli.stats import register
from gpbt.engine.stats import INFINITE, RuleStats, StyleStats, rule_stats, style_stats

FIXTURES = Path(__file__).parent / "fixtures" / "stats"
SLOT_VALUE = "题"  # the topic used when enumerating; the stats are told it is 1 character long


# ---- a brute-force enumerator: every derivation of a rule, as a list of texts (one per derivation) ---------------
def enumerate_rule(definition, name: str, env: dict | None = None) -> list[str]:
    rule = definition.rules[name]
    texts: list[str] = []
    for choice in rule.choices:
        if choice.weight > 0:
            texts.extend(enumerate_template(definition, choice.pieces, env or {}))
    return texts


def enumerate_template(definition, pieces: tuple, env: dict) -> list[str]:
    if not pieces:
        return [""]
    first, rest = pieces[0], pieces[1:]
    if isinstance(first, nodes.Text):
        return [first.value + tail for tail in enumerate_template(definition, rest, env)]
    if isinstance(first, nodes.Binding):  # every combination of the values' derivations, bound for the rest
        results = []
        value_lists = [enumerate_template(definition, value, env) for value in first.choices]
        for values in itertools.product(*value_lists):
            results.extend(enumerate_template(definition, rest, {**env, first.name: list(values)}))
        return results
    if isinstance(first, nodes.Unbinding):
        return enumerate_template(definition, rest, {k: v for k, v in env.items() if k != first.name})
    assert isinstance(first, nodes.Reference)
    heads = enumerate_reference(definition, first, env)
    tails = enumerate_template(definition, rest, env)
    return [head + tail for head in heads for tail in tails]


def enumerate_reference(definition, ref: nodes.Reference, env: dict) -> list[str]:
    if ref.name in env:
        one = env[ref.name]  # a bound reference: one derivation per bound value
    elif ref.name in definition.rules:
        one = enumerate_rule(definition, ref.name, env)
    elif ref.name in definition.slots:
        one = [SLOT_VALUE]
    else:
        raise Unbound(ref.name)
    low, high = (1, 1) if ref.repeat is None else (ref.repeat.low, ref.repeat.high)
    return [ref.joiner.join(items) for k in range(low, high + 1) for items in itertools.product(one, repeat=k)]


class Unbound(Exception):
    """A bound-only name read where nothing binds it: the rule cannot be expanded on its own."""


def stats_by_name(style: gpbt.Style) -> dict[str, RuleStats]:
    return {rule.name: rule for rule in rule_stats(style.definition, slot_lengths={"topic": len(SLOT_VALUE)})}


GRAMMARS = {
    "ranges and joiners": """
a: {b*0-2 "、"}|{c*2}{b*1-3 "--"}
b: x | yy | zzz
c: p | q
""",
    "weights, zero excluded": """
a (random): (3) {b}{b} | (0) never | (0.5) w
b: (0) nope | x | yy
""",
    "nested rules": """
a: <{b}>{c} | {c}
b: {c}{c} | k
c: {d}1 | {d}22
d: m | nn | {topic}
""",
    "bindings": """
a: [h = {b}]{h}+{h} | [h = p | qq]{h}{h} | [h = z][/h]{h}
b: x | yy
h: 1 | 22 | 333
""",
    "bindings seen by other rules": """
a: [g = {b}]{c} | [g = {b}{b}]{c}{c}
b: x | yy
c: <{g}>
""",
}


@pytest.mark.parametrize("text", list(GRAMMARS.values()), ids=list(GRAMMARS))
def test_counts_and_lengths_match_enumeration(make_style, text: str) -> None:
    style = make_style(text)
    figures = stats_by_name(style)
    for name in style.definition.rules:
        try:
            texts = enumerate_rule(style.definition, name)
        except Unbound:
            continue
        rule = figures[name]
        assert rule.distinct == len(texts), name
        assert rule.min_length == min(map(len, texts)), name
        assert rule.max_length == max(map(len, texts)), name


def test_unambiguous_grammar_counts_texts(make_style) -> None:
    style = make_style("a: {b*1-3 \",\"}!\nb: x | y | z\n")
    texts = enumerate_rule(style.definition, "a")
    assert len(set(texts)) == len(texts) == stats_by_name(style)["a"].distinct == 3 + 9 + 27


def test_ambiguous_grammar_counts_derivations(make_style) -> None:
    style = make_style("a: {b}{b}\nb: x | xx\n")
    texts = enumerate_rule(style.definition, "a")
    assert stats_by_name(style)["a"].distinct == len(texts) == 4
    assert len(set(texts)) == 3  # xx, xxx, xxxx: x+xx and xx+x are one text


def test_bindings_of_different_sizes_are_an_estimate(make_style) -> None:
    """A rule that reads a name bound elsewhere counts the most values any binding gives it: here 2, so the
    first alternative counts 2·2 = 4 derivations where there are 2."""
    style = make_style("a: [g = {b}]{c} | [g = p | qq]{c}{c}\nb: x | yy\nc: <{g}>\n")
    assert len(enumerate_rule(style.definition, "a")) == 2 + 4
    assert stats_by_name(style)["a"].distinct == 4 + 4


def test_big_counts_are_exact(make_style) -> None:
    style = make_style("a: {d*40}\nd (random): 0|1|2|3|4|5|6|7|8|9\n")
    assert stats_by_name(style)["a"].distinct == 10**40


def test_expected_length_random_policy_matches_generation(make_style) -> None:
    style = make_style("doc: {a*1-3}.\na (random): (3) x | (1) yyyyy | (0) zzzzzzzzzz\n")
    expected = style_stats(style.definition).rules[0].expected_length
    assert expected == pytest.approx(2 * (0.75 * 1 + 0.25 * 5) + 1)
    mean = statistics.mean(len(style.generate(seed=seed)) for seed in range(4000))
    assert mean == pytest.approx(expected, rel=0.03)


def test_expected_length_deck_ignores_weights(make_style) -> None:
    style = make_style("doc: {a*fill \"|\"}\na: (10) x | yy | zzzzzz\n")
    assert stats_by_name(style)["a"].expected_length == pytest.approx(3)  # (1 + 2 + 6) / 3, whatever the weights
    items = [item for seed in range(20) for item in style.generate(seed=seed, length=1000).split("|")]
    assert statistics.mean(map(len, items)) == pytest.approx(3, rel=0.01)  # whole cycles, bar the last


def test_no_repeat_long_run_law(make_style) -> None:
    style = make_style("doc: {a*200}\na (no-repeat): (3) x | yy | zzz\n")
    expected = stats_by_name(style)["doc"].expected_length
    # stationary law ∝ w·(W − w): 3·2, 1·4, 1·4 → 6/14, 4/14, 4/14
    assert expected == pytest.approx(200 * (6 * 1 + 4 * 2 + 4 * 3) / 14)
    mean = statistics.mean(len(style.generate(seed=seed)) for seed in range(300))
    assert mean == pytest.approx(expected, rel=0.01)


def test_entropy_of_uniform_choice(make_style) -> None:
    style = make_style("a (random): v | w | x | y | z\nb: (9) p | q | r | s\n")
    figures = stats_by_name(style)
    assert figures["a"].choice_entropy == pytest.approx(math.log2(5))
    assert figures["a"].entropy == pytest.approx(math.log2(5))
    assert figures["b"].choice_entropy == pytest.approx(2)  # deck: uniform in the long run


def test_entropy_of_ranges_and_nesting(make_style) -> None:
    style = make_style("a: {b*2-5}\nb (random): {c} | {c}{c}\nc (random): x | y | z | w\n")
    figures = stats_by_name(style)
    assert figures["b"].entropy == pytest.approx(1 + 0.5 * 2 + 0.5 * 4)
    assert figures["a"].entropy == pytest.approx(math.log2(4) + 3.5 * figures["b"].entropy)


def test_subcritical_recursion(make_style) -> None:
    style = make_style("doc: {a}\na (random): (3) x | {a}y\n")
    figures = stats_by_name(style)
    rule = figures["a"]
    assert rule.recursive and not figures["doc"].recursive
    assert rule.distinct == INFINITE and rule.max_length == INFINITE and figures["doc"].distinct == INFINITE
    assert rule.min_length == 1
    assert rule.expected_length == pytest.approx(4 / 3)  # E = 3/4·1 + 1/4·(E + 1)
    assert rule.entropy == pytest.approx(rule.choice_entropy * 4 / 3)  # H = h + H/4
    mean = statistics.mean(len(style.generate(seed=seed)) for seed in range(4000))
    assert mean == pytest.approx(4 / 3, rel=0.03)


@pytest.mark.parametrize("text", ["a (random): x | {a}{a}\n", "a (random): x | {a}{a}{a}\n"])
def test_critical_or_supercritical_recursion_is_infinite(make_style, text: str) -> None:
    rule = stats_by_name(make_style(text))["a"]
    assert rule.expected_length == INFINITE and rule.entropy == INFINITE and rule.min_length == 1


def test_mutual_recursion(make_style) -> None:
    style = make_style("a (random): x | (3) <{b}>\nb (random): (2) y | {a}\n")
    figures = stats_by_name(style)
    assert figures["a"].recursive and figures["b"].recursive
    # a = 1/4·1 + 3/4·(2 + b), b = 2/3·1 + 1/3·a  →  a = 3, b = 5/3
    assert figures["a"].expected_length == pytest.approx(3)
    assert figures["b"].expected_length == pytest.approx(5 / 3)
    mean = statistics.mean(len(style.generate(seed=seed)) for seed in range(4000))
    assert mean == pytest.approx(3, rel=0.05)


def test_fill_and_sentences() -> None:
    style = gpbt.load_style(FIXTURES / "mini.gpbt")
    figures = style_stats(style.definition, slot_lengths={"主题": 2})
    by_name = {rule.name: rule for rule in figures.rules}
    essay = by_name["文章"]
    assert essay.distinct == INFINITE and essay.max_length == INFINITE and essay.entropy == INFINITE
    assert essay.min_length == 3 + 1  # the shortest title and a line break; the fill may write nothing
    assert figures.sentence == "句子" and figures.fill_unit == "段落"
    assert figures.distinct_sentences == 2  # the weight-0 alternative is excluded
    sentence = (14 * 1 + 18 * 2) / 3  # random: weights 1 and 2
    assert figures.sentence_length == pytest.approx(sentence)
    assert figures.unit_length == pytest.approx(2 + 4.5 * sentence + 1)
    assert figures.fixed_length == pytest.approx(1 + (3 + 5) / 2)
    assert by_name["段落"].distinct == 2**3 + 2**4 + 2**5 + 2**6
    assert by_name["句子"].low_variety  # 2 sentences for ~20 uses per essay
    named = style_stats(style.definition, sentence="标题")
    assert named.sentence == "标题" and named.distinct_sentences == 2
    with pytest.raises(ValueError):
        style_stats(style.definition, sentence="nope")


def test_silent_and_kept_bindings(make_style) -> None:
    style = make_style("a: [{set}]{他}说{他}不去。\nset: [他 := 她] | [他 := 他]\n")
    rule = stats_by_name(style)["a"]
    assert rule.distinct == 2 and rule.min_length == rule.max_length == 6


def test_sorted_by_file_and_line(make_style) -> None:
    rules = rule_stats(make_style("b: x\na: {b}\n").definition)
    assert [(r.name, r.line) for r in rules] == [("b", 1), ("a", 2)]


def test_shipped_zh_style_is_fast_and_sensible() -> None:
    style = gpbt.load_style("zh")
    started = time.perf_counter()
    figures = style_stats(style.definition)
    assert time.perf_counter() - started < 2
    assert figures.sentence == "句子" and figures.fill_unit == "正文段"
    assert isinstance(figures.distinct_sentences, int) and figures.distinct_sentences > 10**6
    assert 0 < figures.fixed_length < figures.default_length
    assert figures.units > 5
    assert all(rule.distinct > 0 and rule.min_length <= rule.expected_length for rule in figures.rules)
    assert len(figures.lowest_variety()) == 5


# ---- the command ----------------------------------------------------------------------------------------------
def app() -> click.Group:
    group = click.Group()
    register(group)
    return group


def test_cli_text_table() -> None:
    result = CliRunner().invoke(app(), ["stats", str(FIXTURES / "mini.gpbt")])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split()[:3] == ["where", "rule", "policy"]
    assert any(line.startswith("mini.gpbt:14") and line.rstrip().endswith("!") for line in lines)
    assert "sentence rule 句子: 2 distinct sentences" in result.output
    assert "lowest variety" in result.output


def test_cli_json_schema() -> None:
    result = CliRunner().invoke(app(), ["stats", str(FIXTURES / "mini.gpbt"), "--format", "json",
                                        "--sentence", "句子"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    style = data["style"]
    assert set(style) == {"name", "start", "default_length", "sentence", "distinct_sentences", "sentence_entropy",
                          "sentence_length", "fill_unit", "unit_length", "fixed_length", "units", "lowest_variety"}
    assert style["name"] == "mini" and style["distinct_sentences"] == 2
    keys = {"rule": str, "file": str, "line": int, "policy": str, "alternatives": int, "live_alternatives": int,
            "min_length": int, "max_length": (int, str), "expected_length": (float, int, str),
            "distinct": (int, str), "choice_entropy": (float, int), "entropy": (float, int, str),
            "recursive": bool, "uses": (float, int), "variety": (float, int, str, type(None)), "low_variety": bool}
    for row in data["rules"]:
        assert set(row) == set(keys)
        for key, kind in keys.items():
            assert isinstance(row[key], kind), (key, row[key])
        for key in ("max_length", "expected_length", "distinct", "entropy", "variety"):
            assert not isinstance(row[key], str) or row[key] == "infinite"
    essay = next(row for row in data["rules"] if row["rule"] == "文章")
    assert essay["distinct"] == "infinite" and essay["file"] == "mini.gpbt" and essay["line"] == 6


def test_cli_json_huge_integers(tmp_path: Path) -> None:
    path = tmp_path / "huge.gpbt"
    path.write_text("a: {d*5000}\nd (random): 0|1|2|3|4|5|6|7|8|9\n", encoding="utf-8")
    result = CliRunner().invoke(app(), ["stats", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert '"distinct": 1' + "0" * 5000 + ",\n" in result.output  # past Python's 4300-digit str limit
    assert sys.get_int_max_str_digits() in (0, 4300) if hasattr(sys, "get_int_max_str_digits") else True


def test_cli_errors(tmp_path: Path) -> None:
    result = CliRunner().invoke(app(), ["stats", str(FIXTURES / "mini.gpbt"), "--sentence", "nope"])
    assert result.exit_code == 2 and "nope" in result.output
    broken = tmp_path / "broken.gpbt"
    broken.write_text("a: {missing}\n", encoding="utf-8")
    result = CliRunner().invoke(app(), ["stats", str(broken)])
    assert isinstance(result.exception, gpbt.RuleFileError)  # the `gpbt` group renders it, exit code 1


def test_style_stats_is_plain_data() -> None:
    figures = style_stats(gpbt.load_style(FIXTURES / "mini.gpbt").definition)
    assert isinstance(figures, StyleStats)
    json.dumps(figures.to_json())
