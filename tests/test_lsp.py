"""The language server end to end, over a real stdio connection: diagnostics as a file is edited, across files."""

from __future__ import annotations

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

from gpbt import analyse_sources
from gpbt.loaders import shipped_root, shipped_style_names
from lsp_helpers import SERVER, copy_style, diagnostics_after, open_file, replace_all, uri

pytestmark = pytest.mark.asyncio


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER))
async def client(lsp_client: LanguageClient):
    await lsp_client.initialize_session(types.InitializeParams(capabilities=types.ClientCapabilities()))
    yield
    await lsp_client.shutdown_session()


@pytest.mark.parametrize("name", shipped_style_names())
async def test_shipped_styles_open_clean(client: LanguageClient, name: str):
    for path in sorted((shipped_root() / name).glob("*.gpbt")):
        assert await diagnostics_after(client, path, lambda: open_file(client, path)) == []


async def test_diagnostics_appear_and_disappear_as_an_edit_breaks_and_fixes_a_file(client, tmp_path):
    style = copy_style(tmp_path)
    path = style / "main.gpbt"
    text = path.read_text(encoding="utf-8")
    assert await diagnostics_after(client, path, lambda: open_file(client, path)) == []
    broken = text.replace("{标题}\\n", "{标题\\n")
    found = await diagnostics_after(client, path, lambda: replace_all(client, path, broken, 2))
    assert [d.code for d in found] == ["unclosed-reference"]
    assert found[0].severity == types.DiagnosticSeverity.Error
    (expected,) = analyse_sources({"main.gpbt": broken, "more.gpbt": (style / "more.gpbt").read_text("utf-8"),
                                   "common/words.gpbt": (style / "common/words.gpbt").read_text("utf-8")}).errors
    assert found[0].range.start == types.Position(line=expected.span.line - 1, character=expected.span.column - 1)
    assert "hint: write \\{ for a literal brace" in found[0].message
    assert await diagnostics_after(client, path, lambda: replace_all(client, path, text, 3)) == []


async def test_an_edit_in_one_file_reports_errors_in_another(client, tmp_path):
    style = copy_style(tmp_path)
    main, more = style / "main.gpbt", style / "more.gpbt"
    await diagnostics_after(client, main, lambda: open_file(client, main))
    await diagnostics_after(client, more, lambda: open_file(client, more))
    renamed = more.read_text(encoding="utf-8").replace("句子 (deck)", "句 (deck)")
    client.diagnostics.clear()
    await diagnostics_after(client, more, lambda: replace_all(client, more, renamed, 2))
    found = client.diagnostics[uri(main)]
    assert {d.code for d in found} == {"undefined-name"}
    assert "did you mean 句?" in found[0].message


async def test_same_diagnostics_as_gpbt_check(client, tmp_path):
    text = "@style x\n文章: {句子.uper}{未知}\n句子 (randm): 甲 | (0) 乙\n"
    path = tmp_path / "x.gpbt"
    path.write_text(text, encoding="utf-8")
    found = await diagnostics_after(client, path, lambda: open_file(client, path))
    expected = analyse_sources({"x.gpbt": text}).diagnostics
    assert [(d.code, d.range.start.line + 1, d.range.start.character + 1) for d in found] == \
        [(d.code, d.span.line, d.span.column) for d in expected]
    assert {d.severity for d in found} == {types.DiagnosticSeverity.Error, types.DiagnosticSeverity.Warning}


async def test_tracery_json_is_checked(client, tmp_path):
    path = tmp_path / "grammar.json"
    text = '{"origin": ["#hero# went #plce#"], "hero": ["Ann"], "place": ["home"]}'
    found = await diagnostics_after(client, path, lambda: open_file(client, path, text, language="json"))
    assert [d.code for d in found if d.severity == types.DiagnosticSeverity.Error] == ["undefined-name"]


async def test_an_empty_buffer_and_closing_a_file(client, tmp_path):
    path = tmp_path / "empty.gpbt"
    found = await diagnostics_after(client, path, lambda: open_file(client, path, ""))
    assert all(d.range.start.line == 0 for d in found)
    client.text_document_did_close(types.DidCloseTextDocumentParams(
        text_document=types.TextDocumentIdentifier(uri=uri(path))))
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    assert not client.diagnostics[uri(path)]
