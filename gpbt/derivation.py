"""The derivation tree of a document, and re-rolling one part of it while the rest stays byte-identical.

A flat trace says which alternative wrote each span; a tree says which rule expansion *contains* which, so a front
end can tell "the sentence" from "a word in it". Every expansion of a rule becomes a node with its start, end (in the
final text), parent and depth. The tree is built on the tracing document: each piece of text remembers the node it
was written in, and a node's extent is the extent of the text its subtree wrote.

Re-rolling node N with sub-seed S expands N's rule again, alone, with `random.Random(S)`, the same slots and the
bindings that were visible where N stood, and splices the new text in place of N's. A new text that repeats any other
part of the document is drawn again from S (up to REROLL_ATTEMPTS times, always in the same order), so
(seed, [(N, S), ...]) reproduces a text exactly.
"""

from __future__ import annotations

import dataclasses
import random
from dataclasses import dataclass, field
from typing import Mapping

from .engine.runtime import Hole
from .engine.trace import Origin, Traced, TracingDocument, spans
from .errors import GenerationError

REROLL_ATTEMPTS = 50  # draws a re-roll gets to find a text that repeats nothing else of the document
SENTENCE_ENDS = "。！？!?.…”」\""


@dataclass(frozen=True)
class NodeOrigin(Origin):
    """An origin that also names the rule expansion (tree node) a piece was written in."""

    node: int | None = None


@dataclass
class Node:
    """One rule expansion: which rule and alternative, where in the text, and its parent (None for the root)."""

    id: int
    parent: int | None
    rule: str
    alternative: int
    file: str | None
    line: int | None
    depth: int
    start: int = 0
    end: int = 0
    bindings: dict | None = field(default=None, repr=False)  # what was bound where it stood, to re-roll it

    def as_dict(self) -> dict[str, object]:
        return {"id": self.id, "parent": self.parent, "rule": self.rule, "alternative": self.alternative,
                "file": self.file, "line": self.line, "start": self.start, "end": self.end}


@dataclass
class Derivation:
    """A document with its derivation tree: `nodes` in document order (a parent before its children), `spans` the
    flat trace (each span names its node)."""

    text: str
    nodes: list[Node]
    spans: list[dict[str, object]]
    slots: dict[str, str]
    target: int
    seed: int | None = None

    def tree(self) -> dict[str, object] | None:
        """The nodes nested: each node's dict with `children` (in text order) and `text`."""
        made: dict[int, dict] = {}
        root = None
        for node in self.nodes:
            record = {**node.as_dict(), "text": self.text[node.start:node.end], "children": []}
            del record["parent"]
            made[node.id] = record
            if node.parent is None:
                root = record
            else:
                made[node.parent]["children"].append(record)
        return root

    def path_at(self, offset: int) -> list[Node]:
        """The nodes whose text contains character `offset`, outermost first."""
        return [node for node in self.nodes if node.start <= offset < node.end]

    def sentence_at(self, offset: int) -> Node | None:
        """"The sentence" at `offset`: the outermost expansion there (not the root) whose text holds no line break
        (a paragraph ends with one) and ends like a sentence; else the innermost expansion there."""
        path = self.path_at(offset)
        for node in path:
            text = self.text[node.start:node.end]
            if node.parent is not None and "\n" not in text and text.rstrip().endswith(
                    tuple(SENTENCE_ENDS)):
                return node
        return path[-1] if len(path) > 1 else None

    def sentences(self) -> list[Node]:
        """The sentences of the text, in order, as `sentence_at` finds them (outermost first, never overlapping);
        text outside any (a title with no end mark) belongs to none."""
        found: list[Node] = []
        cursor = 0
        for node in self.nodes:
            if node.start < cursor or node.parent is None:
                continue
            text = self.text[node.start:node.end]
            if "\n" not in text and text.rstrip().endswith(tuple(SENTENCE_ENDS)):
                found.append(node)
                cursor = node.end
        return found


