"""From parsed files to one checked style definition. Every problem becomes a `Diagnostic` with its span; all of them
are collected before anything is refused, so an author sees the whole list at once."""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass, field

from .. import nodes
from .analysis import INFINITE, min_heights, min_lengths, reachable, template_references
from ..errors import Diagnostic
from ..modifiers import REGISTRY
from ..source import Span

POLICIES = ("deck", "random", "no-repeat", "once")
DEFAULT_POLICY = "deck"
DEFAULT_LENGTH = 6000
METADATA = ("style", "language", "description", "length", "start", "topic")


@dataclass(frozen=True)
class Slot:
    name: str
    default: str | None
    span: Span | None


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
        return self.meta("start") or next(iter(self.rules), "")

    @property
    def topic_slot(self) -> str:
        return self.meta("topic", "topic")

    def slot_uses(self) -> dict[str, Span]:
        """Each slot the rules read, with the first place that reads it."""
        uses: dict[str, Span] = {}
        for rule in self.rules.values():
            for choice in rule.choices:
                for ref in template_references(choice.pieces):
                    if ref.name in self.slots and ref.name not in self.rules:
                        uses.setdefault(ref.name, ref.span)
        return uses

    @property
    def default_length(self) -> int:
        value = self.meta("length")
        return int(value) if value.isdigit() else DEFAULT_LENGTH


def assemble(name: str, files: list[nodes.RuleFile]) -> tuple[StyleDefinition, list[Diagnostic]]:
    """Merge files into one definition: directives, slots, and rules (a name defined twice is an error)."""
    style = StyleDefinition(name, files)
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
    for rule in style.rules.values():
        for choice in rule.choices:
            _collect_bound_names(choice.pieces, style.bound_names)
    return style, problems


def _collect_bound_names(pieces: tuple[nodes.Piece, ...], names: set[str]) -> None:
    for piece in pieces:
        if isinstance(piece, nodes.Binding):
            names.add(piece.name)


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
        close = difflib.get_close_matches(key, METADATA + ("slot", "include"), n=1)
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


def check(style: StyleDefinition) -> list[Diagnostic]:
    """Semantic errors: names, policies, modifiers, weights, termination and fills."""
    problems: list[Diagnostic] = []
    known = set(style.rules) | set(style.slots) | style.bound_names | style.broken_names
    for name, slot in style.slots.items():
        if name in style.rules:
            problems.append(Diagnostic(style.rules[name].span, f"'{name}' is both a slot and a rule",
                                       "slot-rule-clash", hint=f"the slot is declared at {slot.span}"))
    if not style.rules:
        if not style.broken_names:  # else the rules are there but did not parse: that is reported already
            problems.append(Diagnostic(None, f"style '{style.name}' defines no rules", "empty-style"))
        return problems
    start = style.start
    if start not in style.rules and start not in style.broken_names:
        directive = style.metadata["start"]
        problems.append(Diagnostic(directive.value_span, f"start rule '{start}' is not defined", "undefined-start",
                                   hint=_did_you_mean(start, style.rules)))
    for rule in style.rules.values():
        _check_rule(rule, known, problems)
        _check_deck_overuse(rule, style, problems)
    _check_termination(style, problems)
    return problems


def _check_deck_overuse(rule: nodes.RuleDef, style: StyleDefinition, problems: list[Diagnostic]) -> None:
    """A deck promises no repeats; one alternative that must use a deck rule more often than it has cards breaks
    that promise every time it is taken. (Rules with a single alternative are meant to repeat and are exempt.)"""
    for choice in rule.choices:
        uses: dict[str, list[nodes.Reference]] = {}
        for ref in template_references(choice.pieces):
            target = style.rules.get(ref.name)
            if target is None or ref.name in style.bound_names or (target.policy or DEFAULT_POLICY) != "deck":
                continue
            uses.setdefault(ref.name, []).append(ref)
        for name, refs in uses.items():
            cards = sum(1 for c in style.rules[name].choices if c.weight > 0)
            needed = sum(1 if ref.repeat is None else (0 if ref.repeat.fill else ref.repeat.low) for ref in refs)
            if cards > 1 and needed > cards:
                problems.append(Diagnostic(refs[-1].span, f"'{name}' is dealt from a deck of {cards} alternatives "
                                           f"but this alternative needs at least {needed}: it must repeat itself",
                                           "deck-exhausted", hint=f"add alternatives to '{name}', or give it the "
                                           "(random) policy if repeats are fine"))


