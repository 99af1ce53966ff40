"""Text pieces shared by the readers, free of lark: the Tracery reader must not import the rule-file parser (lark
alone costs more to import than pytracery takes to load a grammar)."""

from __future__ import annotations

from .. import nodes
from ..source import Span


def merge_text(pieces: list) -> tuple:
    """Adjacent text pieces become one `nodes.Text` spanning them; empty text is dropped."""
    merged: list = []
    for piece in pieces:
        if isinstance(piece, nodes.Text):
            if not piece.value:
                continue
            if merged and isinstance(merged[-1], nodes.Text):
                previous = merged[-1]
                span = Span(previous.span.source, previous.span.line, previous.span.column,
                            piece.span.end_line, piece.span.end_column)
                merged[-1] = nodes.Text(previous.value + piece.value, span)
                continue
            piece = nodes.Text(piece.value, piece.span)
        merged.append(piece)
    return tuple(merged)
