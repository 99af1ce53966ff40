"""The derivation tree (every rule expansion with start, end and parent) and re-rolling one part of a text."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

import gpbt
from gpbt.cli import main
from gpbt.derivation import apply_rerolls, derive, parse_rerolls, reroll

TOPIC = "学生会退会"


@pytest.fixture(scope="module", params=["zh", "en", "ja"])
def style(request) -> gpbt.Style:
    return gpbt.load_style(request.param)


@pytest.mark.parametrize("seed", [0, 1, 7])
def test_tree_text_is_the_generated_text(style, seed):
    derivation = derive(style, TOPIC, seed=seed, length=2000)
    assert derivation.text == style.generate(TOPIC, seed=seed, length=2000)
    assert "".join(span["text"] for span in derivation.spans) == derivation.text


def test_every_node_lies_inside_its_parent_and_the_root_holds_all(style):
    derivation = derive(style, TOPIC, seed=3, length=1500)
    root = derivation.nodes[0]
    assert root.parent is None and (root.start, root.end) == (0, len(derivation.text))
    assert [node.id for node in derivation.nodes] == list(range(len(derivation.nodes)))
    for node in derivation.nodes[1:]:
        parent = derivation.nodes[node.parent]
        assert parent.id < node.id and parent.start <= node.start <= node.end <= parent.end
        assert node.depth > parent.depth


def test_tree_nests_children_in_text_order(style):
    derivation = derive(style, TOPIC, seed=2, length=800)
    tree = derivation.tree()
    assert tree["rule"] == style.definition.start and tree["text"] == derivation.text

    def walk(node):
        starts = [child["start"] for child in node["children"]]
        assert starts == sorted(starts)
        for child in node["children"]:
            assert derivation.text[child["start"]:child["end"]] == child["text"]
            walk(child)

    walk(tree)


def test_sentences_do_not_overlap_and_end_like_sentences(style):
    derivation = derive(style, TOPIC, seed=4, length=2000)
    sentences = derivation.sentences()
    assert len(sentences) > 5
    for before, after in zip(sentences, sentences[1:]):
        assert before.end <= after.start
    for node in sentences:
        text = derivation.text[node.start:node.end]
        assert "\n" not in text and text.rstrip()[-1] in "。！？!?.…”」\""
        assert derivation.sentence_at(node.start).id == node.id


def test_reroll_changes_one_sentence_and_keeps_every_other_character(style):
    derivation = derive(style, TOPIC, seed=5, length=2000)
    sentences = derivation.sentences()
    target = sentences[len(sentences) // 2]
    after = reroll(style, derivation, target.id, 99)
    old = derivation.text[target.start:target.end]
    tail = len(derivation.text) - target.end
    new = after.text[target.start:len(after.text) - tail]
    assert after.text[:target.start] == derivation.text[:target.start]
    assert after.text[len(after.text) - tail:] == derivation.text[target.end:]
    assert new != old and new.strip()
    assert new.strip() not in derivation.text[:target.start] + derivation.text[target.end:]


def test_rerolls_reproduce_from_seed_and_pairs(style):
    first = derive(style, TOPIC, seed=6, length=1500)
    one = reroll(style, first, first.sentences()[2].id, 11)
    two = reroll(style, one, one.sentences()[4].id, 12)
    pairs = [(first.sentences()[2].id, 11), (one.sentences()[4].id, 12)]
    again = apply_rerolls(style, derive(style, TOPIC, seed=6, length=1500), pairs)
    assert again.text == two.text
    assert [node.as_dict() for node in again.nodes] == [node.as_dict() for node in two.nodes]
    assert again.nodes[0].end == len(again.text)


def test_reroll_refuses_the_root_and_unknown_parts():
    style = gpbt.load_style("zh")
    derivation = derive(style, TOPIC, seed=1, length=300)
    for node in (0, len(derivation.nodes), 10**6):
        with pytest.raises(gpbt.GenerationError) as info:
            reroll(style, derivation, node, 1)
        assert info.value.diagnostics[0].code == "bad-reroll"


def test_parse_rerolls():
    assert parse_rerolls("12:345,3:9") == [(12, 345), (3, 9)]
    assert parse_rerolls("") == []
    for bad in ["12", "a:1", "1:-2", "1:2:3"]:
        with pytest.raises(gpbt.GenerationError):
            parse_rerolls(bad)


def test_wall_clock_guard_stops_a_long_generation():
    style = gpbt.load_style("zh")
    with pytest.raises(gpbt.GenerationError) as info:
        style.essay(TOPIC, seed=1, length=100_000, time_limit=0)
    assert info.value.diagnostics[0].code == "too-slow"
    with pytest.raises(gpbt.GenerationError):
        derive(style, TOPIC, seed=1, length=100_000, seconds=0)
    assert style.essay(TOPIC, seed=1, length=500, time_limit=30).text == style.generate(TOPIC, seed=1, length=500)


def test_cli_trace_tree():
    result = CliRunner().invoke(main, ["generate", TOPIC, "--seed", "3", "-n", "500", "--format", "json",
                                       "--trace-tree"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)  # stderr may hold the short-target warning
    assert record["trace"]["text"] == record["text"] and record["trace"]["children"]
    result = CliRunner().invoke(main, ["generate", TOPIC, "--trace-tree"])
    assert result.exit_code == 2
