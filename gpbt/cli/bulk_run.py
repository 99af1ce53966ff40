"""What `gpbt generate` adds for bulk runs (docs/bulk.md): `--jobs`, `--scheduler`, `--quiet`, what it writes for each
essay (`piece`: text, JSON, or the JSON Lines record with the essay's number and seed; made where the essay is made,
in a worker too), and a progress bar on stderr. The work itself is gpbt/bulk.py's."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any, Callable, Iterator, TypeVar

import click

from ..runs import rendered

if TYPE_CHECKING:
    from ..runs import Render, Run
    from ..style import Essay, Style

T = TypeVar("T")

PROGRESS_FROM = 100  # essays: a shorter run is over before a bar would help


def bulk_options(command: Callable) -> Callable:
    """The bulk options of `generate`."""
    options = [
        click.option("-j", "--jobs", type=click.IntRange(min=0), default=1, show_default=True,
                     help="Worker processes (0: one per core); the output is the same as with one."),
        click.option("--scheduler", default=None, metavar="tcp://HOST:PORT",
                     help="Make the essays on this Dask cluster (needs gpbt[dask]); the output is the same."),
        click.option("-q", "--quiet", is_flag=True, help="No progress bar."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def bulk_pieces(style: Style, run: Run, jobs: int, scheduler: str | None, spec: str, start: str | None,
                tracery_compat: bool, render: Render | None) -> Iterator[Any]:
    """The run's essays in order (with `render`, what it makes of each, made where the essays are), from this
    process, worker processes or a Dask cluster (gpbt/bulk.py, imported only then)."""
    if jobs == 1 and scheduler is None:
        return rendered(run.essays(style), render)
    from ..bulk import dask_client_class, essays_in_processes, essays_on_dask, recipe_for

    if scheduler is not None:
        dask_client_class()  # without the extra: say which to install before anything is written
        return essays_on_dask(recipe_for(style, spec, start=start, tracery_compat=tracery_compat), run, scheduler,
                              render=render)
    return essays_in_processes(style, run, jobs, render=render)


def with_progress(essays: Iterator[T], total: int | None, quiet: bool, to_stdout: bool) -> Iterator[T]:
    """`essays` (or what is written for each), with a click progress bar on stderr when stderr is a terminal, the
    run is long and of known size, and the essays themselves do not go to a terminal (where the bar would tear the
    text)."""
    if quiet or total is None or total < PROGRESS_FROM or not sys.stderr.isatty() \
            or (to_stdout and sys.stdout.isatty()):
        yield from essays
        return
    with click.progressbar(length=total, label="gpbt", file=sys.stderr, show_eta=True,
                           show_pos=True) as bar:
        for essay in essays:
            yield essay
            bar.update(1)


def piece(essay: Essay, number: int, output_format: str, separator: str) -> str:
    """What `generate` writes for essay `number` (0-based) of its run: one JSON line (`jsonl` adds the essay's
    number and `json` does not), or the text, after `separator` from the second essay on, ending in a newline."""
    if output_format == "text":
        return (separator if number else "") + (essay.text if essay.text.endswith("\n") else essay.text + "\n")
    record: dict[str, object] = {"index": number} if output_format == "jsonl" else {}
    record.update(topic=essay.topic, seed=essay.seed, style=essay.style, length=essay.length, text=essay.text)
    if essay.trace is not None:
        record["trace"] = essay.trace
    import json  # here: a text run never needs it

    return json.dumps(record, ensure_ascii=False) + "\n"


def utf8_piece(essay: Essay, number: int, output_format: str, separator: str) -> bytes:
    """`piece` as UTF-8, what a file or a UTF-8 pipe receives. A worker process makes it and the command only
    writes it: the command no longer decodes, renders and encodes every essay, about 40 µs each, which kept it
    busy beside its workers (bench/bench_bulk.py)."""
    text = piece(essay, number, output_format, separator)
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as error:  # a lone surrogate: only a JSON grammar's unpaired \u escape makes one
        from ..errors import GenerationError

        raise GenerationError(f"the essay holds U+{ord(text[error.start]):04X}, half of a surrogate pair, which "
                              "UTF-8 cannot hold", "unwritable-text",
                              hint="a \\uD8xx escape in a JSON grammar needs its \\uDCxx pair after it") from None
