"""The default suite's check of a backend's ``train`` (``compare.oracle.checks.training``): manual's and autodiff's
pass it, and each plausible slip in a training loop fails it."""

from __future__ import annotations

import numpy as np
import oracle_cli
import pytest

import autodiff
import manual
from compare.oracle.cases.cases import draw_cases
from compare.oracle.checks.epoch import draw_epochs
from compare.oracle.checks.training import as_epoch, check_train, probe_failures
from compare.oracle.sandbox.isolation import warnings_raised

CASES = draw_cases(60, 3)
EPOCHS = draw_epochs(30, 3)


def _ok(reports) -> bool:
    return len(reports) == 2 and all(r.ok for r in reports)


def test_manual_train_passes_as_steps_epochs_and_refusal():
    """manual.train, warnings raised: every batch step and every SGD and mini-batch step of every epoch agrees
    with the reference, and a step beyond range is refused."""
    reports = check_train(warnings_raised(manual.train), CASES, EPOCHS, name="manual.train")
    assert _ok(reports), [r.diagnosis for r in reports]
    assert reports[1].cases > len(EPOCHS)              # epochs of several steps were checked step by step


def test_autodiff_train_passes_as_its_peer():
    """autodiff.train, the independent peer (gradients from jax.grad), passes the same check on a few cases (it
    compiles once per shape)."""
    reports = check_train(autodiff.train, CASES[:6], EPOCHS[:4], name="autodiff.train")
    assert _ok(reports), [r.diagnosis for r in reports]


def _slipped(slip: str):
    """manual.train with one slip of a training loop written by hand."""
    def train(params, X, Y, *, eta, epochs, batch_size=None, seed=0, callback=None):
        if not eta > 0 and slip != "no eta check":
            raise ValueError("eta must be > 0")
        m = X.shape[0]
        k = m if batch_size is None else min(batch_size, m)
        rng = np.random.default_rng(seed + 1 if slip == "other shuffle" else seed)
        current = [(W.copy(), b.copy()) for W, b in params]
        for epoch in range(1, epochs + (2 if slip == "extra epoch" else 1)):
            order = np.arange(m) if slip == "no shuffle" or k == m else rng.permutation(m)
            ends = range(0, m - m % k if slip == "drops last" else m, k)
            for start in ends:
                Xb, Yb = X[order][start:start + k], Y[order][start:start + k]
                g = manual.grad(current, Xb, Yb)
                if slip == "summed":
                    g = [(gW * len(Xb), gb * len(Xb)) for gW, gb in g]
                with np.errstate(over="ignore", invalid="ignore"):     # an overflow is refused below
                    current = [(W - eta * gW, b - (0 if slip == "bias fixed" else eta) * gb)
                               for (W, b), (gW, gb) in zip(current, g)]
            if callback is not None and slip != "no callback":
                callback(epoch, [(W.copy(), b.copy()) for W, b in current])
        if not all(np.isfinite(a).all() for pair in current for a in pair):
            raise ValueError("diverged")
        return current
    return train


@pytest.mark.parametrize("slip", ["other shuffle", "no shuffle", "drops last", "summed", "bias fixed",
                                  "extra epoch", "no callback"])
def test_a_training_slip_fails(slip):
    """Ordering the examples otherwise than the documented shuffle, dropping the last smaller mini-batch, summing
    instead of averaging, not updating b, an extra epoch, or a callback never called: some report fails."""
    reports = check_train(_slipped(slip), CASES[:30], EPOCHS, name=slip)
    assert not all(r.ok for r in reports)
    assert _ok(check_train(_slipped("none"), CASES[:30], EPOCHS, name="none"))   # the loop itself is right


def _probe_slip(slip: str):
    """manual.train with one slip that only a probe sees."""
    def train(params, X, Y, *, eta, epochs, batch_size=None, seed=1 if slip == "seed 1" else 0, callback=None):
        if slip == "no refusal" and eta > 1e30:           # one step by 2 eta: beyond range, handed back
            with np.errstate(over="ignore"):
                return [(W - 2 * eta, b) for W, b in params]
        if slip == "no eta check" and eta < 0:
            return [(W - eta, b) for W, b in params]
        if slip == "refuses an in-range step" and params[0][0][0, 0] == 1000:   # the old manual.train did
            raise ValueError("training diverged")
        if slip == "integers kept" and X.dtype.kind == "i":
            return [(W.astype(np.float64), b.astype(np.float64)) for W, b in params]
        return manual.train(params, X, Y, eta=eta, epochs=epochs, batch_size=batch_size, seed=seed, callback=callback)
    return train


