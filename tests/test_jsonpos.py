"""gpbt/readers/jsonpos.py: JSON with the line and column of every decoded character, errors at the first token that
cannot stand where it is, and no lark on the way (loading a Tracery grammar must stay cheap)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import gpbt
from gpbt.errors import RuleFileError
from gpbt.readers.jsonpos import JAtom, JList, JObject, JString, parse_json
from gpbt.source import SourceFile

ROOT = Path(gpbt.__file__).resolve().parents[1]


def parse(text: str):
    return parse_json(SourceFile.from_text("t.json", text))


def error(text: str) -> tuple[int, int, str]:
    with pytest.raises(RuleFileError) as info:
        parse(text)
    (diagnostic,) = info.value.diagnostics
    assert diagnostic.code == "json-syntax"
    return diagnostic.span.line, diagnostic.span.column, diagnostic.message


def test_columns_of_plain_cjk_and_escaped_characters():
    top = parse('{"漢字": "中#名#"}')
    key, value = top.pairs[0]
    assert key.value == "漢字" and key.line == 1 and key.columns == (3, 4, 5)  # columns[-1]: the closing quote
    assert value.value == "中#名#" and value.columns == (9, 10, 11, 12, 13)
    assert (value.span.column, value.span.end_column) == (8, 14)  # the quotes included
    assert (value.span_of(1, 4).column, value.span_of(1, 4).end_column) == (10, 13)  # "#名#"


def test_escapes_and_surrogate_pairs_keep_the_column_of_their_backslash():
    text = r'["a\u00e9\ud83d\ude00\n\"\\#x#", "\ud83d"]'
    #        1234567890123456789012345678901234567890
    string, lone = parse(text).items
    assert string.value == "aé😀\n\"\\#x#"
    assert string.columns == (3, 4, 10, 22, 24, 26, 28, 29, 30, 31)
    assert string.span_of(2, 3).column == 10 and string.span_of(7, 8).column == 29  # 😀 and the x of #x#
    assert lone.value == "\ud83d" and lone.columns == (35, 41)  # a lone surrogate stays, as before


def test_lines_blanks_atoms_and_nested_spans():
    top = parse('{\r\n  "a": [1, -2.5e3, true, null],\n\t"b": {"c": "d"}\n}')
    (a, items), (b, inner) = top.pairs
    assert (a.line, a.columns[0], b.line, b.columns[0]) == (2, 4, 3, 3)
    assert isinstance(items, JList) and [item.value for item in items.items] == [1, -2500.0, True, None]
    assert all(isinstance(item, JAtom) for item in items.items)
    assert repr(items.items[1].span) == "Span(t.json:2:12-2:18)"
    assert isinstance(inner, JObject) and repr(inner.span) == "Span(t.json:3:7-3:17)"
    assert repr(top.span) == "Span(t.json:1:1-4:2)"


def test_duplicate_keys_are_all_kept_in_order():
    top = parse('{"a": "1", "a": "2"}')
    assert [(key.value, value.value) for key, value in top.pairs] == [("a", "1"), ("a", "2")]


@pytest.mark.parametrize("text, where", [
    ('{"origin": ["a",\n  "b" "c"]}', (2, 7, "unexpected '\"'")),
    ('{"a" 1}', (1, 6, "unexpected '1'")),
    ("{,}", (1, 2, "unexpected ','")),
    ("[1,]", (1, 4, "unexpected ']'")),
    ('{"a":1,}', (1, 8, "unexpected '}'")),
    ('{"a": [1, 2]}x', (1, 14, "unexpected 'x'")),
    ('{"a":"b"}}', (1, 10, "unexpected '}'")),
    ("[1 2]", (1, 4, "unexpected '2'")),
    ("[1}", (1, 3, "unexpected '}'")),
    ("tru", (1, 1, "unexpected 't'")),
    ("truex", (1, 5, "unexpected 'x'")),
    ("01", (1, 2, "unexpected '1'")),
    ("-", (1, 1, "unexpected '-'")),
    ("1.", (1, 2, "unexpected '.'")),
    ("{'a': 1}", (1, 2, "unexpected \"'\"")),
    ('{"a"\n  :\n  }', (3, 3, "unexpected '}'")),
    ("\ufeff{}", (1, 1, "unexpected '\\ufeff'")),  # a BOM inside the text (a file's own is dropped on reading)
    ('["abc', (1, 2, "unexpected '\"'")),  # a string not closed on its line
    ('["ab\nc"]', (1, 2, "unexpected '\"'")),
    ('{\n"a": "x\\', (2, 6, "unexpected '\"'")),
    # truncated: the end of the file, just past the last token
    ("", (1, 1, "unexpected end of file")),
    ("  \n ", (1, 1, "unexpected end of file")),
    ('{"a": 1', (1, 8, "unexpected end of file")),
    ('{\n  "a": [1, {"b": ', (2, 17, "unexpected end of file")),
    ('{\n  "origin": ["x",\n\n', (2, 18, "unexpected end of file")),
])
def test_syntax_errors_point_at_the_first_token_that_cannot_stand_there(text, where):
    line, column, message = where
    assert error(text) == (line, column, f"invalid JSON: {message}")


def test_a_bad_escape_is_reported_once_the_syntax_is_right():
    with pytest.raises(RuleFileError) as info:
        parse('{"a": ["x\\qy", "\\u12"]}')
    (diagnostic,) = info.value.diagnostics
    assert (diagnostic.span.column, diagnostic.span.end_column) == (10, 12)
    assert diagnostic.message == "invalid JSON escape '\\q'" and "\\\\" in diagnostic.hint
    assert error('{"a": "\\q"} x') == (1, 13, "invalid JSON: unexpected 'x'")  # the syntax error comes first
    assert error('"\\u12"')[:2] == (1, 2)


def test_rendered_error_is_unchanged(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{"origin": ["a \\q", "漢字" "b"]}', encoding="utf-8")
    with pytest.raises(RuleFileError) as info:
        gpbt.Environment(cache=False).load(path)
    assert info.value.diagnostics[0].render() == (
        f"{path}:1:26: error: invalid JSON: unexpected '\"' [json-syntax]\n"
        '{"origin": ["a \\q", "漢字" "b"]}\n'
        "                           ^")


def test_deep_nesting_and_big_files():
    depth = 100_000  # far past Python's recursion limit
    top = parse("[" * depth + '"x"' + "]" * depth)
    for _ in range(depth):
        top = top.items[0]
    assert isinstance(top, JString) and top.columns == (depth + 2, depth + 3)
    assert isinstance(parse('{"a": ' + "1" * 5000 + "}").pairs[0][1].value, float)  # past int()'s digit limit
    big = {f"k{i}": [f"#v{i}# \\u00e9 漢字" * 3 for _ in range(10)] for i in range(3000)}
    top = parse(json.dumps(big, indent=1, ensure_ascii=False))
    assert len(top.pairs) == 3000 and top.pairs[-1][1].items[-1].value == big["k2999"][-1]


def test_loading_a_tracery_grammar_does_not_import_lark(tmp_path):
    grammar = tmp_path / "g.json"
    grammar.write_text('{"origin": ["#greeting#, world"], "greeting": ["hello", "hi"]}', encoding="utf-8")
    code = ("import sys, gpbt; style = gpbt.Environment(cache=False).load(sys.argv[1]); "
            "assert style.generate(seed=1).endswith('world'); "
            "print(sorted(name for name in sys.modules if name.split('.')[0] in ('lark', 'interegular')))")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run([sys.executable, "-c", code, str(grammar)], capture_output=True, text=True, env=env,
                          cwd=tmp_path, check=True)
    assert done.stdout.strip() == "[]"
