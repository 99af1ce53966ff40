"""The one driver from what a reader produced to a checked style: assemble, check, lint, and one sort order.

Every way into gpbt goes through `analyse`: rule files and Tracery grammars alike, for `load_style`, `gpbt check`,
`gpbt convert`, stats and any front end, so they all report the same problems with the same codes.
"""

from __future__ import annotations

from typing import Mapping, NamedTuple

from .. import nodes
from ..errors import Diagnostic
from ..modifiers import REGISTRY, ModifierSpec
from .check import check
from .lint import lint
from .model import StyleDefinition, assemble


class Analysis(NamedTuple):
    """Everything known about a style without generating: the definition and every diagnostic, in file order."""

    definition: StyleDefinition
    diagnostics: list[Diagnostic]

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "warning"]


def analyse(name: str, files: list[nodes.RuleFile], problems: list[Diagnostic], *, start: str | None = None,
            dialect: str = "gpbt", modifiers: Mapping[str, ModifierSpec] = REGISTRY) -> Analysis:
    """Assemble `files` (with the `problems` their reader found) into a definition, check it and lint it."""
    definition, assembly = assemble(name, files, start=start, dialect=dialect, modifiers=modifiers)
    diagnostics = problems + assembly + check(definition) + lint(definition)
    diagnostics.sort(key=_position)
    return Analysis(definition, diagnostics)


def _position(diagnostic: Diagnostic) -> tuple[str, int, int]:
    span = diagnostic.span
    return (span.path, span.line, span.column) if span else ("", 0, 0)
