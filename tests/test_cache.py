"""The compiled-style cache (gpbt/cache.py): a cached style writes exactly what an uncached one writes, a warm load
never imports lark, any change to any file of a style is noticed, and every failure (someone else's entry, a corrupt
or foreign one, an unwritable folder, processes racing) means rebuilding or not caching — never an error."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

import gpbt
from conftest import FIXTURES
from gpbt import cache

STYLES = ["zh", "en", "ja", FIXTURES / "demo.gpbt", FIXTURES / "tracery" / "test_grammar.json",
          FIXTURES / "folder_style", FIXTURES / "tutorial_style" / "memo", FIXTURES / "warnings_only.gpbt"
          if (FIXTURES / "warnings_only.gpbt").exists() else FIXTURES / "broken" / "warnings_only.gpbt"]


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("GPBT_CACHE_DIR", str(folder))
    monkeypatch.delenv("GPBT_NO_CACHE", raising=False)
    return folder


def fresh(spec, **options) -> gpbt.Style:
    return gpbt.Environment().load(spec, **options)


def uncached(spec, **options) -> gpbt.Style:
    return gpbt.Environment(cache=False).load(spec, **options)


def is_cached(style: gpbt.Style) -> bool:
    return style._definition is None  # built from an entry: the definition is only read again when asked for


@pytest.mark.parametrize("spec", STYLES, ids=str)
def test_a_cached_style_writes_byte_identical_text(cache_dir, spec):
    first = fresh(spec)
    second = fresh(spec)
    assert not is_cached(first) and is_cached(second)
    reference = uncached(spec)
    slots = {name: f"<{name}>" for name in reference.definition.slots}
    for seed in range(3):
        expected = reference.generate(seed=seed, length=1500, slots=slots)
        assert second.generate(seed=seed, length=1500, slots=slots) == expected
        assert second.essay(seed=seed, length=1500, slots=slots, trace=True).text == expected
    assert [w.render() for w in second.warnings] == [w.render() for w in reference.warnings]
    assert (second.name, second.language, second.default_length) == (reference.name, reference.language,
                                                                      reference.default_length)


def test_load_options_are_part_of_the_key(cache_dir):
    grammar = FIXTURES / "tracery" / "test_grammar.json"
    assert fresh(grammar).generate(seed=1) != fresh(grammar, start="animal").generate(seed=1)
    assert is_cached(fresh(grammar, start="animal"))


def test_a_warm_load_never_imports_lark(cache_dir):
    fresh("zh")
    code = ("import sys, gpbt; s = gpbt.load_style('zh'); s.generate('x', seed=1); "
            "print('lark' in sys.modules, s._definition is None)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            env={**os.environ, "GPBT_CACHE_DIR": str(cache_dir)})
    assert result.stdout.split() == ["False", "True"]


def test_the_definition_of_a_cached_style_is_read_again_when_asked_for(cache_dir):
    fresh("zh")
    style = fresh("zh")
    assert is_cached(style) and "文章" in style.definition.rules and style.stats().rules


def test_editing_any_file_of_a_style_is_noticed(cache_dir, tmp_path):
    folder = tmp_path / "style"
    (folder / "common").mkdir(parents=True)
    (folder / "main.gpbt").write_text("@include common/words.gpbt\ns: {w}\n", encoding="utf-8")
    (folder / "common" / "words.gpbt").write_text("w: old\n", encoding="utf-8")
    assert fresh(folder).generate(seed=1) == "old"
    assert is_cached(fresh(folder))
    (folder / "common" / "words.gpbt").write_text("w: new\n", encoding="utf-8")  # an included file
    style = fresh(folder)
    assert not is_cached(style) and style.generate(seed=1) == "new"
    (folder / "main.gpbt").write_text("@include common/words.gpbt\ns: {w}{w}\n", encoding="utf-8")
    assert fresh(folder).generate(seed=1) == "newnew"
    (folder / "main.gpbt").write_text("s: {gone}\n", encoding="utf-8")
    with pytest.raises(gpbt.RuleFileError):  # an edit that breaks the style is checked, not served from the cache
        fresh(folder)


def test_a_file_edited_while_its_style_loads_is_not_cached_under_its_new_bytes(cache_dir, tmp_path, monkeypatch):
    """An entry names the bytes of each file (hashed as they are on disk); they are read again when the entry is
    written, and if the text they hold is no longer the text that was compiled, nothing is stored."""
    path = tmp_path / "style.gpbt"
    path.write_text("s: before\n", encoding="utf-8")
    real_write = cache.write_entry

    def edit_then_write(*args, **kwargs):
        path.write_text("s: after\n", encoding="utf-8")  # between parsing and storing
        return real_write(*args, **kwargs)

    monkeypatch.setattr(cache, "write_entry", edit_then_write)
    assert fresh(path).generate(seed=1) == "before"
    assert not list(cache_dir.glob("*.gpbtc"))
    monkeypatch.setattr(cache, "write_entry", real_write)
    assert fresh(path).generate(seed=1) == "after" and is_cached(fresh(path))


def test_the_folder_is_private_and_off_means_off(cache_dir, monkeypatch):
    fresh("en")
    assert stat.S_IMODE(cache_dir.stat().st_mode) == 0o700
    assert cache.info()["entries"] == 1
    assert cache.clear() == 1 and cache.info()["entries"] == 0
    monkeypatch.setenv("GPBT_NO_CACHE", "1")
    fresh("en")
    fresh("en")
    assert cache.info()["entries"] == 0
    assert cache.info()["enabled"] is False


def entry_file(cache_dir: Path) -> Path:
    entry, = cache_dir.glob("*.gpbtc")
    return entry


@pytest.mark.parametrize("damage", ["truncate", "garbage", "empty", "foreign-version", "wrong-magic"])
def test_a_damaged_entry_is_ignored_and_rebuilt(cache_dir, damage):
    expected = fresh("ja").generate("猫", seed=2)
    entry = entry_file(cache_dir)
    data = entry.read_bytes()
    if damage == "truncate":
        entry.write_bytes(data[: len(data) // 2])
    elif damage == "garbage":
        entry.write_bytes(cache.MAGIC + os.urandom(4096))
    elif damage == "empty":
        entry.write_bytes(b"")
    elif damage == "wrong-magic":
        entry.write_bytes(b"x" + data[1:])
    else:
        import marshal

        size = int.from_bytes(data[len(cache.MAGIC):len(cache.MAGIC) + 4], "little")
        header = marshal.loads(data[len(cache.MAGIC) + 4:])  # the header; the body follows it unchanged
        body = data[len(cache.MAGIC) + 4 + size:]
        header["version"] = "0.0.0-other"
        head = marshal.dumps(header)
        entry.write_bytes(cache.MAGIC + len(head).to_bytes(4, "little") + head + body)
    style = fresh("ja")
    assert not is_cached(style) and style.generate("猫", seed=2) == expected
    assert is_cached(fresh("ja"))  # rebuilt


def first_lazy(value):
    """The first value of an entry's body kept encoded (`["lazy", length, bytes]`, gpbt/cache_codec.py)."""
    if isinstance(value, list) and value and value[0] == "lazy":
        return value
    for item in value if isinstance(value, (list, tuple)) else ():
        found = first_lazy(item)
        if found is not None:
            return found
    return None


