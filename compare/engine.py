"""The reference side of the oracle: ``jax.grad`` of the seed's cost and a rounding-error bound, for many
cases at once.

Compiling ``jax.grad`` for every new architecture costs ~0.35 s (FACTS.md), about 3 cases a second. Here
every case is zero-padded to one shape instead, DEPTH layers of P x P (P the narrowest of WIDTHS that fits)
and a batch of BATCH rows, and CHUNK cases go through one jitted, vmapped call, so each (dtype, P) compiles
once (and JAX's persistent cache, see ``compare.jaxcache``, keeps the compilations between runs):

- a padded unit has zero weights in and out and zero bias: its z is 0 and, because its outgoing weights
  are 0, it adds exactly nothing to the next layer's z; padded output units have a = y = 1/2, so they add
  nothing to C;
- a padded example (row) has weight 0 in the batch mean, so it adds nothing to C or to any gradient;
- a padded layer (beyond the case's depth L) is skipped: a^l = where(active_l, sigma(z^l), a^{l-1}).

So the padded cost equals the case's cost, its ``jax.grad`` on the real entries is the case's gradient
(tests/test_engine.py checks it against ``autodiff.grad``), and the padded entries are ignored.

Beside each gradient element the same call computes a bound on its rounding error: a running error
analysis (Higham, Accuracy and Stability of Numerical Algorithms, ch. 3) that carries, for every a, sigma',
delta and gradient element, a bound on its distance from the exact value, built from the magnitudes of
what was summed. With u the dtype's unit roundoff and gamma(k) = k u / (1 - k u) for a k-term sum:

    z = W a + b        e_z  = |W| e_a + gamma(n_{l-1} + 1) (|W| (|a| + e_a) + |b|)
    a = sigma(z)       e_a' = s e_z + 8u a + 2u,  s = max of sigma' on [z - e_z, z + e_z]
                       (8u relative for exp and division, 2u absolute: whatever the formula for sigma, one
                        end of it is only accurate to about u absolute, e.g. 1/2 + tanh(z/2)/2 near 0)
    sigma' = a(1 - a)  e_s  = e_a' (1 + e_a') + 8u sigma'   (|sigma''| <= sigma', so this also covers
                                                              sigma' computed from z instead of a)
    delta^L = (a - y) sigma' / (n_L m)                  e = (e_r (s + e_s) + |a - y| e_s) / (n_L m) + 6u |delta|
    delta^l = (W^T delta) sigma'   with g = W^T delta:  e_g = |W|^T e_delta + gamma(n_{l+1}) |W|^T |delta|
                                                        e   = e_g (s + e_s) + |g| e_s + u |delta^l|
    grad W = delta^T a (sum over m examples)            e = e_delta^T (|a| + e_a) + |delta|^T e_a
                                                            + gamma(m) |delta|^T |a| + 2u |grad W|
    grad b = sum of delta over the batch                e = sum e_delta + gamma(m) sum |delta| + 2u |grad b|

Every computation of the same mathematics that sums in any order (BLAS blocking, a per-example loop, FMA,
einsum, extended precision) stays within this bound of the exact gradient, so two of them may differ by
up to twice it: that is the per-element tolerance. The bound is evaluated in float64 (from float64
values) whatever the case's dtype; float32 cases use float32's u.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

DEPTH, BATCH, CHUNK = 6, 16, 64
WIDTHS = (16, 64)          # a chunk is padded to the narrowest of these that fits all its cases
WIDTH = WIDTHS[-1]
UNIT_ROUNDOFF = {"float64": 2.0**-53, "float32": 2.0**-24}


def width_bucket(sizes) -> int:
    """The padded width a case with these layer sizes needs."""
    return next(w for w in WIDTHS if max(sizes) <= w)


def _case_values(Ws, bs, X, Y, row_w, active, n_L):
    """jax.grad for ONE padded case (vmapped over a chunk below), with the values the bound needs.

    Ws (DEPTH, P, P), bs (DEPTH, P), X (BATCH, P), Y (BATCH, P), row_w (BATCH,): 1/m for the m real rows and
    0 for padding, active (DEPTH,) bool, n_L the real output width; all in the case's dtype.

    jax.grad also differentiates with respect to a zero added to every z^l: that derivative is delta^l, so the
    bound reuses jax's own forward values (returned as aux) and deltas instead of recomputing them.
    """
    def cost(params, eps):
        a, acts, zs = X, [X], []
        for l, (W, b) in enumerate(params):
            z = a @ W.T + b + eps[l]
            a = jnp.where(active[l], jax.nn.sigmoid(z), a)
            acts.append(a)
            zs.append(z)
        per_example = 0.5 * jnp.sum((a - Y) ** 2, axis=-1) / n_L
        return jnp.sum(row_w * per_example), (jnp.stack(acts), jnp.stack(zs))

    params = [(Ws[l], bs[l]) for l in range(DEPTH)]
    eps = jnp.zeros((DEPTH,) + X.shape, X.dtype)
    (C, (acts, zs)), (g, deltas) = jax.value_and_grad(cost, argnums=(0, 1), has_aux=True)(params, eps)
    return (jnp.stack([gW for gW, _ in g]), jnp.stack([gb for _, gb in g]), C, acts, zs, deltas)


_values = jax.jit(jax.vmap(_case_values))


def pack(cases: list[tuple[list, np.ndarray, np.ndarray]], dtype: str):
    """Zero-pad up to CHUNK materialised cases ``(params, x, y)`` of one dtype into the engine's arrays:
    Ws (CHUNK, DEPTH, P, P), bs, X, Y, row_w, active, n (real widths n_0..n_L, then 1s), with P the narrowest
    of WIDTHS that fits every case. Unused slots hold a 1-1 network (computed and ignored).
    """
    K = CHUNK
    P = max(width_bucket([len(p[-1][1])] + [W.shape[1] for W, _ in p]) for p, _, _ in cases)
    Ws = np.zeros((K, DEPTH, P, P), dtype)
    bs = np.zeros((K, DEPTH, P), dtype)
    X = np.zeros((K, BATCH, P), dtype)
    Y = np.full((K, BATCH, P), 0.5, dtype)
    row_w = np.zeros((K, BATCH), dtype)
    active = np.zeros((K, DEPTH), bool)
    n = np.ones((K, DEPTH + 1), np.int64)
    row_w[len(cases):, 0] = 1.0
    active[len(cases):, 0] = True
    for k, (params, x, y) in enumerate(cases):
        x2, y2 = (x, y) if x.ndim == 2 else (x[None, :], y[None, :])
        m = x2.shape[0]
        X[k, :m, : x2.shape[1]] = x2
        Y[k, :m, : y2.shape[1]] = y2
        row_w[k, :m] = 1.0 / m
        n[k, 0] = x2.shape[1]
        for l, (W, b) in enumerate(params):
            Ws[k, l, : W.shape[0], : W.shape[1]] = W
            bs[k, l, : b.shape[0]] = b
            active[k, l] = True
            n[k, l + 1] = W.shape[0]
    return Ws, bs, X, Y, row_w, active, n


def dispatch(cases: list[tuple[list, np.ndarray, np.ndarray]], dtype: str):
    """Start the jax.grad of up to CHUNK cases of one dtype; JAX runs it in the background (its dispatch is
    asynchronous) while the caller does other work. ``collect`` turns the handle into results."""
    if len(cases) > CHUNK:
        raise ValueError(f"at most {CHUNK} cases per call, got {len(cases)}")
    arrays = pack(cases, dtype)
    Ws, bs, X, Y, row_w, active, n = arrays
    L = active.sum(axis=1)
    n_L = n[np.arange(CHUNK), L].astype(dtype)
    with jax.enable_x64(True):
        out = _values(Ws, bs, X, Y, row_w, active, n_L)
    return dtype, len(cases), arrays, out


def collect(handle):
    """(gW, gb, bound_W, bound_b, C, bound_C) for a dispatched chunk, as NumPy arrays.

    gW (K, D, P, P) and gb (K, D, P) are in the case dtype, the rest float64; case k's layer l occupies
    ``gW[k, l, :n_l, :n_{l-1}]``. K, D and P are cut down to the chunk's real cases, deepest case and widest
    layer (the padding beyond them is all zeros and pass-through), so the bound does no work on them.
    """
    dtype, K, (Ws, bs, X, Y, row_w, active, n), out = handle
    D = int(active[:K].sum(axis=1).max())
    P = int(n[:K].max())
    M = int((row_w[:K] > 0).sum(axis=1).max())
    gW, gb, C, acts, zs, deltas = (np.asarray(o) for o in out)
    gW, gb, C = gW[:K, :D, :P, :P], gb[:K, :D, :P], C[:K]
    Ws, bs, Y, row_w = (np.asarray(v, np.float64) for v in (Ws[:K, :D, :P, :P], bs[:K, :D, :P], Y[:K, :M, :P],
                                                               row_w[:K, :M]))
    active, n = active[:K, :D], n[:K, :D + 1]
    acts, zs, deltas = acts[:K, :D + 1, :M, :P], zs[:K, :D, :M, :P], deltas[:K, :D, :M, :P]
    BW, Bb, EC = bound(Ws, bs, Y, row_w, active, n, gW, gb, C, acts, zs, deltas, UNIT_ROUNDOFF[dtype])
    return gW, gb, BW, Bb, C.astype(np.float64), EC


def reference(cases: list[tuple[list, np.ndarray, np.ndarray]], dtype: str):
    """``collect(dispatch(cases, dtype))``: the reference and its bounds for up to CHUNK cases of one dtype."""
    return collect(dispatch(cases, dtype))


def _sigma_prime_max(lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """max of sigma'(t) over t in [lo, hi]: sigma' = (1 - tanh(t/2)^2)/4 peaks at 0 and falls off both ways."""
    t = np.minimum(np.maximum(lo, 0.0), hi)
    th = np.tanh(0.5 * t)
    return 0.25 * (1 - th * th)


def bound(Ws, bs, Y, row_w, active, n, gW, gb, C, acts, zs, deltas, u: float):
    """The running error bound of the module docstring, for a chunk at once (NumPy, float64, batched matmuls:
    XLA's small batched products are ~3x slower than NumPy's on this machine).

    Shapes: Ws (K, D, P, P), acts (K, D + 1, M, P), zs and deltas (K, D, M, P), n (K, D + 1); returns
    bound_W (K, D, P, P), bound_b (K, D, P) (zero on layers beyond a case's depth) and bound_C (K,).
    """
    f64 = np.float64
    K, D = active.shape
    col = (slice(None), None, None)                  # (K,) -> (K, 1, 1)
    nf = n.astype(f64)
    m = 1.0 / row_w.max(axis=1)
    L = active.sum(axis=1)

    def gamma(k):
        return k * u / (1 - k * u)

    A = np.asarray(acts, f64)
    aWs = np.abs(Ws)
    EA = np.zeros_like(A[:, 0])
    errs, sps, esps = [EA], [], []
    for l in range(D):
        g1 = gamma(nf[:, l] + 1)[col]
        Z, An = np.asarray(zs[:, l], f64), A[:, l + 1]
        EZ = (EA * (1 + g1) + g1 * np.abs(A[:, l])) @ aWs[:, l].transpose(0, 2, 1) + g1 * np.abs(bs[:, l, None, :])
        EAn = _sigma_prime_max(Z - EZ, Z + EZ) * EZ + 8 * u * An + 2 * u
        S = An * (1 - An)
        EA = np.where(active[:, l][col], EAn, EA)
        errs.append(EA)
        sps.append(S)
        esps.append(EAn * (1 + EAn) + 8 * u * S)

    R = A[:, -1] - Y
    ER = errs[-1] + u * np.abs(R)
    scale = row_w[:, :, None] / nf[np.arange(K), L][col]
    aC = np.abs(C)
    EC = (scale * (np.abs(R) * ER + 0.5 * ER**2)).sum(axis=(1, 2)) + gamma(nf[np.arange(K), L] + m + 3) * aC

    BW = np.zeros(gW.shape, f64)
    Bb = np.zeros(gb.shape, f64)
    aD_all = np.abs(np.asarray(deltas, f64))
    gm = gamma(m)[col]
    ED_next = np.zeros_like(R)
    for l in reversed(range(D)):
        aD = aD_all[:, l]
        S, ES = sps[l], esps[l]
        ED = (ER * (S + ES) + np.abs(R) * ES) * scale + 6 * u * aD           # delta^L's bound, if l is the top
        if l + 1 < D:
            D_next = aD_all[:, l + 1]
            aW = aWs[:, l + 1]
            EG = (ED_next + gamma(nf[:, l + 2])[col] * D_next) @ aW           # bound on (W^{l+1})^T delta^{l+1}
            G = D_next @ aW                                                    # ... and on its magnitude
            ED = np.where((L == l + 1)[col], ED, EG * (S + ES) + G * ES + u * aD)
        aA, EAp = np.abs(A[:, l]), errs[l]
        EDt, aDt = ED.transpose(0, 2, 1), aD.transpose(0, 2, 1)
        EgW = EDt @ (aA + EAp) + aDt @ (EAp + gm * aA) + 2 * u * np.abs(gW[:, l])
        Egb = ED.sum(axis=1) + gamma(m)[:, None] * aD.sum(axis=1) + 2 * u * np.abs(gb[:, l])
        on = active[:, l]
        BW[:, l] = np.where(on[col], EgW, 0.0)
        Bb[:, l] = np.where(on[:, None], Egb, 0.0)
        ED_next = ED
    return BW, Bb, EC
