"""The seed's network and cost in JAX; the gradient comes from ``jax.grad``, not from a derivation.

This module imports only the shared parameter format from ``manual`` (validation), never its math:
an oracle must not share code with what it checks.

dtype: float64 in gives float64 out whatever JAX's global x64 flag says (the float64 calls run inside
``jax.enable_x64(True)``, which is scoped and leaves the caller's setting alone); float32 stays float32.
Each public function is jitted, so it compiles once per shape and dtype and then reuses the compilation.
Results come back as NumPy arrays (writeable copies) in the parameter format. When a product overflows,
the public functions compute again with ``careful.py``'s rules for the affine map and sigmoid.
"""

from __future__ import annotations

import contextlib

import jax
import jax.numpy as jnp
import numpy as np

from manual.params import Params, check_inputs, check_params, check_x

from . import careful


def _affine(a, W, b):
    return a @ W.T + b                                  # z^l = W^l a^{l-1} + b^l  (rows are examples: a W^T + b)


def _forward_flagged(params, x, affine=_affine, sigmoid=jax.nn.sigmoid):
    """(a^L, overflow) for x of shape (n_0,) or (m, n_0), rows as examples.

    The defaults are plain JAX, what ``jax.grad`` of the seed's cost is usually taken of: the fast path.
    ``overflow`` says whether some z^l was not finite (a product overflowed; an inf of the wrong sign still
    gives a finite, wrong sigma(z)): the public functions then run this again with ``careful.py``'s rules."""
    a, overflow = x, False                              # a^0 = x
    for W, b in params:
        z = affine(a, W, b)                             # z^l = W^l a^{l-1} + b^l
        overflow = overflow | ~jnp.all(jnp.isfinite(z))
        a = sigmoid(z)                                  # a^l = sigma(z^l)
    return a, overflow


def _cost_flagged(params, x, y, affine=_affine, sigmoid=jax.nn.sigmoid):
    """(C, overflow): C = (1/n_L) sum_j 1/2 (a_j^L - y_j)^2, averaged over the batch when x is (m, n_0)."""
    a, overflow = _forward_flagged(params, x, affine, sigmoid)
    per_example = 0.5 * jnp.sum((a - y) ** 2, axis=-1) / y.shape[-1]   # C = (1/n_L) sum_j 1/2 (a_j^L - y_j)^2
    return jnp.mean(per_example), overflow                              # batch: mean over examples


_forward_flagged_jit = jax.jit(_forward_flagged)
_cost_flagged_jit = jax.jit(_cost_flagged)
_grad_flagged_jit = jax.jit(jax.grad(_cost_flagged, has_aux=True))   # the gradient: jax.grad of the cost


def _precision(dtype: np.dtype):
    """The x64 scope a computation in ``dtype`` needs: enabled for float64, the caller's setting otherwise."""
    return jax.enable_x64(True) if dtype == np.float64 else contextlib.nullcontext()


def _numpy(a) -> np.ndarray:
    return np.array(a)  # a writeable NumPy copy: callers may update it in place


def forward(params: Params, x) -> np.ndarray:
    """Output a^L: ``(n_L,)`` for one example ``x`` of shape ``(n_0,)``, ``(m, n_L)`` for a batch."""
    params, dtype = check_params(params)
    x = check_x(params, dtype, x)
    with _precision(dtype):
        a, overflow = _forward_flagged_jit(params, x)
        return _numpy(a) if not overflow else _numpy(careful._forward_jit(_forward_flagged, params, x))


def cost(params: Params, x, y) -> np.floating:
    """C = (1/n_L) sum_j 1/2 (a_j^L - y_j)^2 for one example; the mean over a batch. A NumPy scalar."""
    params, dtype = check_params(params)
    x, y = check_inputs(params, dtype, x, y)
    with _precision(dtype):
        C, overflow = _cost_flagged_jit(params, x, y)
        C = dtype.type(C)
        if overflow or not np.isfinite(C):
            C = careful.cost(_forward_flagged, _cost_flagged, params, x, y, dtype)
    return C


def grad(params: Params, x, y) -> Params:
    """``jax.grad`` of ``cost`` with respect to every W^l and b^l, in the parameter format (NumPy arrays)."""
    params, dtype = check_params(params)
    x, y = check_inputs(params, dtype, x, y)
    with _precision(dtype):
        g, overflow = _grad_flagged_jit(params, x, y)
        g = [(_numpy(gW), _numpy(gb)) for gW, gb in g]
        if overflow or not careful._finite(g):
            g = careful.grad(_cost_flagged, params, x, y, dtype)
    return g
