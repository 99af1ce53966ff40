"""A checked gpbt style → a Tracery grammar (a dict of symbol → rules).

Tracery has one way to pick (uniformly, with replacement), no target length, no slots and a handful of modifiers.
What it cannot say is written as the closest thing it can say, and every kind of loss becomes one warning at its
first place, with a count of the others (docs/tracery.md, "gpbt → Tracery"): the caller prints them, or refuses
the export (`gpbt convert --strict`). Nothing is lost silently, and nothing is refused that can be approximated.
"""

from __future__ import annotations

import math
import re
from functools import reduce

from .. import nodes
from ..engine.model import StyleDefinition
from ..engine.stats import style_stats
from ..errors import Diagnostic, RuleFileError
from ..source import Span

TRACERY_MODIFIERS = ("capitalize", "capitalizeAll", "s", "a", "ed", "firstS", "replace", "uppercase", "lowercase")
CASE_MODIFIERS = ("capitalize", "capitalizeAll", "uppercase", "lowercase")  # gpbt's see through a quotation mark
MAX_COPIES = 1000  # entries one weighted gpbt rule may become in Tracery, exactly
APPROXIMATE_COPIES = 100  # entries a weighted rule becomes when its weights are rounded
MAX_FILL = 200  # repetitions a fill may become

_POLICY_HINTS = {
    "deck": "Tracery draws with replacement, so a sentence may repeat",
    "no-repeat": "the same alternative may come twice in a row",
    "once": "every use draws again, so the alternative may change from one use to the next",
    "cycle": "the alternatives come in random order, not in the order written",
}


class ConvertError(RuleFileError):
    """A conversion refused, with every problem and its position (for Tracery export: `--strict`)."""


