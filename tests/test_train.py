"""Training: SGD, mini-batch and batch gradient descent in both backends, and the ``train`` command."""

from __future__ import annotations

import io
import sys
from types import SimpleNamespace

import numpy as np
import pytest

import autodiff
import manual
from autodiff.train import accuracy as autodiff_accuracy
from autodiff.train import train as autodiff_train
from compare.cli import train as training
from manual.data import one_hot
from manual.train import accuracy as manual_accuracy
from manual.train import train as manual_train

# (the packages export the functions, so ``manual.train`` is the function, not the module)
BACKENDS = {"manual": SimpleNamespace(train=manual_train, accuracy=manual_accuracy),
            "autodiff": SimpleNamespace(train=autodiff_train, accuracy=autodiff_accuracy)}
GRADS = {"manual": manual.grad, "autodiff": autodiff.grad}
SIZES = [4, 5, 3]


def _problem(dtype=np.float64, m=40):
    """A small separable problem: 3 classes decided by the signs of two of the 4 inputs."""
    rng = np.random.default_rng(7)
    X = rng.standard_normal((m, 4))
    labels = (X[:, 0] > 0).astype(int) + (X[:, 1] > 0.5).astype(int)
    return X.astype(dtype), one_hot(labels, 3, dtype=dtype), labels


def _max_diff(p, q) -> float:
    return max(float(np.max(np.abs(a - b))) for pa, pb in zip(p, q) for a, b in zip(pa, pb))


# ---- learning ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("backend", sorted(BACKENDS))
@pytest.mark.parametrize("batch_size", [1, 8, None], ids=["sgd", "mini-batch", "batch"])
def test_each_method_decreases_the_cost(backend, batch_size):
    X, Y, _ = _problem()
    params = manual.init_params(SIZES, seed=1)
    trained = BACKENDS[backend].train(params, X, Y, eta=3.0, epochs=20, batch_size=batch_size, seed=0)
    before, after = manual.cost(params, X, Y), manual.cost(trained, X, Y)
    assert after < 0.8 * before


@pytest.mark.parametrize("dtype, tol", [(np.float64, 1e-12), (np.float32, 1e-4)])
@pytest.mark.parametrize("batch_size", [1, 7, None])
def test_backends_follow_the_same_trajectory(dtype, tol, batch_size):
    X, Y, _ = _problem(dtype)
    params = manual.init_params(SIZES, seed=2, dtype=dtype)
    kw = dict(eta=2.0, epochs=5, batch_size=batch_size, seed=3)
    mine, theirs = manual_train(params, X, Y, **kw), autodiff_train(params, X, Y, **kw)
    assert _max_diff(mine, theirs) < tol
    assert _max_diff(mine, params) > 100 * tol   # and they really moved


@pytest.mark.parametrize("backend", sorted(BACKENDS))
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_one_epoch_of_batch_descent_is_one_step_of_the_gradient(backend, dtype):
    X, Y, _ = _problem(dtype, m=13)
    params = manual.init_params(SIZES, seed=4, dtype=dtype)
    eta = 0.7
    stepped = BACKENDS[backend].train(params, X, Y, eta=eta, epochs=1)
    g = GRADS[backend](params, X, Y)
    for (W, b), (gW, gb), (W1, b1) in zip(params, g, stepped):
        np.testing.assert_array_equal(W1, W - eta * gW)   # W - eta grad W, exactly
        np.testing.assert_array_equal(b1, b - eta * gb)
        assert W1.dtype == b1.dtype == dtype


@pytest.mark.parametrize("backend", sorted(BACKENDS))
def test_mini_batches_follow_the_documented_order(backend):
    """m = 10, batch_size = 4: each epoch takes rng.permutation(10) as steps of 4, 4 and the last 2."""
    X, Y, _ = _problem(m=10)
    params = manual.init_params(SIZES, seed=5)
    eta, seed = 1.5, 11
    rng = np.random.default_rng(seed)
    expected = params
    for _ in range(2):
        order = rng.permutation(10)
        for idx in (order[:4], order[4:8], order[8:]):
            g = manual.grad(expected, X[idx], Y[idx])
            expected = [(W - eta * gW, b - eta * gb) for (W, b), (gW, gb) in zip(expected, g)]
    got = BACKENDS[backend].train(params, X, Y, eta=eta, epochs=2, batch_size=4, seed=seed)
    assert _max_diff(got, expected) < 1e-13


