"""Completion (what may stand where the cursor is) and semantic tokens (what every name is, for colouring)."""

from __future__ import annotations

import re

from lsprotocol import types

from ..engine.model import DIRECTIVES, StyleDefinition
from ..engine.policies import REGISTRY as POLICIES
from .documents import StyleState
from .features import style_occurrences
from .index import BINDING, DIRECTIVE, INCLUDE, MODIFIER, POLICY, REFERENCE, RULE, SLOT, meaning
from .positions import utf16_column

UNIQUE = "unique"
TOKEN_TYPES = ["function", "parameter", "variable", "method", "keyword", "string", "enumMember", "number", "comment"]
TOKEN_MODIFIERS = ["declaration"]
LEGEND = types.SemanticTokensLegend(token_types=TOKEN_TYPES, token_modifiers=TOKEN_MODIFIERS)
KIND_TOKEN = {RULE: "function", SLOT: "parameter", BINDING: "variable", MODIFIER: "method", DIRECTIVE: "keyword",
              INCLUDE: "string", POLICY: "enumMember"}
WEIGHT = re.compile(r"^([ \t]*(?:.*[:：|][ \t]*)?)(\([ \t]*[0-9]+(?:\.[0-9]+)?[ \t]*\))")
OPEN_REFERENCE = re.compile(r"\{[ \t]*([^{}\[\]|]*)$")
MODIFIER_TAIL = re.compile(r"\.[^.(){}]*$")
HEADER_POLICY = re.compile(r"^[^\s{}\[\]()|:：]+[ \t]*\([^)]*$")


def completion(state: StyleState, line_text: str, column: int) -> list[types.CompletionItem]:
    """Names that may stand at `column` (0-based, code points) of `line_text`, by what the text before says."""
    before = line_text[:column]
    style = state.analysis.definition if state.analysis else None
    if re.fullmatch(r"@[^\s]*", before):
        return [_item("@" + name, types.CompletionItemKind.Keyword, f"directive @{name}") for name in DIRECTIVES]
    if HEADER_POLICY.match(before):
        return [_item(name, types.CompletionItemKind.EnumMember, "choice policy") for name in (*POLICIES, UNIQUE)]
    if style is None:
        return []
    if re.match(r"@start[ \t]+\S*$", before):
        return _names(style, with_slots=False)
    if re.match(r"@topic[ \t]+\S*$", before):
        return [_item(name, types.CompletionItemKind.Variable, "slot") for name in style.slots]
    inside = OPEN_REFERENCE.search(before)
    if inside and not line_text.lstrip().startswith("#"):
        if MODIFIER_TAIL.search(inside.group(1)):
            return [_item(name, types.CompletionItemKind.Method, spec.doc) for name, spec in style.modifiers.items()]
        if "*" not in inside.group(1):
            return _names(style, with_slots=True)
    if re.search(r"\[[ \t]*/?[ \t]*[^\s=\]]*$", before):
        return [_item(name, types.CompletionItemKind.Variable, "bound name") for name in sorted(style.bound_names)]
    return []


def _names(style: StyleDefinition, with_slots: bool) -> list[types.CompletionItem]:
    items = [_item(name, types.CompletionItemKind.Function, f"rule, {len(rule.choices)} alternatives")
             for name, rule in style.rules.items()]
    if with_slots:
        items += [_item(name, types.CompletionItemKind.Variable, "slot") for name in style.slots]
        items += [_item(name, types.CompletionItemKind.Variable, "bound name")
                  for name in sorted(style.bound_names - set(style.rules))]
    return items


def _item(label: str, kind: types.CompletionItemKind, detail: str) -> types.CompletionItem:
    return types.CompletionItem(label=label, kind=kind, detail=detail)


def semantic_tokens(state: StyleState, path: str, text: str) -> types.SemanticTokens:
    """Rules, slots, bound names, modifiers, directives, includes, policies, weights and comments of one file."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    found: list[tuple[int, int, int, str, int]] = []  # line, start, length (all code points), type, modifiers
    style = state.analysis.definition if state.analysis else None
    for number, line in enumerate(lines):
        stripped = line.lstrip(" \t")
        if stripped.startswith("#"):
            found.append((number, len(line) - len(stripped), len(stripped), "comment", 0))
        else:
            weight = WEIGHT.match(line)
            if weight and not line.startswith("@"):
                found.append((number, len(weight.group(1)), len(weight.group(2)), "number", 0))
    if style is not None:
        for occurrence in style_occurrences(state):
            span = occurrence.span
            if span.path != path or span.end_line != span.line or span.line > len(lines):
                continue
            kind = meaning(style, occurrence)
            declared = 1 if occurrence.kind in (RULE, SLOT) and occurrence.kind != REFERENCE else 0
            found.append((span.line - 1, span.column - 1, span.end_column - span.column, KIND_TOKEN[kind], declared))
    return types.SemanticTokens(data=_encode(sorted(set(found)), lines))


def _encode(found: list[tuple[int, int, int, str, int]], lines: list[str]) -> list[int]:
    data: list[int] = []
    last_line = last_start = 0
    end_of_previous = (-1, 0)
    for line, start, length, token, modifiers in found:
        if (line, start) < end_of_previous or length <= 0:
            continue  # overlapping tokens are not allowed; the first one wins
        text = lines[line]
        start16 = utf16_column(text, start)
        length16 = utf16_column(text, start + length) - start16
        delta_line = line - last_line
        delta_start = start16 - last_start if delta_line == 0 else start16
        data += [delta_line, delta_start, length16, TOKEN_TYPES.index(token), modifiers]
        last_line, last_start = line, start16
        end_of_previous = (line, start + length)
    return data
