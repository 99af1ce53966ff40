"""`gpbt convert`: Tracery JSON → gpbt rule files, a gpbt style → Tracery JSON, and (through gpbt/bullshit.py) a
BullshitGenerator corpus → a gpbt style.

Conversions build the whole output in memory first and refuse with every problem at once (each with its span), so
a failed conversion writes nothing; `write_files` then puts all files in place or none.
"""

from __future__ import annotations

import json
import math
import os
import re
import tempfile
from functools import reduce
from pathlib import Path

from . import __version__
from . import nodes
from .engine.check import StyleDefinition
from .errors import Diagnostic, RuleFileError
from .modifiers import REGISTRY
from .source import Span

INVALID_NAME = re.compile(r'[\s{}\[\]()|:：.*=,"#@\\/]+')
TRACERY_MODIFIERS = ("capitalize", "capitalizeAll", "s", "a", "ed", "firstS", "replace", "uppercase", "lowercase")
MAX_COPIES = 1000  # entries one weighted gpbt rule may become in Tracery


class ConvertError(RuleFileError):
    """A construct the target format cannot express; every one is listed, with its position."""


# ---- gpbt text -----------------------------------------------------------------------------------------------
def escape_text(value: str, first: bool = False, last: bool = False) -> str:
    """Literal text → gpbt template text; `first`/`last`: it stands at an edge of an alternative (blanks there
    would be stripped, and a leading `#` or `(` would mean a comment or a weight)."""
    out = []
    for char in value:
        if char in "{}[]|\\":
            out.append("\\" + char)
        elif char == "\n":
            out.append("\\n")
        elif char == "\t":
            out.append("\\t")
        elif char == "\r":
            out.append("\\r")
        else:
            out.append(char)
    if first:
        lead = 0
        while lead < len(out) and out[lead] == " ":
            out[lead] = "\\ "
            lead += 1
        if out and out[0] in ("#", "("):
            out[0] = "\\" + out[0]
    if last:
        index = len(out) - 1
        while index >= 0 and out[index] == " ":
            out[index] = "\\ "
            index -= 1
    return "".join(out)


def valid_name(name: str) -> bool:
    return bool(name) and not INVALID_NAME.search(name)


def rename_map(names: list[str]) -> dict[str, str]:
    """Every name that gpbt cannot spell gets a valid, unused one (`has/has not` → `has-has-not`)."""
    taken = {name for name in names if valid_name(name)}
    renames: dict[str, str] = {}
    for name in names:
        if name in renames or valid_name(name):
            continue
        base = INVALID_NAME.sub("-", name).strip("-") or "rule"
        candidate, number = base, 2
        while candidate in taken:
            candidate, number = f"{base}-{number}", number + 1
        taken.add(candidate)
        renames[name] = candidate
    return renames


