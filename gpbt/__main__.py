"""`python -m gpbt` is the same as the `gpbt` command."""

from .cli import main

main(prog_name="gpbt")
