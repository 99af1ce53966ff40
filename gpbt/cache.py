"""The compiled-style cache: what generating needs, stored per user, so a later load of unchanged files never imports
lark, parses or checks.

An entry holds the compiled grammar and the generated module (its code object and the records it names), the
style's metadata and slots, its warnings, and the text of every file it was built from (for the positions of
errors). It is plain data written with `marshal` (no pickle): loading it runs no code but gpbt's own.

- Where: `$GPBT_CACHE_DIR`, else `$XDG_CACHE_HOME/gpbt`, else `~/.cache/gpbt`; created private to the user (0700).
  `GPBT_NO_CACHE=1` (or `gpbt --no-cache`, or `Environment(cache=False)`) turns it off.
- Key: gpbt's version, Python's version and implementation, the load options and the style's entry files name an
  entry; the entry lists every file it was built from (includes too) with a hash of its bytes, and is used only if
  every one still has those bytes. Edit any file and the next load checks it again (and replaces the entry).
- Trust and failure: an entry owned by another user, or one that is corrupt, truncated, from another version or
  unreadable, is ignored (and rebuilt); entries are written to a temporary file and renamed into place, so two
  processes never see half an entry; a read-only or full disk means no caching, never an error.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
from pathlib import Path
from typing import Any

from ._version import __version__
from .engine import compiler as ops
from .engine.codegen import Module, _Text
from .engine.compiler import CompiledGrammar, CompiledRule
from .engine.policies import REGISTRY as POLICIES
from .errors import Diagnostic
from .modifiers import REGISTRY as MODIFIERS
from .source import SourceFile, Span
from .style import StyleFacts

MAGIC = b"gpbt-cache-1\n"
FORMAT = 1


def cache_dir() -> Path:
    """Where entries live (it may not exist yet)."""
    if os.environ.get("GPBT_CACHE_DIR"):
        return Path(os.environ["GPBT_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "gpbt"


def cache_enabled() -> bool:
    return os.environ.get("GPBT_NO_CACHE", "") in ("", "0")


def entry_path(entries: tuple[str, ...], options: tuple) -> Path:
    """The file of the entry for a style with these entry files and load options."""
    key = repr((FORMAT, __version__, sys.version, sys.implementation.cache_tag,
                tuple(str(Path(entry).resolve()) for entry in entries), options))
    return cache_dir() / (hashlib.sha256(key.encode("utf-8")).hexdigest()[:32] + ".gpbtc")


def fingerprint(text: str) -> str:
    """Of a file's text as gpbt reads it (`SourceFile`: BOM dropped, line ends normalised)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# ---- reading ------------------------------------------------------------------------------------------------------
def read_entry(path: Path) -> dict[str, Any] | None:
    """The entry at `path` if it is ours, whole, current and built from files that have not changed; else None."""
    try:
        with open(path, "rb") as handle:
            if os.fstat(handle.fileno()).st_uid != os.getuid():
                return None  # someone else's file: never trusted
            if handle.read(len(MAGIC)) != MAGIC:
                return None
            entry = marshal.load(handle)
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if not isinstance(entry, dict) or entry.get("version") != __version__:
        return None
    try:
        for name, digest in entry["files"]:
            if fingerprint(SourceFile.read(Path(name)).text) != digest:
                return None
    except (OSError, UnicodeDecodeError, KeyError, TypeError, ValueError):
        return None
    return entry


def decode_entry(entry: dict[str, Any]) -> tuple[CompiledGrammar, Module, list[Diagnostic], StyleFacts]:
    """The grammar, generated module, warnings and style facts of an entry (`ValueError` if it is malformed)."""
    try:
        decoder = _Decoder(entry["sources"])
        grammar = decoder.value(entry["grammar"])
        module = Module(marshal.loads(entry["code"]), decoder.value(entry["namespace"]),
                        decoder.value(entry["constants"]))
        warnings = decoder.value(entry["warnings"])
        facts = decoder.value(entry["facts"])
    except (KeyError, TypeError, ValueError, IndexError, EOFError) as error:
        raise ValueError(f"malformed cache entry: {error}") from None
    return grammar, module, warnings, facts


# ---- writing ------------------------------------------------------------------------------------------------------
def write_entry(path: Path, files: list[SourceFile], grammar: CompiledGrammar, module: Module,
                warnings: list[Diagnostic], facts: StyleFacts) -> bool:
    """Store an entry; False (and nothing written) if it cannot be encoded or the disk refuses."""
    encoder = _Encoder()
    try:
        entry = {
            "version": __version__,
            "files": [(source.path, fingerprint(source.text)) for source in files],
            "grammar": encoder.value(grammar),
            "code": marshal.dumps(module.code),
            "namespace": encoder.value(module.namespace),
            "constants": encoder.value(module.constants),
            "warnings": encoder.value(warnings),
            "facts": encoder.value(facts),
        }
        entry["sources"] = encoder.sources()
        data = MAGIC + marshal.dumps(entry)
    except (TypeError, ValueError):
        return False  # something only this process can hold (a modifier of an embedding program)
    try:
        folder = path.parent
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if folder.stat().st_uid != os.getuid():
            return False
        import tempfile

        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".entry.", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
            os.replace(temporary, path)
        except BaseException:
            os.unlink(temporary)
            raise
    except OSError:
        return False
    return True


