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


Forms = dict[object, list]  # each node's alternatives, as evaluate() reads them


def _fixpoint(forms: Forms, reads, evaluate) -> dict[object, float]:
    """Smallest value over each node's alternatives, iterated until nothing improves (values only ever decrease).

    A worklist over dependents: a node is evaluated again only when a node it reads has improved, so a chain of n
    rules costs O(n), not O(n²) as sweeping every rule until nothing changes did. The alternatives are reduced
    beforehand to what `evaluate(alternative, values)` needs (names and numbers, no node walking), which keeps each
    evaluation cheap. Chaotic iteration of these monotone functions reaches the same fixpoint in any order."""
    values: dict[object, float] = dict.fromkeys(forms, INFINITE)
    dependents: dict[object, set] = {node: set() for node in forms}
    for node, alternatives in forms.items():
        for alternative in alternatives:
            for read in reads(alternative):
                dependents[read].add(node)
    queue = deque(forms)
    queued = set(forms)
    while queue:
        node = queue.popleft()
        queued.discard(node)
        best = min((evaluate(alternative, values) for alternative in forms[node]), default=INFINITE)
        if best < values[node]:
            values[node] = best
            for dependent in dependents[node]:
                if dependent not in queued:
                    queued.add(dependent)
                    queue.append(dependent)
    return values


def choice_height(choice: nodes.Choice, heights: Mapping[str, float]) -> float:
    """Rule levels needed below this alternative: the deepest referenced rule (0 for plain text)."""
    return max((heights[ref.name] for ref in choice.references if ref.name in heights), default=0)


def min_heights(rules: Mapping[str, nodes.RuleDef]) -> dict[str, float]:
    """Smallest derivation depth of each rule; INFINITE marks a rule with no finite expansion."""
    forms: Forms = {name: [choice for choice in rule.choices if choice.weight > 0] for name, rule in rules.items()}
    return _fixpoint(forms, lambda choice: [ref.name for ref in choice.references if ref.name in rules],
                     lambda choice, heights: 1 + choice_height(choice, heights))


def bound_values(rules: Mapping[str, nodes.RuleDef]) -> dict[str, list[tuple[nodes.Piece, ...]]]:
    """Every value any binding can give each name."""
    values: dict[str, list[tuple[nodes.Piece, ...]]] = {}
    for rule in rules.values():
        for choice in rule.choices:
            for binding in choice.bindings:
                values.setdefault(binding.name, []).extend(binding.choices)
    return values


def min_lengths(rules: Mapping[str, nodes.RuleDef], slot_lengths: Mapping[str, int]) -> dict[str, float]:
    """Shortest text, in characters, that each rule can write (modifiers are assumed to keep the length; a bound-only
    name writes its shortest value, a slot its given length, a fill or `*0` nothing): each alternative becomes a
    linear form, a constant plus so many times the shortest text of each rule (or bound-only name) it writes, solved
    by one fixpoint."""
    bound = bound_values(rules)

    def form(pieces: Iterable[nodes.Piece], bound_names: bool) -> tuple[int, tuple[tuple[object, int], ...]]:
        constant, terms = 0, []
        for piece in pieces:
            if isinstance(piece, nodes.Text):
                constant += len(piece.value)
                continue
            if not isinstance(piece, nodes.Reference):
                continue  # bindings write nothing
            repeat = piece.repeat
            times = 1
            if repeat is not None:
                if repeat.fill or repeat.low == 0:
                    continue
                times = repeat.low
                constant += (times - 1) * len(piece.joiner)
            if piece.name in rules:
                terms.append((piece.name, times))
            elif bound_names and piece.name in bound:
                terms.append((("bound", piece.name), times))
            else:
                constant += times * slot_lengths.get(piece.name, 0)
        return constant, tuple(terms)

    forms: Forms = {name: [form(choice.pieces, True) for choice in rule.choices if choice.weight > 0]
                    for name, rule in rules.items()}
    forms.update({("bound", name): [form(value, False) for value in values] for name, values in bound.items()
                  if name not in rules})
    values = _fixpoint(forms, lambda linear: [node for node, _ in linear[1]],
                       lambda linear, lengths: linear[0] + sum([times * lengths[node] for node, times in linear[1]]))
    return {name: values[name] for name in rules}


def referenced_names(rules: Mapping[str, nodes.RuleDef]) -> set[str]:
    """Every name any alternative refers to (rules, slots, bound names), binding values included."""
    return {ref.name for rule in rules.values() for choice in rule.choices
            for ref in choice.references}

