"""Values near the dtype's range, in JAX: the custom rules and the careful recomputations of ``network``.

Off the fast path: ``network``'s public functions come here only when some z^l was not finite or a result
overflowed. A product can overflow although the true result is in range (|W| |a| near the dtype's limit,
(a - y)^2 for a huge y, the cotangent W^T delta before a small sigma'), and inf * 0 = NaN at a saturated
unit. Here ``network``'s own forward pass and cost run with the two rules below swapped in for its plain
affine map and sigmoid, so a result is +-inf only where the true value is beyond range, and that is refused
with a ValueError.

This module imports nothing from ``network``: the network's functions are passed in (as static arguments of
the jitted programs), so the seed's math is written once, there.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np


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
    Per row and with 2^t of headroom because XLA on CPU reads subnormal numbers as 0: the small entries of a
    row next to a huge one must not become subnormal."""
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
    there anyway, so this only removes the NaN (manual's overflow path, manual/careful.py, does the same)."""
    (z,), (t,) = primals, tangents
    a = jax.nn.sigmoid(z)
    s = a * (1 - a)
    return a, jnp.where(s == 0, 0.0, t * s)


def _forward(forward_flagged, params, x):
    """a^L from ``forward_flagged`` (``network._forward_flagged``) with the careful rules."""
    return forward_flagged(params, x, _affine, _sigmoid)[0]


def _cost(cost_flagged, params, x, y):
    """C from ``cost_flagged`` (``network._cost_flagged``) with the careful rules."""
    return cost_flagged(params, x, y, _affine, _sigmoid)[0]


def _cost_scaled(forward_flagged, params, x, y):
    """The cost when |a - y| is so large (|y| > ~1e154 in float64) that (a - y)^2 or a sum overflows although C
    may be in range: the same sums on (a - y) 2^-e, then times 2^(2e) (exact), +-inf only when C is too."""
    r = _forward(forward_flagged, params, x) - y
    e = _exponent(r)
    r = jnp.ldexp(r, -e)
    C = jnp.mean(0.5 * jnp.sum(r * r, axis=-1) / y.shape[-1])
    return jnp.ldexp(C, 2 * e)


_grad = jax.grad(_cost, argnums=1)   # the gradient with the careful rules (autodiff.train's step runs it)

_forward_jit = jax.jit(_forward, static_argnums=0)
_cost_jit = jax.jit(_cost, static_argnums=0)
_cost_scaled_jit = jax.jit(_cost_scaled, static_argnums=0)
_grad_jit = jax.jit(_grad, static_argnums=0)
_grad_scaled_jit = jax.jit(jax.grad(lambda cost_flagged, params, x, y, s: _cost(cost_flagged, params, x, y) * s,
                                    argnums=1), static_argnums=0)


def cost(forward_flagged, cost_flagged, params, x, y, dtype: np.dtype) -> np.floating:
    """``network.cost`` after the plain computation overflowed: with the careful rules, then, if (a - y)^2 or a
    sum overflowed, ``_cost_scaled``; a ValueError if C is still beyond range. Runs in the caller's x64 scope."""
    C = dtype.type(_cost_jit(cost_flagged, params, x, y))
    if not np.isfinite(C):   # (a - y)^2 or a sum overflowed: C itself may be in range
        C = dtype.type(_cost_scaled_jit(forward_flagged, params, x, y))
    _check_range([C], "the cost", dtype)
    return C


def grad(cost_flagged, params, x, y, dtype: np.dtype):
    """``network.grad`` after the plain computation overflowed: with the careful rules, then ``_grad_again``;
    a ValueError for a gradient still beyond range. Runs in the caller's x64 scope. NumPy arrays."""
    g = [(np.array(gW), np.array(gb)) for gW, gb in _grad_jit(cost_flagged, params, x, y)]
    g = _grad_again(cost_flagged, params, x, y, dtype, g) if not _finite(g) else g
    for l, (gW, gb) in enumerate(g, start=1):
        _check_range([gW, gb], f"the gradient of layer {l}", dtype)
    return g


def _finite(g) -> bool:
    return all(np.isfinite(a).all() for pair in g for a in pair)


def _grad_again(cost_flagged, params, x, y, dtype: np.dtype, g):
    """The gradient again when the careful rules alone overflowed: an intermediate (the cotangent W^T delta,
    before the multiplication by a small sigma') can overflow although every gradient element is in range.
    float32: computed in float64, rounded back. float64: jax.grad of C 2^-k (every cotangent is linear in the
    seed, so all of them are scaled by 2^-k), times 2^k (exact), for the smallest k of 64 and 512 that stays
    finite. What is still not finite is a gradient beyond the dtype's range: the caller refuses it."""
    with np.errstate(over="ignore", invalid="ignore"), jax.enable_x64(True):
        if dtype == np.float32:
            wide = [(W.astype(np.float64), b.astype(np.float64)) for W, b in params]
            g64 = _grad_jit(cost_flagged, wide, x.astype(np.float64), y.astype(np.float64))
            return [(np.asarray(gW).astype(np.float32), np.asarray(gb).astype(np.float32)) for gW, gb in g64]
        for k in (64, 512):
            gk = [(np.array(gW), np.array(gb))
                  for gW, gb in _grad_scaled_jit(cost_flagged, params, x, y, np.float64(2.0**-k))]
            if _finite(gk):
                return [(np.ldexp(gW, k), np.ldexp(gb, k)) for gW, gb in gk]
    return g


def _check_range(arrays, what: str, dtype: np.dtype) -> None:
    """ValueError when a result is not finite: from finite inputs that means the true value is beyond the
    dtype's range (XLA overflows silently), so no answer would be right."""
    for arr in arrays:
        if not np.isfinite(arr).all():
            raise ValueError(f"{what} is beyond {dtype}'s range (|value| > {np.finfo(dtype).max:.3g}) for these "
                             "inputs; scale the weights or inputs down")
