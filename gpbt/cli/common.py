"""What every command shares: the colour option (accepted before or after the command name), the loader options
(`--include-path`, `--no-includes`) and the environment they build."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Callable

import click

if TYPE_CHECKING:
    from pathlib import Path

    from ..environment import Environment

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
DEFAULT_STYLE = "zh"


def _set_color(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value is not None and value != "auto":
        ctx.find_root().color = ctx.color = value == "always"


def color_option(function: Callable) -> Callable:
    return click.option("--color", type=click.Choice(["auto", "always", "never"]), default=None, expose_value=False,
                        callback=_set_color, is_eager=True,
                        help="Colour in diagnostics (default auto: only on a terminal).")(function)


def use_color(ctx: click.Context, err: bool = False) -> bool:
    """Colour only on a terminal (--color and NO_COLOR are honoured)."""
    if ctx.color is not None:
        return ctx.color
    stream = sys.stderr if err else sys.stdout
    return stream.isatty() and "NO_COLOR" not in os.environ


def _turn_cache_off(_ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value:  # the environment variable, so that --jobs worker processes load without the cache too
        os.environ["GPBT_NO_CACHE"] = "1"


def no_cache_option(function: Callable) -> Callable:
    return click.option("--no-cache", is_flag=True, expose_value=False, callback=_turn_cache_off, is_eager=True,
                        help="Neither read nor write the compiled-style cache (as GPBT_NO_CACHE=1 does).")(function)


def loader_options(function: Callable) -> Callable:
    function = click.option("--no-includes", is_flag=True,
                            help="Refuse every @include (for styles from people you do not trust).")(function)
    return click.option("--include-path", "include_paths", multiple=True, metavar="DIR",
                        type=click.Path(file_okay=False),
                        help="Also allow @include of files under DIR (repeatable). Without it an include stays "
                             "inside the folder that holds the style.")(function)


def environment(include_paths: tuple[str, ...] = (), no_includes: bool = False) -> Environment:
    """The compiled-style cache is keyed by the style's files, not by include rules: a load with include options
    bypasses it both ways, so a style cached under other rules is never reused here, nor cached for later."""
    from ..environment import Environment
    from ..loaders import FileSystemLoader

    loader = FileSystemLoader(include_paths, allow_includes=not no_includes)
    return Environment(loader, cache=False) if include_paths or no_includes else Environment(loader)


def note_shadowed(spec: str) -> None:
    from ..loaders import shadowed_path

    note = shadowed_path(spec)
    if note:
        click.echo(f"gpbt: note: {note}", err=True)
