"""Bulk runs on one machine (gpbt/runs.py, gpbt/bulk.py): the seed rule, streaming, shards, and worker processes that give the same
output in the same order as one process."""

from __future__ import annotations

import gc
import itertools
import json
import os
import pty
import signal
import subprocess
import sys
import time
import weakref
from concurrent.futures import Future

import pytest
from click.testing import CliRunner

import gpbt
from conftest import DEMO
from gpbt.cli import main
from gpbt.bulk import Run, StyleRecipe, _in_order, chunk_size, essays_in_processes, job_count, recipe_for
from gpbt.runs import essay_seed, shard_range


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

    def submit(first: int, chunk: list) -> Future:
        assert chunk[0][1] == first  # each chunk comes with the number of its first essay in the run
        future: Future = Future()
        future.set_result(chunk)  # stands for the chunk's essays
        return future

    for item in _in_order(submit, orders(), 3, 4):
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


# --- the command ----------------------------------------------------------------------------------------------------

def gpbt_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "gpbt", *args]


@pytest.fixture
def cli():
    def invoke(*args: str, input: str | None = None):
        return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)

    return invoke


def test_jobs_write_the_same_bytes_in_the_same_order(cli, tmp_path):
    # workers render each essay as the command writes it; with --verbose this process renders: the same bytes
    args = ["generate", "甲", "乙", "--style", DEMO, "--seed", "3", "--count", "13", "-n", "150"]
    for output_format in ("text", "json", "jsonl"):
        alone = cli(*args, "--format", output_format)
        assert alone.exit_code == 0
        for extra in (["--jobs", "2"], ["--jobs", "0"], ["--jobs", "2", "--verbose"]):
            assert cli(*args, "--format", output_format, *extra).stdout == alone.stdout
            out = tmp_path / f"{output_format}-{len(extra)}.txt"
            assert cli(*args, "--format", output_format, *extra, "-o", str(out)).exit_code == 0
            assert out.read_text(encoding="utf-8") == alone.stdout


def test_stdout_in_another_encoding_gets_its_encoding_with_jobs():
    # a pipe that is not UTF-8 gets text through click, encoded as it asks, from workers as from one process
    command = gpbt_command("generate", "甲", "--style", DEMO, "--seed", "3", "--count", "5", "-n", "100")
    environ = {**os.environ, "PYTHONIOENCODING": "utf-16"}
    for jobs in ("1", "2"):
        made = subprocess.run([*command, "-j", jobs], capture_output=True, env=environ, check=True).stdout
        expected = subprocess.run([*command, "-j", jobs], capture_output=True, check=True).stdout.decode("utf-8")
        assert made.decode("utf-16") == expected


def test_jsonl_carries_each_essays_seed_and_number(cli, demo):
    result = cli("generate", "甲", "--style", DEMO, "--seed", "20", "--count", "3", "--format", "jsonl", "-n", "120")
    records = [json.loads(line) for line in result.output.splitlines()]
    assert [(r["index"], r["seed"]) for r in records] == [(0, 20), (1, 21), (2, 22)]
    for record in records:  # any essay of the run, regenerated alone
        assert record["text"] == demo.generate("甲", seed=record["seed"], length=120)
        assert set(record) == {"index", "topic", "seed", "style", "length", "text"}


def test_a_run_without_a_seed_records_seeds_that_remake_it(cli, demo):
    result = cli("generate", "甲", "--style", DEMO, "--count", "3", "--format", "jsonl", "-n", "120", "-j", "2")
    records = [json.loads(line) for line in result.output.splitlines()]
    assert [r["seed"] - records[0]["seed"] for r in records] == [0, 1, 2]
    assert all(r["text"] == demo.generate("甲", seed=r["seed"], length=120) for r in records)


def test_without_dask_the_scheduler_option_names_the_extra(cli, monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "distributed", None)
    out = tmp_path / "out.txt"
    result = CliRunner().invoke(main, ["generate", "甲", "--style", DEMO, "--count", "2", "--scheduler",
                                       "tcp://127.0.0.1:1", "-o", str(out)])
    assert result.exit_code == 2 and "gpbt[dask]" in result.output and not out.exists()


def peak_rss_kb(*args: str) -> int:
    probe = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, "
             "stdout=subprocess.DEVNULL); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    return int(subprocess.run([sys.executable, "-c", probe, *gpbt_command(*args)], capture_output=True,
                              text=True, check=True).stdout)


def test_memory_stays_flat_however_many_essays():
    def run(count: int) -> int:
        return peak_rss_kb("generate", "甲", "--style", DEMO, "--seed", "1", "-n", "60", "--count", str(count),
                           "--format", "jsonl")

    small, large = run(100), run(5000)
    assert large - small < 4096, (small, large)  # 50 times the essays, not even 4 MB more


def test_a_progress_bar_only_on_a_terminal_and_not_when_quiet(tmp_path):
    def stderr_on_terminal(*extra: str) -> str:
        leader, follower = pty.openpty()
        subprocess.run(gpbt_command("generate", "甲", "--style", DEMO, "--count", "150", "-n", "200", "-o",
                                    str(tmp_path / "out.txt"), *extra), stderr=follower, check=True)
        os.close(follower)
        seen = b""
        while True:
            try:
                piece = os.read(leader, 65536)
            except OSError:  # the terminal's other end is closed: all read
                break
            if not piece:
                break
            seen += piece
        os.close(leader)
        return seen.decode()

    assert "150/150" in stderr_on_terminal()
    assert stderr_on_terminal("--quiet") == ""
    piped = subprocess.run(gpbt_command("generate", "甲", "--style", DEMO, "--count", "150", "-n", "200"),
                           capture_output=True, text=True, check=True)
    assert piped.stderr == ""


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ctrl_c_stops_cleanly_and_leaves_the_output_file(tmp_path, jobs):
    out = tmp_path / "out.txt"
    out.write_text("before\n", encoding="utf-8")
    process = subprocess.Popen(gpbt_command("generate", "甲", "--style", DEMO, "--count", "10000000", "-n", "100",
                                            "-j", jobs, "-o", str(out)),
                               stderr=subprocess.PIPE, text=True, start_new_session=True,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))  # a runner may
    # have started us with Ctrl-C ignored (as a shell does for a background job); a user's shell does not
    for _ in range(600):  # until the run is writing (its temporary file exists), at most a minute
        if len(list(tmp_path.iterdir())) > 1:
            break
        time.sleep(0.1)
    os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C does: the whole foreground group
    _, stderr = process.communicate(timeout=60)
    assert process.returncode in (1, 130)  # click's 'Aborted!' or the command's own 'interrupted'
    assert "Traceback" not in stderr
    assert out.read_text(encoding="utf-8") == "before\n" and list(tmp_path.iterdir()) == [out]
