"""A fuzzing run of the command line: hypothesis over arguments, topics and rule text, and mutated shipped styles.
Every run ends with exit 0, 1 or 2 and never a traceback. CI runs a short version; the long one runs on demand:

    GPBT_FUZZ_EXAMPLES=10000 python -m pytest tests/test_bad_input_fuzz.py

(the count is split among the tests in proportion to their cost: see `_examples`)."""

from __future__ import annotations

import os
import random
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bad_input_helpers import run
from gpbt.loaders import shipped_root

TOTAL = int(os.environ.get("GPBT_FUZZ_EXAMPLES", "0"))


def _examples(share: float, short: int) -> settings:
    """`share` of the long run's total, or `short` examples in an ordinary run."""
    count = max(1, int(TOTAL * share)) if TOTAL else short
    return settings(max_examples=count, deadline=None, database=None,
                    suppress_health_check=list(HealthCheck))


TOPIC = st.one_of(st.text(max_size=12), st.sampled_from(["", "-", "--", "\x1b[31m", "\ufeff春", "a\x00b", " "]))
RULE_PIECES = st.sampled_from(["a: ", "b: ", "{a}", "{b}", "{主题}", "{a*2}", "{b*fill}", "[x = {a}]", "{x}",
                               "@include ", "/etc/passwd", "../x.gpbt", "@slot s", "@start a", "@length 5",
                               "(2) ", "\n", "\n    ", " | ", "text", "\x00", "\\", "#", "(deck)", ":", "{"])
RULE_TEXT = st.lists(RULE_PIECES, max_size=30).map("".join)
OPTIONS = st.lists(st.sampled_from([
    ["-n", "0"], ["-n", "50"], ["-n", "-1"], ["-n", "x"], ["-n", "99999999"], ["--seed", "1"], ["--seed", "x"],
    ["--count", "2"], ["--count", "0"], ["--format", "json"], ["--format", "xml"], ["--trace"],
    ["--set", "主题=v"], ["--set", "bad"], ["--set", "s=v"], ["-v"], ["--start", "b"], ["--start", "nope"],
    ["--tracery-compat"], ["--separator", "--"], ["--color", "always"], ["--no-includes"],
    ["--include-path", "/"], ["-o", ""], ["-o", "/"], ["-o", "/nonexistent/x"], ["--bogus"]]), max_size=4)


@_examples(0.95, 60)
@given(rule_text=RULE_TEXT, topics=st.lists(TOPIC, max_size=3), options=OPTIONS,
       command=st.sampled_from(["generate", "generate", "check", "stats", "compile", "convert"]),
       stdin=st.binary(max_size=20))
def test_cli_on_random_input_never_shows_a_traceback(rule_text, topics, options, command, stdin):
    with tempfile.TemporaryDirectory() as folder:
        rules = Path(folder) / "fuzz.gpbt"
        rules.write_text(rule_text, encoding="utf-8")
        if command == "generate":
            args = ["generate", *topics, "--style", str(rules), *[word for option in options for word in option]]
        elif command == "convert":
            args = ["convert", str(rules), "--to", "tracery"]
        else:
            args = [command, str(rules)]
        result = run(*args, input=stdin)  # raises on any exception but SystemExit
        assert result.exit_code in (0, 1, 2), result.output
        assert "Traceback" not in result.output
        assert sorted(p.name for p in Path(folder).iterdir()) == ["fuzz.gpbt"]  # nothing left behind


MUTATIONS = ["delete", "duplicate", "swap", "insert", "truncate"]


def _mutate(text: str, rnd: random.Random, steps: int) -> str:
    lines = text.split("\n")
    for _ in range(steps):
        kind, k = rnd.choice(MUTATIONS), rnd.randrange(len(lines))
        if kind == "delete":
            del lines[k]
        elif kind == "duplicate":
            lines.insert(k, lines[k])
        elif kind == "swap":
            j = rnd.randrange(len(lines))
            lines[k], lines[j] = lines[j], lines[k]
        elif kind == "insert":
            column = rnd.randrange(len(lines[k]) + 1)
            lines[k] = lines[k][:column] + rnd.choice("{}[]()|:.*=\\#@\x00 \t") + lines[k][column:]
        else:
            lines[k] = lines[k][: rnd.randrange(len(lines[k]) + 1)]
        if not lines:
            lines = [""]
    return "\n".join(lines)


@_examples(0.05, 6)
@given(style=st.sampled_from(["zh", "en", "ja"]), seed=st.integers(0, 10 ** 6), steps=st.integers(1, 6))
def test_mutated_shipped_styles_never_show_a_traceback(style, seed, steps):
    rnd = random.Random(seed)
    with tempfile.TemporaryDirectory() as folder:
        files = sorted((shipped_root() / style).glob("*.gpbt"))
        victim = rnd.choice(files)
        for path in files:
            text = path.read_text(encoding="utf-8")
            (Path(folder) / path.name).write_text(_mutate(text, rnd, steps) if path == victim else text,
                                                  encoding="utf-8")
        for args in (["check", folder], ["generate", "题目", "--style", folder, "-n", "300", "--seed", str(seed)]):
            result = run(*args)
            assert result.exit_code in (0, 1, 2) and "Traceback" not in result.output, result.output
