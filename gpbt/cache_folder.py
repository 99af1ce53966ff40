"""Where gpbt keeps what it caches for a user (compiled styles, and lark's rule-file parser), and the one trust rule
for that folder: made private (0700), and used only while the user owns it. Apart from gpbt/cache.py so that the
rule-file reader can ask where lark may keep its parser without importing the cache above it."""

from __future__ import annotations

import os

from ._version import __version__

# Paths here and on the rest of a warm start's way are strings handled with os.path: importing pathlib costs a
# warm `gpbt generate` 5 ms of CPU (a tenth of Python's own start).


def cache_dir() -> str:
    """`$GPBT_CACHE_DIR`, else `$XDG_CACHE_HOME/gpbt`, else `~/.cache/gpbt` (it may not exist yet)."""
    if os.environ.get("GPBT_CACHE_DIR"):
        return os.environ["GPBT_CACHE_DIR"]
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "gpbt")


def cache_enabled() -> bool:
    """Off with GPBT_NO_CACHE=1 (what `gpbt --no-cache` sets)."""
    return os.environ.get("GPBT_NO_CACHE", "") in ("", "0")


def own_folder(folder: str) -> bool:
    """Make `folder` private to the user if it is missing; True if the user owns it (nothing is cached in, or read
    from, someone else's folder). False, never an error, when the disk refuses."""
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
        return os.stat(folder).st_uid == os.getuid()
    except OSError:
        return False


def parser_cache_file() -> str | None:
    """Where lark may keep the rule-file parser it built (lark checks the grammar's hash inside the file), or None:
    only in the user's own cache folder, only in a file the user owns, only when the cache is on. Lark's default
    would be a file in the shared temporary folder, which another user could have written."""
    if not cache_enabled():
        return None
    folder = cache_dir()
    target = os.path.join(folder, f"lark-parser-{__version__}.cache")
    try:
        if not own_folder(folder) or (os.path.exists(target) and os.stat(target).st_uid != os.getuid()):
            return None
    except OSError:
        return None
    return target
