"""Static statistics of a grammar: how long its rules write, how many different things they can write, and how much
choice (entropy) goes into each. This is what tells an author which rule gives too little variety.

Everything is computed from the rule definitions, never by generating: figures are solved rule by rule over the
strongly connected components of the reference graph (dependencies first); a recursive component gets infinite
counts and maximum lengths, and its expected length and entropy come from fixed-point iteration of the linear
system. How each figure is computed, and where it is exact, is documented in docs/stats.md.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterator
from dataclasses import dataclass, fields
from typing import Any, Callable, Union

from .. import nodes
from .analysis import reachable
from ..errors import UsageError
from .model import StyleDefinition

INFINITE = math.inf
Count = Union[int, float]  # an exact big integer, or INFINITE
MAX_ITERATIONS = 20_000  # fixed-point rounds for a recursive component before calling it divergent
DIVERGED = 1e18  # a value past this during iteration is taken as divergence
TOLERANCE = 1e-12
Pair = tuple[nodes.Choice, float]


@dataclass(frozen=True)
class RuleStats:
    """The figures of one rule. Infinite values are `math.inf` (`INFINITE`), rendered "infinite"."""

    name: str
    file: str
    line: int
    policy: str
    alternatives: int
    live_alternatives: int  # with a weight above 0
    min_length: float
    max_length: float
    expected_length: float
    distinct: Count  # distinct derivations
    choice_entropy: float  # bits of one choice among the alternatives
    entropy: float  # bits of the whole expansion
    recursive: bool
    uses: float  # expected expansions per document at the style's default length

    @property
    def variety(self) -> float | None:
        """Distinct expansions per use in one document: below 1, some expansion must repeat within a document."""
        if self.uses <= 0:
            return None
        return INFINITE if self.distinct == INFINITE else _ratio(self.distinct, self.uses)

    @property
    def low_variety(self) -> bool:
        variety = self.variety
        return variety is not None and variety < 1

    def to_json(self) -> dict[str, Any]:
        record = {("rule" if f.name == "name" else f.name): _json(getattr(self, f.name)) for f in fields(self)}
        return {**record, "variety": _json(self.variety), "low_variety": self.low_variety}


@dataclass(frozen=True)
class StyleStats:
    """Whole-style figures: the sentence rule and its variety, and how the essay length splits into a fixed part
    and fill units."""

    name: str
    start: str
    default_length: int
    rules: list[RuleStats]
    sentence: str | None  # the rule a fill unit repeats innermost, or the one the caller named
    distinct_sentences: Count | None
    sentence_entropy: float | None
    sentence_length: float | None  # expected length of one sentence
    fill_unit: str | None  # the rule the (first) fill repeats
    unit_length: float | None  # expected length of one fill unit, joiner included
    fixed_length: float  # expected length of everything outside fills
    units: float  # expected fill units at the default length

    def lowest_variety(self, n: int = 5) -> list[RuleStats]:
        """The `n` used rules with the fewest distinct expansions per use in a document."""
        used = [rule for rule in self.rules if rule.variety is not None and rule.variety != INFINITE]
        return sorted(used, key=lambda rule: (rule.variety, rule.file, rule.line))[:n]

    def to_json(self) -> dict[str, Any]:
        style = {f.name: _json(getattr(self, f.name)) for f in fields(self) if f.name != "rules"}
        style["lowest_variety"] = [rule.name for rule in self.lowest_variety()]
        return {"style": style, "rules": [rule.to_json() for rule in self.rules]}


def _json(value: Any) -> Any:
    """Big integers stay integers; infinity becomes the string "infinite"; floats are rounded for stable output."""
    if isinstance(value, float):
        return "infinite" if value == INFINITE else round(value, 4)
    return value


def _ratio(count: int, uses: float) -> float:
    """count / uses without converting a huge integer to float (which would overflow)."""
    if count.bit_length() > 1000:
        return INFINITE
    return count / uses


def _mul(a: Count, b: Count) -> Count:
    if a == INFINITE or b == INFINITE:
        return INFINITE
    return a * b


def _series(one: Count, low: int, high: int) -> Count:
    """Σ_{k=low..high} one^k: the derivations of `{x*low-high}` (joiners are fixed text)."""
    if one == INFINITE:
        return 1 if high == 0 else INFINITE
    if one == 1:
        return high - low + 1
    return (one ** (high + 1) - one ** low) // (one - 1)


def _mean_counts(repeat: nodes.Repeat) -> tuple[float, float]:
    """E[k] and E[joiners] = E[max(k-1, 0)] for a count drawn uniformly from low..high."""
    size = repeat.high - repeat.low + 1
    mean = (repeat.low + repeat.high) / 2
    return mean, mean - 1 + (1 / size if repeat.low == 0 else 0)


class _Analysis:
    """The reference graph of a style, with each rule's live alternatives and their long-run probabilities."""

    def __init__(self, definition: StyleDefinition, slot_lengths: dict[str, int] | None) -> None:
        self.definition = definition
        self.rules = definition.rules
        self.slot_lengths = {name: len(slot.default or "") for name, slot in definition.slots.items()}
        self.slot_lengths.update(slot_lengths or {})
        self.values: dict[str, list[tuple[nodes.Piece, ...]]] = {}  # bound-only name → every value template
        self.sizes: dict[str, int] = {}  # bound-only name → most values one binding gives it
        for rule in self.rules.values():
            for choice in rule.choices:
                for binding in choice.bindings:
                    if binding.name not in self.rules:
                        self.values.setdefault(binding.name, []).extend(binding.choices)
                        self.sizes[binding.name] = max(self.sizes.get(binding.name, 0), len(binding.choices))
        self.pairs: dict[str, list[Pair]] = {name: _probabilities(definition, rule)
                                             for name, rule in self.rules.items()}
        self.nodes = list(self.rules) + [f"[{name}]" for name in self.values]
        self.edges = {node: sorted(set(self._dependencies(node))) for node in self.nodes}
        self.components, self.cyclic = _components(self.nodes, self.edges)

    def _templates(self, node: str) -> list[tuple[nodes.Piece, ...]]:
        if node.startswith("[") and node[1:-1] in self.values:
            return self.values[node[1:-1]]
        return [choice.pieces for choice, _ in self.pairs[node]]

    def _dependencies(self, node: str) -> Iterator[str]:
        for pieces in self._templates(node):
            for ref in nodes.walk_references(pieces):
                if ref.name in self.rules:
                    yield ref.name
                elif ref.name in self.values:
                    yield f"[{ref.name}]"

    # ---- one figure, solved component by component -------------------------------------------------------------
    def solve(self, figure: str, fill: float = INFINITE) -> dict[str, Any]:
        """`figure` is count, min, max, mean or entropy; `fill` is the length a fill counts as (mean only)."""
        values: dict[str, Any] = {}
        node_value: Callable[[str], Any] = lambda node: self._node(node, figure, values, fill)
        for component in self.components:
            if not any(node in self.cyclic for node in component):
                values[component[0]] = node_value(component[0])
            elif figure in ("count", "max"):
                values.update((node, INFINITE) for node in component)
            elif figure == "min":  # from above: values only decrease, and they are whole numbers
                values.update((node, INFINITE) for node in component)
                changed = True
                while changed:
                    changed = False
                    for node in component:
                        value = node_value(node)
                        if value < values[node]:
                            values[node], changed = value, True
            else:
                _iterate(component, values, node_value)
        return values

    def _node(self, node: str, figure: str, values: dict[str, Any], fill: float) -> Any:
        if node.startswith("[") and node[1:-1] in self.values:  # a bound-only name: one of its values
            name = node[1:-1]
            return self._bound(self.values[name], self.sizes[name], figure, values, fill)
        pairs = self.pairs[node]
        results = [self._template(choice.pieces, figure, values, fill) for choice, _ in pairs]
        if figure == "count":
            return INFINITE if INFINITE in results else sum(results)
        if figure in ("min", "max"):
            return {"min": min, "max": max}[figure](results, default=0)
        expected = sum(p * result for (_, p), result in zip(pairs, results) if p > 0)
        return expected + _choice_entropy(pairs) if figure == "entropy" else expected

    def _bound(self, templates: list[tuple[nodes.Piece, ...]], size: int, figure: str, values: dict[str, Any],
               fill: float) -> Any:
        """A bound reference picks one of `size` values already written: it adds their variety, not theirs."""
        if figure == "count":
            return size
        if figure == "entropy":
            return math.log2(size)
        lengths = [self._template(v, figure, values, fill) for v in templates]
        return {"min": min, "max": max}.get(figure, lambda xs: sum(xs) / len(xs))(lengths)

    def _template(self, pieces: tuple[nodes.Piece, ...], figure: str, values: dict[str, Any], fill: float) -> Any:
        total: Any = 1 if figure == "count" else 0
        local: dict[str, nodes.Binding] = {}  # bindings made earlier in this template: known exactly
        for piece in pieces:
            if isinstance(piece, nodes.Text):
                one = 1 if figure == "count" else 0 if figure == "entropy" else len(piece.value)
            elif isinstance(piece, nodes.Reference):
                one = self._reference(piece, figure, values, fill, local)
            elif isinstance(piece, nodes.Silent):  # writes nothing, but its choices are part of the derivation
                one = self._reference(piece.reference, figure, values, fill, local) \
                    if figure in ("count", "entropy") else 0
            elif isinstance(piece, nodes.Binding):  # each value is expanded once, and writes nothing
                local[piece.name] = piece
                one = 1 if figure == "count" else 0
                for value in piece.choices if figure in ("count", "entropy") else ():
                    result = self._template(value, figure, values, fill)
                    one = _mul(one, result) if figure == "count" else one + result
            else:  # an unbinding writes nothing
                local.pop(piece.name, None)
                one = 1 if figure == "count" else 0
            total = _mul(total, one) if figure == "count" else total + one
        return total

    def _reference(self, ref: nodes.Reference, figure: str, values: dict[str, Any], fill: float,
                   local: dict[str, nodes.Binding]) -> Any:
        if ref.name in local:
            binding = local[ref.name]
            one = self._bound(list(binding.choices), len(binding.choices), figure, values, fill)
        elif ref.name in self.rules:
            one = values[ref.name]
        elif ref.name in self.values:
            one = values[f"[{ref.name}]"]
        else:  # a slot: its value is given
            one = 1 if figure == "count" else 0 if figure == "entropy" else self.slot_lengths.get(ref.name, 0)
        repeat, joiner = ref.repeat, len(ref.joiner)
        if repeat is None:
            return one
        if repeat.fill:
            return fill if figure == "mean" else 0 if figure == "min" else INFINITE
        if figure == "count":
            return _series(one, repeat.low, repeat.high)
        if figure == "min":
            return repeat.low * one + max(repeat.low - 1, 0) * joiner
        if figure == "max":
            return repeat.high * one + max(repeat.high - 1, 0) * joiner
        mean, joiners = _mean_counts(repeat)
        if figure == "mean":
            return mean * one + joiners * joiner
        return math.log2(repeat.high - repeat.low + 1) + (mean * one if mean else 0)

    # ---- uses per document ---------------------------------------------------------------------------------------
    def uses(self, units: float) -> dict[str, float]:
        """Expected expansions of each rule in one document, a fill counting as `units` expansions of its unit."""
        flows: dict[str, dict[str, float]] = {}
        for name, pairs in self.pairs.items():
            out = flows[name] = {}
            for choice, p in pairs:
                for child, times in self._children(choice.pieces, units):
                    out[child] = out.get(child, 0) + p * times
        start = self.definition.start
        current = {name: 0.0 for name in self.rules}
        for _ in range(MAX_ITERATIONS):
            new = {name: float(name == start) for name in self.rules}
            for name, out in flows.items():
                if current[name]:
                    for child, weight in out.items():
                        new[child] += current[name] * weight
            if all(_close(new[n], current[n]) for n in new) or any(v > DIVERGED for v in new.values()):
                current = new
                break
            current = new
        return {name: INFINITE if value > DIVERGED else value for name, value in current.items()}

    def _children(self, pieces: tuple[nodes.Piece, ...], units: float) -> Iterator[tuple[str, float]]:
        for piece in pieces:
            if isinstance(piece, nodes.Binding):
                for value in piece.choices:
                    yield from self._children(value, units)
            elif isinstance(piece, (nodes.Reference, nodes.Silent)):
                ref = piece.reference if isinstance(piece, nodes.Silent) else piece
                if ref.name in self.rules:
                    times = 1.0 if ref.repeat is None else units if ref.repeat.fill else _mean_counts(ref.repeat)[0]
                    yield ref.name, times

    def first_fill(self) -> nodes.Reference | None:
        """The first fill met in document order from the start rule (a second fill writes nothing)."""
        seen: set[str] = set()
        stack = [self.definition.start]
        while stack:
            name = stack.pop()
            if name in seen or name not in self.rules:
                continue
            seen.add(name)
            later: list[str] = []
            for choice, _ in self.pairs[name]:
                for ref in choice.references:
                    if ref.repeat is not None and ref.repeat.fill:
                        return ref
                    later.append(ref.name)
            stack.extend(reversed(later))
        return None

    def sentence_rule(self, unit: str) -> str:
        """The items a fill unit repeats innermost: follow repetitions down from the unit, looking through rules
        with a single alternative (wrappers) but not into rules that choose (a sentence chooses)."""
        current, seen = unit, {unit}
        while (found := self._repeated_item(current, set())) is not None and found not in seen:
            seen.add(found)
            current = found
        return current

    def _repeated_item(self, name: str, visited: set[str]) -> str | None:
        visited.add(name)
        refs = [ref for choice, _ in self.pairs.get(name, []) for ref in choice.references
                if ref.name in self.rules]
        for ref in refs:
            if ref.repeat and not ref.repeat.fill and ref.repeat.high > 1:
                return ref.name
        wrappers = [ref.name for ref in refs if ref.repeat is None and len(self.pairs[ref.name]) == 1]
        return next((found for wrapper in wrappers if wrapper not in visited
                     if (found := self._repeated_item(wrapper, visited))), None)


