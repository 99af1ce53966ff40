"""`gpbt lsp` as an editor feels it: how long after an edit do fresh diagnostics arrive, over a real stdio connection.

    python bench/bench_lsp.py [--edits 30]

Copies the shipped zh style to a temporary folder, starts `python -m gpbt lsp` as a child process and speaks
JSON-RPC to it over its stdin and stdout (no other process is contacted), initializes, opens every file of the style
and waits for their first diagnostics. Then it edits 句子.gpbt the way an editor does (incremental changes): append a
comment, change a word, misspell a rule name, fix it, leave a brace open, fix it, and again. Each edit is timed from
sending `textDocument/didChange` to receiving that file's `publishDiagnostics`, which must be the expected ones (an
error after a breaking edit, none after the others). Prints p50, p90 and max wall-clock latency against the target
(p50 <= 100 ms), the median by kind of edit, and the server's CPU time per edit (from /proc). In the same run, in
process: a cold analysis of zh from in-memory sources (`gpbt.Environment(DictLoader(...), cache=False).analyse()`,
every file parsed and checked) and the warm re-analysis after one file changed that the server does per edit, each
the median of 5, with the ratios. Stops by itself: every wait has a time-out, and the server is shut down (killed if
it will not go) at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from gpbt import Environment  # noqa: E402
from gpbt.loaders import DictLoader, shipped_root  # noqa: E402

EDITED = "句子.gpbt"
TIMEOUT = 30.0  # seconds any one answer may take before the run is abandoned
TARGET_P50 = 0.100
ERROR = 1  # DiagnosticSeverity.Error


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def file_uri(path: Path) -> str:
    return path.absolute().as_uri()


def position(text: str, index: int) -> dict[str, int]:
    """The protocol position (0-based line, UTF-16 column) of the code point `index` of `text`."""
    line = text.count("\n", 0, index)
    start = text.rfind("\n", 0, index) + 1
    return {"line": line, "character": len(text[start:index].encode("utf-16-le")) // 2}


def incremental_change(old: str, new: str) -> dict[str, Any]:
    """The smallest one-range change that turns `old` into `new`, as an editor would send it."""
    prefix = 0
    while prefix < min(len(old), len(new)) and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < min(len(old), len(new)) - prefix and old[-1 - suffix] == new[-1 - suffix]:
        suffix += 1
    return {"range": {"start": position(old, prefix), "end": position(old, len(old) - suffix)},
            "text": new[prefix:len(new) - suffix]}


def edits(clean: str) -> Callable[[int], tuple[str, str, str | None]]:
    """Edit number i of the cycle: (label, new text, the error code its diagnostics must hold, or None for none)."""
    word = ("，说到底是一个{问题类型}", "，归根结底是一个{问题类型}")
    typo = ("{问句开头}{主语}{问句尾}", "{问句开头}{主语}{问句尾巴}")
    brace = ("{比喻开头}{主语}就像{比喻}。", "{比喻开头}{主语}就像{比喻。")
    for old, _ in (word, typo, brace):
        assert old in clean, f"{EDITED} no longer holds {old!r}: update the bench's edits"
    state = {"text": clean}

    def edit(number: int) -> tuple[str, str, str | None]:
        text = state["text"]
        step = number % 6
        if step == 0:
            label, new, expect = "append a comment", text + f"# edit {number}\n", None
        elif step == 1:
            swap = word if word[0] in text else word[::-1]
            label, new, expect = "change a word", text.replace(swap[0], swap[1], 1), None
        elif step == 2:
            label, new, expect = "misspell a reference", text.replace(typo[0], typo[1], 1), "undefined-name"
        elif step == 4:
            label, new, expect = "leave a brace open", text.replace(brace[0], brace[1], 1), "unclosed-reference"
        else:
            label, new, expect = "fix it", text.replace(typo[1], typo[0], 1).replace(brace[1], brace[0], 1), None
        state["text"] = new
        return label, new, expect

    return edit


class Client:
    """A minimal LSP client over a child process's stdin and stdout: requests, notifications and the server's
    publishDiagnostics, each kept with the time it arrived."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.ids = itertools.count(1)
        self.pending: dict[int, asyncio.Future] = {}
        self.published: dict[str, list[tuple[float, list[dict]]]] = {}
        self.arrived = asyncio.Event()
        self.reader = asyncio.create_task(self.read_loop())

    def send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}, ensure_ascii=False).encode("utf-8")
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def notify(self, method: str, params: dict[str, Any] | None = None) -> None:
        self.send({"method": method, "params": params})

    async def request(self, method: str, params: dict[str, Any] | None = None) -> Any:
        number = next(self.ids)
        future = self.pending[number] = asyncio.get_running_loop().create_future()
        self.send({"id": number, "method": method, "params": params})
        return await asyncio.wait_for(future, TIMEOUT)

    async def read_loop(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        while True:
            length = 0
            while (line := await stream.readline()) not in (b"\r\n", b""):
                name, _, value = line.decode("ascii").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            if not line:
                return
            message = json.loads(await stream.readexactly(length))
            self.dispatch(message, time.perf_counter())

    def dispatch(self, message: dict[str, Any], when: float) -> None:
        if "id" in message and "method" not in message:
            future = self.pending.pop(message["id"], None)
            if future is not None and not future.done():
                future.set_result(message.get("result"))
        elif "id" in message:  # a request from the server (progress, registration): accept it
            self.send({"id": message["id"], "result": None})
        elif message.get("method") == "textDocument/publishDiagnostics":
            params = message["params"]
            self.published.setdefault(params["uri"], []).append((when, params["diagnostics"]))
            self.arrived.set()

    async def until(self, done: Callable[[], bool]) -> None:
        """Wait until `done()` holds after some publishDiagnostics arrived."""
        deadline = time.perf_counter() + TIMEOUT
        while not done():
            self.arrived.clear()
            left = deadline - time.perf_counter()
            if left <= 0:
                raise TimeoutError("the server sent no expected diagnostics in time")
            try:
                await asyncio.wait_for(self.arrived.wait(), left)
            except asyncio.TimeoutError:
                pass

    def count(self, uri: str) -> int:
        return len(self.published.get(uri, []))


def percentile(sorted_values: list[float], fraction: float) -> float:
    return sorted_values[min(len(sorted_values) - 1, int(len(sorted_values) * fraction))]


async def run_server(style: Path, edit_count: int) -> tuple[list[tuple[str, float]], list[float], list[str]]:
    """(kind of edit, latency) and server CPU per edit (seconds), and a line for every edit whose diagnostics were
    not the expected ones."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    process = await asyncio.create_subprocess_exec(sys.executable, "-m", "gpbt", "lsp", cwd=ROOT, env=env,
                                                   stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE)
    client = Client(process)
    try:
        await client.request("initialize", {"processId": os.getpid(), "rootUri": file_uri(style),
                                            "capabilities": {"textDocument": {"publishDiagnostics": {}}}})
        client.notify("initialized", {})
        files = sorted(style.glob("*.gpbt"))
        texts = {path: path.read_text(encoding="utf-8") for path in files}
        for path in files:
            client.notify("textDocument/didOpen", {"textDocument": {
                "uri": file_uri(path), "languageId": "gpbt", "version": 1, "text": texts[path]}})
        last = file_uri(files[-1])
        await client.until(lambda: client.count(last) > 0 and all(client.count(file_uri(p)) for p in files))
        await asyncio.sleep(0.2)  # let any publish of the earlier opens drain
        unclean = [path.name for path in files
                   if any(d.get("severity") == ERROR for d in client.published[file_uri(path)][-1][1])]
        assert not unclean, f"the shipped zh style opens with errors in {unclean}"
        edited = style / EDITED
        uri = file_uri(edited)
        make_edit = edits(texts[edited])
        latencies, cpu, wrong = [], [], []
        text = texts[edited]
        for number in range(edit_count):
            label, new, expect = make_edit(number)
            counts = {file_uri(p): client.count(file_uri(p)) for p in files}
            cpu_before = cpu_seconds(process.pid)
            sent = time.perf_counter()
            client.notify("textDocument/didChange", {
                "textDocument": {"uri": uri, "version": number + 2},
                "contentChanges": [incremental_change(text, new)]})
            text = new
            # one publish for every open file of the style; the edited file's is the one timed
            await client.until(lambda: all(client.count(key) > seen for key, seen in counts.items()))
            cpu.append(cpu_seconds(process.pid) - cpu_before)
            arrived, diagnostics = client.published[uri][counts[uri]]
            latencies.append((label, arrived - sent))
            errors = {d.get("code") for d in diagnostics if d.get("severity") == ERROR}
            if (expect is None and errors) or (expect is not None and expect not in errors):
                wrong.append(f"edit {number} ({label}): expected {expect or 'no error'}, got {sorted(errors)}")
        await client.request("shutdown")
        client.notify("exit")
        await asyncio.wait_for(process.wait(), TIMEOUT)
        return latencies, cpu, wrong
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
        client.reader.cancel()


def timed(action: Callable[[], object]) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    action()
    return time.perf_counter() - wall, time.process_time() - cpu


def in_process(style: Path, runs: int = 5) -> tuple[tuple[float, float], tuple[float, float]]:
    """Median (wall, CPU) of a cold analysis of the style from in-memory sources (a fresh environment: every file
    parsed and checked) and of a warm re-analysis after one file changed (what the server does per edit). The
    parser is built before either is timed, as it is in a running server."""
    sources = {path.name: path.read_text(encoding="utf-8") for path in sorted(style.glob("*.gpbt"))}
    Environment(DictLoader({"warm-up.gpbt": "a: b\n"}), cache=False).analyse()
    cold = [timed(lambda: Environment(DictLoader(sources, "zh"), cache=False).analyse()) for _ in range(runs)]
    environment = Environment(DictLoader(sources, "zh"), cache=False)
    assert not environment.analyse().errors
    warm = []
    for number in range(runs):
        environment.loader = DictLoader(dict(sources, **{EDITED: sources[EDITED] + f"# edit {number}\n"}), "zh")
        warm.append(timed(environment.analyse))
    return ((statistics.median(w for w, _ in cold), statistics.median(c for _, c in cold)),
            (statistics.median(w for w, _ in warm), statistics.median(c for _, c in warm)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="gpbt-bench-lsp-") as folder:
        style = Path(folder) / "zh"
        shutil.copytree(shipped_root() / "zh", style)
        (cold_wall, cold_cpu), (warm_wall, warm_cpu) = in_process(style)
        latencies, cpu, wrong = asyncio.run(run_server(style, args.edits))
    ordered = sorted(latency for _, latency in latencies)
    p50, p90 = statistics.median(ordered), percentile(ordered, 0.9)
    print(f"gpbt lsp, zh style ({len(list(shipped_root().joinpath('zh').glob('*.gpbt')))} files open), "
          f"{len(latencies)} edits of {EDITED} over stdio:")
    print(f"  diagnostics after an edit: p50 {p50 * 1000:.1f} ms (target <= {TARGET_P50 * 1000:.0f} ms: "
          f"{'met' if p50 <= TARGET_P50 else 'NOT met'}), p90 {p90 * 1000:.1f} ms, max {ordered[-1] * 1000:.1f} ms")
    kinds = dict.fromkeys(label for label, _ in latencies)
    print("  p50 by edit: " + ", ".join(
        f"{kind} {statistics.median(t for k, t in latencies if k == kind) * 1000:.1f} ms" for kind in kinds))
    print(f"  server CPU per edit: mean {statistics.mean(cpu) * 1000:.1f} ms (/proc counts in "
          f"{1000 / os.sysconf('SC_CLK_TCK'):.0f} ms ticks)")
    print(f"  diagnostics as expected: {len(latencies) - len(wrong)}/{len(latencies)}")
    for line in wrong:
        print(f"    {line}")
    print(f"in process, zh from memory (median of 5): cold analysis {cold_wall * 1000:.1f} ms wall, "
          f"{cold_cpu * 1000:.1f} ms CPU; re-analysis after one file changed {warm_wall * 1000:.1f} ms wall, "
          f"{warm_cpu * 1000:.1f} ms CPU")
    print(f"  ratio p50 latency / cold analysis: {p50 / cold_wall:.2f}; / re-analysis: {p50 / warm_wall:.2f}")
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} "
          "(wall clock grows with it, CPU time less)")
    if wrong:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
