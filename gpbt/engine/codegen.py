"""Compiled grammar → Python source, one function per rule (as Jinja2 compiles templates), over the runtime.

The generated functions are the only executor: each rule's function checks the depth budget, draws with its
policy's fast path (gpbt/engine/policies.py) and writes the alternative, each template unrolled into straight-line
code that appends text, calls rule functions directly and hands the unusual ops (repetition, modifiers, bindings)
to the runtime's declared operations (`runtime.API`). Tracing is a mode of the same generator: with `origin`, every
alternative and binding value announces itself (`enter`/`leave`) and plain-text shortcuts are not taken, so the
traced document draws the same numbers and writes the same text.

`python_source(grammar)` is the text a grammar author can read (`gpbt compile --emit-python`).
"""

from __future__ import annotations

import re
from typing import Callable

from . import compiler as ops
from .compiler import CompiledGrammar, CompiledRule
from .policies import DRAWS
from .runtime import Writer

_ANY_CHOICE = re.compile(r"^\s*c = ")
_CONSTANT_CHOICE = re.compile(r"^(\s*)c = (\d+)$")
Origin = Callable[[CompiledRule, int, "str | None"], object]  # (rule, alternative, bound name) → a trace origin


def generate_functions(grammar: CompiledGrammar, origin: Origin | None = None) -> tuple[Writer, ...]:
    """One function per rule, compiled from generated source (traced when `origin` is given)."""
    source, namespace, constants = _Generator(grammar, origin).module()
    exec(compile(source, "<gpbt generated rules>", "exec"), namespace)  # noqa: S102 - our own generated code
    for name, op in constants.items():  # records that hold functions are made once every function exists
        namespace[name] = _resolve(op, namespace)
    return tuple(namespace[f"r{rule.index}"] for rule in grammar.rules)  # type: ignore[misc]


def python_source(grammar: CompiledGrammar) -> str:
    """The generated module as text, for reading."""
    return _Generator(grammar, None).module()[0]


def _resolve(op, namespace: dict[str, object]):
    """A compiler record with every target (and binding value) replaced by the generated function that writes it."""
    if isinstance(op, str):
        return namespace[op]
    if isinstance(op, ops.BoundRef):
        return op._replace(fallback=None if op.fallback is None else namespace[op.fallback])
    if isinstance(op, (ops.Modify, ops.Repeat)):
        return op._replace(target=namespace[op.target])
    if isinstance(op, tuple):  # a binding's values: plain text, or the names of their functions
        return tuple(str(value) if isinstance(value, _Text) else namespace[value] for value in op)
    return op


class _Text(str):
    """A plain-text binding value (kept as it is), as opposed to the name of a function."""


