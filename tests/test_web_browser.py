"""End to end in a real headless Chromium (Debian's, driven by Playwright) against the real uvicorn server.

Without a browser these tests skip and say what to install; under CI=true a missing browser is a failure. Each page
is also photographed, desktop and phone sized, into pytest's temporary folder (GPBT_SCREENSHOTS=DIR keeps them)."""

from __future__ import annotations

import os
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

import web_browser

REASON = web_browser.missing()
if REASON and os.environ.get("CI") == "true":
    pytest.fail(f"CI must run the browser tests: {REASON}", pytrace=False)
if REASON:
    pytest.skip(REASON, allow_module_level=True)
pytest.importorskip("starlette", reason="the web tests need the web extra: pip install 'gpbt[web]'")

from playwright.sync_api import sync_playwright  # noqa: E402

import gpbt  # noqa: E402
from gpbt.web import create_app  # noqa: E402
from gpbt.web.background import running  # noqa: E402

HOSTILE = '<script>alert(1)</script>"><img src=x onerror=alert(2)>{主题}#origin#'


@pytest.fixture(scope="module")
def server():
    with running(create_app()) as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        browser = web_browser.launch(playwright)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}, accept_downloads=True)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.problems = []
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    page.on("console", lambda message: message.type == "error" and page.problems.append(message.text))
    page.on("request", lambda request: request.url.startswith(server) or request.url.startswith(("data:", "blob:"))
            or page.problems.append("left the host: " + request.url))
    yield page
    problems = page.problems
    context.close()
    assert problems == []


