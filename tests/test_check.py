"""`gpbt check`: a corpus of broken rule files, each with its expected diagnostics as a golden file; JSON output,
--strict, colour only on a terminal, and `generate` refusing a style with the same diagnostics."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import FIXTURES, check_golden
from gpbt.cli import main

TESTS = Path(__file__).parent
BROKEN = sorted((FIXTURES / "broken").glob("*.gpbt"))


def run_check(*args: str, color: bool = False):
    """Run `gpbt check` from the tests folder, so paths in messages are short and stable."""
    cwd = os.getcwd()
    os.chdir(TESTS)
    try:
        return CliRunner().invoke(main, ["--color", "always" if color else "auto", "check", *args], color=color)
    finally:
        os.chdir(cwd)


def test_corpus_is_large_enough():
    assert len(BROKEN) >= 30


@pytest.mark.parametrize("path", BROKEN, ids=lambda p: p.stem)
def test_broken_file_diagnostics_match_golden(path):
    result = run_check(str(path.relative_to(TESTS)))
    check_golden(f"check/{path.stem}.txt", result.stdout)
    has_error = ": error: " in result.stdout
    assert result.exit_code == (1 if has_error else 0)
    assert "Traceback" not in result.output and "__ANON" not in result.output and "$END" not in result.output


def test_one_bad_line_hides_nothing_and_invents_nothing():
    found = json.loads(run_check("fixtures/broken/many_errors_no_cascade.gpbt", "--format", "json").stdout)
    errors = [(d["line"], d["code"]) for d in found if d["severity"] == "error"]
    assert errors == [(4, "bad-policy-syntax"), (7, "unclosed-reference"), (9, "unknown-policy")]


def test_json_schema():
    found = json.loads(run_check("fixtures/broken/semantic.gpbt", "--format", "json").stdout)
    assert found
    for diagnostic in found:
        assert set(diagnostic) == {"file", "line", "column", "end_line", "end_column", "severity", "code",
                                   "message", "hint"}
        assert diagnostic["severity"] in ("error", "warning")
        assert isinstance(diagnostic["line"], int) and isinstance(diagnostic["column"], int)
        assert diagnostic["end_line"] >= diagnostic["line"]


def test_warnings_pass_unless_strict():
    assert run_check("fixtures/broken/warnings_only.gpbt").exit_code == 0
    assert run_check("fixtures/broken/warnings_only.gpbt", "--strict").exit_code == 1


def test_clean_style_passes_strict():
    assert run_check("fixtures/clean.gpbt", "--strict").exit_code == 0


def test_several_paths_and_summary():
    result = run_check("fixtures/broken/unknown_policy.gpbt", "fixtures/broken/warnings_only.gpbt")
    assert result.exit_code == 1
    assert result.stderr.strip() == "1 error, 4 warnings"


def test_colour_only_on_a_terminal():
    assert "\x1b[" not in run_check("fixtures/broken/unknown_policy.gpbt").stdout
    assert "\x1b[1;31merror" in run_check("fixtures/broken/unknown_policy.gpbt", color=True).stdout


def test_generate_refuses_with_the_same_diagnostics():
    cwd = os.getcwd()
    os.chdir(TESTS)
    try:
        result = CliRunner().invoke(main, ["generate", "t", "--style", "fixtures/broken/semantic.gpbt"])
    finally:
        os.chdir(cwd)
    checked = run_check("fixtures/broken/semantic.gpbt").stdout
    errors_only = "\n".join(block for block in checked.split("\n") if block)
    assert result.exit_code == 1
    for line in result.stderr.splitlines():
        assert line in errors_only
