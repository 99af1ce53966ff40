"""The one way gpbt writes files: whole or not at all.

A regular file is written to a temporary file beside it and renamed into place only when everything succeeded, so
a failed or interrupted run leaves the old file (or none) and no half-written one; the new file keeps the mode of
the file it replaces (a new file gets the mode the umask gives). A symbolic link is followed, so the link stays
and its target is replaced. Anything that is not a regular file (a device such as /dev/null, a FIFO, a terminal)
is never replaced: the text is written through to it.
"""

from __future__ import annotations

import os
import stat
import tempfile
from contextlib import ExitStack
from pathlib import Path
from typing import Callable, Iterable, Mapping


def write_atomically(path: Path, chunks: Iterable[str]) -> None:
    """Write the text of `chunks` to `path`, whole or not at all (see the module's docstring)."""
    write_files({path: chunks})


def write_files(files: Mapping[Path, Iterable[str] | str], validate: Callable[[], None] | None = None) -> None:
    """Write every file or none. Each regular file is staged beside its target first; `validate` runs once all
    are staged (it may raise to stop everything) and only then are they renamed into place."""
    with ExitStack() as cleanup:
        staged: list[tuple[str, Path]] = []
        through: list[tuple[Path, Iterable[str] | str]] = []
        for path, text in files.items():
            target = Path(os.path.realpath(path))
            if target.exists() and not target.is_file():
                through.append((target, text))  # a device, a FIFO: write into it, never replace it
                continue
            temporary = _stage(target, text)
            staged.append((temporary, target))
            cleanup.callback(_remove, temporary)
        if validate is not None:
            validate()
        for target, text in through:
            with open(target, "w", encoding="utf-8") as handle:
                handle.writelines([text] if isinstance(text, str) else text)
        for temporary, target in staged:
            os.replace(temporary, target)


def _stage(target: Path, text: Iterable[str] | str) -> str:
    """A temporary file beside `target` holding `text`, with the mode the target has (or a new file would get)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    mode = stat.S_IMODE(target.stat().st_mode) if target.exists() else 0o666 & ~_umask()
    handle = tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=target.parent, prefix=f".{target.name}.",
                                         suffix=".tmp", delete=False)
    try:
        with handle:
            handle.writelines([text] if isinstance(text, str) else text)
        os.chmod(handle.name, mode)
    except BaseException:
        _remove(handle.name)
        raise
    return handle.name


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
