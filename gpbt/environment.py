"""The front door: an `Environment` loads, checks and compiles styles through a loader, as Jinja2's does templates.

Every front end (the CLI, a web server, an editor server) and every embedding program goes through here:

    env = Environment()                                    # styles from disk and the shipped styles
    style = env.load("zh")
    memo = Environment(DictLoader({"memo.gpbt": text}))    # a style from text in memory, never from disk
    analysis = memo.analyse()                              # every diagnostic, nothing raised for bad rules

An environment remembers the files it has parsed (by name and text), and each record (a rule or a directive) of
them, so analysing a style again after an edit re-parses only the records that changed.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Callable, Mapping

from typing import TYPE_CHECKING

from .errors import Diagnostic, RuleFileError
from .loaders import DictLoader, FileSystemLoader, Loader, collect_rule_files, shipped_style_names
from .source import SourceFile

if TYPE_CHECKING:
    from pathlib import Path

    from .modifiers import ModifierSpec

    from . import nodes
    from .style import Style
    from .engine.pipeline import Analysis

PARSE_CACHE = 32  # parsed files an environment keeps whole (their records are kept apart: see RECORD_FILES)
RECORD_FILES = 256  # files whose last parse's records it keeps, so an edited file re-parses only changed records


class Environment:
    """Loaders and modifiers shared by every style it loads."""

    def __init__(self, loader: Loader | None = None, *,
                 modifiers: Mapping[str, Callable[..., str] | ModifierSpec] | None = None,
                 cache: bool | None = None) -> None:
        """`cache`: keep compiled styles loaded from disk in the per-user cache (gpbt/cache.py); by default on unless
        GPBT_NO_CACHE=1. Styles held in memory and environments with modifiers of their own are never cached."""
        self.loader = loader or FileSystemLoader()
        self._given_modifiers = modifiers or None
        self._modifiers: Mapping[str, ModifierSpec] | None = None
        self.cache = cache
        self._parsed: OrderedDict[tuple[str, str], tuple[nodes.RuleFile, list[Diagnostic]]] = OrderedDict()
        self._records: OrderedDict[str, dict] = OrderedDict()  # path -> the records of its last parse

    @property
    def modifiers(self) -> Mapping[str, ModifierSpec]:
        """The built-in modifiers and the environment's own (made on first use: `gpbt styles` never needs them)."""
        if self._modifiers is None:
            from .modifiers import modifier_table

            self._modifiers = modifier_table(self._given_modifiers)
        return self._modifiers

    def analyse(self, spec: str | Path | None = None, *, start: str | None = None,
                tracery_compat: bool = False) -> Analysis:
        """Read, assemble, check and lint a style: its definition and every diagnostic (errors and warnings).
        Raises only `StyleNotFoundError` (nothing to read) and, for a file that is not a Tracery grammar at all,
        `RuleFileError`."""
        from .engine.pipeline import analyse

        found = self.loader.find(spec)
        if found.kind == "tracery":
            from .readers.tracery import read_tracery

            grammar = read_tracery(self._read(found.entries[0]), start=start, compat=tracery_compat,
                                   modifiers=self.modifiers)
            return analyse(found.name, [grammar.rule_file()], grammar.problems, start=start, dialect="tracery",
                           modifiers=self.modifiers)
        files, problems = collect_rule_files(self.loader, found.entries, self._parse)
        return analyse(found.name, files, problems, start=start, modifiers=self.modifiers)

    def load(self, spec: str | Path | None = None, *, start: str | None = None,
             tracery_compat: bool = False) -> Style:
        """A checked, compiled style. Raises `RuleFileError` with every error in its files, or
        `StyleNotFoundError`; warnings are kept on `Style.warnings`. From the cache when its files are unchanged."""
        entry = self._cache_entry(spec, (start, tracery_compat))
        if entry is not None:
            style = self._from_cache(entry, spec, start, tracery_compat)
            if style is not None:
                return style
        analysis = self.analyse(spec, start=start, tracery_compat=tracery_compat)
        if analysis.errors:
            raise RuleFileError(analysis.errors)
        from .style import Style

        style = Style(analysis.definition, analysis.warnings)
        if entry is not None:
            from . import cache

            sources = [rule_file.source for rule_file in analysis.definition.files]
            cache.write_entry(entry, sources, style.grammar, style.module, style.warnings, style.facts)
        return style

    def summary(self, spec: str | Path | None = None) -> dict[str, str | int]:
        """A style's name, language, description and default length: read from its cache entry's header when its
        files are unchanged (nothing decoded, compiled or imported), else by loading it, which fills the cache."""
        entry = self._cache_entry(spec, (None, False))
        if entry is not None:
            from . import cache

            header = cache.read_summary(entry)
            if header is not None and isinstance(header.get("summary"), dict):
                return header["summary"]
        return self.load(spec).facts.summary()

    def _cache_entry(self, spec: str | Path | None, options: tuple) -> str | None:
        """Where the cached compiled style would be, or None when this load is not cached."""
        if self.cache is False or not isinstance(self.loader, FileSystemLoader) \
                or self._given_modifiers is not None:
            return None
        from . import cache

        if not (cache.cache_enabled() if self.cache is None else self.cache):
            return None
        return cache.entry_path(self.loader.find(spec).entries, options)

    def _from_cache(self, path: str, spec: str | Path | None, start: str | None,
                    tracery_compat: bool) -> Style | None:
        from . import cache

        entry = cache.read_entry(path)
        if entry is None:
            return None
        try:
            grammar, module, warnings, facts = cache.decode_entry(entry)
        except ValueError:
            return None

        def reanalyse():
            return self.analyse(spec, start=start, tracery_compat=tracery_compat).definition

        from .style import Style

        return Style.from_compiled(grammar, module, facts, warnings, reanalyse)

    def _read(self, key: str) -> SourceFile:
        from .errors import StyleNotFoundError

        try:
            return self.loader.read(key)
        except (OSError, UnicodeDecodeError) as error:
            reason = "it is not UTF-8 text" if isinstance(error, UnicodeDecodeError) else error.strerror
            raise StyleNotFoundError(f"cannot read '{key}': {reason}") from error

    def _parse(self, source: SourceFile) -> tuple[nodes.RuleFile, list[Diagnostic]]:
        """Parse a rule file, or give back the result for the same name and text parsed before."""
        key = (source.path, source.text)
        if key in self._parsed:
            self._parsed.move_to_end(key)
            return self._parsed[key]
        from .readers.rules import parse_rules

        records: dict = {}  # the records of this text replace those of the last (edits never pile up records)
        result = self._parsed[key] = parse_rules(source, self._records.pop(source.path, None), records)
        self._records[source.path] = records
        if len(self._records) > RECORD_FILES:
            self._records.popitem(last=False)
        if len(self._parsed) > PARSE_CACHE:
            self._parsed.popitem(last=False)
        return result