def clear() -> int:
    """Remove every entry; the number removed."""
    removed = 0
    folder = cache_dir()
    if folder.is_dir():
        for entry in folder.glob("*.gpbtc"):
            try:
                entry.unlink()
                removed += 1
            except OSError:
                pass
    return removed


def info() -> dict[str, Any]:
    """Where the cache is, whether it is on, and what it holds."""
    folder = cache_dir()
    entries = list(folder.glob("*.gpbtc")) if folder.is_dir() else []
    return {"folder": str(folder), "enabled": cache_enabled(), "entries": len(entries),
            "bytes": sum(entry.stat().st_size for entry in entries)}


# ---- the encoding: gpbt's records as tagged tuples marshal can hold -----------------------------------------------
_OPS = {cls.__name__: cls for cls in (ops.RuleRef, ops.SlotRef, ops.BoundRef, ops.Modify, ops.Repeat, ops.Bind,
                                       ops.Unbind, ops.Silent)}
_FUNCTIONS = {id(spec.function): name for name, spec in MODIFIERS.items()}


class _Encoder:
    def __init__(self) -> None:
        self.files: dict[int, int] = {}
        self.texts: list[tuple[str, str]] = []

    def sources(self) -> list[tuple[str, str]]:
        return self.texts

    def value(self, value: Any) -> Any:
        kind = type(value)
        if value is None or kind in (bool, int, float, str):
            return value
        if kind is _Text:
            return ("text", str(value))
        if kind in _OPS.values():
            return ("op", kind.__name__, tuple(self.value(field) for field in value))
        if kind is tuple:
            return ("tuple", tuple(self.value(item) for item in value))
        if kind is list:
            return ("list", tuple(self.value(item) for item in value))
        if kind is dict:
            return ("dict", tuple((key, self.value(item)) for key, item in value.items()))
        if kind is Span:
            return ("span", self.file(value.source), value.line, value.column, value.end_line, value.end_column)
        if kind is CompiledRule:
            return ("rule", tuple((name, self.value(getattr(value, name))) for name in CompiledRule.__slots__))
        if kind is StyleFacts:
            return ("facts", tuple(self.value(getattr(value, name)) for name in StyleFacts.__dataclass_fields__))
        if kind is CompiledGrammar:
            return ("grammar", self.value(value.rules), value.start, value.depth_budget)
        if kind is Diagnostic:
            return ("diagnostic", self.value(value.span), value.message, value.code, value.severity, value.hint)
        if POLICIES.get(getattr(value, "name", None)) is value:
            return ("policy", value.name)
        if id(value) in _FUNCTIONS:
            return ("modifier", _FUNCTIONS[id(value)])
        raise TypeError(f"cannot cache {kind.__name__}")

    def file(self, source: SourceFile) -> int:
        if id(source) not in self.files:
            self.files[id(source)] = len(self.texts)
            self.texts.append((source.path, source.text))
        return self.files[id(source)]


class _Decoder:
    def __init__(self, sources: list[tuple[str, str]]) -> None:
        self.sources = [SourceFile(path, text) for path, text in sources]

    def value(self, value: Any) -> Any:
        if type(value) is not tuple:
            return value
        tag = value[0]
        if tag == "tuple":
            return tuple(self.value(item) for item in value[1])
        if tag == "list":
            return [self.value(item) for item in value[1]]
        if tag == "dict":
            return {key: self.value(item) for key, item in value[1]}
        if tag == "text":
            return _Text(value[1])
        if tag == "op":
            return _OPS[value[1]](*(self.value(field) for field in value[2]))
        if tag == "span":
            return Span(self.sources[value[1]], *value[2:])
        if tag == "rule":
            return CompiledRule(**{name: self.value(field) for name, field in value[1]})
        if tag == "facts":
            return StyleFacts(*(self.value(field) for field in value[1]))
        if tag == "grammar":
            return CompiledGrammar(self.value(value[1]), value[2], value[3])
        if tag == "diagnostic":
            return Diagnostic(self.value(value[1]), value[2], value[3], value[4], value[5])
        if tag == "policy":
            return POLICIES[value[1]]
        if tag == "modifier":
            return MODIFIERS[value[1]].function
        raise ValueError(f"unknown tag {tag!r}")
