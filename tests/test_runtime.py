"""The generated code over the declared runtime (gpbt/engine/codegen.py, gpbt/engine/runtime.py): it is the only
executor, it touches nothing of a document but `runtime.API`, seeded output is fixed by golden files written before
the interpreter was removed, and tracing (a mode of the same generator) writes the same text."""

from __future__ import annotations

import ast
import json

import pytest

import gpbt
from conftest import FIXTURES, check_golden
from gpbt.engine.runtime import API, fresh_seed, seeded

STYLES = ["zh", "en", "ja", FIXTURES / "demo.gpbt", FIXTURES / "tracery" / "test_grammar.json"]

POLICIES_AND_CONSTRUCTS = """\
doc: {title}\\n{para*fill}{end}
title (once): A | B | C
para: [h = {name}]{sent*2-4 " "}{h.upper}\\n
sent (random): (3) {word} is {adj}. | {phrase}. | {word.s} are {adj}! | (0.5) {deep} | [/h]{h} | [{setter}]{kept}.
word (no-repeat): cat | dog | owl
phrase (random unique): {word} and {word} | {adj} {word}
adj: (2) red | blue | green | (0) never
name: x | y
deep (random): (9) ({deep}) | z
setter: [kept := K] | [kept := L]
kept: unset
end: [{setter}]The end, {kept}. {tail}
tail (random unique): <{word*fill "-"}> | <{adj*fill "-"}>
h: (the rule behind the binding)
"""


@pytest.fixture
def constructs(make_style):
    return make_style(POLICIES_AND_CONSTRUCTS, name="constructs.gpbt")


def test_every_policy_and_construct_writes_what_it_always_wrote(constructs):
    """The golden file was written by the interpreter and generated code that preceded the runtime."""
    texts = [constructs.generate(seed=seed, length=400) for seed in range(40)]
    check_golden("runtime/constructs_seeds.json", json.dumps(texts, ensure_ascii=False, indent=1) + "\n")


def test_deep_recursion_takes_the_closing_path(make_style):
    style = make_style("a (random): (99) ({a}) | x\n")
    texts = [style.generate(seed=seed, length=0) for seed in range(10)]
    assert all(text.strip("()") == "x" for text in texts)
    check_golden("runtime/deep_seeds.json", json.dumps(texts) + "\n")


@pytest.mark.parametrize("spec", STYLES, ids=str)
def test_tracing_writes_the_same_text(spec):
    style = gpbt.load_style(spec)
    slots = {name: f"<{name}>" for name in style.definition.slots}
    for seed in range(5):
        essay = style.essay(seed=seed, length=2500, slots=slots, trace=True)
        assert essay.text == style.generate(seed=seed, length=2500, slots=slots)
        assert "".join(span["text"] for span in essay.trace) == essay.text


def test_tracing_the_constructs_writes_the_same_text(constructs):
    for seed in range(40):
        assert constructs.essay(seed=seed, length=400, trace=True).text == constructs.generate(seed=seed, length=400)


def test_the_closing_choice_picks_what_the_weighted_walk_picks(make_style):
    """Uniform weights index the fitting alternatives instead of walking them: the same pick for every draw."""
    style = make_style("a (random): ({a}) | ({a}{b}) | x | y | {b} | z\nb: ({b}) | w\n"
                       "c (random): (0.5) ({c}) | (2) x | (1.5) {b} | (0) v\n")
    document = style.document(seed=0)[0]

    def walk(rule, depth, point):
        fitting = [k for k, height in enumerate(rule.heights) if height <= document.budget - depth - 1
                   and rule.weights[k] > 0]
        point *= sum(rule.weights[k] for k in fitting)
        for k in fitting:
            point -= rule.weights[k]
            if point < 0:
                return k
        return fitting[-1]

    for rule in style.grammar.rules:
        for depth in range(document.budget - 4, document.budget):
            for draw in range(200):
                point = (draw + 0.5) / 200 if draw < 199 else 1 - 2 ** -53
                document.random = lambda point=point: point
                assert document.closing_choice(rule, depth) == walk(rule, depth, point)


