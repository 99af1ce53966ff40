"""Worker processes on this machine for a bulk run (what `gpbt.bulk.essays_in_processes` starts).

Each worker has a pipe of its own each way. Chunk k of a run goes to worker k mod N and its essays are read back in
the same turn, so the run's order needs no bookkeeping, and this process reads every result in its main thread,
straight from the worker's pipe. A small feeder thread writes the chunks ahead: a blocking write there (a long
topic, a worker still busy) never stalls the reading, so neither side can wait on the other forever.
`concurrent.futures.ProcessPoolExecutor` did this job before: its result thread and futures cost this process
about 40% more CPU per essay, and pickling each chunk into fresh memory cost each worker about 12 page faults per
essay; a worker here pickles every chunk into the same buffer (bench/bench_bulk.py measures the whole).

Nothing here prints: a worker sends back its essays, the `GpbtError` it met, or the traceback of a bug.
"""

from __future__ import annotations

import gc
import io
import itertools
import pickle
import queue
import signal
import threading
import traceback
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Callable, Iterator, NamedTuple, TypeVar

from .errors import GenerationError, GpbtError, UsageError
from .runs import Render, Run, chunked, rendered

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

    from .style import Style

CHUNKS_AHEAD = 3  # chunks sent to each worker before its first result is read: it never waits for the next one
RESULT_PIPE_BYTES = 1 << 20  # Linux: a chunk of essays fits in the pipe, so a worker rarely waits to write
KEEP_BUFFER_BYTES = 4 << 20  # a worker keeps a pickling buffer up to this size from chunk to chunk

T = TypeVar("T")

_inherited: dict[int, Style] = {}  # styles handed to forked workers, by run token
_tokens = itertools.count()


class Failure(NamedTuple):
    """A `GpbtError` on its way back from another process (its own constructor arguments do not survive
    pickling), raised again there as the same class with the same diagnostics."""

    kind: type
    diagnostics: list

    @classmethod
    def of(cls, error: GpbtError) -> Failure:
        return cls(type(error), error.diagnostics)

    def error(self) -> GpbtError:
        error = self.kind.__new__(self.kind)
        GpbtError.__init__(error, self.diagnostics)
        return error


class _Crash(NamedTuple):
    """A bug in a worker (any other exception): its traceback, raised here as a RuntimeError, as one job would."""

    text: str


def outcome_of(outcome: T | Failure | _Crash) -> T:
    """What another process sent back (essays, or one essay), or what went wrong there raised here."""
    if isinstance(outcome, Failure):
        raise outcome.error()
    if isinstance(outcome, _Crash):
        raise RuntimeError(f"a worker process failed:\n{outcome.text}")
    return outcome


class _Worker(NamedTuple):
    process: Any  # a multiprocessing Process
    tasks: Connection  # this process writes chunks of (topic, seed) orders
    results: Connection  # and reads each chunk's essays (or what went wrong) back


def essays_from_workers(style: Style, run: Run, jobs: int, size: int, load: Callable[[], Style] | None = None,
                        render: Render | None = None) -> Iterator[Any]:
    """The essays of `run` made by `jobs` worker processes in chunks of `size`, yielded in run order (with
    `render`, what it makes of each, in the worker: see `runs.rendered`). Workers inherit `style` where the
    platform forks; elsewhere each calls `load` (required there: a picklable function, such as a `StyleRecipe`'s
    `load`), and `render` must be picklable too."""
    from multiprocessing import get_all_start_methods, get_context

    fork = "fork" in get_all_start_methods()
    if not fork and load is None:
        raise UsageError("this platform cannot fork: more than one job needs a StyleRecipe", "no-recipe")
    token = next(_tokens)
    _inherited[token] = style
    context = get_context("fork" if fork else "spawn")
    ahead: queue.SimpleQueue = queue.SimpleQueue()  # (worker's task pipe, chunk) for the feeder; None: stop
    feeder = threading.Thread(target=_feed, args=(ahead,), name="gpbt-feeder", daemon=True)
    workers: list[_Worker] = []
    finished = False
    try:
        with _ctrl_c_held():  # the workers and the feeder start with Ctrl-C blocked
            for _ in range(jobs):
                workers.append(_start(context, token, None if fork else load, run.settings(), render, workers))
            feeder.start()
        handed = received = 0
        for chunk in chunked(run.orders(), size):
            if handed - received == CHUNKS_AHEAD * jobs:  # the window is full: read the oldest chunk back first
                yield from _receive(workers[received % jobs])
                received += 1
            ahead.put((workers[handed % jobs].tasks, chunk))  # chunk k is worker k % jobs's
            handed += 1
        for number in range(received, handed):
            yield from _receive(workers[number % jobs])
        finished = True
    finally:
        _stop(workers, feeder, ahead, finished)
        _inherited.pop(token, None)


