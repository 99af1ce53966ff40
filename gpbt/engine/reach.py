"""What each compiled rule leads to, for the code generator: whether a fill can be written below it, and how the
work of expanding it is counted between two checks of the document's size (`Document.check_size`).

Counting the work. Generated code counts steps in `Document.steps` and checks the size when they run out. Counting
at every template costs time on every expansion, so only some places count, each by a static bound of the
templates it stands for:
- a repetition counts its items and a fill its units, each by the most templates one can write uncounted (its
  `cost`);
- a rule counts each expansion (by the most templates it can write uncounted) when it is recursive (every cycle
  of rules passes through one that counts) or when one expansion could write more than STEP_CAP templates
  uncounted;
- so does the start rule, and a `unique` rule's redraw (work that no caller counted);
- every other rule counts nothing: whatever expands it counted its work already.
So the steps counted are never fewer than the templates written, and each count is made before the work it stands
for: between two checks of the size, at most CHECK_EVERY steps and one expansion (bounded by the grammar) are done.
"""

from __future__ import annotations

from typing import Iterator

from . import compiler as ops
from .compiler import CompiledGrammar

STEP_CAP = 64  # templates one expansion may write without counting (more: the rule counts its own)


class Work:
    """Where a grammar's generated code counts its steps, and by how much."""

    def __init__(self, grammar: CompiledGrammar, calls: dict[int, set[int]]) -> None:
        """`calls`: each rule's `callees`."""
        self.counted: set[int] = set()  # rules whose expansions count
        self.costs: dict[int, int] = {}  # templates one expansion of a rule may write uncounted
        for rule in grammar.rules:
            if rule.index not in self.costs:
                self._visit(grammar, calls, rule.index)
        self.counted.add(grammar.start)  # once per document: what nothing above it counts

    def template(self, template: tuple) -> int:
        """The most templates writing `template` writes uncounted: itself, its binding values, and what it expands
        that does not count."""
        cost = 1
        for op in template:
            if op.__class__ is not str:
                cost += self._op(op)
        return cost

    def item(self, op: ops.Repeat) -> int:
        """The count of one item of a repetition (or unit of a fill)."""
        return max(1, self._rule(expanded_rule(op)))

    def _op(self, op) -> int:
        if type(op) is ops.Bind:
            return sum(self.template(value) for value in op.values)
        if type(op.op if type(op) is ops.Silent else op) is ops.Repeat:
            return 0  # it counts its items itself
        return self._rule(expanded_rule(op))

    def _rule(self, index: int | None) -> int:
        """What expanding rule `index` writes uncounted (nothing for no rule, or one that counts its own)."""
        return 0 if index is None or index in self.counted else self.costs[index]

    def _visit(self, grammar: CompiledGrammar, calls: dict[int, set[int]], start: int) -> None:
        """Costs of `start` and the rules below it, callees first (iteratively: a long chain of rules is no deeper
        a recursion). A rule reached again while it is being visited is recursive: it counts."""
        active: set[int] = {start}
        stack: list[tuple[int, Iterator[int]]] = [(start, iter(calls[start]))]
        while stack:
            index, todo = stack[-1]
            for callee in todo:
                if callee in active:
                    self.counted.add(callee)
                elif callee not in self.costs:
                    active.add(callee)
                    stack.append((callee, iter(calls[callee])))
                    break
            else:
                stack.pop()
                active.discard(index)
                cost = max(map(self.template, grammar.rules[index].choices), default=1)
                self.costs[index] = cost
                if cost > STEP_CAP:
                    self.counted.add(index)


def expanded_rule(op) -> int | None:
    """The rule an op expands directly: the one it names, a bound name's fallback, or that of the target of a
    modifier, a repetition or a silent expansion; None for text, slots and binding ops."""
    if type(op) is ops.Silent:
        op = op.op
    if type(op) is ops.Repeat or type(op) is ops.Modify:
        op = op.target
    if type(op) is ops.RuleRef:
        return op.index
    return op.fallback if type(op) is ops.BoundRef else None


def callees(rule: ops.CompiledRule) -> set[int]:
    """The rules an expansion of `rule` may expand directly (binding values and bound names' fallbacks included)."""
    targets = {expanded_rule(op) for template in rule.choices for op in all_ops(template)}
    targets.discard(None)
    return targets  # type: ignore[return-value]


def fills_below(grammar: CompiledGrammar, calls: dict[int, set[int]]) -> dict[int, bool]:
    """For each rule, whether a fill can be written while it is expanded (through any rule it leads to; `calls`:
    each rule's `callees`)."""
    fills: set[int] = set()
    for rule in grammar.rules:
        for template in rule.choices:
            for op in all_ops(template):
                if type(op) is ops.Silent:
                    op = op.op
                if type(op) is ops.Repeat and op.fill:
                    fills.add(rule.index)
    # a rule leads to a fill if it or any rule it reaches holds one: one backwards sweep from the fills
    callers: dict[int, set[int]] = {rule.index: set() for rule in grammar.rules}
    for caller, callees_of_caller in calls.items():
        for callee in callees_of_caller:
            callers[callee].add(caller)
    reaches = set(fills)
    todo = list(fills)
    while todo:
        for caller in callers[todo.pop()]:
            if caller not in reaches:
                reaches.add(caller)
                todo.append(caller)
    return {index: index in reaches for index in callers}


def all_ops(template: tuple) -> Iterator:
    """The ops of a template that are not text, binding values included."""
    for op in template:
        if op.__class__ is not str:
            yield op
            if type(op) is ops.Bind:
                for value in op.values:
                    yield from all_ops(value)
