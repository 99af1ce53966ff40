"""One error model: everything gpbt raises derives from `GpbtError`, carries its position and renders itself.

The CLI is the only place that turns these into messages and exit codes; the library never prints.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .source import Span

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Diagnostic:
    """One finding about a rule file, in the shape compilers use: position, severity, message, code, hint."""

    span: Span | None
    message: str
    code: str
    severity: Severity = "error"
    hint: str | None = None

    def render(self) -> str:
        where = f"{self.span}: " if self.span else "gpbt: "
        lines = [f"{where}{self.severity}: {self.message} [{self.code}]"]
        if self.span:
            lines.append(self.span.snippet())
        if self.hint:
            lines.append(f"hint: {self.hint}")
        return "\n".join(lines)

    def as_dict(self) -> dict[str, object]:
        span = self.span
        return {
            "file": span.path if span else None,
            "line": span.line if span else None,
            "column": span.column if span else None,
            "end_line": span.end_line if span else None,
            "end_column": span.end_column if span else None,
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
            "hint": self.hint,
        }


class GpbtError(Exception):
    """Root of every error gpbt raises on purpose."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = diagnostics
        super().__init__("\n".join(d.render() for d in diagnostics))

    @property
    def span(self) -> Span | None:
        return self.diagnostics[0].span if self.diagnostics else None

    def render(self) -> str:
        return "\n".join(d.render() for d in self.diagnostics)


class RuleFileError(GpbtError):
    """A style cannot be loaded: syntax or semantic errors in its rule files (all of them, not just the first)."""


class StyleNotFoundError(GpbtError):
    """A style name or path that names nothing."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__([Diagnostic(None, message, "style-not-found", hint=hint)])


class GenerationError(GpbtError):
    """Generation failed: a missing slot, a runaway grammar, a binding used before it was made."""

    def __init__(self, message: str, code: str, span: Span | None = None, hint: str | None = None) -> None:
        super().__init__([Diagnostic(span, message, code, hint=hint)])