def test_only_rules_that_can_close_check_the_depth(make_style):
    """A rule whose alternatives all need the same depth is never called past its limit: no check is written."""
    source = make_style("a (random): ({a}) | {b}\nb: x{c} | y{c}\nc: u | v\n").python_source()
    functions = {chunk.split("(", 1)[0]: chunk for chunk in source.split("\ndef ")[1:]}
    assert "closing_choice" in functions["r0"]
    assert "closing_choice" not in functions["r1"] and "closing_choice" not in functions["r2"]


def test_short_alternatives_are_written_in_the_branches_of_their_draw(make_style):
    """An unrolled draw writes a short alternative's body in its branch instead of calling its function: the same
    text as the traced document, whose alternatives are all calls; a long alternative stays a call."""
    long = " ".join(["{w}{w}{w}{w}{w}{w}"] * 4)
    style = make_style(f"a (random): (2) [n = {{w}}|q]{{n}}-{{b}} | x{{b}}y | {long}\n"
                       "b (random): p | [m = {w}]{m}{a}\nw (random): u | v\n")
    source = style.python_source()
    functions = {chunk.split("(", 1)[0]: chunk for chunk in source.split("\ndef ")[1:]}
    assert "a0_0(" not in functions["r0"] and "a0_1(" not in functions["r0"] and "ex.bind('n'" in functions["r0"]
    assert "a0_2(ex, depth + 1)" in functions["r0"]
    for seed in range(30):
        assert style.essay(seed=seed, length=300, trace=True).text == style.generate(seed=seed, length=300)


def test_state_read_more_than_once_is_held_in_a_local_and_user_text_is_left_alone(make_style):
    """A function that draws twice reads `ex.random` and `ex.decks` once, into locals; one that draws once reads
    them where it draws. Text that looks like that code (with quotes and a `#` in it) is written as it is."""
    hostile = "ex.random() 'ex.out' \"ex.decks\" \\# ex.random"
    style = make_style(f"a (random): {{b}}{{c}}-{hostile}-{{b}} | {{c}}\nb: u | v | w\nc (random): p | q\n")
    source = style.python_source()
    functions = {chunk.split("(", 1)[0]: chunk for chunk in source.split("\ndef ")[1:]}
    assert "    random = ex.random\n    decks = ex.decks\n" in functions["a0_0"]
    assert """out.append('-ex.random() \\'ex.out\\' "ex.decks" # ex.random-')""" in functions["a0_0"]
    assert "ex.random" not in functions["a0_0"].replace("random = ex.random", "").replace("-ex.random() ", "") \
        .replace("# ex.random", "")
    assert "random = ex.random" not in functions["r0"] and "c = int(ex.random() * 2)" in functions["r0"]
    texts = {style.generate(seed=seed, length=20) for seed in range(40)}
    assert {text for text in texts if "-" in text} == {f"{b}{c}-ex.random() 'ex.out' \"ex.decks\" # ex.random-{d}"
                                                       for b in "uvw" for c in "pq" for d in "uvw" if d != b} & texts
    assert any("-" in text for text in texts)


