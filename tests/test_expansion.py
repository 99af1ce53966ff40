"""What each construct does when expanded: weights, repetition, slots, bindings, policies, includes, modifiers."""

from __future__ import annotations

from collections import Counter

import pytest

import gpbt
from conftest import FIXTURES


def outputs(style: gpbt.Style, runs: int = 300, **kwargs) -> list[str]:
    return [style.generate(seed=seed, **kwargs) for seed in range(runs)]


def test_plain_text_and_references(make_style):
    style = make_style("a: 前{b}后\nb: 中\n")
    assert style.generate(seed=1) == "前中后"


def test_weights_set_the_odds_and_zero_never_fires(make_style):
    style = make_style("a (random): (3) x | y | (0) z\n")
    counts = Counter(outputs(style, 2000))
    assert "z" not in counts
    assert 2.4 < counts["x"] / counts["y"] < 3.7


def test_weight_only_alternative_writes_nothing(make_style):
    style = make_style("a: <{b}>\nb (random): x | (1)\n")
    assert set(outputs(style, 100)) == {"<x>", "<>"}


def test_count_range_and_joiner(make_style):
    style = make_style('a: {b*2-4 "、"}\nb (random): 甲 | 乙\n')
    sizes = Counter(len(text.split("、")) for text in outputs(style))
    assert set(sizes) == {2, 3, 4}


def test_exact_count_and_optional(make_style):
    style = make_style("a: {b*3}|{b*0-1}!\nb: x\n")
    assert set(outputs(style, 100)) == {"xxx", "!", "x!"}


def test_topic_and_slots_are_inserted_literally(make_style):
    style = make_style("@slot 城市 = 北京\n@slot 作者\na: {topic}/{城市}/{作者}\n")
    weird = "{主题}#origin#[x = y]\\"
    assert style.generate(weird, seed=1, slots={"作者": "{b}"}) == weird + "/北京/{b}"
    assert style.generate("t", seed=1, slots={"作者": "鲁迅", "城市": "上海"}) == "t/上海/鲁迅"


def test_topic_slot_can_be_renamed(make_style):
    assert make_style("@topic 主题\na: 论{主题}\n").generate("读书", seed=0) == "论读书"


def test_missing_slot_names_itself_and_points_at_the_use(make_style):
    style = make_style("@slot 作者\na: x\n  by {作者}\n")
    with pytest.raises(gpbt.GenerationError) as info:
        style.generate(seed=1)
    diagnostic = info.value.diagnostics[0]
    assert "slot '作者'" in diagnostic.message
    assert (diagnostic.span.line, diagnostic.span.column) == (3, 6)


def test_missing_topic_and_unknown_slot(make_style):
    style = make_style("a: {topic}\n")
    with pytest.raises(gpbt.GenerationError, match="the topic is used"):
        style.generate(seed=1)
    with pytest.raises(gpbt.GenerationError, match="no slot named 'city'"):
        style.generate("t", seed=1, slots={"city": "x"})


def test_unused_required_slot_is_not_demanded(make_style):
    assert make_style("@slot 作者\na: x\n").generate(seed=1) == "x"


def test_binding_is_chosen_once_and_seen_by_called_rules(make_style):
    style = make_style("a: [英雄 = {名}]{英雄}{b}\nb: ，{英雄}！\n名 (random): 甲 | 乙 | 丙\n")
    for text in outputs(style, 50):
        hero = text[0]
        assert text == f"{hero}，{hero}！"


def test_binding_set_of_alternatives(make_style):
    style = make_style("a: [d = x | y]{d*20}\n")
    seen = set("".join(outputs(style, 20)))
    assert seen == {"x", "y"}


def test_binding_scope_ends_with_its_alternative_and_restores_the_rule(make_style):
    style = make_style("a: {b}{名}\nb: [名 = 甲]{名}\n名: 乙\n")
    assert style.generate(seed=1) == "甲乙"


def test_unbinding_restores_the_outer_value(make_style):
    style = make_style("a: [x = 外]{b}{x}\nb: [x = 内]{x}[/x]{x}\n")
    assert style.generate(seed=1) == "内外外"


def test_bound_only_name_used_before_binding_is_an_error(make_style):
    style = make_style("a: {x}[x = y]\n")
    with pytest.raises(gpbt.GenerationError) as info:
        style.generate(seed=1)
    assert info.value.diagnostics[0].code == "unbound-name"
    assert info.value.diagnostics[0].span.column == 4


def test_speaker_and_saying_stay_together(make_style):
    style = make_style(
        "a: {q*6}\nq (random):\n    [人 = 孔子][话 = 仁]{引}\n    [人 = 老子][话 = 道]{引}\n引: {人}说{话}。\n")
    for text in outputs(style, 30):
        for sentence in filter(None, text.split("。")):
            assert sentence in ("孔子说仁", "老子说道")