class _Generator:
    def __init__(self, grammar: CompiledGrammar, origin: Origin | None) -> None:
        self.grammar = grammar
        self.origin = origin
        self.trace = origin is not None
        self.namespace: dict[str, object] = {"R": grammar.rules, **DRAWS}
        self.constants: dict[str, object] = {}  # name → record to resolve after exec
        self.functions: list[str] = []  # source of every function but the rules'
        self.defined: set[str] = set()
        self.counter = 0
        self.fills_below = _fills_below(grammar)

    def module(self) -> tuple[str, dict[str, object], dict[str, object]]:
        rules = [self.rule(rule) for rule in self.grammar.rules]
        source = "\n".join(self.functions + rules)
        return source, self.namespace, self.constants

    def fresh(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}{self.counter}"

    # ---- a rule: check the depth, choose, write --------------------------------------------------------------
    def rule(self, rule: CompiledRule) -> str:
        i = rule.index
        self.namespace[f"R{i}"] = rule
        closing = [f"if depth > {rule.limit!r}:  # near the depth budget: only alternatives that fit",
                   f"    c = ex.closing_choice(R{i}, depth)",
                   *("    " + line for line in self.write_chosen(rule)),
                   "    return"]
        body = self.choose_and_write(rule)
        if rule.unique:
            # the first draw is written here; `unique` compares it and, for a repeat, takes it back and has u{i}
            # (the same code) draw again
            self.functions.append("\n".join([f"def u{i}(ex, depth):", *("    " + line for line in body)]) + "\n")
            eager = self.fills_below.get(i, True)  # a fill inside must be written on the spot to be compared
            body = ["mark = len(ex.out)", *(["ex.eager += 1"] if eager else []), *body,
                    *(["ex.eager -= 1"] if eager else []), f"ex.unique({i}, u{i}, depth, {eager}, mark)"]
        lines = [f"def r{i}(ex, depth):  # {rule.name}", *("    " + line for line in closing + body)]
        return "\n".join(lines) + "\n"

    def choose_and_write(self, rule: CompiledRule) -> list[str]:
        if rule.single:
            return [self.write_one(rule, rule.live[0])]
        draw = rule.policy.fast_path(rule, f"R{rule.index}")
        chosen = [_CONSTANT_CHOICE.match(line) for line in draw if _ANY_CHOICE.match(line)]
        if chosen and all(chosen):  # every branch picks a known alternative: each writes it on the spot
            return [_CONSTANT_CHOICE.sub(lambda m: m.group(1) + self.write_one(rule, int(m.group(2))), line)
                    for line in draw]
        return draw + self.write_chosen(rule)

    def write_one(self, rule: CompiledRule, k: int) -> str:
        """One statement that writes alternative k."""
        text = None if self.trace else rule.texts[k]
        if text is not None:
            return f"ex.out.append({text!r})" if text else "pass"
        return f"{self.writer(rule, k)}(ex, depth + 1)"

    def write_chosen(self, rule: CompiledRule) -> list[str]:
        """Statements that write alternative `c`."""
        i, n = rule.index, len(rule.choices)
        texts = (None,) * n if self.trace else rule.texts
        writers = [None if texts[k] is not None else self.writer(rule, k) for k in range(n)]
        if all(writer is None for writer in writers):
            self.namespace[f"T{i}"] = texts
            return [f"ex.out.append(T{i}[c])"]
        self.constants[f"W{i}"] = tuple(writer or "_none" for writer in writers)
        self.namespace["_none"] = None
        if all(writer is not None for writer in writers):
            return [f"W{i}[c](ex, depth + 1)"]
        self.namespace[f"T{i}"] = texts
        return [f"text = T{i}[c]", "if text is not None:", "    ex.out.append(text)", "else:",
                f"    W{i}[c](ex, depth + 1)"]

    def writer(self, rule: CompiledRule, k: int) -> str:
        """The function that writes alternative k: the rule it forwards to, or its template's own."""
        if rule.forwards[k] >= 0:
            return f"r{rule.forwards[k]}"
        name = f"a{rule.index}_{k}"
        if name not in self.defined:
            self.defined.add(name)
            origin = self.origin(rule, k + 1, None) if self.origin else None
            self.functions.append(self.template(name, rule.choices[k], counted=f"R{rule.index}", origin=origin))
        return name

    # ---- a template: straight-line code ----------------------------------------------------------------------
    def template(self, name: str, template: tuple, counted: str | None, origin: object = None,
                 rule: CompiledRule | None = None) -> str:
        """A function writing `template`. `counted`: the rule whose size check it takes part in (alternatives
        count as templates written; binding values are counted by the runtime)."""
        lines = [f"def {name}(ex, depth):", "    out = ex.out"]
        if counted:
            lines += ["    ex.steps -= 1", "    if ex.steps < 0:", f"        ex.check_size({counted})"]
        if origin is not None:
            constant = self.fresh("O")
            self.namespace[constant] = origin
            lines.append(f"    ex.enter({constant})")
        scoped: list[tuple[str, str]] = []
        for op in template:
            lines += ["    " + line for line in self.op(op, scoped, origin)]
        lines += [f"    ex.end_scope({name!r}, {entry})" for name, entry in scoped]
        if origin is not None:
            lines.append("    ex.leave()")
        if len(lines) == 2:
            lines.append("    pass")
        return "\n".join(lines) + "\n"

    def op(self, op, scoped: list[tuple[str, str]], origin: object) -> list[str]:
        if op.__class__ is str:
            return [f"out.append({op!r})"]
        kind = type(op)
        if kind is ops.RuleRef:
            return [f"r{op.index}(ex, depth)"]
        if kind is ops.SlotRef:
            return [f"out.append(ex.slots[{op.name!r}])"]
        if kind is ops.BoundRef:
            return [f"ex.bound({self.record(op)}, depth)"]
        if kind is ops.Modify:
            return [f"ex.modify({self.target(op.target)}, {self.plain(op.modifiers)}, depth)"]
        if kind is ops.Repeat:
            return [f"ex.repeat({self.record(op)}, depth)"]
        if kind is ops.Bind:
            values = self.fresh("V")
            self.constants[values] = tuple(self.value(op, value, origin) for value in op.values)
            entry = self.fresh("e")
            if not op.keep:
                scoped.append((op.name, entry))
                return [f"{entry} = ex.bind({op.name!r}, {values}, depth)"]
            return [f"ex.bind({op.name!r}, {values}, depth)"]
        if kind is ops.Unbind:
            return [f"ex.unbind({op.name!r})"]
        return [f"ex.silent({self.target(op.op)}, depth)"]  # ops.Silent

    def value(self, bind: ops.Bind, template: tuple, origin: object) -> str:
        """A binding value: plain text as it stands, else the name of a function that writes it."""
        if not self.trace and len(template) == 1 and template[0].__class__ is str:
            return _Text(template[0])
        name = self.fresh("v")
        value_origin = self.origin_for_binding(origin, bind.name) if self.trace else None
        self.functions.append(self.template(name, template, counted=None, origin=value_origin))
        return name

    def origin_for_binding(self, origin: object, name: str) -> object:
        import dataclasses

        return dataclasses.replace(origin, binding=name) if origin is not None else None  # type: ignore[type-var]

    def target(self, op) -> str:
        """The name of a function that writes `op` (a target, or a modified or repeated one)."""
        if type(op) is ops.RuleRef:
            return f"r{op.index}"
        name = self.fresh("w")
        self.functions.append(self.template(name, (op,), counted=None))
        return name

    def record(self, op) -> str:
        """A constant holding `op`, its targets resolved to functions once they exist."""
        name = self.fresh("P")
        if type(op) is ops.BoundRef:
            self.constants[name] = op._replace(fallback=None if op.fallback is None else f"r{op.fallback}")
        else:
            self.constants[name] = op._replace(target=self.target(op.target))
        return name

    def plain(self, value: object) -> str:
        name = self.fresh("M")
        self.namespace[name] = value
        return name


