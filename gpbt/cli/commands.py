"""`gpbt check` and `gpbt convert`: each a few lines over the library."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..errors import UsageError
from ..files import check_target, write_files
from ..loaders import RULE_SUFFIX, resolve_style
from .common import CONTEXT, color_option, environment, loader_options, note_shadowed, use_color


@click.command(context_settings=CONTEXT, short_help="Check styles: every error and warning, with positions.")
@click.argument("paths", nargs=-1, required=True, metavar="NAME|PATH...")
@click.option("--strict", is_flag=True, help="Warnings fail the check too.")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
@loader_options
@color_option
@click.pass_context
def check(ctx: click.Context, paths: tuple[str, ...], strict: bool, output_format: str,
          include_paths: tuple[str, ...], no_includes: bool) -> None:
    """Check styles (shipped names, rule files, style folders, Tracery .json) without generating: every error and
    warning, with positions. What `check` passes, `generate` runs.

    Exit status 1 if there is an error (or, with --strict, a warning), else 0.
    """
    diagnostics = []
    env = environment(include_paths, no_includes)
    for path in paths:
        note_shadowed(path)
        diagnostics.extend(env.analyse(path).diagnostics)
    errors = sum(1 for d in diagnostics if d.severity == "error")
    warnings = len(diagnostics) - errors
    if output_format == "json":
        click.echo(json.dumps([d.as_dict() for d in diagnostics], ensure_ascii=False, indent=2))
    else:
        color = use_color(ctx)
        for diagnostic in diagnostics:
            click.echo(diagnostic.render(color), color=True)
        click.echo(f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}", err=True)
    if errors or (strict and warnings):
        ctx.exit(1)


@click.command(context_settings=CONTEXT, short_help="Convert Tracery or BullshitGenerator to gpbt, or back.")
@click.argument("source", metavar="SOURCE")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              help="gpbt output: a new folder or a .gpbt file (required). Tracery output: a .json file "
                   "(default: stdout).")
@click.option("--from", "source_format", type=click.Choice(["tracery", "gpbt", "bullshit"]), default=None,
              help="Input format (default: tracery for .json, gpbt otherwise).")
@click.option("--to", "target", type=click.Choice(["gpbt", "tracery"]), default=None,
              help="Output format (default: the other one).")
@click.option("--force", is_flag=True, help="Overwrite existing files, and write into a folder that holds a style.")
@click.option("--strict", is_flag=True,
              help="Tracery output: refuse what Tracery can only approximate (its warnings become errors: exit 1, "
                   "nothing written).")
@click.option("--start", default=None, metavar="NAME", help="Tracery input: the start symbol (default: origin).")
@click.option("--faithful", is_flag=True, help="Bullshit input: keep the original's quirks.")
@click.option("--topic-mark", default="x", show_default=True, help="Bullshit input: the topic placeholder.")
@click.option("--before-mark", default="a", show_default=True, help="Bullshit input: the 'before' placeholder.")
@click.option("--after-mark", default="b", show_default=True, help="Bullshit input: the 'after' placeholder.")
@color_option
@click.pass_context
def convert(ctx: click.Context, source: str, output: Path | None, source_format: str | None, target: str | None,
            force: bool, strict: bool, start: str | None, faithful: bool, topic_mark: str, before_mark: str,
            after_mark: str) -> None:
    """Convert a Tracery grammar or a BullshitGenerator corpus to gpbt rule files, or a gpbt style (a shipped name,
    rule file or folder) to Tracery JSON. Nothing is written unless the whole conversion succeeds, and nothing
    existing is overwritten without --force.

    What Tracery cannot express (deck and the other policies, unique, fills, slots, some modifiers) is exported as
    its closest equivalent, with a warning on stderr for each kind of loss; --strict refuses instead (exit 1)."""
    from ..convert import plan_conversion, validate_style
    from ..readers.bullshit import Marks, Options

    options = Options(faithful=faithful, marks=Marks(topic_mark, before_mark, after_mark))
    source_path = resolve_style(source)
    if output is not None and not force:
        _refuse_existing_style(output)
    try:
        plan = plan_conversion(source_path, output, source_format, target, start, options, strict=strict)
    except UsageError as error:
        raise click.UsageError(error.diagnostics[0].message) from None
    files = plan.files
    if Path("-") not in files:
        for path in files:
            check_target(path, make_parents=True)
            if path.exists() and not force and path.is_file():
                raise click.UsageError(f"'{path}' exists; give another -o, or --force to overwrite it")
    color = use_color(ctx, err=True)
    for warning in plan.warnings:
        click.echo(warning.render(color), err=True, color=True)
    if Path("-") in files:
        click.echo(files[Path("-")], nl=False, color=True)
        return
    write_files(files, (lambda: validate_style(files)) if plan.validate else None)
    for path in files:
        click.echo(f"gpbt: wrote {path}", err=True)


def _refuse_existing_style(output: Path) -> None:
    """A converted style written into a folder that already holds one would take it over (its @start wins)."""
    if output.is_dir() and any(output.glob(f"*{RULE_SUFFIX}")):
        raise click.UsageError(f"the folder '{output}' already holds a style; give a new folder, or --force")
