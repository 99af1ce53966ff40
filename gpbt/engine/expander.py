"""Random expansion of a compiled grammar into text.

All randomness comes from the injected `random.Random`; all state (decks, bindings, output) lives on one
`Expander`, made per document, so documents never leak into each other. Termination is by construction: deeper than
a rule's `limit` (the depth budget less its tallest alternative) only alternatives whose smallest derivation fits in
the remaining depth are taken.

Fills are written last: the first pass leaves a `_Hole` where a fill stands, so the text after it (a conclusion) is
already counted when the fill decides how many units it needs.
"""

from __future__ import annotations

import random as random_module
from bisect import bisect_right
from functools import partial
from typing import Callable

from .compiler import (BIND, BOUND, DECK, MODIFY, ONCE, RANDOM, RULE, SILENT, SINGLE, SLOT, UNBIND, UNIQUE, WRAP,
                       CompiledGrammar, CompiledRule)
from ..errors import GenerationError

CHECK_EVERY = 1024  # templates written between two checks of the output size and of the work done
MAX_EMPTY_UNITS = 100
UNIQUE_ATTEMPTS = 50  # draws a `unique` rule gets to find an expansion it has not written yet (as SCIgen's `!`)
UNIQUE_RETRIES = 200  # draws taken back in one document, all unique rules together: nested retries stay bounded


class _Hole:
    """A fill waiting for the rest of the document to be written; keeps the bindings visible where it stood."""

    __slots__ = ("op", "depth", "bindings")

    def __init__(self, op: tuple, depth: int, bindings: dict[str, list]) -> None:
        self.op, self.depth, self.bindings = op, depth, bindings

    def __len__(self) -> int:  # counts as no text until it is filled
        return 0


