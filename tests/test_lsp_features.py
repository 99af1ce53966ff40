"""Navigation, rename, hover, completion, symbols, code actions and semantic tokens, over a real stdio connection,
on a multi-file fixture style (with an include) and on the shipped zh style."""

from __future__ import annotations

import pytest
import pytest_asyncio
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

from gpbt.loaders import shipped_root
from lsp_helpers import SERVER, copy_style, diagnostics_after, open_file, position_of, uri

pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest_lsp.fixture(scope="module", config=ClientServerConfig(server_command=SERVER))
async def client(lsp_client: LanguageClient):
    await lsp_client.initialize_session(types.InitializeParams(capabilities=types.ClientCapabilities()))
    yield
    await lsp_client.shutdown_session()


@pytest.fixture(scope="module")
def style(tmp_path_factory):
    return copy_style(tmp_path_factory.mktemp("lsp"))


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def opened(client, style):
    """The fixture style with both of its files open."""
    for name in ("main.gpbt", "more.gpbt"):
        path = style / name
        await diagnostics_after(client, path, lambda: open_file(client, path))
    return style


def doc(path):
    return types.TextDocumentIdentifier(uri=uri(path))


def at(path, needle, nth=0, offset=0):
    return position_of(path.read_text(encoding="utf-8"), needle, nth, offset)


async def test_definition_of_a_rule_across_files(client, opened):
    main = opened / "main.gpbt"
    found = await client.text_document_definition_async(types.DefinitionParams(text_document=doc(main), position=at(main, "{句子}", 0, 1)))
    assert [(loc.uri, loc.range.start.line) for loc in found] == [(uri(opened / "more.gpbt"), 0)]


async def test_definition_of_a_rule_in_an_included_file(client, opened):
    more = opened / "more.gpbt"
    found = await client.text_document_definition_async(types.DefinitionParams(text_document=doc(more), position=at(more, "开场", 0, 1)))
    assert [loc.uri for loc in found] == [uri(opened / "common" / "words.gpbt")]


async def test_definition_of_a_slot_and_of_an_include(client, opened):
    more, main = opened / "more.gpbt", opened / "main.gpbt"
    slot = await client.text_document_definition_async(types.DefinitionParams(text_document=doc(more), position=at(more, "{作者}", 0, 1)))
    assert [(loc.uri, loc.range.start) for loc in slot] == [(uri(main), at(main, "作者"))]
    include = await client.text_document_definition_async(types.DefinitionParams(text_document=doc(main), position=at(main, "common/")))
    assert [loc.uri for loc in include] == [uri(opened / "common" / "words.gpbt")]


async def test_references_of_a_rule(client, opened):
    main = opened / "main.gpbt"
    found = await client.text_document_references_async(types.ReferenceParams(
        text_document=doc(main), position=at(main, "{句子}", 0, 1),
        context=types.ReferenceContext(include_declaration=True)))
    assert sorted((loc.uri.rsplit("/", 1)[1], loc.range.start.line) for loc in found) == \
        [("main.gpbt", 12), ("main.gpbt", 12), ("main.gpbt", 13), ("more.gpbt", 0)]


async def test_rename_across_files_and_a_refused_clash(client, opened):
    more = opened / "more.gpbt"
    edit = await client.text_document_rename_async(types.RenameParams(text_document=doc(more), position=at(more, "句子"), new_name="语句"))
    assert {name.rsplit("/", 1)[1]: len(edits) for name, edits in edit.changes.items()} == \
        {"main.gpbt": 3, "more.gpbt": 1}
    assert all(e.new_text == "语句" for edits in edit.changes.values() for e in edits)
    with pytest.raises(Exception, match="already a rule"):
        await client.text_document_rename_async(types.RenameParams(text_document=doc(more), position=at(more, "句子"), new_name="开场"))


async def test_hover_on_a_rule_a_modifier_and_a_slot(client, opened):
    main, more = opened / "main.gpbt", opened / "more.gpbt"
    rule = await client.text_document_hover_async(types.HoverParams(text_document=doc(main), position=at(main, "段落 (random)")))
    text = rule.contents.value
    assert "alternatives: 2" in text and "random" in text and "weights: 2, 1" in text
    assert "distinct expansions" in text and "shortest" in text and "used per essay" in text
    modifier = await client.text_document_hover_async(types.HoverParams(text_document=doc(more), position=at(more, "upper", 0, 1)))
    assert "upper-case" in modifier.contents.value
    slot = await client.text_document_hover_async(types.HoverParams(text_document=doc(more), position=at(more, "{作者}", 0, 1)))
    assert "default `鲁迅`" in slot.contents.value and "main.gpbt:4" in slot.contents.value