@pytest.mark.parametrize("slip", ["no refusal", "no eta check", "integers kept", "seed 1", "refuses an in-range step"])
def test_each_probe_catches_its_slip(slip):
    """probe_failures: returning infinities beyond range, accepting a negative eta, computing in the integer data's
    dtype, a default seed other than 0, or refusing a step in range whose plain product overflows (inf * 0 at a
    saturated unit) each gives exactly one failure; manual.train and autodiff.train give none."""
    for dtype in ("float32", "float64"):
        assert probe_failures(warnings_raised(manual.train), dtype) == []
        assert probe_failures(autodiff.train, dtype) == []
        found = probe_failures(_probe_slip(slip), dtype)
        assert len(found) == (2 if slip == "no refusal" else 1), [f.message for f in found]   # SGD and batch


def _train_mutant(old: str, new: str):
    """manual.train with ``old`` replaced by ``new`` (once) in manual/train.py's source."""
    import importlib
    import importlib.util
    import inspect

    original = importlib.import_module("manual.train")      # the module (manual.train is also the function)
    source = inspect.getsource(original)
    assert source.count(old) == 1, old
    spec = importlib.util.spec_from_loader("manual._train_mutant", loader=None, origin=original.__file__)
    module = importlib.util.module_from_spec(spec)
    module.__package__ = "manual"
    exec(compile(source.replace(old, new), original.__file__, "exec"), module.__dict__)
    return module.train


@pytest.mark.parametrize("old, new, words", [
    ('invalid="ignore"', 'invalid="warn"', "RuntimeWarning"),
    ("np.isfinite(a).all() for pair in current", "np.isfinite(a).any() for pair in current", "training diverged"),
    ("        check_diverged(current, epoch, dtype)\n", "        pass\n", "one batch step"),
    ("np.isfinite(a).all() for pair in current", "np.isnan(a).all() for pair in current", "training diverged"),
])
def test_the_saturation_probe_catches_manual_train_mutants(old, new, words):
    """manual.train letting NumPy warn of the probe's inf * 0 (warnings raised, as the default suite calls it),
    redoing an epoch with grad's care only when a whole array (or every parameter: SGD spreads the NaN) is
    non-finite, or not checking for divergence (one batch step beyond range then hands back infinities), fails a
    probe."""
    found = probe_failures(warnings_raised(_train_mutant(old, new)), "float64")
    assert len(found) == 1 and words in found[0].message, [f.message for f in found]


def test_as_epoch_hands_rows_so_the_documented_shuffle_restores_them():
    """as_epoch: train with the documented shuffle visits the rows in the order the epoch check gave them (with
    k = 1 the parameters' trajectory is that of SGD over the rows in order)."""
    params = manual.init_params([3, 2], seed=0)
    X = np.random.default_rng(0).standard_normal((5, 3))
    Y = np.random.default_rng(1).random((5, 2))
    got = as_epoch(manual.train)(params, X, Y, 0.5, 1)
    want = params
    for i in range(5):
        want = manual.train(want, X[i:i + 1], Y[i:i + 1], eta=0.5, epochs=1)
    assert all(np.array_equal(a, b) for pa, pb in zip(got, want) for a, b in zip(pa, pb))


def test_default_run_prints_manual_train_and_reproduces_an_epoch():
    """python -m compare prints the manual.train lines; the reproduce form --only manual.train --case --eta
    --mini-batch checks that one epoch."""
    out = oracle_cli.run(["--examples", "40", "--progress", "off"])
    assert out.returncode == 0, out.stdout + out.stderr
    assert "PASS manual.train (batch step)" in out.stdout and "PASS manual.train (SGD and mini-batch" in out.stdout
    assert "PASS manual (input forms)" in out.stdout
    case = EPOCHS[0]
    one = oracle_cli.run(["--only", "manual.train", "--case", case.case.spec(), "--eta", repr(case.eta), "--mini-batch",
                          str(case.batch_size)])
    assert one.returncode == 0 and "SGD and mini-batch epochs): " in one.stdout, one.stdout + one.stderr
    assert "(batch step)" not in one.stdout