_DEFAULT: Environment | None = None


def default_environment() -> Environment:
    """The environment of `load_style` and `analyse_style`: files on disk and the shipped styles."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Environment()
    return _DEFAULT


def load_style(spec: str | Path, start: str | None = None, tracery_compat: bool = False) -> Style:
    """Load a shipped style by name (`"zh"`), a rule file, a style folder or a Tracery `.json` grammar. Raises
    `RuleFileError` listing every error in the files, or `StyleNotFoundError`; warnings are kept on `Style.warnings`.
    `start` overrides the start rule; `tracery_compat` makes an undefined Tracery symbol write `((name))`."""
    return default_environment().load(spec, start=start, tracery_compat=tracery_compat)


def analyse_style(spec: str | Path, start: str | None = None, tracery_compat: bool = False) -> Analysis:
    """Every diagnostic of a style on disk (or shipped), without raising for bad rules."""
    return default_environment().analyse(spec, start=start, tracery_compat=tracery_compat)


def load_style_from_sources(sources: Mapping[str, str], *, name: str = "style", start: str | None = None,
                            tracery_compat: bool = False) -> Style:
    """A style from text in memory, `{file name: text}`: every `.gpbt` source without a folder part is a file of
    the style (others are reached by `@include`), or one `.json` source is a Tracery grammar. Never reads the
    disk."""
    return Environment(DictLoader(sources, name)).load(start=start, tracery_compat=tracery_compat)


def analyse_sources(sources: Mapping[str, str], *, name: str = "style", start: str | None = None,
                    tracery_compat: bool = False) -> Analysis:
    """Every diagnostic of a style held in memory (see `load_style_from_sources`)."""
    return Environment(DictLoader(sources, name)).analyse(start=start, tracery_compat=tracery_compat)


def shipped_styles() -> list[Style]:
    """Every style that ships with gpbt, loaded."""
    return [load_style(name) for name in shipped_style_names()]
