"""Value semantics for the slotted record classes that a warm start defines (`Essay`, `CompiledRule`): a dataclass
would generate the same methods, but defining one costs every start about half a millisecond."""

from __future__ import annotations

from typing import Any


class Record:
    """Equality, hashing, `repr`, pickling and `replace` over the fields named in `FIELDS` (in constructor order)."""

    __slots__ = ()
    FIELDS: tuple[str, ...] = ()

    def _fields(self) -> tuple:
        return tuple(getattr(self, name) for name in self.FIELDS)

    def replace(self, **changes: Any) -> Any:
        """A copy with some fields changed (as `dataclasses.replace`)."""
        return type(self)(**{**dict(zip(self.FIELDS, self._fields())), **changes})

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and self._fields() == other._fields()  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={value!r}" for name, value in zip(self.FIELDS, self._fields()))
        return f"{type(self).__name__}({fields})"

    def __reduce__(self) -> tuple:
        return type(self), self._fields()
