"""Check any backprop against ``jax.grad``, case by case and element by element.

``check_grad(grad, cases)`` calls ``grad(params, x, y)`` on every case and checks, in this order: that it
returned without raising; the number of layers; each array's exact shape (``(n, 1)`` is not ``(n,)``); the
dtype (float64 in, float64 out); NaN or inf where the reference is finite; that it left its inputs
unmodified (bit for bit); then every element, against ``jax.grad`` (``compare.engine``), with the tolerance
twice the rounding-error bound of one correct computation. The first failing case is shrunk to a minimal
one and diagnosed; the result is a ``Report`` (``compare.report`` formats it).
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Iterable

import numpy as np

from . import engine
from .cases import Case, materialise

GradFn = Callable[..., object]


@dataclasses.dataclass(frozen=True)
class Failure:
    """Why one case failed. ``layer`` is numbered 1..L as in the seed; ``index`` is (j, k) for W, (j,) for b."""

    case: Case
    kind: str                   # raised | not a gradient | layers | shape | dtype | nonfinite | mutation | value | cost
    message: str
    layer: int | None = None
    array: str | None = None
    index: tuple[int, ...] | None = None
    candidate: float | None = None
    reference: float | None = None
    tolerance: float | None = None
    ratio: float | None = None
    bad_elements: int = 0
    total_elements: int = 0
    bad_layers: tuple[int, ...] = ()
    # Per layer (cand_W, ref_W, tol_W, cand_b, ref_b, tol_b) for the diagnosis; empty for structural failures.
    arrays: tuple = dataclasses.field(default=(), repr=False, compare=False)


@dataclasses.dataclass
class Report:
    """What a run found. ``ok`` is True when every case agreed."""

    name: str
    cases: int = 0
    failed: int = 0
    worst_ratio: dict[str, float] = dataclasses.field(default_factory=dict)   # per dtype, over every element
    worst_case: dict[str, Case] = dataclasses.field(default_factory=dict)
    first: Failure | None = None
    shrunk: Failure | None = None
    diagnosis: list[str] = dataclasses.field(default_factory=list)
    failing_features: dict[str, tuple[int, int]] = dataclasses.field(default_factory=dict)  # feature -> (failed, cases)
    seconds: float = 0.0
    interrupted: bool = False
    reproduce: str | None = None

    @property
    def ok(self) -> bool:
        return self.failed == 0 and not self.interrupted


# ---- one case, structurally ---------------------------------------------------------------------------

def _bits(a: np.ndarray) -> np.ndarray:
    return a.view(np.uint64 if a.dtype.itemsize == 8 else np.uint32)


def _call(grad: GradFn, case: Case, params, x, y) -> tuple[list | None, Failure | None]:
    """Call ``grad`` on copies of the inputs; return its arrays, or the structural Failure.

    The call, and the reading of what it returned (the candidate's own ``__iter__`` or ``__array__`` may run),
    go through ``sandbox.call_candidate``: a per-call time limit, printing suppressed, ``sys.exit`` and changes
    to NumPy's error state caught; any of those, or an exception, is a failure of kind "raised".
    """
    from . import sandbox

    inputs = [a for pair in params for a in pair] + [x, y]
    pristine = [a.copy() for a in inputs]
    L = len(params)

    def read(out) -> tuple[list | None, Failure | None]:
        if out is None:
            return None, Failure(case, "not a gradient", "returned None instead of a list of (grad W, grad b) pairs")
        try:
            layers = list(out)
        except TypeError:
            return None, Failure(case, "not a gradient", f"returned a {type(out).__name__}, not a list of "
                                                         "(grad W, grad b) pairs")
        if len(layers) != L:
            return None, Failure(case, "layers", f"returned {len(layers)} layers of gradients for a {L}-layer "
                                                 "network")
        arrays = []
        for l, (pair, (W, b)) in enumerate(zip(layers, params), start=1):
            try:
                gW, gb = pair
            except (TypeError, ValueError):
                return None, Failure(case, "not a gradient", f"layer {l}: expected a pair (grad W, grad b), got "
                                                             f"{type(pair).__name__}", layer=l)
            for g, ref, name in ((gW, W, "W"), (gb, b, "b")):
                try:
                    g = np.asarray(g)
                except Exception:
                    g = np.asarray(None)
                if g.dtype.kind not in "fiu":
                    return None, Failure(case, "not a gradient", f"layer {l}: grad {name} is not an array of real "
                                         f"numbers (dtype {g.dtype})", layer=l, array=name)
                if g.shape != ref.shape:
                    return None, Failure(case, "shape", f"layer {l}: grad {name} has shape {g.shape}, expected "
                                         f"{ref.shape}", layer=l, array=name)
                if g.dtype != ref.dtype:
                    return None, Failure(case, "dtype", f"layer {l}: grad {name} is {g.dtype} for a {ref.dtype} "
                                         f"network (dtype in must be dtype out)", layer=l, array=name)
                arrays.append(g)
        return arrays, None

    def call_and_read():
        out = grad(params, x, y)
        try:
            return read(out)
        except Exception as e:  # the returned object's own code raised while it was read
            return None, Failure(case, "not a gradient", f"its result could not be read as (grad W, grad b) pairs: "
                                                         f"{type(e).__name__}: {sandbox.first_line(e)}"[:300])

    result, problem = sandbox.call_candidate(call_and_read, (), key=grad)
    if problem is not None:
        return None, Failure(case, "raised", problem[:300])
    for l, (a, b) in enumerate(zip(inputs, pristine)):
        if not np.array_equal(_bits(a), _bits(b)):
            what = f"layer {l // 2 + 1}'s {'Wb'[l % 2]}" if l < 2 * L else ("x" if l == 2 * L else "y")
            return None, Failure(case, "mutation", f"changed its input {what} in place (it must not modify its "
                                                   "arguments; work on copies)")
    return result


# ---- many cases, against the engine ------------------------------------------------------------------

def _compare_values(case: Case, params, arrays, ref, k: int) -> tuple[float, Failure | None]:
    """Element-wise check of one case's candidate ``arrays`` against slot ``k`` of the engine output."""
    gW, gb, BW, Bb = ref[:4]
    worst, bad_layers, details = 0.0, [], []
    bad_total = total = 0
    top = None  # the failing element to report: in the highest failing layer, its largest ratio
    nonfinite = False
    for l, (W, _) in enumerate(params):
        n, n_in = W.shape
        cW, cb = arrays[2 * l], arrays[2 * l + 1]
        rW, rb = gW[k, l, :n, :n_in], gb[k, l, :n]
        tW, tb = 2 * BW[k, l, :n, :n_in], 2 * Bb[k, l, :n]
        details.append((cW, rW, tW, cb, rb, tb))
        layer_bad = 0
        for c, r, t, name in ((cW, rW, tW, "W"), (cb, rb, tb, "b")):
            with np.errstate(invalid="ignore", over="ignore"):
                ratio = np.abs(c.astype(np.float64) - r) / t
            ok = ratio <= 1.0
            total += ratio.size
            if ok.all():
                worst = max(worst, float(ratio.max()))
                continue
            nonfinite |= not np.isfinite(c).all()
            bad = int(ratio.size - ok.sum())
            bad_total += bad
            layer_bad += bad
            masked = np.where(ok, -1.0, np.where(np.isnan(ratio), np.inf, ratio))
            idx = np.unravel_index(int(np.argmax(masked)), ratio.shape)
            top = (l + 1, name, tuple(int(i) for i in idx), float(c[idx]), float(r[idx]), float(t[idx]),
                   float(ratio[idx]))
        if layer_bad:
            bad_layers.append(l + 1)
    if not bad_total:
        return worst, None
    layer, name, idx, cv, rv, tv, rt = top
    kind = "nonfinite" if nonfinite else "value"
    what = "is not finite" if not np.isfinite(cv) else f"differs by {rt:.3g} x its tolerance"
    msg = (f"layer {layer}: grad {name}[{', '.join(map(str, idx))}] {what} (candidate {cv:.17g}, "
           f"reference {rv:.17g}, tolerance {tv:.3g})")
    return worst, Failure(case, kind, msg, layer=layer, array=name, index=idx, candidate=cv, reference=rv,
                          tolerance=tv, ratio=rt, bad_elements=bad_total, total_elements=total,
                          bad_layers=tuple(sorted(bad_layers)), arrays=tuple(details))


def _cost_failure(case: Case, cost: GradFn, params, x, y, C: float, EC: float) -> Failure | None:
    try:
        c = float(cost(params, x, y))
    except Exception as e:
        return Failure(case, "cost", f"cost raised {type(e).__name__}: {e}"[:300])
    tol = 2 * EC
    if not abs(c - C) <= tol:
        return Failure(case, "cost", f"cost is {c:.17g}, reference {C:.17g} (tolerance {tol:.3g})",
                       candidate=c, reference=C, tolerance=tol, ratio=abs(c - C) / tol)
    return None


def _chunks(cases: list[Case]) -> list[list[Case]]:
    """Cases grouped by what the engine compiles for (dtype and padded width), ``engine.CHUNK`` at a time,
    sorted by depth and width inside a group so that a chunk's deepest and widest case (which bound the
    NumPy half of the engine's work) are close to its typical one."""
    groups: dict[tuple[str, int], list[Case]] = {}
    for c in cases:
        groups.setdefault((c.dtype, engine.width_bucket(c.sizes)), []).append(c)
    chunks = []
    for g in groups.values():
        g = sorted(g, key=lambda c: (c.depth, max(c.sizes), c.batch))
        chunks += [g[i:i + engine.CHUNK] for i in range(0, len(g), engine.CHUNK)]
    return chunks


def _worst_ratios(mats, outputs, ref) -> np.ndarray:
    """Every case's largest |candidate - reference| / tolerance over all its elements, computed at once over
    the chunk's real entries (inf when a candidate value is not finite); NaN for cases without arrays
    (structural failures)."""
    gW, gb, BW, Bb = ref[:4]
    cand, refs, tols, starts, owners = [], [], [], [], []
    pos = 0
    for k, ((params, _, _), arrays) in enumerate(zip(mats, outputs)):
        if arrays is None:
            continue
        starts.append(pos)
        owners.append(k)
        for l, (W, _) in enumerate(params):
            n, n_in = W.shape
            refs += [gW[k, l, :n, :n_in].ravel(), gb[k, l, :n]]
            tols += [BW[k, l, :n, :n_in].ravel(), Bb[k, l, :n]]
            pos += n * n_in + n
        cand += [a.ravel() for a in arrays]
    worst = np.full(len(outputs), np.nan)
    if not owners:
        return worst
    c = np.concatenate(cand).astype(np.float64)
    r = np.concatenate(refs).astype(np.float64)
    t = 2 * np.concatenate(tols)
    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
        d = np.abs(c - r)
        ratio = np.where(d == 0, 0.0, d / t)
    ratio[np.isnan(ratio)] = np.inf
    worst[owners] = np.maximum.reduceat(ratio, starts)
    return worst


def run_cases(grad: GradFn, cases: list[Case], cost: GradFn | None = None) -> list[tuple[Case, float, Failure | None]]:
    """Check ``grad`` (and ``cost`` when given) on every case: ``[(case, worst ratio, failure or None)]``."""
    return [result for chunk_results in iter_cases(grad, cases, cost) for result in chunk_results]


def iter_cases(grad: GradFn, cases: list[Case], cost: GradFn | None = None):
    """``run_cases`` one chunk at a time: yields each chunk's ``[(case, worst ratio, failure or None)]``, so an
    interrupted run keeps every chunk finished before the interrupt.

    Chunks of cases go to the engine while the candidate runs on the previous chunk (JAX computes in the
    background); the element-wise comparison is vectorised over a chunk, and only a failing case is
    examined element by element for the report.
    """
    chunks = _chunks(cases)
    pending = None
    for i, chunk in enumerate(chunks):
        if pending is None:
            mats = [materialise(c) for c in chunk]
            pending = (mats, engine.dispatch(mats, chunk[0].dtype))
        mats, handle = pending
        pending = None
        if i + 1 < len(chunks):                       # start the next chunk's jax.grad before our Python work
            nxt = [materialise(c) for c in chunks[i + 1]]
            pending = (nxt, engine.dispatch(nxt, chunks[i + 1][0].dtype))
        outputs, failures = [], []
        for case, (params, x, y) in zip(chunk, mats):
            arrays, failure = _call(grad, case, params, x, y)
            outputs.append(arrays)
            failures.append(failure)
        ref = engine.collect(handle)
        worst = _worst_ratios(mats, outputs, ref)
        results = []
        for k, (case, (params, x, y)) in enumerate(zip(chunk, mats)):
            failure = failures[k]
            if failure is None and not worst[k] <= 1.0:
                _, failure = _compare_values(case, params, outputs[k], ref, k)
            if failure is None and cost is not None:
                failure = _cost_failure(case, cost, params, x, y, float(ref[4][k]), float(ref[5][k]))
            results.append((case, 0.0 if failure is not None else float(worst[k]), failure))
        yield results


# ---- shrinking ---------------------------------------------------------------------------------------

def _simpler(case: Case) -> Iterable[Case]:
    """One-step simplifications of ``case``, simplest first: fewer layers, a smaller batch, narrower layers."""
    sizes = case.sizes
    seen = {case}

    def emit(**changes):
        new = dataclasses.replace(case, **changes)
        if new not in seen:
            seen.add(new)
            return [new]
        return []

    out: list[Case] = []
    if len(sizes) > 2:
        for i in range(1, len(sizes) - 1):          # drop hidden layer i
            out += emit(sizes=sizes[:i] + sizes[i + 1:])
        out += emit(sizes=sizes[1:])                 # drop the first layer
        out += emit(sizes=sizes[:-1])                # drop the last layer
    for m in (0, 1, 2, case.batch // 2, case.batch - 1):
        if 0 <= m < case.batch:
            out += emit(batch=m)
    for i, n in enumerate(sizes):
        for smaller in (1, 2, n // 2, n - 1):
            if 1 <= smaller < n:
                out += emit(sizes=sizes[:i] + (smaller,) + sizes[i + 1:])
    if case.scale != 1.0:
        out += emit(scale=1.0)
    return out


def shrink(grad: GradFn, failure: Failure, cost: GradFn | None = None, max_rounds: int = 60) -> Failure:
    """Greedily simplify the failing case while it still fails; return the simplest failure found."""
    for _ in range(max_rounds):
        candidates = list(_simpler(failure.case))
        if not candidates:
            break
        found = None
        for start in range(0, len(candidates), engine.CHUNK):
            for _, _, f in run_cases(grad, candidates[start:start + engine.CHUNK], cost):
                if f is not None:
                    found = f
                    break
            if found:
                break
        if found is None:
            break
        failure = found
    return failure


# ---- features, for "only batches fail" and the like ---------------------------------------------------

FEATURES: dict[str, Callable[[Case], bool]] = {
    "a single 1-D example": lambda c: c.batch == 0,
    "a batch (2-D x)": lambda c: c.batch >= 1,
    "a batch of m > 1 examples": lambda c: c.batch > 1,
    "a layer of width 1": lambda c: 1 in c.sizes,
    "no layer of width 1": lambda c: 1 not in c.sizes,
    "depth >= 2": lambda c: c.depth >= 2,
    "depth >= 3": lambda c: c.depth >= 3,
    "a layer wider than 32": lambda c: max(c.sizes) > 32,
    "a square layer (n_l == n_{l-1})": lambda c: any(a == b for a, b in zip(c.sizes, c.sizes[1:])),
    "no square layer": lambda c: not any(a == b for a, b in zip(c.sizes, c.sizes[1:])),
    "n_0 != n_L": lambda c: c.sizes[0] != c.sizes[-1],
    "weight scale >= 2 (saturated units)": lambda c: c.scale >= 2,
    "float32": lambda c: c.dtype == "float32",
    "float64": lambda c: c.dtype == "float64",
}


def feature_counts(results) -> dict[str, tuple[int, int]]:
    """For each feature: (failing cases that have it, cases that have it)."""
    counts = {}
    for name, has in FEATURES.items():
        with_it = [f is not None for c, _, f in results if has(c)]
        counts[name] = (sum(with_it), len(with_it))
    return counts


def check_grad(grad: GradFn, cases: list[Case] | None = None, *, examples: int = 2000, seed: int = 0,
               name: str = "candidate", cost: GradFn | None = None, shrink_failure: bool = True,
               progress: Callable[[int, int], None] | None = None,
               reproduce: Callable[[Case], str] | None = None) -> Report:
    """Check ``grad(params, x, y)`` against ``jax.grad`` on ``cases``; return a Report (see module doc).

    ``cases`` defaults to ``examples`` random cases drawn from ``seed`` (both dtypes). ``cost``, when given,
    is checked too. Keyboard interrupts stop the run early: the report then covers the cases checked so far.
    """
    from .cases import draw_cases
    from .diagnose import diagnose

    if cases is None:
        cases = draw_cases(examples, seed)

    start = time.perf_counter()
    report = Report(name)
    results: list[tuple[Case, float, Failure | None]] = []
    try:
        for chunk_results in iter_cases(grad, cases, cost):
            results += chunk_results
            if progress:
                progress(len(results), len(cases))
    except KeyboardInterrupt:
        report.interrupted = True
    report.cases = len(results)
    for case, worst, failure in results:
        if failure is not None:
            report.failed += 1
            if report.first is None:
                report.first = failure
        elif worst >= report.worst_ratio.get(case.dtype, -1.0):
            report.worst_ratio[case.dtype], report.worst_case[case.dtype] = worst, case
    if report.first is not None:
        report.failing_features = feature_counts(results)
        report.shrunk = report.first
        slow = report.first.message.startswith(("took longer than", "not called"))  # shrinking a hang takes ages
        if shrink_failure and not slow and not report.interrupted:
            try:
                report.shrunk = shrink(grad, report.first, cost)
            except KeyboardInterrupt:
                report.interrupted = True
        report.diagnosis = diagnose(report.shrunk, report.failing_features, report.cases, report.failed,
                                     report.first)
        if reproduce:
            report.reproduce = reproduce(report.shrunk.case)
    report.seconds = time.perf_counter() - start
    return report
