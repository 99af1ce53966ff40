"""`gpbt generate --trace-tree`: the trace as the derivation tree (every rule expansion with its start, end and
children) instead of flat spans."""

from __future__ import annotations

from typing import Iterable, Iterator, Mapping

from ..derivation import derive
from ..style import Essay, Style


def with_trees(style: Style, essays: Iterable[Essay], slots: Mapping[str, str]) -> Iterator[Essay]:
    """Each essay with its trace replaced by its derivation tree (the text is the same, by construction)."""
    for essay in essays:
        derivation = derive(style, essay.topic, seed=essay.seed, length=essay.target, slots=slots)
        yield essay.replace(trace=derivation.tree())
