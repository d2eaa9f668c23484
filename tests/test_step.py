"""The step check: a gradient-descent step and an epoch of mini-batches against W - eta * grad W from jax.grad."""

import pathlib

import numpy as np
import oracle_cli

import autodiff
import manual
from compare import check_epoch, check_step
from compare.controls.steps.table import run_step_controls
from compare.oracle.cases.cases import draw_cases
from compare.oracle.checks.epoch import draw_epochs
from compare.oracle.reference.step import ETA_MAX, ETA_MIN, draw_etas

ROOT = pathlib.Path(__file__).resolve().parent.parent
CONTROL = ROOT / "compare" / "controls" / "steps"


def test_step_controls_kill_table_is_all_green():
    """Every wrong step control is caught and diagnosed as its own mistake; every right one passes."""
    rows = run_step_controls(120, seed=0)
    bad = [(r.name, r.caught, r.diagnosed) for r in rows if not r.ok]
    assert not bad, f"step controls misjudged: {bad}"
    assert {r.expect for r in rows} == {"right", "wrong"}


def _single(train):
    """A backend's single step as step(params, x, y, eta): its train for one epoch of one batch (no shuffle)."""
    def step(params, x, y, eta):
        X, Y = np.atleast_2d(x), np.atleast_2d(y)
        return train(params, X, Y, eta=eta, epochs=1, batch_size=None)
    return step


def _fixed_order(train, seed=3):
    """A backend's train as epoch(params, X, Y, eta, k) visiting the rows in the order given: its rows are
    handed over pre-permuted by the inverse of the permutation its rng(seed) will draw."""
    def epoch(params, X, Y, eta, k):
        m = X.shape[0]
        if k >= m:
            return train(params, X, Y, eta=eta, epochs=1, batch_size=k, seed=seed)
        perm = np.random.default_rng(seed).permutation(m)
        inv = np.empty(m, int)
        inv[perm] = np.arange(m)
        return train(params, X[inv], Y[inv], eta=eta, epochs=1, batch_size=k, seed=seed)
    return epoch


def test_both_backends_single_step_pass():
    """manual's and autodiff's train, one step, agree with the reference step on every case."""
    cases = draw_cases(100, seed=5)
    for train, n in ((manual.train, 100), (autodiff.train, 16)):     # autodiff compiles once per shape
        report = check_step(_single(train), cases[:n], seed=5)
        assert report.ok, (train.__module__, report.diagnosis, report.smallest)


def test_both_backends_epoch_with_fixed_order_pass():
    """manual's and autodiff's train, one epoch of mini-batches in a fixed order, agree step by step."""
    epochs = draw_epochs(30, seed=6)
    for train, n in ((manual.train, 30), (autodiff.train, 2)):   # each prefix compiles anew
        report = check_epoch(_fixed_order(train), epochs[:n])
        assert report.ok, (train.__module__, report.diagnosis, report.smallest)


def test_a_step_that_does_nothing_fails_where_the_reference_moves():
    """Doing nothing passes exactly the cases where eta * grad is below the tolerance, and fails the rest."""
    report = check_step(lambda params, x, y, eta: None, draw_cases(200, seed=2), seed=2)
    assert not report.ok and report.failed == report.moved_cases > 0
    assert report.mistakes == ("no_update",)


def test_etas_reach_below_ulp_and_large_steps():
    """The drawn etas span the stated range, down to steps far below ulp(W) of float32."""
    etas = draw_etas(2000, seed=0)
    assert ETA_MIN <= min(etas) < 1e-7 and 1.0 < max(etas) <= ETA_MAX


def test_modifying_x_fails_and_modes_are_detected():
    """A step that changes x fails; in-place and returning steps are told apart."""
    cases = draw_cases(40, seed=1)

    def returns(params, x, y, eta):
        return [(W - 0 * eta, b) for W, b in params]

    def mutates(params, x, y, eta):
        x[...] = 0

    assert set(check_step(returns, cases).modes) == {"returned"}
    r = check_step(mutates, cases)
    assert r.smallest.failure.kind == "mutation"