async def completion_labels(client, path, position):
    found = await client.text_document_completion_async(types.CompletionParams(text_document=doc(path), position=position))
    return {item.label for item in found.items}


async def test_completion_in_each_place(client, opened):
    more = opened / "more.gpbt"
    names = await completion_labels(client, more, at(more, "{开场}", 0, 1))
    assert {"句子", "开场", "形容词", "文章", "主题", "作者"} <= names
    modifiers = await completion_labels(client, more, at(more, ".upper", 0, 1))
    assert {"upper", "capitalize", "replace"} <= modifiers and "句子" not in modifiers
    policies = await completion_labels(client, more, at(more, "(deck)", 0, 1))
    assert {"deck", "random", "no-repeat", "once", "unique"} <= policies and "句子" not in policies
    main = opened / "main.gpbt"
    directives = await completion_labels(client, main, at(main, "@style", 0, 1))
    assert {"@style", "@include", "@slot", "@topic"} <= directives
    assert await completion_labels(client, main, at(main, "之我见")) == set()


async def test_document_and_workspace_symbols(client, opened):
    main = opened / "main.gpbt"
    symbols = await client.text_document_document_symbol_async(types.DocumentSymbolParams(text_document=doc(main)))
    assert [s.name for s in symbols] == ["文章", "标题", "段落"]
    assert symbols[2].range.end.line == 13
    found = await client.workspace_symbol_async(types.WorkspaceSymbolParams(query="形容"))
    assert [(s.name, s.location.uri) for s in found] == [("形容词", uri(opened / "common" / "words.gpbt"))]


async def test_semantic_tokens_of_the_fixture(client, opened):
    more = opened / "more.gpbt"
    legend = ["function", "parameter", "variable", "method", "keyword", "string", "enumMember", "number", "comment"]
    tokens = await client.text_document_semantic_tokens_full_async(types.SemanticTokensParams(text_document=doc(more)))
    data, line, start, kinds = tokens.data, 0, 0, []
    for i in range(0, len(data), 5):
        line = line + data[i]
        start = data[i + 1] if data[i] else start + data[i + 1]
        kinds.append((line, start, legend[data[i + 3]]))
    assert (0, 0, "function") in kinds and (0, 4, "enumMember") in kinds
    assert (1, 5, "function") in kinds and (1, 9, "parameter") in kinds and (1, 18, "method") in kinds
    assert (2, 5, "variable") in kinds


async def test_code_actions_for_a_misspelt_reference(client, tmp_path):
    path = tmp_path / "typo.gpbt"
    text = "文章: {开场白}{结尾}\n开场: 你好\n"
    found = await diagnostics_after(client, path, lambda: open_file(client, path, text))
    assert {d.code for d in found if d.severity == types.DiagnosticSeverity.Error} == {"undefined-name"}
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=doc(path),
        range=types.Range(start=types.Position(line=0, character=0), end=types.Position(line=0, character=9)),
        context=types.CodeActionContext(diagnostics=found)))
    titles = [a.title for a in actions]
    assert "Change to '开场'" in titles and "Define rule '开场白'" in titles and "Define rule '结尾'" in titles
    fix = next(a for a in actions if a.title == "Change to '开场'")
    (edit,) = fix.edit.changes[uri(path)]
    assert (edit.range.start.character, edit.range.end.character, edit.new_text) == (5, 8, "开场")


async def test_hover_and_definition_on_the_shipped_zh_style(client):
    path = shipped_root() / "zh" / "句子.gpbt"
    await diagnostics_after(client, path, lambda: open_file(client, path))
    hover = await client.text_document_hover_async(types.HoverParams(text_document=doc(path), position=at(path, "{名言}", 0, 1)))
    assert "alternatives" in hover.contents.value and "distinct expansions" in hover.contents.value
    found = await client.text_document_definition_async(types.DefinitionParams(text_document=doc(path), position=at(path, "{名言}", 0, 1)))
    assert found[0].uri == uri(shipped_root() / "zh" / "名言.gpbt")
