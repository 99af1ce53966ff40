"""Where a style's text comes from: loaders (as Jinja2's) turn a style name into source files and resolve `@include`.

`FileSystemLoader` reads shipped styles (package data), rule files, style folders and Tracery `.json` files from
disk; `DictLoader` serves a style from text held in memory (an editor's buffers, a playground's text box, a test's
snippet) and never touches the disk. `collect_rule_files` follows the includes of a style through any loader.
"""

from __future__ import annotations

import functools
import os
import posixpath
import stat
from typing import TYPE_CHECKING, Callable, Mapping, NamedTuple, Sequence

from .errors import Diagnostic, StyleNotFoundError
from .source import SourceFile

if TYPE_CHECKING:
    from pathlib import Path

    from . import nodes

RULE_SUFFIX = ".gpbt"
TRACERY_SUFFIX = ".json"
MAX_STYLE_BYTES = 1_048_576  # rule text of one style, all files and includes together (the shipped zh: 77 KB)


class StyleTooLargeError(OSError):
    """A file that would take a style past `MAX_STYLE_BYTES`: refused before it is read."""


class StyleSources(NamedTuple):
    """What a loader found for a style: its name, its format ("rules" or "tracery") and its entry files (a folder
    style is every rule file directly inside it, in name order)."""

    name: str
    kind: str
    entries: tuple[str, ...]


class Loader:
    """Finds a style's files and reads them. Keys are whatever the loader understands (paths, source names); they
    become the file names in every diagnostic."""

    def find(self, spec: str | Path) -> StyleSources:
        raise NotImplementedError

    def read(self, key: str) -> SourceFile:
        """The text of one file; `OSError` or `UnicodeDecodeError` if it cannot be read."""
        raise NotImplementedError

    def include(self, key: str, target: str) -> str:
        """The key of the file that `@include target` names inside file `key`; `LookupError(reason)` if none."""
        raise NotImplementedError

    def identity(self, key: str) -> str:
        """What makes two keys the same file (for include cycles and files included twice)."""
        return key


def shipped_root() -> Path:
    """The `rules/` folder inside the installed package (force-included into the wheel; a symlink in a checkout)."""
    from pathlib import Path

    return Path(_shipped_folder())


@functools.lru_cache(maxsize=1)
def _shipped_folder() -> str:
    return os.path.join(os.path.dirname(os.path.realpath(__file__)), "rules")


def shipped_style_names() -> list[str]:
    try:
        names = os.listdir(_shipped_folder())
    except OSError:
        return []
    return sorted(name for name in names if is_shipped_name(name))


def is_shipped_name(spec: str | Path) -> bool:
    """A bare name (no folder part) of a folder of rule files among the shipped styles. Asked of one name: loading a
    style by path must not list the shipped ones."""
    if not isinstance(spec, str) or not spec or spec in (".", "..") or "/" in spec or os.sep in spec or "\0" in spec:
        return False
    folder = os.path.join(_shipped_folder(), spec)
    try:
        return any(name.endswith(RULE_SUFFIX) for name in os.listdir(folder))
    except OSError:  # not there, or not a folder
        return False