def test_cli_step_reports_summed_minibatch_with_exit_1():
    """python -m compare --step on a summed mini-batch: exit 1, the diagnosis names it, a reproduce line."""
    out = oracle_cli.run(["--step", f"{CONTROL / 'wrong_summed.py'}", "--examples", "200"])
    assert out.returncode == 1, out.stderr
    assert "[summed] the mini-batch summed instead of averaged" in out.stdout and "--eta" in out.stdout
    ok = oracle_cli.run(["--step", f"{CONTROL / 'right_in_place.py'}", "--examples", "200"])
    assert ok.returncode == 0, ok.stdout + ok.stderr


def test_cli_step_json_is_the_report_as_data():
    """--step --json prints the step report as JSON: ok, the failure count, the smallest failing case's spec and
    the diagnosis' mistake key; a right step's JSON says ok."""
    import json

    out = oracle_cli.run(["--step", f"{CONTROL / 'wrong_summed.py'}", "--examples", "100", "--json"])
    assert out.returncode == 1, out.stderr
    report = json.loads(out.stdout)["reports"][0]
    assert report["ok"] is False and report["failed"] > 0 and "sizes=" in report["smallest"]["case_spec"]
    assert report["mistakes"] and report["smallest"]["failure"]["kind"] in ("value", "nonfinite")
    ok = oracle_cli.run(["--step", f"{CONTROL / 'right_in_place.py'}", "--examples", "50", "--json"])
    assert ok.returncode == 0 and json.loads(ok.stdout)["ok"] is True


def test_nielsen_update_mini_batch_passes_with_his_cost_convention_declared():
    """Nielsen's update_mini_batch (his cost has no 1/n_L, so his gradient is n_L times the seed's): --epoch
    --preset nielsen fails it as it stands and passes it with --scale n_L (the expected step is W - eta n_L grad W)."""
    nielsen = ROOT / "tests" / "candidates" / "nielsen_style.py"
    args = ["--epoch", str(nielsen), "--preset", "nielsen", "--examples", "30"]
    out = oracle_cli.run(args)
    assert out.returncode == 1, out.stdout + out.stderr
    ok = oracle_cli.run(args + ["--scale", "n_L"])
    assert ok.returncode == 0 and "all agree" in ok.stdout, ok.stdout + ok.stderr


def test_epoch_honours_sizes_and_dtype():
    """--epoch draws its epochs on the architecture and dtype asked for (it drew its own and ignored them, while
    the reproduce line repeated them beside a contradicting --case)."""
    out = oracle_cli.run(["--epoch", f"{CONTROL / 'wrong_epoch_drops_last.py'}", "--sizes", "2-3-2", "--dtype",
                          "float64", "--examples", "10", "--progress", "off"], timeout=300)
    assert out.returncode == 1, out.stdout + out.stderr
    specs = [line for line in out.stdout.splitlines() if "sizes=" in line]
    assert specs and all("sizes=2-3-2 " in s and "dtype=float64" in s for s in specs), specs


def test_draw_epochs_keeps_a_fixed_eta_and_mini_batch_size():
    """``--eta`` and ``--mini-batch`` fix every drawn epoch's learning rate and size; with a size k the drawn m is
    at least k + 1, so each epoch takes two steps or more."""
    epochs = draw_epochs(40, 3, eta=0.9, batch_size=3)
    assert {e.eta for e in epochs} == {0.9} and {e.batch_size for e in epochs} == {3}
    assert all(e.case.batch >= 4 for e in epochs)
    drawn = draw_epochs(40, 3)
    assert len({e.eta for e in drawn}) > 1 and len({e.batch_size for e in drawn}) > 1


def test_cli_epoch_honours_eta_and_mini_batch_without_case():
    """Code with its own rate and size written in (0.9, one example a step) passes ``--epoch`` with ``--eta 0.9
    --mini-batch 1`` and fails without them: before, both options were read only with ``--case``, and such code
    failed every drawn epoch."""
    def run(*extra):
        return oracle_cli.run(["--epoch", "tests/candidates/fixed_rate_sgd.py", "--examples", "40", "--progress", "off",
                               *extra], timeout=300)
    right = run("--eta", "0.9", "--mini-batch", "1")
    assert right.returncode == 0, right.stdout + right.stderr
    assert run().returncode == 1
