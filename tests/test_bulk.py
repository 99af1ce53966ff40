"""Bulk runs on one machine (gpbt/bulk.py): the seed rule, streaming, shards, and worker processes that give the same
output in the same order as one process."""

from __future__ import annotations

import gc
import itertools
import weakref
from concurrent.futures import Future

import pytest

import gpbt
from conftest import FIXTURES
from gpbt.bulk import (Run, StyleRecipe, _in_order, chunk_size, essay_seed, essays_in_processes, job_count,
                       recipe_for, shard_range)

DEMO = str(FIXTURES / "demo.gpbt")


@pytest.fixture(scope="module")
def demo() -> gpbt.Style:
    return gpbt.load_style(DEMO)


def test_essay_n_of_a_run_is_the_essay_of_seed_plus_n(demo):
    run = list(demo.essays("甲方", count=4, seed=100, length=150))
    assert [essay.seed for essay in run] == [100, 101, 102, 103] == [essay_seed(100, n) for n in range(4)]
    for essay in run:  # each one regenerates alone from its topic and seed
        assert essay.text == demo.generate("甲方", seed=essay.seed, length=150)


def test_without_a_seed_one_base_seed_is_drawn_and_recorded(demo):
    run = list(demo.essays("甲方", count=3, length=100))
    base = run[0].seed
    assert [essay.seed for essay in run] == [base, base + 1, base + 2]


def test_essays_stream_and_keep_nothing(demo):
    stream = demo.essays("甲方", count=10**12, seed=1, length=100)  # never built as a list
    first = next(stream)
    seen = weakref.ref(first)
    del first
    next(stream)
    gc.collect()
    assert seen() is None


def test_a_run_counts_across_topics_like_the_command(demo):
    run = Run.of(["甲", "乙"], count=2, seed=10, length=120)
    essays = list(run.essays(demo))
    assert [(e.topic, e.seed) for e in essays] == [("甲", 10), ("甲", 11), ("乙", 12), ("乙", 13)]


@pytest.mark.parametrize("total", [0, 1, 7, 10])
@pytest.mark.parametrize("shards", [1, 2, 3, 11])
def test_shards_concatenate_to_the_run(total, shards):
    ranges = [shard_range(total, k, shards) for k in range(shards)]
    assert list(itertools.chain.from_iterable(ranges)) == list(range(total))
    assert max(map(len, ranges)) - min(map(len, ranges)) <= 1


def test_style_shards_concatenate_to_the_whole_run(demo):
    whole = [e.text for e in demo.essays("甲方", count=7, seed=3, length=120)]
    pieces = [e.text for k in range(3) for e in demo.essays("甲方", count=7, seed=3, length=120, shard=(k, 3))]
    assert pieces == whole


@pytest.mark.parametrize("shard", [(3, 3), (-1, 2), (0, 0)])
def test_a_shard_that_does_not_exist_is_a_usage_error(shard):
    with pytest.raises(gpbt.UsageError) as info:
        shard_range(10, *shard)
    assert info.value.exit_code == 2


def test_two_processes_give_the_same_essays_in_the_same_order(demo):
    run = Run.of(["甲", "乙", "丙"], count=9, seed=42, length=150, slots={"作者": "某人"})
    alone = [(e.topic, e.seed, e.text) for e in run.essays(demo)]
    for chunk in (None, 1, 4):
        spread = [(e.topic, e.seed, e.text) for e in essays_in_processes(demo, run, 2, chunk=chunk)]
        assert spread == alone


def test_processes_inherit_a_style_held_only_in_memory(make_style):
    style = make_style("@start s\ns (random): 甲 | 乙 | 丙 | 丁\n")
    run = Run.of(count=40, seed=0)
    assert [e.text for e in essays_in_processes(style, run, 2)] == [e.text for e in run.essays(style)]


def test_worker_errors_reach_the_caller(demo):
    run = Run.of(["甲"], count=6, seed=1, slots={"没有": "x"})
    with pytest.raises(gpbt.GenerationError):
        list(essays_in_processes(demo, run, 2))


def test_in_order_keeps_a_bounded_window():
    taken = 0
    most_ahead = 0
    given = []

    def orders():
        nonlocal taken, most_ahead
        for number in range(100):
            taken += 1
            most_ahead = max(most_ahead, taken - len(given))
            yield None, number

    def submit(chunk: list) -> Future:
        future: Future = Future()
        future.set_result(chunk)  # stands for the chunk's essays
        return future

    for item in _in_order(submit, orders(), 3, 4, lambda: None):
        given.append(item)
    assert [seed for _, seed in given] == list(range(100))
    assert most_ahead <= 3 * 5  # never more than the window (and one chunk being refilled) read ahead


def test_topics_may_arrive_as_the_run_goes(demo):
    topics = iter(["甲", "乙", "丙"])
    run = Run.of(topics, count=2, seed=4, length=120)
    assert run.total is None
    expected = [e.text for e in Run.of(["甲", "乙", "丙"], count=2, seed=4, length=120).essays(demo)]
    assert [e.text for e in essays_in_processes(demo, run, 2)] == expected


def test_job_count():
    assert job_count(3) == 3 and job_count(0) >= 1
    with pytest.raises(gpbt.UsageError):
        job_count(-1)
    assert chunk_size(1, 2) == 1 and chunk_size(10**6, 2) == 32 and chunk_size(None, 2) >= 1


def test_a_recipe_loads_the_same_style_again(demo):
    for recipe in (recipe_for(demo), recipe_for(demo, DEMO)):
        again = recipe.load()
        assert again.generate("甲", seed=9, length=200) == demo.generate("甲", seed=9, length=200)


def test_a_recipe_refuses_a_style_whose_files_differ(demo):
    recipe = StyleRecipe(spec=DEMO, fingerprint=recipe_for(gpbt.load_style("zh")).fingerprint)
    with pytest.raises(gpbt.UsageError) as info:
        recipe.load()
    assert info.value.diagnostics[0].code == "style-mismatch"
