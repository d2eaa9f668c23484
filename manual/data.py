"""Training data and training arguments: the helpers and checks both backends' ``train`` and ``accuracy`` share.

Nothing here is the seed's math (no forward pass, no gradient), so ``autodiff`` may import it as it
imports ``manual.params``: one-hot targets, label checks, accuracy's validation and scoring, and the validation
of eta, epochs, batch_size, seed and callback, so that both backends accept and refuse exactly the same
arguments with the same words.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from .params import FLOAT_DTYPES, Params, _as_array, check_inputs, check_params, check_x


def one_hot(labels, n: int, dtype=np.float64) -> np.ndarray:
    """Targets y for integer class labels: ``(m,)`` labels in ``0..n-1`` give an ``(m, n)`` array.

    Row i is the vector y with y_j = 1 for j == labels[i] and 0 elsewhere (the digit k's target is e_k).
    ``dtype`` is float64 (default) or float32, to match the network it will train.
    """
    if isinstance(n, (bool, np.bool_)) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n must be a positive integer (the number of classes), got {n!r}")
    try:
        ok = dtype is not None and np.dtype(dtype) in FLOAT_DTYPES  # np.dtype(None) would be float64
    except (TypeError, ValueError):  # not a dtype at all ("foo", 5)
        ok = False
    if not ok:
        raise TypeError(f"dtype must be float32 or float64, got {dtype!r}")
    dtype = np.dtype(dtype)
    labels = check_labels(labels, int(n))
    try:
        Y = np.zeros((labels.shape[0], int(n)), dtype=dtype)
    except (MemoryError, ValueError):  # NumPy: "array is too big" / "Maximum allowed dimension exceeded"
        raise ValueError(f"one_hot: {labels.shape[0]} labels x n = {n} classes is too large to allocate") from None
    Y[np.arange(labels.shape[0]), labels] = 1
    return Y


def check_labels(labels, n_classes: int, m: int | None = None) -> np.ndarray:
    """Validate class labels: a 1-D array of integers in ``0..n_classes-1`` (``m`` of them when given).

    Returns them as an int64 array (a new one; the caller's is never changed). Bool labels are refused
    (they are almost always a mask passed by mistake); integral floats such as 3.0 are refused too.
    """
    arr = _as_array(labels, "labels")
    if arr.size == 0 and arr.dtype.kind == "f" and not isinstance(labels, np.ndarray):
        arr = arr.astype(np.int64)   # [] is no labels (NumPy reads an empty list as float64)
    if arr.dtype.kind == "b" or arr.dtype.kind not in "iu":
        raise TypeError(f"labels must be integers (class numbers 0..{n_classes - 1}), got dtype {arr.dtype}")
    if arr.ndim != 1:
        raise ValueError(f"labels must be 1-D, one class number per example, got shape {arr.shape}")
    if m is not None and arr.shape[0] != m:
        raise ValueError(f"labels holds {arr.shape[0]} labels but X holds {m} examples")
    if arr.size and (arr.min() < 0 or arr.max() >= n_classes):
        bad = arr[(arr < 0) | (arr >= n_classes)][0]
        raise ValueError(f"labels must lie in 0..{n_classes - 1} (the network has {n_classes} outputs), "
                         f"found {int(bad)}")
    return arr.astype(np.int64)


_NO_TARGETS = object()


def check_batch(params: Params, dtype: np.dtype, X, Y=_NO_TARGETS) -> tuple[np.ndarray, np.ndarray | None]:
    """``check_inputs`` for a data set: X must be ``(m, n_0)`` (and Y ``(m, n_L)``), one example per row.
    Without Y (``accuracy``) only X is checked; a Y of None is refused like any other non-array."""
    if X is not None:
        X = _as_array(X, "x")     # np.ndim would let NumPy's own error for a ragged list through
    if X is not None and X.ndim == 1:
        raise ValueError(f"X has shape {np.shape(X)}: training and accuracy take a data set, "
                         "X of shape (m, n_0) with one example per row (use X[None, :] for one example)")
    if Y is _NO_TARGETS:
        return check_x(params, dtype, X), None
    return check_inputs(params, dtype, X, Y)


def fraction_correct(params: Params, X, labels, outputs: Callable[[Params, np.ndarray], np.ndarray]) -> float:
    """Both backends' ``accuracy`` around their own forward pass: mean(argmax_j a_j^L == label).

    Validates params, X ``(m, n_0)`` and labels ``(m,)`` (integers in ``0..n_L-1``), then calls
    ``outputs(params, X)`` on the validated arrays (X in the network's dtype) for a^L ``(m, n_L)``.
    Returns a Python float in [0, 1].
    """
    params, dtype = check_params(params)
    X, _ = check_batch(params, dtype, X)
    labels = check_labels(labels, params[-1][0].shape[0], X.shape[0])
    return float(np.mean(np.argmax(outputs(params, X), axis=1) == labels))


def check_train_args(eta, epochs, batch_size, seed, callback,
                     dtype: np.dtype | None = None) -> tuple[float, int, int | None, int | None]:
    """Validate ``train``'s keyword arguments; return ``(eta, epochs, batch_size, seed)`` as plain Python values.

    eta: a finite real number > 0 (the learning rate eta); epochs: an integer >= 0; batch_size: None (batch
    gradient descent) or an integer >= 1; seed: None or an integer >= 0 (a Generator is refused: train would
    advance the caller's generator); callback: None or a callable ``callback(epoch, params)``.
    """
    if isinstance(eta, (bool, np.bool_)) or not isinstance(eta, (int, float, np.integer, np.floating)):
        raise TypeError(f"eta (the learning rate) must be a real number, got {type(eta).__name__}")
    try:
        eta = float(eta)
    except OverflowError:  # a Python int beyond float64's range
        eta = math.inf if eta > 0 else -math.inf
    if not math.isfinite(eta) or eta <= 0:
        raise ValueError(f"eta (the learning rate) must be finite and > 0, got {eta}")
    if dtype is not None and eta > float(np.finfo(dtype).max):
        raise ValueError(f"eta (the learning rate) is {eta!r}, beyond {np.dtype(dtype)}'s range "
                         f"(|value| > {float(np.finfo(dtype).max)!r}): the network's dtype cannot hold it")
    epochs = _integer(epochs, "epochs", 0, "the number of passes over the data")
    if batch_size is not None:
        batch_size = _integer(batch_size, "batch_size", 1, "or None for batch gradient descent")
    if seed is not None:
        seed = _integer(seed, "seed", 0, "or None")
    if callback is not None and not callable(callback):
        raise TypeError(f"callback must be None or a function callback(epoch, params), got {type(callback).__name__}")
    return eta, epochs, batch_size, seed


def check_diverged(params, epoch: int, dtype: np.dtype) -> None:
    """ValueError when training has left the dtype's range: a parameter is +-inf or NaN after ``epoch``.

    From finite parameters and data that means a step overflowed (eta times a large gradient, or W - eta grad W
    beyond range; NaN from inf - inf once it has): no later step can bring it back, and returning it would hand
    back parameters that every function here refuses. Both backends' ``train`` call this.
    """
    for l, pair in enumerate(params, start=1):
        for arr, name in zip(pair, "Wb"):
            if not np.isfinite(arr).all():
                raise ValueError(f"training diverged: after epoch {epoch}, layer {l}'s {name} is no longer finite "
                                 f"(a step overflowed {dtype}'s range, |value| > {np.finfo(dtype).max:.3g}); "
                                 "lower eta or scale the data down")


def _integer(value, what: str, low: int, why: str) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{what} must be an integer >= {low} ({why}), got {type(value).__name__} {value!r}")
    if value < low:
        raise ValueError(f"{what} must be an integer >= {low} ({why}), got {value}")
    return int(value)


Callback = Callable[[int, Params], None]