def _fills_below(grammar: CompiledGrammar) -> dict[int, bool]:
    """For each rule, whether a fill can be written while it is expanded (through any rule it leads to)."""
    calls: dict[int, set[int]] = {}
    fills: set[int] = set()
    for rule in grammar.rules:
        targets: set[int] = set()
        for template in rule.choices:
            for op in _all_ops(template):
                if type(op) is ops.Silent:
                    op = op.op
                if type(op) is ops.Repeat and op.fill:
                    fills.add(rule.index)
                target = op.target if type(op) in (ops.Repeat, ops.Modify) else op
                if type(target) is ops.RuleRef:
                    targets.add(target.index)
                elif type(target) is ops.BoundRef and target.fallback is not None:
                    targets.add(target.fallback)
        calls[rule.index] = targets
    # a rule leads to a fill if it or any rule it reaches holds one: one backwards sweep from the fills
    callers: dict[int, set[int]] = {index: set() for index in calls}
    for caller, callees in calls.items():
        for callee in callees:
            callers[callee].add(caller)
    reaches = set(fills)
    todo = list(fills)
    while todo:
        for caller in callers[todo.pop()]:
            if caller not in reaches:
                reaches.add(caller)
                todo.append(caller)
    return {index: index in reaches for index in calls}


def _all_ops(template: tuple):
    """The ops of a template that are not text, binding values included."""
    for op in template:
        if op.__class__ is not str:
            yield op
            if type(op) is ops.Bind:
                for value in op.values:
                    yield from _all_ops(value)
