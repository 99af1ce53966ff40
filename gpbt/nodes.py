"""The syntax tree of a rule file. Immutable, and every node carries the `Span` it was read from.

Nodes are NamedTuples (a cold load of zh makes some 5,000 of them, and defines these classes at every start: a frozen
dataclass costs twice as much to make and ten times as much to define). Compare nodes of one type only: two of
different types with equal fields would compare equal, as tuples do."""

from __future__ import annotations

from typing import Iterable, Iterator, NamedTuple, Union

from .source import SourceFile, Span


class Text(NamedTuple):
    value: str
    span: Span


class Modifier(NamedTuple):
    name: str
    args: tuple[str, ...]
    span: Span


class Repeat(NamedTuple):
    """`*3`, `*2-5` or `*fill` (`fill=True`, where `low`/`high` mean nothing)."""

    low: int
    high: int
    fill: bool
    span: Span


class Reference(NamedTuple):
    name: str
    modifiers: tuple[Modifier, ...]
    repeat: Repeat | None
    joiner: str
    span: Span
    name_span: Span


class Binding(NamedTuple):
    """`[name = a | b]`: each alternative is expanded once, the set is bound to `name` for the enclosing scope.
    With `keep` (`[name := …]`, Tracery's push) the binding outlives its alternative until `[/name]`."""

    name: str
    choices: tuple[tuple[Piece, ...], ...]
    span: Span
    name_span: Span
    keep: bool = False


class Silent(NamedTuple):
    """`[{name}]`: expanded for its bindings, writes nothing (Tracery's `[#setPronouns#]`)."""

    reference: Reference
    span: Span


class Unbinding(NamedTuple):
    name: str
    span: Span


Piece = Union[Text, Reference, Binding, Unbinding, Silent]


class Choice:
    """One alternative of a rule: a weight and a template. (A class of its own rather than a NamedTuple: it keeps
    its references once walked.)"""

    __slots__ = ("weight", "pieces", "span", "_references", "_bindings")

    def __init__(self, weight: float, pieces: tuple[Piece, ...], span: Span) -> None:
        self.weight, self.pieces, self.span = weight, pieces, span
        self._references: tuple[Reference, ...] | None = None
        self._bindings: tuple[Binding, ...] | None = None

    def __eq__(self, other: object) -> bool:
        return type(other) is Choice and (self.weight, self.pieces, self.span) == (other.weight, other.pieces,
                                                                                  other.span)

    def __hash__(self) -> int:
        return hash((self.weight, self.pieces, self.span))

    def __repr__(self) -> str:
        return f"Choice(weight={self.weight!r}, pieces={self.pieces!r}, span={self.span!r})"

    @property
    def references(self) -> tuple[Reference, ...]:
        """Every reference of the template, binding values included: walked once, since the checker, the analyses,
        the compiler and stats all ask (and an environment keeps parsed nodes across edits)."""
        if self._references is None:
            self._references = tuple(walk_references(self.pieces))
        return self._references

    @property
    def bindings(self) -> tuple[Binding, ...]:
        """Every binding of the template, binding values included: walked once, as `references`."""
        if self._bindings is None:
            self._bindings = tuple(walk_bindings(self.pieces))
        return self._bindings


class RuleDef(NamedTuple):
    name: str
    policy: str | None
    choices: tuple[Choice, ...]
    span: Span
    policy_span: Span | None
    unique: bool = False  # `(… unique)`: no expansion of the rule is written twice in one document


class Directive(NamedTuple):
    name: str
    value: str
    span: Span
    value_span: Span


class RuleFile(NamedTuple):
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
    names (the checker, the analyses and stats ask it through `Choice.bindings`)."""
    for piece in pieces:
        if isinstance(piece, Binding):
            yield piece
            for choice in piece.choices:
                yield from walk_bindings(choice)


def bound_names(rules: Iterable[RuleDef]) -> set[str]:
    """Every name some binding of these rules gives a value."""
    return {binding.name for rule in rules for choice in rule.choices for binding in choice.bindings}
