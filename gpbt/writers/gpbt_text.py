"""gpbt nodes → rule file text: the one writer of the rule language (every conversion into gpbt goes through it).

Names gpbt cannot spell are renamed (`rename_map`); text is escaped so that it reads back as the same text.
"""

from __future__ import annotations

import re
from typing import Mapping, Sequence

from .. import nodes
from ..errors import Diagnostic
from ..modifiers import REGISTRY, ModifierSpec

INVALID_NAME = re.compile(r'[\s{}\[\]()|:：.*=,"#@\\/]+')


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

    def __init__(self, renames: dict[str, str], modifiers: Mapping[str, ModifierSpec] = REGISTRY) -> None:
        self.renames = renames
        self.modifiers = modifiers
        self.problems: list[Diagnostic] = []

    def name(self, name: str) -> str:
        return self.renames.get(name, name)

    def file(self, comments: Sequence[str], directives: Sequence[tuple[str, str]],
             rules: Sequence[tuple[nodes.RuleDef, str | None]], trailer: Sequence[str] = ()) -> str:
        """A whole rule file: comment lines, directives, then each rule (with its comment) after a blank line."""
        header = [f"# {line}" for line in comments] + [f"@{name} {value}" for name, value in directives]
        blocks = ["\n".join(header) + "\n"] + [self.rule(rule, comment) for rule, comment in rules]
        if trailer:
            blocks.append("".join(f"# {line}\n" for line in trailer))
        return "\n".join(blocks)

    def rule(self, rule: nodes.RuleDef, comment: str | None = None) -> str:
        lines = [f"# {line}" for line in (comment or "").splitlines()]
        words = [word for word in (rule.policy, "unique" if rule.unique else None) if word]
        policy = f" ({' '.join(words)})" if words else ""
        lines.append(f"{self.name(rule.name)}{policy}:")
        for choice in rule.choices:
            weight = "" if choice.weight == 1 else f"({_number(choice.weight)}) "
            body = self.template(choice.pieces)
            lines.append(f"    {weight}{body}" if body else f"    {weight.rstrip() or '(1)'}")
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
            if mod.args or mod.name in self.modifiers and self.modifiers[mod.name].arity:
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