def test_deck_deals_every_card_before_any_repeats(make_style):
    style = make_style("a: {b*fill}\nb: 1 | 2 | 3 | 4 | (2) 5 | 6\n")
    for text in outputs(style, 100, length=12):
        assert sorted(text[:6]) == list("123456")
        assert sorted(text[6:]) == list("123456")
        assert text[5] != text[6]  # a fresh deck does not start with the card just played


def test_random_policy_repeats(make_style):
    style = make_style("a: {b*6}\nb (random): 1 | 2 | 3\n")
    assert any(len(set(text)) < 3 for text in outputs(style, 100))


def test_no_repeat_never_twice_in_a_row(make_style):
    style = make_style("a: {b*30}\nb (no-repeat): 1 | 2\n")
    for text in outputs(style, 30):
        assert text in ("12" * 15, "21" * 15)


def test_once_keeps_its_first_choice_for_the_document(make_style):
    style = make_style("a: {b*10}\nb (once): 1 | 2 | 3\n")
    texts = outputs(style, 60)
    assert all(len(set(text)) == 1 for text in texts)
    assert len({text[0] for text in texts}) == 3


def test_documents_do_not_share_deck_state(make_style):
    style = make_style("a: {b}\nb: 1 | 2 | 3\n")
    assert len({style.generate(seed=7) for _ in range(5)}) == 1


def test_modifiers(make_style):
    style = make_style("a: {w.a} / {w.s} / {w.capitalize} / {w.upper} / {w.replace(o,0)} / {n.s.capitalize}\n"
                       "w: hour\nn: city\n")
    assert style.generate(seed=1) == "an hour / hours / Hour / HOUR / h0ur / Cities"


def test_modifiers_apply_to_each_repeated_item(make_style):
    style = make_style('a: {w.capitalize*3 " "}\nw (random): apple | pear\n')
    assert all(word[0].isupper() for word in style.generate(seed=3).split(" "))


def test_include_and_folder_style():
    demo = gpbt.load_style(FIXTURES / "demo.gpbt")
    assert "曾经说过" in "".join(demo.generate("t", seed=s) for s in range(10))
    assert gpbt.load_style(FIXTURES / "folder_style").generate(seed=1) == "你好，世界！"


def test_metadata():
    demo = gpbt.load_style(FIXTURES / "demo.gpbt")
    assert (demo.name, demo.language, demo.description, demo.default_length) == ("demo", "zh", "测试用的小风格", 400)


def test_shipped_style_by_name():
    style = gpbt.load_style("zh")
    assert style.language == "zh"
    assert "学生会退会" in style.generate("学生会退会", seed=1, length=500)


def test_global_random_state_is_untouched(make_style):
    import random

    style = make_style("a: {b*5}\nb (random): 1 | 2 | 3\n")
    random.seed(123)
    expected = [random.random() for _ in range(3)]
    random.seed(123)
    style.generate(seed=1)
    style.generate()
    assert [random.random() for _ in range(3)] == expected


def test_kept_binding_outlives_its_alternative_until_unbound(make_style):
    style = make_style("a: {set}{x}/{x}[/x]{x}\nset: [x := 甲]\nx: 乙\n")
    assert style.generate(seed=1) == "甲/甲乙"


def test_silent_reference_runs_for_its_bindings_and_writes_nothing(make_style):
    style = make_style("a: [{pronouns}]{they} said {they} would\npronouns: [they := she]好\n")
    assert style.generate(seed=1) == "she said she would"


def test_weights_set_the_odds_of_the_next_card_in_a_deck(make_style):
    style = make_style("a: {b*2}\nb: (9) x | y\n")
    firsts = Counter(text[0] for text in outputs(style, 2000))
    assert 0.85 < firsts["x"] / 2000 < 0.95
    assert all(sorted(text) == ["x", "y"] for text in outputs(style, 200))


def test_unique_rule_never_writes_the_same_expansion_twice(make_style):
    style = make_style('a: {s*fill " "}\ns (random unique): {x}{y}\nx (random): 1 | 2\ny (random): 3 | 4\n')
    for seed in range(30):
        text = style.generate(seed=seed, length=11)  # four two-digit sentences: all four there are
        assert sorted(text.split(" ")) == ["13", "14", "23", "24"]


def test_unique_rule_that_runs_out_still_finishes(make_style):
    style = make_style('a: {s*6 " "}\ns (random unique): x | y\n')
    words = style.generate(seed=1).split(" ")
    assert len(words) == 6 and set(words) == {"x", "y"}


def test_unique_is_a_flag_beside_one_policy(make_style, load_errors):
    assert make_style("a (unique): x\n").definition.rules["a"].unique
    rule = make_style("a (random, unique): x\n").definition.rules["a"]
    assert rule.unique and rule.policy == "random"
    assert [d.code for d in load_errors("a (deck once): x\n")] == ["two-policies"]
