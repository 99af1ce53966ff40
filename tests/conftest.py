"""Shared helpers: write a rule file into a temporary folder and load it."""

from __future__ import annotations

from pathlib import Path

import pytest

import gpbt

FIXTURES = Path(__file__).parent / "fixtures"
DEMO = str(FIXTURES / "demo.gpbt")  # a small style of the rule language's features, for command-line and bulk tests


@pytest.fixture(autouse=True, scope="session")
def private_cache(tmp_path_factory):
    """Every test run keeps its compiled-style cache in a folder of its own, never in the user's."""
    import os

    os.environ["GPBT_CACHE_DIR"] = str(tmp_path_factory.mktemp("gpbt-cache"))
    os.environ.pop("GPBT_NO_CACHE", None)
    yield
GOLDEN = Path(__file__).parent / "golden"


@pytest.fixture(scope="session")
def demo() -> gpbt.Style:
    """The demo fixture style, loaded once for the whole run."""
    return gpbt.load_style(DEMO)


@pytest.fixture
def make_style(tmp_path: Path):
    """`make_style(text)` → a loaded Style from that rule text, held in memory as style.gpbt (no file)."""

    def make(text: str, name: str = "style.gpbt") -> gpbt.Style:
        return gpbt.load_style_from_sources({name: text}, name=name.rsplit(".", 1)[0])

    return make


@pytest.fixture
def load_errors(tmp_path: Path):
    """`load_errors(text)` → the diagnostics that loading that rule text raises."""

    def load(text: str) -> list[gpbt.Diagnostic]:
        with pytest.raises(gpbt.RuleFileError) as info:
            gpbt.load_style_from_sources({"broken.gpbt": text}, name="broken")
        return info.value.diagnostics

    return load


def check_golden(name: str, actual: str) -> None:
    """The one golden-file helper: compare with tests/golden/NAME. A missing golden file is a failure (a deleted
    one must not pass silently); UPDATE_GOLDEN=1 writes the file instead, to regenerate on purpose."""
    import os

    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    if not path.exists():
        pytest.fail(f"golden file tests/golden/{name} is missing: run with UPDATE_GOLDEN=1 to create it")
    assert actual == path.read_text(encoding="utf-8")