class GpbtWriter:
    """gpbt nodes → rule file text, renaming names gpbt cannot spell."""

    def __init__(self, renames: dict[str, str]) -> None:
        self.renames = renames
        self.problems: list[Diagnostic] = []

    def name(self, name: str) -> str:
        return self.renames.get(name, name)

    def rule(self, rule: nodes.RuleDef, comment: str | None = None) -> str:
        lines = [f"# {line}" for line in (comment or "").splitlines()]
        words = [word for word in (rule.policy, "unique" if rule.unique else None) if word]
        policy = f" ({' '.join(words)})" if words else ""
        lines.append(f"{self.name(rule.name)}{policy}:")
        for choice in rule.choices:
            weight = "" if choice.weight == 1 else f"({_number(choice.weight)}) "
            body = self.template(choice.pieces)
            lines.append(f"    {weight}{body}" if body or weight else "    (1)")
        return "\n".join(lines) + "\n"

    def template(self, pieces: tuple[nodes.Piece, ...]) -> str:
        out = []
        for index, piece in enumerate(pieces):
            if isinstance(piece, nodes.Text):
                out.append(escape_text(piece.value, index == 0, index == len(pieces) - 1))
            elif isinstance(piece, nodes.Reference):
                out.append(self.reference(piece))
            elif isinstance(piece, nodes.Binding):
                out.append(self.binding(piece))
            elif isinstance(piece, nodes.Unbinding):
                out.append(f"[/{self.name(piece.name)}]")
            else:
                out.append(f"[{self.reference(piece.reference)}]")
        return "".join(out)

    def reference(self, ref: nodes.Reference) -> str:
        text = "{" + self.name(ref.name)
        for mod in ref.modifiers:
            text += "." + mod.name
            if mod.args or REGISTRY.get(mod.name, None) and REGISTRY[mod.name].arity:
                if any(re.search(r"[,(){}\n]", arg) or arg != arg.strip() for arg in mod.args):
                    self.problems.append(Diagnostic(mod.span, f"modifier argument of .{mod.name} cannot be written "
                                                    "in gpbt (a comma, a parenthesis, a brace or blanks at an edge)",
                                                    "not-expressible"))
                text += "(" + ",".join(mod.args) + ")"
        if ref.repeat is not None:
            repeat = ref.repeat
            count = "fill" if repeat.fill else str(repeat.low) if repeat.low == repeat.high else \
                f"{repeat.low}-{repeat.high}"
            text += f"*{count}"
            if ref.joiner:
                text += ' "' + ref.joiner.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
        return text + "}"

    def binding(self, binding: nodes.Binding) -> str:
        values = []
        for choice in binding.choices:
            if not choice:
                self.problems.append(Diagnostic(binding.span, "an empty bound value cannot be written in gpbt",
                                                "not-expressible"))
            values.append(self.template(choice))
        operator = ":=" if binding.keep else "="
        return f"[{self.name(binding.name)} {operator} {' | '.join(values)}]"


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(value)


# ---- Tracery → gpbt ----------------------------------------------------------------------------------------------
def tracery_to_gpbt(path: Path, start: str | None = None) -> str:
    """A Tracery grammar as one gpbt rule file (text). Raises `RuleFileError` if the grammar has errors."""
    from .engine.check import assemble, check
    from .source import SourceFile
    from .readers.tracery import read_tracery

    grammar = read_tracery(SourceFile.read(path), start=start)
    definition, problems = assemble(path.stem, [grammar.rule_file()])
    errors = [p for p in grammar.problems + problems + check(definition) if p.severity == "error"]
    if errors:
        raise RuleFileError(errors)
    names = [rule.name for rule in grammar.rules] + sorted(definition.bound_names) + [definition.topic_slot]
    renames = rename_map(names)
    writer = GpbtWriter(renames)
    header = [f"# Converted from the Tracery grammar {path.name} by gpbt convert (gpbt {__version__}).",
              "# Every rule picks uniformly at random, with replacement, as Tracery does (policy `random`).",
              f"@style {path.stem}", f"@start {writer.name(definition.start)}"]
    if definition.topic_slot != "topic":
        header.append(f"@topic {writer.name(definition.topic_slot)}")
    blocks = ["\n".join(header) + "\n"]
    for rule in grammar.rules:
        comment = None
        if rule.name in grammar.synthetic:
            comment = f"made by gpbt for {grammar.synthetic[rule.name]}"
        elif rule.name in renames:
            comment = f"Tracery symbol {json.dumps(rule.name, ensure_ascii=False)}"
        blocks.append(writer.rule(rule, comment))
    renamed_bound = [name for name in sorted(definition.bound_names) if name in renames and name not in
                     {rule.name for rule in grammar.rules}]
    if renamed_bound:
        blocks.append("".join(f"# pushed symbol {json.dumps(name, ensure_ascii=False)} is written "
                              f"{renames[name]}\n" for name in renamed_bound))
    if writer.problems:
        raise ConvertError(writer.problems)
    return "\n".join(blocks)


