"""Static facts about a grammar, computed by fixpoint over the rules: which rules can finish at all, the smallest
derivation depth of each rule (what makes termination a guarantee) and the shortest text each can produce."""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterable, Mapping

from .. import nodes

INFINITE = math.inf


def reachable(start: Iterable[str], edges: Mapping[str, Iterable[str]]) -> set[str]:
    """Every node reached from `start` by following `edges` (not `start` itself, unless a cycle leads back)."""
    seen: set[str] = set()
    todo = [child for node in start for child in edges[node]]
    while todo:
        node = todo.pop()
        if node not in seen:
            seen.add(node)
            todo.extend(edges[node])
    return seen


def template_references(pieces: Iterable[nodes.Piece]) -> Iterable[nodes.Reference]:
    """References expanded when a template is written out, including those inside binding values."""
    return nodes.walk_references(tuple(pieces))


def _fixpoint(rules: Mapping[str, nodes.RuleDef], choice_value,
              extra_reads: Mapping[str, set[str]] | None = None) -> dict[str, float]:
    """Smallest value over each rule's choices, iterated until nothing improves (values only ever decrease).

    A worklist over dependents: a rule is evaluated again only when a rule it reads has improved, so a chain of n
    rules costs O(n), not O(n²) as sweeping every rule until nothing changes did. `extra_reads` names, for a
    bound-only name, the rules its values read. Chaotic iteration of these monotone functions reaches the same
    fixpoint in any order, so the values are those of the sweep."""
    values: dict[str, float] = {name: INFINITE for name in rules}
    dependents: dict[str, set[str]] = {name: set() for name in rules}
    for name, rule in rules.items():
        for choice in rule.choices:
            for ref in template_references(choice.pieces):
                for read in (ref.name, *(extra_reads or {}).get(ref.name, ())):
                    if read in dependents:
                        dependents[read].add(name)
    queue = deque(rules)
    queued = set(rules)
    while queue:
        name = queue.popleft()
        queued.discard(name)
        best = min((choice_value(choice, values) for choice in rules[name].choices if choice.weight > 0),
                   default=INFINITE)
        if best < values[name]:
            values[name] = best
            for dependent in dependents[name]:
                if dependent not in queued:
                    queued.add(dependent)
                    queue.append(dependent)
    return values


def choice_height(choice: nodes.Choice, heights: Mapping[str, float]) -> float:
    """Rule levels needed below this alternative: the deepest referenced rule (0 for plain text)."""
    return max((heights[ref.name] for ref in template_references(choice.pieces) if ref.name in heights), default=0)


def min_heights(rules: Mapping[str, nodes.RuleDef]) -> dict[str, float]:
    """Smallest derivation depth of each rule; INFINITE marks a rule with no finite expansion."""
    return _fixpoint(rules, lambda choice, heights: 1 + choice_height(choice, heights))


def piece_min_length(piece: nodes.Piece, lengths: Mapping[str, float], slot_lengths: Mapping[str, int],
                     bound: Mapping[str, list[tuple[nodes.Piece, ...]]] | None = None) -> float:
    if isinstance(piece, nodes.Text):
        return len(piece.value)
    if not isinstance(piece, nodes.Reference):
        return 0  # bindings write nothing
    if piece.name in lengths:
        one = lengths[piece.name]
    elif bound and piece.name in bound:  # a bound-only name: its shortest possible value
        one = min(sum(piece_min_length(p, lengths, slot_lengths) for p in value) for value in bound[piece.name])
    else:
        one = slot_lengths.get(piece.name, 0)
    repeat = piece.repeat
    if repeat is None:
        return one
    if repeat.fill or repeat.low == 0:
        return 0
    return repeat.low * one + (repeat.low - 1) * len(piece.joiner)


def bound_values(rules: Mapping[str, nodes.RuleDef]) -> dict[str, list[tuple[nodes.Piece, ...]]]:
    """Every value any binding can give each name."""
    values: dict[str, list[tuple[nodes.Piece, ...]]] = {}
    for rule in rules.values():
        for choice in rule.choices:
            for binding in nodes.walk_bindings(choice.pieces):
                values.setdefault(binding.name, []).extend(binding.choices)
    return values


def min_lengths(rules: Mapping[str, nodes.RuleDef], slot_lengths: Mapping[str, int]) -> dict[str, float]:
    """Shortest text, in characters, that each rule can write (modifiers are assumed to keep the length)."""
    bound = bound_values(rules)
    reads = {name: {ref.name for value in values for ref in nodes.walk_references(value)}
             for name, values in bound.items()}
    return _fixpoint(rules, lambda choice, lengths: sum(
        piece_min_length(piece, lengths, slot_lengths, bound) for piece in choice.pieces), reads)


def referenced_names(rules: Mapping[str, nodes.RuleDef]) -> set[str]:
    """Every name any alternative refers to (rules, slots, bound names), binding values included."""
    return {ref.name for rule in rules.values() for choice in rule.choices
            for ref in template_references(choice.pieces)}

