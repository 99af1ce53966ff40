"""A wall-clock bound on one generation, for servers: the work bounds stop a grammar that grows, this stops one
that is merely slow, so a request cannot hold a worker. The document already checks its size every few thousand
templates (`Document.check_size`); a document with a deadline also looks at the clock there (per document, nothing
global)."""

from __future__ import annotations

import random
import time
from functools import lru_cache
from typing import Mapping

from .errors import GenerationError
from .style import Essay, Style


class DeadlineMixin:
    """Mixed into a document class: `check_size` also raises "too-slow" once `deadline` (monotonic) has passed."""

    deadline: float | None = None
    seconds: float | None = None

    def check_size(self, rule) -> None:
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise GenerationError(f"generation took longer than the limit of {self.seconds:g} s", "too-slow",
                                  hint="ask for a shorter text, or simplify the rules")
        super().check_size(rule)  # type: ignore[misc]

    def set_deadline(self, seconds: float | None) -> None:
        self.seconds = seconds
        self.deadline = None if seconds is None else time.monotonic() + seconds


@lru_cache(maxsize=None)
def with_deadline(document_class: type) -> type:
    """`document_class` with a deadline (a subclass, made once per class)."""
    return type(f"Deadline{document_class.__name__}", (DeadlineMixin, document_class), {})


def bounded_essay(style: Style, topic: str | None, *, seed: int | None = None, length: int | None = None,
                  slots: Mapping[str, str] | None = None, trace: bool = False,
                  seconds: float | None = None) -> Essay:
    """`style.essay(...)`, stopped with a "too-slow" GenerationError past `seconds` of wall-clock time."""
    plain, seed = style._document(topic, seed, length, slots, None, trace)
    if seconds is None:
        document = plain
    else:  # the same document, of a class that watches the clock
        values = {name: str(value) for name, value in plain.slots.items()}
        document = with_deadline(type(plain))(plain.grammar, plain.functions, random.Random(seed), values,
                                               plain.target, plain.ceiling)
        document.set_deadline(seconds)
    if trace:
        text, spans = document.run_traced()
        return Essay(text, topic, seed, style.name, document.target, spans)
    return Essay(document.run(), topic, seed, style.name, document.target)


def bounded_derivation(style: Style, topic: str | None, *, seed: int | None = None, length: int | None = None,
                       slots: Mapping[str, str] | None = None, rerolls: list[tuple[int, int]] = (),
                       seconds: float | None = None):
    """`derive(...)` then `apply_rerolls(...)`, within `seconds` of wall-clock time."""
    from .derivation import apply_rerolls, derive

    return apply_rerolls(style, derive(style, topic, seed=seed, length=length, slots=slots, seconds=seconds),
                         list(rerolls), seconds=seconds)
