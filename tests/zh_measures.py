"""Text measures for Chinese essays, shared by tests/test_style_zh.py and bench/variety.py.

Standard library only, and no import of gpbt: the functions take plain text, so they measure the original
generator's output (bench/original.py) exactly as they measure ours.

Definitions
-----------
- paragraphs: the lines of the text (CR LF and CR are read as LF); with ``has_title`` the first line is the title
  and not a paragraph; the empty string after a final line break is not a paragraph.
- sentence: a run of text ending on 。！？ (or ASCII . ? ! followed by a space, a line break or the end, which is
  how the original ends its sentences) *outside* “…”: a quotation is part of the sentence that introduces it, so
  ``孔子曾经说过：“学而不思则罔，思而不学则殆。”这不禁令我深思。`` is one sentence.
- repeated sentences: number of sentences minus number of distinct sentences (whitespace stripped).
- windows: the text with every occurrence of the topic replaced by one placeholder character (so the topic itself
  is never repetition) and CR LF read as LF; every substring of 8 characters is a window;
  ``window_repeat_share = 1 - distinct windows / windows``.
"""

from __future__ import annotations

import re

SENTENCE_MARKS = "。！？"
CLOSING = "”"
PLACEHOLDER = "\ue000"

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_FULL_PUNCT = "，。、；：？！“”‘’（）《》「」『』—…·"
# two punctuation marks in a row (spaces between them allowed): ，。 / 。。 / ，， / , . / . .
_PUNCT_SET = "，。、；：？！,.;:?!"
DOUBLED_RE = re.compile(rf"[{_PUNCT_SET}][ \t\u3000\r\n]*[{_PUNCT_SET}]")
# an ASCII mark touching a CJK character or full-width punctuation, spaces allowed between them
HALFWIDTH_RE = re.compile(rf"(?:(?<=[{_CJK}{_FULL_PUNCT}])[ \t]*[,.;:?!\"'()]|[,.;:?!\"'()][ \t]*(?=[{_CJK}{_FULL_PUNCT}]))")
ASCII_SEP_RE = re.compile(r"[,.] ")
# spaces of any width between two CJK characters / full-width marks inside a line
SPACE_BETWEEN_RE = re.compile(rf"(?<=[{_CJK}{_FULL_PUNCT}])[ \t\u3000\u00a0]+(?=[{_CJK}{_FULL_PUNCT}])")
QUOTE_RE = re.compile(r"“([^“”]*)”")
INDENT = "\u3000\u3000"


def normalise(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def split_title(text: str) -> tuple[str, list[str]]:
    """(title, paragraphs) of an essay whose first line is its title."""
    lines = normalise(text).split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return (lines[0] if lines else ""), lines[1:]


def paragraphs(text: str, has_title: bool = True) -> list[str]:
    if has_title:
        return split_title(text)[1]
    lines = normalise(text).split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def sentences(text: str) -> list[str]:
    """Sentences, quotations kept inside the sentence that introduces them (see the module docstring)."""
    out: list[str] = []
    current: list[str] = []
    depth = 0
    text = normalise(text)
    for i, ch in enumerate(text):
        if ch == "\n":
            if "".join(current).strip():
                out.append("".join(current).strip())
            current = []
            depth = 0
            continue
        current.append(ch)
        if ch == "“":
            depth += 1
        elif ch == "”":
            depth = max(0, depth - 1)
        elif depth == 0:
            nxt = text[i + 1] if i + 1 < len(text) else "\n"
            if ch in SENTENCE_MARKS or (ch in ".?!" and nxt in " \n"):
                s = "".join(current).strip()
                if s:
                    out.append(s)
                current = []
    if "".join(current).strip():
        out.append("".join(current).strip())
    return out


def repeated_count(items: list[str]) -> int:
    return len(items) - len(set(items))


def quotes(text: str) -> list[str]:
    """The texts inside “…”."""
    return QUOTE_RE.findall(text)


def doubled_punctuation(text: str) -> list[str]:
    return DOUBLED_RE.findall(text)


def halfwidth_punctuation(text: str) -> int:
    """ASCII marks touching Chinese text, plus ASCII ', ' and '. ' anywhere."""
    text = normalise(text)
    spots = {m.start() for m in HALFWIDTH_RE.finditer(text)} | {m.start() for m in ASCII_SEP_RE.finditer(text)}
    return len(spots)


def spaces_between_cjk(text: str, has_title: bool = True) -> int:
    """Runs of spaces between two CJK characters or full-width marks, inside a line (after its indent)."""
    count = 0
    for line in paragraphs(text, has_title):
        body = line.lstrip(" \t\u3000")
        count += len(SPACE_BETWEEN_RE.findall(body))
    return count


def is_empty_paragraph(line: str) -> bool:
    """No letter or CJK character at all (only spaces and punctuation)."""
    return not re.search(rf"[{_CJK}A-Za-z0-9]", line)


def ends_on_sentence_mark(line: str, ascii_marks: bool = False) -> bool:
    body = line.rstrip(" \t\u3000")
    marks = SENTENCE_MARKS + CLOSING + (".?!" if ascii_marks else "")
    return bool(body) and body[-1] in marks


def windows(text: str, topic: str | None, size: int = 8) -> list[str]:
    text = normalise(text)
    if topic:
        text = text.replace(topic, PLACEHOLDER)
    return [text[i:i + size] for i in range(len(text) - size + 1)]


def window_repeat_share(text: str, topic: str | None, size: int = 8) -> float:
    ws = windows(text, topic, size)
    return 1 - len(set(ws)) / len(ws) if ws else 0.0
