"""A checked gpbt style → a Tracery grammar (a dict of symbol → rules), with every construct Tracery cannot express
reported at its position."""

from __future__ import annotations

import math
import re
from functools import reduce

from .. import nodes
from ..engine.model import StyleDefinition
from ..errors import Diagnostic, RuleFileError
from ..source import Span

TRACERY_MODIFIERS = ("capitalize", "capitalizeAll", "s", "a", "ed", "firstS", "replace", "uppercase", "lowercase")
MAX_COPIES = 1000  # entries one weighted gpbt rule may become in Tracery


class ConvertError(RuleFileError):
    """A construct the target format cannot express; every one is listed, with its position."""


class TraceryWriter:
    """A checked gpbt style → a Tracery grammar (dict), collecting every construct Tracery cannot express."""

    def __init__(self, definition: StyleDefinition) -> None:
        self.definition = definition
        self.problems: list[Diagnostic] = []
        self.symbols: dict[str, list[str]] = {}
        topic = definition.topic_slot
        self.topic = "topic" if "topic" not in definition.rules or topic == "topic" else topic

    def refuse(self, span: Span | None, message: str) -> None:
        self.problems.append(Diagnostic(span, message, "not-expressible",
                                        hint="Tracery cannot express this; change the rule or keep it in gpbt"))

    def grammar(self) -> dict[str, list[str]]:
        for rule in self.definition.rules.values():
            self.symbols[rule.name] = self.rule(rule)
        start = self.definition.start
        if start != "origin":
            if "origin" in self.symbols:
                self.refuse(self.definition.rules["origin"].span, f"the start rule is '{start}', but Tracery "
                            "starts at 'origin', which names another rule here")
            else:
                self.symbols = {"origin": [f"#{start}#"], **self.symbols}
        if self.problems:
            raise ConvertError(self.problems)
        return self.symbols

    def rule(self, rule: nodes.RuleDef) -> list[str]:
        live = [choice for choice in rule.choices if choice.weight > 0]
        policy = self.definition.policy(rule)
        if not policy.tracery and len(live) > 1:
            self.refuse(rule.policy_span or rule.span, f"rule '{rule.name}' uses the {policy.name} policy; Tracery "
                        f"only picks uniformly at random (write '{rule.name} (random):' to export it)")
        if rule.unique:
            self.refuse(rule.policy_span or rule.span, f"rule '{rule.name}' is unique; Tracery cannot keep an "
                        "expansion from repeating (drop 'unique' to export it)")
        copies = _copies([choice.weight for choice in live])
        if copies is None:
            self.refuse(rule.span, f"the weights of '{rule.name}' are not small whole numbers (or simple "
                        f"fractions) that repeated entries could express")
            copies = [1] * len(live)
        entries = []
        for choice, count in zip(live, copies):
            entries += [self.template(choice.pieces)] * count
        return entries

    def template(self, pieces: tuple[nodes.Piece, ...], in_value: bool = False) -> str:
        out, scoped = [], []
        for piece in pieces:
            if isinstance(piece, nodes.Text):
                text = re.sub(r"([\\#\[\]])", r"\\\1", piece.value)
                if in_value and ("," in text or ":" in text):
                    self.refuse(piece.span, "a bound value with ',' or ':' cannot be pushed in Tracery")
                out.append(text)
            elif isinstance(piece, nodes.Reference):
                out.append(self.reference(piece))
            elif isinstance(piece, nodes.Binding):
                values = [self.template(choice, in_value=True) for choice in piece.choices]
                out.append(f"[{piece.name}:{','.join(values)}]")
                if not piece.keep:
                    scoped.append(piece.name)
            elif isinstance(piece, nodes.Unbinding):
                out.append(f"[{piece.name}:POP]")
                if piece.name in scoped:
                    scoped.remove(piece.name)
            else:
                out.append(f"[#{piece.reference.name}#]")
        # a gpbt binding ends with its alternative: pop what is still pushed, last first
        out += [f"[{name}:POP]" for name in reversed(scoped)]
        return "".join(out)

    def reference(self, ref: nodes.Reference) -> str:
        definition = self.definition
        name = ref.name
        if name not in definition.rules and name not in definition.bound_names:
            if name != definition.topic_slot:
                self.refuse(ref.span, f"slot '{name}' has no Tracery equivalent (only the topic becomes "
                            f"#{self.topic}#)")
            name = self.topic
        tag = "#" + name + "".join(self.modifier(mod) for mod in ref.modifiers) + "#"
        repeat = ref.repeat
        if repeat is None:
            return tag
        if repeat.fill:
            self.refuse(ref.span, f"fill ({{{ref.name}*fill}}) has no Tracery equivalent: Tracery has no "
                        "target length")
            return tag
        joiner = re.sub(r"([\\#\[\]])", r"\\\1", ref.joiner)
        if repeat.low == repeat.high:
            return joiner.join([tag] * repeat.low)
        symbol = f"{ref.name}*{repeat.low}-{repeat.high}"
        options = [joiner.join([tag] * count) for count in range(repeat.low, repeat.high + 1)]
        number = 2
        while self.symbols.get(symbol, options) != options or symbol in definition.rules:
            symbol, number = f"{ref.name}*{repeat.low}-{repeat.high}~{number}", number + 1
        self.symbols[symbol] = options
        return f"#{symbol}#"

    def modifier(self, mod: nodes.Modifier) -> str:
        modifiers = self.definition.modifiers
        name = modifiers[mod.name].name if mod.name in modifiers else mod.name
        if name not in TRACERY_MODIFIERS:
            self.refuse(mod.span, f"modifier .{mod.name} does not exist in Tracery")
        if any(re.search(r"[,().#\[\]\\]", arg) or not arg for arg in mod.args):
            self.refuse(mod.span, f"an argument of .{mod.name} holds a character Tracery splits on or drops "
                        "(, ( ) . # [ ] \\) or is empty")
        return f".{name}" + (f"({','.join(mod.args)})" if mod.args else "")


def _copies(weights: list[float]) -> list[int] | None:
    """Whole-number entry counts in the ratio of `weights`, or None if that needs too many entries."""
    if not weights:
        return []
    for scale in (1, 2, 4, 10, 100):
        scaled = [weight * scale for weight in weights]
        if all(abs(value - round(value)) < 1e-9 for value in scaled):
            counts = [int(round(value)) for value in scaled]
            divisor = reduce(math.gcd, counts)
            counts = [count // divisor for count in counts]
            return counts if sum(counts) <= MAX_COPIES else None
    return None
