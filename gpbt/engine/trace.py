"""Provenance: which rule, which alternative (file:line) and which choice wrote every span of a document.

Tracing is a mode of the generated code (gpbt/engine/codegen.py with `origin=origin_of`) over a document that
labels what it writes, so the traced text is byte-identical to the untraced one for the same seed: text pieces are
`str` subclasses that carry their origin, the output list labels every plain piece with the alternative being
written, and joined pieces (binding values, fills) keep their parts.
"""

from __future__ import annotations

import dataclasses
import random as random_module
from dataclasses import dataclass

from .compiler import CompiledGrammar, CompiledRule
from .runtime import Document


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
    """The output list: a plain piece (text, a modifier's result, a joiner) is labelled with the alternative being
    written when it is appended."""

    def __init__(self, document: TracingDocument) -> None:
        super().__init__()
        self.document = document

    def append(self, piece) -> None:
        if piece.__class__ is str and self.document.origins:
            piece = Traced(piece, self.document.origins[-1])
        super().append(piece)


def origin_of(rule: CompiledRule, alternative: int, binding: str | None = None) -> Origin:
    """Where alternative `alternative` (1-based) of `rule` stands, as the traced code announces it."""
    return Origin(rule.name, alternative, rule.span.path, _choice_line(rule, alternative), binding=binding)


class TracingDocument(Document):
    """A document run by the traced generated functions (`generate_functions(grammar, origin=origin_of)`): they
    announce every alternative and binding value, and this document labels the pieces written meanwhile."""

    __slots__ = ("origins",)

    def __init__(self, grammar: CompiledGrammar, functions: tuple, rng: random_module.Random,
                 slots: dict[str, str], target: int, ceiling: int, time_limit: float | None = None) -> None:
        self.origins: list[Origin] = []
        traced_slots = {name: Traced(value, Origin(None, None, None, None, slot=name))
                        for name, value in slots.items()}
        super().__init__(grammar, functions, rng, traced_slots, target, ceiling, time_limit)

    def run_traced(self) -> tuple[str, list[dict[str, object]]]:
        text = self.run()
        return text, spans(self.out)

    def new_output(self) -> list:
        return _LabellingOutput(self)

    def enter(self, origin: Origin, depth: int) -> None:
        self.origins.append(origin)

    def leave(self) -> None:
        self.origins.pop()

    def modify(self, target, modifiers: tuple, depth: int) -> None:
        super().modify(target, modifiers, depth)
        if modifiers and self.origins:
            names = "".join(f".{function.__name__}" for function, _ in modifiers)
            self.out[-1] = Traced(str(self.out[-1]), dataclasses.replace(self.origins[-1], modifiers=names))

    def collapse(self, mark: int) -> str:
        parts = list(self.out[mark:])
        return Composite(super().collapse(mark), parts)


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
