"""Speed of gpbt's default style against the original algorithm, measured in the same run.

    python bench/bench_generate.py [--runs 300] [--length 6000] [--against OTHER_CHECKOUT]

Prints the median CPU time per essay for gpbt's `zh` style and for bench/original.py (a re-implementation of the
original 狗屁不通文章生成器 loop) run on the original's data.json when ../shared/ref is present, and the ratio.
With --against, the gpbt package of another checkout (e.g. `git worktree add /tmp/prev HEAD~1`) is timed in the
same run too, on the same style, seeds and length. The contenders are timed in alternation, in CPU time of this
thread (wall-clock medians on a shared machine swing 3x), so a noisy neighbour slows all alike. Times are per
essay, after loading.
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import gpbt  # noqa: E402
from original import generate_original, load_original_data  # noqa: E402

TOPIC = "学生会退会"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--length", type=int, default=6000)
    parser.add_argument("--style", default="zh")
    parser.add_argument("--against", default=None, metavar="CHECKOUT", help="another checkout's gpbt to time too")
    args = parser.parse_args()
    other = _load_other(args.against).load_style(args.style) if args.against else None

    load_start = time.perf_counter()
    style = gpbt.load_style(args.style)
    load_ms = (time.perf_counter() - load_start) * 1000
    data = load_original_data()

    clock = time.thread_time
    ours: list[float] = []
    theirs: list[float] = []
    baseline: list[float] = []
    lengths: list[int] = []
    for warmup in range(20):
        style.generate(TOPIC, seed=warmup, length=args.length)
        if data:
            generate_original(data, TOPIC, random.Random(warmup), args.length)
    for seed in range(args.runs):
        start = clock()
        text = style.generate(TOPIC, seed=seed, length=args.length)
        ours.append(clock() - start)
        lengths.append(len(text))
        if other is not None:
            start = clock()
            other.generate(TOPIC, seed=seed, length=args.length)
            theirs.append(clock() - start)
        if data:
            rng = random.Random(seed)
            start = clock()
            generate_original(data, TOPIC, rng, args.length)
            baseline.append(clock() - start)

    median_ms = statistics.median(ours) * 1000
    print(f"style {style.name!r}: loaded in {load_ms:.1f} ms; {args.runs} essays of target {args.length} chars "
          f"(mean {statistics.mean(lengths):.0f} chars)")
    print(f"  gpbt      median {median_ms:.3f} ms/essay  (p10 {_q(ours, 0.1):.3f}, p90 {_q(ours, 0.9):.3f})")
    if theirs:
        other_ms = statistics.median(theirs) * 1000
        print(f"  {args.against}  median {other_ms:.3f} ms/essay  (p10 {_q(theirs, 0.1):.3f}, "
              f"p90 {_q(theirs, 0.9):.3f})")
        print(f"  ratio this/other checkout: {median_ms / other_ms:.2f}x")
    if baseline:
        base_ms = statistics.median(baseline) * 1000
        print(f"  original  median {base_ms:.3f} ms/essay  (p10 {_q(baseline, 0.1):.3f}, "
              f"p90 {_q(baseline, 0.9):.3f})")
        print(f"  ratio gpbt/original: {median_ms / base_ms:.2f}x")
    else:
        print("  original: ../shared/ref/bullshitgenerator/data.json not found, no baseline")


def _load_other(checkout: str):
    """The gpbt package of another checkout, imported beside this one under another name."""
    spec = importlib.util.spec_from_file_location("gpbt_other", Path(checkout) / "gpbt" / "__init__.py",
                                                  submodule_search_locations=[str(Path(checkout) / "gpbt")])
    module = importlib.util.module_from_spec(spec)
    sys.modules["gpbt_other"] = module
    spec.loader.exec_module(module)
    return module


def _q(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[int(fraction * (len(ordered) - 1))] * 1000


if __name__ == "__main__":
    main()
