"""`gpbt cache info` and `gpbt cache clear`: where the compiled-style cache lives and what it holds."""

from __future__ import annotations

import json

import click

from .common import CONTEXT


@click.group(context_settings=CONTEXT, short_help="Show or clear the compiled-style cache.")
def cache() -> None:
    """The compiled-style cache keeps checked and compiled styles, so a later run with unchanged rule files starts
    at once. It lives in $GPBT_CACHE_DIR, else $XDG_CACHE_HOME/gpbt, else ~/.cache/gpbt; GPBT_NO_CACHE=1 or
    `gpbt --no-cache` turns it off."""


@cache.command(context_settings=CONTEXT)
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
def info(output_format: str) -> None:
    """Where the cache is, whether it is on, and how many entries and bytes it holds."""
    from .. import cache as store

    facts = store.info()
    if output_format == "json":
        click.echo(json.dumps(facts, ensure_ascii=False, indent=2))
        return
    click.echo(f"folder   {facts['folder']}\nenabled  {'yes' if facts['enabled'] else 'no (GPBT_NO_CACHE)'}\n"
               f"entries  {facts['entries']}\nsize     {facts['bytes']} bytes")


@cache.command(context_settings=CONTEXT)
def clear() -> None:
    """Remove every entry (they are rebuilt on the next load)."""
    from .. import cache as store

    click.echo(f"gpbt: removed {store.clear()} cache entries from {store.cache_dir()}", err=True)
