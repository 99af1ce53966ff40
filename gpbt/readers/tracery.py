"""Tracery JSON grammars → gpbt syntax trees, so that checking, compiling and expanding are gpbt's own.

Semantics follow Tracery 0.7 (the `tracery2` branch); docs/tracery.md lists the mapping and every deviation. The
rule text is scanned the way Tracery scans it (bracket depth, `#` toggling only at depth 0, backslash escapes), and
every node gets a span in the JSON file: the string, and the `#tag#` or `[action]` inside it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Mapping

from .. import nodes
from ..errors import Diagnostic, RuleFileError
from .jsonpos import JList, JObject, JString, parse_json
from ..modifiers import REGISTRY
from .text import merge_text
from ..source import SourceFile, Span

PLAIN, TAG, ACTION = 0, 1, 2
_PLAIN = re.compile(r"[^#\[\]\\]*")  # text with nothing for `scan` to find
POLICY = "random"  # Tracery picks uniformly, with replacement
TOPIC = "topic"


@dataclass
class TraceryGrammar:
    """A Tracery grammar read into gpbt nodes. `synthetic` names the rules that gpbt made up (in-tag actions,
    function actions with several tags, compat markers), with what each stands for."""

    source: SourceFile
    rules: list[nodes.RuleDef]
    directives: list[nodes.Directive]
    problems: list[Diagnostic]
    synthetic: dict[str, str] = field(default_factory=dict)

    def rule_file(self) -> nodes.RuleFile:
        return nodes.RuleFile(self.source, tuple(self.directives), tuple(self.rules))


def read_tracery(source: SourceFile, start: str | None = None, compat: bool = False,
                 modifiers: Mapping[str, object] = REGISTRY) -> TraceryGrammar:
    """Tracery JSON text → rules and directives; raises `RuleFileError` when the file is not a Tracery grammar.
    `start` is the caller's start symbol (the grammar then needs no 'origin'); `modifiers` the names known, for
    `compat`'s markers of unknown ones."""
    top = parse_json(source)
    if isinstance(top, JObject) and len(top.pairs) == 1 and top.pairs[0][0].value == "symbols" \
            and isinstance(top.pairs[0][1], JObject):
        top = top.pairs[0][1]  # old Tracery's {"symbols": {...}}
    if not isinstance(top, JObject):
        raise RuleFileError([Diagnostic(top.span, "a Tracery grammar is a JSON object of symbol → rules",
                                        "not-tracery")])
    return _Reader(source, compat, modifiers).read(top, start)


