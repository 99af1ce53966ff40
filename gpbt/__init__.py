"""gpbt (狗屁不通): a grammar engine for generating text from rule files a writer can edit.

    >>> import gpbt
    >>> style = gpbt.load_style("zh")
    >>> text = style.generate("学生会退会", seed=1, length=2000)
"""

from __future__ import annotations

from .errors import Diagnostic, GenerationError, GpbtError, RuleFileError, StyleNotFoundError
from .style import Essay, Style, load_style, shipped_styles

__version__ = "0.1.0"

__all__ = [
    "Diagnostic", "Essay", "GenerationError", "GpbtError", "RuleFileError", "Style", "StyleNotFoundError",
    "generate", "load_style", "shipped_styles", "__version__",
]


def generate(topic: str | None = None, *, style: str = "zh", seed: int | None = None, length: int | None = None,
             slots: dict[str, str] | None = None) -> str:
    """One-call convenience: load `style` and generate one document."""
    return load_style(style).generate(topic, seed=seed, length=length, slots=slots)
