"""What `gpbt check` must reject because generation would: rules nested deeper than the expander can follow, a
grammar whose shortest text is already past the output ceiling, and a name bound only to values that use it. Each
problem is reported with a position, so `check` passes nothing that `generate` then refuses."""

from __future__ import annotations

import re
from collections.abc import Mapping

from .. import nodes
from ..errors import Diagnostic
from .analysis import INFINITE
from .model import StyleDefinition
from .runtime import output_ceiling

MAX_NESTING = 500  # rules one expansion may nest (each level is a Python call in the generated code)
CONTROL_CHARACTER = re.compile("[\x00-\x08\x0b-\x1f\x7f]")  # all but tab and line break (searched, not walked in
# Python: the text of a style is most of its bytes)


def check_limits(style: StyleDefinition, rules: Mapping[str, nodes.RuleDef],
                 lengths: Mapping[str, float]) -> list[Diagnostic]:
    """`rules` are the style's rules with unchoosable ones replaced (as the termination check does), `lengths`
    their shortest texts with the slots' defaults (`min_lengths`, which the termination check has computed)."""
    if style.start not in rules:
        return []
    return [*_too_deep(style, rules), *_too_long(style, rules, lengths), *_self_bound(style),
            *_control_characters(style)]


def _calls(rules: Mapping[str, nodes.RuleDef]) -> dict[str, list[str]]:
    return {name: list(dict.fromkeys(ref.name for choice in rule.choices if choice.weight > 0
                                     for ref in choice.references if ref.name in rules))
            for name, rule in rules.items()}


def _too_deep(style: StyleDefinition, rules: Mapping[str, nodes.RuleDef]) -> list[Diagnostic]:
    """The longest chain of calls through distinct rules from the start rule (a cycle is followed once)."""
    calls = _calls(rules)
    depth: dict[str, int] = {}
    following: dict[str, str | None] = {}
    on_path: set[str] = set()
    stack: list[tuple[str, int]] = [(style.start, 0)]
    on_path.add(style.start)
    while stack:  # an iterative depth-first search: a deep chain must not overflow the checker's own stack
        name, index = stack[-1]
        children = calls[name]
        if index < len(children):
            stack[-1] = (name, index + 1)
            child = children[index]
            if child not in depth and child not in on_path:
                on_path.add(child)
                stack.append((child, 0))
            continue
        stack.pop()
        on_path.discard(name)
        best, best_child = 1, None
        for child in children:
            if child in depth and depth[child] + 1 > best:
                best, best_child = depth[child] + 1, child
        depth[name], following[name] = best, best_child
    if depth[style.start] <= MAX_NESTING:
        return []
    name: str | None = style.start
    for _ in range(MAX_NESTING):
        name = following[name]
    return [Diagnostic(style.rules[name].span, f"rules nest {depth[style.start]:,} deep from '{style.start}' "
                       f"(here is level {MAX_NESTING + 1}); the limit is {MAX_NESTING}", "too-deep",
                       hint="flatten the chain: write the text of short rules where they are used")]


def _too_long(style: StyleDefinition, rules: Mapping[str, nodes.RuleDef],
              lengths: Mapping[str, float]) -> list[Diagnostic]:
    """The shortest text of the start rule already past the ceiling: every generation would fail. Reported at
    the rules that are too long although every rule they use is not."""
    ceiling = output_ceiling(style.default_length)
    if not ceiling < lengths[style.start] < INFINITE:
        return []
    calls = _calls(rules)
    causes = [name for name, length in lengths.items() if ceiling < length < INFINITE
              and all(lengths[child] <= ceiling for child in calls[name] if child != name)]
    return [Diagnostic(style.rules[name].span, f"the grammar keeps growing: the shortest text of '{name}' is "
                       f"{lengths[name]:,.0f} characters, past the ceiling of {ceiling:,} for one document "
                       "(an alternative that calls its own rule more than once?)", "too-large",
                       hint="each level multiplies the text: use fewer references per alternative")
            for name in causes if name in style.rules]


def _self_bound(style: StyleDefinition) -> list[Diagnostic]:
    """A bound-only name whose every binding value uses the name itself (Tracery's `[x:#x#]`): the first binding
    to run finds nothing bound, so generation always fails there."""
    bindings: dict[str, list[nodes.Binding]] = {}
    for rule in style.rules.values():
        for choice in rule.choices:
            for binding in choice.bindings:
                bindings.setdefault(binding.name, []).append(binding)
    problems = []
    for name, found in bindings.items():
        if name in style.rules or name in style.slots:
            continue
        uses = [[ref for ref in nodes.walk_references(value) if ref.name == name]
                for binding in found for value in binding.choices]
        if uses and all(uses):
            ref = uses[0][0]
            problems.append(Diagnostic(ref.name_span, f"'{name}' is bound only to values that use '{name}' itself, "
                                       "so the first binding finds nothing bound", "unbound-name",
                                       hint=f"give '{name}' a first value that does not use it"))
    return problems


def _control_characters(style: StyleDefinition) -> list[Diagnostic]:
    """A NUL or another control character in a rule's text is written into every essay that uses it (a warning);
    in a rule's name it is an error."""
    problems = []
    for rule in style.rules.values():
        bad_name = CONTROL_CHARACTER.search(rule.name)
        if bad_name is not None:  # an error: a name is code in the compiled style, not text
            problems.append(Diagnostic(rule.span, f"a rule name cannot hold the control character "
                                       f"U+{ord(bad_name.group()):04X}", "control-character",
                                       hint="remove it from the name"))
        for choice in rule.choices:
            for piece in _texts(choice.pieces):
                bad = CONTROL_CHARACTER.search(piece.value)
                if bad is not None:
                    problems.append(Diagnostic(piece.span, f"the text holds the control character "
                                               f"U+{ord(bad.group()):04X}, which would be written into the essay",
                                               "control-character", severity="warning",
                                               hint="remove it, or write it as an escape if it is meant"))
    return problems


def _texts(pieces):
    for piece in pieces:
        if isinstance(piece, nodes.Text):
            yield piece
        elif isinstance(piece, nodes.Binding):
            for value in piece.choices:
                yield from _texts(value)
