"""Between the library's spans (1-based lines, columns in code points, end one past) and the protocol's positions
(0-based lines, columns in UTF-16 code units, as LSP counts by default)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote, unquote, urlparse

from lsprotocol import types

from ..source import Span


def utf16_column(line_text: str, column: int) -> int:
    """0-based UTF-16 column of the 0-based code-point `column`."""
    return len(line_text[:column].encode("utf-16-le", "surrogatepass")) // 2


def codepoint_column(line_text: str, units: int) -> int:
    """0-based code-point column of the 0-based UTF-16 column `units` (clamped to the line)."""
    count = 0
    for index, char in enumerate(line_text):
        if count >= units:
            return index
        count += 2 if ord(char) > 0xFFFF else 1
    return len(line_text)


def span_range(span: Span) -> types.Range:
    start_line = span.source.line(span.line)
    end_line = span.source.line(span.end_line)
    return types.Range(
        start=types.Position(line=max(span.line - 1, 0), character=utf16_column(start_line, span.column - 1)),
        end=types.Position(line=max(span.end_line - 1, 0), character=utf16_column(end_line, span.end_column - 1)))


def span_location(span: Span) -> types.Location:
    return types.Location(uri=path_uri(span.path), range=span_range(span))


def uri_path(uri: str) -> str:
    parsed = urlparse(uri)
    return str(Path(unquote(parsed.path))) if parsed.scheme in ("file", "") else uri


def path_uri(path: str) -> str:
    return "file://" + quote(str(Path(path).absolute()))


def line_and_column(text_line: str, position: types.Position) -> tuple[int, int]:
    """The 1-based line and column (code points) of a protocol position within `text_line`."""
    return position.line + 1, codepoint_column(text_line, position.character) + 1
