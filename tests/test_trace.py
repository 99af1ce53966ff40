"""`--trace`: every span of output names the rule, the alternative's file:line and the choice; the spans
concatenate back to the essay exactly, and tracing does not change the text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import gpbt
from conftest import FIXTURES
from gpbt.cli import main

DEMO = FIXTURES / "demo.gpbt"


@pytest.mark.parametrize("spec", [DEMO, "zh", "en", "ja"], ids=str)
def test_spans_concatenate_to_the_essay_and_text_is_unchanged(spec):
    style = gpbt.load_style(spec)
    for seed in range(5):
        essay = style.essay("学生会退会", seed=seed, length=1500, trace=True, slots=_slots(style))
        assert essay.text == style.generate("学生会退会", seed=seed, length=1500, slots=_slots(style))
        assert "".join(span["text"] for span in essay.trace) == essay.text
        offsets = [(span["start"], span["end"]) for span in essay.trace]
        assert offsets[0][0] == 0 and offsets[-1][1] == len(essay.text)
        assert all(end == next_start for (_, end), (next_start, _) in zip(offsets, offsets[1:]))


def _slots(style: gpbt.Style) -> dict[str, str]:
    return {"作者": "测试"} if "作者" in style.definition.slots else {}


def test_literal_spans_point_at_the_line_that_holds_their_text():
    essay = gpbt.load_style(DEMO).essay("题目", seed=3, trace=True)
    checked = 0
    for span in essay.trace:
        plain = "binding" not in span and "modifiers" not in span
        if "rule" in span and span["text"].strip() and "\n" not in span["text"] and plain:
            lines = Path(span["file"]).read_text(encoding="utf-8").split("\n")
            assert span["text"] in lines[span["line"] - 1].replace("\\(", "(").replace("\\)", ")"), span
            checked += 1
    assert checked > 20


def test_slots_and_bindings_are_named():
    style = gpbt.load_style(DEMO)
    spans = [span for seed in range(10) for span in style.essay("题目", seed=seed, trace=True).trace]
    assert {"slot": "主题"}.items() <= next(s for s in spans if s.get("slot") == "主题").items()
    assert any(span.get("binding") == "说话人" and span["text"] in ("孔子", "老子", "庄子") for span in spans)
    assert any(span.get("modifiers") == ".quote" and span["text"].startswith("“") for span in spans)
    assert all(span["alternative"] >= 1 for span in spans if "rule" in span)


def test_cli_trace_json():
    result = CliRunner().invoke(main, ["generate", "题目", "--style", str(DEMO), "--seed", "2", "--format", "json",
                                       "--trace", "-n", "300"])
    record = json.loads(result.output)
    assert "".join(span["text"] for span in record["trace"]) == record["text"]
    assert {"start", "end", "text"} <= set(record["trace"][0])


def test_trace_needs_json():
    result = CliRunner().invoke(main, ["generate", "题目", "--style", str(DEMO), "--trace"])
    assert result.exit_code == 2 and "--format json" in result.output
