"""How far the ways people compute sigma and sigma' are from the exact values: the measurement behind the bound's
absolute floor (``bound.SIGMA_FLOOR``), and how sensitive the oracle stays with it.

``python -m compare.oracle.reference.sigmatable`` samples z densely over the whole range where sigma or sigma' is a
nonzero number of the dtype (log-spaced |z| from 1e-12 and linear grids, both signs, about 4 x 10^5 points per
dtype), computes each formula in float64 and float32 and the exact values in arb (python-flint, 200 bits, from
the dtype's z), and prints for each formula the worst absolute error in units of u, the worst relative error in
units of u (over results in the dtype's normal range) and the absolute floor the bound's error model
``8u |exact| + floor`` needs to cover it: max(|error| - 8u |exact|) for sigma, and for sigma'
max(|error| - 8u (sigma + sigma')) (the bound gives sigma' the error of a plus 8u sigma', see ``bound``).

``--sensitivity`` measures what the floor costs: ``manual.grad`` with one element of its gradient multiplied by
(1 + e) (the largest element, or one at random), and the fraction of drawn default cases on which the reference's
tolerance catches it, with the floor given by ``--floor`` (in units of u; default ``bound.SIGMA_FLOOR``).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

import numpy as np

from . import bound as bound_mod

LD = np.longdouble
REL = bound_mod.SIGMA_RELATIVE


def _stable(z: np.ndarray) -> np.ndarray:
    """1/(1 + e^-z) in two branches from e = exp(-|z|) <= 1 (no overflow)."""
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e)).astype(z.dtype)


def _jax(fn: Callable) -> Callable:
    """``fn`` (a jax.numpy function of z) run eagerly on a NumPy array, float64 enabled, the dtype kept."""
    def run(z: np.ndarray) -> np.ndarray:
        import jax
        with jax.enable_x64(True):
            return np.asarray(fn(jax.numpy.asarray(z)), z.dtype)
    return run


def _jnp_tanh(z):
    import jax.numpy as jnp
    return 0.5 + 0.5 * jnp.tanh(0.5 * z)


def _jax_nn(z):
    import jax
    return jax.nn.sigmoid(z)


def _jax_grad(fn: Callable) -> Callable:
    """sigma' as ``jax.grad`` of the sigma ``fn`` computes it (jax's own derivative rules)."""
    def g(z):
        import jax
        return jax.vmap(jax.grad(fn))(z)
    return _jax(g)


def _expit(z: np.ndarray) -> np.ndarray:
    from scipy.special import expit
    return expit(z)


SIGMAS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "numpy 1/(1+exp(-z))": lambda z: 1 / (1 + np.exp(-z)),
    "numpy exp, two branches": _stable,
    "numpy 1/2+tanh(z/2)/2": lambda z: 0.5 + 0.5 * np.tanh(0.5 * z),
    "XLA 1/2+tanh(z/2)/2": _jax(_jnp_tanh),
    "jax.nn.sigmoid": _jax(_jax_nn),
    "1 - sigma(-z), two branches": lambda z: 1 - _stable(-z),
    "scipy.special.expit": _expit,
    "exp(-logaddexp(0, -z))": lambda z: np.exp(-np.logaddexp(0, -z)),
    "long double, rounded": lambda z: _stable(z.astype(LD)).astype(z.dtype),
}

SIGMA_PRIMES: dict[str, Callable[[np.ndarray], np.ndarray]] = {   # besides a(1 - a) from every sigma above
    "e/(1+e)^2, e = exp(-|z|)": lambda z: (lambda e: e / (1 + e) ** 2)(np.exp(-np.abs(z))),
    "sigma(z) sigma(-z), two branches": lambda z: _stable(z) * _stable(-z),
    "(1 - tanh(z/2)^2)/4": lambda z: 0.25 * (1 - np.tanh(0.5 * z) ** 2),
    "jax.grad(jax.nn.sigmoid)": _jax_grad(_jax_nn),
    "jax.grad(XLA tanh form)": _jax_grad(_jnp_tanh),
}


def grid(dtype: str, points: int) -> np.ndarray:
    """z of ``dtype`` over the range where sigma(z) or sigma'(z) is a nonzero number of the dtype: |z| up to
    -log(smallest subnormal); ``points`` // 4 log-spaced |z| per sign from 1e-12, ``points`` // 4 linear over
    the range and as many linear over |z| <= 60 (where a computed sigma is neither 0 nor 1 ends)."""
    zmax = -np.log(float(np.finfo(dtype).smallest_subnormal))
    q = points // 4
    mags = np.geomspace(1e-12, zmax, q)
    z = np.concatenate([mags, -mags, np.linspace(-zmax, zmax, q), np.linspace(-60, 60, q), [0.0]])
    return np.unique(z.astype(dtype))


def exact(z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """sigma(z) and sigma'(z) at the (dtype) points z, each as a float64 pair (hi, lo) with hi + lo within
    2^-106 relative of the exact value (arb at 200 bits; in the subnormal range hi alone, to the nearest)."""
    from flint import arb, ctx
    ctx.prec = 200
    out = np.empty((4, z.size))
    for i, zi in enumerate(z.astype(np.float64)):
        e = (-arb(float(zi))).exp()
        for j, v in enumerate((1 / (1 + e), e / (1 + e) ** 2)):
            hi = float(v)
            out[2 * j, i], out[2 * j + 1, i] = hi, float(v - hi)
    return (out[0], out[1]), (out[2], out[3])


def errors(got: np.ndarray, want: tuple[np.ndarray, np.ndarray], rel_with: np.ndarray, u: float,
           tiny: float) -> tuple[float, float, float, int, float]:
    """(worst |error| / u, worst relative error / u over |exact| >= tiny, the floor the model needs: worst
    (|error| - SIGMA_RELATIVE u rel_with) / u, the z index where it is needed, the relative coefficient the
    model needs with the floor it has: worst (|error| - SIGMA_FLOOR u) / (rel_with u)); non-finite results
    give inf."""
    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
        err = np.abs((got.astype(np.float64) - want[0]) - want[1])
        err = np.where(np.isfinite(err), err, np.inf)
        exact_ = np.abs(want[0])
        rel = np.where(exact_ >= tiny, err / np.where(exact_ > 0, exact_, 1), 0)
        need = err - REL * u * rel_with
        rel_need = np.where(err > bound_mod.SIGMA_FLOOR * u, (err - bound_mod.SIGMA_FLOOR * u) / (rel_with * u), 0)
    k = int(np.argmax(need))
    return err.max() / u, rel.max() / u, need[k] / u, k, rel_need.max()


def table(points: int = 400_000) -> list[tuple]:
    """Rows (dtype, quantity, formula, abs/u, rel/u, floor needed/u, z of the worst floor, relative coefficient
    needed with SIGMA_FLOOR)."""
    rows = []
    for dtype in ("float64", "float32"):
        z = grid(dtype, points)
        u, tiny = bound_mod.UNIT_ROUNDOFF[dtype], float(np.finfo(dtype).tiny)
        sig, sp = exact(z)
        with np.errstate(all="ignore"):
            for name, f in SIGMAS.items():
                a = f(z)
                assert a.dtype == z.dtype, (name, a.dtype)
                *e, k, r = errors(a, sig, sig[0], u, tiny)
                rows.append((dtype, "sigma", name, *e, float(z[k]), r))
                *e, k, r = errors(a * (1 - a), sp, sig[0] + sp[0], u, tiny)
                rows.append((dtype, "sigma'", f"a(1-a), a: {name}", *e, float(z[k]), r))
            for name, f in SIGMA_PRIMES.items():
                *e, k, r = errors(np.asarray(f(z), z.dtype), sp, sig[0] + sp[0], u, tiny)
                rows.append((dtype, "sigma'", name, *e, float(z[k]), r))
    return rows


def format_table(rows: list[tuple]) -> str:
    """``table``'s rows as text, with the worst floor needed, the worst relative coefficient and the constants."""
    lines = [f"{'dtype':<8}{'value':<7}{'formula':<42}{'abs err/u':>10}{'rel err/u':>10}{'floor needed/u':>15}"
             f"{'at z':>10}{'rel needed/u':>13}",
             f"{'':<57}(max |err|)  (normal)  (with {REL}u rel)  {'':>8}(with floor)"]
    for dtype, q, name, ab, rel, need, z, rel_need in rows:
        lines.append(f"{dtype:<8}{q:<7}{name:<42}{ab:>10.3g}{rel:>10.3g}{need:>15.3g}{z:>10.5g}{rel_need:>13.3g}")
    worst = max(rows, key=lambda r: r[5])
    lines.append(f"worst floor needed: {worst[5]:.3g}u ({worst[0]} {worst[1]}, {worst[2]}, z = {worst[6]:.5g}); "
                 f"worst relative coefficient needed with the floor: {max(r[7] for r in rows):.3g}u; "
                 f"bound.SIGMA_FLOOR = {bound_mod.SIGMA_FLOOR}u, SIGMA_RELATIVE = {REL}u")
    return "\n".join(lines)


