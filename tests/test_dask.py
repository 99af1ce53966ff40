"""Bulk runs on a Dask cluster: a real `LocalCluster` (two worker processes on loopback) gives the same essays in the
same order as one machine; without Dask the option says which extra to install."""

from __future__ import annotations

import sys

import pytest

import gpbt
from conftest import DEMO
from gpbt.bulk import Run, StyleRecipe, dask_client_class, essays_on_dask, recipe_for


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None, worker_dashboard_address=None) as local:
        yield local


@pytest.fixture(scope="module")
def client(cluster):
    from distributed import Client

    with Client(cluster) as connected:
        yield connected


def texts(essays) -> list[tuple[str | None, int | None, str]]:
    return [(essay.topic, essay.seed, essay.text) for essay in essays]


def test_a_cluster_writes_what_one_machine_writes(cluster, demo):
    run = Run.of(["甲", "乙"], count=11, seed=5, length=150)
    on_cluster = texts(essays_on_dask(recipe_for(demo, DEMO), run, cluster.scheduler_address, chunk=2))
    assert on_cluster == texts(run.essays(demo))


def numbered(essay: gpbt.Essay, number: int) -> tuple[int, str]:
    """A caller's render function, shipped to the cluster by name."""
    return number, essay.text


def test_a_render_function_runs_on_the_cluster(client, demo):
    run = Run.of(["甲", "乙"], count=5, seed=2, length=120)
    made = list(essays_on_dask(recipe_for(demo, DEMO), run, client, chunk=3, render=numbered))
    assert made == [(number, essay.text) for number, essay in enumerate(run.essays(demo))]


def test_a_style_shipped_as_sources(client, make_style):
    style = make_style("@start s\ns (random): 甲 | 乙 | 丙 | 丁\n")
    run = Run.of(count=30, seed=1)
    assert texts(essays_on_dask(recipe_for(style), run, client)) == texts(run.essays(style))


def test_errors_on_the_workers_reach_the_caller(client):
    mismatched = StyleRecipe(spec=DEMO, fingerprint="not the demo's")
    with pytest.raises(gpbt.UsageError) as info:
        list(essays_on_dask(mismatched, Run.of(count=2, seed=1), client))
    assert info.value.diagnostics[0].code == "style-mismatch"


def test_without_dask_the_error_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed now fails
    with pytest.raises(gpbt.UsageError) as info:
        dask_client_class()
    assert info.value.exit_code == 2 and "gpbt[dask]" in info.value.diagnostics[0].hint


def test_the_command_on_a_cluster_writes_the_bytes_of_one_machine(cluster, tmp_path):
    from click.testing import CliRunner

    from gpbt.cli import main

    args = ["generate", "甲", "乙", "--style", DEMO, "--seed", "8", "--count", "9", "-n", "150", "--format", "jsonl"]
    alone = CliRunner().invoke(main, args, catch_exceptions=False)
    out = tmp_path / "out.jsonl"
    spread = CliRunner().invoke(main, [*args, "--scheduler", cluster.scheduler_address, "-o", str(out)],
                                catch_exceptions=False)
    assert alone.exit_code == spread.exit_code == 0
    assert out.read_text(encoding="utf-8") == alone.output
