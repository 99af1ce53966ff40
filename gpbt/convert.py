"""`gpbt convert`: Tracery JSON → gpbt rule files, a gpbt style → Tracery JSON, and a BullshitGenerator corpus → a
gpbt style. Readers (gpbt/readers/) make nodes, the one driver checks them, writers (gpbt/writers/) make text.

Conversions build the whole output in memory first and refuse with every problem at once (each with its span), so
a failed conversion writes nothing; `gpbt.files.write_files` then puts all files in place or none, after the
converted style has been loaded from the new text (in memory) as a last check. An export to Tracery approximates
what Tracery cannot express and says so, one warning per kind of loss; under `strict` those are errors instead.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ._version import __version__
from .engine.pipeline import analyse
from .environment import load_style, load_style_from_sources
from .errors import Diagnostic, RuleFileError, UsageError
from .readers.bullshit import Options, read_bullshit
from .readers.tracery import read_tracery
from .source import SourceFile
from .writers.gpbt_text import GpbtWriter, rename_map
from .writers.tracery_json import ConvertError, TraceryWriter

__all__ = ["Conversion", "ConvertError", "bullshit_to_gpbt", "plan_conversion", "style_to_tracery", "tracery_export",
           "tracery_to_gpbt", "validate_style"]


# ---- Tracery → gpbt ----------------------------------------------------------------------------------------------
def tracery_to_gpbt(path: Path, start: str | None = None) -> str:
    """A Tracery grammar as one gpbt rule file (text). Raises `RuleFileError` if the grammar has errors."""
    grammar = read_tracery(SourceFile.read(path), start=start)
    analysis = analyse(path.stem, [grammar.rule_file()], grammar.problems, start=start, dialect="tracery")
    if analysis.errors:
        raise RuleFileError(analysis.errors)
    definition = analysis.definition
    names = [rule.name for rule in grammar.rules] + sorted(definition.bound_names) + [definition.topic_slot]
    renames = rename_map(names)
    writer = GpbtWriter(renames)
    comments = [f"Converted from the Tracery grammar {path.name} by gpbt convert (gpbt {__version__}).",
                "Every rule picks uniformly at random, with replacement, as Tracery does (policy `random`)."]
    directives = [("style", path.stem), ("start", writer.name(definition.start))]
    if definition.topic_slot != "topic":
        directives.append(("topic", writer.name(definition.topic_slot)))
    rules = []
    for rule in grammar.rules:
        comment = None
        if rule.name in grammar.synthetic:
            comment = f"made by gpbt for {grammar.synthetic[rule.name]}"
        elif rule.name in renames:
            comment = f"Tracery symbol {json.dumps(rule.name, ensure_ascii=False)}"
        rules.append((rule, comment))
    defined = {rule.name for rule in grammar.rules}
    trailer = [f"pushed symbol {json.dumps(name, ensure_ascii=False)} is written {renames[name]}"
               for name in sorted(definition.bound_names) if name in renames and name not in defined]
    text = writer.file(comments, directives, rules, trailer)
    if writer.problems:
        raise ConvertError(writer.problems)
    return text


def bullshit_to_gpbt(source: SourceFile, name: str, options: Options = Options()) -> str:
    """A BullshitGenerator corpus as one gpbt rule file (text); `RuleFileError` with positions if malformed."""
    corpus = read_bullshit(source, name, options)
    return GpbtWriter({}).file(corpus.comments, corpus.directives, corpus.rules)


def tracery_export(spec: str | Path, strict: bool = False) -> tuple[str, list[Diagnostic]]:
    """A gpbt style (name, file or folder) as Tracery JSON text, and a warning for each kind of thing Tracery cannot
    express and the export approximates (docs/tracery.md). `strict`: those are errors, `ConvertError`, no text."""
    writer = TraceryWriter(load_style(spec).definition)
    grammar = writer.grammar()
    if strict and writer.warnings:
        raise ConvertError([warning._replace(severity="error", hint=f"{warning.hint}; without --strict the "
                                    "export approximates it as said") for warning in writer.warnings])
    return json.dumps(grammar, ensure_ascii=False, indent=2) + "\n", writer.warnings


def style_to_tracery(spec: str | Path, strict: bool = False) -> str:
    """A gpbt style as Tracery JSON text (`tracery_export` also gives the warnings)."""
    return tracery_export(spec, strict)[0]


def validate_style(files: dict[Path, str]) -> None:
    """Load a converted style from its new text, in memory: a converter bug must not leave a broken style behind."""
    load_style_from_sources({path.name: text for path, text in files.items()})


# ---- the command -------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Conversion:
    """What `gpbt convert` writes: {path: text} (the path `-` means stdout), whether it is a gpbt style to validate
    (`validate_style`) before it is written, and the warnings to print (what the export approximates)."""

    files: dict[Path, str]
    validate: bool
    warnings: list[Diagnostic] = field(default_factory=list)


def plan_conversion(source: Path, output: Path | None, source_format: str | None, target: str | None,
                    start: str | None = None, bullshit_options: Options | None = None,
                    strict: bool = False) -> Conversion:
    """The whole conversion, in memory; `strict` refuses an export with anything to warn about."""
    source_format = source_format or ("tracery" if source.suffix.lower() == ".json" else "gpbt")
    target = target or ("tracery" if source_format == "gpbt" else "gpbt")
    if source_format == "gpbt":
        if target != "tracery":
            raise UsageError("a gpbt style converts --to tracery", "bad-conversion")
        text, warnings = tracery_export(source, strict)
        return Conversion({output or Path("-"): text}, False, warnings)
    if target != "gpbt":
        raise UsageError(f"a {source_format} file converts --to gpbt", "bad-conversion")
    if output is None:
        raise UsageError("give the style to write with -o FOLDER (or -o FILE.gpbt)", "bad-conversion")
    path = output if output.suffix == ".gpbt" else output / f"{source.stem}.gpbt"
    if source_format == "bullshit":
        text = bullshit_to_gpbt(SourceFile.read(source), source.stem, bullshit_options or Options())
    else:
        text = tracery_to_gpbt(source, start=start)
    return Conversion({path: text}, True)