class FileSystemLoader(Loader):
    """Styles on disk: a shipped style's name (a bare name such as `zh`), or a path to a rule file, a style folder
    or a Tracery `.json` file. A bare name that is both a shipped style and a path here names the shipped style;
    write `./zh` for the folder (`shadowed_path` says when that happened).

    `@include` resolves relative to the including file and must stay inside the style's root or one of
    `include_paths`. The root is the folder that holds the style's folder (a rule file's folder is its style
    folder), so styles side by side may share `../common/` but nothing above them is read (as Jinja2's file
    loader refuses templates that climb out of its search path): `/etc/passwd` and `../../outside.gpbt` are
    refused unless their folder is given.
    `allow_includes=False` refuses every include (for anything that serves styles to others)."""

    def __init__(self, include_paths: Sequence[str | Path] = (), allow_includes: bool = True) -> None:
        self.include_paths = tuple(os.path.realpath(path) for path in include_paths)
        self.allow_includes = allow_includes
        self._roots: dict[str, str] = {}

    def find(self, spec: str | Path) -> StyleSources:
        path = _style_path(spec)
        stem, suffix = os.path.splitext(os.path.basename(path))
        if suffix.lower() == TRACERY_SUFFIX and os.path.isfile(path):
            return StyleSources(stem, "tracery", (path,))
        if os.path.isdir(path):
            entries = sorted(os.path.join(path, name) for name in os.listdir(path)
                             if os.path.splitext(name)[1] == RULE_SUFFIX and os.path.isfile(os.path.join(path, name)))
            if not entries:
                raise StyleNotFoundError(f"folder '{path}' holds no {RULE_SUFFIX} rule files")
            root = os.path.dirname(os.path.realpath(path))
            self._roots.update((entry, root) for entry in entries)
            return StyleSources(os.path.basename(os.path.normpath(path)), "rules", tuple(entries))
        self._roots[path] = _root_of_file(path)
        return StyleSources(stem, "rules", (path,))

    def read(self, key: str) -> SourceFile:
        descriptor = os.open(key, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))  # a FIFO must not block here
        try:
            info = os.fstat(descriptor)
        finally:
            os.close(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise OSError(0, "it is not a regular file", key)
        if info.st_size > MAX_STYLE_BYTES:
            raise StyleTooLargeError(0, _too_large(info.st_size), key)
        return SourceFile.read(key)

    def include(self, key: str, target: str) -> str:
        if not self.allow_includes:
            raise LookupError("includes of files are turned off here")
        if "\0" in target:
            raise LookupError("a path cannot hold a NUL character")
        included = _spelled(os.path.join(os.path.dirname(key), target))
        real = os.path.realpath(included)
        root = self._roots.get(key) or _root_of_file(key)
        allowed = (root, *self.include_paths)
        if not any(real == folder or real.startswith(folder.rstrip(os.sep) + os.sep) for folder in allowed):
            raise LookupError(f"it is outside '{root}', the folder that holds the style (allow its folder with --include-path)")
        self._roots.setdefault(included, root)
        return included

    def identity(self, key: str) -> str:
        return os.path.realpath(key)  # never raises, even on a symbolic link loop (reading it then says so)


def _root_of_file(path: str) -> str:
    """The folder includes of a single rule file may reach: the one above the file's own folder (resolved)."""
    return os.path.dirname(os.path.realpath(os.path.dirname(path) or "."))


def resolve_style(spec: str | Path) -> Path:
    """A bare shipped name names the shipped style; otherwise `spec` is a path to an existing file or folder."""
    from pathlib import Path

    return Path(_style_path(spec))


def _spelled(path: str | Path) -> str:
    """A path as `str(Path(path))` spells it (`./zh/` is `zh`, `a//b` is `a/b`; `..` is kept): the names files get in
    diagnostics stay as they were when this was pathlib."""
    text = os.fspath(path)
    if os.sep != "/" or not isinstance(text, str):  # elsewhere, pathlib's own rules
        from pathlib import Path

        return str(Path(text))
    parts = [part for part in text.split("/") if part not in ("", ".")]
    root = "//" if text.startswith("//") and not text.startswith("///") else "/" if text.startswith("/") else ""
    return root + "/".join(parts) or "."


def _style_path(spec: str | Path) -> str:
    """`resolve_style` as a string (the loader's own, which needs no pathlib)."""
    if "\0" in str(spec):
        raise StyleNotFoundError("a style path cannot hold a NUL character")
    if is_shipped_name(spec):
        return os.path.join(_shipped_folder(), str(spec))
    path = _spelled(spec)
    if os.path.islink(path) and not os.path.exists(path):
        raise StyleNotFoundError(f"'{spec}' is a symbolic link that leads nowhere (a loop, or its target is gone)")
    if os.path.exists(path):
        return path
    import difflib

    names = shipped_style_names()
    close = difflib.get_close_matches(str(spec), names, n=1)
    hint = f"did you mean {close[0]}?" if close else f"shipped styles: {', '.join(names)}; or give a path"
    raise StyleNotFoundError(f"no style or rule file named '{spec}'", hint=hint)


def shadowed_path(spec: str | Path) -> str | None:
    """A note when a bare shipped name is also a path here, so the shipped style was used, not the path."""
    if is_shipped_name(spec) and os.path.lexists(spec):
        return (f"'{spec}' names the shipped style; the '{spec}' here is not used (write ./{spec} to use it)")
    return None


class DictLoader(Loader):
    """A style from text in memory: `{file name: text}`. The style is every `.gpbt` source whose name has no folder
    part (like the files directly inside a style folder), or the one `.json` source (a Tracery grammar); sources in
    folders (`common/words.gpbt`) are reached by `@include` only. An include names another source, relative to the
    including one's folder; nothing is ever read from disk."""

    def __init__(self, sources: Mapping[str, str], name: str = "style") -> None:
        self.sources = dict(sources)
        self.name = name

    def find(self, spec: str | Path | None = None) -> StyleSources:
        if spec is not None and str(spec) in self.sources:
            key = str(spec)
            kind = "tracery" if key.lower().endswith(TRACERY_SUFFIX) else "rules"
            return StyleSources(self.name, kind, (key,))
        if spec is not None:
            raise StyleNotFoundError(f"no source named '{spec}'",
                                     hint="sources: " + ", ".join(sorted(self.sources)) if self.sources else None)
        tracery = [key for key in self.sources if key.lower().endswith(TRACERY_SUFFIX)]
        entries = sorted(key for key in self.sources if "/" not in key and not key.lower().endswith(TRACERY_SUFFIX))
        if len(tracery) == 1 and not entries:
            return StyleSources(self.name, "tracery", (tracery[0],))
        if not entries:
            raise StyleNotFoundError(f"style '{self.name}' has no rule sources",
                                     hint=f"give at least one source whose name ends in {RULE_SUFFIX}")
        return StyleSources(self.name, "rules", tuple(entries))

    def read(self, key: str) -> SourceFile:
        if key not in self.sources:
            raise FileNotFoundError(2, "no such source", key)
        size = len(self.sources[key].encode("utf-8"))
        if size > MAX_STYLE_BYTES:
            raise StyleTooLargeError(0, _too_large(size), key)
        return SourceFile.from_text(key, self.sources[key])

    def include(self, key: str, target: str) -> str:
        name = posixpath.normpath(posixpath.join(posixpath.dirname(key), target))
        if name not in self.sources:
            raise LookupError("no source of that name was given")
        return name


def _too_large(size: int) -> str:
    return (f"its rule text is {size / 1_048_576:.1f} MB, over the limit of {MAX_STYLE_BYTES / 1_048_576:.0f} MB "
            "per style")


Parse = Callable[[SourceFile], "tuple[nodes.RuleFile, list[Diagnostic]]"]


def collect_rule_files(loader: Loader, entries: tuple[str, ...],
                       parse: Parse) -> tuple[list[nodes.RuleFile], list[Diagnostic]]:
    """Parse a style's files and everything they include, each file once, keeping what parsed. All syntax errors
    of all files, missing includes and include cycles are reported together."""
    loaded: dict[str, nodes.RuleFile] = {}
    diagnostics: list[Diagnostic] = []
    total = [0]  # bytes of rule text read so far

    def visit(key: str, chain: tuple[str, ...], include: nodes.Directive | None) -> None:
        ident = loader.identity(key)
        if ident in chain:
            cycle = " → ".join(posixpath.basename(p) for p in chain[chain.index(ident):] + (ident,))
            diagnostics.append(Diagnostic(include.value_span if include else None,
                                          f"include cycle: {cycle}", "include-cycle"))
            return
        if ident in loaded:
            return
        try:
            source = loader.read(key)
            total[0] += len(source.text.encode("utf-8", "surrogatepass"))
            if total[0] > MAX_STYLE_BYTES:
                raise StyleTooLargeError(0, _too_large(total[0]), key)
        except (OSError, UnicodeDecodeError) as error:
            reason = "it is not UTF-8 text" if isinstance(error, UnicodeDecodeError) else error.strerror
            if include is None:
                raise StyleNotFoundError(f"cannot read '{key}': {reason}") from error
            diagnostics.append(Diagnostic(include.value_span, f"cannot read included file '{include.value}': "
                                          f"{reason}", "missing-include"))
            return
        rule_file, problems = parse(source)
        diagnostics.extend(problems)
        loaded[ident] = rule_file
        for directive in rule_file.directives:
            if directive.name == "include":
                try:
                    target = loader.include(key, directive.value)
                except LookupError as error:
                    diagnostics.append(Diagnostic(directive.value_span, f"cannot read included file "
                                                  f"'{directive.value}': {error}", "missing-include"))
                    continue
                visit(target, chain + (ident,), directive)

    for entry in entries:
        visit(entry, (), None)
    return list(loaded.values()), diagnostics
