"""The pygls server: protocol messages in, the library's answers out. Every handler is guarded so that no text an
editor sends (half-typed, empty, not even UTF-8) can take the server down."""

from __future__ import annotations

import functools
import logging
from typing import Any, Callable

from lsprotocol import types
from pygls.lsp.server import LanguageServer

from .. import __version__
from . import editing, features
from .documents import StyleState, Workspace
from .positions import codepoint_column, line_and_column, path_uri, uri_path

log = logging.getLogger(__name__)


class GpbtServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("gpbt", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Incremental)
        self.gpbt = Workspace()

    def publish(self, path: str) -> None:
        """Analyse the style of `path` and send fresh diagnostics for every open file of that style."""
        state = self.gpbt.set_buffer(path, self.buffer_text(path))
        open_files = self.gpbt.open_files_of(state)
        for file, found in features.diagnostics_by_file(state, open_files, path).items():
            self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=path_uri(file),
                                                                                  diagnostics=found))

    def buffer_text(self, path: str) -> str:
        return self.workspace.get_text_document(path_uri(path)).source

    def locate(self, uri: str, position: types.Position) -> tuple[StyleState, str, int, int]:
        path = uri_path(uri)
        lines = self.gpbt.buffers.get(path, "").split("\n")
        text_line = lines[position.line] if position.line < len(lines) else ""
        line, column = line_and_column(text_line.rstrip("\r"), position)
        return self.gpbt.state_of(path), path, line, column


server = GpbtServer()


def guarded(handler: Callable[..., Any]) -> Callable[..., Any]:
    """Log any failure and answer nothing rather than let one request end the session."""

    @functools.wraps(handler)
    def safe(ls: GpbtServer, params: Any) -> Any:
        try:
            return handler(ls, params)
        except features.RenameRefused:
            raise
        except Exception:  # noqa: BLE001 - the server must outlive any bug a buffer can trigger
            log.exception("gpbt lsp: %s failed", handler.__name__)
            return None

    return safe


@server.feature(types.INITIALIZE)
@guarded
def initialize(ls: GpbtServer, params: types.InitializeParams) -> None:
    options = params.initialization_options or {}
    if isinstance(options, dict) and options.get("styleScope") in ("file", "folder"):
        ls.gpbt.style_scope = options["styleScope"]


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
@guarded
def did_open(ls: GpbtServer, params: types.DidOpenTextDocumentParams) -> None:
    ls.publish(uri_path(params.text_document.uri))


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
@guarded
def did_change(ls: GpbtServer, params: types.DidChangeTextDocumentParams) -> None:
    ls.publish(uri_path(params.text_document.uri))


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
@guarded
def did_close(ls: GpbtServer, params: types.DidCloseTextDocumentParams) -> None:
    path = uri_path(params.text_document.uri)
    ls.gpbt.close(path)
    ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=params.text_document.uri,
                                                                        diagnostics=[]))


@server.feature(types.TEXT_DOCUMENT_DEFINITION)
@guarded
def definition(ls: GpbtServer, params: types.DefinitionParams) -> list[types.Location]:
    return features.definition(*ls.locate(params.text_document.uri, params.position))


@server.feature(types.TEXT_DOCUMENT_REFERENCES)
@guarded
def references(ls: GpbtServer, params: types.ReferenceParams) -> list[types.Location]:
    return features.references(*ls.locate(params.text_document.uri, params.position),
                               params.context.include_declaration)


@server.feature(types.TEXT_DOCUMENT_RENAME)
@guarded
def rename(ls: GpbtServer, params: types.RenameParams) -> types.WorkspaceEdit | None:
    return features.rename(*ls.locate(params.text_document.uri, params.position), params.new_name)


@server.feature(types.TEXT_DOCUMENT_HOVER)
@guarded
def hover(ls: GpbtServer, params: types.HoverParams) -> types.Hover | None:
    return features.hover(*ls.locate(params.text_document.uri, params.position))


@server.feature(types.TEXT_DOCUMENT_COMPLETION,
                types.CompletionOptions(trigger_characters=["{", ".", "@", "(", "[", " "]))
@guarded
def completion(ls: GpbtServer, params: types.CompletionParams) -> types.CompletionList:
    path = uri_path(params.text_document.uri)
    lines = ls.gpbt.buffers.get(path, "").split("\n")
    text_line = lines[params.position.line].rstrip("\r") if params.position.line < len(lines) else ""
    column = codepoint_column(text_line, params.position.character)
    items = editing.completion(ls.gpbt.state_of(path), text_line, column)
    return types.CompletionList(is_incomplete=False, items=items)


@server.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
@guarded
def document_symbol(ls: GpbtServer, params: types.DocumentSymbolParams) -> list[types.DocumentSymbol]:
    path = uri_path(params.text_document.uri)
    return features.document_symbols(ls.gpbt.state_of(path), path)


@server.feature(types.WORKSPACE_SYMBOL)
@guarded
def workspace_symbol(ls: GpbtServer, params: types.WorkspaceSymbolParams) -> list[types.WorkspaceSymbol]:
    return features.workspace_symbols(list(ls.gpbt.styles.values()), params.query)


@server.feature(types.TEXT_DOCUMENT_CODE_ACTION,
                types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]))
@guarded
def code_action(ls: GpbtServer, params: types.CodeActionParams) -> list[types.CodeAction]:
    path = uri_path(params.text_document.uri)
    return features.code_actions(ls.gpbt.state_of(path), path, params.range.start.line + 1,
                                 params.range.end.line + 1)


@server.feature(types.TEXT_DOCUMENT_SEMANTIC_TOKENS_FULL, editing.LEGEND)
@guarded
def semantic_tokens(ls: GpbtServer, params: types.SemanticTokensParams) -> types.SemanticTokens:
    path = uri_path(params.text_document.uri)
    return editing.semantic_tokens(ls.gpbt.state_of(path), path, ls.gpbt.buffers.get(path, ""))


def run() -> None:
    """Serve over stdin and stdout until the client says exit."""
    server.start_io()
