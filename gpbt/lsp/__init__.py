"""Editor support: a Language Server Protocol server for rule files (`gpbt lsp`, needs the `gpbt[lsp]` extra) and a
Pygments lexer (`gpbt.lsp.lexer`).

The server is a thin client of the library: it keeps the editor's unsaved buffers (`documents`), asks the library's
front door for the analysis of the style they belong to, and turns what it gets back into protocol messages
(`features`, `server`). Nothing here is imported by the library.
"""
