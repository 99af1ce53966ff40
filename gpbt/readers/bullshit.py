"""A BullshitGenerator corpus (menzi11/BullshitGenerator's data.json format) → a gpbt style reproducing the original.

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

from .. import __version__
from ..writers.gpbt_text import escape_text
from ..errors import Diagnostic, RuleFileError
from .jsonpos import JList, JObject, JString, parse_json
from ..source import SourceFile

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


def bullshit_to_gpbt(source: SourceFile, name: str, options: Options = Options()) -> str:
    """The corpus in `source` as one gpbt rule file (text); `RuleFileError` with positions if it is malformed."""
    pools = _read_pools(source)
    marks = options.marks
    topic = "{" + options.topic_name + "}"
    convert = _Segments(marks, topic, options.faithful)
    header = [f"# Converted from the BullshitGenerator corpus {name} by gpbt convert --from bullshit"
              f"{' --faithful' if options.faithful else ''} (gpbt {__version__}).",
              f"# Pools: {', '.join(f'{key} ({len(pools[key])})' for key in KEYS)}; every quote and filler sentence "
              f"is dealt {options.repeat} times per deck (重复度).",
              f"@style {name}", f"@language {options.language}", f"@topic {options.topic_name}",
              f"@length {options.length}", "@start 文章", ""]
    before = [convert.plain(text) for text in pools["before"]]
    if options.faithful:
        after = [convert.plain(text) for text in pools["after"]]
        famous = [convert.quote(text) for text in pools["famous"]]
        bosh = [convert.plain(text) for text in pools["bosh"]]
        brk = ".\\ \\r\\n\\ \\ \\ \\ "  # ". " CR LF and four spaces
        body = ["# the original loop: until the target length, 5 / 15 / 81 out of 101",
                "文章: {项*fill}", "", "项 (random):", "    (5) {另起一段}", "    (15) {名人名言}", "    (81) {废话}", "",
                "# the original's paragraph break, written whatever came before it", f"另起一段: {brk}", ""]
    else:
        after = [convert.plain(text) + _next(text) for text in pools["after"]]
        famous = [convert.quote(text) + ("" if _ends_with(text, marks.after) else _next(text))
                  for text in pools["famous"]]
        bosh = [convert.plain(text) + _next(text) for text in pools["bosh"]]
        body = ["# a paragraph is items until the 5-in-101 break; the break is never drawn after a dangling",
                "# connective (ending in a comma or colon), so every paragraph ends on a sentence",
                "文章: {段落*fill}", "", "段落: 　　{须续}\\n", "",
                "须续 (random):", "    (15) {名人名言}", "    (81) {废话}", "",
                "可止 (random):", "    (5)", "    (15) {名人名言}", "    (81) {废话}", ""]
    body += _pool("名人名言", famous, "deck", options.repeat, "quotes (famous), dealt as a shuffle-cycle")
    body += _pool("废话", bosh, "deck", options.repeat, "filler sentences (bosh), dealt as a shuffle-cycle")
    body += _pool("前面垫话", before, "random", 1, "what the speaker did (before), drawn with replacement")
    body += _pool("后面垫话", after, "random", 1, "reactions after a quote (after), drawn with replacement")
    return "\n".join(header + body)


def _pool(rule: str, items: list[str], policy: str, repeat: int, comment: str) -> list[str]:
    lines = [f"# {comment}", f"{rule} ({policy}):"]
    for item in items:
        lines += [f"    {item}" if item else "    (1)"] * repeat
    return lines + [""]


def _ends_with(text: str, mark: str) -> bool:
    return bool(mark) and text.rstrip().endswith(mark)


def _next(text: str) -> str:
    """What may follow an item: the paragraph may end after a sentence, not after a dangling connective."""
    stripped = text.rstrip(" \u3000")
    return "{可止}" if stripped.endswith(SENTENCE_END) else "{须续}"


class _Segments:
    """Corpus text → gpbt template text: placeholders become references, the rest is escaped (and, unless
    faithful, half-width punctuation after Chinese text becomes full-width)."""

    def __init__(self, marks: Marks, topic: str, faithful: bool) -> None:
        self.marks, self.topic, self.faithful = marks, topic, faithful

    def plain(self, text: str) -> str:
        return self._render(text, {self.marks.topic: self.topic})

    def quote(self, text: str) -> str:
        marks = self.marks
        table = {marks.topic: self.topic, marks.before: "{前面垫话}", marks.after: "{后面垫话}"}
        bind = ""
        for mark, rule, short in ((marks.before, "前面垫话", "前"), (marks.after, "后面垫话", "后")):
            if mark and text.count(mark) > 1:  # the original draws one filler for every occurrence
                bind += f"[{short} = {{{rule}}}]"
                table[mark] = "{" + short + "}"
        return bind + self._render(text, table)

    def _render(self, text: str, table: dict[str, str]) -> str:
        marks = sorted((mark for mark in table if mark), key=len, reverse=True)
        pattern = re.compile("|".join(re.escape(mark) for mark in marks)) if marks else None
        parts: list[tuple[bool, str]] = []  # (is a reference, text)
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
        out = []
        for k, (ref, value) in enumerate(parts):
            out.append(value if ref else escape_text(value, k == 0, k == len(parts) - 1))
        return "".join(out)


def _full_width(text: str, after_reference: bool) -> str:
    """`, . : ; ? !` (and the blanks after them) become full-width where they follow Chinese text."""
    def replace(match: re.Match) -> str:
        start = match.start()
        previous = text[start - 1] if start else ""
        if (previous and not previous.isascii()) or (not previous and after_reference):
            return _PUNCT[match.group(1)]
        return match.group()

    return re.sub(r"([,.:;?!])[ ]*", replace, text)


def _read_pools(source: SourceFile) -> dict[str, list[str]]:
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
        pools[key] = [item.value for item in value.items if item.value.strip()]
        if not pools[key]:
            problems.append(Diagnostic(value.span, f"'{key}' holds no text", "not-bullshit"))
    if problems:
        raise RuleFileError(problems)
    return pools
