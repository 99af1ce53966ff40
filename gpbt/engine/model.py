"""The model: a style as its files describe it, merged into one namespace (`StyleDefinition`), and `assemble`,
which builds it from whatever the readers produced. Everything after this stage (check, lint, compile, stats,
the writers) reads a `StyleDefinition`; the defaults (policy, length, start rule, topic slot) are resolved here once.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Mapping, NamedTuple

from .. import nodes
from ..errors import Diagnostic
from ..modifiers import REGISTRY as BUILTIN_MODIFIERS
from ..modifiers import ModifierSpec
from ..source import Span
from .policies import Policy, policy_named, REGISTRY as POLICIES

DEFAULT_LENGTH = 6000
METADATA = ("style", "language", "description", "length", "start", "topic")
DIRECTIVES = METADATA + ("slot", "include")


class Slot(NamedTuple):
    name: str
    default: str | None
    span: Span | None  # None for the implicit topic slot and for slots no file declares


@dataclass
class StyleDefinition:
    """A style as its files describe it, merged into one namespace."""

    name: str
    files: list[nodes.RuleFile]
    rules: dict[str, nodes.RuleDef] = field(default_factory=dict)
    slots: dict[str, Slot] = field(default_factory=dict)
    metadata: dict[str, nodes.Directive] = field(default_factory=dict)
    bound_names: set[str] = field(default_factory=set)
    broken_names: set[str] = field(default_factory=set)  # rules whose definition did not parse
    start_override: str | None = None  # the start rule chosen by the caller (`--start`), not by a file
    modifiers: Mapping[str, ModifierSpec] = field(default_factory=lambda: BUILTIN_MODIFIERS)
    dialect: str = "gpbt"  # "tracery" when read from a Tracery grammar: messages then speak of symbols

    def meta(self, key: str, default: str = "") -> str:
        return self.metadata[key].value if key in self.metadata else default

    @property
    def language(self) -> str:
        return self.meta("language")

    @property
    def description(self) -> str:
        return self.meta("description")

    @property
    def start(self) -> str:
        return self.start_override or self.meta("start") or next(iter(self.rules), "")

    @property
    def topic_slot(self) -> str:
        return self.meta("topic", "topic")

    @property
    def default_length(self) -> int:
        value = self.meta("length")
        return int(value) if value.isdigit() else DEFAULT_LENGTH

    def policy(self, rule: nodes.RuleDef) -> Policy:
        """The rule's choice policy, the default resolved (only after `check` found no unknown policy)."""
        return policy_named(rule.policy)

    def policy_label(self, rule: nodes.RuleDef) -> str:
        """`deck`, `random unique`, …: as `gpbt stats` and hovers show it."""
        return self.policy(rule).name + (" unique" if rule.unique else "")

    def slot_uses(self) -> dict[str, Span]:
        """Each slot the rules read, with the first place that reads it."""
        uses: dict[str, Span] = {}
        for rule in self.rules.values():
            for choice in rule.choices:
                for ref in choice.references:
                    if ref.name in self.slots and ref.name not in self.rules:
                        uses.setdefault(ref.name, ref.span)
        return uses


def assemble(name: str, files: list[nodes.RuleFile], *, start: str | None = None, dialect: str = "gpbt",
             modifiers: Mapping[str, ModifierSpec] = BUILTIN_MODIFIERS) -> tuple[StyleDefinition, list[Diagnostic]]:
    """Merge files into one definition: directives, slots, and rules (a name defined twice is an error)."""
    style = StyleDefinition(name, files, start_override=start, modifiers=modifiers, dialect=dialect)
    problems: list[Diagnostic] = []
    for rule_file in files:
        style.broken_names.update(rule_file.broken_names)
        for directive in rule_file.directives:
            _take_directive(style, directive, problems)
        for rule in rule_file.rules:
            if rule.name in style.rules:
                first = style.rules[rule.name].span
                problems.append(Diagnostic(rule.span, f"rule '{rule.name}' is defined twice", "duplicate-rule",
                                           hint=f"first defined at {first}"))
                continue
            style.rules[rule.name] = rule
    topic = style.topic_slot
    if topic not in style.slots:
        span = style.metadata["topic"].value_span if "topic" in style.metadata else None
        style.slots[topic] = Slot(topic, None, span)
    style.bound_names = nodes.bound_names(style.rules.values())
    return style, problems


def _take_directive(style: StyleDefinition, directive: nodes.Directive, problems: list[Diagnostic]) -> None:
    key = directive.name
    if key == "include":
        return
    if key == "slot":
        name, _, default = directive.value.partition("=")
        name = name.strip()
        if not name:
            problems.append(Diagnostic(directive.span, "@slot needs a name", "bad-directive"))
        elif name in style.slots:
            problems.append(Diagnostic(directive.value_span, f"slot '{name}' is declared twice", "duplicate-slot"))
        else:
            style.slots[name] = Slot(name, default.strip() if "=" in directive.value else None, directive.value_span)
        return
    if key not in METADATA:
        close = difflib.get_close_matches(key, DIRECTIVES, n=1)
        problems.append(Diagnostic(directive.span, f"unknown directive '@{key}'", "unknown-directive",
                                   hint=f"did you mean @{close[0]}?" if close else None))
        return
    if key in style.metadata:
        problems.append(Diagnostic(directive.span, f"@{key} is given twice", "duplicate-directive",
                                   hint=f"first given at {style.metadata[key].span}"))
        return
    if not directive.value:
        problems.append(Diagnostic(directive.span, f"@{key} needs a value", "bad-directive"))
        return
    if key == "length" and not (directive.value.isdigit() and int(directive.value) > 0):
        problems.append(Diagnostic(directive.value_span, "@length must be a positive whole number of characters",
                                   "bad-length"))
        return
    style.metadata[key] = directive


__all__ = ["DEFAULT_LENGTH", "DIRECTIVES", "METADATA", "POLICIES", "Slot", "StyleDefinition", "assemble"]
