"""Bulk generation: essays per second with 1 and N worker processes, and peak memory of streamed runs.

    python bench/bench_bulk.py [--essays 3000] [--rounds 5] [--jobs 2] [--command 20000] [--command-rounds 3]
                               [--memory 1000,100000] [--length CHARS]

Throughput: the same run (one topic, --essays essays, seed 1) through `gpbt.bulk.essays_in_processes` with 1 job
and with --jobs jobs, the two alternating round by round (workers' start included), every essay rendered as the
command renders JSON Lines for a file (as UTF-8, where the essay is made) and written to a temporary file. It
prints, per contender, the median wall-clock essays/s and the CPU seconds spent (this process, and its reaped
workers); then two ratios of N jobs against 1: the wall-clock one (what a user sees; it swings when other
programs share the machine, so the load average is printed beside it) and a CPU-time one that swings less: the
CPU time one job needs, over the shortest time N jobs could take given the CPU they spent (all of it spread over
the cores, and never less than the parent's or one worker's share), paired round by round.

Ceilings: the same comparison for work that hands nothing over, in 1 and in N processes at once: a pure-Python
loop (what the machine gives N processes at that moment; a VM's cores may share a physical core), and the run's
own essays, each process making its share and keeping it (what the machine gives this work, which reads more
memory than the loop: the most any way of handing essays back could reach).

Whole command: `gpbt generate TOPIC --count N --seed 1 --format jsonl -o FILE` with --jobs 1 and N, alternating
(--command essays each, --command-rounds rounds): what a user's long run sees, output file included. It prints the
wall-clock ratio of essays per second and the CPU-time one (one job's CPU over N jobs' CPU spread over the cores).

Memory: `gpbt generate TOPIC --count N --seed 1 --format jsonl -o FILE` (a temporary file) as a whole process for each N of
--memory, printing the peak resident set of the largest process of the run (the command, or one worker).
"""

from __future__ import annotations

import argparse
import functools
import os
import statistics
import tempfile
import subprocess
import sys
import time

import gpbt
from gpbt.bulk import Run, essays_in_processes, job_count
from gpbt.cli.bulk_run import utf8_piece

TOPIC = "学生会退会"
RENDER = functools.partial(utf8_piece, output_format="jsonl", separator="\n")  # what `--format jsonl -o FILE` writes


def timed_run(style: gpbt.Style, run: Run, jobs: int) -> tuple[float, float, float]:
    """Wall seconds, this process's CPU seconds and its reaped children's CPU seconds for one whole run."""
    with tempfile.TemporaryFile() as sink:
        before, wall = os.times(), time.perf_counter()
        sink.writelines(essays_in_processes(style, run, jobs, render=RENDER))
        after, wall = os.times(), time.perf_counter() - wall
    parent = after.user - before.user + after.system - before.system
    children = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return wall, parent, children


def throughput(style_name: str, essays: int, rounds: int, jobs: int, length: int | None) -> None:
    style = gpbt.load_style(style_name)
    run = Run.of([TOPIC], count=essays, seed=1, length=length)
    list(run.essays(style, range(min(20, essays))))  # warm: the generated functions exist before any fork
    results: dict[int, list[tuple[float, float, float]]] = {1: [], jobs: []}
    for _ in range(rounds):
        for contender in (1, jobs):
            results[contender].append(timed_run(style, run, contender))
    walls = {n: statistics.median(r[0] for r in rows) for n, rows in results.items()}
    for n, rows in results.items():
        parent = statistics.median(r[1] for r in rows)
        children = statistics.median(r[2] for r in rows)
        print(f"{n} job{'s' * (n > 1)}: {essays / walls[n]:8.1f} essays/s wall   CPU: {parent:6.2f} s here "
              f"+ {children:6.2f} s in workers  ({(parent + children) / essays * 1000:.2f} ms per essay)")
    wall_ratios = [one[0] / many[0] for one, many in zip(results[1], results[jobs])]
    cores = min(jobs, job_count(0))
    cpu_ratios = [(one[1] + one[2]) / max((many[1] + many[2]) / cores, many[1], many[2] / jobs)
                  for one, many in zip(results[1], results[jobs])]
    print(f"{jobs} jobs / 1 job, wall clock:  {statistics.median(wall_ratios):.2f}x  "
          f"(rounds: {', '.join(f'{r:.2f}' for r in wall_ratios)}; load average {os.getloadavg()[0]:.2f} "
          f"on {job_count(0)} cores)")
    print(f"{jobs} jobs / 1 job, CPU time:    {statistics.median(cpu_ratios):.2f}x  "
          f"(rounds: {', '.join(f'{r:.2f}' for r in cpu_ratios)}; target >= 1.7x with 2)")


def _spin(loops: int) -> None:
    total = 0
    for number in range(loops):
        total += number


def _keep_essays(style: gpbt.Style, run: Run, numbers: range) -> None:
    for number, essay in zip(numbers, run.essays(style, numbers)):
        RENDER(essay, number)


