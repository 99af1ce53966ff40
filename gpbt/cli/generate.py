"""`gpbt generate`: topics in (arguments or a stream on stdin), essays out (stdout or one atomic file)."""

from __future__ import annotations

import sys
from functools import partial
from typing import Callable, Iterable, Iterator, TypeVar

import click

from ..engine.runtime import MAX_TARGET_LENGTH
from ..style import Essay, Style
from ..runs import Run, essay_seed, rendered
from .bulk_run import bulk_options, bulk_pieces, piece, utf8_piece, with_progress
from .common import CONTEXT, DEFAULT_STYLE, color_option, environment, loader_options, note_shadowed

T = TypeVar("T")

EXAMPLES = """\b
Examples:
  gpbt generate 春天                      one essay in the default style (zh)
  gpbt generate spring -s en -n 800       English, about 800 characters
  gpbt generate 甲 乙 --seed 7 -o out.txt  two essays, reproducible, into a file
  gpbt generate - < topics.txt            one essay per line of topics.txt
"""


def utf8_text(_ctx: click.Context | None, _param: click.Parameter | None, value: T) -> T:
    """Text from the command line (one value or a tuple) must be UTF-8, as topics on stdin must be: bytes that are
    not are refused here, before any work, rather than met when the essay is written."""
    for text in value if isinstance(value, tuple) else (value,):
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as error:  # a byte Python could not decode from argv, kept as U+DC80..U+DCFF
            code = ord(text[error.start])
            what = f"the byte 0x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"U+{code:04X}, half a pair"
            raise click.BadParameter(f"must be UTF-8 text (it holds {what})") from None
    return value


def parse_assignment(_ctx: click.Context, _param: click.Parameter, values: tuple[str, ...]) -> dict[str, str]:
    slots: dict[str, str] = {}
    for value in utf8_text(None, None, values):
        name, sep, text = value.partition("=")
        if not sep or not name:
            raise click.BadParameter(f"'{value}' is not NAME=VALUE")
        slots[name] = text
    return slots


@click.command(context_settings=CONTEXT, epilog=EXAMPLES, short_help="Generate one essay per TOPIC.")
@click.argument("topics", nargs=-1, metavar="[TOPIC]...", callback=utf8_text)
@click.option("-s", "--style", "style_spec", default=DEFAULT_STYLE, show_default=True, metavar="NAME|PATH",
              help="A shipped style name, a rule file, a style folder or a Tracery .json grammar (a bare shipped "
                   "name wins over a folder of that name: write ./zh for the folder).")
@click.option("-n", "--length", type=click.IntRange(0, MAX_TARGET_LENGTH), default=None, metavar="CHARS",
              help=f"Target length in characters, at most {MAX_TARGET_LENGTH:,} (default: the style's @length, "
                   "2000 in zh). A style never writes less than its fixed frame (title, opening, conclusion): "
                   "a smaller target gives that, with a warning.")
@click.option("--seed", type=int, default=None, help="Seed for a reproducible essay (default: a fresh one).")
@click.option("--count", type=click.IntRange(min=1), default=1, show_default=True, help="Essays per topic.")
@click.option("--set", "slots", multiple=True, callback=parse_assignment, metavar="NAME=VALUE",
              help="Give a slot a value (repeatable).")
@click.option("--format", "output_format", type=click.Choice(["text", "json", "jsonl"]), default="text",
              show_default=True, help="text, or JSON Lines (one object per essay); jsonl adds each essay's number "
                                      "in the run (docs/bulk.md).")
@click.option("--separator", default="\n", show_default="a blank line", callback=utf8_text,
              help="Text output: written between two essays.")
@click.option("-o", "--output", default=None, metavar="FILE",
              help="Write to FILE (atomically: a failed or interrupted run leaves the old file, or none).")
@click.option("-v", "--verbose", is_flag=True, help="Report the seed of each essay on stderr.")
@click.option("--start", default=None, metavar="NAME",
              help="Start from this rule (a Tracery grammar starts at 'origin' by default).")
@click.option("--tracery-compat", is_flag=True,
              help="Tracery .json: an undefined symbol writes ((name)) instead of being an error.")
@click.option("--trace", is_flag=True,
              help="With --format json: add where every span of the text came from (rule, file:line, choice).")
@click.option("--trace-tree", is_flag=True,
              help="With --format json: the trace as the derivation tree (every rule expansion, nested).")
