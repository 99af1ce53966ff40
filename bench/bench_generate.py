"""Speed of gpbt's default style against the original algorithm, measured in the same run.

    python bench/bench_generate.py [--runs 300] [--length 6000]

Prints the median time per essay for gpbt's `zh` style and for bench/original.py (a re-implementation of the
original 狗屁不通文章生成器 loop) run on the original's data.json when ../shared/ref is present, and the ratio.
The two are timed in alternation, so a noisy neighbour slows both alike. Times are per essay, after loading.
"""

from __future__ import annotations

import argparse
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
    args = parser.parse_args()

    load_start = time.perf_counter()
    style = gpbt.load_style(args.style)
    load_ms = (time.perf_counter() - load_start) * 1000
    data = load_original_data()

    ours: list[float] = []
    baseline: list[float] = []
    lengths: list[int] = []
    for warmup in range(20):
        style.generate(TOPIC, seed=warmup, length=args.length)
        if data:
            generate_original(data, TOPIC, random.Random(warmup), args.length)
    for seed in range(args.runs):
        start = time.perf_counter()
        text = style.generate(TOPIC, seed=seed, length=args.length)
        ours.append(time.perf_counter() - start)
        lengths.append(len(text))
        if data:
            rng = random.Random(seed)
            start = time.perf_counter()
            generate_original(data, TOPIC, rng, args.length)
            baseline.append(time.perf_counter() - start)

    median_ms = statistics.median(ours) * 1000
    print(f"style {style.name!r}: loaded in {load_ms:.1f} ms; {args.runs} essays of target {args.length} chars "
          f"(mean {statistics.mean(lengths):.0f} chars)")
    print(f"  gpbt      median {median_ms:.3f} ms/essay  (p10 {_q(ours, 0.1):.3f}, p90 {_q(ours, 0.9):.3f})")
    if baseline:
        base_ms = statistics.median(baseline) * 1000
        print(f"  original  median {base_ms:.3f} ms/essay  (p10 {_q(baseline, 0.1):.3f}, "
              f"p90 {_q(baseline, 0.9):.3f})")
        print(f"  ratio gpbt/original: {median_ms / base_ms:.2f}x")
    else:
        print("  original: ../shared/ref/bullshitgenerator/data.json not found, no baseline")


def _q(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[int(fraction * (len(ordered) - 1))] * 1000


if __name__ == "__main__":
    main()
