"""gpbt (狗屁不通): a grammar engine for generating text from rule files a writer can edit.

    >>> import gpbt
    >>> style = gpbt.load_style("zh")
    >>> text = style.generate("学生会退会", seed=1, length=2000)
"""

from __future__ import annotations

from ._version import __version__
from .engine.pipeline import Analysis
from .environment import (Environment, analyse_sources, analyse_style, default_environment,
                          load_style, load_style_from_sources, shipped_styles)
from .errors import (Diagnostic, GenerationError, GpbtError, RuleFileError, StyleNotFoundError,
                     UsageError)
from .loaders import DictLoader, FileSystemLoader, Loader
from .style import Essay, Style

__all__ = [
    "Analysis", "Diagnostic", "DictLoader", "Environment", "Essay", "FileSystemLoader", "GenerationError",
    "GpbtError", "Loader", "RuleFileError", "Style", "StyleNotFoundError", "UsageError", "analyse_sources",
    "analyse_style", "default_environment", "generate", "load_style", "load_style_from_sources", "shipped_styles",
    "__version__",
]


def generate(topic: str | None = None, *, style: str = "zh", seed: int | None = None, length: int | None = None,
             slots: dict[str, str] | None = None) -> str:
    """One-call convenience: load `style` and generate one document."""
    return load_style(style).generate(topic, seed=seed, length=length, slots=slots)
