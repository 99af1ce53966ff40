"""gpbt.codecache: the same functions as the code generator's, compiled a function at a time through a cache."""

from __future__ import annotations

import gpbt
from gpbt import codecache
from gpbt.codecache import generate_functions_cached, prepare
from gpbt.engine.runtime import Document


def _text(style: gpbt.Style, functions: tuple, seed: int) -> str:
    import random

    values = {style.topic_slot: "学生会退会"}
    return Document(style.grammar, functions, random.Random(seed), values, 800, 200_000).run()


def test_cached_functions_write_the_same_text():
    style = gpbt.load_style("zh")
    functions = generate_functions_cached(style.grammar)
    for seed in range(5):
        assert _text(style, functions, seed) == style.generate("学生会退会", seed=seed, length=800)


def test_an_edit_compiles_only_what_changed(monkeypatch):
    sources = {"a.gpbt": "@start s\n@topic t\ns:\n    {t} one {w}\nw:\n    x\n    y\n"}
    first = prepare(gpbt.load_style_from_sources(sources))
    compiled = []
    real = compile
    monkeypatch.setattr(codecache, "compile", lambda *args: compiled.append(args[0]) or real(*args),
                        raising=False)
    edited = prepare(gpbt.load_style_from_sources({"a.gpbt": sources["a.gpbt"].replace("one", "two")}))
    assert len(compiled) == 1 and "two" in compiled[0]
    assert edited.generate("T", seed=1) != first.generate("T", seed=1)
    assert edited.generate("T", seed=1) == gpbt.load_style_from_sources(
        {"a.gpbt": sources["a.gpbt"].replace("one", "two")}).generate("T", seed=1)
