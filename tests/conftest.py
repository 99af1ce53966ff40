"""Shared helpers: write a rule file into a temporary folder and load it."""

from __future__ import annotations

from pathlib import Path

import pytest

import gpbt

FIXTURES = Path(__file__).parent / "fixtures"
GOLDEN = Path(__file__).parent / "golden"


@pytest.fixture
def make_style(tmp_path: Path):
    """`make_style(text)` → a loaded Style from that rule text (written as style.gpbt)."""

    def make(text: str, name: str = "style.gpbt") -> gpbt.Style:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return gpbt.load_style(path)

    return make


@pytest.fixture
def load_errors(tmp_path: Path):
    """`load_errors(text)` → the diagnostics that loading that rule text raises."""

    def load(text: str) -> list[gpbt.Diagnostic]:
        path = tmp_path / "broken.gpbt"
        path.write_text(text, encoding="utf-8")
        with pytest.raises(gpbt.RuleFileError) as info:
            gpbt.load_style(path)
        return info.value.diagnostics

    return load


def check_golden(name: str, actual: str) -> None:
    """Compare with tests/golden/NAME; UPDATE_GOLDEN=1 rewrites the file instead."""
    import os

    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1" or not path.exists():
        path.write_text(actual, encoding="utf-8")
    assert actual == path.read_text(encoding="utf-8")
