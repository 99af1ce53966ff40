"""Every name in a style's files and what it is: the table behind go-to-definition, references, rename, hover,
highlighting and symbols. Built from the syntax tree the library already has, so positions are the checker's."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Iterator

from .. import nodes
from ..engine.model import StyleDefinition
from ..source import Span

RULE, REFERENCE, SLOT, BINDING, MODIFIER, INCLUDE, DIRECTIVE, POLICY = (
    "rule", "reference", "slot", "binding", "modifier", "include", "directive", "policy")


@dataclass(frozen=True)
class Occurrence:
    """One name at one place: `kind` says what the name is there (a rule's definition, a reference, …)."""

    kind: str
    name: str
    span: Span

    def contains(self, line: int, column: int) -> bool:
        """1-based line and column; the position just after the name still counts (where the cursor stands)."""
        span = self.span
        return span.line == line and span.column <= column <= span.end_column


def name_span(span: Span, name: str, offset: int = 0) -> Span:
    """The span of `name` starting `offset` characters into `span`."""
    start = span.column + offset
    return Span(span.source, span.line, start, span.line, start + len(name))


def occurrences(definition: StyleDefinition) -> list[Occurrence]:
    """Every named thing in every file of the style, in file order."""
    found: list[Occurrence] = []
    for rule_file in definition.files:
        found.extend(file_occurrences(rule_file))
    return found


def file_occurrences(rule_file: nodes.RuleFile) -> Iterator[Occurrence]:
    for directive in rule_file.directives:
        yield Occurrence(DIRECTIVE, directive.name, name_span(directive.span, "@" + directive.name))
        if directive.name == "include" and directive.value:
            yield Occurrence(INCLUDE, directive.value, directive.value_span)
        elif directive.name == "slot" and directive.value:
            name = directive.value.partition("=")[0].strip()
            if name:
                yield Occurrence(SLOT, name, name_span(directive.value_span, name))
        elif directive.name in ("topic", "start") and directive.value:
            kind = SLOT if directive.name == "topic" else REFERENCE
            yield Occurrence(kind, directive.value, name_span(directive.value_span, directive.value))
    for rule in rule_file.rules:
        yield Occurrence(RULE, rule.name, rule.span)
        if rule.policy_span is not None and rule.policy:
            yield Occurrence(POLICY, rule.policy, rule.policy_span)
        for choice in rule.choices:
            yield from piece_occurrences(choice.pieces)


def piece_occurrences(pieces: Iterable[nodes.Piece]) -> Iterator[Occurrence]:
    for piece in pieces:
        if isinstance(piece, nodes.Silent):
            piece = piece.reference
        if isinstance(piece, nodes.Reference):
            yield Occurrence(REFERENCE, piece.name, piece.name_span)
            for modifier in piece.modifiers:
                yield Occurrence(MODIFIER, modifier.name, name_span(modifier.span, modifier.name, 1))
        elif isinstance(piece, nodes.Binding):
            yield Occurrence(BINDING, piece.name, piece.name_span)
            for choice in piece.choices:
                yield from piece_occurrences(choice)
        elif isinstance(piece, nodes.Unbinding):
            offset = piece.span.source.line(piece.span.line)[piece.span.column - 1:].index(piece.name)
            yield Occurrence(BINDING, piece.name, name_span(piece.span, piece.name, offset))


def occurrence_at(found: Iterable[Occurrence], path: str, line: int, column: int) -> Occurrence | None:
    for occurrence in found:
        if occurrence.span.path == path and occurrence.contains(line, column):
            return occurrence
    return None


def meaning(definition: StyleDefinition, occurrence: Occurrence) -> str:
    """What a name stands for where it is used: a rule, a slot or a bound-only name."""
    if occurrence.kind in (RULE, SLOT, BINDING, MODIFIER, INCLUDE, DIRECTIVE, POLICY):
        return occurrence.kind
    if occurrence.name in definition.rules:
        return RULE
    if occurrence.name in definition.slots:
        return SLOT
    return BINDING
