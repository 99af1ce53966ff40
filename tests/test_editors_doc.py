"""docs/editors.md stays true: every editor snippet on it parses in its own language, names `gpbt lsp`, and that
command starts the server the page describes.

Each fenced block is read by its tag: `json` with json.loads (VS Code's settings), `toml` with tomllib (Helix's
`[[language]]` and `[language-server.gpbt]` keys), `lua` with a small tokenizer that checks strings, comments,
brackets and the nesting of `function … end`-style blocks (and with luac or LuaJIT when one is installed), `elisp`
with a small s-expression reader (and with Emacs in batch when it is installed: the mode is defined, a `.gpbt` file
opens in it and Eglot's server list names the server). Then the server is started as the snippets start it, with
every set of initialization options they pass: it must answer `initialize` with the capabilities of the page's
feature table and the semantic token types of its colour table, and exit cleanly. A broken snippet fails a test.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    tomllib = None

ROOT = Path(__file__).resolve().parents[1]
DOC = (ROOT / "docs" / "editors.md").read_text(encoding="utf-8")
COMMAND = ["gpbt", "lsp"]
SERVER = [sys.executable, "-m", "gpbt", "lsp"]  # `python -m gpbt` runs the `gpbt` script's main (gpbt/__main__.py)
STYLE_SCOPES = ("file", "folder")  # what gpbt/lsp/server.py accepts as initializationOptions.styleScope


def snippets(tag: str) -> list[str]:
    return re.findall(rf"^```{re.escape(tag)}\n(.*?)^```$", DOC, re.M | re.S)


def section(title: str) -> str:
    return DOC.split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]


def table_column(text: str) -> list[str]:
    """The first cell of every body row of the first Markdown table in `text`."""
    rows = [line for line in text.splitlines() if line.startswith("|")]
    return [row.split("|")[1].strip().strip("`") for row in rows[2:]]


# ---------------------------------------------------------------- Lua: a tokenizer and a block checker

LUA_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<comment>--(?:\[(?P<ceq>=*)\[.*?\](?P=ceq)\]|[^\n]*))
  | (?P<long>\[(?P<leq>=*)\[.*?\](?P=leq)\])
  | (?P<string>"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*')
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<number>0[xX][0-9a-fA-F]+|\d+(?:\.\d*)?(?:[eE][+-]?\d+)?)
  | (?P<op>\.\.\.|\.\.|==|~=|<=|>=|::|[-+*/%^\#&~|<>=(){}\[\];:,.])
""", re.S | re.X)
OPENERS = {"(": ")", "{": "}", "[": "]"}


def lua_tokens(code: str) -> list[tuple[str, str]]:
    """(kind, text) of every token; a character no token starts with (an unclosed string) is an error."""
    tokens, index = [], 0
    while index < len(code):
        match = LUA_TOKEN.match(code, index)
        if match is None:
            raise SyntaxError(f"Lua: cannot read {code[index:index + 20]!r} at offset {index}")
        kind = match.lastgroup
        if kind not in ("space", "comment"):
            tokens.append(("string" if kind == "long" else kind, match.group()))
        index = match.end()
    return tokens


def check_lua_blocks(tokens: list[tuple[str, str]]) -> None:
    """Brackets balance and nest with the blocks; every `function`, `if`, `while`, `for` and `do` has its `end`,
    every `repeat` its `until`."""
    stack: list[str] = []
    loop_header = False  # between `while`/`for` and their `do`
    for kind, text in tokens:
        if kind == "op" and text in OPENERS:
            stack.append(text)
        elif kind == "op" and text in OPENERS.values():
            if not stack or OPENERS.get(stack.pop()) != text:
                raise SyntaxError(f"Lua: unbalanced {text!r}")
        elif kind == "name" and text in ("function", "if", "repeat", "while", "for"):
            stack.append(text)
            loop_header = text in ("while", "for")
        elif kind == "name" and text == "do":
            if not loop_header:
                stack.append("do")
            loop_header = False
        elif kind == "name" and text in ("end", "until"):
            opened = stack.pop() if stack else None
            if opened in OPENERS or opened is None or (opened == "repeat") != (text == "until"):
                raise SyntaxError(f"Lua: {text!r} closes {opened!r}")
    if stack:
        raise SyntaxError(f"Lua: unclosed {stack}")