def test_the_alternatives_are_decoded_only_when_read_and_a_damaged_set_is_a_clear_error(cache_dir):
    """A warm load leaves each rule's alternatives encoded (the compiled code holds them); tracing reads them. If
    they were damaged on disk behind an intact entry, the trace fails with an error that says how to recover."""
    import marshal

    expected = fresh("ja").essay("猫", seed=2, trace=True)
    warm = fresh("ja")
    assert all(type(rule.choices) is not tuple for rule in warm.grammar.rules)  # still encoded
    assert warm.generate("猫", seed=2) == expected.text
    assert warm.essay("猫", seed=2, trace=True).trace == expected.trace  # decoded on demand, same trace
    entry = entry_file(cache_dir)
    data = entry.read_bytes()
    size = int.from_bytes(data[len(cache.MAGIC):len(cache.MAGIC) + 4], "little")
    body = marshal.loads(data[len(cache.MAGIC) + 4 + size:])
    first_lazy(body["grammar"])[2] = b"not marshal data"  # the first rule's alternatives, still encoded
    entry.write_bytes(data[:len(cache.MAGIC) + 4 + size] + marshal.dumps(body))
    damaged = fresh("ja")
    assert damaged.generate("猫", seed=2) == expected.text  # generating never reads them
    result = subprocess.run([sys.executable, "-m", "gpbt", "generate", "猫", "-s", "ja", "--seed", "2", "--format",
                             "json", "--trace"], capture_output=True, text=True, env={**os.environ})
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "damaged" in result.stderr and "gpbt cache clear" in result.stderr


