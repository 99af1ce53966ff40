"""`gpbt stats`: the click command over `Style.stats()` and gpbt/stats_table.py. Kept out of cli/__init__.py so the
command can be registered on any click group (`register(main)`)."""

from __future__ import annotations

import click

from ..stats_table import render_text, stats_json
from .common import CONTEXT, color_option, environment, loader_options, note_shadowed


@click.command("stats", context_settings=CONTEXT, short_help="Length, variety and entropy of every rule of a style.")
@click.argument("path", metavar="PATH")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--sentence", "sentence", default=None, metavar="RULE",
              help="The rule that writes one sentence (default: what the fill unit repeats innermost).")
@click.option("--topic-length", type=click.IntRange(min=0), default=0, show_default=True, metavar="CHARS",
              help="Characters assumed for the topic in the length figures.")
@loader_options
@color_option
def stats(path: str, output_format: str, sentence: str | None, topic_length: int, include_paths: tuple,
          no_includes: bool) -> None:
    """Length, variety and entropy of every rule of a style (a style name, rule file or folder).

    Rules marked ! are expected to be used more often in one essay than they have distinct expansions, so some
    expansion must repeat: add alternatives there first. See docs/stats.md for how each figure is computed."""
    note_shadowed(path)
    style = environment(include_paths, no_includes).load(path)
    if sentence is not None and sentence not in style.definition.rules:
        raise click.BadParameter(f"'{sentence}' is not a rule of this style", param_hint="--sentence")
    figures = style.stats(sentence=sentence, topic_length=topic_length)
    click.echo(stats_json(figures) if output_format == "json" else render_text(figures))


def register(main: click.Group) -> None:
    """Add the `stats` command to `main` (any click group)."""
    main.add_command(stats)
