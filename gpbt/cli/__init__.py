"""The `gpbt` command: a thin click layer over the library, and the one place where errors become messages and exit
codes (0 ok, 1 rule-file or generation error, 2 usage error)."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Iterator

import click

from .._version import __version__
from .compile import register as register_compile
from .serve import serve
from .stats import register as register_stats
from ..environment import analyse_style, load_style
from ..errors import GpbtError, UsageError
from ..files import write_atomically, write_files
from ..loaders import shipped_style_names
from ..bulk import Run
from ..style import Essay
from .bulk_run import bulk_essays, bulk_options, jsonl_record, with_progress

DEFAULT_STYLE = "zh"


class GpbtGroup(click.Group):
    """Turns every `GpbtError` into its rendered diagnostics on stderr and exit code 1, and a closed stdout (as in
    `gpbt generate … | head -1`) into a quiet exit."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except GpbtError as error:
            click.echo(error.render(color=_color(ctx, err=True)), err=True)
            ctx.exit(error.exit_code)
        except BrokenPipeError:
            _silence_stdout()
            ctx.exit(0)


def _color(ctx: click.Context, err: bool = False) -> bool:
    """Colour only on a terminal (click's --color/NO_COLOR handling is honoured through ctx.color)."""
    if ctx.color is not None:
        return ctx.color
    stream = sys.stderr if err else sys.stdout
    return stream.isatty() and "NO_COLOR" not in os.environ


