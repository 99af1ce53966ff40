"""The worker processes of a bulk run (gpbt/workers.py): what they hand back, what happens when one stops or fails,
and that no worker outlives its run, however the run ends."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import time

import pytest

import gpbt
import gpbt.workers
from conftest import DEMO
from gpbt.bulk import Run, essays_in_processes, recipe_for


needs_fork = pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(),
                                reason="the test changes the workers' code in the parent, which only a fork passes on")


def gone(pids: list[int], within: float = 30) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if not any(os.path.exists(f"/proc/{pid}") and _alive(pid) for pid in pids):
            return True
        time.sleep(0.05)
    return False


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(") ")[1][0] != "Z"  # a zombie has stopped (its parent has not reaped it)
    except OSError:
        return False


def test_chunks_larger_than_both_pipes_do_not_stall(demo):
    # a topic of 300 KB: each chunk of orders overflows the task pipe, each chunk of essays the result pipe
    run = Run.of([f"{'甲' * 100_000}{n}" for n in range(12)], count=2, seed=5, length=60)
    assert [e.text for e in essays_in_processes(demo, run, 2, chunk=3)] == [e.text for e in run.essays(demo)]


def numbered(essay: gpbt.Essay, number: int) -> tuple[int, int | None, str, int]:
    """A caller's render function (module level: a spawned worker finds it by name): the essay's number in the run,
    what was made, and which process rendered it."""
    return number, essay.seed, essay.text, os.getpid()


def test_a_render_function_runs_where_the_essays_are_made(demo):
    run = Run.of(["甲", "乙"], count=7, seed=5, length=80)
    expected = [(number, essay.seed, essay.text) for number, essay in enumerate(run.essays(demo))]
    alone = list(essays_in_processes(demo, run, 1, render=numbered))
    assert [made[:3] for made in alone] == expected and {made[3] for made in alone} == {os.getpid()}
    spread = list(essays_in_processes(demo, run, 2, chunk=3, render=numbered))  # numbers run on across chunks
    assert [made[:3] for made in spread] == expected
    assert len({made[3] for made in spread}) == 2 and os.getpid() not in {made[3] for made in spread}


def test_no_worker_is_left_after_a_run(demo):
    list(essays_in_processes(demo, Run.of(["甲"], count=40, seed=1, length=80), 2))
    assert multiprocessing.active_children() == []


def test_a_caller_that_stops_reading_stops_the_workers(demo):
    stream = essays_in_processes(demo, Run.of(["甲"], count=10**9, seed=1, length=80), 2)
    next(stream)
    workers = [child.pid for child in multiprocessing.active_children()]
    assert len(workers) == 2
    stream.close()
    assert multiprocessing.active_children() == [] and gone(workers)


@needs_fork
def test_a_worker_that_dies_is_an_error_not_a_hang(demo, monkeypatch):
    monkeypatch.setattr(gpbt.workers, "_make", lambda *arguments: os._exit(3))  # what the forked workers run
    with pytest.raises(gpbt.GenerationError) as info:
        list(essays_in_processes(demo, Run.of(["甲"], count=40, seed=1, length=80), 2))
    assert info.value.diagnostics[0].code == "worker-stopped" and "exit code 3" in str(info.value)
    assert multiprocessing.active_children() == []


@needs_fork
def test_a_bug_in_a_worker_arrives_with_its_traceback(demo, monkeypatch):
    def broken(self, style, orders):
        raise ZeroDivisionError("the bug")

    monkeypatch.setattr(Run, "make", broken)
    with pytest.raises(RuntimeError, match="(?s)a worker process failed.*ZeroDivisionError: the bug"):
        list(essays_in_processes(demo, Run.of(["甲"], count=40, seed=1, length=80), 2))


def test_workers_end_when_their_parent_is_killed():
    # the parent holds the only write end of each task pipe: when it dies, each worker reads the end and stops
    script = ("import multiprocessing, sys, gpbt\n"
              "from gpbt.bulk import Run, essays_in_processes\n"
              f"stream = essays_in_processes(gpbt.load_style({DEMO!r}), Run.of(['甲'], count=10**9, seed=1), 2)\n"
              "next(stream)\n"
              "print(*[child.pid for child in multiprocessing.active_children()], flush=True)\n"
              "for essay in stream:\n"
              "    pass\n")
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    workers = [int(pid) for pid in parent.stdout.readline().split()]
    assert len(workers) == 2
    parent.send_signal(signal.SIGKILL)
    parent.wait(timeout=30)
    parent.stdout.close()
    assert gone(workers)


def test_where_processes_cannot_fork_workers_load_the_recipe(demo, monkeypatch):
    # as on Windows: each worker is a fresh interpreter that loads the style from the recipe, its pipes handed over
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    run = Run.of(["甲", "乙"], count=5, seed=8, length=90)
    with pytest.raises(gpbt.UsageError, match="StyleRecipe"):
        list(essays_in_processes(demo, run, 2))
    made = essays_in_processes(demo, run, 2, recipe=recipe_for(demo), chunk=2, render=numbered)
    assert [item[:3] for item in made] == [(n, e.seed, e.text) for n, e in enumerate(run.essays(demo))]
    assert multiprocessing.active_children() == []
