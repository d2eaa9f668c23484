"""The tolerance policy: a running rounding-error bound on every gradient element, and ``tolerance()``.

A running error analysis (Higham, Accuracy and Stability of Numerical Algorithms, ch. 3) carries, for every
a, sigma', delta and gradient element, a bound on its distance from the exact value, built from the
magnitudes of what was summed. With u the dtype's unit roundoff and gamma(k) = k u / (1 - k u) for a k-term
sum (names as in ``bound``'s code):

    z = W a + b        e_z  = |W| e_a + gamma(n_{l-1} + 1) (|W| (|a| + e_a) + |b|)
    a = sigma(z)       e_a' = s e_z + 8u a + F u,  s = max of sigma' on [z - e_z, z + e_z], F = SIGMA_FLOOR = 8
                       (8u relative for exp and division; an absolute floor F u because whatever the formula
                        for sigma, one end of it is only accurate to some u absolute: see "The floor" below)
    sigma' = a(1 - a)  e_sp = e_a' (1 + e_a') + 8u sigma'  (|sigma''| <= sigma', so this also covers
                                                             sigma' computed from z instead of a)
    r = a^L - y        e_r  = e_a^L + u |r|
    delta^L = r sigma' / (n_L m)                        e_delta = (e_r (sp + e_sp) + |r| e_sp) / (n_L m) + 6u |delta|
    delta^l = g sigma', g = (W^{l+1})^T delta^{l+1}:    e_g = |W|^T e_delta + gamma(n_{l+1}) |W|^T |delta|
                                                        e_delta = e_g (sp + e_sp) + |g| e_sp + u |delta^l|
    grad W = delta^T a (summed over m examples)         e = e_delta^T (|a| + e_a) + |delta|^T e_a
                                                            + gamma(m) |delta|^T |a| + 2u |grad W|
    grad b = delta summed over the batch                e = sum e_delta + gamma(m) sum |delta| + 2u |grad b|

Every computation of the same mathematics that sums in any order (BLAS blocking, a per-example loop, FMA,
einsum, extended precision) stays within this bound of the exact gradient, so two of them may differ by up
to twice it: ``tolerance(bound) = 2 * bound`` is the per-element tolerance, the one place it is defined.
The bound is evaluated in float64 from float64 values whatever the case's dtype, with that dtype's u.

The floor (``SIGMA_FLOOR``, ``SIGMA_RELATIVE``; ``sigma_error`` is the model, the one place it is written) is measured,
not argued: ``python -m compare.oracle.reference.sigmatable`` computes sigma and sigma' by every formula people use
(NumPy 1/(1+exp(-z)), its stable two-branch form, 1/2 + tanh(z/2)/2 in NumPy and in XLA, jax.nn.sigmoid, 1 - sigma(-z),
scipy.special.expit, exp(-logaddexp(0, -z)), long double rounded; sigma' as a(1 - a) of each, e/(1+e)^2, sigma(z)
sigma(-z), (1 - tanh(z/2)^2)/4 and jax.grad's) on ~4 x 10^5 z per dtype over the whole range where they are nonzero,
against exact values in arb, and prints the absolute floor the model 8u |exact| + F u needs: max(|error| - 8u sigma) for
sigma, max(|error| - 8u (sigma + sigma')) for sigma'. Measured (2026-12):

    formula                        float64 floor needed   float32 floor needed
    XLA 1/2 + tanh(z/2)/2          3.46u (z = -40)        1.95u (z = -11.3)    (sigma and a(1 - a) alike)
      denser: 4 x 10^6 z in [-50, -30] (long double as exact): 3.83u at z = -32.29; every float32 z with
      |z| in [0.25, 104]: 2.45u at z = -10.25 (XLA's tanh: 7.7u and 4.9u absolute near |z/2| = 16 and 5)
    1 - sigma(-z) and a(1 - a)     1.49u                  1.49u
    (1 - tanh(z/2)^2)/4            0.55u                  0.58u
    NumPy 1/2 + tanh(z/2)/2        0.43u                  0.49u
    every exp form, expit, long double: 0 (their error is within 8u relative)

With the worst seen, 3.83u, and a margin of 2 for z not sampled, rounded up: F = 8. The relative term 8u
covers the rest: with F = 8 no formula needs more than 8u relative anywhere (the table's last column; the worst
relative errors, 33u of exp(-logaddexp(0, -z)) in float64, occur only where F u is many times their size).
The old F = 2 failed ``jax.grad`` with XLA's tanh form on 1 of 20,000 thorough cases (issue 24; with F = 8 it
stays at most 0.216 (float64) and 0.126 (float32) of the tolerance on 20,000 cases per dtype, the controls
``right_sigma_*`` at most 0.093, and tests/test_exact_gradients.py checks the bound against arb); F = 8 costs
little sensitivity (``python -m compare.oracle.reference.sigmatable --sensitivity``, 300 cases per dtype, one gradient
element of ``manual.grad`` times 1 + e caught: float64, e = 1e-8: largest element 100% and a random one 98.7%,
as with F = 2; float32, e = 1e-3: 86.7% and 60.7%, from 89.3% and 66.0%).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

UNIT_ROUNDOFF = {"float64": 2.0**-53, "float32": 2.0**-24}
SIGMA_RELATIVE = 8      # a = sigma(z) at an exact z is within (SIGMA_RELATIVE a + SIGMA_FLOOR) u of sigma(z)
SIGMA_FLOOR = 8         # in units of u: the absolute floor (module docstring: measured, with its margin)


def sigma_error(a, u: float):
    """The error model of a computed a = sigma(z) at an exact z: (SIGMA_RELATIVE a + SIGMA_FLOOR) u, the one
    place it is written (``parts`` holds a candidate's ``sigmoid`` to it too)."""
    return (SIGMA_RELATIVE * a + SIGMA_FLOOR) * u


def tolerance(bound):
    """The per-element tolerance for comparing a correct computation with the reference: twice the bound
    (each of the two may be off by the bound)."""
    return 2 * bound


STEP_ROUNDINGS = 4       # a step's own roundings: eta into the dtype, eta / m (or the division by m), the product,
                         # the subtraction
REPRODUCTION_SAFETY = 4.0   # a recomputed mistake's sums differ from the candidate's (module ``mistakes``)


def step_tolerance(p: np.ndarray, g: np.ndarray, t: np.ndarray, coef: float, u: float, m: int = 1) -> np.ndarray:
    """The tolerance of ``p - coef * g`` when g is known within ``t`` (a gradient's ``tolerance``) and is the
    mean (or sum) of ``m`` examples' terms: |coef| t + STEP_ROUNDINGS u (|p| + |coef| (|g| + t)) + (m - 1) u |p|
    (``step``'s docstring derives it; the last term: the examples' terms subtracted one at a time)."""
    k = abs(coef)
    more = (m - 1) * u * np.abs(p) if m > 1 else 0.0        # (not 0 * inf = NaN for a diverged step's inf)
    return k * t + STEP_ROUNDINGS * u * (np.abs(p) + k * (np.abs(g) + t)) + more


def forward_error(params, acts: list, u: float) -> np.ndarray:
    """A bound on |computed a^L - exact a^L| (m, n_L) of a forward pass with unit roundoff u, from the exact
    activations ``acts`` = [a^0 = X, a^1, ..., a^L]: e_z = |W| e_a + gamma(n + 1) (|W| (|a| + e_a) + |b|),
    e_a' = e_z / 4 + sigma_error(a', u) (``bound``'s forward recursion with sigma' at its largest, 1/4). What a
    backend's ``forward`` and ``accuracy`` are held to (``verdict.parts``)."""
    e_a = np.zeros(acts[0].shape)
    for (W, b), a, a_next in zip(params, acts, acts[1:]):
        n = W.shape[1]
        g = (n + 1) * u / (1 - (n + 1) * u)
        abs_W = np.abs(W.astype(np.float64))
        e_z = e_a @ abs_W.T + g * ((np.abs(a.astype(np.float64)) + e_a) @ abs_W.T + np.abs(b.astype(np.float64)))
        e_a = e_z / 4 + sigma_error(a_next.astype(np.float64), u)
    return e_a


def reproduction_tolerance(t: np.ndarray, rho: np.ndarray, s: float) -> np.ndarray:
    """The tolerance for a recomputation with a catalogued mistake to reproduce a candidate's element:
    REPRODUCTION_SAFETY s rho t, with t the reference's tolerance, rho how much the mistake scales the magnitudes
    summed, s how much coarser its precision is (``mistakes.fit`` says why each factor)."""
    return REPRODUCTION_SAFETY * s * rho * t


class Net(NamedTuple):
    """A chunk of padded cases as the bound reads them (float64): weights ``Ws`` (K, D, P, P), biases ``bs``
    (K, D, P), targets ``Y`` (K, M, P), ``row_w`` (K, M) 1/m for real rows and 0 for padding, ``active``
    (K, D) bool, ``n`` (K, D + 1) the real widths n_0..n_L (1 beyond the depth)."""

    Ws: np.ndarray
    bs: np.ndarray
    Y: np.ndarray
    row_w: np.ndarray
    active: np.ndarray
    n: np.ndarray


class Values(NamedTuple):
    """What ``jax.grad`` computed for the chunk: ``gW`` (K, D, P, P), ``gb`` (K, D, P), the cost ``C`` (K,),
    the activations ``acts`` a^0..a^D (K, D + 1, M, P), ``zs`` and the deltas ``deltas`` (K, D, M, P)."""

    gW: np.ndarray
    gb: np.ndarray
    C: np.ndarray
    acts: np.ndarray
    zs: np.ndarray
    deltas: np.ndarray


class Bounds(NamedTuple):
    """The bounds on |computed - exact|: ``W`` (K, D, P, P), ``b`` (K, D, P) (zero beyond a case's depth) and the
    cost's ``C`` (K,), float64."""

    W: np.ndarray
    b: np.ndarray
    C: np.ndarray


def _sigma_prime_max(lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """max of sigma'(t) over t in [lo, hi]: sigma' = (1 - tanh(t/2)^2)/4 peaks at 0 and falls off both ways."""
    t = np.minimum(np.maximum(lo, 0.0), hi)
    th = np.tanh(0.5 * t)
    return 0.25 * (1 - th * th)


class Layers(NamedTuple):
    """One list entry per layer l (0-based), each (K, ...) with that layer's own widths, which may differ from
    layer to layer (an unpadded case): ``Ws`` (K, n_l, n_{l-1}), ``bs`` (K, n_l), ``acts`` a^0..a^D
    (K, M, n_l), ``zs`` and ``deltas`` (K, M, n_l), ``gW`` and ``gb`` like ``Ws`` and ``bs``."""

    Ws: list
    bs: list
    acts: list
    zs: list
    deltas: list
    gW: list
    gb: list


def bound(net: Net, v: Values, u: float, eta: float = 0.0) -> Bounds:
    """The running error bound of the module docstring for a chunk of cases at once (NumPy, float64, batched
    matmuls: on these machines they beat XLA's small batched float64 products).

    ``eta`` > 0 adds underflow: every product may carry an absolute error of up to eta (the dtype's smallest
    subnormal) besides its relative one, so each k-term product or sum gets k eta more, and the errors of a and
    sigma' are capped at 1 and 1/4 (both values, computed and exact, lie in [0, 1] and [0, 1/4]: near the range's
    end an ill-conditioned z can have an error bound far beyond that). The bound is evaluated in the dtype of
    ``net.Ws`` when it is wider than float64 (``longdouble``: values beyond float64's range)."""
    D = net.active.shape[1]
    layers = Layers([net.Ws[:, l] for l in range(D)], [net.bs[:, l] for l in range(D)],
                    [v.acts[:, l] for l in range(D + 1)], [v.zs[:, l] for l in range(D)],
                    [v.deltas[:, l] for l in range(D)], [v.gW[:, l] for l in range(D)],
                    [v.gb[:, l] for l in range(D)])
    B_W, B_b, e_C = bound_layers(layers, net.Y, net.row_w, net.active, net.n, v.C, u, eta)
    return Bounds(np.stack(B_W, axis=1), np.stack(B_b, axis=1), e_C)


def _keep(on: np.ndarray, new: np.ndarray, old: np.ndarray) -> np.ndarray:
    """``new`` where a case's layer is active, else ``old`` (only padded cases have inactive layers)."""
    return new if on.all() else np.where(on, new, old)


def bound_layers(layers: Layers, Y: np.ndarray, row_w: np.ndarray, active: np.ndarray, n: np.ndarray, C, u: float,
                 eta: float = 0.0):
    """``bound`` on per-layer lists (``Layers``): returns (bounds on grad W^l per layer, on grad b^l per layer, on
    C (K,)). ``Y`` (K, M, n_L), ``row_w`` (K, M), ``active`` (K, D) and ``n`` (K, D + 1) as in ``Net``; a case
    whose layers are not all active must have one width throughout (padded); ``eta`` as in ``bound``."""
    f64 = np.result_type(np.asarray(layers.Ws[0]).dtype, np.float64)
    K, D = active.shape
    col = (slice(None), None, None)                  # (K,) -> (K, 1, 1)
    n = n.astype(f64)
    m = 1.0 / row_w.max(axis=1)
    L = active.sum(axis=1)
    n_L = n[np.arange(K), L]

    def gamma(k):
        return k * u / (1 - k * u)

    a = [np.asarray(x, f64) for x in layers.acts]
    abs_a = [np.abs(x) for x in a[:D]]
    abs_W = [np.abs(np.asarray(W, f64)) for W in layers.Ws]
    # The inputs a^0 are exact: e_a^0 is 0, written None so that no term multiplies or adds an array of zeros
    # (each such term would be exactly +0, so leaving it out changes no bit of the bound and saves passes over
    # the widest arrays, (K, M, n_0)).
    e_a = None
    e_as, sps, e_sps = [e_a], [], []                 # per layer: e_a^l, sigma'(z^l), e_sp^l
    for l in range(D):
        g1 = gamma(n[:, l] + 1)[col]
        z, a_next = np.asarray(layers.zs[l], f64), a[l + 1]
        if e_a is None:                              # g1 |a| |W|^T: the scalar after the product, not on (M, n_0)
            e_z = g1 * (abs_a[l] @ abs_W[l].transpose(0, 2, 1))
        else:
            e_z = (e_a * (1 + g1) + g1 * abs_a[l]) @ abs_W[l].transpose(0, 2, 1)
        e_z = e_z + g1 * np.abs(np.asarray(layers.bs[l], f64)[:, None, :])
        if eta:
            e_z = e_z + (n[:, l] + 1)[col] * eta
        e_a_next = _sigma_prime_max(z - e_z, z + e_z) * e_z + sigma_error(a_next, u) + eta
        if eta:                                      # a and its exact value both lie in [0, 1]
            e_a_next = np.minimum(e_a_next, 1.0)
        sp = a_next * (1 - a_next)
        e_a = _keep(active[:, l][col], e_a_next, np.zeros_like(e_a_next) if e_a is None else e_a)
        e_as.append(e_a)
        sps.append(sp)
        e_sp = e_a_next * (1 + e_a_next) + 8 * u * sp + eta
        e_sps.append(np.minimum(e_sp, 0.25) if eta else e_sp)                  # sigma' in [0, 1/4]

    r = a[-1] - Y
    e_r = e_as[-1] + u * np.abs(r)
    scale = row_w[:, :, None] / n_L[col]             # 1 / (n_L m) on real rows
    real = np.arange(r.shape[2]) < n_L[:, None, None]   # output units within n_L: a padded one adds no cost
    e_C = ((np.where(real, scale, 0.0) * (np.abs(r) * e_r + 0.5 * e_r**2)).sum(axis=(1, 2))
           + gamma(n_L + m + 3) * np.abs(C))
    if eta:
        e_C = e_C + (n_L * m + 3) * eta

    B_W, B_b = [None] * D, [None] * D
    gm = gamma(m)[col]
    e_delta_next = np.zeros_like(r)
    d_next = None
    for l in reversed(range(D)):
        d = np.abs(np.asarray(layers.deltas[l], f64))
        sp, e_sp = sps[l], e_sps[l]
        top = L == l + 1
        if l + 1 < D:
            W_next = abs_W[l + 1]
            e_g = (e_delta_next + gamma(n[:, l + 2])[col] * d_next) @ W_next        # on (W^{l+1})^T delta^{l+1}
            g = d_next @ W_next                                                     # ... and its magnitude
            if eta:
                e_g = e_g + (n[:, l + 2][col] + 1) * eta
            e_delta = e_g * (sp + e_sp) + g * e_sp + u * d + eta
            if top.any():                                                           # delta^L's, if l is the top
                e_delta = np.where(top[col], (e_r * (sp + e_sp) + np.abs(r) * e_sp) * scale + 6 * u * d + 3 * eta,
                                   e_delta)
        else:
            e_delta = (e_r * (sp + e_sp) + np.abs(r) * e_sp) * scale + 6 * u * d + 3 * eta
        e_a = e_as[l]
        e_delta_t, d_t = e_delta.transpose(0, 2, 1), d.transpose(0, 2, 1)
        if e_a is None:                                  # e_a^0 = 0 (exact inputs): one product with |a^0|
            e_gW = (e_delta_t + gm * d_t) @ abs_a[l]
        else:
            e_gW = e_delta_t @ (abs_a[l] + e_a) + d_t @ (e_a + gm * abs_a[l])
        e_gW = e_gW + 2 * u * np.abs(layers.gW[l])
        e_gb = e_delta.sum(axis=1) + gamma(m)[:, None] * d.sum(axis=1) + 2 * u * np.abs(layers.gb[l])
        if eta:
            e_gW, e_gb = e_gW + (m[col] + 1) * eta, e_gb + (m[:, None] + 1) * eta
        on = active[:, l]
        B_W[l] = e_gW if on.all() else np.where(on[col], e_gW, 0.0)
        B_b[l] = e_gb if on.all() else np.where(on[:, None], e_gb, 0.0)
        e_delta_next, d_next = e_delta, d
    return B_W, B_b, e_C
