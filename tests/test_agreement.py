"""Issue 13: agreement in the three shipped styles, and English modifiers that keep a word's shape."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

import gpbt
from gpbt.modifiers import english
from gpbt.modifiers.english import capitalize, capitalize_words, is_plural, past_tense, plural

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
import agreement  # noqa: E402


def rules(lang: str) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "rules" / lang).glob("*.gpbt")))


def rule_body(text: str, name: str) -> list[str]:
    m = re.search(rf"^{re.escape(name)}(?: \([^)]*\))?:\n((?:[ \t]+.*\n?)+)", text, re.M)
    assert m, name
    return [line.strip() for line in m.group(1).splitlines() if line.strip() and not line.strip().startswith("#")]


# ---- Chinese -----------------------------------------------------------------------------------------------------
def test_zh_every_person_is_bound_with_its_pronoun():
    text = rules("zh")
    people = rule_body(text, "请教句")
    assert len(people) >= 12
    for alt in people:
        assert re.fullmatch(r"\[对象 = [^\]]+\]\[代词 = (他|她)\]\{请教\}", alt), alt
    assert {re.search("代词 = (.)", a).group(1) for a in people} == {"他", "她"}
    for name in ("请教", "请教结果"):
        for alt in rule_body(text, name):
            bare = re.sub(r"\{[^}]*\}", "", alt)
            assert "他" not in bare and "她" not in bare, f"{name}: bare pronoun for a bound person in {alt!r}"


def test_zh_no_frameless_dou_hui_and_no_shize_without_contrast():
    style = gpbt.load_style("zh")
    for seed in range(1, 31):
        counts = agreement.zh_counts(style.generate("学生会退会", seed=seed))
        assert not counts["person-pronoun"] and not counts["dou-hui"] and not counts["shize"], (seed, counts)
    text = rules("zh")
    assert not any("都会" in a for a in rule_body(text, "一次动作"))
    assert "实则蕴含着" not in text


# ---- English -----------------------------------------------------------------------------------------------------
SINGULAR = ["the internet", "time", "iPhone", "eBay", "politics", "the news", "the history of cats", "happiness",
            "social media", "iOS", "remote work", "学生会退会"]
PLURAL = ["umbrellas", "cats", "video games", "URLs", "children", "people", "freedom and responsibility",
          "cats and dogs", "iPhones", "the Olympic Games"]


@pytest.mark.parametrize("topic", SINGULAR + PLURAL)
def test_en_number_heuristic(topic):
    assert is_plural(topic) == (topic in PLURAL)


@pytest.mark.parametrize("topic", SINGULAR + PLURAL)
def test_en_every_verb_after_the_topic_agrees(topic):
    style = gpbt.load_style("en")
    plural_topic = topic in PLURAL
    for seed in range(1, 9):
        text = style.generate(topic, seed=seed, length=3000)
        assert agreement.en_counts(text, topic, plural_topic)["agreement"] == 0, (seed, text)
    if plural_topic:
        joined = "\n".join(style.generate(topic, seed=s, length=3000) for s in range(1, 9))
        assert re.search(rf"{re.escape(topic)} are\b", joined, re.I)


def test_en_number_slot_overrides_the_heuristic():
    style = gpbt.load_style("en")
    texts = "\n".join(style.generate("bread and butter", seed=s, length=3000, slots={"number": "singular"})
                      for s in range(1, 9))
    assert re.search(r"bread and butter is\b", texts, re.I)
    assert agreement.en_counts(texts, "bread and butter", False)["agreement"] == 0
    texts = "\n".join(style.generate("fish", seed=s, length=3000, slots={"number": "plural"}) for s in range(1, 9))
    assert re.search(r"\bfish are\b", texts, re.I)
    assert agreement.en_counts(texts, "fish", True)["agreement"] == 0


@pytest.mark.parametrize("topic", ["iPhone", "eBay", "iOS"])
def test_en_sentence_start_keeps_inner_capitals(topic):
    style = gpbt.load_style("en")
    text = "\n".join(style.generate(topic, seed=s, length=3000) for s in range(1, 11))
    broken = topic[0].upper() + topic[1:]
    assert broken not in text
    assert re.search(rf"(^|[.?!] ){re.escape(topic)}\b", text, re.M)


def test_en_no_stacked_connectives():
    style = gpbt.load_style("en")
    for seed in range(1, 31):
        text = style.generate("the internet", seed=seed)
        assert agreement.en_counts(text, "the internet", False)["stacked"] == 0, seed
    assert not any(re.match(r"(in this way|this, in turn|sooner or later),", c)
                   for c in rule_body(rules("en"), "claim"))


# ---- Japanese ----------------------------------------------------------------------------------------------------
def test_ja_no_stacked_connectives_calques_or_broken_clauses():
    style = gpbt.load_style("ja")
    for seed in range(1, 31):
        counts = agreement.ja_counts(style.generate("学生会退会", seed=seed))
        assert not counts["stacked"] and not counts["calque"] and not counts["no-parse"], (seed, counts)
    connectives = [c.rstrip("、") for c in rule_body(rules("ja"), "接続")]
    for alt in rule_body(rules("ja"), "一般"):
        assert not alt.startswith(tuple(connectives) + ("だからこそ", "こうして", "ここで", "遅かれ早かれ")), alt


# ---- English modifiers -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("word, expected", [
    ("McDonald", "McDonalds"), ("iPhone", "iPhones"), ("eBay", "eBays"), ("tabletop RPG", "tabletop RPGs"),
    ("URL", "URLs"), ("MBA", "MBAs"), ("X-ray", "X-rays"), ("e-mail", "e-mails"), ("BOX", "BOXES"),
    ("Wolf", "Wolves"), ("Child", "Children"),
    ("(cat)", "(cats)"), ("cat)", "cats)"), ('cat"', 'cats"'), ("cat}", "cats}"), ("cat.", "cats."),
    ("Myo{./img/myo.png}", "Myo{./img/myo.png}s"),
])
def test_plural_keeps_the_word_shape(word, expected):
    assert plural(word) == expected


@pytest.mark.parametrize("word, expected", [
    ("McDonald", "McDonalded"), ("iPhone", "iPhoned"), ("eBay", "eBayed"), ("URL", "URLed"), ("X-ray", "X-rayed"),
    ("e-mail", "e-mailed"), ("play)", "played)"), ('jump"', 'jumped"'), ("try}", "tried}"), ("stop.", "stopped."),
    ("Myo{./img/myo.png}", "Myo{./img/myo.png}ed"),
    ("give up", "gave up"), ("Bamboo Hat Kim", "Bamboo Hat Kimmed"), ("stir fry", "stir fried"), ("GO", "WENT"),
])
def test_past_tense_keeps_the_word_shape(word, expected):
    assert past_tense(word) == expected


def test_capitalize_and_capitalize_all():
    assert capitalize("iPhone, more than anything") == "iPhone, more than anything"
    assert capitalize("eBay is") == "eBay is"
    assert capitalize("“hello") == "“Hello"
    assert capitalize_words("big-city lights") == "Big-City Lights"
    assert capitalize_words("the lord of the rings") == "The Lord Of The Rings"
    assert capitalize_words("don't stop node.js") == "Don't Stop Node.js"
    assert capitalize_words("my iPhone") == "My iPhone"
    assert english.title_case("the lord of the rings") == "The Lord of the Rings"


def test_agree_modifier(make_style):
    style = make_style("@slot number = auto\ns: {n.agree(is,are)}\nn: {number} {topic}\n")
    assert style.generate("cats", seed=1) == "are"
    assert style.generate("the cat", seed=1) == "is"
    assert style.generate("fish", seed=1, slots={"number": "plural"}) == "are"
