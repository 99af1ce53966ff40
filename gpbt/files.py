"""The one way gpbt writes files: whole or not at all, and never onto something that is not a file.

A regular file is written to a temporary file beside it and renamed into place only when everything succeeded, so
a failed or interrupted run leaves the old file (or none) and no half-written one; the new file keeps the mode of
the file it replaces (a new file gets the mode the umask gives). A symbolic link is followed, so the link stays
and its target is replaced. A device such as /dev/null, a FIFO or a terminal is never replaced: the text is
written through to it. A folder, an empty path, a read-only file or a missing parent folder is refused before
anything is written, with a one-line `OutputError` that names the path. The temporary files are removed on any
exception and on every terminating signal a program can catch (SIGTERM, SIGHUP, SIGINT, SIGQUIT, …;
SIGKILL cannot be caught by anyone).
"""

from __future__ import annotations

import os
import signal
import stat
import tempfile
import threading
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Callable, Iterable, Iterator, Mapping, Union

from .errors import Diagnostic, GpbtError

Content = Union[str, bytes, Iterable[str], Iterable[bytes]]  # what a file receives: text as UTF-8, bytes as they are

# every signal whose default action ends the process and that a program may catch (SIGKILL and SIGSTOP cannot be)
CAUGHT_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP", "SIGINT", "SIGQUIT", "SIGUSR1",
                                                          "SIGUSR2", "SIGALRM", "SIGVTALRM", "SIGPROF", "SIGXCPU",
                                                          "SIGXFSZ") if hasattr(signal, name))


class OutputError(GpbtError):
    """A file cannot be written: the message names the path and the reason, on one line."""

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__([Diagnostic(None, f"cannot write '{path}': {reason}", "output-error")])


def write_atomically(path: Path, chunks: Iterable[str] | Iterable[bytes], make_parents: bool = False) -> None:
    """Write `chunks` (text, or bytes as they are) to `path`, whole or not at all (see the module's docstring)."""
    write_files({path: chunks}, make_parents=make_parents)


def check_target(path: Path | str, make_parents: bool = False) -> None:
    """Refuse, before any work, a target that cannot be written: an empty path, a folder, a symbolic link loop,
    a read-only file, a missing parent folder (unless `make_parents`)."""
    _resolve(Path(path) if str(path) else path, make_parents)


def write_files(files: Mapping[Path, Content], validate: Callable[[], None] | None = None,
                make_parents: bool = True, mode: int | None = None) -> None:
    """Write every file or none. Each regular file is staged beside its target first; `validate` runs once all
    are staged (it may raise to stop everything) and only then are they renamed into place. `mode` overrides the
    mode a file keeps or gets (the cache's private entries: 0o600); `bytes` are written as they are."""
    targets = {path: _resolve(path, make_parents) for path in files}
    with ExitStack() as cleanup:
        staged: list[str] = []
        cleanup.enter_context(_removed_on_signal(staged))
        cleanup.callback(lambda: [_remove(name) for name in staged])
        moves: list[tuple[str, Path, Path]] = []
        through: list[tuple[Path, Content]] = []
        for path, text in files.items():
            target = targets[path]
            if target.exists() and not target.is_file():
                through.append((target, text))  # a device, a FIFO: write into it, never replace it
                continue
            moves.append((_stage(target, text, staged, path, mode), target, path))
        if validate is not None:
            validate()
        for target, text in through:
            with _reported(target):
                _write(target, text)
        for temporary, target, path in moves:
            with _reported(path):
                os.replace(temporary, target)


def _resolve(path: Path | str, make_parents: bool) -> Path:
    if not str(path):
        raise OutputError(path, "the path is empty")
    if "\0" in str(path):
        raise OutputError(str(path).replace("\0", "\\0"), "a path cannot hold a NUL character")
    path = Path(path)
    try:
        target = Path(os.path.realpath(path, strict=False))
        if path.is_symlink() and not target.exists() and target.is_symlink():
            raise OutputError(path, "it is a symbolic link loop")
    except OSError as error:  # ELOOP on some systems
        raise OutputError(path, _reason(error)) from None
    if target.is_dir():
        raise OutputError(path, "it is a folder")
    if target.exists():
        if target.is_file() and not _writable(target):
            raise OutputError(path, "the file is read-only")
        return target
    if not target.parent.is_dir():
        if target.parent.exists():
            raise OutputError(path, f"'{target.parent}' is not a folder")
        if not make_parents:
            raise OutputError(path, f"the folder '{path.parent}' does not exist")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise OutputError(path, _reason(error)) from None
    elif not os.access(target.parent, os.W_OK):
        raise OutputError(path, f"the folder '{path.parent}' is not writable")
    return target


def _writable(target: Path) -> bool:
    """Write permission as the user sees it: root may write anything, but a file nobody may write stays unwritten."""
    mode = target.stat().st_mode
    return os.access(target, os.W_OK) and bool(mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))


def _stage(target: Path, text: Content, staged: list[str], shown: Path,
           mode: int | None = None) -> str:
    """A temporary file beside `target` holding `text`, with `mode`, else the mode the target has (or a new file
    would get). The temporary file itself is private until it is complete."""
    if mode is None:
        mode = stat.S_IMODE(target.stat().st_mode) if target.exists() else 0o666 & ~_umask()
    with _reported(shown):
        handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        os.close(handle)
    staged.append(name)
    with _reported(shown):
        _write(Path(name), text)
        os.chmod(name, mode)
    return name


def _write(path: Path, content: Content) -> None:
    """Text as UTF-8, bytes as they are; an iterable of either is written as it is read (so a long run of essays
    is never held whole)."""
    chunks = iter([content] if isinstance(content, (str, bytes)) else content)
    first = next(chunks, b"")
    with open(path, "wb") if isinstance(first, bytes) else open(path, "w", encoding="utf-8") as handle:
        handle.write(first)
        handle.writelines(chunks)


@contextmanager
def _reported(path: Path) -> Iterator[None]:
    """An OS error while writing becomes one line naming the path."""
    try:
        yield
    except OSError as error:
        raise OutputError(path, _reason(error)) from None


def _reason(error: OSError) -> str:
    return (error.strerror or str(error)).lower() if error.strerror else str(error)


@contextmanager
def _removed_on_signal(staged: list[str]) -> Iterator[None]:
    """While files are staged, a terminating signal removes them before the process ends as the signal asks."""
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may set handlers; a server's worker relies on its own shutdown
        return
    previous = {}

    def handler(number: int, frame) -> None:
        for name in staged:
            _remove(name)
        staged.clear()
        old = previous.get(number)
        if callable(old):
            old(number, frame)
            return
        signal.signal(number, signal.SIG_DFL if old is None else old)
        os.kill(os.getpid(), number)

    for number in CAUGHT_SIGNALS:
        previous[number] = signal.signal(number, handler)
    try:
        yield
    finally:
        for number, old in previous.items():
            signal.signal(number, old)


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
