"""Start-up of whole gpbt processes against `python -c "import click"`, measured in the same run, interleaved, in CPU
time (user + system of the child; wall-clock medians on a shared machine swing 3x).

    python bench/bench_startup.py [--runs 15]

Prints the median CPU time of each command and its ratio to the baseline, then the in-process cold load of the zh
style (no cache), and each Tracery grammar of bench/grammars loaded from file to ready grammar by pytracery (when it
is installed) and by gpbt, the first time and from its cache. The warm commands run with a cache folder of their
own, filled first. Every child may write bytecode (an inherited PYTHONDONTWRITEBYTECODE is dropped): an installed
gpbt has its .pyc files, and a module compiled from source on every run would be timed as start-up.
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
# What the `gpbt` command that pip installs runs (its console script), so each command is timed as a user starts it;
# `python -m gpbt` would add runpy's imports (about 4 ms, 7% of the baseline), which the installed command never pays.
CONSOLE_SCRIPT = "import sys; from gpbt.cli import main; sys.exit(main())"


def in_process_cold_load(spec: str, runs: int, without: str | None = None) -> float:
    """Median CPU time of `Environment(cache=False).load(spec)` in fresh processes (lark's import included: a cold
    load pays it). `without`: a module made unimportable first, as it is where it is not installed."""
    hide = f"import sys; sys.modules[{without!r}] = None; " if without else ""
    code = (f"{hide}import time, gpbt; e = gpbt.Environment(cache=False); t = time.process_time(); "
            f"e.load({spec!r}); print(time.process_time() - t)")
    samples = []
    for _ in range(runs):
        out = subprocess.run([PY, "-c", code], capture_output=True, text=True, check=True, env=CHILD_ENV).stdout
        samples.append(float(out))
    return statistics.median(samples)


# A Tracery grammar, file to ready grammar, in each tool's own process after its imports (pytracery's import is not
# timed, so neither are gpbt's: a warm-up grammar loaded first imports the reader, checker, compiler and cache).
PYTRACERY_LOAD = """
import json, statistics, sys, time, tracery
samples = []
for _ in range(int(sys.argv[2])):
    start = time.process_time()
    with open(sys.argv[1], encoding="utf-8") as handle:
        tracery.Grammar(json.load(handle))
    samples.append(time.process_time() - start)
print(statistics.median(samples))
"""
GPBT_LOAD = """
import os, statistics, sys, time, gpbt
warm = os.path.join(os.environ["GPBT_CACHE_DIR"], "warm.json")
with open(warm, "w", encoding="utf-8") as handle:
    handle.write('{"origin": ["#a.capitalize# [b:c]#b#"], "a": ["x", "y"]}')
gpbt.Environment().load(warm).generate(seed=1)  # and its entry is stored: the cache's modules are imported too
start = time.process_time()
gpbt.Environment().load(sys.argv[1])  # no entry yet: read, check, compile, and store the entry
first = time.process_time() - start
samples = []
for _ in range(int(sys.argv[2])):
    start = time.process_time()
    gpbt.Environment().load(sys.argv[1])  # from the entry
    samples.append(time.process_time() - start)
print(first, statistics.median(samples))
"""


def tracery_loads(path: Path, runs: int) -> tuple[float | None, float, float]:
    """pytracery's load (None if it is not installed), gpbt's first load and gpbt's load from its cache: medians
    of CPU seconds over `runs` fresh processes (each cached figure itself a median of 200 loads)."""
    theirs, first, cached = [], [], []
    for _ in range(runs):
        done = subprocess.run([PY, "-c", PYTRACERY_LOAD, str(path), "200"], capture_output=True, text=True,
                              env=CHILD_ENV)
        if done.returncode == 0:
            theirs.append(float(done.stdout))
        with tempfile.TemporaryDirectory() as cache:
            out = subprocess.run([PY, "-c", GPBT_LOAD, str(path), "200"], capture_output=True, text=True, check=True,
                                 env={**CHILD_ENV, "GPBT_CACHE_DIR": cache}).stdout.split()
        first.append(float(out[0]))
        cached.append(float(out[1]))
    return (statistics.median(theirs) if theirs else None), statistics.median(first), statistics.median(cached)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as cache:
        env = {**CHILD_ENV, "GPBT_CACHE_DIR": cache}
        env.pop("GPBT_NO_CACHE", None)
        commands = {
            "baseline: python -c 'import click'": [PY, "-c", "import click"],
            "gpbt --version": [PY, "-c", CONSOLE_SCRIPT, "--version"],
            "gpbt --help": [PY, "-c", CONSOLE_SCRIPT, "--help"],
            "gpbt styles (warm)": [PY, "-c", CONSOLE_SCRIPT, "styles"],
            "gpbt generate 学生会退会 (warm)": [PY, "-c", CONSOLE_SCRIPT, "generate", "学生会退会", "--seed", "1"],
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
    try:
        import interegular  # noqa: F401  (the test extra installs it; lark imports it when it is there)
        user = in_process_cold_load("zh", max(3, args.runs // 3), without="interegular")
        print(f"  the same without interegular (as a user's install, which lacks it, imports lark): {user * 1000:.0f} ms")
    except ImportError:
        pass
    for grammar in sorted((HERE / "grammars").glob("*.json")):
        theirs, first, cached = tracery_loads(grammar, max(3, args.runs // 3))
        if theirs is None:
            print(f"{grammar.name}: gpbt first load {first * 1000:.2f} ms, cached {cached * 1000:.3f} ms CPU "
                  "(pytracery not installed)")
            continue
        print(f"{grammar.name}, file to ready grammar, imports done: pytracery {theirs * 1000:.3f} ms; gpbt first "
              f"load {first * 1000:.2f} ms ({first / theirs:.0f}x), from its cache {cached * 1000:.3f} ms "
              f"({cached / theirs:.1f}x pytracery)")


if __name__ == "__main__":
    main()
