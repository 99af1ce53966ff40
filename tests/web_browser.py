"""Finding and launching the real browser for the browser tests and scripts/web_screenshots.py: Debian's chromium
driven by Playwright (Playwright's own browser download is not used)."""

from __future__ import annotations

import os
import shutil

INSTALL_HINT = ("the browser tests need Playwright (pip install 'gpbt[test]') and Debian's chromium with a CJK font "
                "(apt-get install chromium fonts-wqy-zenhei)")


def chromium_path() -> str | None:
    """$GPBT_CHROMIUM, else chromium on the PATH."""
    return os.environ.get("GPBT_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


def missing() -> str | None:
    """Why the browser cannot run here, or None."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return INSTALL_HINT + " (Playwright is not installed)"
    if chromium_path() is None:
        return INSTALL_HINT + " (no chromium on the PATH)"
    return None


def launch(playwright):
    return playwright.chromium.launch(executable_path=chromium_path(), args=["--no-sandbox"])