class _Reader:
    def __init__(self, source: SourceFile, compat: bool, modifiers: Mapping[str, object]) -> None:
        self.source, self.compat, self.modifiers = source, compat, modifiers
        self.problems: list[Diagnostic] = []
        self.rules: dict[str, nodes.RuleDef] = {}
        self.extra: list[nodes.RuleDef] = []
        self.synthetic: dict[str, str] = {}
        self.taken: set[str] = set()

    def error(self, span: Span, message: str, code: str, hint: str | None = None) -> None:
        self.problems.append(Diagnostic(span, message, code, hint=hint))

    # ---- the grammar -----------------------------------------------------------------------------------------
    def read(self, top: JObject, start: str | None) -> TraceryGrammar:
        self.taken = {key.value for key, _ in top.pairs}
        for key, value in top.pairs:
            if key.value in self.rules and not self.compat:
                self.error(key.span, f"symbol '{key.value}' is defined twice", "duplicate-rule",
                           hint=f"first defined at {self.rules[key.value].span}; Tracery keeps only the last")
                continue
            items = value.items if isinstance(value, JList) else (value,)
            choices = []
            for item in items:
                if not isinstance(item, JString):
                    self.error(item.span, f"a rule of '{key.value}' must be a string", "not-tracery",
                               hint="Tracery rules are strings (or one string instead of the list)")
                    continue
                choices.append(nodes.Choice(1.0, self.pieces(item, 0, len(item.value)), item.span))
            if len(choices) < len(items) and not choices:
                choices.append(nodes.Choice(1.0, (), key.span))  # reported already: no second error
            self.rules[key.value] = nodes.RuleDef(key.value, POLICY, tuple(choices), key.span, None)
        rules = list(self.rules.values()) + self.extra
        directives = self._directives(rules, top.span, start)
        if self.compat:
            rules += self._markers(rules)
        return TraceryGrammar(self.source, rules, directives, self.problems, self.synthetic)

    def _directives(self, rules: list[nodes.RuleDef], span: Span, start: str | None) -> list[nodes.Directive]:
        def directive(name: str, value: str) -> nodes.Directive:
            return nodes.Directive(name, value, span, span)

        if start is None and "origin" not in self.rules:
            names = ", ".join(list(self.rules)[:8]) or "none"
            self.error(span, "the grammar has no 'origin' symbol to start from", "undefined-start",
                       hint=f"choose one with --start NAME (symbols: {names})")
        directives = [] if start else [directive("start", "origin")]  # the caller's start is not a directive
        used = {name for rule in rules for name in _names(rule)}
        if TOPIC in self.rules or TOPIC in nodes.bound_names(rules):  # a symbol: the topic slot takes a name none can have
            directives.append(directive("topic", self._fresh(TOPIC)))
        elif TOPIC in used and self.compat:  # no topic given: Tracery's marker
            directives.append(directive("slot", f"{TOPIC} = (({TOPIC}))"))
        return directives

    def _markers(self, rules: list[nodes.RuleDef]) -> list[nodes.RuleDef]:
        """--tracery-compat: an undefined (or not yet pushed) symbol writes `((name))`, as in Tracery."""
        defined, markers = set(self.rules) | {rule.name for rule in rules}, {}
        for rule in rules:
            for choice in rule.choices:
                for ref in nodes.walk_references(choice.pieces):
                    if ref.name not in defined and ref.name != TOPIC and ref.name not in markers:
                        text = nodes.Text(f"(({ref.name}))", ref.name_span)
                        markers[ref.name] = nodes.RuleDef(ref.name, POLICY, (nodes.Choice(1.0, (text,), ref.span),),
                                                          ref.name_span, None)
        return list(markers.values())

    def _fresh(self, base: str) -> str:
        number = 1
        while f"{base}@{number}" in self.taken:
            number += 1
        name = f"{base}@{number}"
        self.taken.add(name)
        return name

    def synthetic_rule(self, base: str, pieces: list[nodes.Piece], span: Span, what: str) -> str:
        """A made-up rule with one alternative; its name holds `@`, which no gpbt name can, so it cannot clash."""
        name = self._fresh(base)
        self.synthetic[name] = what
        choice = nodes.Choice(1.0, tuple(pieces), span)
        self.extra.append(nodes.RuleDef(name, POLICY, (choice,), span, None))
        return name

    # ---- one rule ------------------------------------------------------------------------------------------
    def pieces(self, js: JString, lo: int, hi: int) -> tuple[nodes.Piece, ...]:
        """A rule (or a push value, or a function action's text) → pieces. Actions here are plain-text actions."""
        text = js.value
        plain = _PLAIN.fullmatch(text, lo, hi)
        if plain:  # most rules of most grammars are words: no scan, no merge
            return (nodes.Text(text[lo:hi], js.span_of(lo, hi)),) if lo < hi else ()
        sections, problems = scan(text, lo, hi)
        if not self.compat:
            for index, message in problems:
                self.error(js.span_of(index, index + 1), message, "tracery-syntax",
                           hint="write \\\\# or \\\\[ in the JSON string for a literal # or [")
        out: list[nodes.Piece] = []
        for kind, a, b in sections:
            if kind == PLAIN:
                out.append(nodes.Text(unescape(text[a:b]), js.span_of(a, b)))
            elif kind == TAG:
                out.extend(self.tag(js, a, b))
            else:
                out.extend(self.action(js, a, b, keep=True))
        return merge_text(out)

    def tag(self, js: JString, a: int, b: int) -> list[nodes.Piece]:
        text, span = js.value, js.span_of(a - 1, b + 1)
        sections, _ = scan(text, a, b)
        plains = [(x, y) for kind, x, y in sections if kind == PLAIN]
        if len(plains) > 1:
            self.error(span, "a tag holds one symbol name (with its modifiers) and actions, not two texts",
                       "tracery-syntax", hint="Tracery stops with 'multiple main sections' here")
            return []
        if not plains:
            if not self.compat:
                self.error(span, "empty tag: no symbol name between the #s", "tracery-syntax",
                           hint="write \\\\# in the JSON string for a literal #")
            return [nodes.Text("((None))", span)]
        x, y = plains[0]
        parts = split_top(text, x, y, ".", parens=True)
        (name_a, name_b), mods = parts[0], parts[1:]
        name_span = js.span_of(name_a, name_b)
        modifiers = [self.modifier(js, c, d) for c, d in mods]
        ref = self.reference(unescape(text[name_a:name_b]), modifiers, span, name_span)
        actions = [(x, y) for kind, x, y in sections if kind == ACTION]
        if not actions:
            return [ref]
        pre: list[nodes.Piece] = []
        for x, y in actions:
            pre.extend(self.action(js, x, y, keep=False))
        name = self.synthetic_rule(ref.name, pre + [ref], span, f"the actions inside {text[a - 1:b + 1]}")
        return [nodes.Reference(name, (), None, "", span, name_span)]

    def modifier(self, js: JString, a: int, b: int) -> nodes.Modifier:
        text = js.value[a:b]
        opening = text.find("(")
        if opening > 0 and text.endswith(")"):
            inner = text[opening + 1 : -1]
            args = tuple(unescape(arg) for arg in inner.split(",")) if inner else ()
            return nodes.Modifier(unescape(text[:opening]), args, js.span_of(a - 1, b))
        return nodes.Modifier(unescape(text), (), js.span_of(a - 1, b))

    def reference(self, name: str, modifiers: list[nodes.Modifier], span: Span, name_span: Span) -> nodes.Reference:
        """With --tracery-compat an unknown modifier appends `((.name))` and the modifiers after it still apply."""
        if self.compat:
            for k, mod in enumerate(modifiers):
                if mod.name not in self.modifiers:
                    inner = self.reference(name, modifiers[:k], span, name_span)
                    marker = nodes.Text(f"((.{mod.name}))", mod.span)
                    wrapped = self.synthetic_rule(name, [inner, marker], span, f"the unknown modifier .{mod.name}")
                    return self.reference(wrapped, modifiers[k + 1 :], span, name_span)
        return nodes.Reference(name, tuple(modifiers), None, "", span, name_span)

    def action(self, js: JString, a: int, b: int, keep: bool) -> list[nodes.Piece]:
        text, span = js.value, js.span_of(a - 1, b + 1)
        colon = find_top(text, a, b, ":")
        if colon < 0:  # a function action: expanded for its side effects
            pieces = self.pieces(js, a, b)
            if all(isinstance(piece, nodes.Text) for piece in pieces):
                return []
            if len(pieces) == 1 and isinstance(pieces[0], nodes.Reference) and not pieces[0].modifiers:
                return [nodes.Silent(pieces[0], span)]
            name = self.synthetic_rule("action", list(pieces), span, f"the function action {text[a - 1:b + 1]}")
            return [nodes.Silent(nodes.Reference(name, (), None, "", span, span), span)]
        name, name_span = unescape(text[a:colon]), js.span_of(a, colon)
        if text[colon + 1 : b] == "POP":
            return [nodes.Unbinding(name, span)]
        choices = []
        for c, d in split_top(text, colon + 1, b, ","):
            pieces = self.pieces(js, c, d)
            if any(isinstance(p, (nodes.Binding, nodes.Unbinding, nodes.Silent)) for p in pieces):
                rule = self.synthetic_rule(name, list(pieces), js.span_of(c, d), f"a pushed value of {name}")
                pieces = (nodes.Reference(rule, (), None, "", js.span_of(c, d), js.span_of(c, d)),)
            choices.append(pieces)
        return [nodes.Binding(name, tuple(choices), span, name_span, keep=keep)]