def _silence_stdout() -> None:
    """After a broken pipe, point stdout at /dev/null so the interpreter's final flush cannot fail noisily."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


@click.group(cls=GpbtGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="gpbt")
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True,
              help="Colour in diagnostics (auto: only on a terminal).")
@click.pass_context
def main(ctx: click.Context, color: str) -> None:
    """gpbt (狗屁不通): generate essays from grammar rule files."""
    if color != "auto":
        ctx.color = color == "always"


def parse_assignment(_ctx: click.Context, _param: click.Parameter, values: tuple[str, ...]) -> dict[str, str]:
    slots: dict[str, str] = {}
    for value in values:
        name, sep, text = value.partition("=")
        if not sep or not name:
            raise click.BadParameter(f"'{value}' is not NAME=VALUE")
        slots[name] = text
    return slots


@main.command()
@click.argument("topics", nargs=-1)
@click.option("-s", "--style", "style_spec", default=DEFAULT_STYLE, show_default=True, metavar="NAME|PATH",
              help="A shipped style name, a rule file, a style folder or a Tracery .json grammar.")
@click.option("-n", "--length", type=click.IntRange(min=0), default=None, metavar="CHARS",
              help="Target length in characters (default: the style's @length).")
@click.option("--seed", type=int, default=None, help="Seed for a reproducible essay (default: a fresh one).")
@click.option("--count", type=click.IntRange(min=1), default=1, show_default=True, help="Essays per topic.")
@click.option("--set", "slots", multiple=True, callback=parse_assignment, metavar="NAME=VALUE",
              help="Give a slot a value (repeatable).")
@click.option("--format", "output_format", type=click.Choice(["text", "json", "jsonl"]), default="text",
              show_default=True, help="jsonl: one object per essay with its number in the run and its own seed.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True, path_type=Path), default=None,
              help="Write to FILE (atomically: a failed run leaves no partial file).")
@click.option("-v", "--verbose", is_flag=True, help="Report the seed of each essay on stderr.")
@click.option("--start", default=None, metavar="NAME",
              help="Start from this rule (a Tracery grammar starts at 'origin' by default).")
@click.option("--tracery-compat", is_flag=True,
              help="Tracery .json: an undefined symbol writes ((name)) instead of being an error.")
@click.option("--trace", is_flag=True,
              help="With --format json: add where every span of the text came from (rule, file:line, choice).")
@click.option("--trace-tree", is_flag=True,
              help="With --format json: the trace as the derivation tree (every rule expansion, nested).")
@bulk_options
def generate(topics: tuple[str, ...], style_spec: str, length: int | None, seed: int | None, count: int,
             slots: dict[str, str], output_format: str, output: Path | None, verbose: bool, start: str | None,
             tracery_compat: bool, trace: bool, trace_tree: bool, jobs: int, scheduler: str | None,
             quiet: bool) -> None:
    """Generate one essay per TOPIC ('-' reads topics from stdin, one per line).

    With --seed, the n-th essay of the run uses seed+n, so a run is reproducible as a whole and each essay on its
    own.
    """
    if (trace or trace_tree) and output_format == "text":
        raise click.BadOptionUsage("trace", "--trace needs --format json (the trace is JSON beside the text)")
    style = load_style(style_spec, start=start, tracery_compat=tracery_compat)
    run = Run.of(list(_expand_topics(topics)), count=count, seed=seed, length=length, slots=slots,
                 trace=trace)
    made = bulk_essays(style, run, jobs, scheduler, style_spec, start, tracery_compat)
    essays = _generate_all(with_progress(made, run.total, quiet, output is None), verbose)
    if trace_tree:
        from .tree import with_trees

        essays = with_trees(style, essays, slots)
    rendered = (_render(essay, output_format, index) for index, essay in enumerate(essays))
    if output is None:
        for text in rendered:
            click.echo(text, nl=False)
        return
    write_atomically(output, rendered)


def _expand_topics(topics: tuple[str, ...]) -> Iterator[str | None]:
    if not topics:
        yield None
    for topic in topics:
        if topic == "-":
            with click.open_file("-", encoding="utf-8") as stdin:
                yield from (line.strip() for line in stdin if line.strip())
        else:
            yield topic


def _generate_all(essays: Iterator[Essay], verbose: bool) -> Iterator[Essay]:
    for essay in essays:
        if verbose:
            click.echo(f"gpbt: style {essay.style}, topic {essay.topic!r}, seed {essay.seed}, "
                       f"{essay.length} characters", err=True)
        yield essay


def _render(essay: Essay, output_format: str, index: int) -> str:
    if output_format == "jsonl":
        return jsonl_record(essay, index)
    if output_format == "json":
        record = {"topic": essay.topic, "seed": essay.seed, "style": essay.style, "length": essay.length,
                  "text": essay.text}
        if essay.trace is not None:
            record["trace"] = essay.trace
        return json.dumps(record, ensure_ascii=False) + "\n"
    return essay.text if essay.text.endswith("\n") else essay.text + "\n"


@main.command()
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
def styles(output_format: str) -> None:
    """List the shipped styles."""
    rows = []
    for name in shipped_style_names():
        style = load_style(name)
        rows.append({"name": name, "language": style.language, "description": style.description,
                     "default_length": style.default_length})
    if output_format == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        marker = " (default)" if row["name"] == DEFAULT_STYLE else ""
        click.echo(f"{row['name']:<6} {row['language']:<4} {row['description']}{marker}")


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--strict", is_flag=True, help="Warnings fail the check too.")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_context
def check(ctx: click.Context, paths: tuple[str, ...], strict: bool, output_format: str) -> None:
    """Check rule files or style folders without generating: every error and warning, with positions.

    Exit status 1 if there is an error (or, with --strict, a warning), else 0.
    """
    diagnostics = []
    for path in paths:
        diagnostics.extend(analyse_style(path).diagnostics)
    errors = sum(1 for d in diagnostics if d.severity == "error")
    warnings = len(diagnostics) - errors
    if output_format == "json":
        click.echo(json.dumps([d.as_dict() for d in diagnostics], ensure_ascii=False, indent=2))
    else:
        color = _color(ctx)
        for diagnostic in diagnostics:
            click.echo(diagnostic.render(color))
        click.echo(f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}", err=True)
    if errors or (strict and warnings):
        ctx.exit(1)


@main.command()
@click.argument("source", type=click.Path(exists=True, path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              help="Folder (or .gpbt file) for gpbt output; .json file for Tracery output (default: stdout).")
@click.option("--from", "source_format", type=click.Choice(["tracery", "gpbt", "bullshit"]), default=None,
              help="Input format (default: tracery for .json, gpbt otherwise).")
@click.option("--to", "target", type=click.Choice(["gpbt", "tracery"]), default=None,
              help="Output format (default: the other one).")
@click.option("--start", default=None, metavar="NAME", help="Tracery input: the start symbol (default: origin).")
@click.option("--faithful", is_flag=True, help="Bullshit input: keep the original's quirks.")
@click.option("--topic-mark", default="x", show_default=True, help="Bullshit input: the topic placeholder.")
@click.option("--before-mark", default="a", show_default=True, help="Bullshit input: the 'before' placeholder.")
@click.option("--after-mark", default="b", show_default=True, help="Bullshit input: the 'after' placeholder.")
def convert(source: Path, output: Path | None, source_format: str | None, target: str | None, start: str | None,
            faithful: bool, topic_mark: str, before_mark: str, after_mark: str) -> None:
    """Convert a Tracery grammar or a BullshitGenerator corpus to gpbt rule files, or a gpbt style to Tracery JSON.
    Nothing is written unless the whole conversion succeeds."""
    from ..convert import plan_conversion, validate_style
    from ..readers.bullshit import Marks, Options

    options = Options(faithful=faithful, marks=Marks(topic_mark, before_mark, after_mark))
    try:
        files, validate = plan_conversion(source, output, source_format, target, start, options)
    except UsageError as error:
        raise click.UsageError(error.diagnostics[0].message) from None
    if Path("-") in files:
        click.echo(files[Path("-")], nl=False)
        return
    write_files(files, (lambda: validate_style(files)) if validate else None)
    for path in files:
        click.echo(f"gpbt: wrote {path}", err=True)


register_stats(main)
register_compile(main)
main.add_command(serve)