class TraceryWriter:
    """A checked gpbt style → a Tracery grammar (dict). `warnings`, after `grammar()`: one per kind of loss."""

    def __init__(self, definition: StyleDefinition) -> None:
        self.definition = definition
        self.warnings: list[Diagnostic] = []
        self.losses: dict[tuple[str, str], list[tuple[Span | None, str]]] = {}
        self.symbols: dict[str, list[str]] = {}
        self.extra: dict[str, list[str]] = {}  # symbols gpbt makes up (ranges, pushed values, slots)
        self.taken = set(definition.rules) | definition.bound_names | set(definition.slots) | {"origin", "topic"}
        self.renames = self._renames()
        self._fill: tuple[str | None, float] | None = None

    # ---- the grammar -----------------------------------------------------------------------------------------
    def grammar(self) -> dict[str, list[str]]:
        for rule in self.definition.rules.values():
            self.symbols[self.renames.get(rule.name, rule.name)] = self.rule(rule)
        start = self.definition.start
        head = {} if start == "origin" else {"origin": [f"#{self.renames.get(start, start)}#"]}
        self.warnings = [self._warning(kind, found) for kind, found in self.losses.items()]
        return {**head, **self.symbols, **self.extra}

    def _renames(self) -> dict[str, str]:
        """Tracery starts at `origin`, and gpbt reads an undefined `#topic#` as the topic: a gpbt name that would
        be taken for either gets a made-up one."""
        definition, renames = self.definition, {}
        reserved = [] if definition.start == "origin" else ["origin"]
        if definition.topic_slot != "topic" and definition.topic_slot in definition.slot_uses():
            reserved.append("topic")
        for name in reserved:
            if name in definition.rules or name in definition.bound_names or name in definition.slots:
                renames[name] = new = self._fresh(name, numbered=True)
                rule, slot = definition.rules.get(name), definition.slots.get(name)
                span = rule.span if rule else slot.span if slot else None
                why = f"Tracery starts at 'origin', this style at '{definition.start}'" if name == "origin" else \
                    f"gpbt reads #topic# as the topic, which is '{definition.topic_slot}' here"
                self.lose("rename", name, span, f"'{name}' is exported as '{new}' ({why})")
        return renames

    def _fresh(self, base: str, numbered: bool = False) -> str:
        """`base` (or `base~1` when `numbered`), else `base~2`, `base~3`, …: the first name nothing else has."""
        number = 1 if numbered else None
        name = base if number is None else f"{base}~{number}"
        while name in self.taken:
            number = 2 if number is None else number + 1
            name = f"{base}~{number}"
        self.taken.add(name)
        return name

    def made_up(self, base: str, options: list[str], numbered: bool = False) -> str:
        """A symbol gpbt adds (the same options reuse one), named so that it clashes with nothing."""
        for name, existing in self.extra.items():
            if existing == options and (name == base or name.startswith(base + "~")):
                return name
        name = self._fresh(base, numbered)
        self.extra[name] = options
        return name

    # ---- losses ------------------------------------------------------------------------------------------------
    def lose(self, kind: str, key: str, span: Span | None, detail: str) -> None:
        """Something Tracery cannot express, approximated here: one warning per (kind, key) at its first place."""
        self.losses.setdefault((kind, key), []).append((span, detail))

    def _warning(self, kind: tuple[str, str], found: list[tuple[Span | None, str]]) -> Diagnostic:
        code, head, hint, noun = _describe(*kind)
        span, detail = found[0]
        more = len(found) - 1
        others = f" (and {more} more {noun}{'s' * (more != 1)})" if more else ""
        return Diagnostic(span, f"{head}: {detail}{others}", code, severity="warning", hint=hint)

    # ---- rules and templates -----------------------------------------------------------------------------------
    def rule(self, rule: nodes.RuleDef) -> list[str]:
        live = [choice for choice in rule.choices if choice.weight > 0]
        policy = self.definition.policy(rule)
        where = rule.policy_span or rule.span
        if not policy.tracery and len(live) > 1:
            self.lose("policy", policy.name, where, f"rule '{rule.name}' becomes an independent random choice, "
                      "with replacement")
        if rule.unique:
            self.lose("unique", "", where, f"rule '{rule.name}' loses 'unique'")
        weights = [choice.weight for choice in live]
        copies = _copies(weights) if policy.weighted else [1] * len(live)
        if copies is None:
            copies = _rounded(weights)
            self.lose("weights", "", rule.span, f"those of rule '{rule.name}' become {sum(copies)} repeated "
                      "entries in about their ratio")
        entries = []
        for choice, count in zip(live, copies):
            entries += [self.template(choice.pieces)] * count
        return entries

    def template(self, pieces: tuple[nodes.Piece, ...]) -> str:
        out, scoped = [], []
        for piece in pieces:
            if isinstance(piece, nodes.Text):
                out.append(_escape(piece.value))
            elif isinstance(piece, nodes.Reference):
                out.append(self.reference(piece))
            elif isinstance(piece, nodes.Binding):
                name = self.renames.get(piece.name, piece.name)
                values = [self.value(name, choice) for choice in piece.choices]
                out.append(f"[{name}:{','.join(values)}]")
                if not piece.keep:
                    scoped.append(name)
            elif isinstance(piece, nodes.Unbinding):
                name = self.renames.get(piece.name, piece.name)
                out.append(f"[{name}:POP]")
                if name in scoped:
                    scoped.remove(name)
            else:
                out.append(f"[#{self.symbol(piece.reference.name, piece.reference.span)}#]")
        # a gpbt binding ends with its alternative: pop what is still pushed, last first
        out += [f"[{name}:POP]" for name in reversed(scoped)]
        return "".join(out)

    def value(self, name: str, pieces: tuple[nodes.Piece, ...]) -> str:
        """A pushed value. Tracery splits a push on every ',' and drops what follows a second ':', so a value
        holding either is pushed through a symbol of its own (expanded once at the push: the same text)."""
        text = self.template(pieces)
        if "," in text or ":" in text:
            return f"#{self.made_up(name, [text], numbered=True)}#"
        return text

    def symbol(self, name: str, span: Span | None) -> str:
        """The Tracery symbol a gpbt name is read from: a rule or a bound name, the topic, or another slot."""
        definition = self.definition
        if name in definition.rules or name in definition.bound_names:
            return self.renames.get(name, name)
        if name == definition.topic_slot:
            return "topic"
        symbol = self.renames.get(name, name)
        if symbol not in self.extra:
            default = definition.slots[name].default if name in definition.slots else None
            self.extra[symbol] = [_escape(default if default is not None else f"(({name}))")]
            writes = f"its default '{default}'" if default is not None else f"the marker (({name}))"
            self.lose("slot", "", span, f"slot '{name}' becomes a symbol that always writes {writes}")
        return symbol

    def reference(self, ref: nodes.Reference) -> str:
        item = self.item(ref)
        repeat = ref.repeat
        if repeat is None:
            return item
        joiner = _escape(ref.joiner)
        if repeat.fill:
            return joiner.join([item] * self.fill_count(ref))
        if repeat.low == repeat.high:
            return joiner.join([item] * repeat.low)
        options = [joiner.join([item] * count) for count in range(repeat.low, repeat.high + 1)]
        return f"#{self.made_up(f'{ref.name}*{repeat.low}-{repeat.high}', options)}#"

    def fill_count(self, ref: nodes.Reference) -> int:
        """Tracery has no target length: the fill's unit is written as many times as reach the style's @length
        on average (`gpbt stats` works it out), or once for a fill that is not the style's first."""
        if self._fill is None:
            stats = style_stats(self.definition)
            self._fill = (stats.fill_unit, stats.units)
        unit, units = self._fill
        count, length = (max(1, round(units)) if ref.name == unit else 1), self.definition.default_length
        if count > MAX_FILL:
            why = f"the most the export writes (@length {length} needs about {count})"
            count = MAX_FILL
        else:
            why = f"the average number that reaches @length {length}" if ref.name == unit else \
                "one, as it is not the fill that gpbt sizes to @length"
        self.lose("fill", "", ref.span, f"{{{ref.name}*fill}} becomes a fixed {count} repetition"
                  f"{'s' * (count != 1)}, {why}")
        return count

    def item(self, ref: nodes.Reference) -> str:
        """One `#symbol.mods#` for a reference, its modifiers mapped to Tracery's (or approximated)."""
        mods: list[str] = []
        prefix = suffix = ""
        literal: str | None = None  # `agree` writes a text of its own: the reference is not expanded
        shown = "{" + ref.name + "".join(f".{mod.name}" + (f"({','.join(mod.args)})" if mod.args else "")
                                         for mod in ref.modifiers) + "}"
        for mod in ref.modifiers:
            spec = self.definition.modifiers.get(mod.name)
            name = spec.name if spec else mod.name
            if literal is not None and spec is not None:
                literal = spec.function(literal, *mod.args)  # gpbt's own modifier on a known text: exact
            elif name == "agree":
                literal, mods, prefix, suffix = mod.args[0], [], "", ""
                self.lose("modifier", name, mod.span, f"{shown} always writes the singular '{mod.args[0]}'")
            elif name == "quote":
                prefix, suffix = "“" + prefix, suffix + "”"
            elif name == "title":
                mods.append(".capitalizeAll")
                self.lose("modifier", name, mod.span, f"{shown} becomes .capitalizeAll, which capitalises small "
                          "words too")
            elif name not in TRACERY_MODIFIERS:
                self.lose("modifier", name, mod.span, f"{shown} writes the text unmodified")
            elif any(re.search(r"[,().#\[\]\\]", arg) or not arg for arg in mod.args):
                self.lose("arguments", name, mod.span, f"{shown} is dropped: an argument holds , ( ) . # [ ] \\ "
                          "or is empty")
            else:
                if prefix and name not in CASE_MODIFIERS:
                    self.lose("order", name, mod.span, f"in {shown} .{name} applies inside the quotation marks")
                mods.append(f".{name}" + (f"({','.join(mod.args)})" if mod.args else ""))
        if literal is not None:
            return _escape(literal)
        return f"{_escape(prefix)}#{self.symbol(ref.name, ref.span)}{''.join(mods)}#{_escape(suffix)}"


