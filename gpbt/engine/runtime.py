"""The runtime that generated code runs on: the state of one document and the operations generated code may call.

The code generator (gpbt/engine/codegen.py) writes one function per rule; those functions are the only executor.
They append text to `doc.out`, draw through the policies' draw functions (gpbt/engine/policies.py) and call the
operations in `API` for everything unusual: repetition and fills, modifiers, bindings, the depth budget's closing
choice, `unique` retries, the size guard and the first draw of an alternative of only text and slots (its text is
then kept for the slot values, `SlotTexts`). Nothing else of a `Document` is theirs to touch; a test reads the
generated source and holds it to `API`.

All randomness comes from the injected `random.Random`; all state lives on one `Document`, made per document, so
documents never leak into each other. Fills are written last: the first pass leaves a `Hole` where a fill stands,
so the text after it (a conclusion) is already counted when the fill decides how many units it needs.
"""

from __future__ import annotations

import os
import time
from typing import TYPE_CHECKING, Callable

from ..errors import GenerationError
from .compiler import BoundRef, CompiledGrammar, CompiledRule, Repeat

if TYPE_CHECKING:
    import random as random_module

try:  # the Mersenne Twister itself: random.Random is this class with conveniences on top, seeded the same way from
    # an int, so its draws are the same (a test holds them equal); importing the random module costs a start 3 ms
    from _random import Random as _Twister
except ImportError:  # an interpreter without it
    from random import Random as _Twister

CHECK_EVERY = 1024  # templates written between two checks of the output size and of the work done
MAX_TARGET_LENGTH = 1_000_000  # characters one document may be asked for (about 1.5 s and 50 MB in zh)
MIN_CEILING = 200_000  # one document's output ceiling: this, or 50 x the target length, whichever is larger
CEILING_PER_TARGET = 50


def output_ceiling(target: int) -> int:
    """Characters one document may write before generation stops with an error (check.py's `too-large` uses the
    same figure, so `check` refuses what would always hit it)."""
    return max(MIN_CEILING, CEILING_PER_TARGET * target)


def seeded(seed: int) -> random_module.Random:
    """The generator of a seed: the same draws as `random.Random(seed)` (the one definition of what a seed means)."""
    return _Twister(seed)  # type: ignore[return-value]


def fresh_seed() -> int:
    """A seed from the operating system's randomness, for a caller who gave none (recorded with what it makes)."""
    return int.from_bytes(os.urandom(4), "little")


MAX_EMPTY_UNITS = 100
UNIQUE_ATTEMPTS = 50  # draws a `unique` rule gets to find an expansion it has not written yet (as SCIgen's `!`)
UNIQUE_RETRIES = 200  # draws taken back in one document, all unique rules together: nested retries stay bounded

Writer = Callable[["Document", int], None]  # a rule's (or a template's) generated function: (document, depth)

API = frozenset({
    # state read or written directly by generated code
    "out", "random", "slots", "decks", "lasts", "steps", "eager", "leaves",
    # operations
    "check_size", "leaf_text", "closing_choice", "repeat", "modify", "bound", "bind", "unbind", "end_scope", "silent",
    "unique", "enter", "leave",
})
"""What generated code may use of a `Document` (checked against the generated source by the tests)."""


class SlotTexts:
    """A style's texts of alternatives that write only text and slots (`leaf_text`), kept per slot values for the
    documents that share them: a bulk run, or a server asked for the same topic again, writes each such
    alternative's text once, not piece by piece at every draw. Holds the last KEPT sets of values."""

    KEPT = 8

    def __init__(self, rules: int) -> None:
        self.rules = rules
        self.by_values: dict[tuple, list] = {}

    def tables(self, slots: dict[str, str]) -> list:
        """The per-rule tables for these slot values (a list a document fills as it draws). Safe from several
        threads without a lock: every step is one atomic dict operation, and two threads that miss at once get
        the same list."""
        key = tuple(slots.items())
        tables = self.by_values.get(key)
        if tables is None:
            if len(self.by_values) >= self.KEPT:
                try:
                    del self.by_values[next(iter(self.by_values))]  # the oldest
                except (KeyError, RuntimeError, StopIteration):  # another thread made room meanwhile
                    pass
            tables = self.by_values.setdefault(key, [None] * self.rules)
        return tables


class Hole:
    """A fill waiting for the rest of the document to be written; keeps the bindings visible where it stood."""

    __slots__ = ("op", "depth", "bindings")

    def __init__(self, op: Repeat, depth: int, bindings: dict[str, tuple[str, ...]]) -> None:
        self.op, self.depth, self.bindings = op, depth, bindings

    def __len__(self) -> int:  # counts as no text until it is filled
        return 0


