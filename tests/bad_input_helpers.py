"""Shared by the tests/test_bad_input_*.py modules: run the CLI and assert that it failed cleanly."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner, Result

from gpbt.cli import main

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str, input: str | bytes | None = None) -> Result:
    """The CLI in-process; a traceback (any exception but SystemExit) fails the test at once."""
    result = CliRunner().invoke(main, list(args), input=input)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"gpbt {' '.join(args)} raised {result.exception!r}") from result.exception
    return result


def refused(result: Result, exit_code: int, *words: str) -> str:
    """The run failed with `exit_code`, no traceback, and a message holding every word; returns the message."""
    message = result.output
    assert result.exit_code == exit_code, message
    assert "Traceback" not in message
    for word in words:
        assert word in message, message
    return message


def gpbt_process(*args: str, env_extra: dict[str, str] | None = None, **kwargs) -> subprocess.Popen:
    """The real command in a child process (for pipes, signals, FIFOs and streams), `env_extra` added to its
    environment."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), **(env_extra or {})}
    return subprocess.Popen([sys.executable, "-m", "gpbt", *args], env=env, **kwargs)


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` with its bytes (to show nothing changed and nothing was left behind)."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
