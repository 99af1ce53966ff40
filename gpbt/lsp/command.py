"""`gpbt lsp`: the command that starts the language server (its code stays out of the CLI module)."""

from __future__ import annotations

import click


@click.command("lsp", short_help="The language server for rule files, over stdio.")
@click.option("--stdio", is_flag=True, help="Speak the protocol over stdin/stdout (the default and only transport).")
def lsp(stdio: bool) -> None:
    """Run the language server for rule files over stdio (needs the lsp extra: pip install 'gpbt[lsp]')."""
    try:
        from .server import run
    except ImportError as error:
        click.echo(f"gpbt lsp needs the lsp extra ({error.name} is missing): pip install 'gpbt[lsp]'", err=True)
        raise SystemExit(2) from None
    run()
