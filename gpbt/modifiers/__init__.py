"""The modifier registry: `{name.modifier}` looks its function up here when the style is compiled.

A new built-in modifier is a function from the expanded text (plus string arguments) to text, registered here with
`@modifier`. The registry is read-only outside this module; an `Environment` can add modifiers of its own
(`Environment(modifiers={...})`) without changing what other environments see.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Callable, Mapping, NamedTuple



class ModifierSpec(NamedTuple):
    name: str
    function: Callable[..., str]
    arity: int
    doc: str  # one line: what it does (hover texts, completion, docs)


_ENGLISH: list = []


def _english():
    """gpbt/modifiers/english.py, imported on first use (its word tables take a while to build)."""
    if not _ENGLISH:
        from . import english

        _ENGLISH.append(english)
    return _ENGLISH[0]


_BUILTIN: dict[str, ModifierSpec] = {}
REGISTRY: Mapping[str, ModifierSpec] = MappingProxyType(_BUILTIN)


def modifier(*names: str, arity: int = 0) -> Callable[[Callable[..., str]], Callable[..., str]]:
    """Register `function` under every name in `names` (the first is the canonical one)."""

    def register(function: Callable[..., str]) -> Callable[..., str]:
        for name in names:
            _BUILTIN[name] = ModifierSpec(names[0], function, arity, (function.__doc__ or "").strip())
        return function

    return register


@modifier("capitalize")
def capitalize(text: str) -> str:
    """First letter upper-case, past any opening quote or bracket."""
    return _english().capitalize(text)


@modifier("capitalizeAll")
def capitalize_all(text: str) -> str:
    """Every word capitalised (Tracery's capitalizeAll)."""
    return _english().capitalize_words(text)


@modifier("title")
def title(text: str) -> str:
    """English title case: small words (a, of, the …) stay lower-case inside the title."""
    return _english().title_case(text)


@modifier("uppercase", "upper")
def uppercase(text: str) -> str:
    """Whole text upper-case."""
    return text.upper()


@modifier("lowercase", "lower")
def lowercase(text: str) -> str:
    """Whole text lower-case."""
    return text.lower()


@modifier("a")
def article(text: str) -> str:
    """English indefinite article chosen by sound: a useful, an hour, an MBA."""
    return _english().indefinite_article(text)


@modifier("s")
def plural(text: str) -> str:
    """English plural of the last word."""
    return _english().plural(text)


@modifier("firstS")
def plural_first(text: str) -> str:
    """English plural of the first word."""
    return _english().plural_first(text)


@modifier("ed")
def past(text: str) -> str:
    """English simple past."""
    return _english().past_tense(text)


@modifier("agree", arity=2)
def agree(text: str, singular: str, plural: str) -> str:
    """`singular` or `plural` by the English number of the text (a leading singular/plural/auto decides first)."""
    return _english().agree(text, singular, plural)


@modifier("replace", arity=2)
def replace(text: str, old: str, new: str) -> str:
    """Every `old` replaced by `new`."""
    return text.replace(old, new) if old else text


@modifier("quote")
def quote(text: str) -> str:
    """Wrapped in Chinese quotation marks “”."""
    return f"“{text}”"


@modifier("trim")
def trim(text: str) -> str:
    """Blanks removed at both ends."""
    return text.strip()


def modifier_table(extra: Mapping[str, Callable[..., str] | ModifierSpec] | None = None) -> Mapping[str, ModifierSpec]:
    """The built-in modifiers plus `extra` (a name → function or `ModifierSpec`; a plain function takes no
    arguments beyond the text)."""
    if not extra:
        return REGISTRY
    table = dict(_BUILTIN)
    for name, value in extra.items():
        table[name] = value if isinstance(value, ModifierSpec) else \
            ModifierSpec(name, value, 0, (value.__doc__ or "").strip().split("\n")[0])
    return MappingProxyType(table)
