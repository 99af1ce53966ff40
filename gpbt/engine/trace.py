"""Provenance: which rule, which alternative (file:line) and which choice wrote every span of a document.

Tracing runs the ordinary expander with three small substitutions, so the traced text is byte-identical to the
untraced one for the same seed: text pieces are `str` subclasses that carry their origin, the output list labels
every plain piece with the alternative being written, and joined pieces (binding values, fills) keep their parts.
"""

from __future__ import annotations

import dataclasses
import random as random_module
from dataclasses import dataclass

from .compiler import BIND, CompiledGrammar
from .expander import Expander


@dataclass(frozen=True)
class Origin:
    """An alternative of a rule (or a slot): what a piece of output came from."""

    rule: str | None
    alternative: int | None  # 1-based, as an author counts the lines of a rule
    file: str | None
    line: int | None
    slot: str | None = None
    binding: str | None = None  # literal text of a binding's value, written where the bound name is used
    modifiers: str | None = None  # text a modifier rewrote, e.g. ".capitalize"

    def as_dict(self) -> dict[str, object]:
        return {key: value for key, value in dataclasses.asdict(self).items() if value is not None}


class Traced(str):
    """Text that remembers its origin."""

    origin: Origin

    def __new__(cls, text: str, origin: Origin) -> Traced:
        piece = super().__new__(cls, text)
        piece.origin = origin
        return piece


class Composite(str):
    """Text joined from pieces (a binding's value, a fill), keeping the pieces for the trace."""

    parts: list

    def __new__(cls, text: str, parts: list) -> Composite:
        piece = super().__new__(cls, text)
        piece.parts = parts
        return piece


class _LabellingOutput(list):
    """The output list: a plain piece (a modifier's result, a joiner) is labelled with the alternative being
    written when it is appended."""

    def __init__(self, expander: TracingExpander) -> None:
        super().__init__()
        self.expander = expander

    def append(self, piece) -> None:
        if piece.__class__ is str and self.expander.origins:
            piece = Traced(piece, self.expander.origins[-1])
        super().append(piece)


class TracingExpander(Expander):
    def __init__(self, grammar: CompiledGrammar, rng: random_module.Random, slots: dict[str, str],
                 target: int, ceiling: int) -> None:
        self.origins: list[Origin] = []
        self.template_origins: dict[int, Origin] = {}
        rules = []
        for rule in grammar.rules:
            # every alternative goes through _template (no plain-text shortcut), so its origin is pushed
            rules.append(dataclasses.replace(rule, texts=(None,) * len(rule.texts)))
            for number, ops in enumerate(rule.choices, start=1):
                origin = Origin(rule.name, number, rule.span.path, _choice_line(rule, number))
                self.template_origins[id(ops)] = origin
                for op in ops:
                    if op.__class__ is tuple and op[0] == BIND:
                        for value in op[2]:
                            self.template_origins[id(value)] = dataclasses.replace(origin, binding=op[1])
        traced_slots = {name: Traced(value, Origin(None, None, None, None, slot=name))
                        for name, value in slots.items()}
        super().__init__(dataclasses.replace(grammar, rules=tuple(rules)), rng, traced_slots, target, ceiling)

    def run_traced(self) -> tuple[str, list[dict[str, object]]]:
        text = self.run()
        return text, spans(self.out)

    def new_output(self) -> list:
        return _LabellingOutput(self)

    def _template(self, ops: tuple, depth: int) -> None:
        origin = self.template_origins.get(id(ops))
        if origin is None:
            super()._template(ops, depth)
            return
        self.origins.append(origin)
        super()._template(ops, depth)
        self.origins.pop()

    def _value_text(self, ops: tuple, depth: int) -> str:
        return self._to_text(ops, depth)  # always through _template, which records the binding as the origin

    def _item(self, target: tuple, modifiers: tuple, depth: int) -> None:
        super()._item(target, modifiers, depth)
        if modifiers and self.origins:
            names = "".join(f".{function.__name__}" for function, _ in modifiers)
            self.out[-1] = Traced(str(self.out[-1]), dataclasses.replace(self.origins[-1], modifiers=names))

    def _collapse(self, mark: int) -> str:
        parts = list(self.out[mark:])
        return Composite(super()._collapse(mark), parts)


def spans(pieces: list) -> list[dict[str, object]]:
    """Flatten the traced output into consecutive spans; neighbours from the same origin are merged."""
    result: list[dict[str, object]] = []
    offset = 0

    def visit(piece) -> None:
        nonlocal offset
        if isinstance(piece, Composite) and "".join(piece.parts) == piece:
            for part in piece.parts:
                visit(part)
            return
        if not piece:
            return
        origin = piece.origin if isinstance(piece, Traced) else Origin(None, None, None, None)
        record = origin.as_dict()
        if result and result[-1]["_origin"] == origin and result[-1]["end"] == offset:
            result[-1]["text"] += piece
            result[-1]["end"] = offset + len(piece)
        else:
            result.append({"start": offset, "end": offset + len(piece), "text": str(piece), **record,
                           "_origin": origin})
        offset += len(piece)

    for piece in pieces:
        visit(piece)
    for record in result:
        del record["_origin"]
    return result


def _choice_line(rule, number: int) -> int:
    return rule.choice_lines[number - 1] if rule.choice_lines else rule.span.line