class Expander:
    def __init__(self, grammar: CompiledGrammar, rng: random_module.Random, slots: dict[str, str],
                 target: int, ceiling: int) -> None:
        self.grammar = grammar
        self.rules = grammar.rules
        self.budget = grammar.depth_budget
        self.random = rng.random
        self.slots = slots
        self.target = target
        self.ceiling = ceiling
        self.decks: list[list[int] | None] = [None] * len(grammar.rules)
        self.lasts: list[int] = [-1] * len(grammar.rules)
        self.bindings: dict[str, list] = {}
        self.out: list = self.new_output()
        self.steps = CHECK_EVERY  # templates until the next check
        self.work = 0  # templates written in this document, counted at each check
        # length accounting while filling: base (text outside this fill) + counted (out[:mark]) is written so far
        self.filling = False
        self.base = self.counted = self.mark = 0
        self.eager = 0  # inside a modifier or binding value: a fill there cannot wait and is written on the spot
        self.holes: list[int] = []  # where in `out` the fills wait
        self.written: dict[int, set[str]] = {}  # what each `unique` rule has written in this document
        self.retries = UNIQUE_RETRIES

    new_output = list  # the list text pieces are written to (tracing records where each piece comes from)

    # ---- the document ----------------------------------------------------------------------------------------
    def run(self) -> str:
        self._rule(self.grammar.start, 0)
        out = self.out
        for index in self.holes:  # a hole's place never moves: only text written after it is ever taken back
            out[index] = self._fill_hole(out[index], sum(map(len, out)))
        return "".join(out)

    def _fill_hole(self, hole: _Hole, fixed: int) -> str:
        document, saved_bindings = self.out, self.bindings
        self.out, self.bindings = self.new_output(), {name: [entry] for name, entry in hole.bindings.items()}
        self._start_filling(fixed)
        _, target, modifiers, _, _, joiner, _, span = hole.op
        self._fill_units(target, modifiers, joiner, hole.depth, span)
        self.filling = False
        text = self._collapse(0)
        self.out, self.bindings = document, saved_bindings
        return text

    # ---- choosing ----------------------------------------------------------------------------------------------
    def _rule(self, index: int, depth: int) -> None:
        """Choose an alternative of rule `index` and write it. The hottest function: common cases first, inline; an
        alternative that is just {another rule} loops here instead of calling again."""
        while True:
            rule = self.rules[index]
            policy = rule.policy
            if depth > rule.limit:
                choice = self._closing_choice(rule, depth)
            elif policy == DECK:
                deck = self.decks[index]
                if deck and rule.uniform:  # a card from a uniform deck already in play
                    position = int(self.random() * len(deck))
                    choice = deck[position]
                    deck[position] = deck[-1]
                    deck.pop()
                    if not deck:
                        self.lasts[index] = choice
                else:
                    choice = self._deal(rule)
            elif policy == SINGLE:
                choice = rule.live[0]
            elif policy == RANDOM:
                if rule.uniform:
                    choice = int(self.random() * len(rule.choices))
                else:
                    cumulative = rule.cumulative
                    choice = bisect_right(cumulative, self.random() * cumulative[-1])
                    if choice == len(cumulative):  # random() * total rounded up to total
                        choice -= 1
            elif policy == UNIQUE:
                self._unique(rule, depth)
                return
            else:
                choice = self._remembered_choice(rule)
            text = rule.texts[choice]
            if text is not None:
                self.out.append(text)
                return
            forward = rule.forwards[choice]
            if forward < 0:
                break
            index, depth = forward, depth + 1
        self.steps -= 1  # only templates can make the output, or the work, grow without bound
        if self.steps < 0:
            self._check_size(rule)
        self._template(rule.choices[choice], depth + 1)

    def _rule_caller(self, index: int) -> Callable[[int], None]:
        """`_rule` for one rule, for a loop that calls it many times."""
        return partial(self._rule, index)

    def _unique(self, rule: CompiledRule, depth: int, attempts: int = UNIQUE_ATTEMPTS) -> None:
        """A `unique` rule: an expansion already written in this document is taken back and drawn again (up to
        UNIQUE_ATTEMPTS times, and UNIQUE_RETRIES in the document; then the repeat stays, rather than the
        document never finishing)."""
        seen = self.written.setdefault(rule.index, set())
        out = self.out
        mark = len(out)
        self.eager += 1  # a fill inside is written on the spot, so that the whole expansion can be compared
        for attempt in range(UNIQUE_ATTEMPTS - attempts, UNIQUE_ATTEMPTS):
            self._write(rule, self._choose(rule, depth), depth)
            text = "".join(out[mark:])
            if text not in seen or attempt == UNIQUE_ATTEMPTS - 1 or self.retries <= 0:
                break
            self.retries -= 1
            self._collapse(mark)
        self.eager -= 1
        seen.add(text)

    def _choose(self, rule: CompiledRule, depth: int) -> int:
        """An alternative by the rule's policy, out of the hot path (`_rule` does the same inline)."""
        if depth > rule.limit:
            return self._closing_choice(rule, depth)
        policy = rule.base_policy
        if policy == DECK:
            return self._deal(rule)
        if policy == SINGLE:
            return rule.live[0]
        if policy == RANDOM:
            return self._weighted(rule)
        return self._remembered_choice(rule)

    def _write(self, rule: CompiledRule, choice: int, depth: int) -> None:
        """Write a chosen alternative, out of the hot path (`_rule` does the same inline)."""
        text = rule.texts[choice]
        if text is not None:
            self.out.append(text)
        elif rule.forwards[choice] >= 0:
            self._rule(rule.forwards[choice], depth + 1)
        else:
            self.steps -= 1
            if self.steps < 0:
                self._check_size(rule)
            self._template(rule.choices[choice], depth + 1)

    def _remembered_choice(self, rule: CompiledRule) -> int:
        """The policies that look at earlier choices of the document: once and no-repeat."""
        index = rule.index
        if rule.base_policy == ONCE:
            choice = self.lasts[index]
            if choice < 0:
                choice = self.lasts[index] = self._weighted(rule)
            return choice
        choice = self._weighted(rule)
        last = self.lasts[index]
        if choice == last and len(rule.live) > 1:
            while choice == last:
                choice = self._weighted(rule)
        self.lasts[index] = choice
        return choice

    def _weighted(self, rule: CompiledRule) -> int:
        if rule.uniform:
            return int(self.random() * len(rule.choices))
        cumulative = rule.cumulative
        return min(bisect_right(cumulative, self.random() * cumulative[-1]), len(cumulative) - 1)

    def _deal(self, rule: CompiledRule) -> int:
        """Draw from this document's deck of the rule; a fresh deck never starts with the card just played.

        A weighted deck is put in order once, when it is (re)filled: sorting by random()**(1/weight) deals cards
        without replacement in proportion to their weights (Efraimidis and Spirakis), so each draw is a pop."""
        index = rule.index
        deck = self.decks[index]
        last = self.lasts[index]
        if rule.uniform:
            fresh = not deck
            if fresh:
                deck = self.decks[index] = list(rule.live)
            size = len(deck)
            position = int(self.random() * size)
            if fresh and size > 1 and deck[position] == last:
                position = (position + 1 + int(self.random() * (size - 1))) % size
            choice = deck[position]
            deck[position] = deck[-1]
            deck.pop()
        else:
            if not deck:
                random, weights = self.random, rule.weights
                deck = self.decks[index] = sorted(rule.live, key=lambda k: random() ** (1.0 / weights[k]))
                if len(deck) > 1 and deck[-1] == last:
                    deck[-1], deck[-2] = deck[-2], deck[-1]
            choice = deck.pop()
        if not deck:
            self.lasts[index] = choice
        return choice

    def _closing_choice(self, rule: CompiledRule, depth: int) -> int:
        """Near the depth budget: only alternatives that can finish in the depth that is left."""
        room = self.budget - depth - 1
        fitting = [k for k, height in enumerate(rule.heights) if height <= room and rule.weights[k] > 0]
        if not fitting:
            return min(range(len(rule.heights)), key=rule.heights.__getitem__)
        total = sum(rule.weights[k] for k in fitting)
        point = self.random() * total
        for k in fitting:
            point -= rule.weights[k]
            if point < 0:
                return k
        return fitting[-1]

    # ---- writing -----------------------------------------------------------------------------------------------
    def _template(self, ops: tuple, depth: int) -> None:
        out = self.out
        pushed = None
        for op in ops:
            if op.__class__ is not tuple:  # text (a str, or a str subclass that carries its origin when tracing)
                out.append(op)
                continue
            code = op[0]
            if code == RULE:
                self._rule(op[1], depth)
            elif code == SLOT:
                out.append(self.slots[op[1]])
            elif code == WRAP:
                self._wrap(op, depth)
            elif code == MODIFY:
                self._item(op[1], op[2], depth)
            elif code == BOUND:
                self._bound(op, depth)
            elif code == BIND:
                values = op[2]
                if len(values) == 1:
                    entry = [(self._value_text(values[0], depth),)]
                else:
                    entry = [tuple([self._value_text(value, depth) for value in values])]
                self.bindings.setdefault(op[1], []).append(entry)
                if not op[3]:  # not kept: remember it, to drop it when this alternative ends
                    pushed = pushed or []
                    pushed.append((op[1], entry))
            elif code == UNBIND:
                stack = self.bindings.get(op[1])
                if stack:
                    stack.pop()
            elif code == SILENT:
                self._to_text((op[1],), depth)
        if pushed:
            for name, entry in pushed:  # the scope ends: drop what this alternative bound, if still there
                stack = self.bindings[name]
                for k in range(len(stack) - 1, -1, -1):
                    if stack[k] is entry:
                        del stack[k]
                        break

    def _target(self, target: tuple, depth: int) -> None:
        code = target[0]
        if code == RULE:
            self._rule(target[1], depth)
        elif code == SLOT:
            self.out.append(self.slots[target[1]])
        else:
            self._bound(target, depth)

    def _bound(self, op: tuple, depth: int) -> None:
        stack = self.bindings.get(op[1])
        if stack:
            values = stack[-1][0]
            value = values[0] if len(values) == 1 else values[int(self.random() * len(values))]
            self.out.append(value)
            if len(value) > CHECK_EVERY:  # a big piece: check the size at the next template
                self.steps = 0
        elif op[2] >= 0:
            self._rule(op[2], depth)
        else:
            raise GenerationError(f"'{op[1]}' is used here, but nothing has bound it yet", "unbound-name", op[3],
                                  hint=f"bind it first, e.g. [{op[1]} = ...], in this alternative or one that "
                                       "expands this rule")

    def _wrap(self, op: tuple, depth: int) -> None:
        _, target, modifiers, low, high, joiner, fill, span = op
        if fill:
            if self.filling:
                self._fill_units(target, modifiers, joiner, depth, span)
            elif self.eager:
                self._start_filling(sum(map(len, self.out)))
                self._fill_units(target, modifiers, joiner, depth, span)
                self.filling = False
            else:
                self.holes.append(len(self.out))
                self.out.append(_Hole(op, depth, {n: s[-1] for n, s in self.bindings.items() if s}))
            return
        count = low if low == high else low + int(self.random() * (high - low + 1))
        for item in range(count):
            # once the target is reached, every repetition ends: after the item that reached it, or before its first
            if self.filling and self._length() >= self.target:
                break
            if item and joiner:
                self.out.append(joiner)
            self._item(target, modifiers, depth)

    def _item(self, target: tuple, modifiers: tuple, depth: int) -> None:
        if not modifiers:
            self._target(target, depth)
            return
        mark = len(self.out)
        self.eager += 1
        self._target(target, depth)
        self.eager -= 1
        text = self._collapse(mark)
        for function, args in modifiers:
            text = function(text, *args)
        self.out.append(text)
        if len(text) > CHECK_EVERY:  # a big piece: check the size at the next template
            self.steps = 0

    def _value_text(self, ops: tuple, depth: int) -> str:
        """A binding's value: plain text as it stands, a template expanded once."""
        if len(ops) == 1 and ops[0].__class__ is str:
            return ops[0]
        return self._to_text(ops, depth)

    def _to_text(self, ops: tuple, depth: int) -> str:
        self.steps -= 1
        mark = len(self.out)
        self.eager += 1
        self._template(ops, depth)
        self.eager -= 1
        return self._collapse(mark)

    def _collapse(self, mark: int) -> str:
        """Take the pieces written since `mark` off the output, as one string."""
        out = self.out
        if self.mark > mark:  # they were counted already: uncount them
            self.counted -= sum(map(len, out[mark:self.mark]))
            self.mark = mark
        text = "".join(out[mark:])
        del out[mark:]
        if len(text) > self.ceiling:
            raise self._too_big(self.rules[self.grammar.start].span)
        return text

    # ---- length ------------------------------------------------------------------------------------------------
    def _start_filling(self, base: int) -> None:
        self.filling = True
        self.base, self.counted, self.mark = base, 0, len(self.out)

    def _length(self) -> int:
        out = self.out
        if self.mark < len(out):
            self.counted += sum(map(len, out[self.mark:]))
            self.mark = len(out)
        return self.base + self.counted

    def _fill_units(self, target: tuple, modifiers: tuple, joiner: str, depth: int, span) -> None:
        """Units until the target is reached. This loop runs once per unit, so `_length` is written inline here,
        and a plain rule is called directly."""
        out, goal = self.out, self.target
        unit = self._rule_caller(target[1]) if target[0] == RULE and not modifiers else None
        previous, empty_units = -1, 0
        while True:
            if self.mark < len(out):
                self.counted += sum(map(len, out[self.mark:]))
                self.mark = len(out)
            length = self.base + self.counted
            if length >= goal:
                return
            if length == previous:
                empty_units += 1
                if empty_units > MAX_EMPTY_UNITS:
                    raise GenerationError("the fill makes no progress: its unit keeps writing nothing",
                                          "empty-fill", span)
            if previous >= 0 and joiner:
                out.append(joiner)
            previous = length
            if unit is not None:
                unit(depth)
            else:
                self._item(target, modifiers, depth)

    def _check_size(self, rule: CompiledRule) -> None:
        """The output-size ceiling, and a bound on the work: checked every CHECK_EVERY templates, at once after a
        big piece, and on every text taken back as one piece (modifiers, bindings). Work counts too because
        binding values and `unique` retries can expand without ever growing the output."""
        self.work += CHECK_EVERY - self.steps
        if sum(map(len, self.out)) > self.ceiling or self.work > self.ceiling:
            raise self._too_big(rule.span)
        self.steps = CHECK_EVERY

    def _too_big(self, span) -> GenerationError:
        return GenerationError(f"the grammar keeps growing: past {self.ceiling:,} characters or templates for one "
                               "document (an alternative that calls its own rule more than once?)", "too-large",
                               span, hint="give recursive rules more weight on alternatives that end")
