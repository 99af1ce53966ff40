"""Start-up of whole gpbt processes against `python -c "import click"`, measured in the same run, interleaved, in CPU
time (user + system of the child; wall-clock medians on a shared machine swing 3x).

    python bench/bench_startup.py [--runs 15]

Prints the median CPU time of each command and its ratio to the baseline, then the in-process cold load of the zh
style (no cache) and of a Tracery grammar from bench/grammars against pytracery when it is installed. The warm
commands run with a cache folder of their own, filled first. Every child may write bytecode (an inherited
PYTHONDONTWRITEBYTECODE is dropped): an installed gpbt has its .pyc files, and a module compiled from source on every
run would be timed as start-up.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PY = sys.executable


def child_cpu(command: list[str], env: dict[str, str]) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


CHILD_ENV = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


def in_process_cold_load(spec: str, runs: int) -> float:
    code = ("import time, gpbt; e = gpbt.Environment(cache=False); t = time.process_time(); "
            f"e.load({spec!r}); print(time.process_time() - t)")
    samples = []
    for _ in range(runs):
        out = subprocess.run([PY, "-c", code], capture_output=True, text=True, check=True, env=CHILD_ENV).stdout
        samples.append(float(out))
    return statistics.median(samples)


def pytracery_load(path: Path, runs: int) -> float | None:
    code = ("import json, time, tracery; d = json.load(open(%r)); t = time.process_time(); "
            "tracery.Grammar(d); print(time.process_time() - t)") % str(path)
    samples = []
    for _ in range(runs):
        done = subprocess.run([PY, "-c", code], capture_output=True, text=True, env=CHILD_ENV)
        if done.returncode:
            return None
        samples.append(float(done.stdout))
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as cache:
        env = {**CHILD_ENV, "GPBT_CACHE_DIR": cache}
        env.pop("GPBT_NO_CACHE", None)
        commands = {
            "baseline: python -c 'import click'": [PY, "-c", "import click"],
            "gpbt --version": [PY, "-m", "gpbt", "--version"],
            "gpbt --help": [PY, "-m", "gpbt", "--help"],
            "gpbt styles (warm)": [PY, "-m", "gpbt", "styles"],
            "gpbt generate 学生会退会 (warm)": [PY, "-m", "gpbt", "generate", "学生会退会", "--seed", "1"],
        }
        for command in commands.values():  # fill the cache
            child_cpu(command, env)
        samples: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, command in commands.items():
                samples[name].append(child_cpu(command, env))
    base = statistics.median(samples["baseline: python -c 'import click'"])
    print(f"whole processes, median CPU time of {args.runs} runs, interleaved:")
    for name, values in samples.items():
        median = statistics.median(values)
        print(f"  {name:34s} {median * 1000:7.1f} ms  {median / base:5.2f}x baseline")
    cold = in_process_cold_load("zh", max(3, args.runs // 3))
    print(f"cold load_style('zh') without cache, in process: {cold * 1000:.0f} ms CPU")
    grammars = sorted((HERE / "grammars").glob("*.json"))
    for grammar in grammars:
        ours = in_process_cold_load(str(grammar), max(3, args.runs // 3))
        theirs = pytracery_load(grammar, max(3, args.runs // 3))
        ratio = f"{ours / theirs:.1f}x pytracery" if theirs else "pytracery not installed"
        print(f"cold load of {grammar.name}: {ours * 1000:.1f} ms CPU ({ratio})")


if __name__ == "__main__":
    main()
