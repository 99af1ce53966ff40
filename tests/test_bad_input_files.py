"""`-o` and `convert` under bad targets: nothing is replaced that is not a regular file, nothing is left behind, the
mode is kept, and every OS error is one line naming the path (exit 1)."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import time
from pathlib import Path

import pytest

from bad_input_helpers import gpbt_process, refused, run, tree
from conftest import DEMO

ESSAY = ["generate", "t", "--style", DEMO, "--seed", "1", "-n", "100"]


def test_output_into_a_missing_folder_is_one_line(tmp_path):
    target = tmp_path / "no" / "such" / "x.txt"
    refused(run(*ESSAY, "-o", str(target)), 1, "cannot write", str(target), "does not exist")
    assert not (tmp_path / "no").exists()


def test_empty_output_path_is_refused(tmp_path):
    refused(run(*ESSAY, "-o", ""), 1, "the path is empty")


def test_output_onto_a_folder_is_refused(tmp_path):
    refused(run(*ESSAY, "-o", str(tmp_path)), 1, "it is a folder")
    assert tree(tmp_path) == {}


def test_read_only_file_is_not_replaced(tmp_path):
    target = tmp_path / "ro.txt"
    target.write_text("keep", encoding="utf-8")
    target.chmod(0o444)
    refused(run(*ESSAY, "-o", str(target)), 1, "read-only")
    assert target.read_text(encoding="utf-8") == "keep" and stat.S_IMODE(target.stat().st_mode) == 0o444
    assert [p.name for p in tmp_path.iterdir()] == ["ro.txt"]


def test_symlink_is_kept_and_its_target_written(tmp_path):
    real = tmp_path / "real.txt"
    real.write_text("old", encoding="utf-8")
    (tmp_path / "link.txt").symlink_to("real.txt")
    assert run(*ESSAY, "-o", str(tmp_path / "link.txt")).exit_code == 0
    assert (tmp_path / "link.txt").is_symlink() and real.read_text(encoding="utf-8") != "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.txt", "real.txt"]


def test_symlink_loop_is_refused(tmp_path):
    (tmp_path / "a").symlink_to("b")
    (tmp_path / "b").symlink_to("a")
    refused(run(*ESSAY, "-o", str(tmp_path / "a")), 1, "symbolic link loop")


def test_mode_is_kept_and_new_files_follow_the_umask(tmp_path):
    existing = tmp_path / "old.txt"
    existing.write_text("x", encoding="utf-8")
    existing.chmod(0o640)
    assert run(*ESSAY, "-o", str(existing)).exit_code == 0
    assert stat.S_IMODE(existing.stat().st_mode) == 0o640
    previous = os.umask(0o027)
    try:
        assert run(*ESSAY, "-o", str(tmp_path / "new.txt")).exit_code == 0
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "new.txt").stat().st_mode) == 0o640


def test_device_is_written_through_not_replaced():
    before = os.stat(os.devnull)
    assert run(*ESSAY, "-o", os.devnull).exit_code == 0
    after = os.stat(os.devnull)
    assert stat.S_ISCHR(after.st_mode) and (before.st_ino, before.st_rdev) == (after.st_ino, after.st_rdev)


def test_fifo_reader_gets_the_text(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    assert run(*ESSAY, "-o", str(fifo)).exit_code == 0
    text = reader.communicate(timeout=30)[0].decode("utf-8")
    assert len(text) > 50 and stat.S_ISFIFO(fifo.stat().st_mode)


def test_length_over_the_ceiling_is_refused_before_any_file(tmp_path):
    refused(run(*ESSAY[:-2], "-n", "999999999", "-o", str(tmp_path / "f")), 2, "1000000")
    assert tree(tmp_path) == {}


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT, signal.SIGQUIT, signal.SIGUSR1])
def test_a_signal_mid_write_leaves_the_old_file_and_no_temporary(tmp_path, number):
    target = tmp_path / "out.txt"
    target.write_text("old", encoding="utf-8")
    child = gpbt_process("generate", "-", "--style", DEMO, "-n", "100", "-o", str(target),
                         stdin=subprocess.PIPE, stderr=subprocess.PIPE)
    child.stdin.write("one\n".encode())
    child.stdin.flush()  # stdin stays open: the run is mid-write, its temporary file staged
    deadline = time.monotonic() + 30
    while len(list(tmp_path.iterdir())) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(list(tmp_path.iterdir())) == 2
    child.send_signal(number)
    stderr = child.communicate(timeout=30)[1].decode()
    assert child.returncode != 0 and "Traceback" not in stderr
    assert tree(tmp_path) == {"out.txt": b"old"}


def test_convert_refuses_an_existing_style_folder_and_existing_files(tmp_path):
    grammar = tmp_path / "g.json"
    grammar.write_text('{"origin": ["hello #name#"], "name": ["a", "b"]}', encoding="utf-8")
    style = tmp_path / "my-style"
    style.mkdir()
    (style / "main.gpbt").write_text("@start s\ns: x {主题}\n", encoding="utf-8")
    before = tree(tmp_path)
    refused(run("convert", str(grammar), "-o", str(style)), 2, "already holds a style", "--force")
    (tmp_path / "out.gpbt").write_text("keep", encoding="utf-8")
    refused(run("convert", str(grammar), "-o", str(tmp_path / "out.gpbt")), 2, "exists", "--force")
    assert tree(tmp_path) == {**before, "out.gpbt": b"keep"}
    assert run("convert", str(grammar), "-o", str(tmp_path / "new")).exit_code == 0
    assert run("convert", str(grammar), "-o", str(tmp_path / "out.gpbt"), "--force").exit_code == 0


def test_convert_gpbt_output_needs_o_and_tracery_output_goes_to_stdout(tmp_path):
    grammar = tmp_path / "g.json"
    grammar.write_text('{"origin": ["hello"]}', encoding="utf-8")
    refused(run("convert", str(grammar)), 2, "-o")
    rules = tmp_path / "r.gpbt"
    rules.write_text("s (random):\n    hello\n    bye\n", encoding="utf-8")
    result = run("convert", str(rules))
    assert result.exit_code == 0 and '"s"' in result.output


def test_convert_takes_a_shipped_name():
    result = run("convert", "zh", "--to", "tracery")
    assert result.exit_code == 0 and result.stdout.startswith("{") and "does not exist" not in result.stderr
    message = refused(run("convert", "zh", "--to", "tracery", "--strict"), 1, "[tracery-policy]")
    assert "does not exist" not in message
