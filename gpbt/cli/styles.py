"""`gpbt styles`: the shipped styles, from the summaries their cache entries keep (nothing compiled when warm)."""

from __future__ import annotations

import click

from .common import CONTEXT, DEFAULT_STYLE, color_option, environment


@click.command(context_settings=CONTEXT)
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
@color_option
def styles(output_format: str) -> None:
    """List the shipped styles."""
    from ..loaders import shipped_style_names

    env = environment()
    rows = []
    for name in shipped_style_names():
        summary = env.summary(name)
        rows.append({"name": name, "language": summary["language"], "description": summary["description"],
                     "default_length": summary["default_length"]})
    if output_format == "json":
        import json

        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        marker = " (default)" if row["name"] == DEFAULT_STYLE else ""
        click.echo(f"{row['name']:<6} {row['language']:<4} {row['description']}{marker}")
