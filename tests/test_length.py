"""Target length: a fill never stops short of the target and never runs more than one innermost item over it,
counting the finished text with len() (topic, title, line breaks and a conclusion after the fill included)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

import gpbt
from conftest import FIXTURES

ESSAY = """@topic 主题
文章: {标题}\\n{段落*fill}{结尾}
标题: 论{主题}
段落: 　　{句子*3-6}\\n
句子 (random):
    {主题}很重要。
    我们必须认真思考{主题}的问题，不能掉以轻心。
    这是一个长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长的句子。
结尾: 　　总之，{主题}。\\n
"""
SENTENCES = ["{t}很重要。", "我们必须认真思考{t}的问题，不能掉以轻心。",
             "这是一个长长长长长长长长长长长长长长长长长长长长长长长长长长长长长长的句子。"]


def longest_sentence(topic: str) -> int:
    return max(len(s.format(t=topic)) for s in SENTENCES)


@settings(max_examples=150, deadline=None)
@given(target=st.integers(min_value=0, max_value=3000), seed=st.integers(0, 2**32 - 1),
       topic=st.text(min_size=1, max_size=12))
def test_fill_lands_between_target_and_one_sentence_over(tmp_path_factory, target, seed, topic):
    path = tmp_path_factory.mktemp("s") / "essay.gpbt"
    path.write_text(ESSAY, encoding="utf-8")
    text = gpbt.load_style(path).generate(topic, seed=seed, length=target)
    fixed = len(f"论{topic}\n") + len(f"　　总之，{topic}。\n")
    assert len(text) >= target
    if target > fixed:
        # at most one sentence, plus the indent that opens its paragraph and the line break that closes it, over
        assert len(text) <= target - 1 + len("　　") + longest_sentence(topic) + len("\n")


def test_conclusion_after_the_fill_is_counted_before_filling(make_style):
    style = make_style("a: {b*fill}{c}\nb: x\nc: 1234567890\n")
    assert style.generate(seed=1, length=25) == "x" * 15 + "1234567890"


def test_fill_writes_nothing_when_the_rest_already_reaches_the_target(make_style):
    style = make_style("a: 标题{b*fill}结尾\nb: x\n")
    assert style.generate(seed=1, length=3) == "标题结尾"


def test_fill_joiner_counts(make_style):
    style = make_style('a: {b*fill "--"}\nb: xx\n')
    assert style.generate(seed=1, length=9) == "xx--xx--xx"


def test_open_repetitions_stop_after_the_item_that_reached_the_target(make_style):
    style = make_style("a: {p*fill}\np: <{s*5}>\ns: abcd\n")
    assert style.generate(seed=1, length=30) == "<abcdabcdabcdabcdabcd><abcdabcd>"


def test_repetition_started_after_the_target_writes_nothing(make_style):
    style = make_style("a: {p*fill}\np: {s*2}{t*3}{u*0-3}.\ns: ss\nt: t\nu: u\n")
    assert style.generate(seed=1, length=2) == "ss."


def test_second_fill_writes_nothing(make_style):
    style = make_style("a: {b*fill}/{c*fill}\nb: x\nc: y\n")
    assert style.generate(seed=1, length=5) == "xxxx/"


def test_fill_sees_bindings_where_it_stood(make_style):
    style = make_style("a: [h = 甲 | 乙]{p*fill}\np: {h}\n")
    text = style.generate(seed=2, length=40)
    assert len(text) == 40 and set(text) <= {"甲", "乙"}


def test_fill_inside_a_modifier_is_written_on_the_spot(make_style):
    style = make_style("a: 头{b.upper}尾\nb: {c*fill}\nc: x\n")
    assert style.generate(seed=1, length=5) == "头XXXX尾"


def test_length_is_counted_on_finished_text_with_a_long_topic():
    demo = gpbt.load_style(FIXTURES / "demo.gpbt")
    topic = "一个非常非常非常长的题目" * 3
    for seed in range(20):
        text = demo.generate(topic, seed=seed, length=1500)
        assert len(text) >= 1500


def test_a_modified_reference_is_not_a_repetition_and_is_always_written(make_style):
    """Only real repetitions stop at the target; `{w.upper}` after the target is still part of its sentence."""
    style = make_style("doc: {s*fill}\ns: abcdefgh {w.upper} {w}.\\n\nw (random): x | y\n")
    text = style.generate(seed=1, length=5)
    assert text[:9] == "abcdefgh " and text[9] in "XY" and text[10] == " " and text.endswith(".\n")
