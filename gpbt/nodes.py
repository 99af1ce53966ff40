"""The syntax tree of a rule file. Immutable, and every node carries the `Span` it was read from."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Iterable, Iterator, Union

from .source import SourceFile, Span


@dataclass(frozen=True)
class Text:
    value: str
    span: Span


@dataclass(frozen=True)
class Modifier:
    name: str
    args: tuple[str, ...]
    span: Span


@dataclass(frozen=True)
class Repeat:
    """`*3`, `*2-5` or `*fill` (`fill=True`, where `low`/`high` mean nothing)."""

    low: int
    high: int
    fill: bool
    span: Span


@dataclass(frozen=True)
class Reference:
    name: str
    modifiers: tuple[Modifier, ...]
    repeat: Repeat | None
    joiner: str
    span: Span
    name_span: Span


@dataclass(frozen=True)
class Binding:
    """`[name = a | b]`: each alternative is expanded once, the set is bound to `name` for the enclosing scope.
    With `keep` (`[name := …]`, Tracery's push) the binding outlives its alternative until `[/name]`."""

    name: str
    choices: tuple[tuple[Piece, ...], ...]
    span: Span
    name_span: Span
    keep: bool = False


@dataclass(frozen=True)
class Silent:
    """`[{name}]`: expanded for its bindings, writes nothing (Tracery's `[#setPronouns#]`)."""

    reference: Reference
    span: Span


@dataclass(frozen=True)
class Unbinding:
    name: str
    span: Span


Piece = Union[Text, Reference, Binding, Unbinding, Silent]


@dataclass(frozen=True)
class Choice:
    """One alternative of a rule: a weight and a template."""

    weight: float
    pieces: tuple[Piece, ...]
    span: Span

    @functools.cached_property
    def references(self) -> tuple[Reference, ...]:
        """Every reference of the template, binding values included: walked once, since the checker, the analyses,
        the compiler and stats all ask (and an environment keeps parsed nodes across edits)."""
        return tuple(walk_references(self.pieces))


@dataclass(frozen=True)
class RuleDef:
    name: str
    policy: str | None
    choices: tuple[Choice, ...]
    span: Span
    policy_span: Span | None
    unique: bool = False  # `(… unique)`: no expansion of the rule is written twice in one document


@dataclass(frozen=True)
class Directive:
    name: str
    value: str
    span: Span
    value_span: Span


@dataclass(frozen=True)
class RuleFile:
    source: SourceFile
    directives: tuple[Directive, ...]
    rules: tuple[RuleDef, ...]
    broken_names: tuple[str, ...] = ()  # rules whose record did not parse: known to exist, so no false errors


def walk_references(pieces: Iterable[Piece]) -> Iterator[Reference]:
    """Every reference in a template, including those inside binding values."""
    for piece in pieces:
        if isinstance(piece, Reference):
            yield piece
        elif isinstance(piece, Binding):
            for choice in piece.choices:
                yield from walk_references(choice)
        elif isinstance(piece, Silent):
            yield piece.reference


def walk_bindings(pieces: Iterable[Piece]) -> Iterator[Binding]:
    """Every binding in a template, including those inside binding values: the one walker that finds bound
    names (the checker, the compiler, stats and the Tracery reader all ask it)."""
    for piece in pieces:
        if isinstance(piece, Binding):
            yield piece
            for choice in piece.choices:
                yield from walk_bindings(choice)


def bound_names(rules: Iterable[RuleDef]) -> set[str]:
    """Every name some binding of these rules gives a value."""
    return {binding.name for rule in rules for choice in rule.choices for binding in walk_bindings(choice.pieces)}
