"""`gpbt serve`'s app through Starlette's TestClient: every endpoint, every error code, escaping, limits, and share
links that reproduce the same text."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

pytest.importorskip("starlette", reason="the web tests need the web extra: pip install 'gpbt[web]'")
pytest.importorskip("httpx", reason="Starlette's TestClient needs httpx: pip install 'gpbt[test]'")

import warnings  # noqa: E402

from click.testing import CliRunner  # noqa: E402

with warnings.catch_warnings():  # newer Starlette prefers httpx2 for its TestClient; httpx works the same
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient  # noqa: E402

import gpbt  # noqa: E402
from gpbt.cli import main  # noqa: E402
from gpbt.web import create_app  # noqa: E402
from gpbt.web.limits import Limits  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore:Using `httpx`")
HOSTILE = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', "{主题}", "#origin#"]
FIXTURES = __import__("pathlib").Path(__file__).parent / "fixtures" / "web"


@pytest.fixture(scope="module")
def client() -> TestClient:
    app = create_app([str(FIXTURES / "slots.gpbt"), str(FIXTURES / "pair")], Limits(max_length=20_000, max_topics=3,
                                                           max_rule_bytes=4096, max_body_bytes=8192))
    return TestClient(app, follow_redirects=False)


def test_essay_matches_the_library_and_the_cli(client):
    record = client.get("/api/essay", params={"topic": "学生会", "length": 500, "style": "zh", "seed": 3}).json()
    assert record == {"topic": "学生会", "seed": 3, "style": "zh", "length": len(record["text"]),
                      "text": gpbt.load_style("zh").generate("学生会", seed=3, length=500)}
    cli = CliRunner().invoke(main, ["generate", "学生会", "-n", "500", "--seed", "3", "--format", "json"])
    assert __import__("json").loads(cli.stdout) == record


def test_essay_trace_and_tree(client):
    base = {"topic": "x", "length": 400, "style": "en", "seed": 1}
    spans = client.get("/api/essay", params={**base, "trace": 1}).json()["trace"]
    assert "".join(span["text"] for span in spans) == client.get("/api/essay", params=base).json()["text"]
    tree = client.get("/api/essay", params={**base, "trace": "tree"}).json()
    assert tree["nodes"][0]["parent"] is None and tree["sentences"]
    assert client.get("/api/essay", params={**base, "trace": "yes"}).status_code == 400


def test_essay_without_a_seed_reports_the_one_it_drew(client):
    record = client.get("/api/essay", params={"topic": "x", "length": 100}).json()
    again = client.get("/api/essay", params={"topic": "x", "length": 100, "seed": record["seed"]}).json()
    assert again["text"] == record["text"]


def test_reroll_in_the_api_reproduces_and_changes_one_sentence(client):
    base = {"topic": "学生会", "length": 800, "style": "zh", "seed": 9}
    tree = client.get("/api/essay", params={**base, "trace": "tree"}).json()
    sentence = tree["sentences"][3]
    rolled = client.get("/api/essay", params={**base, "r": f"{sentence['node']}:42"}).json()
    again = client.get("/api/essay", params={**base, "r": f"{sentence['node']}:42"}).json()
    assert rolled["text"] == again["text"] != tree["text"]
    assert rolled["text"][:sentence["start"]] == tree["text"][:sentence["start"]]
    assert rolled["r"] == f"{sentence['node']}:42"


@pytest.mark.parametrize("params, status, code", [
    ({"length": 10}, 400, "missing-topic"),
    ({"topic": "x", "seed": "abc"}, 400, "bad-seed"),
    ({"topic": "x", "seed": "-1"}, 400, "bad-seed"),
    ({"topic": "x", "length": "lots"}, 400, "bad-length"),
    ({"topic": "x", "length": "20001"}, 400, "over-limit"),
    ({"topic": "x", "seed": str(2**64)}, 400, "over-limit"),
    ({"topic": "x", "style": "nope"}, 404, "unknown-style"),
    ({"topic": "x", "slot.nope": "1"}, 400, "unknown-slot"),
    ({"topic": "x", "r": "oops"}, 400, "bad-reroll"),
    ({"topic": "x", "r": "0:1", "seed": "1", "length": "50"}, 400, "bad-reroll"),
    ({"topic": "x" * 1001}, 400, "over-limit"),
])
def test_bad_parameters_get_a_json_error(client, params, status, code):
    response = client.get("/api/essay", params=params)
    assert response.status_code == status
    error = response.json()["error"]
    assert error["code"] == code and error["status"] == status and error["message"]
    assert "Traceback" not in response.text


def test_limits_name_themselves(client):
    message = client.get("/api/essay", params={"topic": "x", "length": 10**9}).json()["error"]["message"]
    assert "20,000" in message
    response = client.post("/api/check", json={"text": "x" * 5000})
    assert response.status_code == 413 and "max_rule_bytes" in response.json()["error"]["message"]
    response = client.post("/api/check", content=b"{" + b" " * 9000 + b"}",
                           headers={"content-type": "application/json"})
    assert response.status_code == 413 and "max_body_bytes" in response.json()["error"]["message"]
    page = client.get("/", params={"topic": "a\nb\nc\nd", "seed": 1})
    assert page.status_code == 400 and "max_topics" in page.text


def test_styles_lists_the_served_ones(client):
    styles = client.get("/api/styles").json()
    assert [s["name"] for s in styles][:3] == ["zh", "en", "ja"]
    zh = styles[0]
    assert zh["language"] == "zh" and zh["default_length"] == gpbt.load_style("zh").default_length
    extra = next(s for s in styles if s["name"] == "slotted")
    assert extra["slots"] == [{"name": "城市", "default": "北京"}]


def test_style_files_are_the_shipped_texts(client):
    files = client.get("/api/style-files", params={"style": "zh"}).json()["files"]
    assert "文章.gpbt" in files and "@start 文章" in files["文章.gpbt"]
    assert client.get("/api/style-files", params={"style": "../../etc"}).status_code == 404


def test_style_files_one_file_with_the_rest_as_context(client):
    body = client.get("/api/style-files", params={"style": "pair", "file": "main.gpbt"}).json()
    words = (FIXTURES / "pair" / "words.gpbt").read_text(encoding="utf-8")
    assert body == {"style": "pair", "file": "main.gpbt",
                    "files": {"main.gpbt": (FIXTURES / "pair" / "main.gpbt").read_text(encoding="utf-8")},
                    "context": {"words.gpbt": words}}
    zh = client.get("/api/style-files", params={"style": "zh", "file": "句子.gpbt"}).json()
    assert list(zh["files"]) == ["句子.gpbt"] and set(zh["context"]) == {"名言.gpbt", "文章.gpbt", "词库.gpbt"}
    for params, status, code in [({"style": "zh", "file": "nope.gpbt"}, 404, "unknown-file"),
                                 ({"style": "zh", "file": "../zh/句子.gpbt"}, 404, "unknown-file"),
                                 ({"style": "zh", "file": "/etc/passwd"}, 404, "unknown-file"),
                                 ({"style": "nope", "file": "句子.gpbt"}, 404, "unknown-style"),
                                 ({}, 400, "missing-style")]:
        response = client.get("/api/style-files", params=params)
        assert response.status_code == status and response.json()["error"]["code"] == code


def test_playground_offers_each_style_whole_and_each_of_its_files(client):
    page = client.get("/play").text
    assert '<option value="from=zh">zh · 整个风格</option>' in page
    assert '<option value="from=zh&amp;file=%E5%8F%A5%E5%AD%90.gpbt">zh / 句子.gpbt</option>' in page
    assert ">pair / words.gpbt</option>" in page and ">slotted · 整个风格</option>" in page
    assert ">slotted / " not in page  # a style of one file is only offered whole
    assert 'id="context-note" hidden' in page


def test_one_file_checked_and_run_with_its_style_as_context(client):
    edited = "@style pair\n@topic 主题\n@start 文\n\n文:\n    {开头}{主题}{结尾}{没有}\n"
    alone = client.post("/api/check", json={"files": {"main.gpbt": edited}}).json()
    assert {d["code"] for d in alone} >= {"undefined-name"} and len(alone) >= 3  # 开头, 结尾 and 没有
    with_context = client.post("/api/check", json={"files": {"main.gpbt": edited}, "context": "pair"}).json()
    assert [(d["file"], d["line"], d["code"]) for d in with_context] == [("main.gpbt", 6, "undefined-name")]
    assert "没有" in with_context[0]["message"]
    fixed = edited.replace("{没有}", "！")
    body = client.post("/api/preview", json={"files": {"main.gpbt": fixed}, "context": "pair", "topic": "猫",
                                             "seed": 3, "stats": True}).json()
    words = (FIXTURES / "pair" / "words.gpbt").read_text(encoding="utf-8")
    expected = gpbt.load_style_from_sources({"main.gpbt": fixed, "words.gpbt": words}).generate("猫", seed=3)
    assert body["ok"] and body["essay"]["text"] == expected and expected.endswith("！")
    assert {rule["file"] for rule in body["rules"]} == {"main.gpbt", "words.gpbt"}
    # the context's own file can be replaced by a posted one of the same name
    mine = {"main.gpbt": fixed, "words.gpbt": "开头:\n    嗯\n结尾:\n    。\n"}
    replaced = client.post("/api/preview", json={"files": mine, "context": "pair", "topic": "猫", "seed": 3}).json()
    assert replaced["essay"]["text"] == "嗯猫。！"
    # a rule the edited file no longer has is reported where the context file uses it
    lost = client.post("/api/check", json={"files": {"words.gpbt": "开头:\n    嗯\n"}, "context": "pair"}).json()
    assert [(d["file"], d["line"], d["code"]) for d in lost if d["severity"] == "error"] == [
        ("main.gpbt", 10, "undefined-name")]


def test_a_bad_context_is_refused(client):
    rules = {"main.gpbt": "@start s\ns:\n    x\n"}
    for context, status, code in [("nope", 404, "unknown-style"), (3, 400, "bad-context")]:
        response = client.post("/api/preview", json={"files": rules, "context": context})
        assert response.status_code == status and response.json()["error"]["code"] == code
    tracery = client.post("/api/check", json={"text": '{"origin": ["x"]}', "context": "pair"})
    assert tracery.status_code == 400 and tracery.json()["error"]["code"] == "bad-context"


def test_the_readme_shows_each_page_from_the_screenshot_script():
    root = FIXTURES.parent.parent.parent
    readme = (root / "README.md").read_text(encoding="utf-8")
    script = (root / "scripts" / "web_screenshots.py").read_text(encoding="utf-8")
    for name in ["generator", "playground", "generator-phone", "playground-phone"]:
        assert f"docs/images/{name}.png" in readme and (root / "docs" / "images" / f"{name}.png").is_file()
    assert 'f"generator{suffix}.png"' in script and 'f"playground{suffix}.png"' in script


def test_check_gives_what_gpbt_check_gives(client):
    text = "@start s\ns:\n    {nope}\n    fine\n"
    expected = [d.as_dict() for d in gpbt.analyse_sources({"style.gpbt": text}).diagnostics]
    assert client.post("/api/check", json={"text": text}).json() == expected
    assert expected and expected[0]["line"] == 3
    assert client.post("/api/check", json={"files": {"a.gpbt": "@start s\ns:\n    ok\n"}}).json() == []


def test_check_refuses_includes_and_odd_input(client):
    text = "@include /etc/passwd\n@start s\ns:\n    ok\n"
    codes = [d["code"] for d in client.post("/api/check", json={"text": text}).json()]
    assert "missing-include" in codes
    assert client.post("/api/check", content=b"not json").json()["error"]["code"] == "bad-json"
    assert client.post("/api/check", json={"nothing": 1}).json()["error"]["code"] == "missing-rules"
    assert client.post("/api/check", json={"files": {"../x.gpbt": "a"}}).status_code == 400
    assert client.get("/api/check").status_code == 405


def test_preview_gives_the_essay_or_the_diagnostics(client):
    good = {"text": "@start s\ns:\n    hello {topic}!\n", "topic": "<b>", "seed": 2}
    body = client.post("/api/preview", json=good).json()
    assert body["ok"] and body["essay"]["text"] == "hello <b>!"
    stats = client.post("/api/stats", json={"text": good["text"]}).json()
    assert stats["ok"] and stats["rules"] == [{"rule": "s", "file": "style.gpbt", "line": 2, "distinct": 1,
                                               "expected_length": 7.0}]
    assert client.post("/api/preview", json={**good, "stats": True}).json()["rules"] == stats["rules"]
    assert not client.post("/api/stats", json={"text": "s:\n    {t\n"}).json()["ok"]
    broken = client.post("/api/preview", json={"text": "@start s\ns:\n    {s}{s}{s\n"}).json()
    assert not broken["ok"] and broken["diagnostics"][0]["severity"] == "error"
    tracery = client.post("/api/preview", json={"text": '{"origin": ["#a# and #a#"], "a": ["x", "y"]}',
                                                 "seed": 1}).json()
    assert tracery["ok"] and " and " in tracery["essay"]["text"]


def test_preview_bounds_an_exponential_grammar(client):
    text = "@start s\ns:\n    {s}{s}{s}\n    x\n"
    body = client.post("/api/preview", json={"text": text, "seed": 1}).json()
    assert body["diagnostics"]  # a diagnostic (warning or too-large), never a server error
    huge = "@start s\ns:\n" + "".join(f"    {{w}}{{w}}{{w}}{{w}}{{w}} {k}\n" for k in range(50)) + "w:\n    a\n    b\n"
    assert client.post("/api/preview", json={"text": huge, "seed": 1}).status_code == 200


def test_page_redirects_to_the_share_link_then_renders_the_same_text(client):
    response = client.get("/", params={"topic": "学生会", "length": 300})
    assert response.status_code == 303
    link = response.headers["location"]
    query = parse_qs(urlsplit(link).query)
    assert query["topic"] == ["学生会"] and query["length"] == ["300"] and query["style"] == ["zh"]
    seed = int(query["seed"][0])
    page = client.get(link)
    text = gpbt.load_style("zh").generate("学生会", seed=seed, length=300)
    for paragraph in text.split("\n")[1:]:
        if paragraph.strip():
            assert f"<p>{paragraph}</p>" in page.text
    assert client.get(link).text == page.text


def test_new_seed_button_without_javascript(client):
    response = client.get("/", params={"topic": "x", "seed": 5, "new": 1, "style": "en"})
    assert response.status_code == 303 and "seed=5&" not in response.headers["location"] + "&"


def test_several_topics_one_essay_each(client):
    page = client.get("/", params={"topic": "甲\n乙", "seed": 10, "length": 200}).text
    assert page.count('<article class="essay"') == 2
    style = gpbt.load_style("zh")
    assert style.generate("乙", seed=11, length=200).split("\n")[0] in page


def test_slots_get_inputs_and_go_into_the_link(client):
    page = client.get("/", params={"style": "slotted"}).text
    assert 'name="slot.城市"' in page and 'placeholder="北京"' in page
    response = client.get("/", params={"style": "slotted", "topic": "t", "slot.城市": "上海"})
    assert "slot.%E5%9F%8E%E5%B8%82=%E4%B8%8A%E6%B5%B7" in response.headers["location"]
    assert "上海" in client.get(response.headers["location"]).text


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_topics_stay_text(client, hostile):
    response = client.get("/", params={"topic": hostile, "length": 200, "style": "zh", "seed": 1})
    assert response.status_code == 200
    page = response.text
    assert "<script>alert" not in page and "<img src=x" not in page
    from html import escape
    assert escape(hostile) in page
    download = client.get("/download", params={"topic": hostile, "length": 200, "style": "zh", "seed": 1})
    assert hostile in download.text
    assert re.search(r"filename\*=UTF-8''[^;\s]+\.txt", download.headers["content-disposition"])


def test_download_is_named_after_the_topic(client):
    response = client.get("/download", params={"topic": "学生会", "length": 200, "seed": 1})
    assert response.headers["content-type"].startswith("text/plain")
    assert "filename*=UTF-8''%E5%AD%A6%E7%94%9F%E4%BC%9A.txt" in response.headers["content-disposition"]
    assert response.text == gpbt.load_style("zh").generate("学生会", seed=1, length=200).rstrip("\n") + "\n"


def test_security_headers_and_nothing_from_another_host(client):
    for path in ["/", "/play", "/api/styles", "/static/gpbt.css"]:
        response = client.get(path)
        policy = response.headers["content-security-policy"]
        assert "default-src 'none'" in policy and "script-src 'self'" in policy and "unsafe" not in policy
        assert response.headers["x-content-type-options"] == "nosniff"
    for path in ["/", "/play", "/static/gpbt.css", "/static/generator.js", "/static/play.js"]:
        text = client.get(path).text
        assert not re.search(r"(src|href)=\"(https?:)?//", text)
        assert not re.search(r"https?://", text.replace("http://www.w3.org/2000/svg", ""))
    for page in ["/", "/play"]:
        assert not re.search(r"<script(?![^>]*(src=|type=\"application/json\"))", client.get(page).text)


def test_interface_language(client):
    assert ">生成</button>" in client.get("/").text
    assert ">Generate</button>" in client.get("/", headers={"accept-language": "en-GB,en;q=0.9"}).text
    assert ">生成</button>" in client.get("/", params={"style": "ja"}).text and 'lang="ja"' in client.get(
        "/", params={"style": "ja"}).text
    assert 'lang="en"' in client.get("/play", headers={"accept-language": "fr, en;q=0.5"}).text


def test_errors_on_pages_are_readable(client):
    response = client.get("/", params={"topic": "x", "seed": "abc"})
    assert response.status_code == 400 and "whole number" in response.text and "<html" in response.text
    assert client.get("/", params={"topic": "x", "style": "nope"}).status_code == 404


def test_static_files_ship_in_the_package():
    from gpbt.web.app import STATIC
    assert {"gpbt.css", "generator.js", "play.js", "favicon.svg"} <= {path.name for path in STATIC.iterdir()}


def test_serve_without_the_web_extra_says_what_to_install(monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "starlette" else real(name, *a))
    result = CliRunner().invoke(main, ["serve"])
    assert result.exit_code == 2 and "pip install 'gpbt[web]'" in result.output
