"""gpbt → Tracery for any style: what Tracery cannot express is approximated with one warning per kind of loss
(golden files for the shipped styles), `--strict` refuses and writes nothing, and the export runs as a Tracery
grammar again."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

import gpbt
from conftest import check_golden
from gpbt.cli import main
from gpbt.convert import ConvertError, tracery_export
from gpbt.writers.tracery_json import TraceryWriter

SHIPPED = Path(gpbt.__file__).resolve().parent / "rules"
TOPIC = "学生会退会"


def run(*args: str):
    return CliRunner().invoke(main, [*map(str, args)])


def shown(stderr: str) -> str:
    """Rendered diagnostics with the shipped styles' folder written short, so goldens hold on every machine (and
    without the closing `gpbt: wrote PATH`)."""
    lines = [line for line in stderr.splitlines(keepends=True) if not line.startswith("gpbt: wrote ")]
    return "".join(lines).replace(str(SHIPPED) + os.sep, "gpbt/rules/")


def export(text: str, tmp_path: Path) -> tuple[dict[str, list[str]], list[gpbt.Diagnostic]]:
    path = tmp_path / "s.gpbt"
    path.write_text(text, encoding="utf-8")
    output, warnings = tracery_export(path)
    return json.loads(output), warnings


def codes(warnings: list[gpbt.Diagnostic]) -> list[str]:
    return [warning.code for warning in warnings]


# ---- the shipped styles ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["zh", "en", "ja"])
def test_shipped_style_exports_with_warnings_and_runs_as_tracery(name, tmp_path):
    target = tmp_path / f"{name}.json"
    result = run("convert", name, "--to", "tracery", "-o", target)
    assert result.exit_code == 0, result.output
    assert result.stderr.endswith(f"gpbt: wrote {target}\n")
    warnings = shown(result.stderr)
    check_golden(f"convert/{name}_to_tracery.txt", warnings)
    assert ": error: " not in warnings and "[tracery-policy]" in warnings and "[tracery-fill]" in warnings
    grammar = json.loads(target.read_text(encoding="utf-8"))
    assert grammar["origin"] == [f"#{gpbt.load_style(name).definition.start}#"]
    generated = run("generate", TOPIC, "--style", target, "--start", "origin", "--seed", "1")
    assert generated.exit_code == 0, generated.output
    assert TOPIC in generated.stdout and len(generated.stdout) > 1500
    assert "#" not in generated.stdout and "[" not in generated.stdout  # no Tracery syntax left over


def test_export_to_stdout_has_the_same_warnings(tmp_path):
    result = run("convert", "ja", "--to", "tracery")
    assert result.exit_code == 0 and json.loads(result.stdout)["origin"] == ["#文章#"]
    assert shown(result.stderr) == (Path(__file__).parent / "golden" / "convert" / "ja_to_tracery.txt") \
        .read_text(encoding="utf-8")


@pytest.mark.parametrize("force", [False, True])
def test_strict_refuses_and_leaves_an_existing_file_untouched(tmp_path, force):
    target = tmp_path / "out.json"
    target.write_text('{"origin": ["old"]}\n', encoding="utf-8")
    result = run("convert", "zh", "--to", "tracery", "--strict", "-o", target, *(["--force"] if force else []))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert target.read_text(encoding="utf-8") == '{"origin": ["old"]}\n'
    assert sorted(os.listdir(tmp_path)) == ["out.json"]  # no temporary file left either
    assert ": warning: " not in result.stderr and result.stderr.count(": error: ") == 3
    assert "[tracery-policy]" in result.stderr and "without --strict the export approximates it" in result.stderr


def test_strict_to_stdout_writes_nothing():
    result = run("convert", "en", "--to", "tracery", "--strict")
    assert result.exit_code == 1 and result.stdout == "" and "[tracery-modifier]" in result.stderr


def test_strict_passes_what_tracery_says_exactly(tmp_path):
    path = tmp_path / "s.gpbt"
    path.write_text("essay (random): {a} and {a}, [x = one, two | three]{x}\na (random): (2) b | c\n",
                    encoding="utf-8")
    result = run("convert", path, "--to", "tracery", "--strict")
    assert result.exit_code == 0 and result.stderr == ""
    assert json.loads(result.stdout)["a"] == ["b", "b", "c"]


def test_library_strict_raises_errors_with_positions(tmp_path):
    path = tmp_path / "s.gpbt"
    path.write_text("essay: {x} {x}\nx: a | b\n", encoding="utf-8")
    with pytest.raises(ConvertError) as info:
        tracery_export(path, strict=True)
    error, = info.value.diagnostics
    assert error.severity == "error" and error.code == "tracery-policy" and error.span.line == 2


# ---- each approximation ----------------------------------------------------------------------------------------
def test_policies_one_warning_each_with_a_count(tmp_path):
    grammar, warnings = export("doc (random): {a}{b}{c}{d}{e}{f}{one}\na: 1 | 2\nb: 1 | 2\nc (no-repeat): 1 | 2\n"
                               "d (once): 1 | 2\ne (cycle): (3) 1 | 2\nf (random unique): 1 | 2\none: only\n",
                               tmp_path)
    assert codes(warnings) == ["tracery-policy"] * 4 + ["tracery-unique"]
    deck, no_repeat, once, cycle, unique = warnings
    assert deck.message.startswith("Tracery has no deck policy (gpbt's default): rule 'a' becomes")
    assert deck.message.endswith("(and 1 more rule)") and deck.span.line == 2 and "may repeat" in deck.hint
    assert "no-repeat" in no_repeat.message and "once" in once.message and "cycle" in cycle.message
    assert "twice in a row" in no_repeat.hint and "not in the order written" in cycle.hint
    assert unique.span.line == 7 and unique.span.column == 4  # at the policy, not at the rule's name
    assert grammar["e"] == ["1", "2"]  # a cycle's weights change nothing: none in the export either


def test_weights_exact_or_rounded(tmp_path):
    grammar, warnings = export("doc (random): {a}{b}{c}\na (random): (0.25) x | (1.5) y\n"
                               "b (random): (0.333) x | (0.667) y\nc (random): (5000) x | y\n", tmp_path)
    assert grammar["a"] == ["x"] + ["y"] * 6
    assert grammar["b"] == ["x"] * 33 + ["y"] * 67 and grammar["c"] == ["x"] * 100 + ["y"]
    warning, = warnings
    assert warning.code == "tracery-weights" and "'b'" in warning.message and "(and 1 more rule)" in warning.message


def test_fill_becomes_the_average_count(tmp_path):
    grammar, warnings = export("@length 100\ndoc (random): T{para*fill \"|\"}\npara (random): abcdefghi\n",
                               tmp_path)
    assert grammar["doc"] == ["T" + "|".join(["#para#"] * 10)]
    warning, = warnings
    assert warning.code == "tracery-fill" and "a fixed 10 repetitions" in warning.message
    assert "@length 100" in warning.message


def test_slots_become_symbols(tmp_path):
    grammar, warnings = export("@slot city = 北京 #1\n@slot who\ndoc (random): {who}@{city}/{topic}{city}\n",
                               tmp_path)
    assert grammar["doc"] == ["#who#@#city#/#topic##city#"]
    assert grammar["city"] == ["北京 \\#1"] and grammar["who"] == ["((who))"]
    warning, = warnings
    assert warning.code == "tracery-slot" and "'who'" in warning.message and "(and 1 more slot)" in warning.message


def test_modifiers_mapped_or_approximated(tmp_path):
    grammar, warnings = export("doc (random): {w.agree(is,are).capitalize} {w.title} {w.quote} {w.quote.s} "
                               "{w.quote.capitalize} {w.trim} {w.replace(a.b,c)} {w.a}\nw (random): cat\n",
                               tmp_path)
    assert grammar["doc"] == ["Is #w.capitalizeAll# “#w#” “#w.s#” “#w.capitalize#” #w# #w# #w.a#"]
    messages = {warning.message.split(":")[0]: warning for warning in warnings}
    assert set(messages) == {"Tracery has no .agree modifier", "Tracery has no .title modifier",
                             "Tracery cannot apply .s after .quote", "Tracery has no .trim modifier",
                             "Tracery cannot pass these arguments to .replace"}
    assert all(warning.code == "tracery-modifier" for warning in warnings)
    assert "{w.agree(is,are).capitalize} always writes the singular 'is'" in messages[
        "Tracery has no .agree modifier"].message


def test_pushed_values_with_commas_and_colons_are_exact(tmp_path):
    text = ("doc (random): [who = Seneca][what = Luck, said he: work]{who}: {what}. [n = a, b | c | d:e]{n}{n}\n")
    grammar, warnings = export(text, tmp_path)
    assert warnings == []
    assert grammar["doc"] == ["[who:Seneca][what:#what~1#]#who#: #what#. [n:#n~1#,c,#n~2#]#n##n#[n:POP][what:POP]"
                              "[who:POP]"]
    assert grammar["what~1"] == ["Luck, said he: work"] and grammar["n~1"] == ["a, b"] and grammar["n~2"] == ["d:e"]
    (tmp_path / "s.json").write_text(json.dumps(grammar, ensure_ascii=False), encoding="utf-8")
    exported, original = gpbt.load_style(tmp_path / "s.json", start="doc"), gpbt.load_style(tmp_path / "s.gpbt")
    assert [exported.generate(seed=s) for s in range(20)] == [original.generate(seed=s) for s in range(20)]


def test_origin_and_topic_are_renamed(tmp_path):
    grammar, warnings = export("@start doc\n@topic 主题\ndoc (random): {origin} {topic} {主题}\n"
                               "origin (random): o\ntopic (random): t\n", tmp_path)
    assert list(grammar)[:2] == ["origin", "doc"] and grammar["origin"] == ["#doc#"]
    assert grammar["doc"] == ["#origin~1# #topic~1# #topic#"] and grammar["origin~1"] == ["o"]
    assert codes(warnings) == ["tracery-rename", "tracery-rename"]
    (tmp_path / "s.json").write_text(json.dumps(grammar, ensure_ascii=False), encoding="utf-8")
    assert gpbt.load_style(tmp_path / "s.json").generate("茶", seed=1) == "o t 茶"


def test_the_writer_reports_nothing_for_an_exact_style(make_style):
    writer = TraceryWriter(make_style("doc (random): {x.capitalize} {x*1-2}\nx (random): a | b\n").definition)
    assert writer.grammar()["x*1-2"] == ["#x#", "#x##x#"] and writer.warnings == []
