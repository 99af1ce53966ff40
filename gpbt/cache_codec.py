"""The body of a compiled-style cache entry (gpbt/cache.py): gpbt's records as tagged tuples that `marshal` can hold,
and back. Only gpbt's own record types, policies and built-in modifiers can be encoded; anything else (a modifier
of an embedding program) makes the style uncacheable rather than pickled.

A rule's alternatives (`CompiledRule.choices`, most of the records of a grammar) stay encoded until something reads
them: the generated code already holds them compiled, so generating never does; tracing and `--emit-python` do."""

from __future__ import annotations

import marshal
from collections.abc import Sequence
from typing import Any

from .engine import compiler as ops
from .engine.codegen import Module, _Text
from .engine.compiler import CompiledGrammar, CompiledRule
from .engine.policies import REGISTRY as POLICIES
from .errors import Diagnostic
from .modifiers import REGISTRY as MODIFIERS
from .source import SourceFile, Span
from .style import StyleFacts


def encode_body(grammar: CompiledGrammar, module: Module, warnings: list[Diagnostic],
                facts: StyleFacts) -> dict[str, Any]:
    """The body of an entry (`TypeError` if something in it cannot be stored)."""
    encoder = _Encoder()
    body = {
        "grammar": encoder.value(grammar),
        "code": marshal.dumps(module.code),
        "namespace": encoder.value(module.namespace),
        "constants": encoder.value(module.constants),
        "warnings": encoder.value(warnings),
        "facts": encoder.value(facts),
    }
    body["sources"] = encoder.sources()
    return body


def decode_body(entry: dict[str, Any]) -> tuple[CompiledGrammar, Module, list[Diagnostic], StyleFacts]:
    """The grammar, generated module, warnings and style facts of an entry (`ValueError` if it is malformed)."""
    try:
        decoder = _Decoder(entry["sources"])
        grammar = decoder.value(entry["grammar"])
        module = Module(tuple(marshal.loads(entry["code"])), decoder.value(entry["namespace"]),
                        decoder.value(entry["constants"]))
        warnings = decoder.value(entry["warnings"])
        facts = decoder.value(entry["facts"])
    except (KeyError, TypeError, ValueError, IndexError, EOFError) as error:
        raise ValueError(f"malformed cache entry: {error}") from None
    return grammar, module, warnings, facts


_OPS = {cls.__name__: cls for cls in (ops.RuleRef, ops.SlotRef, ops.BoundRef, ops.Modify, ops.Repeat, ops.Bind,
                                       ops.Unbind, ops.Silent)}
_FUNCTIONS = {id(spec.function): name for name, spec in MODIFIERS.items()}


class _Encoder:
    """Every value becomes marshal data: plain values and tuples of them stay as they are, anything else becomes a
    list `[tag, ...]` (lists are never plain here), so decoding walks only into what was tagged."""

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
            return ["text", str(value)]
        if kind in _OPS.values():
            return ["op", kind.__name__, tuple(self.value(field) for field in value)]
        if kind is tuple:  # kept as it is unless something inside needed a tag
            items = tuple(self.value(item) for item in value)
            return ["tuple", items] if any(type(item) is list for item in items) else items
        if kind is list:
            return ["list", tuple(self.value(item) for item in value)]
        if kind is dict:
            return ["dict", tuple((key, self.value(item)) for key, item in value.items())]
        if kind is Span:
            return ["span", self.file(value.source), value.line, value.column, value.end_line, value.end_column]
        if kind is CompiledRule:
            return ["rule", tuple(self.lazy(value.choices) if name == "choices" else self.value(getattr(value, name))
                                  for name in CompiledRule.FIELDS)]  # by position: the fields of this version
        if kind is StyleFacts:
            return ["facts", tuple(self.value(getattr(value, name)) for name in StyleFacts._fields)]
        if kind is CompiledGrammar:
            return ["grammar", self.value(value.rules), value.start, value.depth_budget]
        if kind is Diagnostic:
            return ["diagnostic", self.value(value.span), value.message, value.code, value.severity, value.hint]
        if POLICIES.get(getattr(value, "name", None)) is value:
            return ["policy", value.name]
        if id(value) in _FUNCTIONS:
            return ["modifier", _FUNCTIONS[id(value)]]
        raise TypeError(f"cannot cache {kind.__name__}")

    def lazy(self, items: Sequence) -> list:
        """A sequence kept as marshal bytes inside the entry: loading the entry copies them, decodes nothing."""
        return ["lazy", len(items), marshal.dumps(self.value(tuple(items)))]

    def file(self, source: SourceFile) -> int:
        if id(source) not in self.files:
            self.files[id(source)] = len(self.texts)
            self.texts.append((source.path, source.text))
        return self.files[id(source)]


