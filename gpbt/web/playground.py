"""The playground's endpoints: check, preview and stats of rule text posted by the browser (never the disk).

A body may name a served style as `context`: its files, as loaded at start-up, are checked together with the posted
ones (a posted file replaces the style's file of the same name), as the language server checks a file with the rest
of its style folder. So one file of a shipped style can be edited alone and its references to the style's other
files still resolve; the preview is the whole style's essay with the edited file in it.

Analyses are cached by the exact posted files (a cache, not per-user state: the same text gives the same answer), so
a preview after a change of topic or seed, or the stats request that follows a preview, does not check again; the
parse cache re-reads only files whose text changed, and generated functions are compiled only when their source
changed (gpbt/engine/codegen.py compiles a function at a time)."""

from __future__ import annotations

import threading
from collections import OrderedDict

from starlette.requests import Request
from starlette.responses import JSONResponse

from ..engine.stats import INFINITE, style_stats
from ..environment import Environment
from ..errors import GpbtError
from ..loaders import TRACERY_SUFFIX, DictLoader
from ..style import Style
from .api import generate
from .limits import BadRequest
from .params import MAX_SEED, integer, json_payload, read_body, rule_sources

CACHED_ANALYSES = 64


class Checked:
    """One posted set of files, checked: its diagnostics and, when it has no errors, the runnable style."""

    def __init__(self, diagnostics: list[dict], style: Style | None) -> None:
        self.diagnostics = diagnostics
        self.style = style
        self._rules: list[dict] | None = None

    def rules(self) -> list[dict]:
        """Each rule's variety figures (`gpbt stats`), made once."""
        if self._rules is None:
            stats = style_stats(self.style.definition)
            self._rules = [{"rule": rule.name, "file": rule.file, "line": rule.line,
                            "distinct": _figure(rule.distinct), "expected_length": _figure(rule.expected_length)}
                           for rule in stats.rules]
        return self._rules


class Playground:
    def __init__(self) -> None:
        self.environment = Environment()
        self.lock = threading.Lock()
        self.cache: OrderedDict[tuple, Checked] = OrderedDict()

    def check(self, files: dict[str, str]) -> Checked:
        key = tuple(sorted(files.items()))
        with self.lock:
            found = self.cache.get(key)
            if found is not None:
                self.cache.move_to_end(key)
                return found
            self.environment.loader = DictLoader(files, "playground")
            try:
                analysis = self.environment.analyse()
            except GpbtError as error:  # nothing to read, or not a Tracery grammar at all
                checked = Checked([d.as_dict() for d in error.diagnostics], None)
            else:
                style = None if analysis.errors else Style(analysis.definition, analysis.warnings)
                checked = Checked([d.as_dict() for d in analysis.diagnostics], style)
            self.cache[key] = checked
            if len(self.cache) > CACHED_ANALYSES:
                self.cache.popitem(last=False)
        if checked.style is not None:
            checked.style.functions()  # compiled here, a function at a time (unchanged ones are reused)
        return checked


PLAYGROUND = Playground()


async def posted(request: Request) -> tuple[dict, dict[str, str]]:
    """The request's JSON body and the files to check: the posted ones, on top of the `context` style's."""
    served = request.app.state.served
    payload = json_payload(await read_body(request, served.limits))
    files = rule_sources(payload, served.limits)
    context = payload.get("context")
    if context is None or context == "":
        return payload, files
    if not isinstance(context, str):
        raise BadRequest("'context' is the name of a served style, e.g. \"zh\"", code="bad-context")
    served.style(context)  # 404 for an unknown one
    style_files = served.sources.get(context, {})
    if any(name.lower().endswith(TRACERY_SUFFIX) for name in [*files, *style_files]):
        raise BadRequest("a Tracery grammar stands alone: it is neither posted with a 'context' nor one",
                         code="bad-context")
    return payload, {**style_files, **files}


async def check(request: Request) -> JSONResponse:
    """POST {"text": RULES} or {"files": {NAME: RULES}} (and "context") → the diagnostics, as `gpbt check
    --format json`."""
    served = request.app.state.served
    _, files = await posted(request)
    return JSONResponse(await generate(served, lambda: PLAYGROUND.check(files).diagnostics))


async def preview(request: Request) -> JSONResponse:
    """POST rules with topic, seed, length → {ok, diagnostics, essay} (ok false: the diagnostics say why)."""
    served = request.app.state.served
    limits = served.limits
    payload, files = await posted(request)
    topic = payload.get("topic")
    if topic is not None and (not isinstance(topic, str) or len(topic) > limits.max_topic_chars):
        raise BadRequest(f"'topic' must be text of at most {limits.max_topic_chars:,} characters", code="bad-topic")
    seed = integer(str(payload.get("seed", 0)), "seed", 0, MAX_SEED - 1) or 0
    raw_length = payload.get("length")
    length = integer(None if raw_length is None else str(raw_length), "length", 0, limits.max_length)
    with_stats = bool(payload.get("stats"))

    def work() -> dict:
        checked = PLAYGROUND.check(files)
        if checked.style is None:
            return {"ok": False, "diagnostics": checked.diagnostics}
        try:
            made = checked.style.essay(topic or None, seed=seed, length=length, time_limit=limits.seconds)
        except GpbtError as error:
            return {"ok": False, "diagnostics": checked.diagnostics + [d.as_dict() for d in error.diagnostics]}
        result = {"ok": True, "diagnostics": checked.diagnostics,
                  "essay": {"topic": made.topic, "seed": made.seed, "style": made.style, "length": made.length,
                            "text": made.text}}
        if with_stats:
            result["rules"] = checked.rules()
        return result

    return JSONResponse(await generate(served, work))


async def stats(request: Request) -> JSONResponse:
    """POST rules → each rule's variety figures (distinct expansions, expected length), or the diagnostics."""
    served = request.app.state.served
    _, files = await posted(request)

    def work() -> dict:
        checked = PLAYGROUND.check(files)
        if checked.style is None:
            return {"ok": False, "diagnostics": checked.diagnostics}
        return {"ok": True, "rules": checked.rules()}

    return JSONResponse(await generate(served, work))


def _figure(value):
    """Big integers as text (JSON readers lose them), infinity as "infinite", lengths to one decimal."""
    if isinstance(value, float):
        return "infinite" if value == INFINITE else round(value, 1)
    if isinstance(value, int) and value >= 2**53:
        return str(value)
    return value
