"""Reading a request's parameters into checked values; anything wrong is a BadRequest or LimitError naming it."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Mapping

from starlette.requests import Request

from ..derivation import parse_rerolls
from ..engine.runtime import fresh_seed
from ..errors import GenerationError
from ..style import Style
from .limits import BadRequest, LimitError, Limits

MAX_SEED = 2**64
SLOT_PREFIX = "slot."


@dataclass
class EssayParams:
    """What reproduces a page of essays: style, topics, length, seed (essay i gets seed + i), slots, re-rolls."""

    style: Style
    topics: list[str]
    length: int
    seed: int
    slots: dict[str, str] = field(default_factory=dict)
    rerolls: dict[int, list[tuple[int, int]]] = field(default_factory=dict)  # essay index → [(part, sub-seed)]

    def query(self, topic: str | None = None, index: int = 0) -> dict[str, str]:
        """The share-link parameters (all topics, or one topic as essay `index`)."""
        params = {"topic": "\n".join(self.topics) if topic is None else topic, "length": str(self.length),
                  "style": self.style.name, "seed": str(self.seed + index if topic is not None else self.seed)}
        for name, value in self.slots.items():
            params[SLOT_PREFIX + name] = value
        rerolls = self.rerolls_text(None if topic is None else index)
        if rerolls:
            params["r"] = rerolls
        return params

    def rerolls_text(self, only: int | None = None) -> str:
        items = []
        for index, pairs in sorted(self.rerolls.items()):
            if only is not None and index != only:
                continue
            prefix = "" if index == 0 or only is not None else f"{index}."
            items += [f"{prefix}{part}:{seed}" for part, seed in pairs]
        return ",".join(items)


def integer(value: str | None, name: str, low: int, high: int) -> int | None:
    if value is None or value == "":
        return None
    text = value.strip()
    if not text.isdigit() or not text.isascii():
        raise BadRequest(f"'{name}' must be a whole number, got {value[:40]!r}", code=f"bad-{name}")
    number = int(text)
    if not low <= number <= high:
        raise LimitError(f"'{name}' must be between {low:,} and {high:,} (got {number:,})", 400)
    return number


def essay_params(request: Request, served, *, many: bool, require_topic: bool) -> EssayParams | None:
    """The essay parameters of a query string. With `many`, the topic holds one topic a line. None when there is
    no topic and none is required (an empty form)."""
    query = request.query_params
    limits: Limits = served.limits
    style = served.style(query.get("style") or None)
    raw_topic = query.get("topic")
    if raw_topic is None or not raw_topic.strip():
        if require_topic:
            raise BadRequest("'topic' is missing: say what the essay is about, e.g. ?topic=学生会退会",
                             code="missing-topic")
        return None
    topics = [line.strip() for line in raw_topic.splitlines() if line.strip()] if many else [raw_topic]
    if len(topics) > limits.max_topics:
        raise LimitError(f"at most {limits.max_topics} topics at once (max_topics), got {len(topics)}", 400)
    for topic in topics:
        _check_text(topic, "topic", limits)
    length = integer(query.get("length"), "length", 0, limits.max_length)
    seed = integer(query.get("seed"), "seed", 0, MAX_SEED - 1)
    slots = {}
    for key, value in query.multi_items():
        if key.startswith(SLOT_PREFIX) and value != "":
            name = key[len(SLOT_PREFIX):]
            if name not in style.definition.slots or name == style.topic_slot:
                raise BadRequest(f"style '{style.name}' has no slot named '{name[:40]}'", code="unknown-slot")
            slots[name] = _check_text(value, f"slot {name}", limits)
    rerolls = _rerolls(query.get("r", ""), limits)
    return EssayParams(style, topics, style.default_length if length is None else length,
                       fresh_seed() if seed is None else seed, slots, rerolls)


def _check_text(value: str, what: str, limits: Limits) -> str:
    if len(value) > limits.max_topic_chars:
        raise LimitError(f"the {what} is longer than {limits.max_topic_chars:,} characters (max_topic_chars)", 400)
    return value


def _rerolls(value: str, limits: Limits) -> dict[int, list[tuple[int, int]]]:
    result: dict[int, list[tuple[int, int]]] = {}
    count = 0
    for item in filter(None, value.split(",")):
        index_text, dot, pair = item.rpartition(".") if "." in item else ("0", "", item)
        if not index_text.isdigit():
            raise BadRequest(f"a re-roll is [ESSAY.]PART:SEED, got {item[:40]!r}", code="bad-reroll")
        try:
            parsed = parse_rerolls(pair)
        except GenerationError as error:
            raise BadRequest(error.diagnostics[0].message, code="bad-reroll") from None
        result.setdefault(int(index_text), []).extend(parsed)
        count += 1
    if count > limits.max_rerolls:
        raise LimitError(f"at most {limits.max_rerolls} re-rolls in one link (max_rerolls), got {count}", 400)
    return result


async def read_body(request: Request, limits: Limits) -> bytes:
    """The request body, refused past max_body_bytes without reading it all."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limits.max_body_bytes:
        raise LimitError(f"the request body is over {limits.max_body_bytes:,} bytes (max_body_bytes)")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limits.max_body_bytes:
            raise LimitError(f"the request body is over {limits.max_body_bytes:,} bytes (max_body_bytes)")
    return bytes(body)


def rule_sources(payload: Mapping, limits: Limits) -> dict[str, str]:
    """The rule files of a posted body: {"files": {name: text}} or {"text": ..., "name": ...}. A text that looks
    like JSON is a Tracery grammar."""
    files = payload.get("files")
    if files is None:
        text = payload.get("text")
        if not isinstance(text, str):
            raise BadRequest("post {\"text\": RULES} or {\"files\": {NAME: RULES}}", code="missing-rules")
        name = payload.get("name") or ("grammar.json" if text.lstrip().startswith("{") else "style.gpbt")
        files = {name: text}
    if not isinstance(files, dict) or not files or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in files.items()):
        raise BadRequest("'files' must map file names to rule text", code="missing-rules")
    size = sum(len(text.encode("utf-8")) for text in files.values())
    if size > limits.max_rule_bytes:
        raise LimitError(f"the rule text is over {limits.max_rule_bytes // 1024} KiB (max_rule_bytes), "
                         f"got {size:,} bytes")
    for name in files:
        if name.startswith("/") or ".." in name.split("/") or "\\" in name:
            raise BadRequest(f"a file name is a plain name, got {name[:60]!r}", code="bad-file-name")
    return files


def json_payload(body: bytes) -> dict:
    try:
        payload = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BadRequest(f"the body is not JSON: {error}", code="bad-json") from None
    if not isinstance(payload, dict):
        raise BadRequest("the body must be a JSON object", code="bad-json")
    return payload
