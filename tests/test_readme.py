"""README.md stays true: its sample essay is what the command it shows prints, and its Quick start is two commands
(install and generate; install the test extra and run the tests), the second being the one .ci/run runs."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from gpbt.cli import main

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_sample_is_what_the_command_prints():
    command, sample = re.search(r"`gpbt generate (.*?)`:\n\n```text\n(.*?)```", README, re.S).groups()
    result = CliRunner().invoke(main, ["generate", *command.split()])
    assert result.exit_code == 0 and result.output == sample


def test_quick_start_is_two_commands_and_ci_runs_the_second():
    quick_start = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```sh\n(.*?)\n```", quick_start, re.S)
    assert len(commands) == 2
    assert commands[0].endswith("gpbt generate 学生会退会")
    assert commands[1] in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