@pytest.mark.parametrize("backend", sorted(BACKENDS))
def test_batch_larger_than_the_data_is_batch_descent(backend):
    X, Y, _ = _problem(m=12)
    params = manual.init_params(SIZES, seed=6)
    mod = BACKENDS[backend]
    big = mod.train(params, X, Y, eta=1.0, epochs=3, batch_size=50)
    full = mod.train(params, X, Y, eta=1.0, epochs=3)
    assert _max_diff(big, full) == 0


@pytest.mark.parametrize("backend", sorted(BACKENDS))
def test_seed_decides_the_order(backend):
    X, Y, _ = _problem()
    params = manual.init_params(SIZES, seed=1)
    mod = BACKENDS[backend]
    a = mod.train(params, X, Y, eta=1.0, epochs=2, batch_size=5, seed=0)
    b = mod.train(params, X, Y, eta=1.0, epochs=2, batch_size=5, seed=0)
    c = mod.train(params, X, Y, eta=1.0, epochs=2, batch_size=5, seed=1)
    assert _max_diff(a, b) == 0
    assert _max_diff(a, c) > 1e-6


# ---- the contract: copies, dtypes, callback ------------------------------------------------------------

@pytest.mark.parametrize("backend", sorted(BACKENDS))
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_inputs_unmodified_and_dtype_kept(backend, dtype):
    X, Y, labels = _problem(dtype)
    params = manual.init_params(SIZES, seed=1, dtype=dtype)
    saved = [(W.copy(), b.copy()) for W, b in params]
    X0, Y0 = X.copy(), Y.copy()
    trained = BACKENDS[backend].train(params, X, Y, eta=2.0, epochs=2, batch_size=8)
    for (W, b), (W0, b0), (W1, b1) in zip(params, saved, trained):
        np.testing.assert_array_equal(W, W0)
        np.testing.assert_array_equal(b, b0)
        assert isinstance(W1, np.ndarray) and isinstance(b1, np.ndarray)
        assert W1.dtype == b1.dtype == dtype
        assert not np.shares_memory(W1, W) and not np.shares_memory(b1, b)
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(Y, Y0)
    acc = BACKENDS[backend].accuracy(trained, X, labels)
    assert isinstance(acc, float) and 0 <= acc <= 1


@pytest.mark.parametrize("backend", sorted(BACKENDS))
def test_zero_epochs_returns_a_copy(backend):
    X, Y, _ = _problem()
    params = manual.init_params(SIZES, seed=1)
    calls = []
    out = BACKENDS[backend].train(params, X, Y, eta=1.0, epochs=0, callback=lambda e, p: calls.append(e))
    assert calls == [] and _max_diff(out, params) == 0
    assert all(not np.shares_memory(W1, W) for (W1, _), (W, _) in zip(out, params))


@pytest.mark.parametrize("backend", sorted(BACKENDS))
def test_callback_sees_every_epoch(backend):
    X, Y, _ = _problem()
    params = manual.init_params(SIZES, seed=1)
    seen = []

    def callback(epoch, current):
        seen.append((epoch, current))
        current[0][0][...] = 0   # the callback's copy: changing it must not change training

    out = BACKENDS[backend].train(params, X, Y, eta=1.0, epochs=3, batch_size=10, callback=callback)
    assert [e for e, _ in seen] == [1, 2, 3]
    reference = BACKENDS[backend].train(params, X, Y, eta=1.0, epochs=3, batch_size=10)
    assert _max_diff(out, reference) == 0
    assert all(isinstance(W, np.ndarray) for W, _ in seen[-1][1])


def test_accuracy_is_the_fraction_of_argmax_hits():
    X, Y, labels = _problem()
    params = manual.init_params(SIZES, seed=1)
    expected = float(np.mean(np.argmax(manual.forward(params, X), axis=1) == labels))
    assert manual.accuracy(params, X, labels) == expected
    assert autodiff.accuracy(params, X, labels) == expected
    assert manual_accuracy(params, X, np.argmax(manual.forward(params, X), axis=1)) == 1.0


def test_one_hot():
    Y = one_hot([2, 0, 1], 3)
    np.testing.assert_array_equal(Y, [[0, 0, 1], [1, 0, 0], [0, 1, 0]])
    assert Y.dtype == np.float64 and one_hot(np.array([1]), 2, dtype=np.float32).dtype == np.float32
    with pytest.raises(ValueError, match="0..2"):
        one_hot([3], 3)
    with pytest.raises(TypeError, match="integers"):
        one_hot([1.0], 3)
    with pytest.raises(ValueError, match="positive integer"):
        one_hot([0], 0)


# ---- refusals ------------------------------------------------------------------------------------------

