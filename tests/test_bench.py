"""``python -m compare bench`` names every figure of the performance section beside its yardstick and target.

The measurements themselves are replaced by fixed numbers here (a real run takes minutes and its times depend on
the machine's load): what is checked is that each figure is reported, with its target and whether it is met, and
that the timing helper calls what it compares in turns. No test asserts a wall time.
"""

from __future__ import annotations

import pytest

from compare.cli import bench

FIGURES = ("command line: python -m compare --help", "command line: a usage error",
           "one NumPy candidate in its worker", "manual.grad, float64: floor / manual",
           "manual.grad, float32: floor / manual", "autodiff.grad, float64: / raw jit",
           "autodiff.grad, float32: / raw jit", "any size, right", "any size, wrong", "cold first run")
SLOW = ("any size, right", "any size, wrong", "cold first run")


@pytest.fixture
def stubbed(monkeypatch):
    """bench with every measurement replaced by fixed numbers."""
    monkeypatch.setattr(bench, "bench_cli", lambda repeat: {"python": 0.02, "help": 0.2, "usage_error": 0.5})
    monkeypatch.setattr(bench, "bench_oracle", lambda n, seed: {"cases": n, "first_s": 2.0, "warm_s": 1.0})
    monkeypatch.setattr(bench, "bench_naive", lambda k: 3.0)
    monkeypatch.setattr(bench, "bench_candidate",
                        lambda n, seed, repeat=3: {"cases": n, "in_process_s": 1.0, "worker_s": n / 3500})
    monkeypatch.setattr(bench, "bench_net", lambda dtype, repeat: {"floor": 0.0095, "manual": 0.01, "autodiff": 0.02,
                                                                   "raw_jit": 0.01, "floor/manual": 0.95,
                                                                   "autodiff/raw_jit": 2.0})
    monkeypatch.setattr(bench, "bench_any_size", lambda which, repeat: {"run": 2.5 if which == "right" else 4.0,
                                                                        "own": 0.3})
    monkeypatch.setattr(bench, "bench_cold", lambda repeat: {"cold": 20.0, "warm": 5.0})


def _table(out: str) -> dict[str, str]:
    """The closing table's lines, by figure name (the text before the value)."""
    table = out.split("\n\n")[-1].splitlines()[1:]
    return {name: line for line in table for name in FIGURES if line.startswith(name)}


def test_bench_reports_every_figure_with_its_target_and_verdict(stubbed, capsys):
    assert bench.main(["--examples", "10", "--repeat", "1"]) == 0
    rows = _table(capsys.readouterr().out)
    assert set(rows) == set(FIGURES)
    expected = {"command line: python -m compare --help": ("< 0.3 s", "met"),
                "command line: a usage error": ("< 0.3 s", "NOT met"),
                "one NumPy candidate in its worker": (">= 3,000 cases/s", "met"),
                "manual.grad, float64: floor / manual": (">= 90 %", "met"),
                "autodiff.grad, float64: / raw jit": ("<= 1.1x", "NOT met"),
                "any size, right": ("<= 3 s warm", "met"),
                "any size, wrong": ("<= 3 s warm", "NOT met"),
                "cold first run": ("as short as it can be", "-")}
    for name, (target, verdict) in expected.items():
        assert target in rows[name], rows[name]
        assert rows[name].rstrip().endswith(f"  {verdict}"), rows[name]


def test_skip_slow_leaves_out_the_slow_figures_only(stubbed, capsys):
    assert bench.main(["--examples", "10", "--repeat", "1", "--skip-slow"]) == 0
    rows = _table(capsys.readouterr().out)
    assert set(rows) == set(FIGURES) - set(SLOW)


def test_median_times_calls_each_function_in_turns():
    calls: list[str] = []
    times = bench._median_times({name: (lambda n=name: calls.append(n)) for name in "abc"}, 4)
    assert set(times) == {"a", "b", "c"}
    assert sorted(calls[:3]) == ["a", "b", "c"]                  # one warm-up call of each
    for r in range(4):                                           # then one call of each per round
        assert sorted(calls[3 + 3 * r:6 + 3 * r]) == ["a", "b", "c"]
