"""A BullshitGenerator corpus (menzi11/BullshitGenerator's data.json format) → gpbt nodes reproducing the original
(gpbt/writers/gpbt_text.py writes them as a rule file).

The original loop (research note §1): until the text reaches the target, roll 0..100 — below 5 a paragraph break,
below 20 a quote (`famous`, its `a` replaced by a random `before`, its `b` by a random `after`), otherwise the next
`bosh` sentence; `famous` and `bosh` are dealt as a shuffle-cycle over each item twice (重复度 2); `x` is the topic.

As a grammar: a fill of items with weights 5 / 15 / 81, the two pools as decks with every item twice, the fillers
`random`. `faithful=True` keeps the original's quirks; the default writes what a grammar gets for free: paragraphs
that end on a sentence (the break is never drawn after a dangling connective, so no doubled or stray periods),
a full-width indent, full-width punctuation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .. import nodes
from .._version import __version__
from ..errors import Diagnostic, RuleFileError
from ..source import SourceFile, Span
from .jsonpos import JList, JObject, JString, parse_json
from .rules import parse_rules

KEYS = ("famous", "bosh", "before", "after")
SENTENCE_END = tuple("。.？?！!…”\"")
_PUNCT = {",": "，", ".": "。", ":": "：", ";": "；", "?": "？", "!": "！"}


@dataclass(frozen=True)
class Marks:
    """Placeholders of the corpus: the topic in every pool, the verb filler and the reaction filler in quotes."""

    topic: str = "x"
    before: str = "a"
    after: str = "b"


@dataclass(frozen=True)
class Options:
    faithful: bool = False
    marks: Marks = Marks()
    topic_name: str = "主题"
    repeat: int = 2  # 重复度
    length: int = 6000
    language: str = "zh"


@dataclass(frozen=True)
class Corpus:
    """A corpus read into gpbt nodes: the file's comments and directives, and its rules each with a comment."""

    comments: tuple[str, ...]
    directives: tuple[tuple[str, str], ...]
    rules: tuple[tuple[nodes.RuleDef, str | None], ...]


def read_bullshit(source: SourceFile, name: str, options: Options = Options()) -> Corpus:
    """The corpus in `source` as gpbt rules; `RuleFileError` with positions if it is malformed."""
    pools = _read_pools(source)
    marks = options.marks
    segments = _Segments(marks, options.topic_name, options.faithful)
    comments = (f"Converted from the BullshitGenerator corpus {name} by gpbt convert --from bullshit"
                f"{' --faithful' if options.faithful else ''} (gpbt {__version__}).",
                f"Pools: {', '.join(f'{key} ({len(pools[key])})' for key in KEYS)}; every quote and filler sentence "
                f"is dealt {options.repeat} times per deck (重复度).")
    directives = (("style", name), ("language", options.language), ("topic", options.topic_name),
                  ("length", str(options.length)), ("start", "文章"))
    before = [segments.plain(item) for item in pools["before"]]
    if options.faithful:
        after = [segments.plain(item) for item in pools["after"]]
        famous = [segments.quote(item) for item in pools["famous"]]
        bosh = [segments.plain(item) for item in pools["bosh"]]
        skeleton = _skeleton(_FAITHFUL, source)
        rules = [(skeleton["文章"], "the original loop: until the target length, 5 / 15 / 81 out of 101"),
                 (skeleton["项"], None),
                 (skeleton["另起一段"], "the original's paragraph break, written whatever came before it")]
    else:
        after = [segments.plain(item) + (_next(item),) for item in pools["after"]]
        famous = [segments.quote(item) + (() if _ends_with(item.value, marks.after) else (_next(item),))
                  for item in pools["famous"]]
        bosh = [segments.plain(item) + (_next(item),) for item in pools["bosh"]]
        skeleton = _skeleton(_PARAGRAPHS, source)
        rules = [(skeleton["文章"], "a paragraph is items until the 5-in-101 break; the break is never drawn after a "
                  "dangling\nconnective (ending in a comma or colon), so every paragraph ends on a sentence"),
                 (skeleton["段落"], None), (skeleton["须续"], None), (skeleton["可止"], None)]
    span = _top_span(source)
    rules += [(_pool("名人名言", famous, "deck", options.repeat, span), "quotes (famous), dealt as a shuffle-cycle"),
              (_pool("废话", bosh, "deck", options.repeat, span), "filler sentences (bosh), dealt as a shuffle-cycle"),
              (_pool("前面垫话", before, "random", 1, span), "what the speaker did (before), drawn with replacement"),
              (_pool("后面垫话", after, "random", 1, span), "reactions after a quote (after), drawn with replacement")]
    return Corpus(comments, directives, tuple(rules))


# the structure around the pools, written in the rule language and read by its own reader
_FAITHFUL = """文章: {项*fill}
项 (random):
    (5) {另起一段}
    (15) {名人名言}
    (81) {废话}
另起一段: .\\ \\r\\n\\ \\ \\ \\ 
"""  # the original's break: ". " CR LF and four spaces
_PARAGRAPHS = """文章: {段落*fill}
段落: 　　{须续}\\n
须续 (random):
    (15) {名人名言}
    (81) {废话}
可止 (random):
    (5)
    (15) {名人名言}
    (81) {废话}
"""


