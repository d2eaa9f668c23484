"""The reference side of the oracle: ``jax.grad`` of the seed's cost and a rounding-error bound, for many
cases at once.

Compiling ``jax.grad`` for every new architecture costs ~0.35 s (FACTS.md), about 3 cases a second. Here
every case is zero-padded to one shape instead, DEPTH layers of WIDTH x WIDTH and a batch of BATCH rows,
and CHUNK cases go through one jitted, vmapped call, so each dtype compiles once:

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

DEPTH, WIDTH, BATCH, CHUNK = 6, 64, 16, 64
UNIT_ROUNDOFF = {"float64": 2.0**-53, "float32": 2.0**-24}


def _sigma_prime_max(lo, hi):
    """max of sigma'(t) = sigma(t)(1 - sigma(t)) over t in [lo, hi]: sigma' peaks at 0 and falls off both ways."""
    t = jnp.clip(0.0, lo, hi)
    a = jax.nn.sigmoid(t)
    return a * (1 - a)


def _case_reference(Ws, bs, X, Y, row_w, active, n, u):
    """Reference gradient, its error bound and the cost for ONE padded case (vmapped over cases below).

    Ws (DEPTH, WIDTH, WIDTH), bs (DEPTH, WIDTH), X (BATCH, WIDTH), Y (BATCH, WIDTH) in the case's dtype;
    row_w (BATCH,): 1/m for the m real rows, 0 for padding; active (DEPTH,) bool; n (DEPTH + 1,) the real
    widths n_0..n_L then 1s (for the gamma factors); u the case dtype's unit roundoff (a Python float).
    """
    dtype = Ws.dtype
    n_L = n[jnp.sum(active)].astype(dtype)

    def cost(params):
        a = X
        for l, (W, b) in enumerate(params):
            a = jnp.where(active[l], jax.nn.sigmoid(a @ W.T + b), a)
        per_example = 0.5 * jnp.sum((a - Y) ** 2, axis=-1) / n_L
        return jnp.sum(row_w.astype(dtype) * per_example)

    params = [(Ws[l], bs[l]) for l in range(DEPTH)]
    C, g = jax.value_and_grad(cost)(params)

    # The bound, in float64 from float64 values.
    f64 = jnp.float64
    Ws, bs, X, Y, row_w = (v.astype(f64) for v in (Ws, bs, X, Y, row_w))
    nf = n.astype(f64)
    m = 1.0 / jnp.max(row_w)

    def gamma(k):
        return k * u / (1 - k * u)

    A, EA = X, jnp.zeros_like(X)
    acts, errs, sps, esps = [A], [EA], [], []
    S_out, ES_out = jnp.zeros_like(X), jnp.zeros_like(X)
    for l in range(DEPTH):
        W, b = Ws[l], bs[l]
        aW = jnp.abs(W)
        Z = A @ W.T + b
        EZ = EA @ aW.T + gamma(nf[l] + 1) * ((jnp.abs(A) + EA) @ aW.T + jnp.abs(b))
        An = jax.nn.sigmoid(Z)
        EAn = _sigma_prime_max(Z - EZ, Z + EZ) * EZ + 8 * u * An + 2 * u
        S = An * (1 - An)
        ES = EAn * (1 + EAn) + 8 * u * S
        A, EA = jnp.where(active[l], An, A), jnp.where(active[l], EAn, EA)
        S_out, ES_out = jnp.where(active[l], S, S_out), jnp.where(active[l], ES, ES_out)
        acts.append(A)
        errs.append(EA)
        sps.append(S)
        esps.append(ES)

    R = A - Y
    ER = EA + u * jnp.abs(R)
    scale = row_w[:, None] / nf[jnp.sum(active)]
    D = R * S_out * scale
    ED = (ER * (S_out + ES_out) + jnp.abs(R) * ES_out) * scale + 6 * u * jnp.abs(D)
    EC = jnp.sum(scale * (jnp.abs(R) * ER + 0.5 * ER**2)) + gamma(nf[jnp.sum(active)] + 1 / jnp.max(row_w) + 3) * C

    bounds = [None] * DEPTH
    for l in reversed(range(DEPTH)):
        A_prev, EA_prev = acts[l], errs[l]
        aD, aA = jnp.abs(D), jnp.abs(A_prev)
        gW, gb = D.T @ A_prev, jnp.sum(D, axis=0)
        EgW = ED.T @ (aA + EA_prev) + aD.T @ EA_prev + gamma(m) * (aD.T @ aA) + 2 * u * jnp.abs(gW)
        Egb = jnp.sum(ED, axis=0) + gamma(m) * jnp.sum(aD, axis=0) + 2 * u * jnp.abs(gb)
        bounds[l] = (jnp.where(active[l], EgW, 0.0), jnp.where(active[l], Egb, 0.0))
        if l > 0:
            aW = jnp.abs(Ws[l])
            G = D @ Ws[l]
            EG = ED @ aW + gamma(nf[l + 1]) * (aD @ aW)
            S, ES = sps[l - 1], esps[l - 1]
            Dn = G * S
            EDn = EG * (S + ES) + jnp.abs(G) * ES + u * jnp.abs(Dn)
            D, ED = jnp.where(active[l], Dn, D), jnp.where(active[l], EDn, ED)

    gW = jnp.stack([gw for gw, _ in g])
    gb = jnp.stack([gb for _, gb in g])
    BW = jnp.stack([bw for bw, _ in bounds])
    Bb = jnp.stack([bb for _, bb in bounds])
    return gW, gb, BW, Bb, C, EC


_compiled = {
    dtype: jax.jit(jax.vmap(lambda *args, u=u: _case_reference(*args, u), in_axes=(0, 0, 0, 0, 0, 0, 0)))
    for dtype, u in UNIT_ROUNDOFF.items()
}


def pack(cases: list[tuple[list, np.ndarray, np.ndarray]], dtype: str) -> tuple[np.ndarray, ...]:
    """Zero-pad up to CHUNK materialised cases ``(params, x, y)`` of one dtype into the engine's arrays.

    Unused case slots are filled with a 1-1 network (they cost the same and are ignored).
    """
    K = CHUNK
    Ws = np.zeros((K, DEPTH, WIDTH, WIDTH), dtype)
    bs = np.zeros((K, DEPTH, WIDTH), dtype)
    X = np.zeros((K, BATCH, WIDTH), dtype)
    Y = np.full((K, BATCH, WIDTH), 0.5, dtype)
    row_w = np.zeros((K, BATCH), dtype)
    active = np.zeros((K, DEPTH), bool)
    n = np.ones((K, DEPTH + 1), np.int32)
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


def reference(cases: list[tuple[list, np.ndarray, np.ndarray]], dtype: str):
    """For up to CHUNK cases of one dtype: padded (gW, gb, bound_W, bound_b, C, bound_C) as NumPy arrays.

    gW (CHUNK, DEPTH, WIDTH, WIDTH) and gb (CHUNK, DEPTH, WIDTH) are in the case dtype; the bounds and
    bound_C are float64; case k's layer l occupies ``gW[k, l, :n_l, :n_{l-1}]``.
    """
    if len(cases) > CHUNK:
        raise ValueError(f"at most {CHUNK} cases per call, got {len(cases)}")
    arrays = pack(cases, dtype)
    with jax.enable_x64(True):
        out = _compiled[dtype](*arrays)
        return tuple(np.asarray(o) for o in out)
