"""Checked style → compact form for the expander: rules by index, templates as tuples of literal strings and small
op tuples. Nothing here is re-parsed during expansion."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from .. import nodes
from .analysis import choice_height, min_heights
from .model import StyleDefinition
from .policies import DEFAULT_POLICY

POLICIES = ("deck", "random", "no-repeat", "once")
from ..source import Span

# op codes: an op is a `str` (literal text) or a tuple whose first item is one of these
RULE, SLOT, BOUND, BIND, UNBIND, WRAP, SILENT, MODIFY = range(8)
DECK, RANDOM, NO_REPEAT, ONCE = (POLICIES.index(p) for p in POLICIES)
SINGLE = len(POLICIES)  # one alternative that can be chosen: every policy picks it, no draw needed
UNIQUE = SINGLE + 1  # a `unique` rule: the expander draws by `base_policy` and rejects what was written before


@dataclass(frozen=True, slots=True)
class CompiledRule:
    index: int
    name: str
    policy: int
    base_policy: int  # how an alternative is picked; `policy` is UNIQUE when expansions must not repeat
    choices: tuple[tuple, ...]
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
    choice_lines: tuple[int, ...] = ()  # where each alternative stands, for traces


@dataclass(frozen=True)
class CompiledGrammar:
    rules: tuple[CompiledRule, ...]
    start: int
    depth_budget: int
    names: dict[str, int]


def compile_style(style: StyleDefinition, depth_budget: int = 100) -> CompiledGrammar:
    names = {name: index for index, name in enumerate(style.rules)}
    heights = min_heights(style.rules)
    budget = max(depth_budget, int(max(heights.values())) + 1)
    compiled = []
    for index, rule in enumerate(style.rules.values()):
        choices = tuple(_compile_pieces(choice.pieces, names, style) for choice in rule.choices)
        weights = tuple(choice.weight for choice in rule.choices)
        alt_heights = tuple(choice_height(choice, heights) for choice in rule.choices)
        live = tuple(k for k, weight in enumerate(weights) if weight > 0)
        base_policy = SINGLE if len(live) == 1 else POLICIES.index(rule.policy or DEFAULT_POLICY)
        compiled.append(CompiledRule(
            index=index,
            name=rule.name,
            policy=UNIQUE if rule.unique else base_policy,
            base_policy=base_policy,
            choices=choices,
            weights=weights,
            cumulative=tuple(itertools.accumulate(weights)),
            uniform=all(weight == 1 for weight in weights),
            live=live,
            texts=tuple(_plain_text(ops) for ops in choices),
            forwards=tuple(ops[0][1] if len(ops) == 1 and ops[0][:1] == (RULE,) else -1 for ops in choices),
            heights=alt_heights,
            limit=budget - 1 - max(alt_heights),
            span=rule.span,
            choice_lines=tuple(choice.span.line if choice.span else rule.span.line for choice in rule.choices),
        ))
    return CompiledGrammar(tuple(compiled), names[style.start], budget, names)


def _plain_text(ops: tuple) -> str | None:
    if not ops:
        return ""
    return ops[0] if len(ops) == 1 and isinstance(ops[0], str) else None


def _compile_pieces(pieces: tuple[nodes.Piece, ...], names: dict[str, int], style: StyleDefinition) -> tuple:
    ops: list = []
    for piece in pieces:
        if isinstance(piece, nodes.Text):
            ops.append(piece.value)
        elif isinstance(piece, nodes.Reference):
            ops.append(_compile_reference(piece, names, style))
        elif isinstance(piece, nodes.Binding):
            values = tuple(_compile_pieces(choice, names, style) for choice in piece.choices)
            ops.append((BIND, piece.name, values, piece.keep))
        elif isinstance(piece, nodes.Silent):
            ops.append((SILENT, _compile_reference(piece.reference, names, style)))
        else:
            ops.append((UNBIND, piece.name, piece.span))
    return tuple(ops)


def _compile_reference(ref: nodes.Reference, names: dict[str, int], style: StyleDefinition) -> tuple:
    if ref.name in style.bound_names:
        target = (BOUND, ref.name, names.get(ref.name, -1), ref.span)
    elif ref.name in names:
        target = (RULE, names[ref.name])
    else:
        target = (SLOT, ref.name)
    if not ref.modifiers and ref.repeat is None:
        return target
    modifiers = tuple((style.modifiers[mod.name].function, mod.args) for mod in ref.modifiers)
    repeat = ref.repeat
    if repeat is None:
        return (MODIFY, target, modifiers)
    return (WRAP, target, modifiers, repeat.low, repeat.high, ref.joiner, repeat.fill, ref.span)
