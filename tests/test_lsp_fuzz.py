"""Half-typed text never takes the server down: random edits over stdio, bytes that are not UTF-8, and a fast
in-process fuzz of every feature at every position."""

from __future__ import annotations

import asyncio
import json
import random
import subprocess

import pytest
import pytest_lsp
from hypothesis import given, settings
from hypothesis import strategies as st
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

from gpbt.lsp import editing, features
from gpbt.lsp.documents import Workspace
from lsp_helpers import FIXTURES, SERVER, copy_style, diagnostics_after, open_file, replace_all, uri

PIECES = ["{", "}", "[", "]", "|", "(", ")", ":", "：", "\\", "\n", "\n    ", "*", "fill", ".upper", "=", ":=", "/",
          "@include ", "@slot ", "#", "(2)", "句子", "主题", "\"", "😀", " ", "\t", "\r\n", "\x00"]


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER))
async def client(lsp_client: LanguageClient):
    await lsp_client.initialize_session(types.InitializeParams(capabilities=types.ClientCapabilities()))
    yield
    await lsp_client.shutdown_session()


@pytest.mark.asyncio
async def test_random_edits_over_stdio_keep_the_server_up(client, tmp_path):
    style = copy_style(tmp_path)
    path = style / "more.gpbt"
    await diagnostics_after(client, path, lambda: open_file(client, path))
    rng = random.Random(14)
    text = path.read_text(encoding="utf-8")
    for version in range(2, 202):
        start = rng.randrange(len(text) + 1)
        end = min(len(text), start + rng.randrange(4))
        text = text[:start] + rng.choice(PIECES) * rng.randrange(1, 3) + text[end:]
        lines = text.split("\n")
        client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri(path), version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)]))
        if version % 20 == 0:
            line = rng.randrange(len(lines))
            position = types.Position(line=line, character=rng.randrange(len(lines[line]) + 1))
            document = types.TextDocumentIdentifier(uri=uri(path))
            await client.text_document_hover_async(types.HoverParams(text_document=document, position=position))
            await client.text_document_completion_async(types.CompletionParams(text_document=document,
                                                                               position=position))
            await client.text_document_semantic_tokens_full_async(types.SemanticTokensParams(text_document=document))
    fixed = (FIXTURES / "multi" / "more.gpbt").read_text(encoding="utf-8")
    await diagnostics_after(client, path, lambda: replace_all(client, path, fixed, 999))
    for _ in range(250):  # diagnostics of the last random edits may still arrive after the fix's own
        if list(client.diagnostics.get(uri(path), [None])) == []:
            break
        await asyncio.sleep(0.02)
    assert list(client.diagnostics.get(uri(path), [None])) == []


def frame(message: dict | bytes) -> bytes:
    body = message if isinstance(message, bytes) else json.dumps(message).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def test_bytes_that_are_not_utf8_do_not_end_the_session(tmp_path):
    path = tmp_path / "bad.gpbt"
    did_open = json.dumps({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
        "uri": uri(path), "languageId": "gpbt", "version": 1, "text": "a: XX{b\n"}}}).encode()
    messages = [
        frame({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}}),
        frame({"jsonrpc": "2.0", "method": "initialized", "params": {}}),
        frame(did_open.replace(b"XX", b"\xff\xfe\xc3")),
        frame(did_open.replace(b"XX", b"\\ud800")),
        frame({"jsonrpc": "2.0", "id": 2, "method": "textDocument/hover", "params": {
            "textDocument": {"uri": uri(path)}, "position": {"line": 0, "character": 3}}}),
        frame({"jsonrpc": "2.0", "id": 3, "method": "shutdown"}),
        frame({"jsonrpc": "2.0", "method": "exit"}),
    ]
    done = subprocess.run(SERVER, input=b"".join(messages), capture_output=True, timeout=60)
    assert b'"id": 2' in done.stdout and b'"id": 3' in done.stdout
    assert b"publishDiagnostics" in done.stdout


TEXT = st.lists(st.sampled_from(PIECES) | st.text(max_size=3), max_size=40).map("".join)


@settings(max_examples=150, deadline=None)
@given(first=TEXT, second=TEXT, line=st.integers(0, 6), column=st.integers(0, 12))
def test_every_feature_on_any_text(tmp_path_factory, first, second, line, column):
    folder = tmp_path_factory.mktemp("fuzz", numbered=True)
    workspace = Workspace()
    workspace.set_buffer(str(folder / "b.gpbt"), second)
    state = workspace.set_buffer(str(folder / "a.gpbt"), first)
    path = str(folder / "a.gpbt")
    features.diagnostics_by_file(state, workspace.open_files_of(state), path)
    for at in (features.definition, features.hover):
        at(state, path, line + 1, column + 1)
    features.references(state, path, line + 1, column + 1, True)
    try:
        features.rename(state, path, line + 1, column + 1, "新名")
    except features.RenameRefused:
        pass
    features.document_symbols(state, path)
    features.code_actions(state, path, 1, 99)
    editing.semantic_tokens(state, path, first)
    lines = first.split("\n")
    editing.completion(state, lines[min(line, len(lines) - 1)], column)
