"""The command line under bad or surprising input: topics, usage errors, help, colour, exact bytes, separators and
short targets. Each case asserts the exit code, the message and that no traceback is shown."""

from __future__ import annotations

import json
import subprocess

import gpbt
from bad_input_helpers import gpbt_process, refused, run
from conftest import DEMO, FIXTURES


def test_missing_topic_is_a_usage_error_naming_the_argument():
    message = refused(run("generate", "--style", DEMO), 2, "Missing argument 'TOPIC'", "'-'")
    assert ".gpbt:" not in message  # not reported at a line of a rule file


def test_empty_topic_is_refused():
    refused(run("generate", "", "--style", DEMO), 2, "must not be empty")


def test_topic_and_set_topic_together_are_refused():
    style = gpbt.load_style(DEMO)
    refused(run("generate", "t", "--style", DEMO, "--set", f"{style.topic_slot}=u"), 2, "given twice")


def test_set_topic_alone_stands_for_the_topic():
    style = gpbt.load_style(DEMO)
    result = run("generate", "--style", DEMO, "--seed", "3", "--set", f"{style.topic_slot}=u")
    assert result.exit_code == 0 and result.output == style.generate("u", seed=3)


def test_stdin_that_is_not_utf8_is_one_line():
    refused(run("generate", "-", "--style", DEMO, input=b"ok\n\xff\xfe bad\n"), 2, "line 2 is not UTF-8")


def test_command_line_text_that_is_not_utf8_is_refused_like_stdin(tmp_path):
    # Python keeps a byte it could not decode from argv as a lone surrogate (U+DCFF for 0xff)
    out = tmp_path / "out.txt"
    out.write_text("before\n", encoding="utf-8")
    for given in (["\udcff"], ["t", "--set", "x=a\udcfe"], ["t", "--separator", "\udcfe"]):
        refused(run("generate", *given, "--style", DEMO, "-o", str(out)), 2, "must be UTF-8 text", "byte 0x")
    assert out.read_text(encoding="utf-8") == "before\n"


def test_text_no_output_can_hold_is_one_line_and_no_file(tmp_path):
    grammar = tmp_path / "lone.json"  # an unpaired \ud83d escape: Python keeps it, UTF-8 cannot write it
    grammar.write_text('{"origin": ["a \\ud83d b"]}', encoding="utf-8")
    out = tmp_path / "out.txt"
    for jobs in ("1", "2"):
        refused(run("generate", "--style", str(grammar), "--count", "3", "-j", jobs, "-o", str(out)), 1,
                "U+D83D", "[unwritable-text]")
        assert not out.exists()
    child = gpbt_process("generate", "春天", "--seed", "1", stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         env_extra={"PYTHONIOENCODING": "latin-1"})
    stdout, stderr = child.communicate(timeout=60)
    assert child.returncode == 1 and stdout == b"" and "Traceback" not in stderr.decode("latin-1")
    assert stderr.decode("latin-1").startswith("gpbt: error: stdout's encoding (latin-1) cannot write")


def test_bom_on_stdin_is_not_part_of_the_topic():
    result = run("generate", "-", "--style", DEMO, "--seed", "1", "--format", "json", input="\ufeff甲\n乙\n".encode())
    assert [json.loads(line)["topic"] for line in result.output.splitlines()] == ["甲", "乙"]


def test_empty_stdin_says_so():
    refused(run("generate", "-", "--style", DEMO, input=b""), 2, "no topics on stdin")
    refused(run("generate", "-", "--style", DEMO, input=b"\n  \n"), 2, "no topics on stdin")


