"""Shared by the language server tests: start `gpbt lsp` over stdio and speak the protocol with pytest-lsp."""

from __future__ import annotations

import asyncio
import shutil
import sys
from pathlib import Path

from lsprotocol import types

FIXTURES = Path(__file__).parent / "fixtures" / "lsp"
SERVER = [sys.executable, "-m", "gpbt", "lsp"]


def copy_style(tmp_path: Path, name: str = "multi") -> Path:
    """A private copy of a fixture style, so edits and renames never touch the repository."""
    target = tmp_path / name
    shutil.copytree(FIXTURES / name, target)
    return target


def uri(path: Path) -> str:
    return path.absolute().as_uri()


def open_file(client, path: Path, text: str | None = None, language: str = "gpbt") -> None:
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
        uri=uri(path), language_id=language, version=1,
        text=path.read_text(encoding="utf-8") if text is None else text)))


def replace_all(client, path: Path, text: str, version: int) -> None:
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri(path), version=version),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)]))


async def diagnostics_after(client, path: Path, action) -> list[types.Diagnostic]:
    """Run `action` (an open or a change) and wait for the diagnostics of `path` it causes."""
    key = uri(path)
    client.diagnostics.pop(key, None)
    action()
    for _ in range(200):
        if key in client.diagnostics:
            return list(client.diagnostics[key])
        await asyncio.sleep(0.02)
    raise AssertionError(f"no diagnostics for {path}")


def position_of(path_text: str, needle: str, nth: int = 0, offset: int = 0) -> types.Position:
    """The protocol position of the `nth` occurrence of `needle` (plus `offset` characters)."""
    index = -1
    for _ in range(nth + 1):
        index = path_text.index(needle, index + 1)
    index += offset
    line = path_text.count("\n", 0, index)
    column = index - (path_text.rfind("\n", 0, index) + 1)
    return types.Position(line=line, character=len(path_text[index - column:index].encode("utf-16-le")) // 2)
