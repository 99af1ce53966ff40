"""`gpbt compile`: show what a style runs as. The generated Python (one function per rule over the declared runtime,
gpbt/engine/runtime.py) is what a grammar author or a maintainer reads to see exactly what a rule does."""

from __future__ import annotations

import click

from .common import CONTEXT, color_option, environment, loader_options, note_shadowed


@click.command("compile", context_settings=CONTEXT, short_help="Check and compile a style; --emit-python shows the code.")
@click.argument("style_spec", metavar="STYLE")
@click.option("--emit-python", "emit_python", is_flag=True, help="Print the generated Python module of the style.")
@click.option("--start", default=None, metavar="NAME", help="Start from this rule.")
@loader_options
@color_option
def compile_command(style_spec: str, emit_python: bool, start: str | None, include_paths: tuple,
                    no_includes: bool) -> None:
    """Check and compile a style (a name, rule file, folder or Tracery .json); with --emit-python, print the Python
    it runs as."""
    note_shadowed(style_spec)
    style = environment(include_paths, no_includes).load(style_spec, start=start)
    source = style.python_source()
    if emit_python:
        click.echo(source, nl=False)
    else:
        click.echo(f"gpbt: style {style.name} compiles to {len(style.grammar.rules)} rule functions "
                   f"({source.count(chr(10))} lines of Python; see them with --emit-python)", err=True)


def register(main: click.Group) -> None:
    """Add the `compile` command to `main` (any click group)."""
    main.add_command(compile_command)