@bulk_options
@loader_options
@color_option
def generate(topics: tuple[str, ...], style_spec: str, length: int | None, seed: int | None, count: int,
             slots: dict[str, str], output_format: str, separator: str, output: str | None, verbose: bool,
             start: str | None, tracery_compat: bool, trace: bool, trace_tree: bool,
             include_paths: tuple[str, ...],
             no_includes: bool, jobs: int, scheduler: str | None, quiet: bool) -> None:
    """Generate one essay per TOPIC ('-' reads topics from stdin, one per line, as they arrive).

    With --seed, the n-th essay of the run uses seed+n, so a run is reproducible as a whole and each essay on its
    own. Text is written exactly as generated, to a terminal, a pipe or a file alike.
    """
    if (trace or trace_tree) and output_format == "text":
        raise click.BadOptionUsage("trace", "--trace needs --format json (the trace is JSON beside the text)")
    if "" in topics:
        raise click.BadParameter("a topic must not be empty", param_hint="TOPIC")
    if output is not None:
        from ..files import check_target

        check_target(output)
    note_shadowed(style_spec)
    style = environment(include_paths, no_includes).load(style_spec, start=start, tracery_compat=tracery_compat)
    topic_slot = style.topic_slot
    if topics and topic_slot in slots:
        raise click.BadOptionUsage("slots", f"the topic is given twice: as TOPIC and as --set {topic_slot}=…")
    if topics and not style.facts.topic_used:
        click.echo(f"gpbt: warning: style {style.name} does not use a topic"
                   + (f" (nothing refers to its topic slot '{topic_slot}')" if topic_slot else "")
                   + "; the topic is ignored", err=True)
    if not topics and _needs_topic(style, slots):
        raise click.MissingParameter(ctx=click.get_current_context(), param_hint="'TOPIC'", param_type="argument",
                                     message=f"style {style.name} writes about a topic (give one, or '-' to "
                                             "read topics from stdin)")
    topic_stream = _expand_topics(topics)
    run = Run.of(topic_stream if "-" in topics else list(topic_stream), count=count, seed=seed, length=length,
                 slots=slots, trace=trace)
    if length is not None:
        run = _warning_if_short(style, run, length, slots)
    # a file or a UTF-8 pipe takes bytes: workers encode each essay's piece and this process only writes it
    render = partial(utf8_piece if output is not None or _utf8_pipe() else piece, output_format=output_format,
                     separator=separator)
    render_here = verbose or trace_tree  # these need each essay here, not only what is written
    made = with_progress(bulk_pieces(style, run, jobs, scheduler, style_spec, start, tracery_compat,
                                     None if render_here else render), run.total, quiet, output is None)
    if render_here:
        essays = _reported(made) if verbose else made
        if trace_tree:
            from .tree import with_trees

            essays = with_trees(style, essays, slots)
        made = rendered(essays, render)
    if output is None:
        for written in made:
            click.echo(written, nl=False, color=True)  # color=True: click must not strip escapes from a topic
        return
    from pathlib import Path

    from ..files import write_atomically

    write_atomically(Path(output), made)


def _needs_topic(style: Style, slots: dict[str, str]) -> bool:
    topic = style.topic_slot
    if topic is None or topic in slots:
        return False
    return topic not in style.facts.defaults and style.facts.topic_used


def _warning_if_short(style: Style, run: Run, length: int, slots: dict[str, str]) -> Run:
    """`run`, saying once (on stderr) when the target is below the style's fixed frame for its first essay: what it
    writes with target 0 (title, opening, conclusion), which no essay is shorter than. Checked as soon as the first
    topic is known (topics on stdin: when it arrives)."""

    def check(topic: str | None) -> None:
        frame = style.essay(topic, seed=essay_seed(run.seed, 0), length=0, slots=slots).length
        if length < frame:
            click.echo(f"gpbt: warning: -n {length} is below the fixed frame of style {style.name} ({frame:,} "
                       "characters for this topic and seed: title, opening, conclusion); no essay is shorter",
                       err=True)

    if isinstance(run.topics, tuple):
        if run.topics:
            check(run.topics[0])
        return run
    return run._replace(topics=_on_first(run.topics, check))


def _on_first(items: Iterable[T], action: Callable[[T], None]) -> Iterator[T]:
    for number, item in enumerate(items):
        if number == 0:
            action(item)
        yield item


def _utf8_pipe() -> bool:
    """stdout is a pipe or a file that takes UTF-8 (a terminal, or another encoding, gets text through click)."""
    import codecs

    try:
        return not sys.stdout.isatty() and codecs.lookup(sys.stdout.encoding).name == "utf-8"
    except (AttributeError, LookupError, TypeError, ValueError):  # no stdout, no encoding, or a closed one
        return False


def _expand_topics(topics: tuple[str, ...]) -> Iterator[str | None]:
    if not topics:
        yield None
    for topic in topics:
        if topic == "-":
            yield from _stdin_topics()
        else:
            yield topic


def _stdin_topics() -> Iterator[str]:
    """One topic per non-blank line, yielded as each line arrives; a BOM is dropped, bytes that are not UTF-8 are
    a one-line error naming the line."""
    stream = sys.stdin.buffer  # bytes: a line that is not UTF-8 is an error we word ourselves
    found = False
    for number, raw in enumerate(iter(stream.readline, b""), 1):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise click.UsageError(f"stdin line {number} is not UTF-8 text") from None
        topic = line.removeprefix("\ufeff").strip() if number == 1 else line.strip()
        if topic:
            found = True
            yield topic
    if not found:
        raise click.UsageError("no topics on stdin (one per line; blank lines are skipped)")


def _reported(essays: Iterator[Essay]) -> Iterator[Essay]:
    """`essays`, each reported on stderr (`--verbose`): its seed regenerates it alone."""
    for essay in essays:
        about = f", topic {essay.topic!r}" if essay.topic is not None else ""
        click.echo(f"gpbt: style {essay.style}{about}, seed {essay.seed}, {essay.length} characters", err=True)
        yield essay