def lua_string(text: str) -> str:
    return text[1:-1]


def lua_cmd(tokens: list[tuple[str, str]]) -> list[str]:
    """The strings of the `cmd = { … }` table."""
    texts = [text for _, text in tokens]
    start = next(i for i in range(len(texts) - 2) if texts[i:i + 3] == ["cmd", "=", "{"])
    end = texts.index("}", start)
    return [lua_string(text) for kind, text in tokens[start + 3:end] if kind == "string"]


def lua_init_options(tokens: list[tuple[str, str]]) -> list[dict[str, str]]:
    """`init_options = { key = "value", … }` tables, flat ones only (all the page needs)."""
    texts = [text for _, text in tokens]
    found = []
    for i in range(len(texts) - 2):
        if texts[i:i + 3] == ["init_options", "=", "{"]:
            body = tokens[i + 3:texts.index("}", i)]
            found.append({body[j][1]: lua_string(body[j + 2][1]) for j in range(0, len(body) - 2)
                          if body[j][0] == "name" and body[j + 1][1] == "=" and body[j + 2][0] == "string"})
    return found


# ---------------------------------------------------------------- Emacs Lisp: an s-expression reader


class Symbol(str):
    """A Lisp symbol (a plain `str` is a Lisp string)."""


ELISP_TOKEN = re.compile(r"""
    (?P<space>\s+) | (?P<comment>;[^\n]*)
  | (?P<string>"(?:\\.|[^"\\])*")
  | (?P<char>\?(?:\\.|[^\\\s]))
  | (?P<open>[(\[]) | (?P<close>[)\]])
  | (?P<quote>\#'|'|`|,@|,)
  | (?P<atom>(?:\\.|[^\s()\[\]";'`,])+)
""", re.S | re.X)
QUOTES = {"'": "quote", "#'": "function", "`": "backquote", ",": "comma", ",@": "comma-at"}


def elisp_string(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), text[1:-1], flags=re.S)


def read_elisp(code: str) -> list[Any]:
    """Every top-level form: lists as Python lists, `'x` as [quote, x], symbols as `Symbol`, strings as `str`."""
    tokens = []
    for match in ELISP_TOKEN.finditer(code):
        if match.lastgroup not in ("space", "comment"):
            tokens.append((match.lastgroup, match.group()))
    if sum(len(match.group()) for match in ELISP_TOKEN.finditer(code)) != len(code):
        raise SyntaxError("Emacs Lisp: unreadable text (an unclosed string?)")
    position = 0

    def form() -> Any:
        nonlocal position
        if position >= len(tokens):
            raise SyntaxError("Emacs Lisp: a form is cut short")
        kind, text = tokens[position]
        position += 1
        if kind == "open":
            items = []
            while position < len(tokens) and tokens[position][0] != "close":
                items.append(form())
            if position >= len(tokens):
                raise SyntaxError(f"Emacs Lisp: unclosed {text!r}")
            if {"(": ")", "[": "]"}[text] != tokens[position][1]:
                raise SyntaxError(f"Emacs Lisp: {text!r} closed by {tokens[position][1]!r}")
            position += 1
            return items
        if kind == "close":
            raise SyntaxError(f"Emacs Lisp: unbalanced {text!r}")
        if kind == "quote":
            return [Symbol(QUOTES[text]), form()]
        return elisp_string(text) if kind == "string" else Symbol(text)

    forms = []
    while position < len(tokens):
        forms.append(form())
    return forms


def unquote(form: Any) -> Any:
    assert isinstance(form, list) and form[:1] == ["quote"], form
    return form[1]