class TreeDocument(TracingDocument):
    """The tracing document, recording every rule expansion as a node (the traced code announces each alternative
    with `enter` and `leave`)."""

    def __init__(self, grammar, functions, rng, slots, target, ceiling, time_limit=None) -> None:
        self.made: list[Node] = []
        self.stack: list[int | None] = []  # open nodes, innermost last
        self.hole_stacks: dict[int, list[int | None]] = {}
        super().__init__(grammar, functions, rng, slots, target, ceiling, time_limit)

    def new_output(self) -> list:
        return _NodeOutput(self)

    def enter(self, origin: Origin, depth: int) -> None:
        parent = self.stack[-1] if self.stack else None
        if origin.binding is not None:  # a binding's value: written by the expansion that binds it
            self.stack.append(parent)
            self.origins.append(NodeOrigin(**dataclasses.asdict(origin), node=parent))
            return
        number = len(self.made)
        # an alternative runs at its rule's depth + 1; a re-roll calls the rule's function again at the rule's
        # depth, so the depth budget closes the same way
        depth -= 1
        bound = {name: list(stack) for name, stack in self.bindings.items() if stack} or None
        self.made.append(Node(number, parent, origin.rule, origin.alternative, origin.file, origin.line, depth,
                              bindings=bound))
        self.stack.append(number)
        self.origins.append(NodeOrigin(**dataclasses.asdict(origin), node=number))

    def leave(self) -> None:
        self.origins.pop()
        self.stack.pop()

    def _fill_hole(self, hole: Hole, fixed: int) -> str:
        saved, self.stack = self.stack, list(self.hole_stacks.get(id(hole), []))
        try:
            return super()._fill_hole(hole, fixed)
        finally:
            self.stack = saved

    def expand(self, rule: int | None = None, depth: int = 0) -> Derivation:
        """Run from the start rule (or from `rule` at `depth`, for a re-roll) and build the derivation."""
        if rule is None:
            text = self.run()
        else:
            self.functions[rule](self, depth)
            for index in self.holes:
                self.out[index] = self._fill_hole(self.out[index], sum(map(len, self.out)))
            text = "".join(self.out)
        leaves = spans(self.out)
        return _build(text, self.made, leaves, {k: str(v) for k, v in self.slots.items()}, self.target)


class _NodeOutput(list):
    """Labels each piece with the node being written: plain text and slot values alike; remembers the open nodes
    where a fill waits."""

    def __init__(self, expander: TreeDocument) -> None:
        super().__init__()
        self.expander = expander

    def append(self, piece) -> None:
        expander = self.expander
        if piece.__class__ is str:
            if expander.origins:
                piece = Traced(piece, expander.origins[-1])
        elif isinstance(piece, Hole):
            expander.hole_stacks[id(piece)] = list(expander.stack)
        elif isinstance(piece, Traced) and not isinstance(piece.origin, NodeOrigin) and expander.stack:
            piece = Traced(piece, NodeOrigin(**dataclasses.asdict(piece.origin), node=expander.stack[-1]))
        super().append(piece)


def _build(text: str, made: list[Node], leaves: list[dict], slots: dict[str, str], target: int) -> Derivation:
    """Give every node the extent of its subtree's text; drop nodes that wrote nothing (taken-back draws); number
    the rest in document order."""
    extent: dict[int, list[int]] = {}
    for leaf in leaves:
        number = leaf.get("node")
        while number is not None:
            box = extent.get(number)
            if box is None:
                extent[number] = [leaf["start"], leaf["end"]]
            else:
                box[0] = min(box[0], leaf["start"])
                box[1] = max(box[1], leaf["end"])
            number = made[number].parent
    kept = [node for node in made if node.id in extent]
    for node in kept:
        node.start, node.end = extent[node.id]
    return _renumber(text, kept, leaves, slots, target)


def _renumber(text: str, nodes: list[Node], leaves: list[dict], slots: dict[str, str], target: int) -> Derivation:
    nodes = sorted(nodes, key=lambda node: (node.start, -node.end, node.depth, node.id))
    numbers = {node.id: index for index, node in enumerate(nodes)}
    for node in nodes:
        node.parent = numbers.get(node.parent) if node.parent is not None else None
    for leaf in leaves:
        if leaf.get("node") is not None:
            leaf["node"] = numbers.get(leaf["node"])
    for index, node in enumerate(nodes):
        node.id = index
    return Derivation(text, nodes, leaves, slots, target)


def derive(style, topic: str | None = None, *, seed: int | None = None, length: int | None = None,
           slots: Mapping[str, str] | None = None, seconds: float | None = None) -> Derivation:
    """Generate a document with its derivation tree. The text is byte-identical to `style.generate` with the same
    arguments. `seconds` bounds the wall-clock time (a "too-slow" GenerationError)."""
    tree, seed = style.document(topic, seed=seed, length=length, slots=slots, time_limit=seconds,
                                document_class=TreeDocument)
    result = tree.expand()
    result.seed = seed
    return result


