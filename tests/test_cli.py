"""The `gpbt` command through click's CliRunner: generation options, styles, exit codes and messages."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

import gpbt
from conftest import DEMO, FIXTURES
from gpbt.cli import main


@pytest.fixture
def run():
    def invoke(*args: str, input: str | None = None):
        return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)

    return invoke


def test_generate_one_essay_per_topic(run):
    result = run("generate", "甲方", "乙方", "--style", DEMO, "--seed", "5", "-n", "300")
    assert result.exit_code == 0
    first = gpbt.load_style(DEMO).generate("甲方", seed=5, length=300)
    second = gpbt.load_style(DEMO).generate("乙方", seed=6, length=300)
    assert result.stdout == first + "\n" + second  # a blank line between essays (--separator)


def test_default_style_is_chinese(run):
    result = run("generate", "学生会退会", "--seed", "1", "-n", "300")
    assert result.exit_code == 0 and "学生会退会" in result.output
    assert result.stdout == gpbt.load_style("zh").generate("学生会退会", seed=1, length=300)


def test_count_and_json(run):
    result = run("generate", "t", "--style", DEMO, "--seed", "10", "--count", "3", "--format", "json", "-n", "200")
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["seed"] for r in records] == [10, 11, 12]
    assert all(r["topic"] == "t" and r["style"] == "demo" and r["length"] == len(r["text"]) >= 200
               for r in records)


def test_topics_from_stdin(run):
    result = run("generate", "-", "--style", DEMO, "--seed", "1", "--format", "json", "-n", "100",
                 input="一\n\n二\n")
    assert [json.loads(line)["topic"] for line in result.stdout.splitlines()] == ["一", "二"]


def test_set_slot_and_bad_assignment(run):
    result = run("generate", "t", "--style", DEMO, "--seed", "1", "--set", "作者=鲁迅", "-n", "10")
    assert "作者：鲁迅" in result.output
    result = run("generate", "t", "--style", DEMO, "--set", "作者")
    assert result.exit_code == 2 and "NAME=VALUE" in result.output


def test_unknown_slot_is_exit_1(run):
    result = run("generate", "t", "--style", DEMO, "--set", "城市=北京")
    assert result.exit_code == 1 and "no slot named '城市'" in result.output


def test_verbose_prints_a_seed_that_reproduces_the_essay(run):
    result = CliRunner().invoke(main, ["generate", "t", "--style", DEMO, "-v", "-n", "100"])
    seed = int(result.stderr.split("seed ")[1].split(",")[0])
    assert result.stdout == gpbt.load_style(DEMO).generate("t", seed=seed, length=100)


def test_output_file_is_written_atomically(run, tmp_path):
    target = tmp_path / "essay.txt"
    assert run("generate", "t", "--style", DEMO, "--seed", "1", "-o", str(target)).exit_code == 0
    assert target.read_text(encoding="utf-8") == gpbt.load_style(DEMO).generate("t", seed=1)
    # a failing run (missing topic: a usage error) leaves the old file intact and no temporary file behind
    result = run("generate", "--style", DEMO, "-o", str(target))
    assert result.exit_code == 2
    assert target.read_text(encoding="utf-8") == gpbt.load_style(DEMO).generate("t", seed=1)
    assert [p.name for p in tmp_path.iterdir()] == ["essay.txt"]


def test_rule_file_errors_exit_1_with_positions(run):
    result = run("generate", "t", "--style", str(FIXTURES / "broken" / "syntax.gpbt"))
    assert result.exit_code == 1
    assert "syntax.gpbt:2:5: error: a rule name must be followed by ':'" in result.output
    assert "Traceback" not in result.output


def test_usage_errors_exit_2(run):
    assert run("generate", "--length", "-5").exit_code == 2
    assert run("generate", "--format", "xml").exit_code == 2
    assert run("frobnicate").exit_code == 2


def test_unknown_style_exit_1(run):
    result = run("generate", "t", "--style", "klingon")
    assert result.exit_code == 1 and "no style or rule file named 'klingon'" in result.output


def test_styles_lists_shipped_styles(run):
    result = run("styles")
    assert result.exit_code == 0
    assert result.output.startswith("zh") or "\nzh " in result.output
    rows = json.loads(run("styles", "--format", "json").output)
    assert {"name": "zh", "language": "zh"}.items() <= next(r for r in rows if r["name"] == "zh").items()


def test_version(run):
    assert run("--version").output.strip() == f"gpbt, version {gpbt.__version__}"


def test_python_dash_m_and_closed_pipe_exit_quietly():
    """`gpbt generate … | head -1`: the reader goes away early; no traceback, no error exit."""
    command = f"{sys.executable} -m gpbt generate t --style {DEMO} --count 200 -n 2000 | head -1"
    result = subprocess.run(["bash", "-o", "pipefail", "-c", command], capture_output=True, text=True)
    assert result.returncode == 0
    assert result.stderr == ""
    assert result.stdout.count("\n") == 1