def sensitivity(n: int = 300, seed: int = 0, floor: float | None = None,
                eps: dict | None = None) -> dict[tuple[str, str], float]:
    """The fraction of ``n`` drawn cases per dtype on which ``manual.grad`` with one gradient element times
    (1 + eps[dtype]) fails the tolerance (with the bound's floor ``floor`` u), for the element of largest
    magnitude ("largest") and for one drawn uniformly over all elements ("random")."""
    import manual

    from ..cases.cases import draw_cases, materialise
    from ..cases.limits import CHUNK
    from . import engine

    eps = eps or {"float64": 1e-8, "float32": 1e-3}
    out = {}
    for dtype, e in eps.items():
        cases = draw_cases(n, seed, (dtype,))
        rng = np.random.default_rng([seed, 24])
        caught = {"largest": 0, "random": 0}
        for start in range(0, n, CHUNK):
            mats = [materialise(c) for c in cases[start:start + CHUNK]]
            ref = _reference(engine, mats, dtype, floor)
            for k, (params, x, y) in enumerate(mats):
                got = [np.asarray(a, np.float64) for pair in manual.grad(params, x, y) for a in pair]
                refs = [(r.W, r.b, r.tol_W, r.tol_b) for r in (ref.layer(k, l) for l in range(len(params)))]
                refs = [(v, t) for W, b, tW, tb in refs for v, t in ((W, tW), (b, tb))]
                sizes = np.array([g.size for g in got])
                flat = np.concatenate([np.abs(g).ravel() for g in got])
                for kind, i in (("largest", int(np.argmax(flat))), ("random", int(rng.integers(flat.size)))):
                    j = int(np.searchsorted(np.cumsum(sizes), i, side="right"))
                    bad = [g.copy() for g in got]
                    bad[j].ravel()[i - int(sizes[:j].sum())] *= 1 + e
                    caught[kind] += any(np.any(np.abs(g - r) > t) for g, (r, t) in zip(bad, refs))
        for kind, c in caught.items():
            out[(dtype, kind)] = c / n
    return out