class _Tags(dict):
    def __missing__(self, tag: object):
        raise ValueError(f"unknown tag {tag!r}")


class _Decoder:
    """Tagged marshal data back into records. A dispatch on the tag (the decoding of a zh entry walks some 2,500
    tagged values, so each costs one dict lookup, not a chain of comparisons), done inline where plain values
    dominate; a span met twice is made once."""

    def __init__(self, sources: list[tuple[str, str]]) -> None:
        self.sources = [SourceFile(path, text) for path, text in sources]
        self.spans: dict[tuple, Span] = {}
        self.tags = _Tags({"tuple": self._tuple, "op": self._op, "span": self._span, "text": self._text,
                           "list": self._list, "dict": self._dict, "lazy": self._lazy, "rule": self._rule,
                           "facts": self._facts, "grammar": self._grammar, "diagnostic": self._diagnostic,
                           "policy": self._policy, "modifier": self._modifier})

    def value(self, value: Any) -> Any:
        """A plain value, or a tuple with nothing tagged inside, is as it was stored; a list is tagged."""
        return self.tags[value[0]](value) if type(value) is list else value

    def _values(self, values: tuple) -> list:
        tags = self.tags
        return [tags[item[0]](item) if type(item) is list else item for item in values]

    def _tuple(self, value: list) -> tuple:
        return tuple(self._values(value[1]))

    def _op(self, value: list) -> Any:
        return _OPS[value[1]]._make(self._values(value[2]))

    def _span(self, value: list) -> Span:
        key = tuple(value[1:])
        span = self.spans.get(key)
        if span is None:
            span = self.spans[key] = Span(self.sources[value[1]], *value[2:])
        return span

    def _text(self, value: list) -> _Text:
        return _Text(value[1])

    def _list(self, value: list) -> list:
        return self._values(value[1])

    def _dict(self, value: list) -> dict:
        tags = self.tags
        return {key: tags[item[0]](item) if type(item) is list else item for key, item in value[1]}

    def _lazy(self, value: list) -> _Lazy:
        return _Lazy(value[1], value[2], self)

    def _rule(self, value: list) -> CompiledRule:
        return CompiledRule(*self._values(value[1]))

    def _facts(self, value: list) -> StyleFacts:
        return StyleFacts(*self._values(value[1]))

    def _grammar(self, value: list) -> CompiledGrammar:
        return CompiledGrammar(self.value(value[1]), value[2], value[3])

    def _diagnostic(self, value: list) -> Diagnostic:
        return Diagnostic(self.value(value[1]), value[2], value[3], value[4], value[5])

    @staticmethod
    def _policy(value: list) -> Any:
        return POLICIES[value[1]]

    @staticmethod
    def _modifier(value: list) -> Any:
        return MODIFIERS[value[1]].function


class _Lazy(Sequence):
    """A tuple decoded on first use (its length is known at once). A damaged entry is found only then, so it is
    reported as a `GpbtError` that says how to recover, never as a traceback."""

    __slots__ = ("_length", "_encoded", "_decoder", "_items")

    def __init__(self, length: int, encoded: bytes, decoder: _Decoder) -> None:
        self._length, self._encoded, self._decoder, self._items = length, encoded, decoder, None

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, index):
        return self.items()[index]

    def __iter__(self):
        return iter(self.items())

    def __eq__(self, other: object) -> bool:
        return self.items() == (other.items() if isinstance(other, _Lazy) else other)

    def __hash__(self) -> int:
        return hash(self.items())

    def __repr__(self) -> str:
        return repr(self.items())

    def items(self) -> tuple:
        if self._items is None:
            try:
                items = self._decoder.value(marshal.loads(self._encoded))
                if type(items) is not tuple or len(items) != self._length:
                    raise ValueError("wrong length")
            except (TypeError, ValueError, IndexError, KeyError, EOFError) as error:
                from .errors import GenerationError

                raise GenerationError(f"a compiled-style cache entry is damaged ({error})", "damaged-cache",
                                      hint="run `gpbt cache clear` (or generate with --no-cache)") from None
            self._items, self._encoded, self._decoder = items, b"", None
        return self._items