def test_topics_on_stdin_are_streamed():
    child = gpbt_process("generate", "-", "--style", DEMO, "-n", "50", "--format", "json",
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    child.stdin.write("first\n".encode())
    child.stdin.flush()
    line = child.stdout.readline()  # the first essay arrives while stdin is still open
    assert json.loads(line)["topic"] == "first"
    child.stdin.close()
    child.stdout.read()
    assert child.wait(timeout=30) == 0


def test_ansi_escapes_in_a_topic_are_written_as_generated():
    topic = "\x1b[31mred\x1b[0m"
    expected = gpbt.load_style(DEMO).generate(topic, seed=4)
    piped = subprocess.run(["python", "-m", "gpbt", "generate", topic, "--style", DEMO, "--seed", "4"],
                           capture_output=True, cwd=str(FIXTURES.parents[1]))
    assert piped.stdout.decode("utf-8") == expected
    assert run("generate", topic, "--style", DEMO, "--seed", "4").output == expected


def test_essays_are_separated_by_a_blank_line_or_the_given_separator():
    style = gpbt.load_style(DEMO)
    first, second = style.generate("a", seed=1), style.generate("b", seed=2)
    assert run("generate", "a", "b", "--style", DEMO, "--seed", "1").output == first + "\n" + second
    assert run("generate", "a", "b", "--style", DEMO, "--seed", "1", "--separator", "---\n").output == \
        first + "---\n" + second


def test_a_target_below_the_fixed_frame_warns_with_the_figure():
    frame = gpbt.load_style("zh").essay("春天", seed=1, length=0).length
    for length in ("0", "1", "100"):
        result = run("generate", "春天", "--seed", "1", "-n", length)
        assert result.exit_code == 0 and f"fixed frame of style zh ({frame:,} characters" in result.output
    assert "warning" not in run("generate", "春天", "--seed", "1", "-n", "3000").output
    # once per run, for its first essay; topics on stdin: when the first one arrives; workers change nothing
    for arguments, given in ((["春天", "夏天", "--count", "3", "-j", "2"], None), (["-", "-j", "2"], "春天\n夏天\n")):
        result = run("generate", *arguments, "--seed", "1", "-n", "10", input=given)
        assert result.exit_code == 0 and result.stderr.count(f"fixed frame of style zh ({frame:,} characters") == 1


def test_verbose_on_a_tracery_grammar_does_not_print_topic_none(tmp_path):
    grammar = tmp_path / "g.json"
    grammar.write_text('{"origin": ["hello"]}', encoding="utf-8")
    result = run("generate", "--style", str(grammar), "-v", "--seed", "1")
    assert result.exit_code == 0 and "topic None" not in result.output and "seed 1" in result.output


def test_length_has_a_named_ceiling():
    refused(run("generate", "t", "--style", DEMO, "-n", "999999999"), 2, "--length", "1000000")


def test_color_is_accepted_after_the_command():
    result = run("generate", "t", "--style", "nonexistent", "--color", "always")
    assert result.exit_code == 1 and "\x1b[" in result.output
    assert "\x1b[" not in run("generate", "t", "--style", "nonexistent", "--color", "never").output


def test_help_is_whole_and_generate_help_gives_the_default_and_examples():
    overview = run("--help").output
    assert "..." not in overview.split("Commands:")[1]
    detail = run("generate", "--help").output
    assert "2000" in detail and "Examples:" in detail and "gpbt generate 春天" in detail


def test_a_shipped_name_wins_over_a_folder_of_that_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "zh").mkdir()
    result = run("generate", "春天", "--seed", "1", "-n", "0")
    assert result.exit_code == 0 and "write ./zh to use it" in result.output
    assert run("styles").exit_code == 0
    refused(run("generate", "春天", "--style", "./zh"), 1, "holds no .gpbt rule files")


def test_control_characters_in_rules_are_a_warning(tmp_path):
    rules = tmp_path / "c.gpbt"
    rules.write_text("@slot 主题\ns: a\x00b {主题}\n", encoding="utf-8")
    result = run("check", str(rules))
    assert result.exit_code == 0 and "U+0000" in result.output and "[control-character]" in result.output
    rules.write_text("\x00a: a\n", encoding="utf-8")  # found by the fuzzing run: a NUL in a rule name
    for command in (["check", str(rules)], ["generate", "--style", str(rules)]):
        refused(run(*command), 1, "c.gpbt:1:1", "rule name cannot hold the control character U+0000")


def test_a_deep_chain_is_an_error_for_check_and_generate(tmp_path):
    rules = tmp_path / "chain.gpbt"
    rules.write_text("@start r0\n" + "".join(f"r{i}: {{r{i + 1}}}\n" for i in range(1000)) + "r1000: end\n",
                     encoding="utf-8")
    for command in (["check", str(rules)], ["generate", "x", "--style", str(rules)], ["stats", str(rules)]):
        refused(run(*command), 1, "chain.gpbt:502:1", "[too-deep]", "the limit is 500")


def test_a_topic_the_style_does_not_use_is_a_warning(tmp_path):
    rules = tmp_path / "no_topic.gpbt"
    rules.write_text("s: fixed text\n", encoding="utf-8")
    result = run("generate", "t", "--style", str(rules))
    assert result.exit_code == 0 and "does not use a topic" in result.output
