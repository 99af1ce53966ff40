"""Compiled grammar → Python functions, one per rule (as Jinja compiles templates to Python source).

The interpreter in `expander.py` walks the compact form; here each rule becomes a function with its choice policy,
weights and alternatives written out, and each template unrolled into straight-line code, so the common path does
no dispatching. Everything unusual (bindings, repetition, modifiers, the depth budget's closing choices) is handed
back to the interpreter's own methods, so the two always agree: for the same seed they draw the same random numbers
in the same order and write the same text (the tracer, which runs the interpreter, is tested against this).
"""

from __future__ import annotations

from bisect import bisect_right
from functools import partial
from typing import Callable

from .analysis import reachable
from .compiler import (BIND, BOUND, DECK, MODIFY, RANDOM, RULE, SILENT, SINGLE, SLOT, UNIQUE, WRAP, CompiledGrammar,
                       CompiledRule)
from .expander import UNIQUE_ATTEMPTS, Expander

UNROLLED_WEIGHTS = 8  # up to this many alternatives, a weighted choice is a chain of comparisons, else a bisection

RuleFunction = Callable[[Expander, int], None]


class CompiledExpander(Expander):
    """The expander with the generated rule functions in place of the interpreter's `_rule`."""

    def __init__(self, grammar: CompiledGrammar, functions: tuple[RuleFunction, ...], *args) -> None:
        self.functions = functions
        super().__init__(grammar, *args)

    def _rule(self, index: int, depth: int) -> None:
        self.functions[index](self, depth)

    def _rule_caller(self, index: int) -> Callable[[int], None]:
        return partial(self.functions[index], self)


def generate_functions(grammar: CompiledGrammar) -> tuple[RuleFunction, ...]:
    """One function per rule, compiled from generated source."""
    namespace: dict[str, object] = {"R": grammar.rules, "INTERPRET": Expander._rule, "bisect_right": bisect_right,
                                    "UNIQUE_ATTEMPTS": UNIQUE_ATTEMPTS}
    tables: list[str] = []  # filled in last: they name functions defined anywhere in the source
    fills_below = _fills_below(grammar)
    source = "\n".join(_rule_source(rule, namespace, tables, fills_below) for rule in grammar.rules)
    source += "\n".join(tables)
    exec(compile(source, "<gpbt generated rules>", "exec"), namespace)  # noqa: S102 - our own generated code
    return tuple(namespace[f"r{rule.index}"] for rule in grammar.rules)  # type: ignore[misc]


def _rule_source(rule: CompiledRule, namespace: dict[str, object], tables: list[str],
                 fills_below: dict[int, bool]) -> str:
    i, n, policy = rule.index, len(rule.choices), rule.base_policy
    prelude: list[str] = []  # the functions of this rule's templates

    def writer(k: int) -> str:
        """The function that writes alternative k (not plain text): the rule it forwards to, or its template's."""
        if rule.forwards[k] >= 0:
            return f"r{rule.forwards[k]}"
        if f"def a{i}_{k}(ex, depth):" not in prelude:
            prelude.extend(_alternative_source(rule, k, rule.choices[k], namespace))
        return f"a{i}_{k}"

    def write(k: int) -> str:
        """One statement that writes alternative k."""
        if rule.texts[k] is not None:
            return f"ex.out.append({rule.texts[k]!r})" if rule.texts[k] else "pass"
        return f"{writer(k)}(ex, depth + 1)"

    body: list[str] = []  # choose an alternative and write it
    if policy == SINGLE:
        body.append(write(rule.live[0]))
    elif policy == RANDOM and not rule.uniform and n <= UNROLLED_WEIGHTS:
        # the comparisons bisect_right would make, each branch writing its alternative
        body.append(f"x = ex.random() * {rule.cumulative[-1]!r}")
        for k, bound in enumerate(rule.cumulative[:-1]):
            body += [f"{'if' if k == 0 else 'elif'} x < {bound!r}:", f"    {write(k)}"]
        body += ["else:", f"    {write(n - 1)}"] if n > 1 else [write(0)]
    else:
        body += _choice_source(rule, namespace)
        namespace[f"T{i}"] = rule.texts
        writers = [None if rule.texts[k] is not None else writer(k) for k in range(n)]
        tables.append(f"W{i} = ({', '.join(str(writer) for writer in writers)},)")
        if all(writer is None for writer in writers):
            body.append(f"ex.out.append(T{i}[c])")
        elif all(writer is not None for writer in writers):
            body.append(f"W{i}[c](ex, depth + 1)")
        else:
            body += [f"text = T{i}[c]", "if text is not None:", "    ex.out.append(text)", "else:",
                     f"    W{i}[c](ex, depth + 1)"]
    if rule.policy == UNIQUE:
        # the first draw here; a repeat (rare) is taken back and Expander._unique draws again, as it would have
        eager = fills_below.get(i, True)  # a fill inside must be written on the spot to be compared
        body = [f"seen = ex.written.get({i})",
                "if seen is None:",
                f"    seen = ex.written[{i}] = set()",
                "out = ex.out",
                "mark = len(out)",
                *(["ex.eager += 1"] if eager else []),
                *body,
                *(["ex.eager -= 1"] if eager else []),
                "written = ''.join(out[mark:])",
                "if written in seen and ex.retries > 0:",
                "    ex.retries -= 1",
                "    ex._collapse(mark)",
                f"    ex._unique(R[{i}], depth, UNIQUE_ATTEMPTS - 1)",
                "else:",
                "    seen.add(written)"]
    lines = [f"def r{i}(ex, depth):",
             f"    if depth > {rule.limit!r}:  # near the depth budget: the interpreter's closing choice",
             f"        return INTERPRET(ex, {i}, depth)",
             *("    " + line for line in body)]
    return "\n".join(prelude + lines) + "\n"


