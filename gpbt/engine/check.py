"""Semantic errors of an assembled style: names, policies, modifiers, weights, termination, fills and decks. Every
problem becomes a `Diagnostic` with its span; all of them are collected before anything is refused, so an author
sees the whole list at once."""

from __future__ import annotations

import difflib
import math

from .. import nodes
from ..errors import Diagnostic
from .limits import check_limits
from .analysis import INFINITE, min_heights, min_lengths, reachable
from .model import StyleDefinition
from .policies import REGISTRY as POLICIES

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
        # chosen by the caller (--start) it has no place in a file; else the @start directive names it
        span = None if style.start_override else style.metadata["start"].value_span
        problems.append(Diagnostic(span, f"start rule '{start}' is not defined", "undefined-start",
                                   hint=_did_you_mean(start, style.rules)))
    for rule in style.rules.values():
        _check_rule(rule, known, style, problems)
        _check_deck_overuse(rule, style, problems)
    _check_termination(style, problems)
    return problems


def _check_deck_overuse(rule: nodes.RuleDef, style: StyleDefinition, problems: list[Diagnostic]) -> None:
    """A deck promises no repeats; one alternative that must use a deck rule more often than it has cards breaks
    that promise every time it is taken. (Rules with a single alternative are meant to repeat and are exempt.)"""
    for choice in rule.choices:
        uses: dict[str, list[nodes.Reference]] = {}
        for ref in choice.references:
            target = style.rules.get(ref.name)
            if target is None or ref.name in style.bound_names or target.policy not in (None, *POLICIES) \
                    or not style.policy(target).deals:
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


def _check_rule(rule: nodes.RuleDef, known: set[str], style: StyleDefinition, problems: list[Diagnostic]) -> None:
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
    if not any(math.isinf(choice.weight) for choice in rule.choices) \
            and math.isinf(sum(choice.weight for choice in rule.choices)):
        # each weight is a number, but their total is not: the draw (and its generated code) would read `inf`
        problems.append(Diagnostic(rule.span, f"the weights of '{rule.name}' add up to more than a number can hold",
                                   "bad-weight", hint="only their ratios matter: make them smaller"))
    for choice in rule.choices:
        if math.isinf(choice.weight):
            problems.append(Diagnostic(choice.span, "weight is too large", "bad-weight"))
        for ref in choice.references:
            if ref.name not in known:
                problems.append(_undefined(ref, known, style.dialect))
            for mod in ref.modifiers:
                spec = style.modifiers.get(mod.name)
                if spec is None:
                    problems.append(Diagnostic(mod.span, f"unknown modifier '.{mod.name}'", "unknown-modifier",
                                               hint=_did_you_mean(mod.name, style.modifiers)))
                elif len(mod.args) != spec.arity:
                    problems.append(Diagnostic(mod.span, f"modifier '.{mod.name}' takes {spec.arity} argument(s), "
                                               f"got {len(mod.args)}", "modifier-arguments"))


def _undefined(ref: nodes.Reference, known: set[str], dialect: str) -> Diagnostic:
    """One code for a name nothing defines; a Tracery grammar hears it in Tracery's words."""
    hint = _did_you_mean(ref.name, known)
    if dialect != "tracery":
        return Diagnostic(ref.name_span, f"'{ref.name}' is not a rule, a slot or a bound name", "undefined-name",
                          hint=hint)
    tracery = f"Tracery would print (({ref.name})); define the symbol, or keep the marker with --tracery-compat"
    return Diagnostic(ref.name_span, f"symbol '{ref.name}' is not defined", "undefined-name",
                      hint=f"{hint}; {tracery}" if hint else tracery)


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
            for ref in choice.references:
                if ref.repeat and ref.repeat.fill and ref.name in style.rules and lengths[ref.name] == 0:
                    problems.append(Diagnostic(ref.span, f"a fill of '{ref.name}' could repeat forever: "
                                               f"'{ref.name}' can write nothing", "empty-fill-unit",
                                               hint="make every alternative of the unit write some text"))
    problems.extend(check_limits(style, rules, lengths))


_FINISHING = nodes.RuleDef("", None, (nodes.Choice(1.0, (), None),), None, None)  # type: ignore[arg-type]


def _root_causes(stuck: set[str], rules) -> list[str]:
    """Of the rules that never finish, those in a cycle of their own (a bottom strongly connected component):
    a rule that is stuck only because it calls one of those is not reported again."""
    calls = {name: {ref.name for choice in rules[name].choices for ref in choice.references
                    if ref.name in stuck} for name in stuck}
    reach = {name: reachable([name], calls) for name in stuck}
    return [name for name in rules if name in stuck and all(name in reach[other] for other in reach[name])]
