"""A wall-clock bound on one generation, for servers: the work bounds stop a grammar that grows, this stops one
that is merely slow, so a request cannot hold a worker. The expander already checks its size every few thousand
templates; the guard adds a look at the clock to that check (per expander, nothing global)."""

from __future__ import annotations

import time
from typing import Mapping

from .derivation import Derivation, apply_rerolls, derive
from .errors import GenerationError
from .style import Essay, Style


def guard(expander, seconds: float | None) -> None:
    """Make `expander` raise GenerationError("too-slow") at its next size check after `seconds`."""
    if seconds is None:
        return
    deadline = time.monotonic() + seconds
    check = expander.check_size

    def checked(rule) -> None:
        if time.monotonic() > deadline:
            raise GenerationError(f"generation took longer than the limit of {seconds:g} s", "too-slow",
                                  hint="ask for a shorter text, or simplify the rules")
        check(rule)

    expander.check_size = checked  # the generated rule functions call ex.check_size: the instance's wins


def bounded_essay(style: Style, topic: str | None, *, seed: int | None = None, length: int | None = None,
                  slots: Mapping[str, str] | None = None, trace: bool = False,
                  seconds: float | None = None) -> Essay:
    """`style.essay(...)`, stopped with a "too-slow" GenerationError past `seconds` of wall-clock time."""
    expander, seed = style._document(topic, seed, length, slots, None, trace)
    guard(expander, seconds)
    if trace:
        text, spans = expander.run_traced()
        return Essay(text, topic, seed, style.name, expander.target, spans)
    return Essay(expander.run(), topic, seed, style.name, expander.target)


def bounded_derivation(style: Style, topic: str | None, *, seed: int | None = None, length: int | None = None,
                       slots: Mapping[str, str] | None = None, rerolls: list[tuple[int, int]] = (),
                       seconds: float | None = None) -> Derivation:
    """`derive(...)` then `apply_rerolls(...)`, within `seconds` of wall-clock time."""
    return apply_rerolls(style, derive(style, topic, seed=seed, length=length, slots=slots, seconds=seconds),
                         list(rerolls), seconds=seconds)