def _fills_below(grammar: CompiledGrammar) -> dict[int, bool]:
    """For each rule, whether a fill can be written while it is expanded (through any rule it leads to)."""
    calls: dict[int, set[int]] = {}
    fills: set[int] = set()
    for rule in grammar.rules:
        targets: set[int] = set()
        for ops in rule.choices:
            for op in _all_ops(ops):
                if op[0] == SILENT:
                    op = op[1]
                target = op[1] if op[0] in (WRAP, MODIFY) else op
                if op[0] == WRAP and op[6]:
                    fills.add(rule.index)
                if target[0] == RULE:
                    targets.add(target[1])
                elif target[0] == BOUND and target[2] >= 0:
                    targets.add(target[2])
        calls[rule.index] = targets
    return {index: bool(({index} | reachable([index], calls)) & fills) for index in calls}


def _all_ops(ops: tuple):
    """The op tuples of a template, binding values included."""
    for op in ops:
        if op.__class__ is tuple:
            yield op
            if op[0] == BIND:
                for value in op[2]:
                    yield from _all_ops(value)


def _choice_source(rule: CompiledRule, namespace: dict[str, object]) -> list[str]:
    """Code that sets `c`, drawing exactly what the interpreter's `_rule` draws for this policy."""
    i, n, policy = rule.index, len(rule.choices), rule.base_policy
    if policy == DECK and rule.uniform:
        return [f"deck = ex.decks[{i}]",
                "if deck:",
                "    position = int(ex.random() * len(deck))",
                "    c = deck[position]",
                "    deck[position] = deck[-1]",
                "    deck.pop()",
                "    if not deck:",
                f"        ex.lasts[{i}] = c",
                "else:",
                f"    c = ex._deal(R[{i}])"]
    if policy == DECK:
        return [f"c = ex._deal(R[{i}])"]
    if policy == RANDOM and rule.uniform:
        return [f"c = int(ex.random() * {n})"]
    if policy == RANDOM:
        namespace[f"C{i}"] = rule.cumulative
        return [f"c = bisect_right(C{i}, ex.random() * C{i}[-1])",
                f"if c == {n}:",
                "    c -= 1"]
    return [f"c = ex._remembered_choice(R[{i}])"]


def _alternative_source(rule: CompiledRule, k: int, ops: tuple, namespace: dict[str, object]) -> list[str]:
    """A template written out: text appended, rules called directly, slots read; other ops go to the
    interpreter one by one. An alternative with a binding goes to the interpreter whole (it keeps the scope)."""
    i = rule.index
    name = f"OPS{i}_{k}"
    namespace[name] = ops
    lines = [f"def a{i}_{k}(ex, depth):",
             "    out = ex.out",
             "    ex.steps -= 1",
             "    if ex.steps < 0:",
             f"        ex._check_size(R[{i}])"]
    if any(op.__class__ is tuple and op[0] == BIND for op in ops):
        return lines + [f"    ex._template({name}, depth)", ""]
    for m, op in enumerate(ops):
        if op.__class__ is not tuple:
            lines.append(f"    out.append({op!r})")
        elif op[0] == RULE:
            lines.append(f"    r{op[1]}(ex, depth)")
        elif op[0] == SLOT:
            lines.append(f"    out.append(ex.slots[{op[1]!r}])")
        elif op[0] == WRAP:
            lines.append(f"    ex._wrap({name}[{m}], depth)")
        elif op[0] == MODIFY:
            lines.append(f"    ex._item({name}[{m}][1], {name}[{m}][2], depth)")
        elif op[0] == BOUND:
            lines.append(f"    ex._bound({name}[{m}], depth)")
        else:  # a silent reference or an unbinding
            namespace[f"{name}_{m}"] = (op,)
            lines.append(f"    ex._template({name}_{m}, depth)")
    return lines + [""]
