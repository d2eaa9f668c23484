"""The seed's network and cost in JAX; the gradient comes from ``jax.grad``, not from a derivation.

This module imports only the shared parameter format from ``manual`` (validation), never its math:
an oracle must not share code with what it checks.

dtype: float64 in gives float64 out whatever JAX's global x64 flag says (the float64 calls run inside
``jax.enable_x64(True)``, which is scoped and leaves the caller's setting alone); float32 stays float32.
Each public function is jitted, so it compiles once per shape and dtype and then reuses the compilation.
Results come back as NumPy arrays (writeable copies) in the parameter format.
"""

from __future__ import annotations

import contextlib

import jax
import jax.numpy as jnp
import numpy as np

from manual.params import Params, check_inputs, check_params, check_x


@jax.custom_jvp
def _affine(a, W, b):
    """z = a W^T + b (a: (n_0,) or (m, n_0)). When a product overflows (|W| |a| near the dtype's limit, e.g.
    1e300 * 1e300), inf - inf would make z NaN: then z is recomputed with a and W scaled by powers of two, so
    a z beyond range is +-inf with the right sign and sigma(z) is exactly 1 or 0, the right answer."""
    z = a @ W.T + b
    return jax.lax.cond(jnp.all(jnp.isfinite(z)), lambda: z, lambda: _affine_scaled(a, W, b))


def _affine_scaled(a, W, b):
    s_a = jnp.exp2(jnp.ceil(jnp.log2(jnp.maximum(jnp.max(jnp.abs(a)), jnp.finfo(a.dtype).tiny))))
    s_W = jnp.exp2(jnp.ceil(jnp.log2(jnp.maximum(jnp.max(jnp.abs(W)), jnp.finfo(W.dtype).tiny))))
    return ((a / s_a) @ (W / s_W).T) * s_W * s_a + b


@_affine.defjvp
def _affine_jvp(primals, tangents):
    """The derivative of a W^T + b is the plain one (linear in the tangents): only the value needs the care
    above, and jax.grad transposes this rule into grad W = delta^T a, grad a = delta W, grad b = sum delta."""
    a, W, b = primals
    da, dW, db = tangents
    return _affine(a, W, b), da @ W.T + a @ dW.T + db


def _forward(params, x):
    """a^L for x of shape (n_0,) or (m, n_0), rows as examples: z = a W^T + b, a = sigma(z)."""
    a = x
    for W, b in params:
        a = jax.nn.sigmoid(_affine(a, W, b))
    return a


def _cost(params, x, y):
    """C = (1/n_L) sum_j 1/2 (a_j^L - y_j)^2, averaged over the batch when x is (m, n_0)."""
    a = _forward(params, x)
    per_example = 0.5 * jnp.sum((a - y) ** 2, axis=-1) / y.shape[-1]
    return jnp.mean(per_example)


_forward_jit = jax.jit(_forward)
_cost_jit = jax.jit(_cost)
_grad_jit = jax.jit(jax.grad(_cost))


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
        return _numpy(_forward_jit(params, x))


def cost(params: Params, x, y) -> np.floating:
    """C = (1/n_L) sum_j 1/2 (a_j^L - y_j)^2 for one example; the mean over a batch. A NumPy scalar."""
    params, dtype = check_params(params)
    x, y = check_inputs(params, dtype, x, y)
    with _precision(dtype):
        C = dtype.type(_cost_jit(params, x, y))
    _check_range([C], "the cost", dtype)
    return C


def grad(params: Params, x, y) -> Params:
    """``jax.grad`` of ``cost`` with respect to every W^l and b^l, in the parameter format (NumPy arrays)."""
    params, dtype = check_params(params)
    x, y = check_inputs(params, dtype, x, y)
    with _precision(dtype):
        g = [(_numpy(gW), _numpy(gb)) for gW, gb in _grad_jit(params, x, y)]
    for l, (gW, gb) in enumerate(g, start=1):
        _check_range([gW, gb], f"the gradient of layer {l}", dtype)
    return g


def _check_range(arrays, what: str, dtype: np.dtype) -> None:
    """ValueError when a result is not finite: from finite inputs that means the true value is beyond the
    dtype's range (XLA overflows silently), so no answer would be right."""
    for arr in arrays:
        if not np.isfinite(arr).all():
            raise ValueError(f"{what} is beyond {dtype}'s range (|value| > {np.finfo(dtype).max:.3g}) for these "
                             "inputs; scale the weights or inputs down")
