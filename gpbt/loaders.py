"""Where rule files come from: shipped styles (package data), files and folders, and `@include` chains."""

from __future__ import annotations

import difflib
from importlib.resources import files
from pathlib import Path

from . import nodes
from .errors import Diagnostic, RuleFileError, StyleNotFoundError
from .readers.rules import parse_rules
from .source import SourceFile

RULE_SUFFIX = ".gpbt"


def shipped_root() -> Path:
    """The `rules/` folder inside the installed package (force-included into the wheel)."""
    return Path(str(files("gpbt") / "rules"))


def shipped_style_names() -> list[str]:
    root = shipped_root()
    if not root.is_dir():
        return []
    return sorted(entry.name for entry in root.iterdir() if entry.is_dir() and any(entry.glob(f"*{RULE_SUFFIX}")))


def resolve_style(spec: str | Path) -> Path:
    """A path to an existing file or folder wins; otherwise `spec` names a shipped style."""
    path = Path(spec)
    if path.exists():
        return path
    candidate = shipped_root() / str(spec)
    if isinstance(spec, str) and "/" not in spec and candidate.is_dir():
        return candidate
    names = shipped_style_names()
    close = difflib.get_close_matches(str(spec), names, n=1)
    hint = f"did you mean {close[0]}?" if close else f"shipped styles: {', '.join(names)}; or give a path"
    raise StyleNotFoundError(f"no style or rule file named '{spec}'", hint=hint)


def style_name_for(path: Path) -> str:
    """A style is named after its file or folder unless it says otherwise (@style)."""
    return path.stem if path.is_file() else path.name


def style_entry_files(path: Path) -> list[Path]:
    """A folder style is every rule file directly inside it, in name order."""
    if path.is_dir():
        entries = sorted(p for p in path.iterdir() if p.suffix == RULE_SUFFIX and p.is_file())
        if not entries:
            raise StyleNotFoundError(f"folder '{path}' holds no {RULE_SUFFIX} rule files")
        return entries
    return [path]


def load_rule_files(path: Path) -> list[nodes.RuleFile]:
    """Parse a style's files and everything they include; raise `RuleFileError` with every problem found."""
    files, diagnostics = collect_rule_files(path)
    if diagnostics:
        raise RuleFileError(diagnostics)
    return files


def collect_rule_files(path: Path) -> tuple[list[nodes.RuleFile], list[Diagnostic]]:
    """Parse a style's files and everything they include, each file once, keeping what parsed. All syntax errors
    of all files, missing includes and include cycles are reported together."""
    loaded: dict[Path, nodes.RuleFile] = {}
    diagnostics: list[Diagnostic] = []

    def visit(file_path: Path, chain: tuple[Path, ...], include: nodes.Directive | None) -> None:
        key = file_path.resolve()
        if key in chain:
            cycle = " → ".join(p.name for p in chain[chain.index(key):] + (key,))
            diagnostics.append(Diagnostic(include.value_span if include else None,
                                          f"include cycle: {cycle}", "include-cycle"))
            return
        if key in loaded:
            return
        try:
            source = SourceFile.read(file_path)
        except (OSError, UnicodeDecodeError) as error:
            reason = "it is not UTF-8 text" if isinstance(error, UnicodeDecodeError) else error.strerror
            if include is None:
                raise StyleNotFoundError(f"cannot read '{file_path}': {reason}") from error
            diagnostics.append(Diagnostic(include.value_span, f"cannot read included file '{include.value}': "
                                          f"{reason}", "missing-include"))
            return
        rule_file, problems = parse_rules(source)
        diagnostics.extend(problems)
        loaded[key] = rule_file
        for directive in rule_file.directives:
            if directive.name == "include":
                visit(file_path.parent / directive.value, chain + (key,), directive)

    for entry in style_entry_files(path):
        visit(entry, (), None)
    return list(loaded.values()), diagnostics
