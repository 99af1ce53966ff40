"""Bad input gets a clear error, never a traceback or a hang (hypothesis): arbitrary rule-file text either loads or
raises RuleFileError with positions; random well-formed grammars (recursion, bindings, modifiers, fills, every
policy, unique) either generate or raise GenerationError, and the traced text equals the generated text."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gpbt

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

# the characters that matter to the syntax, plus some text, blanks and line breaks
PIECES = st.sampled_from(list("{}[]()|:：.*=,\"#@\\/-") + ["a", "b", "名", "\n", "\n    ", " ", "fill", "3", "1-2",
                                                          "a:", "b:", "{a}", "{b}", "(2)", "[x = {a}]", "{x}",
                                                          "@slot s", "@start b", "\\n", "(random)", "(unique)", "@"])
NAMES = ["a", "b", "c", "名"]
REFERENCE = st.sampled_from(NAMES).flatmap(lambda name: st.sampled_from([
    "{%s}" % name, "{%s*0-2}" % name, "{%s*2 \"-\"}" % name, "{%s*fill}" % name, "{%s.s}" % name,
    "{%s.capitalize}" % name, "{%s.replace(x,y)}" % name, "[{%s}]" % name, "[h = {%s}]" % name,
    "[h := {%s} | w]" % name]))
PIECE = st.one_of(REFERENCE, st.sampled_from(["x", "yy", "字", "，", "{h}", "[/h]", "{s}", "\\{", "(2) "]))
ALTERNATIVE = st.lists(PIECE, max_size=5).map(lambda parts: "".join(parts) or "z")
POLICY = st.sampled_from(["", " (random)", " (deck)", " (once)", " (no-repeat)", " (random unique)", " (unique)"])
RULE = st.tuples(POLICY, st.lists(ALTERNATIVE, min_size=1, max_size=4))


def grammar_text(rules: list) -> str:
    text = "@slot s = v\nh: fallback\n"
    for name, (policy, alternatives) in zip(NAMES, rules):
        text += f"{name}{policy}:\n" + "".join(f"    {alternative}\n" for alternative in alternatives)
    return text


@FUZZ
@given(text=st.lists(PIECES, max_size=40).map("".join))
def test_any_text_loads_or_reports_positions(tmp_path, text):
    path = tmp_path / "fuzz.gpbt"
    path.write_text(text, encoding="utf-8")
    try:
        gpbt.load_style(path)
    except gpbt.RuleFileError as error:
        assert error.diagnostics
        for diagnostic in error.diagnostics:
            assert diagnostic.render()
            if diagnostic.span is not None:
                assert diagnostic.span.path == str(path) and diagnostic.span.line >= 1


@FUZZ
@given(rules=st.lists(RULE, min_size=1, max_size=4), seed=st.integers(0, 1000))
def test_random_grammars_generate_or_report_and_trace_agrees(tmp_path, rules, seed):
    path = tmp_path / "fuzz.gpbt"
    path.write_text(grammar_text(rules), encoding="utf-8")
    try:
        style = gpbt.load_style(path)
    except gpbt.RuleFileError:
        return
    try:
        text = style.generate("题目", seed=seed, length=60)
    except gpbt.GenerationError as error:
        assert error.render()
        return
    traced = style.essay("题目", seed=seed, length=60, trace=True)
    assert traced.text == text == "".join(span["text"] for span in traced.trace)
