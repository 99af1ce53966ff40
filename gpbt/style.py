"""A loaded style (`Style`) and what it makes (`Essay`): load once through an `Environment`, generate many
documents, and ask it for its stats and its generated Python."""

from __future__ import annotations

from typing import Any, Callable, Iterator, Mapping, NamedTuple

from typing import TYPE_CHECKING

from .engine.codegen import Module, generate_module, link, python_source
from .engine.compiler import CompiledGrammar
from .engine.runtime import Document, SlotTexts, fresh_seed, output_ceiling, seeded
from .errors import Diagnostic, GenerationError
from .record import Record
from .source import Span

if TYPE_CHECKING:
    import random

    from .engine.model import StyleDefinition
    from .engine.stats import StyleStats


class Essay(Record):
    """One generated document, with what is needed to reproduce it. Immutable, comparable, picklable and weakly
    referable (gpbt/record.py)."""

    __slots__ = ("text", "topic", "seed", "style", "target", "trace", "__weakref__")
    FIELDS = ("text", "topic", "seed", "style", "target", "trace")
    text: str
    topic: str | None
    seed: int | None  # None when the caller injected its own random generator
    style: str
    target: int
    trace: list[dict[str, object]] | None  # with trace=True: where every span of the text came from

    def __init__(self, text: str, topic: str | None, seed: int | None, style: str, target: int,
                 trace: list[dict[str, object]] | None = None) -> None:
        for name, value in zip(self.FIELDS, (text, topic, seed, style, target, trace)):
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"an Essay does not change (cannot set '{name}'); `replace` makes a changed copy")

    __delattr__ = __setattr__  # type: ignore[assignment]

    @property
    def length(self) -> int:
        return len(self.text)


class StyleFacts(NamedTuple):
    """What generating needs to know of a style besides its grammar (kept in the cache beside it)."""

    name: str
    language: str
    description: str
    default_length: int
    topic_slot: str
    defaults: dict[str, str]  # slots with a default value
    slots: tuple[str, ...]  # every declared slot
    required: tuple[tuple[str, Span | None], ...]  # slots the rules read that have no default, and where
    topic_used: bool  # whether any rule reads the topic slot (a topic given to a style that ignores it is noted)

    @classmethod
    def of(cls, definition: StyleDefinition) -> StyleFacts:
        from .engine.analysis import referenced_names

        slots = definition.slots
        defaults = {name: slot.default for name, slot in slots.items() if slot.default is not None}
        required = tuple((name, span) for name, span in definition.slot_uses().items() if name not in defaults)
        topic_used = definition.topic_slot is not None and definition.topic_slot in referenced_names(definition.rules)
        return cls(definition.meta("style", definition.name), definition.language, definition.description,
                   definition.default_length, definition.topic_slot, defaults, tuple(slots), required, topic_used)

    def summary(self) -> dict[str, str | int]:
        """What `gpbt styles` and the web page's style list show (kept in the cache entry's header)."""
        return {"name": self.name, "language": self.language, "description": self.description,
                "default_length": self.default_length}


