"""What the server answers, as plain functions of a style's analysis and a position: diagnostics, definitions,
references, rename, hover, symbols and code actions (completion and semantic tokens are in `editing`)."""

from __future__ import annotations

import re

from lsprotocol import types

from .. import nodes
from ..engine.model import StyleDefinition
from ..engine.stats import StyleStats, style_stats
from ..errors import Diagnostic
from ..source import Span
from .documents import StyleState
from .index import (BINDING, INCLUDE, MODIFIER, REFERENCE, RULE, SLOT, Occurrence, meaning, occurrence_at,
                    occurrences)
from .positions import path_uri, span_location, span_range

NAME = re.compile(r"[^\s{}\[\]()|:：.*=,\"#@\\/]+\Z")
DID_YOU_MEAN = re.compile(r"did you mean @?(\S+?)\?")
SEVERITY = {"error": types.DiagnosticSeverity.Error, "warning": types.DiagnosticSeverity.Warning}


class RenameRefused(ValueError):
    """A rename that would break the style: the reason goes back to the editor as the request's error."""


def protocol_diagnostic(diagnostic: Diagnostic) -> types.Diagnostic:
    """The checker's finding as the editor shows it: same message, code, severity and range; the hint appended."""
    span = diagnostic.span
    where = span_range(span) if span else types.Range(start=types.Position(line=0, character=0),
                                                      end=types.Position(line=0, character=0))
    message = diagnostic.message + (f"\nhint: {diagnostic.hint}" if diagnostic.hint else "")
    return types.Diagnostic(range=where, message=message, severity=SEVERITY[diagnostic.severity],
                            code=diagnostic.code, source="gpbt")


def diagnostics_by_file(state: StyleState, paths: list[str], changed: str | None) -> dict[str, list[types.Diagnostic]]:
    """Each path's diagnostics; findings without a position go to the file just changed."""
    found: dict[str, list[types.Diagnostic]] = {path: [] for path in paths}
    findings = state.analysis.diagnostics if state.analysis else state.failure
    for diagnostic in findings:
        path = diagnostic.span.path if diagnostic.span else changed
        if path in found:
            found[path].append(protocol_diagnostic(diagnostic))
    return found


def style_occurrences(state: StyleState) -> list[Occurrence]:
    """The names of the style's last analysis, indexed once per analysis."""
    analysis = state.analysis
    if analysis is None:
        return []
    if state.index_of is not analysis:
        state.index, state.index_of = occurrences(analysis.definition), analysis
    return state.index


def at(state: StyleState, path: str, line: int, column: int) -> Occurrence | None:
    return occurrence_at(style_occurrences(state), path, line, column)


def definition(state: StyleState, path: str, line: int, column: int) -> list[types.Location]:
    """Where a rule, a slot, a bound name or an included file is defined."""
    found = at(state, path, line, column)
    if found is None or state.analysis is None:
        return []
    style = state.analysis.definition
    if found.kind == INCLUDE:
        target = _included_file(style, found)
        return [types.Location(uri=path_uri(target), range=types.Range(
            start=types.Position(line=0, character=0), end=types.Position(line=0, character=0)))] if target else []
    kind = meaning(style, found)
    if kind == RULE and found.name in style.rules:
        return [span_location(style.rules[found.name].span)]
    if kind == SLOT and found.name in style.slots and style.slots[found.name].span:
        slot = style.slots[found.name]
        return [span_location(Span(slot.span.source, slot.span.line, slot.span.column, slot.span.line,
                                   slot.span.column + len(found.name)))]
    if kind == BINDING:
        return [span_location(o.span) for o in style_occurrences(state) if o.kind == BINDING and o.name == found.name
                and o.span.source.line(o.span.line)[o.span.column - 2:o.span.column - 1] != "/"][:1]
    return []


