"""User text never escapes into the generated Python: a Tracery key can hold anything (line breaks, quotes,
backslashes, U+2028, code), and rule and binding names reach the generated source only as escaped comments or reprs.
Numbers too: weights whose total overflows are refused, so the draw never reads `inf`."""

from __future__ import annotations

import json

import pytest

import gpbt
from gpbt.engine.codegen import generate_functions, python_source

KEYS = ["a\n", "b\u2028c", 'd"""', "e'''", "f#", "g\\", "x\nimport os", "h\ndef r0(ex, depth):\n    raise SystemExit",
        "i\u0085", "j\\n", "k # not a comment"]


def _tag(key: str) -> str:
    """`#key#` with Tracery's escapes: a backslash makes the next character literal."""
    return "#" + key.replace("\\", "\\\\").replace("#", "\\#") + "#"


@pytest.fixture
def hostile(tmp_path):
    """A Tracery grammar whose symbols (and a pushed name) are named by every key above."""
    grammar = {key: [f"v{k}", f"w{k}"] if k % 2 else [f"v{k}"] for k, key in enumerate(KEYS)}
    push = 'p\n"""\\'
    grammar["origin"] = [" ".join(_tag(key) for key in KEYS) + f" [{push.replace(chr(92), chr(92) * 2)}:"
                         f"{_tag(KEYS[0])}]{_tag(push)}"]
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(grammar), encoding="utf-8")
    return path


def _expected(text: str) -> bool:
    """`v0 w1 v2 …` (one word per key, in order) and the pushed value `v0`."""
    *words, pushed = text.split(" ")
    return len(words) == len(KEYS) and pushed == "v0" and \
        all(word[1:] == str(k) and word[0] in "vw" for k, word in enumerate(words))


def test_hostile_names_load_compile_and_generate(hostile):
    style = gpbt.load_style(hostile)
    texts = {style.generate(seed=seed) for seed in range(30)}
    assert all(_expected(text) for text in texts) and len(texts) > 1
    traced = style.essay(seed=3, trace=True)  # the traced module names every alternative in its comments
    assert traced.text == style.generate(seed=3)
    assert {span["rule"] for span in traced.trace if "rule" in span} >= set(KEYS) - {"j\\n"} | {"origin"}


def test_generated_source_compiles_and_holds_no_raw_name(hostile):
    source = python_source(gpbt.load_style(hostile).grammar)
    compile(source, "<generated>", "exec")
    lines = source.splitlines()
    assert "import os" not in lines and not any(line.startswith(("import", "    raise")) for line in lines)
    assert "\u2028" not in source and "\x85" not in source
    assert any(line.endswith("# x\\nimport os") for line in lines)
    assert any(line.endswith("# h\\ndef r0(ex, depth):\\n    raise SystemExit") for line in lines)


@pytest.mark.parametrize("character", ["\r", "\x00", "\x0c"])
def test_control_characters_in_names_are_refused_with_a_position(tmp_path, character):
    path = tmp_path / "g.json"
    path.write_text(json.dumps({"origin": ["#x#"], "x": ["a"], f"y{character}": ["b"]}), encoding="utf-8")
    with pytest.raises(gpbt.RuleFileError) as info:
        gpbt.load_style(path)
    problem, = info.value.diagnostics
    assert problem.code == "control-character" and problem.span.line == 1


@pytest.mark.parametrize("character", ["\r", "\x00", "\x0c", "\u2028", "\n"])
def test_codegen_escapes_any_name_it_is_given(make_style, character):
    """The checker refuses control characters in names; the generator does not count on it."""
    style = make_style("doc (random): {x} {x}\nx (random): a | b\n")
    name = f"r{character}import os{character}"
    rules = tuple(rule.replace(name=name) for rule in style.grammar.rules)
    grammar = style.grammar._replace(rules=rules)
    source = python_source(grammar)
    compile(source, "<generated>", "exec")
    assert (character == "\n" or character not in source) and "import os" not in source.splitlines()
    assert generate_functions(grammar)


def test_weights_that_overflow_together_are_refused(load_errors):
    big = "9" * 308  # each weight is a float, their sum is not
    problem, = load_errors(f"doc (random): ({big}) a | ({big}) b | c\n")
    assert problem.code == "bad-weight" and problem.span.line == 1 and "add up" in problem.message
