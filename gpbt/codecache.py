"""Compiling a style's generated code one function at a time, through a cache keyed by each function's source.

Compiling the generated module is most of the cost of turning a checked style into a runnable one (the zh style:
~0.1 s of `compile`). A writer editing one rule changes the source of one function or a few; every other function's
text is the same, so a long-lived process (the playground server) compiles only what changed. The functions are
exactly those of `gpbt.engine.codegen.generate_functions`: same source, same namespace, same resolution."""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from types import CodeType

from .engine.codegen import _Generator, _resolve
from .engine.policies import DRAWS
from .style import Style

CACHE_FUNCTIONS = 50_000  # compiled functions kept (a shipped style has under a thousand)
_FUNCTION_START = re.compile(r"\n(?=def )")  # generated string literals are reprs: never a raw newline inside

_cache: OrderedDict[str, CodeType] = OrderedDict()
_lock = threading.Lock()


def generate_functions_cached(grammar, origin=None) -> tuple:
    """`generate_functions(grammar, origin)`, compiling only functions whose source was not compiled before."""
    source, namespace, constants = _Generator(grammar, origin).module()
    # the names `gpbt.engine.codegen.link` gives the generated code besides its own
    namespace = {**namespace, **DRAWS, "R": grammar.rules, **{f"R{rule.index}": rule for rule in grammar.rules}}
    for chunk in _FUNCTION_START.split(source):
        exec(_compiled(chunk), namespace)  # noqa: S102 - gpbt's own generated code
    for name, op in constants.items():
        namespace[name] = _resolve(op, namespace)
    return tuple(namespace[f"r{rule.index}"] for rule in grammar.rules)


def prepare(style: Style) -> Style:
    """Give `style` its generated functions through the cache (instead of compiling them on first use)."""
    if style._functions is None:
        style._functions = generate_functions_cached(style.grammar)
    return style


def _compiled(chunk: str) -> CodeType:
    with _lock:
        code = _cache.get(chunk)
        if code is not None:
            _cache.move_to_end(chunk)
            return code
    code = compile(chunk, "<gpbt generated rules>", "exec")
    with _lock:
        _cache[chunk] = code
        if len(_cache) > CACHE_FUNCTIONS:
            _cache.popitem(last=False)
    return code