def _reference(engine, mats, dtype: str, floor: float | None):
    """``engine.chunk_reference`` with the bound's floor set to ``floor`` u (None: ``bound.SIGMA_FLOOR``): the
    module constant is swapped for the call and restored (``bound_layers`` reads it when it runs), so the policy
    keeps one place and this measurement can still ask "what would another floor catch"."""
    if floor is None:
        return engine.chunk_reference(mats, dtype)
    saved = bound_mod.SIGMA_FLOOR
    bound_mod.SIGMA_FLOOR = floor
    try:
        return engine.chunk_reference(mats, dtype)
    finally:
        bound_mod.SIGMA_FLOOR = saved


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m compare.oracle.reference.sigmatable",
                                description=__doc__.split("\n\n")[0])
    p.add_argument("--points", type=int, default=400_000, help="z samples per dtype (default 400000)")
    p.add_argument("--sensitivity", action="store_true", help="measure the fraction of 1+e slips caught instead")
    p.add_argument("--examples", type=int, default=300, help="cases per dtype for --sensitivity (default 300)")
    p.add_argument("--floor", type=float, default=None, help="the bound's absolute floor in u for --sensitivity")
    args = p.parse_args(argv)
    if args.sensitivity:
        floor = bound_mod.SIGMA_FLOOR if args.floor is None else args.floor
        for (dtype, kind), frac in sensitivity(args.examples, floor=args.floor).items():
            e = "1e-8" if dtype == "float64" else "1e-3"
            print(f"{dtype}: one {kind} element x (1 + {e}) caught on {frac:.1%} of {args.examples} cases "
                  f"(floor {floor:g}u)")
    else:
        print(format_table(table(args.points)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
