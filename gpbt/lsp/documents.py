"""The editor's buffers and the styles they belong to.

A rule file belongs to the style of its folder (every `.gpbt` file in it, plus what they include), or is a style of
its own when the client asks for `styleScope: "file"`; a Tracery `.json` file is a style of its own. A file reached
only through an `@include` belongs to the style that includes it. Open buffers always win over the disk: the server
never re-reads a file the editor holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..engine.pipeline import Analysis
from ..environment import Environment
from ..errors import Diagnostic, GpbtError
from ..loaders import RULE_SUFFIX, TRACERY_SUFFIX, FileSystemLoader, StyleSources
from ..source import SourceFile


class BufferLoader(FileSystemLoader):
    """Files from disk, except those the editor holds open, which come from their buffers."""

    def __init__(self, buffers: dict[str, str]) -> None:
        super().__init__()
        self.buffers = buffers

    def find(self, spec: str | Path) -> StyleSources:
        path = Path(spec)
        if path.suffix.lower() == TRACERY_SUFFIX:
            return StyleSources(path.stem, "tracery", (str(path),))
        if str(path) in self.buffers or path.is_file():
            return StyleSources(path.stem, "rules", (str(path),))
        on_disk = {str(p) for p in path.glob(f"*{RULE_SUFFIX}") if p.is_file()} if path.is_dir() else set()
        open_here = {key for key in self.buffers if key.endswith(RULE_SUFFIX) and str(Path(key).parent) == str(path)}
        return StyleSources(path.name, "rules", tuple(sorted(on_disk | open_here)))

    def read(self, key: str) -> SourceFile:
        if key in self.buffers:
            return SourceFile.from_text(key, self.buffers[key])
        try:
            return super().read(key)
        except ValueError as error:  # a half-typed @include with a NUL byte in its path
            raise FileNotFoundError(2, "not a usable file name", key) from error

    def identity(self, key: str) -> str:
        return str(Path(key).absolute())


@dataclass
class StyleState:
    """One style as last analysed: its root (a folder or a file), the analysis and the files it is made of."""

    root: str
    analysis: Analysis | None = None
    failure: list[Diagnostic] = field(default_factory=list)  # a style that could not be read at all
    files: set[str] = field(default_factory=set)
    # what the features derived from `analysis`, kept until the next analysis
    index: list = field(default_factory=list)
    index_of: Analysis | None = None
    stats: object = None
    stats_of: Analysis | None = None


class Workspace:
    """Open buffers, and the analysis of each style they belong to, kept fresh as buffers change."""

    def __init__(self, style_scope: str = "folder") -> None:
        self.buffers: dict[str, str] = {}
        self.style_scope = style_scope
        self.environment = Environment(BufferLoader(self.buffers))
        self.styles: dict[str, StyleState] = {}

    def set_buffer(self, path: str, text: str) -> StyleState:
        """Record the editor's text of `path` and re-analyse its style (only changed files are re-parsed)."""
        self.buffers[path] = text
        return self.refresh(self.root_of(path))

    def close(self, path: str) -> StyleState | None:
        self.buffers.pop(path, None)
        root = self.root_of(path)
        return self.refresh(root) if any(self.root_of(p) == root for p in self.buffers) else None

    def root_of(self, path: str) -> str:
        """The style a file belongs to: a style that includes it, else its folder (or itself)."""
        for root, state in self.styles.items():
            if path in state.files and root != path and Path(root) != Path(path).parent:
                return root
        if path.lower().endswith(TRACERY_SUFFIX) or self.style_scope == "file":
            return path
        return str(Path(path).parent)

    def state_of(self, path: str) -> StyleState:
        root = self.root_of(path)
        return self.styles.get(root) or self.refresh(root)

    def refresh(self, root: str) -> StyleState:
        state = self.styles.setdefault(root, StyleState(root))
        try:
            state.analysis = self.environment.analyse(root)
            state.failure = []
            state.files = {rule_file.source.path for rule_file in state.analysis.definition.files}
        except GpbtError as error:  # nothing to read, or a .json file that is not a grammar at all
            state.analysis, state.failure = None, list(error.diagnostics)
            state.files = {root} if Path(root).suffix else state.files
        except RecursionError:  # pathological nesting: report it rather than take the server down
            state.analysis = None
            state.failure = [Diagnostic(None, "this file is nested too deeply to analyse", "too-deep")]
        return state

    def open_files_of(self, state: StyleState) -> list[str]:
        return [path for path in self.buffers if path in state.files or self.root_of(path) == state.root]
