"""The `gpbt` command: a thin click layer over the library, and the one place where errors become messages and exit
codes (0 ok, 1 rule-file, generation or file error, 2 usage error). No traceback reaches the user: a `GpbtError`
is rendered, an OS error becomes one line naming the path, Ctrl-C exits 130 quietly."""

from __future__ import annotations

import os
import sys

from importlib import import_module

import click

from .._version import __version__
from .common import CONTEXT, color_option, no_cache_option, use_color

# Each command lives in its own module, imported only when that command runs (or `--help` lists them all): `gpbt
# --version` and a warm `gpbt generate` never pay for the others' imports (lark, the stats engine, the web stack).
COMMANDS = {
    "generate": "generate:generate", "styles": "styles:styles", "check": "commands:check",
    "stats": "stats:stats", "convert": "commands:convert", "compile": "compile:compile_command",
    "cache": "cache:cache", "serve": "serve:serve", "lsp": "..lsp.command:lsp",
}


class GpbtGroup(click.Group):
    """Turns every `GpbtError` into its rendered diagnostics on stderr and its exit code, a closed stdout (as in
    `gpbt generate … | head -1`) into a quiet exit, and any other OS error into one line. Commands load lazily."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        module, attribute = COMMANDS[name].split(":")
        return getattr(import_module(module if module.startswith("..") else "." + module, __name__), attribute)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except BrokenPipeError:
            _silence_stdout()
            ctx.exit(0)
        except OSError as error:
            where = f" '{error.filename}'" if error.filename else ""
            click.echo(f"gpbt: error:{where} {error.strerror or error}", err=True)
            ctx.exit(1)
        except UnicodeEncodeError as error:  # text on its way to a terminal or pipe whose encoding lacks it
            shown = error.object[error.start] if isinstance(error.object, str) else "?"
            click.echo(f"gpbt: error: stdout's encoding ({error.encoding}) cannot write {shown!r}; write to a file "
                       "with -o, or set PYTHONIOENCODING=utf-8", err=True)
            ctx.exit(1)
        except RecursionError:
            click.echo("gpbt: error: the rules nest too deeply to expand [too-deep]\n"
                       "hint: `gpbt check` shows where; flatten the deepest chain of rules", err=True)
            ctx.exit(1)
        except KeyboardInterrupt:
            click.echo("gpbt: interrupted", err=True)
            ctx.exit(130)
        except Exception as error:
            from ..errors import GpbtError  # imported here: `gpbt --version` needs none of the library

            if not isinstance(error, GpbtError):
                raise
            click.echo(error.render(color=use_color(ctx, err=True)), err=True)
            ctx.exit(error.exit_code)


def _silence_stdout() -> None:
    """After a broken pipe, point stdout at /dev/null so the interpreter's final flush cannot fail noisily."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


@click.group(cls=GpbtGroup, context_settings=CONTEXT)
@click.version_option(__version__, "--version", prog_name="gpbt")
@color_option
@no_cache_option
def main() -> None:
    """gpbt (狗屁不通): generate essays from grammar rule files.

    Start with `gpbt generate 春天`; `gpbt COMMAND --help` explains each command.
    """

