"""Many essays from one style, spread over processes (`essays_in_processes`) or a Dask cluster (`essays_on_dask`)
with the output of one process: a `Run` (gpbt/runs.py) cut into chunks, made elsewhere, yielded back in order.

Nothing here prints; the runners yield `Essay` objects, or, given a front end's `render` function, what it makes
of each essay, made where the essay is made (a worker then sends back only what the front end writes).
"""

from __future__ import annotations

import itertools
import os
import threading
from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Iterator

from .errors import GpbtError, UsageError
from .runs import Order, Render, Run, chunked, rendered
from .workers import Failure, essays_from_workers, outcome_of

if TYPE_CHECKING:
    from concurrent.futures import Future  # the shape of a Dask future too

    from .style import Style

DASK_HINT = "pip install 'gpbt[dask]'"


@dataclass(frozen=True)
class StyleRecipe:
    """How another process or machine loads the same style: a shipped name or a path it can read, or the sources
    themselves (`load_style_from_sources`). `fingerprint`, when set, is checked after loading so a worker whose
    files differ fails loudly instead of writing other essays."""

    spec: str | None = None
    sources: tuple[tuple[str, str], ...] = ()
    name: str = "style"
    start: str | None = None
    tracery_compat: bool = False
    fingerprint: str | None = None

    def load(self) -> Style:
        from .environment import load_style, load_style_from_sources

        if self.spec is not None:
            style = load_style(self.spec, start=self.start, tracery_compat=self.tracery_compat)
        else:
            style = load_style_from_sources(dict(self.sources), name=self.name, start=self.start,
                                            tracery_compat=self.tracery_compat)
        if self.fingerprint is not None and style_fingerprint(style) != self.fingerprint:
            raise UsageError(f"the style '{self.spec or self.name}' loaded here differs from the one the run was "
                             "started with", "style-mismatch",
                             hint="every worker must see the same rule files (or pass the sources)")
        return style


def style_fingerprint(style: Style) -> str:
    """A digest of the text of every file the style was read from, in order (not their paths, which may differ
    from machine to machine)."""
    import hashlib

    digest = hashlib.sha256(style.name.encode())
    for rule_file in style.definition.files:
        digest.update(b"\0" + rule_file.source.text.encode())
    return digest.hexdigest()


# --- many processes on this machine -----------------------------------------------------------------------------