# ---- scanning, shared with gpbt/convert.py -------------------------------------------------------------------
def scan(text: str, lo: int, hi: int) -> tuple[list[tuple[int, int, int]], list[tuple[int, str]]]:
    """Tracery's section scanner over text[lo:hi]: (kind, start, stop) sections and (index, message) problems.
    `#` opens or closes a tag only outside brackets; `[` opens an action only outside tags; a stray `]` and what
    an unclosed `#` or `[` leaves behind stay as text, exactly as Tracery keeps them."""
    depth, in_tag, start, i = 0, False, lo, lo
    sections: list[tuple[int, int, int]] = []
    problems: list[tuple[int, str]] = []
    opened = lo
    while i < hi:
        char = text[i]
        if char == "\\":
            i += 2
            continue
        if char == "[":
            if depth == 0 and not in_tag:
                if start < i:
                    sections.append((PLAIN, start, i))
                start, opened = i + 1, i
            depth += 1
        elif char == "]":
            depth -= 1
            if depth == 0 and not in_tag:
                sections.append((ACTION, start, i))
                start = i + 1
            elif depth == -1 and not any(m.startswith("unmatched") for _, m in problems):
                problems.append((i, "unmatched ']'"))
        elif char == "#" and depth == 0:
            if in_tag:
                sections.append((TAG, start, i))
                if start == i:
                    problems.append((i - 1, "empty tag '##'"))
            else:
                if start < i:
                    sections.append((PLAIN, start, i))
                opened = i
            start = i + 1
            in_tag = not in_tag
        i += 1
    if start < hi:
        sections.append((PLAIN, start, hi))
    if in_tag:
        problems.append((opened, "unclosed tag: this '#' has no closing '#'"))
    elif depth > 0:
        problems.append((opened, "unclosed action: this '[' has no closing ']'"))
    return sections, problems


