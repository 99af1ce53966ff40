"""`gpbt serve`: the generator page and the playground (gpbt/web), run with uvicorn. Needs the `web` extra."""

from __future__ import annotations

import importlib.util

import click

WEB_EXTRA_HINT = "gpbt serve needs the web extra: pip install 'gpbt[web]'"


def web_extra_missing() -> list[str]:
    """The web extra's packages that are not installed."""
    return [name for name in ("starlette", "uvicorn") if importlib.util.find_spec(name) is None]


@click.command(short_help="Serve the generator page, the playground and the JSON API.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (the loopback address unless told otherwise).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--style", "style_specs", multiple=True, metavar="NAME|PATH",
              help="Serve this style too (a rule file, a style folder or a Tracery .json); repeatable.")
def serve(host: str, port: int, style_specs: tuple[str, ...]) -> None:
    """Serve the generator page (/), the playground (/play) and the JSON API (/api/...)."""
    missing = web_extra_missing()
    if missing:
        click.echo(f"gpbt: error: {WEB_EXTRA_HINT} (missing: {', '.join(missing)})", err=True)
        raise SystemExit(2)
    import uvicorn

    from ..web import create_app

    app = create_app(list(style_specs))  # styles load here, once: a broken one stops before listening
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"gpbt: serving {len(app.state.served.styles)} styles at http://{shown}:{port}/ (Ctrl-C stops)",
               err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")
