"""Source text and positions: every node and every error points back into a file through a `Span`."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from pathlib import Path

# Records here and on the path of a warm `gpbt generate` are plain classes and NamedTuples, not dataclasses: each
# dataclass costs half a millisecond to define, at every start.


class SourceFile:
    """A rule file's text, read once; spans keep a reference so errors can show the offending line. Equal only to
    itself. Not to be changed once made."""

    __slots__ = ("path", "text", "_lines")

    def __init__(self, path: str, text: str) -> None:
        self.path, self.text, self._lines = path, text, None

    @property
    def lines(self) -> list[str]:
        """The text's lines, split on first use (a style loaded from the cache keeps its files' texts for the
        positions of errors, and most runs never show one)."""
        if self._lines is None:
            self._lines = self.text.split("\n")
        return self._lines

    def __repr__(self) -> str:
        return f"SourceFile(path={self.path!r})"

    @classmethod
    def read(cls, path: str | Path) -> SourceFile:
        with open(path, "rb") as handle:
            return cls.from_bytes(str(path), handle.read())

    @classmethod
    def from_bytes(cls, path: str, raw: bytes) -> SourceFile:
        """UTF-8 (a BOM dropped), line ends normalised: how every file is read (`UnicodeDecodeError` if it is not
        UTF-8)."""
        return cls.from_text(path, raw.decode("utf-8-sig"))

    @classmethod
    def from_text(cls, path: str, text: str) -> SourceFile:
        # lark counts only "\n" as a line break, so CR LF and lone CR are normalised on the way in.
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        if not text.endswith("\n"):
            text += "\n"
        return cls(path, text)

    def line(self, number: int) -> str:
        return self.lines[number - 1] if 1 <= number <= len(self.lines) else ""


class Span(NamedTuple):
    """A 1-based region of a source file; `end_column` is one past the last character, as in lark."""

    source: SourceFile
    line: int
    column: int
    end_line: int
    end_column: int

    @property
    def path(self) -> str:
        return self.source.path

    def __repr__(self) -> str:
        return f"Span({self.path}:{self.line}:{self.column}-{self.end_line}:{self.end_column})"

    def __str__(self) -> str:
        return f"{self.source.path}:{self.line}:{self.column}"

    def snippet(self) -> str:
        """The source line and a caret underline, aligned by terminal display width (CJK counts two cells)."""
        text = self.source.line(self.line).expandtabs(1)
        start = max(self.column - 1, 0)
        stop = self.end_column - 1 if self.end_line == self.line else len(text)
        stop = max(stop, start + 1)
        pad = display_width(text[:start])
        width = max(display_width(text[start:stop]), 1)
        return f"{text}\n{' ' * pad}^{'~' * (width - 1)}"


def display_width(text: str) -> int:
    """Terminal cells taken by `text`: wide and full-width characters take two, combining marks none."""
    import unicodedata  # here: only an error's caret needs it

    cells = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        cells += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return cells