def _did_you_mean(name: str, candidates) -> str | None:
    close = difflib.get_close_matches(name, list(candidates), n=1, cutoff=0.6)
    return f"did you mean {close[0]}?" if close else None


def _check_rule(rule: nodes.RuleDef, known: set[str], problems: list[Diagnostic]) -> None:
    if rule.policy is not None and rule.policy not in POLICIES:
        problems.append(Diagnostic(rule.policy_span, f"unknown choice policy '{rule.policy}'", "unknown-policy",
                                   hint=_did_you_mean(rule.policy, POLICIES) or "policies: " + ", ".join(POLICIES)))
    if not rule.choices:
        problems.append(Diagnostic(rule.span, f"rule '{rule.name}' has no alternatives", "no-alternatives",
                                   hint="list them on indented lines below the rule, one per line"))
        return
    if all(choice.weight == 0 for choice in rule.choices):
        problems.append(Diagnostic(rule.span, f"every alternative of '{rule.name}' has weight 0, so none can be "
                                   "chosen", "all-zero-weights"))
    for choice in rule.choices:
        if math.isinf(choice.weight):
            problems.append(Diagnostic(choice.span, "weight is too large", "bad-weight"))
        for ref in template_references(choice.pieces):
            if ref.name not in known:
                problems.append(Diagnostic(ref.name_span, f"'{ref.name}' is not a rule, a slot or a bound name",
                                           "undefined-name", hint=_did_you_mean(ref.name, known)))
            for mod in ref.modifiers:
                spec = REGISTRY.get(mod.name)
                if spec is None:
                    problems.append(Diagnostic(mod.span, f"unknown modifier '.{mod.name}'", "unknown-modifier",
                                               hint=_did_you_mean(mod.name, REGISTRY)))
                elif len(mod.args) != spec.arity:
                    problems.append(Diagnostic(mod.span, f"modifier '.{mod.name}' takes {spec.arity} argument(s), "
                                               f"got {len(mod.args)}", "modifier-arguments"))


def _check_termination(style: StyleDefinition, problems: list[Diagnostic]) -> None:
    # a rule with no choosable alternative is reported on its own; here it counts as finishing, so the rules
    # that use it are not blamed as well
    rules = {name: rule if any(c.weight > 0 for c in rule.choices) else _FINISHING
             for name, rule in style.rules.items()}
    heights = min_heights(rules)
    for name in _root_causes({name for name, height in heights.items() if height == INFINITE}, rules):
        problems.append(Diagnostic(style.rules[name].span, f"rule '{name}' has no finite expansion: every "
                                   "alternative leads back to a rule that never finishes", "no-termination",
                                   hint="give it an alternative that ends in plain text"))
    slot_lengths = {name: len(slot.default or "") for name, slot in style.slots.items()}
    lengths = min_lengths(rules, slot_lengths)
    for rule in style.rules.values():
        for choice in rule.choices:
            for ref in template_references(choice.pieces):
                if ref.repeat and ref.repeat.fill and ref.name in style.rules and lengths[ref.name] == 0:
                    problems.append(Diagnostic(ref.span, f"a fill of '{ref.name}' could repeat forever: "
                                               f"'{ref.name}' can write nothing", "empty-fill-unit",
                                               hint="make every alternative of the unit write some text"))


_FINISHING = nodes.RuleDef("", None, (nodes.Choice(1.0, (), None),), None, None)  # type: ignore[arg-type]


def _root_causes(stuck: set[str], rules) -> list[str]:
    """Of the rules that never finish, those in a cycle of their own (a bottom strongly connected component):
    a rule that is stuck only because it calls one of those is not reported again."""
    calls = {name: {ref.name for choice in rules[name].choices for ref in template_references(choice.pieces)
                    if ref.name in stuck} for name in stuck}
    reach = {name: reachable([name], calls) for name in stuck}
    return [name for name in rules if name in stuck and all(name in reach[other] for other in reach[name])]