BAD_ARGS = [
    (dict(eta=0.0), ValueError, "eta"), (dict(eta=-1.0), ValueError, "eta"),
    (dict(eta=float("nan")), ValueError, "eta"), (dict(eta=float("inf")), ValueError, "eta"),
    (dict(eta="1"), TypeError, "eta"), (dict(eta=True), TypeError, "eta"), (dict(eta=None), TypeError, "eta"),
    (dict(epochs=-1), ValueError, "epochs"), (dict(epochs=1.5), TypeError, "epochs"),
    (dict(epochs="3"), TypeError, "epochs"), (dict(epochs=True), TypeError, "epochs"),
    (dict(batch_size=0), ValueError, "batch_size"), (dict(batch_size=-3), ValueError, "batch_size"),
    (dict(batch_size=2.0), TypeError, "batch_size"), (dict(batch_size=True), TypeError, "batch_size"),
    (dict(seed=-1), ValueError, "seed"), (dict(seed=np.random.default_rng(0)), TypeError, "seed"),
    (dict(callback=5), TypeError, "callback"),
]


@pytest.mark.parametrize("backend", sorted(BACKENDS))
@pytest.mark.parametrize("bad, error, word", BAD_ARGS)
def test_bad_arguments_raise(backend, bad, error, word):
    X, Y, _ = _problem(m=6)
    params = manual.init_params(SIZES, seed=1)
    kw = dict(eta=1.0, epochs=1, batch_size=2) | bad
    with pytest.raises(error, match=word):
        BACKENDS[backend].train(params, X, Y, **kw)


@pytest.mark.parametrize("backend", sorted(BACKENDS))
def test_bad_data_raises(backend):
    X, Y, labels = _problem(m=6)
    params = manual.init_params(SIZES, seed=1)
    mod = BACKENDS[backend]
    with pytest.raises(ValueError, match="one example per row"):
        mod.train(params, X[0], Y[0], eta=1.0, epochs=1)
    with pytest.raises(TypeError, match="float32"):
        mod.train(params, X.astype(np.float32), Y, eta=1.0, epochs=1)
    with pytest.raises(ValueError, match="batch sizes differ"):
        mod.train(params, X, Y[:5], eta=1.0, epochs=1)
    with pytest.raises(TypeError, match="params"):
        mod.train("params", X, Y, eta=1.0, epochs=1)
    with pytest.raises(TypeError, match="integers"):
        mod.accuracy(params, X, labels.astype(float))
    with pytest.raises(ValueError, match="0..2"):
        mod.accuracy(params, X, labels + 3)
    with pytest.raises(ValueError, match="6 examples"):
        mod.accuracy(params, X, labels[:5])
    with pytest.raises(ValueError, match="1-D"):
        mod.accuracy(params, X, labels[:, None])


# ---- the digits ----------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def digits():
    pytest.importorskip("sklearn")
    from compare.cli.digits import load_digits_split
    return load_digits_split()


@pytest.fixture(scope="module")
def digits_trained(digits):
    X_train, Y_train = digits[0], digits[1]
    params = manual.init_params([64, 30, 10], seed=0)
    kw = dict(eta=30.0, epochs=30, batch_size=10, seed=0)
    return {name: mod.train(params, X_train, Y_train, **kw) for name, mod in BACKENDS.items()}


def test_digits_split(digits):
    X_train, Y_train, labels_train, X_test, Y_test, labels_test = digits
    assert X_train.shape == (1437, 64) and X_test.shape == (360, 64)
    assert Y_train.shape == (1437, 10) and labels_test.shape == (360,)
    assert X_train.dtype == Y_train.dtype == np.float64 and labels_train.dtype == np.int64
    assert 0 <= X_train.min() and X_train.max() <= 1
    np.testing.assert_array_equal(np.argmax(Y_test, axis=1), labels_test)
    from compare.cli.digits import load_digits_split
    assert load_digits_split(dtype=np.float32)[0].dtype == np.float32
    with pytest.raises(ValueError, match="between 0 and 1"):
        load_digits_split(test_fraction=1.0)


def test_digits_missing_sklearn_says_what_to_install(monkeypatch, capsys):
    from compare.cli.digits import load_digits_split
    monkeypatch.setitem(sys.modules, "sklearn.datasets", None)   # makes the import fail
    with pytest.raises(ImportError, match=r"pip install 'backprop-oracle\[digits\]'"):
        load_digits_split()
    assert training.main(["--epochs", "1"]) == 1
    assert "backprop-oracle[digits]" in capsys.readouterr().err


