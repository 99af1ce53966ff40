"""Checked style → compact form for the code generator: rules by index, templates as tuples of literal strings and
ops. Ops are small named records (`NamedTuple`s: cheap to build and read); nothing here is re-parsed later.

A target (what a reference writes) is a `RuleRef`, a `SlotRef` or a `BoundRef`; `Modify` and `Repeat` wrap a
target with modifiers or a repetition; `Bind`, `Unbind` and `Silent` are the binding ops. The code generator turns
each op into code over the runtime (gpbt/engine/runtime.py); it replaces every target by the function that writes it.
"""

from __future__ import annotations

import itertools
from typing import Any, Callable, NamedTuple, Union

from typing import TYPE_CHECKING

from ..record import Record
from ..source import Span
from .policies import Policy

if TYPE_CHECKING:
    from .. import nodes
    from .model import StyleDefinition


class RuleRef(NamedTuple):
    index: int


class SlotRef(NamedTuple):
    name: str


class BoundRef(NamedTuple):
    """A name a binding gives values; `fallback` is the rule of the same name (else None) for when nothing is bound."""

    name: str
    fallback: Any  # a rule index, then (in generated code) its function
    span: Span


class Modify(NamedTuple):
    target: Any  # a target op, then its function
    modifiers: tuple[tuple[Callable[..., str], tuple[str, ...]], ...]


class Repeat(NamedTuple):
    """`{x*2-5 "、"}` or `{x*fill}` (`fill`: until the document reaches its target length)."""

    target: Any
    modifiers: tuple[tuple[Callable[..., str], tuple[str, ...]], ...]
    low: int
    high: int
    joiner: str
    fill: bool
    span: Span
    cost: int = 1  # steps one item counts (set by the code generator: gpbt/engine/reach.py)


class Bind(NamedTuple):
    name: str
    values: tuple  # one template per value; in generated code, a plain text or the function that writes it
    keep: bool  # `:=`: outlives its alternative


class Unbind(NamedTuple):
    name: str
    span: Span


class Silent(NamedTuple):
    """`[{x}]`: expanded for its bindings, writes nothing."""

    op: Any


Op = Union[str, RuleRef, SlotRef, BoundRef, Modify, Repeat, Bind, Unbind, Silent]


class CompiledRule(Record):
    """A rule as generated code and the runtime read it. A slotted class (generated code reads its fields on every
    draw, and a slot is the fastest attribute there is; value semantics from gpbt/record.py). Not to be changed once
    made: `replace` makes a changed copy."""

    __slots__ = ("index", "name", "policy", "unique", "choices", "weights", "cumulative", "uniform", "live", "texts",
                 "forwards", "heights", "limit", "span", "choice_lines")
    FIELDS = __slots__
    index: int
    name: str
    policy: Policy
    unique: bool  # no expansion is written twice in one document
    choices: tuple[tuple[Op, ...], ...]
    weights: tuple[float, ...]
    cumulative: tuple[float, ...]
    uniform: bool  # every weight is 1: a plain index pick is enough
    live: tuple[int, ...]  # alternatives with a weight above 0: a fresh deck
    texts: tuple[str | None, ...]  # the alternative's text when it is plain text (no template walk needed)
    forwards: tuple[int, ...]  # the rule an alternative that is one plain reference leads to, else -1
    heights: tuple[float, ...]  # rule levels each alternative needs below it
    limit: float  # the depth budget less 1 + the tallest alternative: deeper than this, only alternatives that fit
    # in the depth left are taken
    span: Span
    choice_lines: tuple[int, ...]  # where each alternative stands, for traces

    def __init__(self, index: int, name: str, policy: Policy, unique: bool, choices: tuple, weights: tuple,
                 cumulative: tuple, uniform: bool, live: tuple, texts: tuple, forwards: tuple, heights: tuple,
                 limit: float, span: Span, choice_lines: tuple[int, ...] = ()) -> None:
        self.index, self.name, self.policy, self.unique, self.choices = index, name, policy, unique, choices
        self.weights, self.cumulative, self.uniform, self.live, self.texts = weights, cumulative, uniform, live, texts
        self.forwards, self.heights, self.limit, self.span = forwards, heights, limit, span
        self.choice_lines = choice_lines

    def __repr__(self) -> str:  # not every field: the alternatives of a cached rule would be decoded to be shown
        return f"CompiledRule(index={self.index!r}, name={self.name!r}, policy={self.policy.name!r}, ...)"

    @property
    def single(self) -> bool:
        """One live alternative: every policy picks it, with no draw."""
        return len(self.live) == 1