def reroll(style, derivation: Derivation, node: int, seed: int, seconds: float | None = None) -> Derivation:
    """The document with node `node` expanded again from its rule with sub-seed `seed`; every other character stays
    the same, and the new text repeats nothing else of the document when the rule can help it."""
    if not 0 <= node < len(derivation.nodes):
        raise GenerationError(f"there is no part number {node} to re-roll (this text has "
                              f"{len(derivation.nodes)})", "bad-reroll")
    old = derivation.nodes[node]
    if old.parent is None:
        raise GenerationError("the whole text cannot be re-rolled part by part: draw a new seed instead",
                              "bad-reroll")
    subtree = _subtree(derivation.nodes, node)
    inside = [leaf for leaf in derivation.spans if old.start <= leaf["start"] and leaf["end"] <= old.end]
    if any(leaf.get("node") not in subtree for leaf in inside):
        raise GenerationError(f"part {node} ({old.rule}) shares its text with other parts (a binding): it cannot "
                              "be re-rolled alone", "bad-reroll")
    index = {rule.name: rule.index for rule in style.grammar.rules}[old.rule]
    text = derivation.text
    rest = text[:old.start] + "\0" + text[old.end:]
    for attempt in range(REROLL_ATTEMPTS):
        rng = random.Random(seed if attempt == 0 else f"{seed}/{attempt}")
        expander, _ = style.document(slots=derivation.slots, rng=rng, length=derivation.target, time_limit=seconds,
                                     document_class=TreeDocument)
        expander.bindings = {name: list(stack) for name, stack in (old.bindings or {}).items()}
        new = expander.expand(index, old.depth)
        fresh = new.text.strip()
        if fresh and new.text != text[old.start:old.end] and fresh not in rest:
            break
    return _splice(derivation, old, subtree, new)


def apply_rerolls(style, derivation: Derivation, rerolls: list[tuple[int, int]],
                  seconds: float | None = None) -> Derivation:
    """Re-roll each (node, seed) in turn; node numbers refer to the document as it is after the earlier ones."""
    for node, seed in rerolls:
        derivation = reroll(style, derivation, node, seed, seconds)
    return derivation


def parse_rerolls(value: str) -> list[tuple[int, int]]:
    """`"12:345,3:99"` → [(12, 345), (3, 99)], as a share link records re-rolls; a malformed value is a
    GenerationError."""
    result = []
    for item in filter(None, value.split(",")):
        node, sep, seed = item.partition(":")
        if not sep or not node.isdigit() or not seed.isdigit():
            raise GenerationError(f"a re-roll is PART:SEED (numbers), got {item!r}", "bad-reroll")
        result.append((int(node), int(seed)))
    return result


def _subtree(nodes: list[Node], root: int) -> set[int]:
    members = {root}
    for node in nodes[root + 1:]:  # document order: a subtree is a run of nodes after its root
        if node.parent in members:
            members.add(node.id)
    return members


def _splice(old_doc: Derivation, old: Node, subtree: set[int], new: Derivation) -> Derivation:
    start, end = old.start, old.end
    delta = len(new.text) - (end - start)
    text = old_doc.text[:start] + new.text + old_doc.text[end:]
    offset = len(old_doc.nodes)  # new nodes get ids past the old ones until renumbering
    nodes: list[Node] = []
    for node in old_doc.nodes:
        if node.id in subtree:
            continue
        copy = dataclasses.replace(node)
        if copy.start >= end:
            copy.start += delta
        if copy.end >= end:
            copy.end += delta
        nodes.append(copy)
    for node in new.nodes:
        parent = old.parent if node.parent is None else node.parent + offset
        nodes.append(dataclasses.replace(node, id=node.id + offset, parent=parent, depth=node.depth,
                                         start=node.start + start, end=node.end + start))
    leaves = []
    for leaf in old_doc.spans:
        if leaf["end"] <= start:
            leaves.append(dict(leaf))
        elif leaf["start"] >= end:
            leaves.append({**leaf, "start": leaf["start"] + delta, "end": leaf["end"] + delta})
    for leaf in new.spans:
        moved = {**leaf, "start": leaf["start"] + start, "end": leaf["end"] + start}
        if moved.get("node") is not None:
            moved["node"] += offset
        leaves.append(moved)
    leaves.sort(key=lambda leaf: leaf["start"])
    result = _renumber(text, nodes, leaves, old_doc.slots, old_doc.target)
    result.seed = old_doc.seed
    return result
