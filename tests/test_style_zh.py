"""The shipped Chinese style (rules/zh): structure, punctuation, no repetition, length, variety.

Essays are generated once per module (seeds 1..50 at 6000 characters, a few at 20000, a few other topics) and
every property is checked on every essay. The text measures live in tests/zh_measures.py, shared with
bench/variety.py. UPDATE_GOLDEN=1 rewrites tests/golden/zh_seed1.txt.
"""

from __future__ import annotations

import importlib.util
import random
import statistics
from pathlib import Path

import pytest

import gpbt
from conftest import check_golden
import zh_measures as m

TOPIC = "学生会退会"
SEEDS = range(1, 51)
LONG_SEEDS = (1, 2, 3)
OTHER_TOPICS = ("猫为什么喜欢纸箱子", "早起晨跑打卡", "月饼的甜咸之争", "人工智能会不会抢走我的饭碗")
CONCLUSION_OPENERS = ("总而言之，", "由此可见，", "综上所述，", "归根结底，", "一言以蔽之，", "总的来说，", "说到底，",
                      "千言万语汇成一句话，", "回顾全文，", "经过以上一番分析，")
# every paragraph but the last body paragraph (which the fill may cut short) stays in this range
PARAGRAPH_CHARS = (150, 500)
MAX_WINDOW_SHARE = 0.25
ORIGINAL = Path(__file__).resolve().parents[1] / "bench" / "original.py"


@pytest.fixture(scope="module")
def style() -> gpbt.Style:
    return gpbt.load_style("zh")


@pytest.fixture(scope="module")
def essays(style) -> dict[int, str]:
    return {seed: style.generate(TOPIC, seed=seed, length=6000) for seed in SEEDS}


@pytest.fixture(scope="module")
def long_essays(style) -> dict[int, str]:
    return {seed: style.generate(TOPIC, seed=seed, length=20000) for seed in LONG_SEEDS}


@pytest.fixture(scope="module")
def topic_essays(style) -> dict[str, str]:
    """Several topics, one essay each, through the API."""
    return {topic: style.generate(topic, seed=7, length=6000) for topic in OTHER_TOPICS}


def all_cases(essays, long_essays, topic_essays):
    for seed, text in essays.items():
        yield f"seed {seed}", text, TOPIC, 6000
    for seed, text in long_essays.items():
        yield f"seed {seed} at 20000", text, TOPIC, 20000
    for topic, text in topic_essays.items():
        yield f"topic {topic}", text, topic, 6000


@pytest.fixture(scope="module")
def cases(essays, long_essays, topic_essays):
    return list(all_cases(essays, long_essays, topic_essays))


# --------------------------------------------------------------------------- metadata


def test_metadata(style):
    assert style.name == "zh"
    assert style.language == "zh"
    assert style.default_length == 6000
    assert style.topic_slot == "主题"
    assert style.description
    assert not style.warnings, style.warnings


def test_default_length_is_6000(style):
    text = style.generate(TOPIC, seed=11)
    assert 6000 <= len(text) <= 6300


def test_same_seed_same_essay(style, essays):
    assert style.generate(TOPIC, seed=1, length=6000) == essays[1]
    assert essays[1] != essays[2]


# --------------------------------------------------------------------------- structure


def test_title(cases):
    for name, text, topic, _ in cases:
        title, _ = m.split_title(text)
        assert title.strip(), name
        assert title == title.strip(), f"{name}: the title is not indented: {title!r}"
        assert topic in title, f"{name}: {title!r}"
        assert title[-1] not in "。，", f"{name}: {title!r}"


