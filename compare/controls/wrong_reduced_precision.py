"""Every matrix product with its inputs rounded to TF32 (10 mantissa bits; ``grad``) or bfloat16 (7 bits;
``grad_bf16``), then summed in the network's own dtype: what a GPU's tensor cores do by default.

JAX's default matmul precision on GPUs is TF32 for float32 (bf16 on TPUs), and PyTorch allows TF32 in
convolutions and, if told to, in matmuls. Each product then carries a relative error of about 2^-11 (TF32) or
2^-8 (bf16), far beyond the dtype's own rounding that the oracle's bound assumes: the errors spread over whole
arrays at a normwise level. Emulated here by rounding the mantissa to nearest and masking the bits below it.
The fix is a switch, not the equations: ``jax.default_matmul_precision("highest")``, or
``torch.backends.cuda.matmul.allow_tf32 = False``.
"""

from __future__ import annotations

import numpy as np

EXPECT = "wrong"
MISTAKE = "every matmul's inputs rounded to TF32 (10 mantissa bits), summed in the dtype"
MISTAKE_KEY = "normwise"

TF32_BITS, BF16_BITS = 10, 7
_LAYOUT = {np.dtype(np.float32): (np.uint32, 23), np.dtype(np.float64): (np.uint64, 52)}


def round_mantissa(a, bits):
    """``a`` with its mantissa rounded to nearest (ties away from zero) at ``bits`` explicit bits: the low bits
    of the IEEE representation masked off after adding half of the last kept bit. inf and NaN are kept."""
    a = np.asarray(a)
    uint, stored = _LAYOUT[a.dtype]
    drop = stored - bits
    raw = a.view(uint)
    half, mask = uint(1) << uint(drop - 1), ~((uint(1) << uint(drop)) - uint(1))
    out = ((raw + half) & mask).view(a.dtype)
    return np.where(np.isfinite(a), out, a)


def matmul(A, B, bits):
    """A @ B with both inputs rounded to ``bits`` mantissa bits, the products summed in their own dtype."""
    return round_mantissa(A, bits) @ round_mantissa(B, bits)


def _grad(params, x, y, bits):
    dtype = params[0][0].dtype
    X = np.atleast_2d(np.asarray(x, dtype))  # one example (n_0,) becomes a batch of one, (1, n_0)
    Y = np.atleast_2d(np.asarray(y, dtype))
    m, n_L = Y.shape
    a = [X]  # a[l] = a^l, one example per row
    for W, b in params:
        a.append(sigmoid(matmul(a[-1], W.T, bits) + b))  # a^l = sigma(W^l a^{l-1} + b^l)
    delta = (a[-1] - Y) / n_L * a[-1] * (1 - a[-1])  # delta^L = (1/n_L)(a^L - y) * sigma'(z^L)
    grads = []
    for l in range(len(params), 0, -1):
        grads.append((matmul(delta.T, a[l - 1], bits) / m, delta.sum(axis=0) / m))  # mean over the batch
        if l > 1:
            delta = matmul(delta, params[l - 1][0], bits) * a[l - 1] * (1 - a[l - 1])
    return grads[::-1]


def sigmoid(z):
    e = np.exp(-np.abs(z))  # in (0, 1]: never overflows
    r = 1 / (1 + e)
    return np.where(z >= 0, r, e * r)


def grad(params, x, y):
    """TF32 matmuls: inputs rounded to 10 mantissa bits."""
    return _grad(params, x, y, TF32_BITS)


def grad_bf16(params, x, y):
    """bfloat16 matmuls: inputs rounded to 7 mantissa bits."""
    return _grad(params, x, y, BF16_BITS)
