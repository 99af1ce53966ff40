"""Loading and checking time against the size of the rule text: is it linear, and is past-the-limit refused fast?

    python bench/bench_load.py [--rounds 3] [--sizes 0.1 0.5 1 10]

Generates styles of about 0.1, 0.5, 1 and 10 MB (sentence rules of four alternatives, each using two of 300 word
rules, grouped 50 to a rule; no record is bigger than a few KB), then, in a fresh child process each, loads
(`gpbt.load_style`: read, parse, check, compile) and checks (`gpbt.analyse_style`) each one, in interleaved rounds.
Prints CPU seconds and peak memory (max RSS) per MB, and the ratio of each size's CPU per MB to the smallest
style's, measured in the same run: a ratio near 1 is linear. A style past MAX_STYLE_BYTES (1 MiB) is refused before
it is read; its row shows the time to refuse.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORDS = 300
CHILD = """
import json, resource, sys, time
sys.path.insert(0, {root!r})
import gpbt
started = time.process_time()
refused = False
try:
    getattr(gpbt, {action!r})({path!r})
except gpbt.GpbtError as error:
    refused = True
print(json.dumps({{"cpu": time.process_time() - started, "refused": refused,
                  "rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}}))
"""


def style_text(size: int) -> str:
    """About `size` bytes of rule text."""
    rnd = random.Random(1)
    out = ["@topic 主题\n@start 文章\n文章:\n    {段落*fill}\n段落:\n    {所有}{主题}\n"]
    out += [f"w{j}: 词{j}甲 | 词{j}乙 | 词{j}丙\n" for j in range(WORDS)]
    total, count = sum(len(part.encode()) for part in out), 0
    while total < size:
        alternatives = "".join(f"    文字{rnd.randrange(10 ** 6)}，{{w{rnd.randrange(WORDS)}}}和"
                               f"{{w{rnd.randrange(WORDS)}}}的内容。\n" for _ in range(4))
        block = f"s{count}:\n{alternatives}"
        out.append(block)
        total += len(block.encode())
        count += 1
    groups = range(0, count, 50)
    out += [f"g{g}:\n" + "".join(f"    {{s{k}}}\n" for k in range(g, min(g + 50, count))) for g in groups]
    out.append("所有:\n" + "".join(f"    {{g{g}}}\n" for g in groups))
    return "".join(out)


def measure(path: Path, action: str) -> dict:
    code = CHILD.format(root=str(ROOT), action=action, path=str(path))
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            env={"GPBT_NO_CACHE": "1", "PATH": "/usr/bin:/bin"})
    return json.loads(result.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--sizes", type=float, nargs="+", default=[0.1, 0.5, 1.0, 10.0], metavar="MB")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        paths = {}
        for megabytes in args.sizes:
            paths[megabytes] = Path(folder) / f"style_{megabytes}MB.gpbt"
            # the word and group rules come on top of `size`: 0.96 keeps "1 MB" under the 1 MiB ceiling
            paths[megabytes].write_text(style_text(int(megabytes * 1_000_000 * 0.96)), encoding="utf-8")
        sizes = {megabytes: path.stat().st_size / 1_000_000 for megabytes, path in paths.items()}
        results: dict[tuple[float, str], list[dict]] = {}
        for _ in range(args.rounds):  # interleaved: every size and action once per round
            for megabytes, path in paths.items():
                for action in ("load_style", "analyse_style"):
                    results.setdefault((megabytes, action), []).append(measure(path, action))
    baseline = {action: statistics.median(r["cpu"] for r in results[(args.sizes[0], action)]) / sizes[args.sizes[0]]
                for action in ("load_style", "analyse_style")}
    print(f"{'size':>8} {'action':<14} {'CPU s':>8} {'CPU s/MB':>9} {'ratio':>6} {'peak MB':>8} {'MB/MB':>6}  result")
    for (megabytes, action), rows in results.items():
        cpu = statistics.median(r["cpu"] for r in rows)
        peak = max(r["rss_kb"] for r in rows) / 1024
        outcome = "refused (over the limit)" if rows[0]["refused"] else "loaded"
        megabytes = sizes[megabytes]
        print(f"{megabytes:>5.2f} MB {action:<14} {cpu:>8.2f} {cpu / megabytes:>9.2f} "
              f"{cpu / megabytes / baseline[action]:>6.2f} {peak:>8.0f} {peak / megabytes:>6.0f}  {outcome}")


if __name__ == "__main__":
    main()
