"""The server's limits, each with a name that error messages and docs/web.md use."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    max_length: int = 100_000  # characters asked for, per essay
    max_topics: int = 20  # essays per request (one topic a line)
    max_topic_chars: int = 1_000  # characters of one topic or slot value
    max_rule_bytes: int = 256 * 1024  # posted rule text, all files together (UTF-8)
    max_body_bytes: int = 300 * 1024  # a request body, JSON and all
    max_rerolls: int = 100  # re-rolled parts in one share link
    seconds: float = 5.0  # wall-clock time for one request's generation or check


class LimitError(Exception):
    """A request over a named limit: HTTP 413 or 400 with the limit in the message."""

    def __init__(self, message: str, status: int = 413) -> None:
        super().__init__(message)
        self.status = status


class BadRequest(Exception):
    """A parameter that does not parse: HTTP 400 (or 404 for something that does not exist)."""

    def __init__(self, message: str, status: int = 400, code: str = "bad-request") -> None:
        super().__init__(message)
        self.status = status
        self.code = code
