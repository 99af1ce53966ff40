"""Variety and hygiene figures for gpbt's default Chinese style next to the original generator.

    python bench/variety.py [--seeds 50] [--length 6000] [--topic 学生会退会]

Both generators write the same topic with seeds 1..N at the same target length; the original runs through
bench/original.py on its own data.json (skipped when that file is absent). The measures are defined in
tests/zh_measures.py (one place for both this script and the tests).
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

import zh_measures as m  # noqa: E402
from original import generate_original, load_original_data, quote_bodies  # noqa: E402


def measure(texts: list[str], topic: str, target: int, has_title: bool, quote_counter) -> dict[str, float]:
    rows = []
    for text in texts:
        paras = m.paragraphs(text, has_title)
        sents = m.sentences(text)
        rows.append({
            "mean length": len(text),
            "mean overshoot": len(text) - target,
            "sentences per essay": len(sents),
            "repeated sentences / essay": m.repeated_count(sents),
            "repeated quotes / essay": quote_counter(text),
            "doubled punctuation / essay": len(m.doubled_punctuation(text)),
            "half-width punctuation / essay": m.halfwidth_punctuation(text),
            "spaces between CJK / essay": m.spaces_between_cjk(text, has_title),
            "paragraphs / essay": len(paras),
            "paragraphs not ending on 。！？”": sum(not m.ends_on_sentence_mark(p) for p in paras
                                                if not m.is_empty_paragraph(p)),
            "  ... nor on ASCII .?!": sum(not m.ends_on_sentence_mark(p, ascii_marks=True) for p in paras
                                         if not m.is_empty_paragraph(p)),
            "empty paragraphs / essay": sum(m.is_empty_paragraph(p) for p in paras),
            "8-char window repeat share": m.window_repeat_share(text, topic),
        })
    return {key: statistics.fmean(row[key] for row in rows) for key in rows[0]}


def ours_quote_repeats(text: str) -> int:
    return m.repeated_count(m.quotes(text))


def original_quote_repeats(bodies: list[str]):
    def count(text: str) -> int:
        return sum(max(0, text.count(body) - 1) for body in bodies)
    return count


def distinct_expansions(style, rule_name: str) -> float:
    """Number of distinct derivations of a rule (product over references, sum over alternatives), a close upper
    bound on the number of distinct texts it can write. Repetitions count their lowest count; slots and bound
    names count once (the binding that sets them is counted where it stands)."""
    from gpbt import nodes

    rules = style.definition.rules
    memo: dict[str, float] = {}

    def pieces_count(pieces, active: frozenset) -> float:
        total = 1.0
        for piece in pieces:
            if isinstance(piece, nodes.Binding):
                total *= sum(pieces_count(choice, active) for choice in piece.choices)
            elif isinstance(piece, nodes.Reference) and piece.name in rules:
                one = rule_count(piece.name, active)
                low = piece.repeat.low if piece.repeat and not piece.repeat.fill else 1
                total *= one ** max(low, 1)
        return total

    def rule_count(name: str, active: frozenset) -> float:
        if name in memo:
            return memo[name]
        if name in active:
            return 1.0
        rule = rules[name]
        seen, total = set(), 0.0
        for choice in rule.choices:
            if choice.weight <= 0:
                continue
            key = repr([getattr(p, "value", None) or getattr(p, "name", None) for p in choice.pieces])
            if key in seen:  # the same alternative written twice (a cheap weight) adds nothing new
                continue
            seen.add(key)
            total += pieces_count(choice.pieces, active | {name})
        memo[name] = total
        return total

    return rule_count(rule_name, frozenset())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=50)
    parser.add_argument("--length", type=int, default=6000)
    parser.add_argument("--topic", default="学生会退会")
    args = parser.parse_args()
    seeds = range(1, args.seeds + 1)

    import gpbt

    style = gpbt.load_style("zh")
    ours = [style.generate(args.topic, seed=s, length=args.length) for s in seeds]
    columns = {"gpbt zh": measure(ours, args.topic, args.length, True, ours_quote_repeats)}

    data = load_original_data()
    if data is not None:
        theirs = [generate_original(data, args.topic, random.Random(s), args.length) for s in seeds]
        columns["original"] = measure(theirs, args.topic, args.length, False,
                                      original_quote_repeats(quote_bodies(data)))
    else:
        print("(original data.json not found: only gpbt is measured)\n")

    print(f"topic {args.topic}, seeds 1..{args.seeds}, target length {args.length}; means per essay\n")
    names = list(columns)
    print(f"{'measure':<32}" + "".join(f"{n:>14}" for n in names))
    for key in columns[names[0]]:
        cells = []
        for n in names:
            value = columns[n][key]
            cells.append(f"{value:>14.3f}" if key.endswith("share") else f"{value:>14.1f}")
        print(f"{key:<32}" + "".join(cells))

    print()
    for rule in ("句子", "段首句", "名言"):
        count = distinct_expansions(style, rule)
        print(f"distinct derivations of {rule}: about 10^{math.log10(count):.1f} ({count:,.0f})")
    all_sentences = [s for text in ours for s in m.sentences(text)]
    print(f"distinct sentences seen in the {args.seeds} essays: {len(set(all_sentences)):,} "
          f"of {len(all_sentences):,}")
    if data is not None:
        bosh = len(set(data["bosh"]))
        print(f"original: {bosh} distinct filler sentences and {len(set(data['famous']))} quote templates")


if __name__ == "__main__":
    main()
