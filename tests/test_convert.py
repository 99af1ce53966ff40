"""`gpbt convert`: Tracery → gpbt (same output under a seed), gpbt → Tracery, BullshitGenerator corpora → gpbt."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

import gpbt
from gpbt.cli import main
from gpbt.convert import style_to_tracery, tracery_to_gpbt
from gpbt.writers.gpbt_text import escape_text, rename_map

FIXTURES = Path(__file__).parent / "fixtures"
TRACERY = FIXTURES / "tracery" / "test_grammar.json"
SMALL = FIXTURES / "bullshit" / "small.json"
ORIGINAL = Path(__file__).resolve().parents[2] / "shared" / "ref" / "bullshitgenerator" / "data.json"
SEEDS = range(30)


def convert(*args: str):
    return CliRunner().invoke(main, ["convert", *map(str, args)])


def same_outputs(a: gpbt.Style, b: gpbt.Style, topic: str | None = None) -> None:
    assert [a.generate(topic, seed=seed) for seed in SEEDS] == [b.generate(topic, seed=seed) for seed in SEEDS]


# ---- Tracery → gpbt ----------------------------------------------------------------------------------------------
def test_tracery_to_gpbt_generates_the_same_text(tmp_path):
    result = convert(TRACERY, "-o", tmp_path / "style")
    assert result.exit_code == 0, result.output
    path = tmp_path / "style" / "test_grammar.gpbt"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Converted from the Tracery grammar test_grammar.json")
    assert "origin (random):" in text and "[hero = {name}]" in text and "# made by gpbt for the actions" in text
    same_outputs(gpbt.load_style(TRACERY), gpbt.load_style(tmp_path / "style"))


def test_renamed_symbols_and_escaped_text(tmp_path):
    grammar = {
        "origin": ["#has/has not# {#a b.capitalize#} | [#x.y#]", "\\#tag (#a b#)", "(3) x", "  spaced  "],
        "has/has not": ["has", "has not"], "a b": "c|d", "x.y": "z",
    }
    source = tmp_path / "g.json"
    source.write_text(json.dumps(grammar), encoding="utf-8")
    with pytest.raises(gpbt.RuleFileError):  # `x.y` is a symbol Tracery itself cannot reference
        gpbt.load_style(source)
    grammar["origin"][0] = "#has/has not# {#a b.capitalize#} | \\[x\\]"
    del grammar["x.y"]
    source.write_text(json.dumps(grammar), encoding="utf-8")
    text = tracery_to_gpbt(source)
    assert '# Tracery symbol "has/has not"' in text and "has-has-not (random):" in text
    assert "{has-has-not} \\{{a-b.capitalize}\\} \\| \\[x\\]" in text
    assert "    \\#tag (" in text and "    \\(3) x" in text and "    \\ \\ spaced\\ \\ " in text
    target = tmp_path / "out.gpbt"
    target.write_text(text, encoding="utf-8")
    same_outputs(gpbt.load_style(source), gpbt.load_style(target))
    assert {gpbt.load_style(target).generate(seed=s) for s in SEEDS} >= {"  spaced  ", "(3) x"}


def test_tracery_with_errors_writes_nothing(tmp_path):
    source = tmp_path / "g.json"
    source.write_text('{"origin": "#missing#"}', encoding="utf-8")
    result = convert(source, "-o", tmp_path / "out")
    assert result.exit_code == 1 and "missing" in result.output
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_escape_and_rename_helpers():
    assert escape_text("#a{b}|[c]\\", first=True) == "\\#a\\{b\\}\\|\\[c\\]\\\\"
    assert escape_text(" x ", first=True, last=True) == "\\ x\\ "
    assert escape_text("(1) a\nb\t", first=True) == "\\(1) a\\nb\\t"
    assert rename_map(["a/b", "a-b", "ok", "x y", ""]) == {"a/b": "a-b-2", "x y": "x-y", "": "rule"}


# ---- gpbt → Tracery (what is exact; approximations and --strict: tests/test_convert_export.py) --------------------
EXPORTABLE = """\
@start 开头
开头 (random):
    {name.capitalize} met {animal.a}[d := x | y]{d}{d}. {pair}
    [hero = {name}]{hero} and {hero}! {animal*3 ", "} on {topic}
    [{设定}]{them}{list}