class Style:
    """A loaded, checked and compiled style. Reuse it: loading parses files, generating does not."""

    def __init__(self, definition: StyleDefinition, warnings: list[Diagnostic]) -> None:
        """From a definition that has passed `check` (an `Environment` makes them)."""
        from .engine.compiler import compile_style

        self._definition: StyleDefinition | None = definition
        self._reanalyse: Callable[[], StyleDefinition] | None = None
        self.grammar = compile_style(definition)
        self.facts = StyleFacts.of(definition)
        self.warnings = warnings
        self._module: Module | None = None  # the generated code, made on first use (engine/codegen.py)
        self._functions: tuple | None = None  # its rule functions
        self._traced_functions: tuple | None = None  # the same, in tracing mode
        self._slot_texts = SlotTexts(len(self.grammar.rules))

    @classmethod
    def from_compiled(cls, grammar: CompiledGrammar, module: Module, facts: StyleFacts, warnings: list[Diagnostic],
                      reanalyse: Callable[[], StyleDefinition]) -> Style:
        """A style from its compiled parts (the cache): the definition is read again only if asked for."""
        style = cls.__new__(cls)
        style._definition, style._reanalyse = None, reanalyse
        style.grammar, style.facts, style.warnings = grammar, facts, warnings
        style._module, style._functions, style._traced_functions = module, None, None
        style._slot_texts = SlotTexts(len(grammar.rules))
        return style

    @property
    def definition(self) -> StyleDefinition:
        """The style as its files describe it (nodes with spans): for stats, conversion and editors."""
        if self._definition is None:
            self._definition = self._reanalyse()  # type: ignore[misc]
        return self._definition

    @property
    def module(self) -> Module:
        """The generated code of the style (compiled once)."""
        if self._module is None:
            self._module = generate_module(self.grammar)
        return self._module

    @property
    def name(self) -> str:
        return self.facts.name

    @property
    def language(self) -> str:
        return self.facts.language

    @property
    def description(self) -> str:
        return self.facts.description

    @property
    def default_length(self) -> int:
        return self.facts.default_length

    @property
    def topic_slot(self) -> str:
        return self.facts.topic_slot

    def generate(self, topic: str | None = None, *, seed: int | None = None, length: int | None = None,
                 slots: Mapping[str, str] | None = None, rng: random.Random | None = None,
                 time_limit: float | None = None) -> str:
        """The text of one document; see `essay`."""
        return self.document(topic, seed=seed, length=length, slots=slots, rng=rng, time_limit=time_limit)[0].run()

    def essay(self, topic: str | None = None, *, seed: int | None = None, length: int | None = None,
              slots: Mapping[str, str] | None = None, trace: bool = False,
              rng: random.Random | None = None, time_limit: float | None = None) -> Essay:
        """Generate one document. The same style, topic, slots, length and seed always give the same text; without
        a seed a fresh one is drawn from the operating system and recorded in the result. With `trace`, the
        result also says which rule and alternative wrote each span (the text is the same).

        `rng` injects your own `random.Random` instead of a seed: one generator shared by many documents saves
        seeding each (a run is then reproducible as a whole, from the generator's seed); `Essay.seed` is None.
        `time_limit` (seconds of wall-clock time) stops a slow generation with a "too-slow" `GenerationError`."""
        document, seed = self.document(topic, seed=seed, length=length, slots=slots, rng=rng, trace=trace,
                                       time_limit=time_limit)
        if trace:
            text, spans = document.run_traced()
            return Essay(text, topic, seed, self.name, document.target, spans)
        return Essay(document.run(), topic, seed, self.name, document.target)

    def essays(self, topic: str | None = None, *, count: int, seed: int | None = None, length: int | None = None,
               slots: Mapping[str, str] | None = None, shard: tuple[int, int] | None = None) -> Iterator[Essay]:
        """`count` essays streamed one at a time, essay n with seed `seed + n` (docs/bulk.md); `shard=(k, n)` gives
        shard k (0-based) of n, and the n shards in order are the whole run. More in gpbt/runs.py."""
        from .runs import essays

        return essays(self, topic, count=count, seed=seed, length=length, slots=slots, shard=shard)

    def python_source(self) -> str:
        """The generated Python the style runs as (one function per rule over gpbt/engine/runtime.py)."""
        return python_source(self.grammar)

    def stats(self, sentence: str | None = None, topic_length: int = 0) -> StyleStats:
        """The figures of `gpbt stats`: length, variety and entropy of every rule (docs/stats.md)."""
        from .engine.stats import style_stats

        return style_stats(self.definition, sentence=sentence, slot_lengths={self.topic_slot: topic_length})

    def functions(self, trace: bool = False) -> tuple:
        """The style's rules as generated functions (made once), or their traced variant (`enter`/`leave`
        announce every alternative and binding value to a tracing document)."""
        if trace:
            if self._traced_functions is None:
                from .engine.codegen import generate_functions
                from .engine.trace import origin_of

                self._traced_functions = generate_functions(self.grammar, origin=origin_of)
            return self._traced_functions
        if self._functions is None:
            self._functions = link(self.module, self.grammar)
        return self._functions

    def document(self, topic: str | None = None, *, seed: int | None = None, length: int | None = None,
                 slots: Mapping[str, str] | None = None, rng: random.Random | None = None, trace: bool = False,
                 time_limit: float | None = None, document_class: type[Document] | None = None,
                 ) -> tuple[Document, int | None]:
        """A document ready to `run`, and the seed it was given (drawn here when there is neither a seed nor a
        generator). With `trace` (or a `document_class` that traces, such as the derivation tree's), it runs the
        traced functions. Generating through `essay` is what most callers want; this is for front ends that
        need the document itself."""
        if rng is None:
            if seed is None:
                seed = fresh_seed()
            rng = seeded(seed)
        elif seed is not None:
            raise GenerationError("give a seed or a random generator, not both", "seed-and-rng")
        target = self.default_length if length is None else length
        if target < 0:
            raise GenerationError(f"the target length must not be negative (got {target})", "bad-length")
        facts = self.facts
        values = self._slot_values(topic, slots) if slots or facts.required or topic is not None else facts.defaults
        ceiling = output_ceiling(target)
        if trace or document_class is not None:
            from .engine.trace import TracingDocument

            document_class = document_class or TracingDocument
            return document_class(self.grammar, self.functions(issubclass(document_class, TracingDocument)), rng,
                                  values, target, ceiling, time_limit), seed
        return Document(self.grammar, self.functions(), rng, values, target, ceiling, time_limit,
                        self._slot_texts.tables(values)), seed

    def _slot_values(self, topic: str | None, given: Mapping[str, str] | None) -> dict[str, str]:
        """Every slot the grammar may read, from the caller or the defaults; missing ones name themselves."""
        slots = self.facts.slots
        given = given or {}
        unknown = [name for name in given if name not in slots]
        if unknown:
            declared = ", ".join(sorted(slots)) or "none"
            raise GenerationError(f"style '{self.name}' has no slot named '{unknown[0]}'", "unknown-slot",
                                  hint=f"its slots: {declared}")
        values = dict(self.facts.defaults)
        for name, value in given.items():
            values[name] = str(value)
        if topic is not None:
            values[self.topic_slot] = str(topic)
        for name, span in self.facts.required:
            if name not in values:
                what = "the topic" if name == self.topic_slot else f"slot '{name}'"
                how = "pass a topic" if name == self.topic_slot else f"pass --set {name}=VALUE (or slots={{...}})"
                raise GenerationError(f"{what} is used but no value was given", "missing-slot", span, hint=how)
        return values
