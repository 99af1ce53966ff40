"""`gpbt serve` under load: /api/essay at length 6000 against a baseline endpoint of the same app that returns a
fixed 6000-character text, and the playground's check+preview round trip for an edit of one zh file.

    python bench/bench_serve.py [--requests 20000] [--clients 4] [--batch 200]

Starts uvicorn (one worker, the app factory) in a child process on 127.0.0.1 and sends requests to it only; stops by
itself after the given number of requests. The two endpoints are driven in alternating batches by the same clients,
so a noisy neighbour slows both alike. Prints for each: requests/s, p50 and p99 latency (wall clock: that is what a
client waits), the server's CPU time per request (from /proc), errors, and the server's memory (RSS) after each
quarter of the run; then the ratios against the baseline. Needs the test extra (httpx).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
TOPIC = "学生会退会"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def drive(client: httpx.AsyncClient, url: str, count: int, clients: int, record: dict) -> None:
    """`count` GETs of `url` (SEED replaced by a fresh number each time: every essay is a new one) from `clients`
    concurrent clients; latencies and errors into `record`."""
    queue = iter(range(count))

    async def one_client() -> None:
        for number in queue:
            record["sent"] += 1
            started = time.perf_counter()
            try:
                response = await client.get(url.replace("SEED", str(record["sent"])))
                ok = response.status_code == 200 and len(response.json()["text"]) >= 6000
            except httpx.HTTPError:
                ok = False
            record["latencies"].append(time.perf_counter() - started)
            record["errors"] += not ok

    started = time.perf_counter()
    await asyncio.gather(*(one_client() for _ in range(clients)))
    record["seconds"] += time.perf_counter() - started


async def load_run(base: str, pid: int, requests: int, clients: int, batch: int) -> dict:
    essay = {"latencies": [], "errors": 0, "seconds": 0.0, "cpu": 0.0, "sent": 0}
    baseline = {"latencies": [], "errors": 0, "seconds": 0.0, "cpu": 0.0, "sent": 0}
    memory = [rss_mib(pid)]
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
        done = 0
        while done < requests:
            size = min(batch, requests - done)
            for record, url in [(essay, f"/api/essay?topic={TOPIC}&length=6000&seed=SEED"),
                                (baseline, "/api/baseline")]:
                before = cpu_seconds(pid)
                await drive(client, url, size, clients, record)
                record["cpu"] += cpu_seconds(pid) - before
            done += size
            if done * 4 // requests > len(memory) - 1:
                memory.append(rss_mib(pid))
    return {"essay": essay, "baseline": baseline, "memory": memory}


async def playground_run(base: str, edits: int) -> list[float]:
    """check+preview round trips, each after an edit of one zh file (the other three unchanged): a word typed into
    one alternative in the middle of the file, as a writer would, so the edited rule is parsed again."""
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        files = (await client.get("/api/style-files?style=zh")).json()["files"]
        edited = next(name for name in files if "句子" in name)
        lines = files[edited].split("\n")
        middle = next(number for number in range(len(lines) // 2, len(lines))
                      if lines[number].startswith((" ", "\t")) and lines[number].strip())
        times = []
        for edit in range(edits):
            changed = dict(files)
            typed = lines[:middle] + [lines[middle] + f"又{edit}"] + lines[middle + 1:]
            changed[edited] = "\n".join(typed)
            started = time.perf_counter()
            body = (await client.post("/api/preview", json={"files": changed, "topic": TOPIC, "seed": edit,
                                                            "length": 600})).json()
            times.append(time.perf_counter() - started)
            assert body["ok"], body
        return times


def summary(name: str, record: dict) -> dict:
    latencies = sorted(record["latencies"])
    count = len(latencies)
    figures = {"rps": count / record["seconds"], "p50": statistics.median(latencies),
               "p99": latencies[min(count - 1, int(count * 0.99))], "cpu": record["cpu"] / count,
               "errors": record["errors"]}
    print(f"{name:>9}: {count} requests, {figures['rps']:8.1f} req/s, p50 {figures['p50'] * 1000:6.2f} ms, "
          f"p99 {figures['p99'] * 1000:6.2f} ms, server CPU {figures['cpu'] * 1000:5.2f} ms/request, "
          f"{figures['errors']} errors")
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20_000, help="requests to /api/essay (and as many to the "
                        "baseline)")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument("--edits", type=int, default=100)
    args = parser.parse_args()
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "uvicorn", "--factory", "gpbt.web:create_app", "--host",
                               "127.0.0.1", "--port", str(port), "--log-level", "warning"], cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(base + "/api/styles", timeout=1)
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("the server did not start")
                time.sleep(0.1)
        asyncio.run(load_run(base, server.pid, 2 * args.batch, args.clients, args.batch))  # warm up
        result = asyncio.run(load_run(base, server.pid, args.requests, args.clients, args.batch))
        essay = summary("essay", result["essay"])
        baseline = summary("baseline", result["baseline"])
        print(f"throughput ratio essay/baseline: {essay['rps'] / baseline['rps']:.2f} (target >= 0.6)")
        print(f"p99 ratio essay/baseline: {essay['p99'] / baseline['p99']:.2f} (target <= 2)")
        print("server RSS (MiB) at 0, 1/4, 1/2, 3/4, all: " + ", ".join(f"{m:.1f}" for m in result["memory"]))
        before = cpu_seconds(server.pid)
        times = sorted(asyncio.run(playground_run(base, args.edits)))
        cpu = (cpu_seconds(server.pid) - before) / len(times)
        print(f"playground check+preview, one zh file edited: p50 {statistics.median(times) * 1000:.1f} ms, "
              f"p99 {times[min(len(times) - 1, int(len(times) * 0.99))] * 1000:.1f} ms over {len(times)} edits, "
              f"server CPU {cpu * 1000:.1f} ms/edit (target p50 <= 100 ms)")
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    main()
