"""The 8x8 handwritten digits bundled with scikit-learn (1797 images, offline), split for training.

The first seed trains its network to recognise digits; MNIST cannot be downloaded here, so these small
digits stand in: 64 pixels in, 10 classes out, a 64-30-10 network.
"""

from __future__ import annotations

import math

import numpy as np

from manual.data import one_hot
from manual.params import FLOAT_DTYPES

INSTALL_HINT = "pip install 'backprop-oracle[digits]'"


def load_digits_split(test_fraction: float = 0.2, seed: int = 0, dtype=np.float64) -> tuple[np.ndarray, ...]:
    """The digits, shuffled with ``seed`` and split into a training and a held-out test set.

    Returns ``(X_train, Y_train, labels_train, X_test, Y_test, labels_test)``:
    X ``(m, 64)`` pixels scaled from 0..16 to [0, 1], Y ``(m, 10)`` one-hot targets (both of ``dtype``,
    float64 or float32), labels ``(m,)`` int64 digits 0..9. The test set holds ceil(test_fraction * 1797)
    images (360 for the default 0.2), taken from the front of ``np.random.default_rng(seed).permutation``.

    Raises ImportError with the install command when scikit-learn is missing.
    """
    if isinstance(test_fraction, bool) or not isinstance(test_fraction, (int, float, np.integer, np.floating)):
        raise TypeError(f"test_fraction must be a number in (0, 1), got {type(test_fraction).__name__}")
    if not 0 < test_fraction < 1:
        raise ValueError(f"test_fraction must lie strictly between 0 and 1, got {test_fraction}")
    dtype = np.dtype(dtype)
    if dtype not in FLOAT_DTYPES:
        raise TypeError(f"dtype must be float32 or float64, got {dtype}")
    try:
        from sklearn.datasets import load_digits
    except ImportError:
        raise ImportError(f"the digits data set comes with scikit-learn, which is not installed: {INSTALL_HINT}") \
            from None
    digits = load_digits()
    X_all = (np.asarray(digits.data, dtype=np.float64) / 16.0).astype(dtype)   # pixels 0..16 -> [0, 1]
    labels_all = np.asarray(digits.target, dtype=np.int64)
    n = labels_all.shape[0]
    n_test = math.ceil(test_fraction * n)
    if n_test >= n:
        raise ValueError(f"test_fraction {test_fraction} leaves no images to train on")
    order = np.random.default_rng(seed).permutation(n)
    test, train = order[:n_test], order[n_test:]
    Y_all = one_hot(labels_all, 10, dtype=dtype)
    return X_all[train], Y_all[train], labels_all[train], X_all[test], Y_all[test], labels_all[test]
