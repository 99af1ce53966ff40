"""The two HTML pages, rendered on the server (the generator works with JavaScript off), and the .txt download.
Every piece of user text goes through `html.escape` (or `urlencode` in links); scripts are files, never inline."""

from __future__ import annotations

import json
from html import escape
from urllib.parse import quote, urlencode

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from .._version import __version__
from ..engine.runtime import fresh_seed
from .i18n import LABELS, pick_language
from .params import SLOT_PREFIX, EssayParams, essay_params


def _language(request: Request, style_language: str | None = None) -> str:
    forced = request.query_params.get("ui")
    if forced in LABELS:
        return forced
    return pick_language(style_language, request.headers.get("accept-language"))


def _shell(lang: str, title: str, body: str, script: str, page: str) -> str:
    words = LABELS[lang]
    nav = "".join(f'<a href="{href}"{" aria-current=page" if name == page else ""}>{escape(words[key])}</a>'
                  for name, href, key in [("generator", "/", "nav_generator"), ("play", "/play", "nav_play")])
    return (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<title>{escape(title)}</title><link rel="icon" href="/static/favicon.svg">'
            f'<link rel="stylesheet" href="/static/gpbt.css?v={__version__}">'
            f'<script src="/static/{script}?v={__version__}" defer></script></head>'
            f'<body class="page-{page}"><header class="bar"><a class="brand" href="/">{escape(words["title"])}</a>'
            f'<nav>{nav}</nav></header>{body}'
            f'<footer>{escape(words["footer"])} · v{__version__}</footer></body></html>')


async def generator_page(request: Request) -> Response:
    served = request.app.state.served
    query = request.query_params
    default_style = query.get("style") or _style_for_browser(request, served)
    params = essay_params(request, served, many=True, require_topic=False) if query.get("style") or query.get(
        "topic") else None
    style = served.style(default_style)
    if params is not None and (query.get("seed") is None or query.get("new")):
        if query.get("new"):
            params.seed = fresh_seed()
            params.rerolls = {}
        return RedirectResponse("/?" + urlencode(params.query()), 303)  # the address always reproduces the text
    lang = _language(request, style.language)
    words = LABELS[lang]
    essays = []
    if params is not None:
        from .api import essay_record, generate

        for index in range(len(params.topics)):
            essays.append(await generate(served, lambda index=index: essay_record(
                params, index, None, served.limits.seconds)))
    body = _form(served, style, params, words, lang) + _results(params, essays, words)
    config = {"labels": words, "styles": {name: _style_info(s) for name, s in served.styles.items()}}
    body += f'<script type="application/json" id="config">{_json_for_html(config)}</script>'
    title = f'{params.topics[0]} · {words["title"]}' if params else words["title"]
    return HTMLResponse(_shell(lang, title, body, "generator.js", "generator"))


def _style_for_browser(request: Request, served) -> str:
    lang = pick_language(None, request.headers.get("accept-language"))
    for name, style in served.styles.items():
        if style.language.split("-")[0] == lang:
            return name
    return next(iter(served.styles))


def _style_info(style) -> dict:
    return {"language": style.language, "default_length": style.default_length, "topic_slot": style.topic_slot,
            "slots": [[slot.name, slot.default] for slot in style.definition.slots.values()
                      if slot.name != style.topic_slot]}


def _json_for_html(data) -> str:
    """JSON inside a non-executed script element: `<` escaped so no text can close the element."""
    return json.dumps(data, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace(
        "&", "\\u0026")


def _form(served, style, params: EssayParams | None, words: dict, lang: str) -> str:
    topic = "\n".join(params.topics) if params else ""
    length = params.length if params else style.default_length
    options = "".join(f'<option value="{escape(name)}"{" selected" if name == style.name else ""}>'
                      f'{escape(name)} · {escape(s.description[:40])}</option>'
                      for name, s in served.styles.items())
    slot_inputs = ""
    for slot in style.definition.slots.values():
        if slot.name == style.topic_slot:
            continue
        value = params.slots.get(slot.name, "") if params else ""
        slot_inputs += (f'<label class="field slot">{escape(slot.name)}<input name="{escape(SLOT_PREFIX + slot.name)}" '
                        f'value="{escape(value)}" placeholder="{escape(slot.default or "")}"></label>')
    seed = f'<input type="hidden" name="seed" value="{params.seed}">' if params else ""
    return (f'<main class="generator"><form id="form" class="controls" method="get" action="/">'
            f'<label class="field topic">{escape(words["topic"])}'
            f'<textarea name="topic" id="topic" rows="2" placeholder="{escape(words["topic_hint"])}" '
            f'required maxlength="20000">{escape(topic)}</textarea></label>'
            f'<div class="row"><label class="field">{escape(words["length"])}'
            f'<input type="number" name="length" id="length" min="0" max="{served.limits.max_length}" '
            f'value="{length}"></label>'
            f'<label class="field">{escape(words["style"])}<select name="style" id="style">{options}</select></label>'
            f'</div><div class="row slots" id="slots">{slot_inputs}</div>{seed}'
            f'<div class="row buttons"><button type="submit" class="primary" id="generate">'
            f'{escape(words["generate"])}</button>'
            f'<button type="submit" name="new" value="1" id="new-seed">{escape(words["new_seed"])}</button></div>'
            f'</form>')


def _results(params: EssayParams | None, essays: list[dict], words: dict) -> str:
    if params is None:
        return f'<section id="results" class="results"><p class="empty">{escape(words["empty"])}</p></section></main>'
    total = sum(len(essay["text"]) for essay in essays)
    download = "/download?" + urlencode(params.query())
    tools = (f'<div class="tools" id="tools"><button type="button" id="copy" hidden>{escape(words["copy"])}</button>'
             f'<button type="button" id="copy-link" hidden>{escape(words["copy_link"])}</button>'
             f'<a id="download" class="button" href="{escape(download)}">{escape(words["download"])}</a>'
             f'<label class="toggle" hidden id="source-toggle"><input type="checkbox" id="show-source">'
             f'{escape(words["show_source"])}</label>'
             f'<span class="count" id="count">{escape(words["count"].format(n=total))}</span></div>')
    articles = ""
    for index, essay in enumerate(essays):
        lines = essay["text"].split("\n")
        title, paragraphs = lines[0], [line for line in lines[1:] if line.strip()]
        body = "".join(f"<p>{escape(paragraph)}</p>" for paragraph in paragraphs)
        articles += (f'<article class="essay" data-index="{index}" data-seed="{essay["seed"]}">'
                     f'<h2>{escape(title)}</h2>{body}</article>')
    return f'<section id="results" class="results">{tools}{articles}</section></main>'


async def download(request: Request) -> Response:
    """The essays as a .txt file named after the (first) topic."""
    served = request.app.state.served
    params = essay_params(request, served, many=True, require_topic=True)
    if request.query_params.get("seed") is None:
        return RedirectResponse("/download?" + urlencode(params.query()), 303)
    from .api import essay_record, generate

    texts = [(await generate(served, lambda index=index: essay_record(params, index, None,
                                                                        served.limits.seconds)))["text"]
             for index in range(len(params.topics))]
    name = _file_name(params.topics[0]) + ".txt"
    fallback = "essay.txt"
    disposition = f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name)}"
    return Response("\n\n".join(text.rstrip("\n") for text in texts) + "\n", media_type="text/plain; charset=utf-8",
                    headers={"content-disposition": disposition})


