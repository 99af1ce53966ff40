"""gpbt (狗屁不通): a grammar engine for generating text from rule files a writer can edit.

    >>> import gpbt
    >>> style = gpbt.load_style("zh")
    >>> text = style.generate("学生会退会", seed=1, length=2000)
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

from ._version import __version__

# Names are imported when first used (PEP 562): `import gpbt` stays cheap for the command line and for programs that
# only load a cached style.
_EXPORTS = {
    "Analysis": "engine.pipeline", "Environment": "environment", "analyse_sources": "environment",
    "analyse_style": "environment", "default_environment": "environment", "load_style": "environment",
    "load_style_from_sources": "environment", "shipped_styles": "environment", "Diagnostic": "errors",
    "GenerationError": "errors", "GpbtError": "errors", "RuleFileError": "errors", "StyleNotFoundError": "errors",
    "UsageError": "errors", "DictLoader": "loaders", "FileSystemLoader": "loaders", "Loader": "loaders",
    "Essay": "style", "Style": "style",
}

__all__ = [
    "Analysis", "Diagnostic", "DictLoader", "Environment", "Essay", "FileSystemLoader", "GenerationError",
    "GpbtError", "Loader", "RuleFileError", "Style", "StyleNotFoundError", "UsageError", "analyse_sources",
    "analyse_style", "default_environment", "generate", "load_style", "load_style_from_sources", "shipped_styles",
    "__version__",
]

if TYPE_CHECKING:
    from .engine.pipeline import Analysis
    from .environment import (Environment, analyse_sources, analyse_style, default_environment, load_style,
                              load_style_from_sources, shipped_styles)
    from .errors import Diagnostic, GenerationError, GpbtError, RuleFileError, StyleNotFoundError, UsageError
    from .loaders import DictLoader, FileSystemLoader, Loader
    from .style import Essay, Style


def __getattr__(name: str):
    if name in _EXPORTS:
        value = getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'gpbt' has no attribute {name!r}")


def generate(topic: str | None = None, *, style: str = "zh", seed: int | None = None, length: int | None = None,
             slots: dict[str, str] | None = None) -> str:
    """One-call convenience: load `style` and generate one document."""
    from .environment import default_environment

    return default_environment().load(style).generate(topic, seed=seed, length=length, slots=slots)
