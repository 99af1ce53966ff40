"""Speed of imported grammars, measured in the same run as their reference implementation.

    python bench/bench_import.py [--runs 300] [--tracery-runs 2000] [--no-pytracery]

1. The original BullshitGenerator corpus (../shared/ref/bullshitgenerator/data.json), converted at run time into a
   temporary folder (`--faithful` and default), against bench/original.py's loop: median time per essay and the
   ratio (target ≤ 1.2×).
2. Tracery grammars (tests/fixtures/tracery/test_grammar.json, bench/grammars/*.json) against pytracery 0.1.1,
   installed into a throw-away venv that this script creates in a temporary folder (never a project dependency):
   time per generated character and the ratio (target ≥ 10× faster). pytracery gets `clear_state()` before each
   flatten, the same no-leak semantics gpbt has (without it its stacks grow on every call).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import gpbt  # noqa: E402
from gpbt.convert import bullshit_to_gpbt  # noqa: E402
from gpbt.readers.bullshit import Options  # noqa: E402
from gpbt.source import SourceFile  # noqa: E402
from original import DATA_PATH, generate_original, load_original_data  # noqa: E402

TOPIC = "学生会退会"
GRAMMARS = [HERE.parent / "tests" / "fixtures" / "tracery" / "test_grammar.json",
            *sorted((HERE / "grammars").glob("*.json"))]

PYTRACERY_SCRIPT = r"""
import json, random, sys, time
import tracery
from tracery.modifiers import base_english
path, runs = sys.argv[1], int(sys.argv[2])
grammar = tracery.Grammar(json.load(open(path, encoding="utf-8")))
grammar.add_modifiers(base_english)
random.seed(12345)
for _ in range(50):
    grammar.clear_state(); grammar.flatten("#origin#")
best = None
for _ in range(3):
    chars = 0
    start = time.perf_counter()
    for _ in range(runs):
        grammar.clear_state()
        chars += len(grammar.flatten("#origin#"))
    elapsed = time.perf_counter() - start
    if best is None or elapsed < best[0]:
        best = (elapsed, chars)
print(json.dumps({"seconds": best[0], "chars": best[1], "runs": runs}))
"""


def bench_bullshit(runs: int) -> None:
    data = load_original_data()
    if data is None:
        print(f"1. BullshitGenerator: {DATA_PATH} not found, skipped")
        return
    print(f"1. BullshitGenerator corpus, converted at run time; {runs} essays of target 6000 chars")
    for faithful in (True, False):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "data.gpbt"
            path.write_text(bullshit_to_gpbt(SourceFile.read(DATA_PATH), "data", Options(faithful=faithful)),
                            encoding="utf-8")
            style = gpbt.load_style(path)
        ours, baseline = [], []
        for seed in range(runs + 20):
            start = time.perf_counter()
            style.generate(TOPIC, seed=seed)
            middle = time.perf_counter()
            generate_original(data, TOPIC, random.Random(seed))
            end = time.perf_counter()
            if seed >= 20:  # warm-up
                ours.append(middle - start)
                baseline.append(end - middle)
        gp, og = statistics.median(ours) * 1000, statistics.median(baseline) * 1000
        label = "faithful" if faithful else "default "
        print(f"   {label}: gpbt {gp:.3f} ms/essay, original loop {og:.3f} ms/essay, "
              f"ratio gpbt/original {gp / og:.2f}x (target <= 1.2x)")


def pytracery_python(folder: Path) -> Path | None:
    """A venv in `folder` with tracery==0.1.1, or None when it cannot be installed."""
    venv.create(folder / "venv", with_pip=True)
    python = folder / "venv" / "bin" / "python"
    result = subprocess.run([str(python), "-m", "pip", "install", "-q", "tracery==0.1.1"], capture_output=True,
                            text=True)
    return python if result.returncode == 0 else None


def bench_tracery(runs: int, use_pytracery: bool) -> None:
    print(f"2. Tracery grammars, {runs} expansions each")
    with tempfile.TemporaryDirectory() as folder:
        python = pytracery_python(Path(folder)) if use_pytracery else None
        if use_pytracery and python is None:
            print("   pytracery 0.1.1 could not be installed; gpbt figures only")
        ratios = []
        for path in GRAMMARS:
            style = gpbt.load_style(path)
            for seed in range(50):
                style.generate(seed=seed)
            # like pytracery (its global RNG seeded once), one generator for the whole run; and, for reference,
            # gpbt's per-document seeding, which makes every expansion reproducible on its own
            ours = _per_char(lambda: style.generate(rng=shared), runs, shared := random.Random(12345))
            seeded = iter(range(10**9))
            per_seed = _per_char(lambda: style.generate(seed=next(seeded)), runs, None)
            line = (f"   {path.name:<18} gpbt {ours:.3f} µs/char with one generator, {per_seed:.3f} µs/char seeding "
                    "each expansion")
            if python is not None:
                out = subprocess.run([str(python), "-c", PYTRACERY_SCRIPT, str(path), str(runs)], capture_output=True,
                                     text=True, check=True).stdout
                theirs = json.loads(out)
                per_char = theirs["seconds"] / theirs["chars"] * 1e6
                ratios.append(per_char / ours)
                line += f", pytracery {per_char:.3f} µs/char: gpbt is {per_char / ours:.1f}x faster (target >= 10x)"
            print(line)
        if ratios:
            print(f"   geometric mean: gpbt is {statistics.geometric_mean(ratios):.1f}x faster per character")


def _per_char(expand, runs: int, rng) -> float:
    """Best of three runs, in microseconds per generated character."""
    best = None
    for _ in range(3):
        chars, start = 0, time.perf_counter()
        for _ in range(runs):
            chars += len(expand())
        elapsed = time.perf_counter() - start
        best = min(best or (elapsed, chars), (elapsed, chars))
    return best[0] / best[1] * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--tracery-runs", type=int, default=2000)
    parser.add_argument("--no-pytracery", action="store_true", help="Skip installing and timing pytracery.")
    args = parser.parse_args()
    bench_bullshit(args.runs)
    bench_tracery(args.tracery_runs, not args.no_pytracery)


if __name__ == "__main__":
    main()
