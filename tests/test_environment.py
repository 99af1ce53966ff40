"""The front door: a style from text in memory is loaded, checked, generated, traced and measured without touching the
disk; an Environment re-parses only what changed and may bring its own modifiers; every error is a GpbtError that
carries its exit code."""

from __future__ import annotations

import builtins
import io
import pathlib

import pytest

import gpbt
from gpbt.readers import rules as rule_reader
from gpbt.source import SourceFile

MAIN = """@topic 主题
@include common/words.gpbt
文章: {开头}{句子*3 " "}
开头: 论{主题}：
"""
WORDS = """句子 (random): {主题}很{形容词}。 | 我们都{形容词}。
形容词: 重要 | 复杂 | 有趣
"""
SOURCES = {"main.gpbt": MAIN, "common/words.gpbt": WORDS}


@pytest.fixture
def no_disk(monkeypatch):
    """Any attempt to read a file fails the test (the rule language's own lark grammar, which ships inside gpbt, is
    read first)."""
    rule_reader.lark_parser()

    def refuse(*args, **kwargs):
        raise AssertionError(f"the disk was read: {args[:1]}")

    monkeypatch.setattr(builtins, "open", refuse)
    monkeypatch.setattr(io, "open", refuse)
    monkeypatch.setattr(pathlib.Path, "read_bytes", refuse)
    monkeypatch.setattr(pathlib.Path, "read_text", refuse)


def test_a_style_from_sources_is_loaded_generated_and_traced_without_the_disk(no_disk):
    style = gpbt.load_style_from_sources(SOURCES, name="memo")
    text = style.generate("猫", seed=3)
    assert text.startswith("论猫：") and style.name == "memo"
    essay = style.essay("猫", seed=3, trace=True)
    assert essay.text == text
    assert {span.get("file") for span in essay.trace} >= {"main.gpbt", "common/words.gpbt"}
    assert style.stats().rules and "def r0(ex, depth)" in style.python_source()


def test_analyse_sources_reports_every_problem_with_its_source_name():
    analysis = gpbt.analyse_sources({"main.gpbt": MAIN.replace("{形容词}", "{形容}"), "common/words.gpbt": WORDS})
    assert analysis.errors == []  # 形容词 is only renamed in main.gpbt, which does not use it
    broken = gpbt.analyse_sources({"main.gpbt": MAIN, "common/words.gpbt": WORDS.replace("{形容词}", "{形容}")})
    problem = broken.errors[0]
    assert (problem.code, problem.span.path, problem.span.line) == ("undefined-name", "common/words.gpbt", 1)
    assert problem.hint == "did you mean 形容词?"


def test_an_include_names_only_the_sources_given():
    analysis = gpbt.analyse_sources({"main.gpbt": "@include /etc/passwd\na: x\n"})
    problem, = analysis.errors
    assert problem.code == "missing-include" and problem.span.path == "main.gpbt"


def test_sources_in_folders_are_reached_by_include_only():
    style = gpbt.load_style_from_sources({"a.gpbt": "a: x\n", "lib/b.gpbt": "b: y\n"})
    assert set(style.definition.rules) == {"a"}


def test_a_tracery_grammar_from_a_string():
    style = gpbt.load_style_from_sources({"g.json": '{"origin": ["#a# and #a#"], "a": ["x"]}'})
    assert style.generate(seed=1) == "x and x"


def test_an_environment_reparses_only_what_changed(monkeypatch):
    calls, records = [], []
    original, original_record = rule_reader.parse_rules, rule_reader.parse_record
    monkeypatch.setattr(rule_reader, "parse_rules", lambda source, known=None, kept=None: calls.append(source.path)
                        or original(source, known, kept))
    monkeypatch.setattr(rule_reader, "parse_record", lambda text: records.append(text.strip().split("\n")[0])
                        or original_record(text))
    env = gpbt.Environment(gpbt.DictLoader(SOURCES))
    first = env.analyse()
    assert sorted(calls) == ["common/words.gpbt", "main.gpbt"]
    calls.clear()
    records.clear()
    env.loader = gpbt.DictLoader({**SOURCES, "main.gpbt": MAIN + "多余: 无\n"})
    analysis = env.analyse()
    assert calls == ["main.gpbt"] and "多余" in analysis.definition.rules
    assert records == ["多余: 无"]  # of the edited file, only the new record is parsed
    assert [d.code for d in analysis.diagnostics] == [d.code for d in first.diagnostics] + ["unreachable-rule"]


def test_an_environment_brings_its_own_modifiers():
    def shout(text: str) -> str:
        """Adds three exclamation marks."""
        return text + "!!!"

    env = gpbt.Environment(gpbt.DictLoader({"s.gpbt": "s: {w.shout}\nw: hi\n"}), modifiers={"shout": shout})
    assert env.load().generate(seed=1) == "hi!!!"
    with pytest.raises(gpbt.RuleFileError):  # other environments do not see it
        gpbt.load_style_from_sources({"s.gpbt": "s: {w.shout}\nw: hi\n"})


def test_the_builtin_modifier_registry_is_read_only():
    from gpbt.modifiers import REGISTRY

    with pytest.raises(TypeError):
        REGISTRY["x"] = REGISTRY["upper"]  # type: ignore[index]


def test_errors_carry_their_exit_codes():
    assert gpbt.RuleFileError([]).exit_code == 1
    usage = gpbt.UsageError("no such rule", "unknown-rule")
    assert usage.exit_code == 2 and isinstance(usage, ValueError) and isinstance(usage, gpbt.GpbtError)
    with pytest.raises(gpbt.UsageError):
        gpbt.load_style("zh").stats(sentence="没有这个规则")


def test_an_unknown_source_name_is_a_style_not_found_error():
    with pytest.raises(gpbt.StyleNotFoundError):
        gpbt.Environment(gpbt.DictLoader({"a.gpbt": "a: x\n"})).load("b.gpbt")


def test_an_editing_session_keeps_only_the_records_of_each_files_last_text():
    env = gpbt.Environment(gpbt.DictLoader(SOURCES))
    for typed in range(50):  # a writer typing into the main file, one character at a time
        env.loader = gpbt.DictLoader({**SOURCES, "main.gpbt": MAIN + "多余: 无" + "字" * typed + "\n"})
        env.analyse()
    kept = env._records
    assert set(kept) == {"main.gpbt", "common/words.gpbt"}
    assert len(kept["main.gpbt"]) == len(rule_reader.split_records(SourceFile("main.gpbt", MAIN + "多余: 无\n")))


def test_an_essay_is_an_immutable_comparable_picklable_record():
    import pickle
    import weakref

    essay = gpbt.load_style("zh").essay("猫", seed=3, length=200)
    with pytest.raises(AttributeError):
        essay.text = "changed"  # type: ignore[misc]
    again = pickle.loads(pickle.dumps(essay))  # what a worker process sends back
    assert again == essay and hash(again) == hash(essay) and again is not essay
    assert weakref.ref(essay)() is essay
    shorter = essay.replace(text="短")
    assert (shorter.text, shorter.seed, shorter.topic, shorter.length) == ("短", 3, "猫", 1) and shorter != essay
    assert repr(essay).startswith("Essay(text=")
