"""`gpbt serve` as a command: it prints its URL, serves, and stops cleanly on Ctrl-C; the time limit per request."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

pytest.importorskip("starlette", reason="the web tests need the web extra: pip install 'gpbt[web]'")
pytest.importorskip("uvicorn", reason="the web tests need the web extra: pip install 'gpbt[web]'")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serve_prints_its_url_serves_and_stops_on_ctrl_c():
    port = _free_port()
    process = subprocess.Popen([sys.executable, "-m", "gpbt", "serve", "--port", str(port)],
                               stderr=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        line = process.stderr.readline()
        assert f"http://127.0.0.1:{port}/" in line
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/styles", timeout=5) as response:
                    assert b'"zh"' in response.read()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        process.send_signal(signal.SIGINT)
        _, errors = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, errors
    assert "Traceback" not in errors


def test_a_broken_extra_style_stops_serve_before_it_listens(tmp_path):
    broken = tmp_path / "broken.gpbt"
    broken.write_text("@start s\ns:\n    {nope}\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "gpbt", "serve", "--port", str(_free_port()), "--style",
                             str(broken)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 1 and "broken.gpbt:3:" in result.stderr and "Traceback" not in result.stderr


def test_wall_clock_limit_answers_503():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient
    from gpbt.web import create_app
    from gpbt.web.limits import Limits

    client = TestClient(create_app([], Limits(seconds=0)))
    response = client.get("/api/essay", params={"topic": "x", "length": 100_000, "seed": 1})
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "too-slow" and "limit" in response.json()["error"]["message"]


@pytest.mark.skipif(os.name != "posix", reason="signals")
def test_styles_from_the_environment_for_workers(tmp_path, monkeypatch):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient
    from gpbt.web import create_app

    style = tmp_path / "mine.gpbt"
    style.write_text("@style mine\n@start s\ns:\n    hello\n", encoding="utf-8")
    monkeypatch.setenv("GPBT_SERVE_STYLES", str(style))
    names = [s["name"] for s in TestClient(create_app()).get("/api/styles").json()]
    assert names[-1] == "mine"
