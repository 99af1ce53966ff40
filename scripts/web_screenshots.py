"""Screenshots of the generator page and the playground for README.md, taken in the same headless Chromium the
browser tests drive (Debian's chromium through Playwright), against the real server on a loopback port.

    python scripts/web_screenshots.py [--out docs/images]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from gpbt.web import create_app  # noqa: E402
from gpbt.web.background import running  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "images")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    chromium = os.environ.get("GPBT_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise SystemExit("no chromium: apt-get install chromium fonts-wqy-zenhei")
    with running(create_app()) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        for suffix, viewport in [("", {"width": 1280, "height": 860}), ("-phone", {"width": 390, "height": 844})]:
            page = browser.new_page(locale="zh-CN", viewport=viewport, device_scale_factor=1)
            page.goto(f"{base}/?topic=学生会退会&length=1200&style=zh&seed=2026")
            page.wait_for_selector("#copy")
            page.check("#show-source")
            page.wait_for_selector("article.sourced .s")
            if not suffix:  # the phone picture is the top of the page: the form and the essay's beginning
                page.locator("article .s").nth(6).click()
                page.wait_for_selector("#sentence-menu")
            page.screenshot(path=str(args.out / f"generator{suffix}.png"))
            # the playground editing one file of zh, the style's other files as read-only context
            page.goto(f"{base}/play?from=zh&file=句子.gpbt")
            page.wait_for_selector("#tabs button.context")
            page.wait_for_selector("body[data-checked] #preview h2")
            page.click("#editor")
            page.keyboard.press("Control+Home")
            for _ in range(8):  # the cursor on the 句子 rule: the variety line under the editor shows its figures
                page.keyboard.press("ArrowDown")
            page.wait_for_timeout(500)
            page.screenshot(path=str(args.out / f"playground{suffix}.png"))
            page.close()
        browser.close()
    for path in sorted(args.out.glob("*.png")):
        print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