class Document:
    """One document being written."""

    __slots__ = ("grammar", "functions", "budget", "random", "slots", "target", "ceiling", "decks", "lasts",
                 "bindings", "out", "steps", "work", "filling", "base", "counted", "mark", "eager", "holes", "written",
                 "retries", "sized", "size", "time_limit", "deadline", "leaves")

    def __init__(self, grammar: CompiledGrammar, functions: tuple[Writer, ...], rng: random_module.Random,
                 slots: dict[str, str], target: int, ceiling: int, time_limit: float | None = None,
                 leaves: list | None = None) -> None:
        """`time_limit`: seconds of wall-clock time the document may take (for servers: the work bounds stop a
        grammar that grows, this one that is merely slow); checked with the size. `leaves`: the texts of
        alternatives of only text and slots written so far for these slot values (`SlotTexts.tables`), if
        shared with other documents."""
        self.time_limit = time_limit
        self.deadline = None if time_limit is None else time.monotonic() + time_limit
        self.grammar = grammar
        self.functions = functions
        self.budget = grammar.depth_budget
        self.random = rng.random
        self.slots = slots
        self.target = target
        self.ceiling = ceiling
        self.decks: list[list[int] | None] = [None] * len(grammar.rules)
        self.lasts: list[int] = [-1] * len(grammar.rules)
        self.bindings: dict[str, list[tuple[str, ...]]] = {}  # name → its entries, the last one visible
        self.out: list = self.new_output()
        self.steps = CHECK_EVERY  # templates until the next check
        self.work = 0  # templates written in this document, counted at each check
        # length accounting while filling: base (text outside this fill) + counted (out[:mark]) is written so far
        self.filling = False
        self.base = self.counted = self.mark = 0
        self.eager = 0  # inside a modifier or binding value: a fill there cannot wait and is written on the spot
        self.holes: list[int] = []  # where in `out` the fills wait
        self.written: list[set[str] | None] = [None] * len(grammar.rules)  # what each `unique` rule has written
        self.retries = max(UNIQUE_RETRIES, target // 25)  # a longer document may take back more draws
        self.sized = self.size = 0  # the size guard's running count: out[:sized] holds `size` characters
        self.leaves: list[list[str | None] | None] = [None] * len(grammar.rules) if leaves is None else leaves

    new_output = list  # the list text pieces are written to (tracing labels each piece with its origin)

    # ---- the document ----------------------------------------------------------------------------------------
    def run(self) -> str:
        self.functions[self.grammar.start](self, 0)
        out = self.out
        for index in self.holes:  # a hole's place never moves: only text written after it is ever taken back
            out[index] = self._fill_hole(out[index], sum(map(len, out)))
        return "".join(out)

    def _fill_hole(self, hole: Hole, fixed: int) -> str:
        document, saved_bindings, saved_size = self.out, self.bindings, (self.sized, self.size)
        self.out, self.bindings = self.new_output(), {name: [entry] for name, entry in hole.bindings.items()}
        self.sized = self.size = 0
        self._start_filling(fixed)
        self._fill_units(hole.op, hole.depth)
        # the fill is done: nothing counts its pieces any more (both counts are reset or restored before they are
        # read again), so taking them off the output need not uncount them, a pass over the whole fill
        self.filling = False
        self.mark = self.counted = self.sized = 0
        text = self.collapse(0)
        self.out, self.bindings = document, saved_bindings
        self.sized, self.size = saved_size
        return text

    # ---- operations for generated code -----------------------------------------------------------------------
    def closing_choice(self, rule: CompiledRule, depth: int) -> int:
        """Near the depth budget: only alternatives that can finish in the depth that is left."""
        room = self.budget - depth - 1
        heights, weights = rule.heights, rule.weights
        fitting = [k for k in rule.live if heights[k] <= room]
        if not fitting:
            return min(range(len(heights)), key=heights.__getitem__)
        point = self.random() * (len(fitting) if rule.uniform else sum([weights[k] for k in fitting]))
        if rule.uniform:  # the walk below, without the walk: subtracting whole 1.0s from `point` is exact
            return fitting[int(point)]
        for k in fitting:
            point -= weights[k]
            if point < 0:
                return k
        return fitting[-1]

    def leaf_text(self, forms: tuple[tuple[str, ...], ...], index: int, k: int) -> str:
        """The text of alternative k of rule `index`, which writes only text and slots, for this document's slot
        values: `forms[k]` alternates text and slot names. Kept in `leaves` (generated code reads it there next
        time)."""
        table = self.leaves[index]
        if table is None:
            table = self.leaves[index] = [None] * len(forms)
        pieces = list(forms[k])
        slots = self.slots
        pieces[1::2] = [slots[name] for name in pieces[1::2]]
        text = table[k] = "".join(pieces)
        return text

    def unique(self, index: int, body: Writer, depth: int, eager: bool, mark: int) -> None:
        """A `unique` rule has just written its first draw at `mark`: if this document has written that expansion
        before, it is taken back and `body` (the rule's choose-and-write) draws again, up to UNIQUE_ATTEMPTS draws
        in all and UNIQUE_RETRIES in the document (then the repeat stays, rather than the document never
        finishing). With `eager`, a fill inside is written on the spot, so that the whole expansion is compared."""
        out = self.out
        text = "".join(out[mark:])
        seen = self.written[index]
        if seen is None:
            seen = self.written[index] = set()
        if text in seen:
            text = self._redraw(body, depth, eager, mark, text, seen)
        seen.add(text)
        if self.mark == mark:  # the length count stopped where this expansion starts: count it, joined already
            self.counted += len(text)
            self.mark = len(out)

    def _redraw(self, body: Writer, depth: int, eager: bool, mark: int, text: str, seen: set[str]) -> str:
        """`unique`'s retries (see there): the text finally written at `mark`."""
        out = self.out
        if self.retries > 0:
            if eager:
                self.eager += 1
            for attempt in range(1, UNIQUE_ATTEMPTS):
                self.retries -= 1
                self.collapse(mark)
                body(self, depth)
                text = "".join(out[mark:])
                if text not in seen or attempt == UNIQUE_ATTEMPTS - 1 or self.retries <= 0:
                    break
            if eager:
                self.eager -= 1
        return text

    def repeat(self, op: Repeat, depth: int) -> None:
        """`{x*2-5}`; a fill (`{x*fill}`) waits in a hole, unless it stands inside a fill or a piece being
        collapsed (then it is written at once)."""
        if op.fill:
            if self.filling:
                self._fill_units(op, depth)
            elif self.eager:
                self._start_filling(sum(map(len, self.out)))
                self._fill_units(op, depth)
                self.filling = False
            else:
                self.holes.append(len(self.out))
                self.out.append(Hole(op, depth, {n: s[-1] for n, s in self.bindings.items() if s}))
            return
        low, high = op.low, op.high
        count = low if low == high else low + int(self.random() * (high - low + 1))
        self.steps -= count * op.cost  # its items' work (gpbt/engine/reach.py)
        if self.steps < 0:
            self.check_size(op)
        if self.filling:  # once the target is reached, every repetition ends too
            self._fill_units(op, depth, count)
            return
        target, modifiers, joiner, out = op.target, op.modifiers, op.joiner, self.out
        for item in range(count):
            if item and joiner:
                out.append(joiner)
            if modifiers:
                self.modify(target, modifiers, depth)
            else:
                target(self, depth)

    def modify(self, target: Writer, modifiers: tuple, depth: int) -> None:
        """Write `target`, then rewrite what it wrote with each modifier in turn."""
        if not modifiers:
            target(self, depth)
            return
        mark = len(self.out)
        self.eager += 1
        target(self, depth)
        self.eager -= 1
        text = self.collapse(mark)
        for function, args in modifiers:
            text = function(text, *args)
        self.out.append(text)
        if len(text) > CHECK_EVERY:  # a big piece: check the size at the next template
            self.steps = 0

    def bound(self, op: BoundRef, depth: int) -> None:
        """A bound name: one of the values bound last (drawn when a binding gave several), else its rule."""
        stack = self.bindings.get(op.name)
        if stack:
            values = stack[-1]
            value = values[0] if len(values) == 1 else values[int(self.random() * len(values))]
            self.out.append(value)
            if len(value) > CHECK_EVERY:  # a big piece: check the size at the next template
                self.steps = 0
        elif op.fallback is not None:
            op.fallback(self, depth)
        else:
            raise GenerationError(f"'{op.name}' is used here, but nothing has bound it yet", "unbound-name", op.span,
                                  hint=f"bind it first, e.g. [{op.name} = ...], in this alternative or one that "
                                       "expands this rule")

    def bind(self, name: str, values: tuple, depth: int) -> tuple[str, ...]:
        """`[name = a | b]`: each value written once (plain text as it is); the set is pushed for `name`. Returns
        the entry (the tuple of texts: a new object, so `end_scope` finds this one by identity)."""
        if len(values) == 1:
            value = values[0]
            entry = (value if value.__class__ is str else self._to_text(value, depth),)
        else:
            entry = tuple([value if value.__class__ is str else self._to_text(value, depth) for value in values])
        stack = self.bindings.get(name)
        if stack is None:
            self.bindings[name] = [entry]
        else:
            stack.append(entry)
        return entry

    def end_scope(self, name: str, entry: tuple[str, ...]) -> None:
        """The alternative that bound `name` ends: drop its entry, if it is still there."""
        stack = self.bindings[name]
        if stack and stack[-1] is entry:  # the usual case: nothing bound it since
            stack.pop()
            return
        for k in range(len(stack) - 2, -1, -1):
            if stack[k] is entry:
                del stack[k]
                break

    def unbind(self, name: str) -> None:
        """`[/name]`: drop the value bound last."""
        stack = self.bindings.get(name)
        if stack:
            stack.pop()

    def silent(self, write: Writer, depth: int) -> None:
        """`[{x}]`: expand for the bindings it makes; write nothing."""
        self._to_text(write, depth)

    def enter(self, origin: object, depth: int) -> None:
        """Tracing only: the alternative (or binding value) `origin` starts writing, `depth` rule levels down (an
        alternative's functions run at its rule's depth + 1)."""

    def leave(self) -> None:
        """Tracing only: the alternative entered last is done."""

    def check_size(self, rule: CompiledRule | Repeat) -> None:
        """The output-size ceiling, and a bound on the work: checked when CHECK_EVERY steps have been counted (each
        counts templates written, where gpbt/engine/reach.py says), at once after a big piece, and on every text
        taken back as one piece (modifiers, bindings). Work counts too because binding values and `unique` retries
        can expand without ever growing the output. `rule` (or the repetition) is where an error points."""
        self.work += CHECK_EVERY - self.steps
        if self._written() > self.ceiling or self.work > self.ceiling:
            raise self._too_big(rule.span)
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise GenerationError(f"generation took longer than the limit of {self.time_limit:g} s", "too-slow",
                                  hint="ask for a shorter text, or simplify the rules")
        self.steps = CHECK_EVERY

    def _written(self) -> int:
        """Characters in the output, counted on from the last check (from the start if pieces counted then have
        been taken back since), so checking stays linear in the length of the document."""
        out = self.out
        self.size += sum(map(len, out[self.sized:]))
        self.sized = len(out)
        return self.size

    # ---- inside the runtime ----------------------------------------------------------------------------------
    def _to_text(self, write: Writer, depth: int) -> str:
        mark = len(self.out)
        self.eager += 1
        write(self, depth)
        self.eager -= 1
        return self.collapse(mark)

    def collapse(self, mark: int) -> str:
        """Take the pieces written since `mark` off the output, as one string."""
        out = self.out
        if self.mark > mark:  # they were counted already: uncount them
            self.counted -= sum(map(len, out[mark:self.mark]))
            self.mark = mark
        if self.sized > mark:  # so were they for the size guard
            self.size -= sum(map(len, out[mark:self.sized]))
            self.sized = mark
        text = "".join(out[mark:]) if mark else "".join(out)
        del out[mark:]
        if len(text) > self.ceiling:
            raise self._too_big(self.grammar.rules[self.grammar.start].span)
        return text

    def _start_filling(self, base: int) -> None:
        self.filling = True
        self.base, self.counted, self.mark = base, 0, len(self.out)

    def _fill_units(self, op: Repeat, depth: int, count: int = -1) -> None:
        """Units until the target is reached (at most `count` of them, for a repetition inside a fill: it ends after
        the item that reached the target, or before its first). This loop runs once per unit, so the length is
        counted inline here, and the usual unit (one piece written) is counted without a slice. `base` is fixed
        while a fill runs; `mark` and `counted` are read again after every unit, which may have collapsed or counted
        text itself."""
        out, goal, joiner = self.out, self.target - self.base, op.joiner
        target, modifiers, fill, cost = op.target, op.modifiers, op.fill, op.cost
        previous, empty_units = -1, 0
        while count:
            count -= 1
            mark, size = self.mark, len(out)
            if mark < size:
                self.counted = counted = self.counted + (len(out[mark]) if mark + 1 == size
                                                         else sum(map(len, out[mark:])))
                self.mark = size
            else:
                counted = self.counted
            if counted >= goal:
                return
            if counted == previous and fill:
                empty_units += 1
                if empty_units > MAX_EMPTY_UNITS:
                    raise GenerationError("the fill makes no progress: its unit keeps writing nothing",
                                          "empty-fill", op.span)
            if previous >= 0 and joiner:
                out.append(joiner)
            previous = counted
            if fill:  # a fill counts its units' work (a repetition counted its items already)
                self.steps -= cost
                if self.steps < 0:
                    self.check_size(op)
            if modifiers:
                self.modify(target, modifiers, depth)
            else:
                target(self, depth)

    def _too_big(self, span) -> GenerationError:
        return GenerationError(f"the grammar keeps growing: past {self.ceiling:,} characters or templates for one "
                               "document (an alternative that calls its own rule more than once?)", "too-large",
                               span, hint="give recursive rules more weight on alternatives that end")