def _start(context: Any, token: int, load: Callable[[], Style] | None, settings: Run, render: Render | None,
           others: list[_Worker]) -> _Worker:
    task_reader, task_writer = context.Pipe(duplex=False)
    result_reader, result_writer = context.Pipe(duplex=False)
    _widen(result_writer)
    # this process's ends of every pipe so far: a forked worker closes its copies, so that the end of a run (or of
    # this process) is the end of its task pipe, and a worker that stops is the end of its result pipe here
    ours = [task_writer, result_reader, *(end for worker in others for end in (worker.tasks, worker.results))]
    process = context.Process(target=_serve, args=(token, load, settings, render, task_reader, result_writer, ours),
                              name="gpbt-worker", daemon=True)
    process.start()
    task_reader.close()  # the worker's ends
    result_writer.close()
    return _Worker(process, task_writer, result_reader)


def _widen(connection: Connection) -> None:
    """Let the pipe hold a chunk of results where the platform allows (Linux); elsewhere it keeps its size."""
    try:
        import fcntl

        fcntl.fcntl(connection.fileno(), fcntl.F_SETPIPE_SZ, RESULT_PIPE_BYTES)
    except (ImportError, AttributeError, OSError):  # not Linux, or a limit below the size asked for
        pass


def _feed(ahead: queue.SimpleQueue) -> None:
    """The feeder thread: write each chunk to its worker until told to stop. A worker that has stopped is noticed
    by the reader (the end of its result pipe), not here."""
    while (item := ahead.get()) is not None:
        tasks, chunk = item
        try:
            tasks.send(chunk)
        except OSError:
            pass


def _receive(worker: _Worker) -> Iterator[Any]:
    """The essays (or what `render` made of them) of the worker's next chunk (what went wrong, raised after the
    essays before it)."""
    try:
        outcomes = pickle.loads(worker.results.recv_bytes())
    except EOFError:
        worker.process.join(5)
        raise GenerationError(f"a worker process stopped before it finished (exit code {worker.process.exitcode})",
                              "worker-stopped", hint="it may have been killed, or run out of memory") from None
    for outcome in outcomes:
        yield outcome_of(outcome)


def _stop(workers: list[_Worker], feeder: threading.Thread, ahead: queue.SimpleQueue, finished: bool) -> None:
    """Finished: let the feeder and the workers end (the end of its task pipe tells a worker to stop). Otherwise
    (an error, Ctrl-C, the caller stopped reading) the workers are terminated first: their work is not wanted."""
    if not finished:
        for worker in workers:
            worker.process.terminate()
    ahead.put(None)
    if feeder.is_alive():
        feeder.join()
    for worker in workers:
        worker.tasks.close()
    for worker in workers:
        worker.process.join()
        worker.results.close()


def _serve(token: int, load: Callable[[], Style] | None, settings: Run, render: Render | None, tasks: Connection,
           results: Connection, parents_ends: list[Connection]) -> None:
    """A worker: make each chunk of orders it is sent and send back its essays or what went wrong, until the end
    of its task pipe. Ctrl-C is the parent's to handle (no tracebacks from workers)."""
    for end in parents_ends:
        end.close()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):  # not on Windows
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    gc.freeze()  # what the fork inherited is never scanned by this worker's collector (nor copied by it)
    try:
        style: Style | Failure = load() if load is not None else _inherited[token]
    except GpbtError as error:
        style = Failure.of(error)  # sent back for the first chunk, raised there
    buffer = io.BytesIO()  # reused: pickling each chunk afresh took about 12 new pages of memory per essay
    while True:
        try:
            first, orders = tasks.recv()
            buffer.seek(0)
            pickle.dump(list(_make(style, settings, first, orders, render)), buffer, pickle.HIGHEST_PROTOCOL)
            with buffer.getbuffer() as written:
                results.send_bytes(written, 0, buffer.tell())
        except (EOFError, OSError):  # the end of the run, or the parent has gone
            return
        if buffer.tell() > KEEP_BUFFER_BYTES:  # a chunk of very long essays: do not hold on to its memory
            buffer = io.BytesIO()


def _make(style: Style | Failure, settings: Run, first: int, orders: list,
          render: Render | None) -> Iterator[Any]:
    """Each essay of a chunk (or what `render` made of it), or at the first error what went wrong, and no more:
    the reader gets the essays before it, as from one process."""
    if isinstance(style, Failure):
        yield style
        return
    try:
        yield from rendered(settings.make(style, orders), render, first)
    except GpbtError as error:
        yield Failure.of(error)
    except Exception:
        yield _Crash(traceback.format_exc())


@contextmanager
def _ctrl_c_held() -> Iterator[None]:
    """Block SIGINT in this thread while worker processes and the feeder thread start: they inherit the block, so
    a Ctrl-C is always delivered to the main thread (which turns it into KeyboardInterrupt), never to the feeder or
    a worker that has not yet set itself to ignore it; a Ctrl-C in the meantime waits, it is not lost."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
