"""Choice policies: how a rule picks its next alternative. One `Policy` object per policy, in one registry.

A policy is everything gpbt knows about it, in one place: how it draws (`draw`, a runtime operation on the
per-document state), the fast path the code generator writes inline for it (`fast_path`, which draws exactly what
`draw` draws), what the checker needs (`deals`: it promises no repeat until every alternative has been used;
`weighted`: weights mean something to it) and what stats needs (`long_run`: the probability of each alternative
over many draws). A new policy is one more entry in `REGISTRY`; the checker refuses a name that is not here, and a
policy missing a part cannot be built (every field is required).

Every draw reads the document's `random()` and its per-rule state: `decks[i]` (the cards left) and `lasts[i]`
(the alternative written last, -1 before the first). One rule with one live alternative draws nothing under any
policy (the code generator writes that alternative directly).
"""

from __future__ import annotations

from bisect import bisect_right
from types import MappingProxyType
from typing import Any, Callable, Mapping, NamedTuple

CompiledRule = Any  # a gpbt.engine.compiler.CompiledRule (not imported: the compiler and runtime build on this module)
Document = Any  # a gpbt.engine.runtime.Document

DEFAULT_POLICY = "deck"  # nothing repeats until everything has been used: the original's shuffle-cycle
UNROLLED_WEIGHTS = 16  # up to this many alternatives, a weighted draw is written out as a chain of comparisons

Draw = Callable[[Document, CompiledRule], int]


class Policy(NamedTuple):
    name: str
    summary: str  # one line, for `gpbt stats`, hover texts and the docs
    draw: Draw  # the semantics: the alternative to write next
    fast_path: Callable[[CompiledRule, str], list[str]]  # source lines that set `c` (given the rule's variable)
    long_run: Callable[[list[float]], list[float]]  # weights of the live alternatives → their long-run masses
    deals: bool  # no alternative comes back before every other one has been dealt
    weighted: bool  # weights change what is drawn
    tracery: bool  # Tracery picks this way (uniform, with replacement)


# ---- draws --------------------------------------------------------------------------------------------------------
def weighted(doc: Document, rule: CompiledRule) -> int:
    """An alternative in proportion to its weight, with replacement."""
    if rule.uniform:
        return int(doc.random() * len(rule.choices))
    cumulative = rule.cumulative
    # searching all but the last bound: a draw past them (even one that rounded up to the total) is the last one
    return bisect_right(cumulative, doc.random() * cumulative[-1], 0, len(cumulative) - 1)


def deal(doc: Document, rule: CompiledRule) -> int:
    """A card from this document's deck of the rule; a fresh deck never starts with the card just played.

    A weighted deck is put in order once, when it is (re)filled: sorting by random()**(1/weight) deals cards without
    replacement in proportion to their weights (Efraimidis and Spirakis), so each draw is a pop."""
    index = rule.index
    deck = doc.decks[index]
    last = doc.lasts[index]
    if rule.uniform:
        fresh = not deck
        if fresh:
            deck = doc.decks[index] = list(rule.live)
        size = len(deck)
        position = int(doc.random() * size)
        if fresh and size > 1 and deck[position] == last:
            position = (position + 1 + int(doc.random() * (size - 1))) % size
        choice = deck[position]
        deck[position] = deck[-1]
        deck.pop()
    else:
        if not deck:
            random, weights = doc.random, rule.weights
            deck = doc.decks[index] = sorted(rule.live, key=lambda k: random() ** (1.0 / weights[k]))
            if len(deck) > 1 and deck[-1] == last:
                deck[-1], deck[-2] = deck[-2], deck[-1]
        choice = deck.pop()
    if not deck:
        doc.lasts[index] = choice
    return choice


def no_repeat(doc: Document, rule: CompiledRule) -> int:
    """Weighted, drawn again while it equals the alternative written last."""
    choice = weighted(doc, rule)
    last = doc.lasts[rule.index]
    if choice == last and len(rule.live) > 1:
        while choice == last:
            choice = weighted(doc, rule)
    doc.lasts[rule.index] = choice
    return choice


def once(doc: Document, rule: CompiledRule) -> int:
    """Weighted the first time; the same alternative for the rest of the document."""
    choice = doc.lasts[rule.index]
    if choice < 0:
        choice = doc.lasts[rule.index] = weighted(doc, rule)
    return choice