def test_an_entry_owned_by_someone_else_is_ignored(cache_dir):
    if os.getuid() != 0:
        pytest.skip("changing a file's owner needs root")
    fresh("en")
    os.chown(entry_file(cache_dir), 65534, 65534)
    assert not is_cached(fresh("en"))


def test_an_unreadable_entry_is_ignored(cache_dir):
    fresh("en")
    entry = entry_file(cache_dir)
    entry.unlink()
    entry.mkdir()  # something at the entry's path that cannot be read as a file
    style = fresh("en")
    assert not is_cached(style) and style.generate("cats", seed=1)


def test_a_folder_that_cannot_be_written_means_no_caching(cache_dir, tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("GPBT_CACHE_DIR", str(blocker / "cache"))  # its parent is a file: nothing can be made
    assert fresh("en").generate("cats", seed=1) == uncached("en").generate("cats", seed=1)


def test_processes_loading_at_once_never_see_half_an_entry(cache_dir):
    code = ("import gpbt, sys; s = gpbt.load_style('zh'); "
            "sys.stdout.write(s.generate('x', seed=5, length=800))")
    env = {**os.environ, "GPBT_CACHE_DIR": str(cache_dir)}
    for _ in range(2):  # a cold race (all write), then a warm one (all read while one may still write)
        runs = [subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 env=env) for _ in range(4)]
        outputs = [run.communicate() for run in runs]
        assert all(run.returncode == 0 for run in runs), [err for _, err in outputs]
        assert len({out for out, _ in outputs}) == 1
    assert [p.name for p in cache_dir.iterdir() if p.name.endswith(".tmp")] == []  # no temporary file left


def test_styles_held_in_memory_are_not_cached(cache_dir):
    gpbt.load_style_from_sources({"s.gpbt": "s: x\n"})
    assert not cache_dir.exists() or cache.info()["entries"] == 0


def test_a_style_copied_elsewhere_gets_its_own_entry(cache_dir, tmp_path):
    shutil.copytree(FIXTURES / "folder_style", tmp_path / "copy")
    fresh(FIXTURES / "folder_style")
    fresh(tmp_path / "copy")
    assert cache.info()["entries"] == 2


def test_files_are_named_as_the_caller_spelled_them(cache_dir, monkeypatch):
    monkeypatch.chdir(FIXTURES.parent)
    absolute = fresh(FIXTURES / "demo.gpbt").essay("猫", seed=1, trace=True)
    relative = fresh("fixtures/demo.gpbt").essay("猫", seed=1, trace=True)
    assert absolute.trace[0]["file"] == str(FIXTURES / "demo.gpbt")
    assert relative.trace[0]["file"] == "fixtures/demo.gpbt"


# ---- the command line: `gpbt cache`, `--no-cache`, and commands that never import lark when warm ------------------
def gpbt_run(cache_dir: Path, *args: str, probe: bool = False) -> subprocess.CompletedProcess:
    """Run `gpbt ARGS` in a child process; with `probe`, stderr's last two lines say whether pathlib and lark were
    imported (atexit runs the last registered first)."""
    code = ("import atexit, sys\n"
            "atexit.register(lambda: print('lark imported:', 'lark' in sys.modules, file=sys.stderr))\n"
            "atexit.register(lambda: print('pathlib imported:', 'pathlib' in sys.modules, file=sys.stderr))\n"
            "from gpbt.cli import main\nmain(prog_name='gpbt')\n") if probe else "from gpbt.cli import main; main()"
    env = {**os.environ, "GPBT_CACHE_DIR": str(cache_dir)}
    env.pop("GPBT_NO_CACHE", None)
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env)