def ceilings(style_name: str, essays: int, jobs: int, rounds: int, length: int | None) -> None:
    """What this machine gives `jobs` processes that hand nothing over, alone and then `jobs` at once, alternating:
    a pure-Python loop, and the run's essays (each process renders its share of them as the command would, and
    keeps it). On a VM whose cores share a physical core, or while others use them, these are well below `jobs`;
    the bulk ratios above cannot beat them."""
    import multiprocessing

    style = gpbt.load_style(style_name)
    run = Run.of([TOPIC], count=essays, seed=1, length=length)
    list(run.essays(style, range(min(20, essays))))  # warm before the forks, as the bulk run is
    share = essays // jobs
    work = {"a pure loop": (_spin, lambda worker: (3_000_000,)),
            "the essays": (_keep_essays, lambda worker: (style, run, range(worker * share, (worker + 1) * share)))}
    context = multiprocessing.get_context("fork")
    for label, (function, arguments) in work.items():
        ratios = []
        for _ in range(rounds):
            walls = []
            for count in (1, jobs):
                start = time.perf_counter()
                # alone, one process does one share; at once, each does its own: the same work per process
                workers = [context.Process(target=function, args=arguments(worker)) for worker in range(count)]
                for worker in workers:
                    worker.start()
                for worker in workers:
                    worker.join()
                walls.append((time.perf_counter() - start) / count)
            ratios.append(walls[0] / walls[1])
        print(f"machine ceiling, {label} in {jobs} processes / 1: {statistics.median(ratios):.2f}x  "
              f"(rounds: {', '.join(f'{r:.2f}' for r in ratios)})")


def whole_command(style_name: str, count: int, jobs: int, length: int | None) -> tuple[float, float, int, int]:
    """Wall seconds, CPU seconds (the command and its workers) and peak RSS in KB of the largest of them, and the
    exit status, of one `gpbt generate` run writing JSON Lines to a temporary file."""
    with tempfile.TemporaryDirectory() as folder:  # a file of our own: a benchmark never writes to a system path
        command = [sys.executable, "-m", "gpbt", "generate", TOPIC, "-s", style_name, "--count", str(count),
                   "--seed", "1", "--format", "jsonl", "--jobs", str(jobs), "-o", os.path.join(folder, "run.jsonl")]
        if length is not None:
            command += ["-n", str(length)]
        probe = ("import resource, subprocess, sys, time; start = time.perf_counter(); "
                 "code = subprocess.run(sys.argv[1:]).returncode; wall = time.perf_counter() - start; "
                 "usage = resource.getrusage(resource.RUSAGE_CHILDREN); "
                 "print(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, code)")
        output = subprocess.run([sys.executable, "-c", probe, *command], capture_output=True, text=True, check=True)
    wall, cpu, kilobytes, code = output.stdout.split()
    return float(wall), float(cpu), int(kilobytes), int(code)


def command_throughput(style_name: str, count: int, rounds: int, jobs: int, length: int | None) -> None:
    results: dict[int, list[tuple[float, float, int, int]]] = {1: [], jobs: []}
    for _ in range(rounds):
        for contender in (1, jobs):
            results[contender].append(whole_command(style_name, count, contender, length))
    cores = min(jobs, job_count(0))
    wall_ratios = [one[0] / many[0] for one, many in zip(results[1], results[jobs])]
    cpu_ratios = [one[1] / (many[1] / cores) for one, many in zip(results[1], results[jobs])]
    for n, rows in results.items():
        print(f"whole command, --count {count:,} --jobs {n}: {count / statistics.median(r[0] for r in rows):8.1f} "
              f"essays/s wall, {statistics.median(r[1] for r in rows):6.2f} s CPU")
    print(f"whole command, {jobs} jobs / 1 job: wall clock {statistics.median(wall_ratios):.2f}x "
          f"(rounds: {', '.join(f'{r:.2f}' for r in wall_ratios)}), CPU time {statistics.median(cpu_ratios):.2f}x "
          f"(rounds: {', '.join(f'{r:.2f}' for r in cpu_ratios)})")


def peak_memory(style_name: str, count: int, jobs: int, length: int | None) -> None:
    start = time.perf_counter()
    _, _, kilobytes, code = whole_command(style_name, count, jobs, length)
    print(f"--count {count:>7,} --jobs {jobs}: peak RSS {kilobytes / 1024:6.1f} MB "
          f"(exit {code}, {time.perf_counter() - start:.0f} s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--style", default="zh")
    parser.add_argument("--essays", type=int, default=3000,
                        help="essays per timed run (about 2 s on one core: the pool's start is a small part of it)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--length", type=int, default=None, help="target length (default: the style's)")
    parser.add_argument("--command", type=int, default=20000, help="essays per whole-command run (0 skips)")
    parser.add_argument("--command-rounds", type=int, default=3)
    parser.add_argument("--memory", default="1000,100000", help="counts to measure peak memory at ('' skips)")
    args = parser.parse_args()
    throughput(args.style, args.essays, args.rounds, args.jobs, args.length)
    ceilings(args.style, args.essays, args.jobs, args.rounds, args.length)
    if args.command:
        command_throughput(args.style, args.command, args.command_rounds, args.jobs, args.length)
    for count in filter(None, args.memory.split(",")):
        for jobs in (1, args.jobs):
            peak_memory(args.style, int(count), jobs, args.length)


if __name__ == "__main__":
    main()