def _probabilities(definition: StyleDefinition, rule: nodes.RuleDef) -> list[Pair]:
    """Long-run probability of each live alternative under the rule's policy (its `long_run`, gpbt/engine/
    policies.py): deck and cycle deal every live alternative once per round, so 1/n whatever the weights; random and
    once: weight / total; no-repeat: proportional to w·(W − w)."""
    live = [choice for choice in rule.choices if choice.weight > 0]
    masses = definition.policy(rule).long_run([choice.weight for choice in live])
    total = sum(masses)
    return [(choice, mass / total) for choice, mass in zip(live, masses)]


def _choice_entropy(pairs: list[Pair]) -> float:
    return -sum(p * math.log2(p) for _, p in pairs if p > 0) + 0.0


def _close(new: float, old: float) -> bool:
    return new == old or abs(new - old) <= TOLERANCE * max(1.0, abs(new))


def _iterate(component: list[str], values: dict[str, Any], node_value: Callable[[str], Any]) -> None:
    """Least fixed point of a recursive component's linear equations, from 0 up; infinite if it diverges."""
    values.update((node, 0.0) for node in component)
    for _ in range(MAX_ITERATIONS):
        new = {node: node_value(node) for node in component}
        done = all(_close(new[node], values[node]) for node in component)
        values.update(new)
        if done:
            return
        if any(value > DIVERGED for value in new.values()):
            break
    values.update((node, INFINITE) for node in component)