def _included_file(style: StyleDefinition, include: Occurrence) -> str | None:
    from pathlib import Path

    target = Path(include.span.path).parent / include.name
    known = {str(Path(f.source.path).absolute()): f.source.path for f in style.files}
    return known.get(str(target.absolute()), str(target) if target.exists() else None)


def references(state: StyleState, path: str, line: int, column: int, declaration: bool) -> list[types.Location]:
    """Every use of the rule (or slot, or bound name) under the cursor, across all files of the style."""
    found = at(state, path, line, column)
    if found is None or state.analysis is None or found.kind in (INCLUDE, MODIFIER):
        return []
    style = state.analysis.definition
    kind = meaning(style, found)
    same = [o for o in style_occurrences(state) if o.name == found.name and meaning(style, o) == kind]
    if not declaration:
        same = [o for o in same if o.kind == REFERENCE]
    return [span_location(o.span) for o in same]


def rename(state: StyleState, path: str, line: int, column: int, new_name: str) -> types.WorkspaceEdit | None:
    """Rename a rule in every file of the style; refuse a name that is not a name or is already taken."""
    found = at(state, path, line, column)
    if found is None or state.analysis is None:
        return None
    style = state.analysis.definition
    if meaning(style, found) != RULE or found.name not in style.rules:
        raise RenameRefused("only a rule can be renamed")
    if not NAME.match(new_name):
        raise RenameRefused(f"'{new_name}' is not a valid rule name")
    if new_name != found.name and (new_name in style.rules or new_name in style.slots
                                   or new_name in style.bound_names):
        raise RenameRefused(f"'{new_name}' is already a rule, a slot or a bound name of this style")
    changes: dict[str, list[types.TextEdit]] = {}
    for occurrence in style_occurrences(state):
        if occurrence.name == found.name and occurrence.kind in (RULE, REFERENCE):
            changes.setdefault(path_uri(occurrence.span.path), []).append(
                types.TextEdit(range=span_range(occurrence.span), new_text=new_name))
    return types.WorkspaceEdit(changes=changes)


def hover(state: StyleState, path: str, line: int, column: int) -> types.Hover | None:
    found = at(state, path, line, column)
    if found is None or state.analysis is None:
        return None
    style = state.analysis.definition
    kind = meaning(style, found)
    if kind == RULE and found.name in style.rules:
        text = rule_summary(style, found.name, _stats(state))
    elif kind == MODIFIER and found.name in style.modifiers:
        spec = style.modifiers[found.name]
        text = f"**.{found.name}** (modifier{f', {spec.arity} argument(s)' if spec.arity else ''}): {spec.doc}"
    elif kind == SLOT and found.name in style.slots:
        slot = style.slots[found.name]
        default = f"default `{slot.default}`" if slot.default is not None else "no default"
        where = f"declared at {slot.span}" if slot.span else "the topic slot" if found.name == style.topic_slot \
            else "not declared"
        text = f"**{found.name}** (slot): {default}; {where}"
    elif kind == BINDING:
        text = f"**{found.name}** (bound name): a value chosen by a `[{found.name} = …]` binding"
    else:
        return None
    return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=text),
                       range=span_range(found.span))


def _stats(state: StyleState) -> StyleStats | None:
    """Stats of an analysis without errors, computed once per analysis (hovers ask often)."""
    analysis = state.analysis
    if analysis is None or analysis.errors:
        return None
    if state.stats_of is not analysis:
        state.stats, state.stats_of = style_stats(analysis.definition), analysis
    return state.stats


def rule_summary(style: StyleDefinition, name: str, stats: StyleStats | None) -> str:
    """A rule's hover: policy and weights from its definition; variety, lengths and use from `gpbt stats`."""
    rule = style.rules[name]
    weights = [choice.weight for choice in rule.choices]
    lines = [f"**{name}** (rule, {style.policy_label(rule) if rule.policy in (None, *_policies()) else rule.policy})",
             f"- alternatives: {len(rule.choices)}"]
    if len(set(weights)) > 1:
        lines.append("- weights: " + ", ".join(f"{w:g}" for w in weights))
    row = next((r for r in stats.rules if r.name == name), None) if stats else None
    if row is not None:
        lines += [f"- distinct expansions: {row.distinct}",
                  f"- expected length: {row.expected_length:.1f}, shortest: {row.min_length:g}",
                  f"- used per essay: {row.uses:.1f} times (at length {stats.default_length})"]
    return "\n".join(lines)


