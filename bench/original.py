"""A baseline re-implementation of the original 狗屁不通文章生成器 (menzi11/BullshitGenerator, master e783aa0).

Written from the description of its algorithm in the research report (§1), not from its code, so that gpbt's
default style can be compared with the original on the same seeds and the same measures. Standard library only.

The algorithm, as described:
- four pools from data.json: ``famous`` (quote templates), ``bosh`` (filler sentences, ``x`` = topic),
  ``before`` (verb phrases that replace ``a`` in a quote) and ``after`` (reactions that replace ``b``);
- ``famous`` and ``bosh`` are read through a *shuffle cycle* with 重复度 = 2: the pool is doubled, shuffled, dealt
  out in order, then reshuffled and dealt again, forever. Here the two cycles are created per call, so essays
  are independent and a seed reproduces an essay;
- the essay loop: while the text (topic still written as ``x``, so it counts as one character) is shorter than
  the target, draw ``randint(0, 100)`` (101 outcomes): below 5 append the paragraph break ``". \\r\\n    "``,
  below 20 append a quote, otherwise append the next bosh sentence;
- a quote replaces every ``a`` with one uniformly drawn ``before`` filler, then every ``b`` with one uniformly
  drawn ``after`` filler (drawn with replacement, no anti-repetition);
- at the end every ``x`` is replaced with the topic.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator, Sequence
from pathlib import Path

REPEAT_FACTOR = 2  # 重复度
PARAGRAPH_BREAK = ". \r\n    "
DEFAULT_TARGET = 6000
DATA_PATH = Path(__file__).resolve().parents[1].parent / "shared/ref/bullshitgenerator/data.json"


def load_original_data(path: str | Path | None = None) -> dict | None:
    """The original's data.json (``../shared/ref/bullshitgenerator/data.json`` next to the repository), or None
    when it is not there."""
    path = Path(path) if path is not None else DATA_PATH
    if not path.is_file():
        return None
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


def shuffle_cycle(items: Sequence[str], rng: random.Random, factor: int = REPEAT_FACTOR) -> Iterator[str]:
    """洗牌遍历: the pool repeated ``factor`` times, shuffled, dealt, reshuffled, forever."""
    pool = list(items) * factor
    while True:
        rng.shuffle(pool)
        yield from pool


def generate_original(data: dict, topic: str, rng: random.Random, target: int = DEFAULT_TARGET) -> str:
    """One essay by the original algorithm (see the module docstring)."""
    bosh = shuffle_cycle(data["bosh"], rng)
    famous = shuffle_cycle(data["famous"], rng)

    def quote() -> str:
        text = next(famous)
        text = text.replace("a", rng.choice(data["before"]))
        return text.replace("b", rng.choice(data["after"]))

    essay = ""
    while len(essay) < target:
        roll = rng.randint(0, 100)
        if roll < 5:
            essay += PARAGRAPH_BREAK
        elif roll < 20:
            essay += quote()
        else:
            essay += next(bosh)
    return essay.replace("x", topic)


def quote_bodies(data: dict) -> list[str]:
    """The saying of each famous template (between the ``a`` slot and the ``b`` slot), used to count how often a
    quote appears in an essay: the original marks its quotes with no quotation marks."""
    bodies = []
    for template in data["famous"]:
        body = template.rsplit("b", 1)[0]
        body = body.split("a", 1)[1] if "a" in body else body
        body = body.strip(" ,，\u3000")
        if body:
            bodies.append(body)
    return sorted(set(bodies))


if __name__ == "__main__":
    import sys

    loaded = load_original_data()
    if loaded is None:
        sys.exit(f"data.json not found at {DATA_PATH}")
    topic = sys.argv[1] if len(sys.argv) > 1 else "学生会退会"
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    print(generate_original(loaded, topic, random.Random(seed)))
