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
    1e300 * 1e300), inf - inf would make z NaN: then the elements that are not finite are recomputed from a
    and W scaled by powers of two, so a z beyond range is +-inf with the right sign and sigma(z) is exactly 1 or
    0, the right answer."""
    z = a @ W.T + b
    return jax.lax.cond(jnp.all(jnp.isfinite(z)), lambda: z,
                        lambda: jnp.where(jnp.isfinite(z), z, _affine_scaled(a, W, b)))


def _affine_scaled(a, W, b):
    """a W^T + b from each row of a scaled by 2^(t - e_i) and each row of W by 2^(t - f_j) (e, f: the rows'
    exponents, so every scaled |entry| < 2^t), t such that a sum of n products below 2^(2t) cannot overflow;
    element (i, j) is then scaled back by 2^(e_i + f_j - 2t). ldexp is exact; +-inf where z is beyond range.
    Per row and with 2^t of headroom because XLA on CPU reads subnormal numbers as 0: one scale to 1 for the
    whole matrix (as first written) made the small entries of a row next to a huge one subnormal, i.e. 0, and
    the exp2 factor of that version overflowed for the largest values."""
    t = (np.finfo(a.dtype).maxexp - 2 - int(np.ceil(np.log2(max(a.shape[-1], 1))))) // 2
    e = _exponent(a, axis=-1)[..., None]          # (1,) or (m, 1)
    f = _exponent(W, axis=1)                      # (n,)
    zs = jnp.ldexp(a, t - e) @ jnp.ldexp(W, (t - f)[:, None]).T
    return jnp.ldexp(zs, e + f - 2 * t) + b


def _exponent(arr, axis=None):
    """e with max |arr| = f 2^e, 1/2 <= f < 1 (0 for zeros): every entry of ldexp(arr, -e) is below 1 in size.
    With ``axis``, one exponent per row."""
    return jnp.frexp(jnp.max(jnp.abs(arr), axis=axis))[1]


@_affine.defjvp
def _affine_jvp(primals, tangents):
    """The derivative of a W^T + b is the plain one (linear in the tangents): only the value needs the care
    above, and jax.grad transposes this rule into grad W = delta^T a, grad a = delta W, grad b = sum delta."""
    a, W, b = primals
    da, dW, db = tangents
    return _affine(a, W, b), da @ W.T + a @ dW.T + db


@jax.custom_jvp
def _sigmoid(z):
    """jax.nn.sigmoid, with JAX's own derivative a (1 - a) and one convention: see ``_sigmoid_jvp``."""
    return jax.nn.sigmoid(z)


@_sigmoid.defjvp
def _sigmoid_jvp(primals, tangents):
    """t a (1 - a), JAX's derivative of the logistic function, except that a unit whose a (1 - a) is exactly 0
    (saturated) passes exactly 0 back. The cotangent arriving at it may have overflowed to inf (weights of
    1e300), and inf * 0 = NaN would poison every gradient below it; a finite cotangent, however large, gives 0
    there anyway, so this only removes the NaN (manual's overflow path, network._grad_careful, does the same)."""
    (z,), (t,) = primals, tangents
    a = jax.nn.sigmoid(z)
    s = a * (1 - a)
    return a, jnp.where(s == 0, 0.0, t * s)


def _forward_flagged(params, x, careful: bool = False):
    """(a^L, overflow) for x of shape (n_0,) or (m, n_0), rows as examples: z = a W^T + b, a = sigma(z).

    ``careful=False`` is plain JAX, what ``jax.grad`` of the seed's cost is usually taken of: the fast path of
    every public function. ``overflow`` says whether some z^l was not finite: a product that overflowed makes
    z +-inf or NaN, and an inf of the wrong sign still gives a finite, wrong sigma(z), so the public functions
    then compute again with ``careful=True``, the overflow care of ``_affine`` and ``_sigmoid`` (never needed
    for inputs of ordinary size)."""
    affine = _affine if careful else (lambda a, W, b: a @ W.T + b)
    sigmoid = _sigmoid if careful else jax.nn.sigmoid
    a, overflow = x, False
    for W, b in params:
        z = affine(a, W, b)
        overflow = overflow | ~jnp.all(jnp.isfinite(z))
        a = sigmoid(z)
    return a, overflow


def _forward(params, x, careful: bool = False):
    return _forward_flagged(params, x, careful)[0]


def _cost_flagged(params, x, y, careful: bool = False):
    """(C, overflow): C = (1/n_L) sum_j 1/2 (a_j^L - y_j)^2, averaged over the batch when x is (m, n_0)."""
    a, overflow = _forward_flagged(params, x, careful)
    per_example = 0.5 * jnp.sum((a - y) ** 2, axis=-1) / y.shape[-1]
    return jnp.mean(per_example), overflow


def _cost(params, x, y, careful: bool = False):
    """C = (1/n_L) sum_j 1/2 (a_j^L - y_j)^2, averaged over the batch when x is (m, n_0)."""
    return _cost_flagged(params, x, y, careful)[0]