def cycle(doc: Document, rule: CompiledRule) -> int:
    """The live alternatives in the order they are written, wrapping around: no random draw."""
    live, last = rule.live, doc.lasts[rule.index]
    choice = live[0] if last < 0 else live[(live.index(last) + 1) % len(live)]
    doc.lasts[rule.index] = choice
    return choice


# ---- fast paths: what the code generator writes inline (each draws what its `draw` draws) ---------------------
def _call(draw: Draw) -> Callable[[CompiledRule, str], list[str]]:
    """The fast path of a policy that has none: a call of its draw."""
    return lambda rule, var: [f"c = {draw.__name__}(ex, {var})"]


def _deck_fast_path(rule: CompiledRule, var: str) -> list[str]:
    """A card from a deck already in play, inline (a weighted deck was put in order when it was filled: a pop);
    a fresh deck goes to `deal`."""
    i = rule.index
    if not rule.uniform:
        return [f"deck = ex.decks[{i}]",
                "if deck:",
                "    c = deck.pop()",
                "    if not deck:",
                f"        ex.lasts[{i}] = c",
                "else:",
                f"    c = deal(ex, {var})"]
    return [f"deck = ex.decks[{i}]",
            "if deck:",
            "    position = int(ex.random() * len(deck))",
            "    c = deck[position]",
            "    deck[position] = deck[-1]",
            "    deck.pop()",
            "    if not deck:",
            f"        ex.lasts[{i}] = c",
            "else:",
            f"    c = deal(ex, {var})"]


def _random_fast_path(rule: CompiledRule, var: str) -> list[str]:
    """Uniform: one multiplication. A few weights: the comparisons bisect_right would make (the last branch takes
    the draw that rounded up to the total)."""
    n = len(rule.choices)
    if rule.uniform:
        return [f"c = int(ex.random() * {n})"]
    if n > UNROLLED_WEIGHTS:  # `weighted`, inline
        return [f"c = bisect_right({var}.cumulative, ex.random() * {rule.cumulative[-1]!r}, 0, {n - 1})"]
    lines = [f"x = ex.random() * {rule.cumulative[-1]!r}"]
    for k, bound in enumerate(rule.cumulative[:-1]):
        lines += [f"{'if' if k == 0 else 'elif'} x < {bound!r}:", f"    c = {k}"]
    return lines + (["else:", f"    c = {n - 1}"] if n > 1 else ["c = 0"])


# ---- long-run probabilities, for stats ----------------------------------------------------------------------------
def _uniform_masses(weights: list[float]) -> list[float]:
    return [1.0] * len(weights)


def _weight_masses(weights: list[float]) -> list[float]:
    return list(weights)


def _no_repeat_masses(weights: list[float]) -> list[float]:
    """The stationary law of "weighted, redrawn when equal to the last": proportional to w·(W − w)."""
    if len(weights) < 2:
        return list(weights)
    total = sum(weights)
    return [weight * (total - weight) for weight in weights]


REGISTRY: Mapping[str, Policy] = MappingProxyType({policy.name: policy for policy in (
    Policy("deck", "every alternative once, in random order, before any comes back", deal, _deck_fast_path,
           _uniform_masses, deals=True, weighted=True, tracery=False),
    Policy("random", "in proportion to the weights, with replacement", weighted, _random_fast_path,
           _weight_masses, deals=False, weighted=True, tracery=True),
    Policy("no-repeat", "in proportion to the weights, never the same twice in a row", no_repeat,
           _call(no_repeat), _no_repeat_masses, deals=False, weighted=True, tracery=False),
    Policy("once", "drawn once, then the same for the rest of the document", once, _call(once),
           _weight_masses, deals=False, weighted=True, tracery=False),
    Policy("cycle", "in the order written, wrapping around (numbered lists, refrains)", cycle, _call(cycle),
           _uniform_masses, deals=False, weighted=False, tracery=False),
)})

DRAWS: Mapping[str, Callable] = MappingProxyType({"bisect_right": bisect_right, **{
    policy.draw.__name__: policy.draw for policy in REGISTRY.values()}})
"""The draw functions generated code may call, under the names the fast paths use (and `bisect_right`)."""


def policy_named(name: str | None) -> Policy:
    """The policy of a rule that names `name` (None: the default). The checker has refused unknown names already,
    so an unknown one here is a bug, and fails loudly."""
    return REGISTRY[name or DEFAULT_POLICY]