class CompiledGrammar(NamedTuple):
    rules: tuple[CompiledRule, ...]
    start: int
    depth_budget: int


def compile_style(style: StyleDefinition, depth_budget: int = 100) -> CompiledGrammar:
    """A checked definition, compiled (the cache keeps the result, so a warm load never comes here)."""
    from .. import nodes
    from .analysis import choice_height, min_heights

    kinds = (nodes.Text, nodes.Reference, nodes.Binding, nodes.Silent)  # nodes is imported only to compile
    names = {name: index for index, name in enumerate(style.rules)}
    heights = min_heights(style.rules)
    budget = max(depth_budget, int(max(heights.values())) + 1)
    compiled = []
    for index, rule in enumerate(style.rules.values()):
        choices = tuple(_compile_pieces(choice.pieces, names, style, kinds) for choice in rule.choices)
        weights = tuple(choice.weight for choice in rule.choices)
        alt_heights = tuple(choice_height(choice, heights) for choice in rule.choices)
        compiled.append(CompiledRule(
            index=index,
            name=rule.name,
            policy=style.policy(rule),
            unique=rule.unique,
            choices=choices,
            weights=weights,
            cumulative=tuple(itertools.accumulate(weights)),
            uniform=all(weight == 1 for weight in weights),
            live=tuple(k for k, weight in enumerate(weights) if weight > 0),
            texts=tuple(_plain_text(ops) for ops in choices),
            forwards=tuple(ops[0].index if len(ops) == 1 and type(ops[0]) is RuleRef else -1 for ops in choices),
            heights=alt_heights,
            limit=budget - 1 - max(alt_heights),
            span=rule.span,
            choice_lines=tuple(choice.span.line if choice.span else rule.span.line for choice in rule.choices),
        ))
    return CompiledGrammar(tuple(compiled), names[style.start], budget)


def writes_only_text(template: tuple) -> bool:
    """Whether a template writes only text and slots: it expands nothing, and its text is fixed by the slot values."""
    return all(op.__class__ is str or type(op) is SlotRef for op in template)


def _plain_text(ops: tuple) -> str | None:
    if not ops:
        return ""
    return ops[0] if len(ops) == 1 and isinstance(ops[0], str) else None


def _compile_pieces(pieces: tuple[nodes.Piece, ...], names: dict[str, int], style: StyleDefinition,
                    kinds: tuple[type, ...]) -> tuple:
    text, reference, binding, silent = kinds
    ops: list = []
    for piece in pieces:
        if isinstance(piece, text):
            ops.append(piece.value)
        elif isinstance(piece, reference):
            ops.append(_compile_reference(piece, names, style))
        elif isinstance(piece, binding):
            values = tuple(_compile_pieces(choice, names, style, kinds) for choice in piece.choices)
            ops.append(Bind(piece.name, values, piece.keep))
        elif isinstance(piece, silent):
            ops.append(Silent(_compile_reference(piece.reference, names, style)))
        else:
            ops.append(Unbind(piece.name, piece.span))
    return tuple(ops)


def _compile_reference(ref: nodes.Reference, names: dict[str, int], style: StyleDefinition) -> Op:  # noqa: F821
    target: Op
    if ref.name in style.bound_names:
        target = BoundRef(ref.name, names.get(ref.name), ref.span)
    elif ref.name in names:
        target = RuleRef(names[ref.name])
    else:
        target = SlotRef(ref.name)
    if not ref.modifiers and ref.repeat is None:
        return target
    modifiers = tuple((style.modifiers[mod.name].function, mod.args) for mod in ref.modifiers)
    repeat = ref.repeat
    if repeat is None:
        return Modify(target, modifiers)
    return Repeat(target, modifiers, repeat.low, repeat.high, ref.joiner, repeat.fill, ref.span)