def dotted(pair: list[Any]) -> list[Any]:
    """`(a . (b c))` is `(a b c)`."""
    if len(pair) >= 3 and pair[-2] == "." and isinstance(pair[-1], list):
        return pair[:-2] + pair[-1]
    return pair


def calls(forms: list[Any], head: str) -> list[list[Any]]:
    """Every list, at any depth, whose first element is the symbol `head`."""
    found = []
    for item in forms:
        if isinstance(item, list):
            if item and isinstance(item[0], Symbol) and item[0] == head:
                found.append(item)
            found += calls(item, head)
    return found


# ---------------------------------------------------------------- the snippets


def test_the_page_has_a_snippet_for_every_editor():
    assert [len(snippets(tag)) >= 1 for tag in ("json", "toml", "lua", "elisp")] == [True] * 4
    assert "pip install 'gpbt[lsp]'" in snippets("sh")[0]


def test_vs_code_settings_are_json_and_start_the_server():
    (text,) = snippets("json")
    settings = json.loads(text)
    assert [settings["glspc.server.command"], *settings["glspc.server.commandArguments"]] == COMMAND
    assert settings["files.associations"]["*.gpbt"] in settings["glspc.server.languageId"]
    assert settings["glspc.server.initializationOptions"]["styleScope"] in STYLE_SCOPES


@pytest.mark.skipif(tomllib is None, reason="tomllib needs Python 3.11 or later")
def test_helix_languages_toml():
    (text,) = snippets("toml")
    config = tomllib.loads(text)
    (language,) = config["language"]
    assert language["name"] == "gpbt" and language["scope"] == "source.gpbt"
    assert language["file-types"] == ["gpbt"] and language["language-servers"] == ["gpbt"]
    server = config["language-server"]["gpbt"]
    assert [server["command"], *server["args"]] == COMMAND
    assert server["config"]["styleScope"] in STYLE_SCOPES


@pytest.mark.parametrize("number", range(len(snippets("lua"))))
def test_neovim_lua_is_well_formed_and_starts_the_server(number):
    tokens = lua_tokens(snippets("lua")[number])
    check_lua_blocks(tokens)
    assert lua_cmd(tokens) == COMMAND
    assert ("string", '"gpbt"') in tokens  # the file type the snippet defines and starts the server for
    assert all(options.get("styleScope") in STYLE_SCOPES for options in lua_init_options(tokens))


LUA_COMPILERS = [["luac", "-p", "-"], ["luac5.4", "-p", "-"], ["luac5.3", "-p", "-"], ["luac5.1", "-p", "-"],
                 ["luajit", "-e", "assert(loadstring(io.read('*a')))"]]