def _cost_scaled(params, x, y):
    """The cost when |a - y| is so large (|y| > ~1e154 in float64) that (a - y)^2 or a sum overflows although C
    may be in range: the same sums on (a - y) 2^-e, then times 2^(2e) (exact), +-inf only when C is too."""
    r = _forward(params, x, careful=True) - y
    e = _exponent(r)
    r = jnp.ldexp(r, -e)
    C = jnp.mean(0.5 * jnp.sum(r * r, axis=-1) / y.shape[-1])
    return jnp.ldexp(C, 2 * e)


_forward_jit = jax.jit(_forward, static_argnames="careful")
_forward_flagged_jit = jax.jit(_forward_flagged, static_argnames="careful")
_cost_jit = jax.jit(_cost, static_argnames="careful")
_cost_flagged_jit = jax.jit(_cost_flagged, static_argnames="careful")
_cost_scaled_jit = jax.jit(_cost_scaled)
_grad_jit = jax.jit(jax.grad(_cost), static_argnames="careful")
_grad_flagged_jit = jax.jit(jax.grad(_cost_flagged, has_aux=True), static_argnames="careful")
_grad_scaled_jit = jax.jit(jax.grad(lambda params, x, y, s: _cost(params, x, y, careful=True) * s))


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
        return _numpy(a) if not overflow else _numpy(_forward_jit(params, x, careful=True))


def cost(params: Params, x, y) -> np.floating:
    """C = (1/n_L) sum_j 1/2 (a_j^L - y_j)^2 for one example; the mean over a batch. A NumPy scalar."""
    params, dtype = check_params(params)
    x, y = check_inputs(params, dtype, x, y)
    with _precision(dtype):
        C, overflow = _cost_flagged_jit(params, x, y)
        C = dtype.type(C)
        if overflow or not np.isfinite(C):
            C = dtype.type(_cost_jit(params, x, y, careful=True))
        if not np.isfinite(C):   # (a - y)^2 or a sum overflowed: C itself may be in range
            C = dtype.type(_cost_scaled_jit(params, x, y))
    _check_range([C], "the cost", dtype)
    return C


def grad(params: Params, x, y) -> Params:
    """``jax.grad`` of ``cost`` with respect to every W^l and b^l, in the parameter format (NumPy arrays)."""
    params, dtype = check_params(params)
    x, y = check_inputs(params, dtype, x, y)
    with _precision(dtype):
        g, overflow = _grad_flagged_jit(params, x, y)
        g = [(_numpy(gW), _numpy(gb)) for gW, gb in g]
    if not overflow and all(np.isfinite(a).all() for pair in g for a in pair):
        return g
    with _precision(dtype):
        g = [(_numpy(gW), _numpy(gb)) for gW, gb in _grad_jit(params, x, y, careful=True)]
    g = _grad_again(params, x, y, dtype, g) if not all(np.isfinite(a).all() for pair in g for a in pair) else g
    for l, (gW, gb) in enumerate(g, start=1):
        _check_range([gW, gb], f"the gradient of layer {l}", dtype)
    return g


def _grad_again(params, x, y, dtype: np.dtype, g):
    """The gradient again when the first (plain) computation overflowed, with ``careful=True`` (``_forward``):
    an intermediate (the cotangent W^T delta, before the multiplication by a small sigma') can overflow
    although every gradient element is in range. float32: computed in float64, rounded back. float64:
    jax.grad of C 2^-k (every cotangent is linear in the seed, so all of them are scaled by 2^-k), times 2^k
    (exact), for the smallest k of 64 and 512 that stays finite. What is still not finite is a gradient beyond
    the dtype's range: the caller refuses it."""
    with np.errstate(over="ignore", invalid="ignore"), jax.enable_x64(True):
        if dtype == np.float32:
            wide = [(W.astype(np.float64), b.astype(np.float64)) for W, b in params]
            g64 = _grad_jit(wide, x.astype(np.float64), y.astype(np.float64), careful=True)
            return [(np.asarray(gW).astype(np.float32), np.asarray(gb).astype(np.float32)) for gW, gb in g64]
        for k in (64, 512):
            gk = [(np.array(gW), np.array(gb)) for gW, gb in _grad_scaled_jit(params, x, y, np.float64(2.0**-k))]
            if all(np.isfinite(a).all() for pair in gk for a in pair):
                return [(np.ldexp(gW, k), np.ldexp(gb, k)) for gW, gb in gk]
    return g


def _check_range(arrays, what: str, dtype: np.dtype) -> None:
    """ValueError when a result is not finite: from finite inputs that means the true value is beyond the
    dtype's range (XLA overflows silently), so no answer would be right."""
    for arr in arrays:
        if not np.isfinite(arr).all():
            raise ValueError(f"{what} is beyond {dtype}'s range (|value| > {np.finfo(dtype).max:.3g}) for these "
                             "inputs; scale the weights or inputs down")
