"""Compiled grammar → Python functions, one per rule (as Jinja compiles templates to Python source).

The interpreter in `expander.py` walks the compact form; here each rule becomes a function with its choice policy,
weights and alternatives written out, and each template unrolled into straight-line code, so the common path does
no dispatching. Everything unusual (bindings, repetition, modifiers, the depth budget's closing choices) is handed
back to the interpreter's own methods, so the two always agree: for the same seed they draw the same random numbers
in the same order and write the same text (the tracer, which runs the interpreter, is tested against this).
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Callable

from .compiler import (BIND, BOUND, DECK, MODIFY, RANDOM, RULE, SINGLE, SLOT, WRAP, CompiledGrammar,
                       CompiledRule)
from .expander import Expander

UNROLLED_WEIGHTS = 8  # up to this many alternatives, a weighted choice is a chain of comparisons, else a bisection

RuleFunction = Callable[[Expander, int], None]


class CompiledExpander(Expander):
    """The expander with the generated rule functions in place of the interpreter's `_rule`."""

    def __init__(self, grammar: CompiledGrammar, functions: tuple[RuleFunction, ...], *args) -> None:
        self.functions = functions
        super().__init__(grammar, *args)

    def _rule(self, index: int, depth: int) -> None:
        self.functions[index](self, depth)


def generate_functions(grammar: CompiledGrammar) -> tuple[RuleFunction, ...]:
    """One function per rule, compiled from generated source."""
    namespace: dict[str, object] = {"R": grammar.rules, "INTERPRET": Expander._rule, "bisect_right": bisect_right}
    tables: list[str] = []  # filled in last: they name functions defined anywhere in the source
    source = "\n".join(_rule_source(rule, namespace, tables) for rule in grammar.rules) + "\n".join(tables)
    exec(compile(source, "<gpbt generated rules>", "exec"), namespace)  # noqa: S102 - our own generated code
    return tuple(namespace[f"r{rule.index}"] for rule in grammar.rules)  # type: ignore[misc]


def _rule_source(rule: CompiledRule, namespace: dict[str, object], tables: list[str]) -> str:
    i = rule.index
    lines = [f"def r{i}(ex, depth):",
             f"    if depth > {rule.limit!r}:  # near the depth budget: the interpreter's closing choice",
             f"        return INTERPRET(ex, {i}, depth)"]
    lines += ["    " + line for line in _choice_source(rule, namespace)]
    namespace[f"T{i}"] = rule.texts
    if all(text is not None for text in rule.texts):
        lines.append(f"    ex.out.append(T{i}[c])")
    else:
        writers = []
        for k, ops in enumerate(rule.choices):
            if rule.texts[k] is not None:
                writers.append("None")
            elif rule.forwards[k] >= 0:
                writers.append(f"r{rule.forwards[k]}")
            else:
                writers.append(f"a{i}_{k}")
                lines[:0] = _alternative_source(rule, k, ops, namespace)
        lines += [f"    text = T{i}[c]",
                  "    if text is not None:",
                  "        ex.out.append(text)",
                  "    else:",
                  f"        W{i}[c](ex, depth + 1)"]
        tables.append(f"W{i} = ({', '.join(writers)},)")
    return "\n".join(lines) + "\n"


def _choice_source(rule: CompiledRule, namespace: dict[str, object]) -> list[str]:
    """Code that sets `c`, drawing exactly what the interpreter's `_rule` draws for this policy."""
    i, n = rule.index, len(rule.choices)
    if rule.policy == SINGLE:
        return [f"c = {rule.live[0]}"]
    if rule.policy == DECK and rule.uniform:
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
    if rule.policy == DECK:
        return [f"c = ex._deal(R[{i}])"]
    if rule.policy == RANDOM and rule.uniform:
        return [f"c = int(ex.random() * {n})"]
    if rule.policy == RANDOM and n <= UNROLLED_WEIGHTS:
        cumulative = rule.cumulative
        code = [f"x = ex.random() * {cumulative[-1]!r}"]
        for k, bound in enumerate(cumulative[:-1]):
            code.append(f"{'if' if k == 0 else 'elif'} x < {bound!r}:")
            code.append(f"    c = {k}")
        code += ["else:", f"    c = {n - 1}"] if n > 1 else [f"c = {n - 1}"]
        return code
    if rule.policy == RANDOM:
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
             "    if len(out) > ex.next_size_check:",
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