# ---- gpbt → Tracery ----------------------------------------------------------------------------------------------
class TraceryWriter:
    """A checked gpbt style → a Tracery grammar (dict), collecting every construct Tracery cannot express."""

    def __init__(self, definition: StyleDefinition) -> None:
        self.definition = definition
        self.problems: list[Diagnostic] = []
        self.symbols: dict[str, list[str]] = {}
        topic = definition.topic_slot
        self.topic = "topic" if "topic" not in definition.rules or topic == "topic" else topic

    def refuse(self, span: Span | None, message: str) -> None:
        self.problems.append(Diagnostic(span, message, "not-expressible",
                                        hint="Tracery cannot express this; change the rule or keep it in gpbt"))

    def grammar(self) -> dict[str, list[str]]:
        for rule in self.definition.rules.values():
            self.symbols[rule.name] = self.rule(rule)
        start = self.definition.start
        if start != "origin":
            if "origin" in self.symbols:
                self.refuse(self.definition.rules["origin"].span, f"the start rule is '{start}', but Tracery "
                            "starts at 'origin', which names another rule here")
            else:
                self.symbols = {"origin": [f"#{start}#"], **self.symbols}
        if self.problems:
            raise ConvertError(self.problems)
        return self.symbols

    def rule(self, rule: nodes.RuleDef) -> list[str]:
        live = [choice for choice in rule.choices if choice.weight > 0]
        policy = rule.policy or "deck"
        if policy != "random" and len(live) > 1:
            self.refuse(rule.policy_span or rule.span, f"rule '{rule.name}' uses the {policy} policy; Tracery "
                        f"only picks uniformly at random (write '{rule.name} (random):' to export it)")
        if rule.unique:
            self.refuse(rule.policy_span or rule.span, f"rule '{rule.name}' is unique; Tracery cannot keep an "
                        "expansion from repeating (drop 'unique' to export it)")
        copies = _copies([choice.weight for choice in live])
        if copies is None:
            self.refuse(rule.span, f"the weights of '{rule.name}' are not small whole numbers (or simple "
                        f"fractions) that repeated entries could express")
            copies = [1] * len(live)
        entries = []
        for choice, count in zip(live, copies):
            entries += [self.template(choice.pieces)] * count
        return entries

    def template(self, pieces: tuple[nodes.Piece, ...], in_value: bool = False) -> str:
        out, scoped = [], []
        for piece in pieces:
            if isinstance(piece, nodes.Text):
                text = re.sub(r"([\\#\[\]])", r"\\\1", piece.value)
                if in_value and ("," in text or ":" in text):
                    self.refuse(piece.span, "a bound value with ',' or ':' cannot be pushed in Tracery")
                out.append(text)
            elif isinstance(piece, nodes.Reference):
                out.append(self.reference(piece))
            elif isinstance(piece, nodes.Binding):
                values = [self.template(choice, in_value=True) for choice in piece.choices]
                out.append(f"[{piece.name}:{','.join(values)}]")
                if not piece.keep:
                    scoped.append(piece.name)
            elif isinstance(piece, nodes.Unbinding):
                out.append(f"[{piece.name}:POP]")
                if piece.name in scoped:
                    scoped.remove(piece.name)
            else:
                out.append(f"[#{piece.reference.name}#]")
        # a gpbt binding ends with its alternative: pop what is still pushed, last first
        out += [f"[{name}:POP]" for name in reversed(scoped)]
        return "".join(out)

    def reference(self, ref: nodes.Reference) -> str:
        definition = self.definition
        name = ref.name
        if name not in definition.rules and name not in definition.bound_names:
            if name != definition.topic_slot:
                self.refuse(ref.span, f"slot '{name}' has no Tracery equivalent (only the topic becomes "
                            f"#{self.topic}#)")
            name = self.topic
        tag = "#" + name + "".join(self.modifier(mod) for mod in ref.modifiers) + "#"
        repeat = ref.repeat
        if repeat is None:
            return tag
        if repeat.fill:
            self.refuse(ref.span, f"fill ({{{ref.name}*fill}}) has no Tracery equivalent: Tracery has no "
                        "target length")
            return tag
        joiner = re.sub(r"([\\#\[\]])", r"\\\1", ref.joiner)
        if repeat.low == repeat.high:
            return joiner.join([tag] * repeat.low)
        symbol = f"{ref.name}*{repeat.low}-{repeat.high}"
        options = [joiner.join([tag] * count) for count in range(repeat.low, repeat.high + 1)]
        number = 2
        while self.symbols.get(symbol, options) != options or symbol in definition.rules:
            symbol, number = f"{ref.name}*{repeat.low}-{repeat.high}~{number}", number + 1
        self.symbols[symbol] = options
        return f"#{symbol}#"

    def modifier(self, mod: nodes.Modifier) -> str:
        name = REGISTRY[mod.name].name if mod.name in REGISTRY else mod.name
        if name not in TRACERY_MODIFIERS:
            self.refuse(mod.span, f"modifier .{mod.name} does not exist in Tracery")
        if any(re.search(r"[,().#\[\]\\]", arg) or not arg for arg in mod.args):
            self.refuse(mod.span, f"an argument of .{mod.name} holds a character Tracery splits on or drops "
                        "(, ( ) . # [ ] \\) or is empty")
        return f".{name}" + (f"({','.join(mod.args)})" if mod.args else "")