def _file_name(topic: str) -> str:
    """A file name from a topic: path separators and control characters out, at most 60 characters."""
    cleaned = "".join("_" if ch in '/\\:*?"<>|' or ord(ch) < 32 else ch for ch in topic).strip(" .")
    return cleaned[:60] or "essay"


async def playground_page(request: Request) -> Response:
    served = request.app.state.served
    lang = _language(request)
    words = LABELS[lang]
    starts = _start_options(served, words)
    body = (f'<main class="playground">'
            f'<div class="controls row"><label class="field">{escape(words["start_from"])}<select id="start">'
            f'<option value="">{escape(words["blank"])}</option>{starts}</select></label>'
            f'<label class="field">{escape(words["topic"])}<input id="topic" value=""></label>'
            f'<label class="field">{escape(words["seed"])}<input id="seed" type="number" min="0" value="1"></label>'
            f'<label class="field">{escape(words["length"])}<input id="length" type="number" min="0" '
            f'max="{served.limits.max_length}" value="600"></label>'
            f'<div class="buttons"><button type="button" id="new-seed">{escape(words["new_seed"])}</button>'
            f'<button type="button" id="share">{escape(words["share_style"])}</button>'
            f'<button type="button" id="download-rules">{escape(words["download_rules"])}</button></div></div>'
            f'<div class="panes"><section class="editor-pane"><div class="tabs" id="tabs"></div>'
            f'<p class="context-note" id="context-note" hidden></p>'
            f'<textarea id="editor" spellcheck="false" autocomplete="off" wrap="off"></textarea>'
            f'<div class="variety" id="variety"><b>{escape(words["variety"])}</b> <span id="variety-text">—</span>'
            f'</div></section>'
            f'<section class="side"><h2>{escape(words["diagnostics"])}</h2><ul id="diagnostics" class="diagnostics">'
            f'</ul><h2>{escape(words["preview"])}</h2><div id="preview" class="preview essay"></div></section></div>'
            f'<noscript><p>The playground needs JavaScript; the generator page works without it.</p></noscript>'
            f'</main>')
    body += f'<script type="application/json" id="config">{_json_for_html({"labels": words})}</script>'
    return HTMLResponse(_shell(lang, words["play_title"], body, "play.js", "play"))


def _start_options(served, words: dict) -> str:
    """What the editor can start from: each served style whole and, for a style of several files, each file alone
    (edited with the style's other files as read-only context). A value is the query of the /play link."""
    groups = ""
    for name, files in served.sources.items():
        options = [(urlencode({"from": name}), f'{name} · {words["whole_style"]}')]
        if len(files) > 1:
            options += [(urlencode({"from": name, "file": file}), f"{name} / {file}") for file in files]
        groups += (f'<optgroup label="{escape(name)}">'
                   + "".join(f'<option value="{escape(value)}">{escape(label)}</option>' for value, label in options)
                   + "</optgroup>")
    return groups


def error_page(request: Request, status: int, message: str, hint: str | None) -> Response:
    lang = _language(request)
    words = LABELS[lang]
    body = (f'<main class="generator"><section class="error" role="alert"><h2>{escape(words["error"])} {status}</h2>'
            f'<p>{escape(message)}</p>{f"<p>{escape(hint)}</p>" if hint else ""}'
            f'<p><a href="/">{escape(words["nav_generator"])}</a></p></section></main>')
    return HTMLResponse(_shell(lang, words["error"], body, "generator.js", "error"), status)