def _policies() -> tuple[str, ...]:
    from ..engine.policies import REGISTRY

    return tuple(REGISTRY)


def document_symbols(state: StyleState, path: str) -> list[types.DocumentSymbol]:
    """The rules of one file, for the outline."""
    if state.analysis is None:
        return []
    symbols = []
    for rule_file in state.analysis.definition.files:
        if rule_file.source.path != path:
            continue
        for rule in rule_file.rules:
            symbols.append(types.DocumentSymbol(
                name=rule.name, kind=types.SymbolKind.Function, range=span_range(_rule_extent(rule)),
                selection_range=span_range(rule.span), detail=f"{len(rule.choices)} alternatives"))
    return symbols


def _rule_extent(rule: nodes.RuleDef) -> Span:
    last = rule.choices[-1].span if rule.choices else rule.span
    return Span(rule.span.source, rule.span.line, rule.span.column, last.end_line, last.end_column)


def workspace_symbols(states: list[StyleState], query: str) -> list[types.WorkspaceSymbol]:
    found = []
    for state in states:
        if state.analysis is None:
            continue
        for rule in state.analysis.definition.rules.values():
            if query.lower() in rule.name.lower():
                found.append(types.WorkspaceSymbol(name=rule.name, kind=types.SymbolKind.Function,
                                                   location=span_location(rule.span),
                                                   container_name=state.analysis.definition.name))
    return found


def code_actions(state: StyleState, path: str, first_line: int, last_line: int) -> list[types.CodeAction]:
    """Certain fixes only: the checker's "did you mean" replacement, and a stub for an undefined rule."""
    if state.analysis is None:
        return []
    actions = []
    for diagnostic in state.analysis.diagnostics:
        span = diagnostic.span
        if span is None or span.path != path or not first_line <= span.line <= last_line:
            continue
        uri = path_uri(path)
        target = next((o for o in style_occurrences(state) if o.span.path == path and o.span.line == span.line
                       and span.column <= o.span.column < max(span.end_column, span.column + 1)), None)
        close = DID_YOU_MEAN.search(diagnostic.hint or "")
        if close and target is not None:
            actions.append(types.CodeAction(
                title=f"Change to '{close.group(1)}'", kind=types.CodeActionKind.QuickFix, is_preferred=True,
                diagnostics=[protocol_diagnostic(diagnostic)],
                edit=types.WorkspaceEdit(changes={uri: [types.TextEdit(range=span_range(target.span),
                                                                         new_text=close.group(1))]})))
        if diagnostic.code == "undefined-name" and target is not None:
            end = _line_count(state, path) - 1
            stub = f"\n{target.name}:\n"
            actions.append(types.CodeAction(
                title=f"Define rule '{target.name}'", kind=types.CodeActionKind.QuickFix,
                diagnostics=[protocol_diagnostic(diagnostic)],
                edit=types.WorkspaceEdit(changes={uri: [types.TextEdit(range=types.Range(
                    start=types.Position(line=end, character=0), end=types.Position(line=end, character=0)),
                    new_text=stub)]})))
    return actions


def _line_count(state: StyleState, path: str) -> int:
    """Lines of `path` as last analysed (a span's own source may be an earlier text of the file whose lines up to
    that span were the same: the environment keeps parsed records across edits)."""
    analysis = state.analysis
    sources = [rule_file.source for rule_file in analysis.definition.files] if analysis else []
    return next((len(source.lines) for source in sources if source.path == path), 1)