@pytest.mark.parametrize("backend", sorted(BACKENDS))
def test_digits_reach_97_percent(digits, digits_trained, backend):
    X_test, labels_test = digits[3], digits[5]
    assert BACKENDS[backend].accuracy(digits_trained[backend], X_test, labels_test) >= 0.97


def test_digits_backends_agree_after_30_epochs(digits_trained):
    assert _max_diff(digits_trained["manual"], digits_trained["autodiff"]) <= 1e-9


# ---- the command ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("backend", sorted(BACKENDS))
def test_train_command_saves_params_and_plot(tmp_path, capsys, backend):
    pytest.importorskip("sklearn")
    pytest.importorskip("matplotlib")
    npz, png = tmp_path / "params.npz", tmp_path / "curve.png"
    argv = ["--backend", backend, "--sizes", "64,12,10", "--epochs", "2", "--save", str(npz), "--plot", str(png),
            "--dtype", "float32"]
    assert training.main(argv) == 0
    out = capsys.readouterr().out
    assert f"backend {backend}, float32" in out and "test accuracy" in out and "/360)" in out
    loaded = manual.load_params(npz)
    assert [W.shape for W, _ in loaded] == [(12, 64), (10, 12)] and loaded[0][0].dtype == np.float32
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 1000


def test_train_command_progress_bar_shows_the_cost(monkeypatch):
    pytest.importorskip("sklearn")
    stream = io.StringIO()
    real = training.Progress
    monkeypatch.setattr(training, "Progress", lambda total, label: real(total, label, delay=0, force=True,
                                                                         stream=stream))
    assert training.main(["--epochs", "2", "--full-batch"]) == 0
    assert "cost 0." in stream.getvalue()


@pytest.mark.parametrize("argv", [
    ["--sizes", "64,30,9"], ["--sizes", "10,30,10"], ["--sizes", "64,x,10"], ["--sizes", "64"],
    ["--sizes", "64,0,10"], ["--eta", "0"], ["--eta", "nan"], ["--epochs", "-1"], ["--batch-size", "0"],
    ["--sgd", "--full-batch"], ["--backend", "torch"], ["--dtype", "float16"], ["--bogus"],
    ["--save", "/no/such/folder/p.npz"], ["--plot", "/no/such/folder/c.png"],
])
def test_train_command_usage_errors(argv, capsys):
    assert training.main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "error:" in err and "Traceback" not in err


def test_train_command_plot_without_matplotlib_says_what_to_install(monkeypatch, tmp_path, capsys):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    assert training.main(["--epochs", "1", "--plot", str(tmp_path / "c.png")]) == 1
    assert "backprop-oracle[plot]" in capsys.readouterr().err
    assert not (tmp_path / "c.png").exists()


def test_autodiff_float64_training_leaves_jax_x64_setting_alone():
    import jax
    import jax.numpy as jnp

    X, Y, _ = _problem()
    out = autodiff_train(manual.init_params(SIZES, seed=1), X, Y, eta=1.0, epochs=1, batch_size=8)
    assert out[0][0].dtype == np.float64
    assert jnp.asarray(1.0).dtype == (jnp.float64 if jax.config.jax_enable_x64 else jnp.float32)


@pytest.mark.parametrize("backend", [manual, autodiff], ids=["manual", "autodiff"])
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_a_step_whose_plain_gradient_overflows_is_taken_like_grad(dtype, backend):
    """On a 1-1-1 net where the plain (W^2)^T delta^2 overflows and meets sigma' = 0 (inf * 0), the true gradient is
    in range: each backend's train takes the step its grad gives, W - eta grad W bit for bit, instead of refusing
    it as divergence."""
    params = [(np.full((1, 1), 1000, dtype), np.zeros(1, dtype)),
              (np.full((1, 1), 1e10, dtype), np.full(1, -1e10, dtype))]
    X, Y = np.ones((1, 1), dtype), np.full((1, 1), -float(np.finfo(dtype).max) / 2, dtype)
    eta = 1e-298 if dtype == "float64" else 1e-28              # eta grad W^2 ~ 2e9: a visible step
    trained = backend.train(params, X, Y, eta=eta, epochs=1)
    for (W, b), (gW, gb), (tW, tb) in zip(params, backend.grad(params, X, Y), trained):
        np.testing.assert_array_equal(tW, W - eta * gW)
        np.testing.assert_array_equal(tb, b - eta * gb)
    assert trained[1][0][0, 0] != params[1][0][0, 0]          # the step moved W^2
