"""The JSON API (docs/web.md): essays, styles, and the playground's check and preview."""

from __future__ import annotations


import anyio
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse

from ..derivation import Derivation, apply_rerolls, derive
from ..style import Style
from .limits import BadRequest, LimitError
from .params import EssayParams, essay_params


INLINE_LENGTH = 10_000  # a served style's essay up to this length is generated on the event loop, not in a thread


def essay_record(params: EssayParams, index: int, trace: str | None, seconds: float | None = None) -> dict:
    """One essay as `gpbt generate --format json` writes it; trace "1" adds the spans, "tree" the derivation tree
    and the sentences (what the page re-rolls). Re-rolls always go through the tree."""
    style, topic, seed = params.style, params.topics[index], params.seed + index
    rerolls = params.rerolls.get(index, [])
    if trace == "tree" or rerolls:
        derivation = apply_rerolls(style, derive(style, topic, seed=seed, length=params.length, slots=params.slots,
                                                 seconds=seconds), rerolls, seconds=seconds)
        record = {"topic": topic, "seed": seed, "style": style.name, "length": len(derivation.text),
                  "text": derivation.text}
        if trace == "1":
            record["trace"] = derivation.spans
        elif trace == "tree":
            record.update(tree_record(derivation))
        return record
    essay = style.essay(topic, seed=seed, length=params.length, slots=params.slots, trace=trace == "1",
                        time_limit=seconds)
    record = {"topic": essay.topic, "seed": essay.seed, "style": essay.style, "length": essay.length,
              "text": essay.text}
    if essay.trace is not None:
        record["trace"] = essay.trace
    return record


def tree_record(derivation: Derivation) -> dict:
    return {"nodes": [node.as_dict() for node in derivation.nodes],
            "sentences": [{"start": node.start, "end": node.end, "node": node.id}
                          for node in derivation.sentences()]}


async def essay(request: Request) -> JSONResponse:
    served = request.app.state.served
    params = essay_params(request, served, many=False, require_topic=True)
    trace = request.query_params.get("trace")
    if trace not in (None, "", "0", "1", "tree"):
        raise BadRequest(f"'trace' is 1 (spans) or tree (derivation tree), got {trace[:20]!r}", code="bad-trace")
    work = lambda: essay_record(params, 0, trace or None, served.limits.seconds)  # noqa: E731
    if params.length <= INLINE_LENGTH and not trace and not params.rerolls:
        record = work()  # about a millisecond: cheaper than a hop to a thread; the deadline still bounds it
    else:
        record = await generate(served, work)
    if params.rerolls.get(0):
        record["r"] = params.rerolls_text(0)
    return JSONResponse(record)


async def generate(served, work):
    """Run library work off the event loop, within the wall-clock limit (the deadline stops the generation
    itself; this stops the wait for work that has no deadline of its own, such as a check)."""
    seconds = served.limits.seconds
    try:
        with anyio.fail_after(seconds + 1):
            return await run_in_threadpool(work)
    except TimeoutError:
        raise LimitError(f"the request took longer than {seconds:g} s (seconds)", 503) from None


async def styles(request: Request) -> JSONResponse:
    served = request.app.state.served
    return JSONResponse([style_record(style) for style in served.styles.values()])


def style_record(style: Style) -> dict:
    return {**style.facts.summary(), "topic_slot": style.topic_slot,
            "slots": [{"name": slot.name, "default": slot.default} for slot in style.definition.slots.values()
                      if slot.name != style.topic_slot]}


async def style_files(request: Request) -> JSONResponse:
    """A served style's rule files, as loaded at start-up (never read from disk here): all of them, or with
    `file=NAME` that one file to edit and the others as `context` (read-only, checked together with it)."""
    served = request.app.state.served
    name = request.query_params.get("style")
    if not name:
        raise BadRequest("'style' is missing: name a served style, e.g. ?style=zh", code="missing-style")
    served.style(name)  # 404 for an unknown one
    files = served.sources.get(name, {})
    wanted = request.query_params.get("file")
    if wanted is None:
        return JSONResponse({"style": name, "files": files})
    if wanted not in files:
        raise BadRequest(f"style '{name}' has no file named '{wanted[:60]}' (its files: {', '.join(files)})", 404,
                         "unknown-file")
    return JSONResponse({"style": name, "file": wanted, "files": {wanted: files[wanted]},
                         "context": {other: text for other, text in files.items() if other != wanted}})


BASELINE_TEXT = "狗屁不通" * 1500  # 6000 characters: what /api/baseline returns, for bench/bench_serve.py


async def baseline(request: Request) -> JSONResponse:
    """A fixed 6000-character text through the same app: the benchmark's yardstick."""
    return JSONResponse({"topic": "baseline", "seed": 0, "style": "baseline", "length": len(BASELINE_TEXT),
                         "text": BASELINE_TEXT})
