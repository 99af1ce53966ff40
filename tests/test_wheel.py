"""The built wheel, installed into a fresh virtual environment, generates an essay from a folder outside the
checkout: proof that the grammar and the shipped styles travel inside the package (an editable install would hide
a missing data file). Set GPBT_SKIP_WHEEL_TEST=1 to skip it on a machine without access to the package index."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

import gpbt

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(os.environ.get("GPBT_SKIP_WHEEL_TEST") == "1", reason="GPBT_SKIP_WHEEL_TEST=1")


def run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess:
    result = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def test_installed_wheel_generates_outside_the_checkout(tmp_path):
    dist = tmp_path / "dist"
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", dist, ROOT, cwd=tmp_path)
    [wheel] = dist.glob("gpbt-*.whl")
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    bin_dir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    run(bin_dir / "python", "-m", "pip", "install", "--quiet", wheel, cwd=tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = run(bin_dir / "gpbt", "generate", "学生会退会", "--seed", "1", "--length", "800", cwd=elsewhere)
    assert result.stdout == gpbt.load_style("zh").generate("学生会退会", seed=1, length=800)
    located = run(bin_dir / "python", "-c", "import gpbt, sys; sys.stdout.write(gpbt.__file__)", cwd=elsewhere)
    assert str(env_dir) in located.stdout  # the installed copy, not the checkout
    styles = run(bin_dir / "python", "-m", "gpbt", "styles", cwd=elsewhere)
    assert "zh" in styles.stdout
    # the web pages ship inside the wheel; without the web extra, `gpbt serve` says what to install (exit 2)
    import zipfile

    names = set(zipfile.ZipFile(wheel).namelist())
    assert {f"gpbt/web/static/{name}" for name in ("gpbt.css", "generator.js", "play.js")} <= names
    serve = subprocess.run([str(bin_dir / "gpbt"), "serve"], cwd=elsewhere, capture_output=True, text=True,
                           timeout=60)
    assert serve.returncode == 2 and "pip install 'gpbt[web]'" in serve.stderr and "Traceback" not in serve.stderr