pair (random): [who = {name}]{who}/{who}[/who]{name}
name (random): ada | bob
animal (random): owl | (2) emu
list: {name*1-2 "+"}
设定 (random): [them := one] | [them := two]
"""


def test_gpbt_to_tracery_round_trip(tmp_path):
    style_path = tmp_path / "s.gpbt"
    style_path.write_text(EXPORTABLE, encoding="utf-8")
    exported = json.loads(style_to_tracery(style_path))
    assert exported["origin"] == ["#开头#"]
    assert exported["animal"] == ["owl", "emu", "emu"]
    assert "[hero:#name#]#hero# and #hero#! #animal#, #animal#, #animal# on #topic#[hero:POP]" in exported["开头"]
    assert exported["pair"] == ["[who:#name#]#who#/#who#[who:POP]#name#"]
    assert exported["name*1-2"] == ["#name#", "#name#+#name#"]
    json_path = tmp_path / "s.json"
    json_path.write_text(json.dumps(exported, ensure_ascii=False), encoding="utf-8")
    # the added `origin` takes one draw of its own, so start where the gpbt style starts to compare
    same_outputs(gpbt.load_style(style_path), gpbt.load_style(json_path, start="开头"), topic="tea")
    assert gpbt.load_style(json_path).generate("tea", seed=1)


def test_gpbt_to_tracery_cli(tmp_path):
    path = tmp_path / "s.gpbt"
    path.write_text(EXPORTABLE, encoding="utf-8")
    result = convert(path, "--to", "tracery")
    assert result.exit_code == 0 and json.loads(result.output)["origin"] == ["#开头#"]
    assert convert(path, "-o", tmp_path / "s.json").exit_code == 0
    assert json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))["name"] == ["ada", "bob"]


# ---- BullshitGenerator corpora -------------------------------------------------------------------------------
@pytest.fixture
def small_style(tmp_path):
    def make(*options: str) -> tuple[gpbt.Style, str]:
        out = tmp_path / ("faithful" if "--faithful" in options else "default")
        result = convert(SMALL, "--from", "bullshit", "-o", out, *options)
        assert result.exit_code == 0, result.output
        return gpbt.load_style(out), (out / "small.gpbt").read_text(encoding="utf-8")

    return make


def test_bullshit_default(small_style):
    style, text = small_style()
    assert "@topic 主题" in text and "名人名言 (deck):" in text and "(81) {废话}" in text
    assert text.count("    孔子{前面垫话}，学而时习之，不亦说乎。{后面垫话}\n") == 2  # 重复度 2
    for seed in SEEDS:
        essay = style.generate("周一", seed=seed, length=400)
        assert len(essay) >= 400 and "周一" in essay and "x" not in essay
        assert ". ." not in essay and "。。" not in essay and ". " not in essay
        for paragraph in essay.rstrip("\n").split("\n"):
            assert paragraph.startswith("　　") and paragraph.endswith(("。", "？", "！"))
        for verb in re.findall(r"某人(.+?)，说了两遍(.+?)。", essay):
            assert verb[0] == verb[1]  # every `a` of one quote gets the same filler, as in the original


def test_bullshit_faithful(small_style):
    style, text = small_style("--faithful")
    assert "(5) {另起一段}" in text and "(15) {名人名言}" in text
    essays = [style.generate("周一", seed=seed, length=600) for seed in SEEDS]
    assert all(len(essay) >= 600 and "周一" in essay for essay in essays)
    joined = "".join(essays)
    assert ". \n    " in joined or ". \r\n    " in joined
    assert "是一个值得深思的问题. " in joined  # half-width punctuation and its space, as in the data
    quotes = len(re.findall("不亦说乎|不值得过|始于足下|说了两遍", joined))
    filler = len(re.findall("值得深思的问题|那么, |这样来想|如何实现|不可避免的", joined))
    assert 0.1 < quotes / (quotes + filler) < 0.3  # 15 : 81


def test_bullshit_placeholder_options(tmp_path):
    corpus = {"famous": ["甲{说}，乙。{感}"], "bosh": ["关于【题】的讨论. "], "before": ["说"], "after": ["好. "]}
    source = tmp_path / "fork.json"
    source.write_text(json.dumps(corpus, ensure_ascii=False), encoding="utf-8")
    result = convert(source, "--from", "bullshit", "-o", tmp_path / "out", "--topic-mark", "【题】",
                     "--before-mark", "{说}", "--after-mark", "{感}")
    assert result.exit_code == 0, result.output
    essay = gpbt.load_style(tmp_path / "out").generate("猫", seed=1, length=100)
    assert "关于猫的讨论。" in essay and "{" not in essay and "【" not in essay


def test_bullshit_malformed_corpus(tmp_path):
    source = tmp_path / "bad.json"
    source.write_text('{"famous": ["a"], "bosh": "x",\n "before": [1]}', encoding="utf-8")
    result = convert(source, "--from", "bullshit", "-o", tmp_path / "out")
    assert result.exit_code == 1 and "'bosh' must be a list" in result.output and "no 'after'" in result.output
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


@pytest.mark.skipif(not ORIGINAL.is_file(), reason="../shared/ref/bullshitgenerator/data.json is not present")
@pytest.mark.parametrize("options", [(), ("--faithful",)])
def test_original_corpus_converts_and_generates(tmp_path, options):
    result = convert(ORIGINAL, "--from", "bullshit", "-o", tmp_path / "style", *options)
    assert result.exit_code == 0, result.output
    style = gpbt.load_style(tmp_path / "style")
    for seed in range(5):
        essay = style.generate("学生会退会", seed=seed)
        assert len(essay) >= 6000 and essay.count("学生会退会") > 5