def _copies(weights: list[float]) -> list[int] | None:
    """Whole-number entry counts in the ratio of `weights`, or None if that needs too many entries."""
    if not weights:
        return []
    for scale in (1, 2, 4, 10, 100):
        scaled = [weight * scale for weight in weights]
        if all(abs(value - round(value)) < 1e-9 for value in scaled):
            counts = [int(round(value)) for value in scaled]
            divisor = reduce(math.gcd, counts)
            counts = [count // divisor for count in counts]
            return counts if sum(counts) <= MAX_COPIES else None
    return None


def style_to_tracery(spec: str | Path) -> str:
    """A gpbt style (name, file or folder) as Tracery JSON text."""
    from .style import load_style

    grammar = TraceryWriter(load_style(spec).definition).grammar()
    return json.dumps(grammar, ensure_ascii=False, indent=2) + "\n"


# ---- writing -------------------------------------------------------------------------------------------------
def write_files(files: dict[Path, str], validate: Path | None = None) -> None:
    """Write every file or none: all go to temporary files beside their targets first; with `validate`, the
    style at that (target) path is loaded from the temporary copies before anything is renamed into place."""
    staged: list[tuple[str, Path]] = []
    try:
        for path, text in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            handle = tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, prefix=f".{path.name}.",
                                                 suffix=".tmp", delete=False)
            staged.append((handle.name, path))
            with handle:
                handle.write(text)
        if validate is not None:
            _validate(files, validate)
        for temporary, path in staged:
            os.replace(temporary, path)
        staged = []
    finally:
        for temporary, _ in staged:
            if os.path.exists(temporary):
                os.unlink(temporary)


def _validate(files: dict[Path, str], target: Path) -> None:
    """Load the converted style from a scratch copy: a converter bug must not leave a broken style behind."""
    from .style import load_style

    with tempfile.TemporaryDirectory() as scratch:
        for path, text in files.items():
            (Path(scratch) / path.name).write_text(text, encoding="utf-8")
        load_style(Path(scratch) / target.name if target.suffix else Path(scratch))


# ---- the command -------------------------------------------------------------------------------------------------
def plan_conversion(source: Path, output: Path | None, source_format: str | None, target: str | None,
                    start: str | None = None, bullshit_options: object = None) -> tuple[dict[Path, str], Path | None]:
    """What `gpbt convert` writes: {path: text} (a None path means stdout) and the style to validate, if any."""
    source_format = source_format or ("tracery" if source.suffix.lower() == ".json" else "gpbt")
    target = target or ("tracery" if source_format == "gpbt" else "gpbt")
    if source_format == "gpbt":
        if target != "tracery":
            raise ValueError("a gpbt style converts --to tracery")
        return {output: style_to_tracery(source)} if output else {Path("-"): style_to_tracery(source)}, None
    if target != "gpbt":
        raise ValueError(f"a {source_format} file converts --to gpbt")
    if output is None:
        raise ValueError("give the style to write with -o FOLDER (or -o FILE.gpbt)")
    path = output if output.suffix == ".gpbt" else output / f"{source.stem}.gpbt"
    if source_format == "bullshit":
        from .readers.bullshit import Options, bullshit_to_gpbt
        from .source import SourceFile

        options = bullshit_options if isinstance(bullshit_options, Options) else Options()
        text = bullshit_to_gpbt(SourceFile.read(source), source.stem, options)
    else:
        text = tracery_to_gpbt(source, start=start)
    return {path: text}, path