@pytest.mark.parametrize("args", [["--version"], ["--help"], ["styles"], ["generate", "学生会退会", "--seed", "1"]],
                         ids=" ".join)
def test_start_up_commands_never_import_lark_when_warm(cache_dir, args):
    gpbt_run(cache_dir, "styles")
    gpbt_run(cache_dir, "generate", "x")  # fill the cache
    result = gpbt_run(cache_dir, *args, probe=True)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines()[-1] == "lark imported: False"
    if args[0] in ("styles", "generate"):  # the warm path handles paths as strings: pathlib costs 5 ms to import
        assert result.stderr.splitlines()[-2] == "pathlib imported: False"


def test_styles_reads_the_summaries_without_decoding_a_grammar(cache_dir, monkeypatch):
    first = gpbt_run(cache_dir, "styles", "--format", "json")
    expected = uncached("zh").facts.summary()
    monkeypatch.setattr(cache, "decode_entry", lambda entry: pytest.fail("styles decoded an entry"))
    monkeypatch.setattr(gpbt.Environment, "load", lambda *a, **k: pytest.fail("styles loaded a style"))
    summaries = [gpbt.Environment().summary(name) for name in ("en", "ja", "zh")]
    assert [row["description"] for row in summaries] == [row["description"] for row in
                                                         __import__("json").loads(first.stdout)]
    assert summaries[2] == expected


def test_cache_info_and_clear_and_no_cache(cache_dir):
    assert gpbt_run(cache_dir, "--no-cache", "generate", "x").returncode == 0
    assert not cache_dir.exists() or not list(cache_dir.glob("*.gpbtc"))
    gpbt_run(cache_dir, "generate", "x", "--style", "en")
    info = gpbt_run(cache_dir, "cache", "info")
    assert info.returncode == 0 and f"folder   {cache_dir}" in info.stdout and "entries  1" in info.stdout
    as_json = __import__("json").loads(gpbt_run(cache_dir, "cache", "info", "--format", "json").stdout)
    assert as_json["entries"] == 1 and as_json["enabled"] is True and as_json["bytes"] > 0
    cleared = gpbt_run(cache_dir, "cache", "clear")
    assert cleared.returncode == 0 and "removed 1 cache entries" in cleared.stderr
    assert "entries  0" in gpbt_run(cache_dir, "cache", "info").stdout


def test_the_kept_parser_is_private_and_a_damaged_one_is_rebuilt_quietly(cache_dir):
    code = ("import gpbt, sys; gpbt.Environment(cache=False).load(sys.argv[1]); "
            "from gpbt.readers.rules import lark_parser; print(lark_parser().options.cache)")
    env = {**os.environ, "GPBT_CACHE_DIR": str(cache_dir)}
    run = lambda: subprocess.run([sys.executable, "-c", code, str(FIXTURES / "demo.gpbt")], capture_output=True,
                                 text=True, env=env)
    first = run()
    kept, = cache_dir.glob("lark-parser-*.cache")
    assert first.stdout.strip() == str(kept) and stat.S_IMODE(cache_dir.stat().st_mode) == 0o700
    kept.write_bytes(b"not a parser at all")
    second = run()
    assert second.returncode == 0 and second.stderr == ""
    assert kept.read_bytes() != b"not a parser at all"  # rebuilt and kept again
    assert cache.clear() == 0 and not kept.exists()  # cleared with the entries (no style entry: cache=False)
    no_cache = subprocess.run([sys.executable, "-c", code, str(FIXTURES / "demo.gpbt")], capture_output=True,
                              text=True, env={**env, "GPBT_NO_CACHE": "1"})
    assert no_cache.stdout.strip() == "False" and not kept.exists()