def find_top(text: str, lo: int, hi: int, char: str) -> int:
    """The first unescaped `char` in text[lo:hi] outside brackets and tags, or -1."""
    ranges = split_top(text, lo, hi, char)
    return ranges[0][1] if len(ranges) > 1 else -1


def split_top(text: str, lo: int, hi: int, char: str, parens: bool = False) -> list[tuple[int, int]]:
    """text[lo:hi] split at every unescaped `char` outside brackets and tags (with `parens`, also outside `(...)`),
    as index ranges."""
    ranges: list[tuple[int, int]] = []
    start, depth, in_tag, paren, i = lo, 0, False, 0, lo
    while i < hi:
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":
            depth += 1
        elif c == "]":
            depth -= 1
        elif c == "#" and depth == 0:
            in_tag = not in_tag
        elif parens and c == "(":
            paren += 1
        elif parens and c == ")":
            paren = max(paren - 1, 0)
        elif c == char and depth == 0 and not in_tag and paren == 0:
            ranges.append((start, i))
            start = i + 1
        i += 1
    ranges.append((start, hi))
    return ranges


def unescape(text: str) -> str:
    """`\\c` → `c` for any character; a lone trailing backslash stays."""
    if "\\" not in text:
        return text
    out, i = [], 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text):
            out.append(text[i + 1])
            i += 2
        else:
            out.append(text[i])
            i += 1
    return "".join(out)




def _names(rule: nodes.RuleDef) -> set[str]:
    return {ref.name for choice in rule.choices for ref in nodes.walk_references(choice.pieces)}