def test_paragraph_shape(cases):
    for name, text, topic, _ in cases:
        paragraphs = m.split_title(text)[1]
        assert len(paragraphs) >= 3, name  # opening, body, conclusion
        assert text.endswith("\n") and not text.endswith("\n\n"), name
        for para in paragraphs:
            assert not m.is_empty_paragraph(para), f"{name}: empty paragraph {para!r}"
            assert para.startswith(m.INDENT), f"{name}: no indent: {para[:20]!r}"
            assert para[2] not in " \t\u3000", f"{name}: over-indented: {para[:20]!r}"
            assert m.ends_on_sentence_mark(para), f"{name}: paragraph ends {para[-20:]!r}"
            assert para == para.rstrip(), f"{name}: trailing space {para[-20:]!r}"


def test_topic_in_every_paragraph_first_sentence(cases):
    for name, text, topic, _ in cases:
        for para in m.split_title(text)[1]:
            first = m.sentences(para)[0]
            assert topic in first, f"{name}: first sentence without the topic: {first!r}"


def test_conclusion_opener(cases):
    for name, text, _, _ in cases:
        last = m.split_title(text)[1][-1]
        assert last[2:].startswith(CONCLUSION_OPENERS), f"{name}: {last[:30]!r}"
        for para in m.split_title(text)[1][:-1]:
            assert not para[2:].startswith(("总而言之", "综上所述")), f"{name}: concluded early: {para[:30]!r}"


def test_paragraph_lengths(cases):
    low, high = PARAGRAPH_CHARS
    for name, text, _, _ in cases:
        paragraphs = m.split_title(text)[1]
        # the last body paragraph (second to last) may be cut down to one sentence by the fill
        for para in paragraphs[:-2] + paragraphs[-1:]:
            assert low <= len(para) <= high, f"{name}: paragraph of {len(para)} characters: {para[:30]!r}"


def test_every_sentence_ends_on_a_mark(cases):
    for name, text, _, _ in cases:
        for para in m.split_title(text)[1]:
            for sentence in m.sentences(para):
                assert sentence[-1] in "。！？", f"{name}: {sentence!r}"


# --------------------------------------------------------------------------- length


def _items(paragraph: str) -> list[str]:
    """The paragraph's sentences, a question joined to the answer after it (a 设问句 is one item)."""
    items: list[str] = []
    for sentence in m.sentences(paragraph):
        if items and items[-1].endswith("？") and not sentence.endswith("？"):
            items[-1] += sentence
        else:
            items.append(sentence)
    return items


def test_length_within_one_sentence_of_the_target(cases):
    for name, text, _, target in cases:
        assert len(text) >= target, f"{name}: {len(text)} < {target}"
        items = _items(m.split_title(text)[1][-2])  # the last body paragraph, where the fill stopped
        longest = max(len(s) for s in m.sentences(text))
        # the fill never writes two items past the target: without the last two items of the last body
        # paragraph the essay is short of it
        if len(items) >= 2:
            assert len(text) - len(items[-1]) - len(items[-2]) < target, name
        assert len(text) - target <= 2 * longest + 1, name


def test_length_at_most_one_sentence_over(cases):
    """docs/language.md §4: at most one sentence over the target, plus the indent and the line break of the
    paragraph it stands in (the text before it was still short of the target)."""
    for name, text, _, target in cases:
        longest = max(len(s) for s in m.sentences(text))
        assert len(text) - target <= longest + len("　　\n") - 1, f"{name}: {len(text) - target} over"


@pytest.mark.parametrize("length", [300, 1000, 3000, 12000])
def test_other_lengths(style, length):
    for seed in (1, 2, 3):
        text = style.generate(TOPIC, seed=seed, length=length)
        assert len(text) >= length
        paragraphs = m.split_title(text)[1]
        # title, opening and conclusion are always written; when they already reach the target (at 300
        # characters), the fill writes no body paragraph, else it stops within a sentence of the target
        if len(paragraphs) > 2:
            assert len(text) - length <= max(len(s) for s in m.sentences(text)) + len("　　\n") - 1
        assert len(paragraphs) >= (2 if length < 1000 else 3)
        assert all(TOPIC in p for p in paragraphs)
        assert paragraphs[-1][2:].startswith(CONCLUSION_OPENERS)


# --------------------------------------------------------------------------- punctuation