def job_count(jobs: int) -> int:
    """`jobs`, with 0 meaning one per core this process may use."""
    if jobs < 0:
        raise UsageError(f"--jobs must be 0 or more (got {jobs})", "bad-jobs", hint="0 means one per core")
    if jobs:
        return jobs
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def chunk_size(total: int | None, workers: int) -> int:
    """Essays per task: enough to amortise the hand-over, few enough that output starts at once and every worker
    gets work (topics still arriving: small chunks, so each essay follows its topic soon)."""
    if total is None:
        return 4
    return max(1, min(32, total // (workers * 8)))


def essays_in_processes(style: Style, run: Run, jobs: int = 0, *, recipe: StyleRecipe | None = None,
                        chunk: int | None = None, render: Render | None = None) -> Iterator[Any]:
    """The essays of `run`, made by `jobs` worker processes (0: one per core) and yielded in run order, the same as
    `run.essays(style)`; with `render`, `render(essay, number)` of each, called in the worker (picklable where
    the platform cannot fork). At most a few chunks per worker are in flight, so memory stays flat. Workers
    inherit `style` where the platform forks; elsewhere they load `recipe` (required there). One job runs in this
    process; gpbt/workers.py runs the others."""
    jobs = job_count(jobs)
    if jobs == 1 or run.total in (0, 1):
        return rendered(run.essays(style), render)
    return essays_from_workers(style, run, jobs, chunk or chunk_size(run.total, jobs),
                               None if recipe is None else recipe.load, render)


# --- a Dask cluster -------------------------------------------------------------------------------------------------

_loaded: dict[StyleRecipe, Style] = {}  # in each Dask worker: styles loaded so far
_loading = threading.Lock()


def essays_on_dask(recipe: StyleRecipe, run: Run, scheduler: Any, *, chunk: int | None = None,
                   render: Render | None = None) -> Iterator[Any]:
    """The essays of `run` made on a Dask cluster and yielded in run order, the same as on one machine (with
    `render`, what it makes of each, on the cluster).
    `scheduler` is an address (`tcp://host:8786`) or a `distributed.Client`. Each worker loads `recipe` once, so
    the workers need gpbt installed and, for a spec that is a path, the same files (the fingerprint is checked)."""
    Client = dask_client_class()
    client = scheduler if isinstance(scheduler, Client) else Client(scheduler)
    try:
        workers = max(1, sum(client.nthreads().values()))
        size = chunk or chunk_size(run.total, workers)
        settings = run.settings()
        yield from _in_order(lambda first, orders: client.submit(_dask_chunk, recipe, settings, first, orders,
                                                                 render, pure=False),
                             run.orders(), size, 3 * workers)
    finally:
        if client is not scheduler:
            client.close()


def _in_order(submit: Callable[[int, list[Order]], Any], orders: Iterator[Order], size: int,
              window: int) -> Iterator[Any]:
    """Submit the (topic, seed) orders in chunks of `size` (to a Dask cluster), at most `window` chunks in flight,
    and yield the essays in order."""
    chunks = chunked(orders, size)
    pending: deque[Future] = deque(submit(*chunk) for chunk in itertools.islice(chunks, window))
    while pending:
        essays_of_chunk = outcome_of(pending.popleft().result())
        chunk = next(chunks, None)
        if chunk is not None:
            pending.append(submit(*chunk))
        yield from essays_of_chunk


def dask_client_class() -> Any:
    """`distributed.Client`, or a usage error (exit 2) that says which extra to install."""
    try:
        from distributed import Client
    except ImportError:
        raise UsageError("running on a Dask cluster needs Dask", "missing-extra", hint=DASK_HINT) from None
    return Client


def _dask_chunk(recipe: StyleRecipe, settings: Run, first: int, orders: list[Order],
                render: Render | None) -> list[Any] | Failure:
    try:
        return list(rendered(settings.make(_style_of(recipe), orders), render, first))
    except GpbtError as error:
        return Failure.of(error)


def _style_of(recipe: StyleRecipe) -> Style:
    """The style of `recipe` in this Dask worker, loaded once."""
    with _loading:
        style = _loaded.get(recipe)
        if style is None:
            style = _loaded[recipe] = recipe.load()
    return style


def recipe_for(style: Style, spec: str | None = None, *, start: str | None = None,
               tracery_compat: bool = False) -> StyleRecipe:
    """A recipe that loads `style` again, with the style's fingerprint: from `spec` (as `load_style` takes it) when
    given, else from the text of its files, named relative to the folder of its first file (which suits a style
    folder or a single file with includes below it; anything else is refused, pass a spec)."""
    fingerprint = style_fingerprint(style)
    if spec is not None:
        return StyleRecipe(spec=str(spec), start=start, tracery_compat=tracery_compat, fingerprint=fingerprint)
    files = style.definition.files
    root = os.path.dirname(files[0].source.path) if files else ""
    sources = tuple((os.path.relpath(f.source.path, root or ".").replace(os.sep, "/"), f.source.text)
                    for f in files)
    if any(name.startswith("../") for name, _ in sources):
        raise UsageError(f"style '{style.name}' includes files outside its folder", "no-recipe",
                         hint="give the spec it was loaded from instead of shipping its sources")
    return StyleRecipe(sources=sources, name=style.name, start=start, tracery_compat=tracery_compat,
                       fingerprint=fingerprint)


__all__ = ["DASK_HINT", "Run", "StyleRecipe", "chunk_size", "essays_in_processes", "essays_on_dask", "job_count",
           "recipe_for", "style_fingerprint"]
