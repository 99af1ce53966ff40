"""A run of many essays from one style: topics x count from one base seed, streamed in order and cut into shards
(gpbt/bulk.py spreads a run over processes or a cluster; `Style.essays` is a run in this process).

The seed rule: essay number `i` of a run (0-based, counted across topics in order) uses seed `base + i`
(`essay_seed`). So one essay of a bulk run can be regenerated alone from its topic and seed, a run is reproducible
as a whole from its base seed, and any way of cutting a run into pieces gives the same essays.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Mapping, NamedTuple, Sequence

from .engine.runtime import fresh_seed
from .errors import UsageError

if TYPE_CHECKING:
    from .style import Essay, Style

Order = tuple["str | None", int]  # (topic, seed) of one essay
Render = Callable[["Essay", int], Any]  # what a caller writes for one essay, given its number in the run


def essay_seed(base: int, index: int) -> int:
    """The seed of essay `index` (0-based) of a run whose base seed is `base`: simply `base + index`."""
    return base + index


def chunked(orders: Iterable[Order], size: int) -> Iterator[tuple[int, list[Order]]]:
    """(topic, seed) orders in consecutive lists of `size` (the last may be shorter), each with the number in the
    run of its first essay, read as they are needed: how a run is cut into tasks for worker processes or a
    cluster."""
    orders = iter(orders)
    return zip(itertools.count(0, size), iter(lambda: list(itertools.islice(orders, size)), []))


def rendered(essays: Iterable[Essay], render: Render | None, first: int = 0) -> Iterator[Any]:
    """`essays`, or with `render` each one's `render(essay, number)`, numbered in the run from `first`. A bulk
    runner applies it where the essays are made, so a worker sends back what the caller writes (bytes, say),
    not the essays, and the caller's process only writes them."""
    if render is None:
        return iter(essays)
    return itertools.starmap(lambda number, essay: render(essay, number), enumerate(essays, first))


def shard_range(total: int, shard: int, shards: int) -> range:
    """The essay numbers of shard `shard` (0-based) of `shards` over `total` essays: contiguous, sizes differing by
    at most one, so the shards in order concatenate to the whole run."""
    if shards < 1 or not 0 <= shard < shards:
        raise UsageError(f"shard {shard} of {shards} does not exist", "bad-shard",
                         hint="shards are numbered 0 to n-1")
    return range(total * shard // shards, total * (shard + 1) // shards)


class Run(NamedTuple):
    """What a bulk run makes: `count` essays for each topic in turn, essay `i` with seed `essay_seed(seed, i)`.
    `topics` is a tuple, or any iterable read as it goes (topics arriving on stdin; such a run has no `total`)."""

    seed: int
    topics: Sequence[str | None] | Iterable[str | None] = (None,)
    count: int = 1
    length: int | None = None
    slots: tuple[tuple[str, str], ...] = ()
    trace: bool = False

    @classmethod
    def of(cls, topics: Iterable[str | None] = (None,), *, count: int = 1, seed: int | None = None,
           length: int | None = None, slots: Mapping[str, str] | None = None, trace: bool = False) -> Run:
        """A run from ordinary arguments; without a seed, a fresh base seed is drawn (and kept in `run.seed`).
        A list or tuple of topics is kept as a tuple; any other iterable is read lazily, once."""
        if count < 0:
            raise UsageError(f"the count must not be negative (got {count})", "bad-count")
        return cls(fresh_seed() if seed is None else seed,
                   tuple(topics) if isinstance(topics, (list, tuple)) else topics, count, length,
                   tuple(sorted((slots or {}).items())), trace)

    @property
    def total(self) -> int | None:
        """How many essays, or None while the topics are still arriving."""
        return len(self.topics) * self.count if isinstance(self.topics, Sequence) else None

    def shard(self, shard: int, shards: int) -> range:
        """The essay numbers of shard `shard` (0-based) of `shards`; see `shard_range`."""
        if self.total is None:
            raise UsageError("a run whose topics are still arriving cannot be sharded", "bad-shard")
        return shard_range(self.total, shard, shards)

    def orders(self, numbers: range | None = None) -> Iterator[tuple[str | None, int]]:
        """(topic, seed) of each essay of the run, or of the essay numbers given, in order."""
        if numbers is None:
            number = 0
            for topic in self.topics:
                for _ in range(self.count):
                    yield topic, essay_seed(self.seed, number)
                    number += 1
            return
        topics = self.topics
        assert isinstance(topics, Sequence), "essay numbers need a run whose topics are known"
        for number in numbers:
            yield topics[number // self.count], essay_seed(self.seed, number)

    def essays(self, style: Style, numbers: range | None = None) -> Iterator[Essay]:
        """The essays of this run (or of the essay numbers given), in order, one at a time."""
        return self.make(style, self.orders(numbers))

    def make(self, style: Style, orders: Iterable[tuple[str | None, int]]) -> Iterator[Essay]:
        """The essays of these (topic, seed) pairs, with this run's length, slots and trace."""
        slots = dict(self.slots)
        for topic, seed in orders:
            yield style.essay(topic, seed=seed, length=self.length, slots=slots, trace=self.trace)

    def settings(self) -> Run:
        """This run without its topics: what a worker needs beside its (topic, seed) pairs."""
        return self._replace(topics=())


def essays(style: Style, topic: str | None = None, *, count: int, seed: int | None = None,
           length: int | None = None, slots: Mapping[str, str] | None = None,
           shard: tuple[int, int] | None = None) -> Iterator[Essay]:
    """`count` essays on one topic, streamed (what `Style.essays` returns); `shard=(k, n)` gives only shard k
    (0-based) of n. Without a seed the base seed is drawn once; each essay's own seed is in `Essay.seed`."""
    run = Run.of((topic,), count=count, seed=seed, length=length, slots=slots)
    return run.essays(style, None if shard is None else run.shard(*shard))