def test_no_doubled_punctuation(cases):
    for name, text, _, _ in cases:
        assert not m.doubled_punctuation(text), f"{name}: {m.doubled_punctuation(text)[:5]}"
        for pair in ("，。", "。。", "，，", "。，", "：。", "、。", "？。", "！。"):
            assert pair not in text, f"{name}: {pair}"


def test_full_width_punctuation_only(cases):
    for name, text, _, _ in cases:
        assert m.halfwidth_punctuation(text) == 0, name
        assert ", " not in text and ". " not in text, name
        assert not any(ch in text for ch in ",.;:?!\"'()"), name
        assert "\r" not in text and "\t" not in text, name


def test_no_space_between_chinese(cases):
    for name, text, _, _ in cases:
        assert m.spaces_between_cjk(text) == 0, name
        for para in m.split_title(text)[1]:
            assert " " not in para and "\u3000" not in para[2:], f"{name}: {para[:30]!r}"


def test_quotes_are_well_formed(cases):
    for name, text, _, _ in cases:
        assert text.count("“") == text.count("”"), name
        for quote in m.quotes(text):
            assert quote and quote[-1] in "。！？", f"{name}: {quote!r}"
        for para in m.split_title(text)[1]:
            assert "：“" in para or "“" not in para, f"{name}: quote without a lead-in"


# --------------------------------------------------------------------------- no repetition


def test_no_repeated_sentence(cases):
    for name, text, _, _ in cases:
        sents = m.sentences(text)
        assert m.repeated_count(sents) == 0, f"{name}: {[s for s in set(sents) if sents.count(s) > 1]}"


def test_no_repeated_quote(cases):
    for name, text, _, _ in cases:
        quotes = m.quotes(text)
        assert len(quotes) >= 5, name
        assert m.repeated_count(quotes) == 0, f"{name}: {[q for q in set(quotes) if quotes.count(q) > 1]}"


def test_enough_quotes_in_the_pool(style):
    names = [choice for choice in style.definition.rules["名言"].choices]
    assert len(names) >= 150


def test_topics_are_separate(topic_essays):
    for topic, text in topic_essays.items():
        for other in OTHER_TOPICS:
            if other != topic and other not in topic:
                assert other not in text, f"essay on {topic} mentions {other}"


def test_topic_is_literal(style):
    topic = "{主题}[a = b]#x\\"
    text = style.generate(topic, seed=3, length=1500)
    assert text.count(topic) >= 5
    assert all(topic in p for p in m.split_title(text)[1])


# --------------------------------------------------------------------------- variety


def test_window_repeat_share(essays):
    shares = [m.window_repeat_share(text, TOPIC) for text in essays.values()]
    mean = statistics.fmean(shares)
    print(f"\nzh style: mean 8-character window repeat share over {len(shares)} essays = {mean:.3f} "
          f"(max {max(shares):.3f})")
    assert mean <= MAX_WINDOW_SHARE
    assert max(shares) <= MAX_WINDOW_SHARE


def _load_original():
    if not ORIGINAL.is_file():
        return None
    spec = importlib.util.spec_from_file_location("gpbt_bench_original", ORIGINAL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_more_varied_than_the_original(essays):
    original = _load_original()
    data = original.load_original_data() if original else None
    if data is None:
        pytest.skip("the original's data.json is not available")
    theirs = [original.generate_original(data, TOPIC, random.Random(seed)) for seed in SEEDS]
    their_share = statistics.fmean(m.window_repeat_share(text, TOPIC) for text in theirs)
    our_share = statistics.fmean(m.window_repeat_share(text, TOPIC) for text in essays.values())
    print(f"\n8-character window repeat share: zh {our_share:.3f}, original {their_share:.3f}")
    assert all(len(text) >= 6000 for text in theirs)
    assert our_share < their_share / 4


# --------------------------------------------------------------------------- golden


def test_golden_seed1(essays):
    check_golden("zh_seed1.txt", essays[1])