@pytest.mark.parametrize("number", range(len(snippets("lua"))))
def test_neovim_lua_compiles(number):
    compiler = next((command for command in LUA_COMPILERS if shutil.which(command[0])), None)
    if compiler is None:
        pytest.skip("no luac or luajit installed (the tokenizer test above still checks the snippet)")
    done = subprocess.run(compiler, input=snippets("lua")[number], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


def test_emacs_lisp_reads_and_registers_the_server():
    (text,) = snippets("elisp")
    forms = read_elisp(text)
    (mode,) = calls(forms, "define-derived-mode")
    assert mode[1] == "gpbt-mode"
    (programs,) = [call for call in calls(forms, "add-to-list") if unquote(call[1]) == "eglot-server-programs"]
    assert dotted(unquote(programs[2])) == ["gpbt-mode", *COMMAND]
    (modes,) = [call for call in calls(forms, "add-to-list") if unquote(call[1]) == "auto-mode-alist"]
    pattern, target = unquote(modes[2])[0], unquote(modes[2])[-1]
    assert target == "gpbt-mode" and re.search(pattern.replace("\\'", r"\Z"), "文章.gpbt")
    assert [unquote(call[1]) for call in calls(forms, "with-eval-after-load")] == ["eglot"]


def test_emacs_loads_the_snippet(tmp_path):
    if shutil.which("emacs") is None:
        pytest.skip("Emacs is not installed (the reader test above still checks the snippet)")
    (tmp_path / "gpbt.el").write_text(snippets("elisp")[0], encoding="utf-8")
    (tmp_path / "a.gpbt").write_text("# c\n文章: {句子}\n", encoding="utf-8")
    probe = (f'(progn (defvar eglot-server-programs nil) (defun eglot-ensure () (princ "ensure\\n")) '
             f'(provide (quote eglot)) (load "{tmp_path / "gpbt.el"}" nil t) (find-file "{tmp_path / "a.gpbt"}") '
             '(font-lock-ensure) (princ (format "%s %S %S\\n" major-mode eglot-server-programs '
             '(get-text-property 1 (quote face)))))')
    done = subprocess.run(["emacs", "--batch", "-Q", "--eval", probe], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ['ensure', 'gpbt-mode ((gpbt-mode "gpbt" "lsp")) font-lock-comment-face']


# ---------------------------------------------------------------- the server they start

CAPABILITIES = {
    "diagnostics": lambda c: c["textDocumentSync"]["openClose"] and c["textDocumentSync"]["change"] in (1, 2),
    "go to definition": lambda c: c["definitionProvider"],
    "find references": lambda c: c["referencesProvider"],
    "rename": lambda c: c["renameProvider"],
    "hover": lambda c: c["hoverProvider"],
    "completion": lambda c: c["completionProvider"],
    "symbols": lambda c: c["documentSymbolProvider"] and c["workspaceSymbolProvider"],
    "code actions": lambda c: c["codeActionProvider"]["codeActionKinds"] == ["quickfix"],
    "semantic tokens": lambda c: c["semanticTokensProvider"]["full"],
}


def all_initialization_options() -> list[dict[str, Any]]:
    """The options each snippet passes (an editor without any passes none)."""
    found = [{}, json.loads(snippets("json")[0])["glspc.server.initializationOptions"]]
    if tomllib is not None:
        found.append(tomllib.loads(snippets("toml")[0])["language-server"]["gpbt"]["config"])
    for text in snippets("lua"):
        found += lua_init_options(lua_tokens(text))
    return [dict(options) for options in {json.dumps(o, sort_keys=True): o for o in found}.values()]


def frame(message: dict[str, Any]) -> bytes:
    body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def replies(stdout: bytes) -> dict[int, Any]:
    found = {}
    for body in re.split(rb"Content-Length: \d+\r\n(?:[^\r\n]+\r\n)*\r\n", stdout)[1:]:
        message = json.loads(body)
        if "id" in message and "method" not in message:
            found[message["id"]] = message.get("result")
    return found


def test_the_command_is_the_gpbt_script_and_takes_help():
    assert 'gpbt = "gpbt.cli:main"' in (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    done = subprocess.run([*SERVER, "--help"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "language server" in done.stdout


def initialize(options: dict[str, Any]) -> dict[str, Any]:
    """Start the server as the snippets do, initialize it with `options`, shut it down; its capabilities."""
    messages = [frame({"id": 1, "method": "initialize", "params": {"capabilities": {},
                                                                  "initializationOptions": options}}),
                frame({"method": "initialized", "params": {}}),
                frame({"id": 2, "method": "shutdown"}), frame({"method": "exit"})]
    done = subprocess.run(SERVER, input=b"".join(messages), capture_output=True, timeout=60, cwd=ROOT)
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    answers = replies(done.stdout)
    assert answers[2] is None
    return answers[1]["capabilities"]


def test_the_server_starts_with_the_options_the_snippets_pass():
    features = table_column(section("What it does"))
    assert sorted(features) == sorted(CAPABILITIES)
    for options in all_initialization_options():
        capabilities = initialize(options)
        assert [feature for feature in features if not CAPABILITIES[feature](capabilities)] == [], options
        legend = capabilities["semanticTokensProvider"]["legend"]
        assert table_column(section("Colours")) == legend["tokenTypes"]
        assert legend["tokenModifiers"] == ["declaration"] and "`declaration` modifier" in section("Colours")