def _components(nodes_: list[str], edges: dict[str, list[str]]) -> tuple[list[list[str]], set[str]]:
    """Strongly connected components, dependencies first, and the nodes on a cycle. A component comes after every
    component it reaches: it reaches strictly more nodes, or as many when the one it reaches is a cycle."""
    reach = {node: reachable([node], edges) for node in nodes_}
    done: set[str] = set()
    components = []
    for node in sorted(nodes_, key=lambda n: (len(reach[n]), n not in reach[n])):
        if node not in done:
            component = [node] + sorted(m for m in reach[node] if m != node and node in reach[m])
            done.update(component)
            components.append(component)
    return components, {node for node in nodes_ if node in reach[node]}


def _root(definition: StyleDefinition) -> str:
    paths = [rule_file.source.path for rule_file in definition.files]
    return os.path.dirname(paths[0]) if paths else ""


def style_stats(definition: StyleDefinition, sentence: str | None = None, length: int | None = None,
                slot_lengths: dict[str, int] | None = None) -> StyleStats:
    """Every figure of a style. `sentence` names the sentence rule (default: found from the fill), `length` the
    target used for uses per document (default: the style's @length), `slot_lengths` the assumed length of slot
    values (default: their default value, or 0: the topic's own length is not counted)."""
    analysis = _Analysis(definition, slot_lengths)
    counts, means = analysis.solve("count"), analysis.solve("mean")
    fixed = analysis.solve("mean", fill=0.0).get(definition.start, 0.0)
    target = definition.default_length if length is None else length
    fill = analysis.first_fill()
    unit = fill.name if fill is not None and fill.name in definition.rules else None
    unit_length = None if unit is None else means[unit] + len(fill.joiner)
    units = 0.0
    if unit_length and unit_length != INFINITE and fixed != INFINITE:
        units = max(0.0, (target - fixed + len(fill.joiner)) / unit_length)
    uses = analysis.uses(units)
    rules = _rule_list(analysis, counts, means, uses)
    if sentence is None and unit is not None:
        sentence = analysis.sentence_rule(unit)
    if sentence is not None and sentence not in definition.rules:
        raise UsageError(f"'{sentence}' is not a rule of style '{definition.name}'", "unknown-rule",
                               hint="give --sentence the name of a rule of this style")
    by_name = {rule.name: rule for rule in rules}
    chosen = by_name.get(sentence) if sentence else None
    return StyleStats(
        name=definition.meta("style", definition.name), start=definition.start, default_length=target, rules=rules,
        sentence=sentence, distinct_sentences=chosen.distinct if chosen else None,
        sentence_entropy=chosen.entropy if chosen else None, sentence_length=chosen.expected_length if chosen else None,
        fill_unit=unit, unit_length=unit_length, fixed_length=fixed, units=units)


def rule_stats(definition: StyleDefinition, slot_lengths: dict[str, int] | None = None) -> list[RuleStats]:
    """The figures of every rule, sorted by file and line."""
    return style_stats(definition, slot_lengths=slot_lengths).rules


def _rule_list(analysis: _Analysis, counts: dict[str, Any], means: dict[str, Any],
               uses: dict[str, float]) -> list[RuleStats]:
    mins, maxes, entropies = analysis.solve("min"), analysis.solve("max"), analysis.solve("entropy")
    root = _root(analysis.definition)
    rules = []
    for name, rule in analysis.rules.items():
        pairs = analysis.pairs[name]
        rules.append(RuleStats(
            name=name, file=os.path.relpath(rule.span.path, root) if root else rule.span.path, line=rule.span.line,
            policy=analysis.definition.policy_label(rule),
            alternatives=len(rule.choices), live_alternatives=len(pairs),
            min_length=mins[name], max_length=maxes[name], expected_length=means[name], distinct=counts[name],
            choice_entropy=_choice_entropy(pairs), entropy=entropies[name], recursive=name in analysis.cyclic,
            uses=uses[name]))
    return sorted(rules, key=lambda r: (r.file, r.line))