def wait_until(page, predicate, timeout: float = 10.0) -> None:
    """Poll `predicate` (a Python callable: the page's CSP forbids evaluating strings, as it should)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        page.wait_for_timeout(50)


def essay_text(page) -> str:
    return "\n".join(page.locator("article.essay").first.locator("h2, p").all_inner_texts())


def shoot(page, name: str, tmp_path: Path) -> None:
    folder = Path(os.environ.get("GPBT_SCREENSHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}-desktop.png"))
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(folder / f"{name}-phone.png"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1  # nothing sticks out sideways
    page.set_viewport_size({"width": 1280, "height": 900})


def generate(page, server, topic: str, length: str = "800") -> dict:
    page.goto(server + "/")
    page.fill("#topic", topic)
    page.fill("#length", length)
    page.click("#generate")
    wait_until(page, lambda: "seed=" in page.url and page.locator("#count").count() == 1)
    page.wait_for_selector("article.essay h2")
    return {key: values[0] for key, values in parse_qs(urlsplit(page.url).query).items()}


def test_generate_updates_the_address_and_a_reload_gives_the_same_text(page, server, tmp_path):
    query = generate(page, server, "学生会退会")
    assert query["topic"] == "学生会退会" and query["style"] == "zh" and query["length"] == "800"
    first = essay_text(page)
    expected = gpbt.load_style("zh").generate("学生会退会", seed=int(query["seed"]), length=800)
    assert first == "\n".join(line for line in expected.split("\n") if line.strip())
    assert str(len(expected)) in page.inner_text("#count")
    shoot(page, "generator", tmp_path)
    page.reload()
    page.wait_for_selector("article.essay h2")
    assert essay_text(page) == first
    page.click("#new-seed")
    wait_until(page, lambda: parse_qs(urlsplit(page.url).query)["seed"][0] != query["seed"])
    wait_until(page, lambda: essay_text(page) != first)


def test_length_box(page, server):
    generate(page, server, "学生会退会", length="300")
    short = len(page.locator("article.essay").inner_text())
    page.fill("#length", "3000")
    page.click("#generate")
    wait_until(page, lambda: "length=3000" in page.url)
    wait_until(page, lambda: len(page.locator("article.essay").inner_text()) > 3 * short)


def test_copy_text_copy_link_and_download(page, server, tmp_path):
    query = generate(page, server, "学生会退会", length="400")
    expected = gpbt.load_style("zh").generate("学生会退会", seed=int(query["seed"]), length=400)
    page.click("#copy")
    wait_until(page, lambda: page.evaluate("navigator.clipboard.readText()") == expected)
    page.click("#copy-link")
    wait_until(page, lambda: page.evaluate("navigator.clipboard.readText()") == page.url)
    with page.expect_download() as info:
        page.click("#download")
    download = info.value
    assert download.suggested_filename == "学生会退会.txt"
    path = tmp_path / "essay.txt"
    download.save_as(path)
    assert path.read_text(encoding="utf-8") == expected


def test_hostile_topic_shows_literally(page, server):
    generate(page, server, HOSTILE, length="300")
    assert HOSTILE in page.inner_text("article.essay")
    assert page.locator("article img").count() == 0
    page.reload()
    page.wait_for_selector("article.essay h2")
    assert HOSTILE in page.inner_text("article.essay")


def test_several_topics(page, server):
    generate(page, server, "甲\n乙\n丙", length="200")
    assert page.locator("article.essay").count() == 3


def test_reroll_one_sentence_keeps_the_rest_and_the_link_reproduces_it(page, server, browser, tmp_path):
    generate(page, server, "学生会退会", length="1200")
    before = page.locator("article.essay").inner_text()
    page.check("#show-source")
    page.wait_for_selector("article.sourced .s")
    sentence = page.locator("article .s").nth(4)
    old = sentence.inner_text()
    sentence.click()
    page.wait_for_selector("#sentence-menu")
    assert ".gpbt:" in page.inner_text("#sentence-menu")
    shoot(page, "generator-sources", tmp_path)  # the resize closes the menu: open it again
    sentence.click()
    page.click("#reroll")
    wait_until(page, lambda: "r=" in page.url)
    wait_until(page, lambda: page.locator("article.essay").inner_text() != before)
    after = page.locator("article.essay").inner_text()
    assert after.count(old) == 0 or before.count(old) > 1
    fresh = browser.new_page(locale="zh-CN")
    fresh.goto(page.url)
    wait_until(fresh, lambda: fresh.locator("article.essay").count() == 1
               and fresh.locator("article.essay").inner_text() == after)
    fresh.close()


def test_javascript_off_still_generates(browser, server):
    context = browser.new_context(java_script_enabled=False, locale="zh-CN")
    page = context.new_page()
    page.goto(server + "/")
    page.fill("#topic", "学生会退会")
    page.click("#generate")
    page.wait_for_selector("article.essay h2")
    assert "seed=" in page.url and "学生会退会" in page.inner_text("article.essay")
    context.close()


def test_playground_diagnostic_fix_preview_and_share(page, server, browser, tmp_path):
    page.goto(server + "/play")
    page.wait_for_selector("#diagnostics li.ok")
    text = "@start s\n@topic 主题\ns:\n    {主题}很好。\n    {不存在}\n"
    page.fill("#editor", text)
    page.wait_for_selector("#diagnostics li.error")
    item = page.locator("#diagnostics li.error").first
    assert item.locator(".pos").inner_text().startswith("5:")
    item.click()
    cursor = page.evaluate("document.getElementById('editor').selectionStart")
    assert text[:cursor].count("\n") == 4
    shoot(page, "playground-error", tmp_path)
    page.fill("#editor", text.replace("{不存在}", "{主题}真好。"))
    page.wait_for_selector("#diagnostics li.ok")
    page.fill("#topic", "学生会退会")
    wait_until(page, lambda: "学生会退会" in page.inner_text("#preview"))
    page.click("#editor")
    page.keyboard.press("Control+End")
    page.keyboard.press("ArrowUp")
    wait_until(page, lambda: "s:" in page.inner_text("#variety-text") or "s: " in page.inner_text("#variety-text"))
    preview = page.inner_text("#preview")
    page.click("#share")
    wait_until(page, lambda: "#s=" in page.url)
    fresh = browser.new_page()
    fresh.goto(page.url)
    wait_until(fresh, lambda: fresh.locator("#preview h2").count() == 1)
    assert fresh.input_value("#editor") == page.input_value("#editor")
    assert fresh.inner_text("#preview") == preview and fresh.input_value("#topic") == "学生会退会"
    fresh.close()
    with page.expect_download() as info:
        page.click("#download-rules")
    assert info.value.suggested_filename == "style.gpbt"


def test_playground_starts_from_a_shipped_style(page, server, tmp_path):
    page.goto(server + "/play?from=zh")
    page.wait_for_selector("#tabs button >> text=文章.gpbt")
    wait_until(page, lambda: len(page.inner_text("#preview")) > 100)
    assert page.locator("#diagnostics li.ok").count() == 1
    shoot(page, "playground", tmp_path)


def preview_lines(page) -> list[str]:
    return page.locator("#preview").locator("h2, p").all_inner_texts()


def checked(page) -> int:
    """How many checks the playground has answered so far (play.js counts them on the body)."""
    return int(page.evaluate("document.body.dataset.checked || '0'"))


def test_playground_starts_from_one_file_of_a_style(page, server, browser, tmp_path):
    page.goto(server + "/play")
    page.wait_for_selector("#diagnostics li.ok")
    before = checked(page)
    page.select_option("#start", label="zh / 句子.gpbt")
    wait_until(page, lambda: "file=" in page.url and checked(page) > before)
    assert page.locator("#tabs button[aria-selected=true]").inner_text() == "句子.gpbt"
    assert page.locator("#tabs button.context").all_inner_texts() == ["名言.gpbt", "文章.gpbt", "词库.gpbt"]
    assert page.is_visible("#context-note") and "zh" in page.inner_text("#context-note")
    sentences = (Path(gpbt.__file__).parent / "rules" / "zh" / "句子.gpbt").read_text(encoding="utf-8")
    assert page.input_value("#editor") == sentences
    # its references into the other files resolve: no problems, and the preview is the zh essay itself
    assert page.locator("#diagnostics li.ok").count() == 1
    expected = gpbt.load_style("zh").generate("学生会退会", seed=1, length=600)
    assert preview_lines(page) == [line for line in expected.split("\n") if line.strip()]
    shoot(page, "playground-file", tmp_path)
    marker = "这是一句只在此处出现的话。"
    page.fill("#editor", sentences.replace("句子 (random unique):\n", f"句子 (random unique):\n    (1000) {marker}\n", 1))
    wait_until(page, lambda: marker in page.inner_text("#preview"))
    broken = sentences.replace("句子 (random unique):\n", "句子 (random unique):\n    {没有这条规则}\n", 1)
    page.fill("#editor", broken)
    page.wait_for_selector("#diagnostics li.error")
    line = broken[:broken.index("{没有这条规则}")].count("\n") + 1
    assert page.locator("#diagnostics li.error .pos").first.inner_text().startswith(f"句子.gpbt:{line}:")
    page.fill("#editor", sentences.replace("句子 (random unique):\n", f"句子 (random unique):\n    (1000) {marker}\n", 1))
    page.wait_for_selector("#diagnostics li.ok")
    # the other files are there to read, not to edit
    page.click("#tabs button.context >> text=文章.gpbt")
    assert page.evaluate("document.getElementById('editor').readOnly")
    assert "@start 文章" in page.input_value("#editor")
    page.click("#editor")
    page.keyboard.type("改不了")
    assert "改不了" not in page.input_value("#editor")
    # the share link holds the edited file and names the style it runs with
    preview = page.inner_text("#preview")
    page.click("#share")
    wait_until(page, lambda: "#s=" in page.url)
    fresh = browser.new_page()
    fresh.goto(page.url)
    wait_until(fresh, lambda: marker in fresh.inner_text("#preview"))
    assert fresh.inner_text("#preview") == preview and fresh.locator("#tabs button.context").count() == 3
    assert fresh.locator("#start option:checked").inner_text() == "zh / 句子.gpbt"
    fresh.close()


def test_playground_runs_a_pasted_tracery_grammar(page, server, tmp_path):
    page.goto(server + "/play")
    page.wait_for_selector("#diagnostics li.ok")
    grammar = ('{\n  "origin": ["#greeting#，#name#！"],\n  "greeting": ["你好", "早上好"],\n'
               '  "name": ["世界", "朋友"]\n}\n')
    expansions = {f"{greeting}，{name}！" for greeting in ("你好", "早上好") for name in ("世界", "朋友")}
    page.fill("#editor", grammar)
    wait_until(page, lambda: preview_lines(page) and preview_lines(page)[0] in expansions)
    assert page.locator("#diagnostics li.ok").count() == 1
    assert page.locator("#tabs button").all_inner_texts() == ["style.json"]  # read as Tracery, downloaded so
    # a reference to a symbol nobody defined: an error at its line, and clicking it goes there
    unknown = grammar.replace('"朋友"', '"#unknown#"')
    page.fill("#editor", unknown)
    page.wait_for_selector("#diagnostics li.error")
    item = page.locator("#diagnostics li.error").first
    assert item.locator(".pos").inner_text().startswith("4:") and "unknown" in item.inner_text()
    item.click()
    cursor = page.evaluate("document.getElementById('editor').selectionStart")
    assert unknown[:cursor].count("\n") == 3
    shoot(page, "playground-tracery-error", tmp_path)
    # broken JSON: a missing comma, reported where the parser stopped
    page.fill("#editor", grammar.replace('"],\n  "greeting"', '"]\n  "greeting"'))
    wait_until(page, lambda: page.locator("#diagnostics li.error .pos").count() == 1
               and page.locator("#diagnostics li.error .pos").inner_text().startswith("3:"))
    assert "JSON" in page.inner_text("#diagnostics")
    page.fill("#editor", grammar.replace('"朋友"', '"朋友", "#greeting#"'))
    page.wait_for_selector("#diagnostics li.ok")
    expansions |= {f"{greeting}，{other}！" for greeting in ("你好", "早上好") for other in ("你好", "早上好")}
    wait_until(page, lambda: not page.locator("#preview.stale").count() and preview_lines(page)[0] in expansions)


def test_prints_only_the_essay(page, server):
    generate(page, server, "学生会退会", length="300")
    page.emulate_media(media="print")
    assert not page.locator("#form").is_visible() and not page.locator("header.bar").is_visible()
    assert page.locator("article.essay h2").is_visible()


def test_interface_follows_the_browser_language(browser, server):
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    page.goto(server + "/")
    assert page.inner_text("#generate") == "Generate" and page.input_value("#style") == "en"
    context.close()


def test_playground_shows_hostile_rule_text_literally(page, server):
    page.goto(server + "/play")
    page.wait_for_selector("#diagnostics li.ok")
    hostile = '<img src=x onerror=alert(1)><script>alert(2)</script>'
    page.fill("#editor", "@start s\ns:\n    " + hostile + "\n")
    wait_until(page, lambda: hostile in page.inner_text("#preview"))
    assert page.locator("#preview img, #preview script").count() == 0