def test_text_of_only_text_and_slots_is_made_once_per_set_of_slot_values(make_style):
    """A rule whose alternatives write only text and slots reads each alternative's text from a table made once per
    set of slot values and shared by the documents that have them; documents with other values (or a table pushed
    out by KEPT newer ones) get their own text, and what is written is what the traced document writes."""
    from gpbt.engine.runtime import SlotTexts

    style = make_style("@topic t\n@slot who = me\na: {b} and {b}\nb: {t} by {who} | ({t}) | plain\n")
    source = style.python_source()
    assert "ex.leaf_text(F1, 1, c)" in source and "ex.slots" not in source
    topics = [f"topic{n}" for n in range(SlotTexts.KEPT + 2)]
    for topic in topics + topics[:2]:
        for seed in range(6):
            text = style.generate(topic, seed=seed, slots={"who": topic.upper()})
            assert text == style.essay(topic, seed=seed, slots={"who": topic.upper()}, trace=True).text
            assert set(text.split(" and ")) <= {f"{topic} by {topic.upper()}", f"({topic})", "plain"}
    first, second = (style.document(topics[0], slots={"who": "W"})[0] for _ in range(2))
    assert first.leaves is second.leaves and first.leaves is not style.document(topics[1])[0].leaves
    assert len(style._slot_texts.by_values) == SlotTexts.KEPT


def test_a_binding_to_a_rule_of_plain_texts_draws_its_text_in_place(make_style):
    """`[who = {name}]` with `name` a rule of plain texts: the text is drawn where the binding stands (the draw its
    function would make) instead of written and taken back; other values are written as before. Same text as the
    traced document, which writes every value."""
    style = make_style("a: [who = {name}][what = {name}!]{who} and {what}; [one = {solo}]{one}\n"
                       "name: Ann | Bo | Cy\nsolo: Di\n")
    source = style.python_source()
    assert "ex.bind('who', (T1[c],), depth" in source and "ex.bind('one', ('Di',), depth" in source
    assert "ex.bind('what', V" in source
    for seed in range(20):
        text = style.generate(seed=seed)
        assert text == style.essay(seed=seed, trace=True).text
        assert text.endswith("; Di") and text.split(" and ")[0] in ("Ann", "Bo", "Cy")


def test_slot_texts_shared_by_threads_give_each_document_its_own_text():
    """Threads generating at once, with more topics than SlotTexts keeps, write what each document writes alone."""
    from concurrent.futures import ThreadPoolExecutor

    style = gpbt.load_style("zh")
    orders = [(f"题目{n % 12}", seed) for seed, n in enumerate(range(48))]
    alone = [gpbt.load_style("zh").generate(topic, seed=seed, length=300) for topic, seed in orders]
    with ThreadPoolExecutor(4) as pool:
        together = list(pool.map(lambda order: style.generate(order[0], seed=order[1], length=300), orders))
    assert together == alone
    assert all(f"题目{n % 12}" in text for n, text in enumerate(together))


@pytest.mark.parametrize("spec", STYLES, ids=str)
def test_generated_code_uses_only_the_declared_runtime(spec):
    source = gpbt.load_style(spec).python_source()
    used = {node.attr for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "ex"}
    assert used and used <= API


def test_generated_code_of_the_constructs_uses_only_the_declared_runtime(constructs):
    source = constructs.python_source()
    used = {node.attr for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "ex"}
    assert {"bind", "unbind", "end_scope", "silent", "repeat", "modify", "bound", "unique"} <= used <= API


def test_the_generated_python_can_be_read(constructs):
    source = constructs.python_source()
    assert "def r0(ex, depth):  # doc" in source
    compile(source, "<check>", "exec")


@pytest.mark.parametrize("seed", [0, 1, 7, 2**31 - 1, 2**32 - 1, 2**64 + 3, -5])
def test_a_seed_means_what_it_means_to_random_Random(seed):
    """The runtime seeds the Mersenne Twister without importing the random module (3 ms of every start): its draws
    must be exactly those of `random.Random(seed)`, which users pass as `rng` and earlier versions used."""
    import random

    ours, theirs = seeded(seed), random.Random(seed)
    assert [ours.random() for _ in range(1000)] == [theirs.random() for _ in range(1000)]


def test_a_fresh_seed_is_a_32_bit_number_drawn_anew():
    seeds = {fresh_seed() for _ in range(20)}
    assert len(seeds) > 1 and all(0 <= seed < 2**32 for seed in seeds)
