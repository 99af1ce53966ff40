"""One error model: everything gpbt raises derives from `GpbtError`, carries its position and renders itself.

The CLI is the only place that turns these into messages and exit codes; the library never prints.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

from .source import Span

Severity = Literal["error", "warning"]


class Diagnostic(NamedTuple):
    """One finding about a rule file, in the shape compilers use: position, severity, message, code, hint."""

    span: Span | None
    message: str
    code: str
    severity: Severity = "error"
    hint: str | None = None

    def render(self, color: bool = False) -> str:
        """gcc style: `file:line:col: severity: message [code]`, the source line, a caret, an optional hint."""
        where = f"{self.span}: " if self.span else "gpbt: "
        severity = self.severity
        if color:
            where = _ansi(where, "1")
            severity = _ansi(severity, "1;31" if severity == "error" else "1;35")
        lines = [f"{where}{severity}: {self.message} [{self.code}]"]
        if self.span:
            source_line, caret = self.span.snippet().split("\n")
            lines += [source_line, _ansi(caret, "1;32") if color else caret]
        if self.hint:
            lines.append(f"{_ansi('hint', '1;36') if color else 'hint'}: {self.hint}")
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


def _ansi(text: str, code: str) -> str:
    return f"\x1b[{code}m{text}\x1b[0m"


class GpbtError(Exception):
    """Root of every error gpbt raises on purpose. Each front end turns one into its own form in one place: the CLI
    into `exit_code` and the rendered diagnostics on stderr, a server into a status and JSON."""

    exit_code = 1

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = diagnostics
        super().__init__("\n".join(d.render() for d in diagnostics))

    @property
    def span(self) -> Span | None:
        return self.diagnostics[0].span if self.diagnostics else None

    def render(self, color: bool = False) -> str:
        return "\n".join(d.render(color) for d in self.diagnostics)


class RuleFileError(GpbtError):
    """A style cannot be loaded: syntax or semantic errors in its rule files (all of them, not just the first)."""


class StyleNotFoundError(GpbtError):
    """A style name or path that names nothing."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__([Diagnostic(None, message, "style-not-found", hint=hint)])


class UsageError(GpbtError, ValueError):
    """The caller asked for something that cannot be: a rule the style does not have (`stats --sentence`), a
    conversion between formats that has no meaning. Also a `ValueError`, as lark and Jinja2 do for bad arguments."""

    exit_code = 2

    def __init__(self, message: str, code: str, hint: str | None = None) -> None:
        super().__init__([Diagnostic(None, message, code, hint=hint)])


class GenerationError(GpbtError):
    """Generation failed: a missing slot, a runaway grammar, a binding used before it was made."""

    def __init__(self, message: str, code: str, span: Span | None = None, hint: str | None = None) -> None:
        super().__init__([Diagnostic(span, message, code, hint=hint)])