def _skeleton(text: str, source: SourceFile) -> dict[str, nodes.RuleDef]:
    rule_file, problems = parse_rules(SourceFile.from_text(source.path + " (structure)", text))
    assert not problems, problems  # our own text
    return {rule.name: rule for rule in rule_file.rules}


def _top_span(source: SourceFile) -> Span:
    return Span(source, 1, 1, 1, 2)


def _pool(rule: str, items: list[tuple[nodes.Piece, ...]], policy: str, repeat: int, span: Span) -> nodes.RuleDef:
    choices = tuple(nodes.Choice(1.0, item, item[0].span if item else span) for item in items for _ in range(repeat))
    return nodes.RuleDef(rule, policy, choices, span, span)


def _ends_with(text: str, mark: str) -> bool:
    return bool(mark) and text.rstrip().endswith(mark)


def _reference(name: str, span: Span) -> nodes.Reference:
    return nodes.Reference(name, (), None, "", span, span)


def _next(item: JString) -> nodes.Reference:
    """What may follow an item: the paragraph may end after a sentence, not after a dangling connective."""
    stripped = item.value.rstrip(" \u3000")
    return _reference("可止" if stripped.endswith(SENTENCE_END) else "须续", item.span)


class _Segments:
    """Corpus text → gpbt pieces: placeholders become references, the rest text (and, unless faithful, half-width
    punctuation after Chinese text becomes full-width)."""

    def __init__(self, marks: Marks, topic: str, faithful: bool) -> None:
        self.marks, self.topic, self.faithful = marks, topic, faithful

    def plain(self, item: JString) -> tuple[nodes.Piece, ...]:
        return self._pieces(item, {self.marks.topic: self.topic})

    def quote(self, item: JString) -> tuple[nodes.Piece, ...]:
        marks, text = self.marks, item.value
        table = {marks.topic: self.topic, marks.before: "前面垫话", marks.after: "后面垫话"}
        binds: list[nodes.Piece] = []
        for mark, rule, short in ((marks.before, "前面垫话", "前"), (marks.after, "后面垫话", "后")):
            if mark and text.count(mark) > 1:  # the original draws one filler for every occurrence
                binds.append(nodes.Binding(short, ((_reference(rule, item.span),),), item.span, item.span))
                table[mark] = short
        return tuple(binds) + self._pieces(item, table)

    def _pieces(self, item: JString, table: dict[str, str]) -> tuple[nodes.Piece, ...]:
        text = item.value
        marks = sorted((mark for mark in table if mark), key=len, reverse=True)
        pattern = re.compile("|".join(re.escape(mark) for mark in marks)) if marks else None
        parts: list[tuple[bool, str]] = []  # (is a reference, text or rule name)
        position = 0
        for match in pattern.finditer(text) if pattern else ():
            parts.append((False, text[position:match.start()]))
            parts.append((True, table[match.group()]))
            position = match.end()
        parts.append((False, text[position:]))
        if not self.faithful:
            parts = [(ref, value if ref else _full_width(value, after_reference=k > 0))
                     for k, (ref, value) in enumerate(parts)]
            parts = [(ref, value.rstrip(" ") if k == len(parts) - 1 else value) for k, (ref, value) in
                     enumerate(parts)]
        return tuple(_reference(value, item.span) if ref else nodes.Text(value, item.span)
                     for ref, value in parts if ref or value)


def _full_width(text: str, after_reference: bool) -> str:
    """`, . : ; ? !` (and the blanks after them) become full-width where they follow Chinese text."""
    def replace(match: re.Match) -> str:
        start = match.start()
        previous = text[start - 1] if start else ""
        if (previous and not previous.isascii()) or (not previous and after_reference):
            return _PUNCT[match.group(1)]
        return match.group()

    return re.sub(r"([,.:;?!])[ ]*", replace, text)


def _read_pools(source: SourceFile) -> dict[str, list[JString]]:
    top = parse_json(source)
    if not isinstance(top, JObject):
        raise RuleFileError([Diagnostic(top.span, "a BullshitGenerator corpus is a JSON object with the keys "
                                        + ", ".join(KEYS), "not-bullshit")])
    values = {key.value: value for key, value in top.pairs}
    problems: list[Diagnostic] = []
    pools: dict[str, list[str]] = {}
    for key in KEYS:
        value = values.get(key)
        if value is None:
            problems.append(Diagnostic(top.span, f"the corpus has no '{key}' list", "not-bullshit",
                                       hint="keys: famous (quotes), bosh (filler), before and after (quote fillers)"))
            continue
        if not isinstance(value, JList) or not all(isinstance(item, JString) for item in value.items):
            problems.append(Diagnostic(value.span, f"'{key}' must be a list of strings", "not-bullshit"))
            continue
        pools[key] = [item for item in value.items if item.value.strip()]
        if not pools[key]:
            problems.append(Diagnostic(value.span, f"'{key}' holds no text", "not-bullshit"))
    if problems:
        raise RuleFileError(problems)
    return pools
