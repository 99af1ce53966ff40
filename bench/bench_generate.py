"""Speed of gpbt's default style against the original algorithm, measured in the same run.

    python bench/bench_generate.py [--runs 300] [--length 6000] [--against OTHER_CHECKOUT] [--long 1000000]

Prints the median CPU time per essay for gpbt's `zh` style and for bench/original.py (a re-implementation of the
original 狗屁不通文章生成器 loop) run on the original's data.json when ../shared/ref is present, and the ratio.
With the data present, the original corpus converted to gpbt grammars at run time (`--faithful`, the original's
own algorithm, i.e. the same work; and the default conversion) is timed against the original too. With --against,
the gpbt package of another checkout (e.g. `git worktree add /tmp/prev HEAD~1`) is timed against this one, on the
same style, seeds and length.
Each ratio comes from its own pair, timed in alternation (the order turns every seed) in CPU time of this thread
(wall-clock medians on a shared machine swing 3x), so a noisy neighbour slows both alike. Pairs, not all contenders
in one rotation: with four in turn, each gpbt grammar ran after other grammars' generated code had taken the CPU
caches, which a real run of one style never sees; it raised zh's ratio to the original by about 5%.
Times are per essay, after loading.
Last, the cost per 1000 characters of --long-character documents against --length ones (interleaved, thread CPU
time), and how much of each long document's budget of `unique` retries was left at its end.
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import statistics
import sys
import tempfile
import time
from functools import partial
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parent))

import gpbt  # noqa: E402
from original import DATA_PATH, generate_original, load_original_data  # noqa: E402

TOPIC = "学生会退会"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--length", type=int, default=6000)
    parser.add_argument("--style", default="zh")
    parser.add_argument("--against", default=None, metavar="CHECKOUT", help="another checkout's gpbt to time too")
    parser.add_argument("--long", type=int, default=1_000_000, metavar="CHARS",
                        help="the long document whose cost per 1000 characters is set against --length's (0: skip)")
    parser.add_argument("--long-runs", type=int, default=3)
    args = parser.parse_args()
    other = _load_other(args.against).load_style(args.style) if args.against else None

    load_start = time.perf_counter()
    style = gpbt.load_style(args.style)
    load_ms = (time.perf_counter() - load_start) * 1000
    data = load_original_data()

    length = args.length
    gpbt_essay = lambda seed: lambda: style.generate(TOPIC, seed=seed, length=length)  # noqa: E731
    print(f"style {style.name!r}: loaded in {load_ms:.1f} ms; {args.runs} essays of target {length} chars each; "
          "every ratio is taken within its own interleaved pair")
    if other is not None:
        pair = _interleaved({"gpbt": gpbt_essay,
                             args.against: lambda seed: lambda: other.generate(TOPIC, seed=seed, length=length)},
                            args.runs)
        _report(pair, "gpbt", args.against, "this checkout/other")
    if not data:
        _report(_interleaved({"gpbt": gpbt_essay}, args.runs), "gpbt")
        print("  original: ../shared/ref/bullshitgenerator/data.json not found, no baseline")
    else:
        # the original's generator is seeded before the clock starts
        original_essay = lambda seed: partial(generate_original, data, TOPIC, random.Random(seed), length)  # noqa
        _report(_interleaved({"gpbt": gpbt_essay, "original": original_essay}, args.runs), "gpbt", "original",
                "gpbt/original")
        for label, grammar in _converted_styles().items():
            essay = lambda seed, grammar=grammar: lambda: grammar.generate(TOPIC, seed=seed, length=length)  # noqa
            name = f"original corpus converted ({label})"
            _report(_interleaved({name: essay, "original": original_essay}, args.runs), name, "original",
                    f"converted ({label})/original")
    if args.long:
        _length_scaling(style, args.length, args.long, args.long_runs)


def _length_scaling(style: gpbt.Style, short: int, long: int, runs: int) -> None:
    """CPU time per 1000 characters of `long`-character documents against `short` ones, interleaved (a long one,
    then as many short ones as make the same length, in turn), and what the long ones used of the document's budget
    of `unique` retries: budget left means no sentence was repeated for want of retries."""
    clock = time.thread_time
    per_short, per_long, left = [], [], []
    shorts_per_long = max(1, long // short)
    for run in range(runs):
        document, _ = style.document(TOPIC, seed=run, length=long)
        start = clock()
        text = document.run()
        per_long.append((clock() - start) / len(text) * 1000)
        left.append((document.retries, max(200, long // 25)))
        for seed in range(run * shorts_per_long, (run + 1) * shorts_per_long):
            start = clock()
            text = style.generate(TOPIC, seed=seed, length=short)
            per_short.append((clock() - start) / len(text) * 1000)
    at_short, at_long = statistics.median(per_short) * 1000, statistics.median(per_long) * 1000
    print(f"length scaling ({style.name!r}, {runs} documents of {long:,} characters interleaved with "
          f"{runs * shorts_per_long} of {short:,}):")
    print(f"  {at_short:.4f} ms per 1000 characters at {short:,}, {at_long:.4f} at {long:,}: ratio "
          f"{at_long / at_short:.2f}x")
    print("  unique retries left at the end of each long document: "
          + ", ".join(f"{remaining:,} of {budget:,}" for remaining, budget in left))


def _interleaved(contenders: dict[str, Callable[[int], Callable[[], str]]],
                 runs: int) -> dict[str, tuple[list[float], list[int]]]:
    """Each contender's CPU times (this thread) and text lengths, one essay per seed each, after 20 warm-up seeds;
    the order they run in turns by one every seed, so that none always runs after the same neighbour."""
    clock = time.thread_time
    names = list(contenders)
    samples: dict[str, tuple[list[float], list[int]]] = {name: ([], []) for name in names}
    for seed in range(-20, runs):
        turn = seed % len(names)
        for name in names[turn:] + names[:turn]:
            call = contenders[name](seed + 20 if seed < 0 else seed)  # the warm-up runs seeds 0-19 once
            start = clock()
            text = call()
            elapsed = clock() - start
            if seed >= 0:
                samples[name][0].append(elapsed)
                samples[name][1].append(len(text))
    return samples


def _report(pair: dict[str, tuple[list[float], list[int]]], first: str, second: str | None = None,
            ratio: str = "") -> None:
    """The medians (and p10, p90) of an interleaved pair, and the first's over the second's."""
    medians = {}
    for name in filter(None, (first, second)):
        samples, lengths = pair[name]
        medians[name] = statistics.median(samples) * 1000
        print(f"  {name:9s} median {medians[name]:.3f} ms/essay  (p10 {_q(samples, 0.1):.3f}, p90 "
              f"{_q(samples, 0.9):.3f}; mean {statistics.mean(lengths):.0f} chars)")
    if second is not None:
        print(f"  ratio {ratio}: {medians[first] / medians[second]:.2f}x")


def _converted_styles() -> dict:
    """The original's data.json converted to gpbt (faithful: the original's algorithm; default: gpbt's paragraphs),
    as bench/bench_import.py converts it, each loaded from a temporary folder."""
    from gpbt.convert import bullshit_to_gpbt
    from gpbt.readers.bullshit import Options
    from gpbt.source import SourceFile

    styles = {}
    for label, faithful in (("faithful", True), ("default", False)):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "data.gpbt"
            path.write_text(bullshit_to_gpbt(SourceFile.read(DATA_PATH), "data", Options(faithful=faithful)),
                            encoding="utf-8")
            styles[label] = gpbt.load_style(path)
    return styles


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