def _describe(kind: str, key: str) -> tuple[str, str, str, str]:
    """code, head of the message, hint and what the count counts, for one kind of loss."""
    exact = "; give the rule (random) to export it as it is"
    table = {
        "policy": ("tracery-policy", f"Tracery has no {key} policy" + (" (gpbt's default)" if key == "deck" else ""),
                   _POLICY_HINTS.get(key, "the alternatives are drawn at random") + exact, "rule"),
        "unique": ("tracery-unique", "Tracery cannot keep a text from repeating",
                   "the same text may come twice in one document; drop 'unique' to export it as it is", "rule"),
        "weights": ("tracery-weights", "Tracery has no weights",
                    "whole numbers or simple fractions (3, 0.5) become exactly as many repeated entries", "rule"),
        "fill": ("tracery-fill", "Tracery has no target length",
                 "the exported text is as long as it happens to be; -n/--length cannot change it", "fill"),
        "slot": ("tracery-slot", "Tracery has no slots",
                 "edit the symbol in the JSON to give the slot another value", "slot"),
        "modifier": ("tracery-modifier", f"Tracery has no .{key} modifier",
                     "Tracery's modifiers: " + " ".join(TRACERY_MODIFIERS), "use"),
        "arguments": ("tracery-modifier", f"Tracery cannot pass these arguments to .{key}",
                      "Tracery splits arguments on ',' and a tag on '.'", "use"),
        "order": ("tracery-modifier", f"Tracery cannot apply .{key} after .quote",
                  "the quotation marks are written around the tag", "use"),
        "rename": ("tracery-rename", f"'{key}' means something else to Tracery",
                   "every reference follows the new name; the text is the same", "name"),
    }
    return table[kind]


def _escape(text: str) -> str:
    return re.sub(r"([\\#\[\]])", r"\\\1", text)


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


def _rounded(weights: list[float]) -> list[int]:
    """Entry counts in about the ratio of `weights`, `APPROXIMATE_COPIES` in all: every alternative keeps one."""
    total = sum(weights)
    counts = [max(1, round(weight / total * APPROXIMATE_COPIES)) for weight in weights]
    divisor = reduce(math.gcd, counts)
    return [count // divisor for count in counts]
