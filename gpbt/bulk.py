"""Many essays from one style, spread over processes (`essays_in_processes`) or a Dask cluster (`essays_on_dask`)
with the output of one process: a `Run` (gpbt/runs.py) cut into chunks, made elsewhere, yielded back in order.

Nothing here prints; the runners yield `Essay` objects and leave rendering to the front end.
"""

from __future__ import annotations

import gc
import itertools
import os
import signal
import threading
from collections import deque
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Iterator

from .errors import GpbtError, UsageError
from .runs import Run

if TYPE_CHECKING:  # concurrent.futures and multiprocessing are imported only by a run that uses them (start-up)
    from concurrent.futures import Future

    from .style import Essay, Style

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

_inherited: dict[int, Style] = {}  # styles handed to forked workers, by run token
_worker_style: Style | None = None  # the style of this worker process
_tokens = itertools.count()


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
                        chunk: int | None = None) -> Iterator[Essay]:
    """The essays of `run`, made by `jobs` worker processes (0: one per core) and yielded in run order, the same as
    `run.essays(style)`. At most a few chunks per worker are in flight, so memory stays flat. Workers inherit
    `style` where the platform forks; elsewhere they load `recipe` (required there). One job runs in this process."""
    jobs = job_count(jobs)
    if jobs == 1 or run.total in (0, 1):
        yield from run.essays(style)
        return
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_all_start_methods, get_context

    fork = "fork" in get_all_start_methods()
    if not fork and recipe is None:
        raise UsageError("this platform cannot fork: more than one job needs a StyleRecipe", "no-recipe")
    token = next(_tokens)
    _inherited[token] = style
    try:
        context = get_context("fork" if fork else "spawn")
        with ProcessPoolExecutor(jobs, mp_context=context, initializer=_start_worker,
                                 initargs=(token, None if fork else recipe)) as pool:
            with _ctrl_c_held():  # the workers and the pool's threads start with Ctrl-C blocked
                pool.submit(int).result()
            size = chunk or chunk_size(run.total, jobs)
            settings = run.settings()
            yield from _in_order(lambda orders: pool.submit(_run_chunk, settings, orders), run.orders(), size,
                                 3 * jobs, lambda: pool.shutdown(wait=False, cancel_futures=True))
    finally:
        _inherited.pop(token, None)


@contextmanager
def _ctrl_c_held() -> Iterator[None]:
    """Block SIGINT in this thread while worker processes and helper threads start: they inherit the block, so a
    Ctrl-C is always delivered to the main thread (which turns it into KeyboardInterrupt), never to a helper thread
    or a worker that has not yet set itself to ignore it; a Ctrl-C in the meantime waits, it is not lost."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _start_worker(token: int, recipe: StyleRecipe | None) -> None:
    """In each worker: Ctrl-C is the parent's to handle (no tracebacks from workers), then find the style."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):  # not on Windows
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    gc.freeze()  # what the fork inherited is never scanned by this worker's collector (nor copied by it)
    global _worker_style
    _worker_style = recipe.load() if recipe is not None else _inherited[token]


def _run_chunk(settings: Run, orders: list[tuple[str | None, int]]) -> list[Essay] | _Failure:
    assert _worker_style is not None
    return _carrying_errors(lambda: list(settings.make(_worker_style, orders)))


@dataclass(frozen=True)
class _Failure:
    """A `GpbtError` on its way back from a worker (its own constructor arguments do not survive pickling)."""

    kind: type
    diagnostics: list

    def error(self) -> GpbtError:
        error = self.kind.__new__(self.kind)
        GpbtError.__init__(error, self.diagnostics)
        return error


def _carrying_errors(make: Callable[[], list[Essay]]) -> list[Essay] | _Failure:
    try:
        return make()
    except GpbtError as error:
        return _Failure(type(error), error.diagnostics)


def _in_order(submit: Callable[[list], Any], orders: Iterator[tuple[str | None, int]], size: int, window: int,
              cancel: Callable[[], None]) -> Iterator[Essay]:
    """Submit the (topic, seed) orders in chunks of `size`, at most `window` chunks in flight, and yield the
    essays in order."""
    chunks = iter(lambda: list(itertools.islice(orders, size)), [])
    pending: deque[Future] = deque(submit(chunk) for chunk in itertools.islice(chunks, window))
    try:
        while pending:
            essays_of_chunk = pending.popleft().result()
            if isinstance(essays_of_chunk, _Failure):
                raise essays_of_chunk.error()
            chunk = next(chunks, None)
            if chunk is not None:
                pending.append(submit(chunk))
            yield from essays_of_chunk
    except BaseException:
        cancel()
        raise


# --- a Dask cluster -------------------------------------------------------------------------------------------------

_loaded: dict[StyleRecipe, Style] = {}  # in each Dask worker: styles loaded so far
_loading = threading.Lock()


def essays_on_dask(recipe: StyleRecipe, run: Run, scheduler: Any, *, chunk: int | None = None) -> Iterator[Essay]:
    """The essays of `run` made on a Dask cluster and yielded in run order, the same as on one machine.
    `scheduler` is an address (`tcp://host:8786`) or a `distributed.Client`. Each worker loads `recipe` once, so
    the workers need gpbt installed and, for a spec that is a path, the same files (the fingerprint is checked)."""
    Client = dask_client_class()
    client = scheduler if isinstance(scheduler, Client) else Client(scheduler)
    try:
        workers = max(1, sum(client.nthreads().values()))
        size = chunk or chunk_size(run.total, workers)
        settings = run.settings()
        yield from _in_order(lambda orders: client.submit(_dask_chunk, recipe, settings, orders, pure=False),
                             run.orders(), size, 3 * workers, lambda: None)
    finally:
        if client is not scheduler:
            client.close()


def dask_client_class() -> Any:
    """`distributed.Client`, or a usage error (exit 2) that says which extra to install."""
    try:
        from distributed import Client
    except ImportError:
        raise UsageError("running on a Dask cluster needs Dask", "missing-extra", hint=DASK_HINT) from None
    return Client


def _dask_chunk(recipe: StyleRecipe, settings: Run, orders: list[tuple[str | None, int]]) -> list[Essay] | _Failure:
    return _carrying_errors(lambda: list(settings.make(_style_of(recipe), orders)))


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
