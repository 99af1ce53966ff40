"""Warnings: things that are legal but probably not what the author meant. `gpbt check --strict` makes them fail."""

from __future__ import annotations

from collections import Counter

from .. import nodes
from .analysis import reachable
from .model import StyleDefinition
from .policies import REGISTRY as POLICIES
from ..errors import Diagnostic


def lint(style: StyleDefinition) -> list[Diagnostic]:
    warnings: list[Diagnostic] = []
    # with a rule that did not parse, what it refers to is unknown: usage warnings would be guesses
    if not style.broken_names:
        warnings.extend(_usage_warnings(style))
    for rule in style.rules.values():
        warnings.extend(_duplicate_alternatives(rule))
        warnings.extend(_ignored_weights(rule, style))
        if any(choice.weight > 0 for choice in rule.choices):  # all zero is an error of its own
            warnings.extend(Diagnostic(choice.span, "this alternative has weight 0 and is never chosen",
                                       "zero-weight", "warning") for choice in rule.choices if choice.weight == 0)
    return warnings


def _usage_warnings(style: StyleDefinition) -> list[Diagnostic]:
    """Unreachable rules, rules that are used once and have one alternative, slots never used."""
    uses: Counter[str] = Counter()
    for rule in style.rules.values():
        for choice in rule.choices:
            for ref in choice.references:
                repeated = ref.repeat is not None and (ref.repeat.fill or ref.repeat.high > 1)
                uses[ref.name] += 2 if repeated else 1
    reachable = reachable_rules(style)
    warnings = []
    for name, rule in style.rules.items():
        if name not in reachable:
            warnings.append(Diagnostic(rule.span, f"rule '{name}' is never used: the start rule '{style.start}' "
                                       "cannot reach it", "unreachable-rule", "warning"))
        elif uses[name] == 1 and _is_constant(rule) and name not in style.bound_names:
            warnings.append(Diagnostic(rule.span, f"rule '{name}' is used once and always writes the same text",
                                       "single-use-rule", "warning",
                                       hint="write its text where it is used, or give it more alternatives"))
    for name, slot in style.slots.items():
        if slot.span is not None and uses[name] == 0:  # declared by the author (not the implicit topic slot)
            warnings.append(Diagnostic(slot.span, f"slot '{name}' is declared but never used", "unused-slot",
                                       "warning"))
    return warnings


def _ignored_weights(rule: nodes.RuleDef, style: StyleDefinition) -> list[Diagnostic]:
    """A weight other than 0 or 1 under a policy that does not draw by weight (cycle) changes nothing."""
    if rule.policy not in POLICIES or style.policy(rule).weighted:
        return []
    return [Diagnostic(choice.span, f"the {rule.policy} policy ignores weights: this alternative is written in "
                       "its turn like the others", "ignored-weight", "warning",
                       hint="a weight of 0 leaves an alternative out; any other weight changes nothing here")
            for choice in rule.choices if choice.weight not in (0, 1)]


def _is_constant(rule: nodes.RuleDef) -> bool:
    """One alternative of plain text: a rule that names a structure of references is not flagged."""
    return len(rule.choices) == 1 and all(isinstance(p, nodes.Text) for p in rule.choices[0].pieces)


def reachable_rules(style: StyleDefinition) -> set[str]:
    """Rules the start rule can lead to, through references and binding values."""
    if style.start not in style.rules:
        return set()
    calls = {name: [ref.name for choice in rule.choices for ref in choice.references
                    if ref.name in style.rules] for name, rule in style.rules.items()}
    return reachable([style.start], calls) | {style.start}


def _duplicate_alternatives(rule: nodes.RuleDef) -> list[Diagnostic]:
    first_seen: dict[str, nodes.Choice] = {}
    found = []
    for choice in rule.choices:
        key = _shape(choice.pieces)
        if key in first_seen:
            first = first_seen[key].span
            found.append(Diagnostic(choice.span, f"this alternative of '{rule.name}' repeats one at line "
                                    f"{first.line}", "duplicate-alternative", "warning",
                                    hint="a repeated line only raises its odds; use a weight such as (2) instead"))
        else:
            first_seen[key] = choice
    return found


def _shape(pieces: tuple[nodes.Piece, ...]) -> str:
    """What an alternative writes, ignoring where it stands in the file."""
    parts = []
    for piece in pieces:
        if isinstance(piece, nodes.Text):
            parts.append("t:" + piece.value)
        elif isinstance(piece, nodes.Reference):
            mods = ".".join(f"{m.name}({','.join(m.args)})" for m in piece.modifiers)
            repeat = piece.repeat
            count = "" if repeat is None else ("fill" if repeat.fill else f"{repeat.low}-{repeat.high}")
            parts.append(f"r:{piece.name}.{mods}*{count}/{piece.joiner}")
        elif isinstance(piece, nodes.Binding):
            parts.append(f"b:{piece.name}{'!' if piece.keep else ''}=" + "|".join(_shape(c) for c in piece.choices))
        elif isinstance(piece, nodes.Unbinding):
            parts.append(f"u:{piece.name}")
        else:
            parts.append("s:" + _shape((piece.reference,)))
    return "\x00".join(parts)
