"""README.md stays true: its sample essay is what the command it shows prints, and its Quick start is two commands
(install and generate; install the test extra and run the tests), the second being the one .ci/run runs."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from click.testing import CliRunner

from gpbt.cli import main

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_sample_is_what_the_command_prints():
    command, sample = re.search(r"`gpbt generate (.*?)`:\n\n```text\n(.*?)```", README, re.S).groups()
    result = CliRunner().invoke(main, ["generate", *command.split()])
    assert result.exit_code == 0 and result.stdout == sample


def test_quick_start_is_two_commands_and_ci_runs_the_second():
    quick_start = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```sh\n(.*?)\n```", quick_start, re.S)
    assert len(commands) == 2
    assert commands[0].endswith("gpbt generate 学生会退会")
    assert commands[1] in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def _readme_folder(folder: Path) -> None:
    """The files the README's examples assume: topics.txt, grammar.json, data.json and my-style/ (the rule file of
    its Writing rules section)."""
    (folder / "topics.txt").write_text("春天\n考试周\n", encoding="utf-8")
    (folder / "grammar.json").write_text('{"origin": ["#greeting#, #name#!"], "greeting": ["hello", "hi"], '
                                         '"name": ["world", "friend"]}', encoding="utf-8")
    (folder / "data.json").write_bytes((ROOT / "tests" / "fixtures" / "bullshit" / "small.json").read_bytes())
    rules = re.search(r"## Writing rules\n\n```gpbt\n(.*?)```", README, re.S).group(1)
    (folder / "my-style").mkdir()
    (folder / "my-style" / "style.gpbt").write_text(rules, encoding="utf-8")


def test_every_command_of_the_readme_runs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _readme_folder(tmp_path)
    # every gpbt command of every shell block (the install and test commands of Quick start are checked above)
    lines = [part.split("  #", 1)[0].strip() for block in re.findall(r"```sh\n(.*?)```", README, re.S)
             for line in block.splitlines() for part in line.split("&&") if part.strip().startswith("gpbt ")]
    assert len(lines) >= 17
    for line in lines:
        words = shlex.split(line.split(" < ", 1)[0])
        stdin = (tmp_path / line.split(" < ", 1)[1].strip()).read_bytes() if " < " in line else None
        assert words[0] == "gpbt", line
        if words[1] == "serve":  # a server runs until stopped: check that its options parse, no more
            words = [word for word in words if word != "serve"] + ["serve", "--help"]
        result = CliRunner().invoke(main, words[1:], input=stdin)
        assert result.exit_code == 0 and result.exception is None, f"{line}\n{result.output}"


def test_the_library_snippet_runs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _readme_folder(tmp_path)
    snippet = re.search(r"## The library\n\n```python\n(.*?)```", README, re.S).group(1)
    exec(compile(snippet, "README.md", "exec"), {"print": lambda *args: None})
