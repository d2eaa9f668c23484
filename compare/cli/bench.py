"""``python -m compare bench``: the figures behind the README's performance section, each beside its yardstick
and target, from one run.

- the command line's start: ``python -m compare --help`` and a usage error, as subprocesses, beside a bare
  ``python -c pass`` (target: under 0.3 s);
- the oracle's throughput (cases verified per second, every check applied) and, for contrast, the naive
  way: a fresh ``jax.jit(jax.grad)`` per architecture;
- a NumPy candidate file's throughput in its worker process, the worker already started, beside the same file
  called in this process (target: 3,000 cases/s or more);
- for the 784-100-10 net and a batch of 1000, in float64 and float32: the BLAS floor (the five matrix
  products any backprop of this net must do), ``manual.grad`` (target: 90 % of the floor or more),
  ``autodiff.grad`` and a bare ``jax.jit(jax.grad(cost))`` on the same NumPy arrays (target: 1.1x or less), and
  PyTorch autograd when it is installed;
- the slow figures (``--skip-slow`` leaves them out): any size, ``python -m compare --candidate`` on a right and a
  wrong control, 784-100-10 x 1000, 50 cases, as subprocesses (what a user runs), after one untimed run that
  fills the compile cache, beside the candidate's own 50 gradients in this process (target: 3 s or less each);
  and a first run of ``python -m compare`` with an empty JAX compile cache (a new folder in
  ``BACKPROP_ORACLE_JAX_CACHE``, ``jaxcache``) beside a second run on the cache it filled (no number set: as
  short as it can be).

Each ratio is timed alternately with its yardstick (``_median_times``: one call of each per round, in a shuffled
order), so that a slow spell of the shared machine hits both alike; compare figures from one run only (these
machines vary by +-30 % between runs). The table at the end lists every figure, its yardstick or target and
whether it is met.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

import numpy as np

from . import args as cli_args


def _median_times(fs: dict, repeat: int, pairs: tuple[tuple[str, str], ...] = ()) -> dict:
    """Median seconds per call of each function, calling them in turns (one of each per round, in a shuffled
    order) so that a slow spell of the shared machine hits all of them alike; for each (a, b) of ``pairs`` also
    "a/b", the median over rounds of the round's ratio (a slow spell cancels within its round)."""
    for f in fs.values():
        f()
    times = {name: [] for name in fs}
    rng = np.random.default_rng(0)
    names = list(fs)
    for _ in range(repeat):
        for i in rng.permutation(len(names)):
            start = time.perf_counter()
            fs[names[i]]()
            times[names[i]].append(time.perf_counter() - start)
    out = {name: float(np.median(t)) for name, t in times.items()}
    return out | {f"{a}/{b}": float(np.median(np.divide(times[a], times[b]))) for a, b in pairs}


def bench_oracle(n: int, seed: int) -> dict:
    import manual
    from compare.oracle.cases.cases import draw_cases
    from compare.oracle.checks.check import check_grad

    cases = draw_cases(n, seed)
    start = time.perf_counter()
    report = check_grad(manual.grad, cases, cost=manual.cost)
    first = time.perf_counter() - start
    start = time.perf_counter()
    check_grad(manual.grad, cases, cost=manual.cost)
    warm = time.perf_counter() - start
    assert report.ok, "manual.grad failed the oracle during the benchmark"
    return {"cases": n, "first_s": first, "warm_s": warm}


_CANDIDATE = "import manual\n\ndef grad(params, x, y):\n    return manual.grad(params, x, y)\n\n" \
             "def cost(params, x, y):\n    return manual.cost(params, x, y)\n"


def bench_candidate(n: int, seed: int, repeat: int = 3) -> dict:
    """A NumPy candidate file (manual's grad and cost) checked on the same ``n`` cases in this process and in its
    worker process, as ``--candidate`` runs it, the worker started once beforehand (its start is not throughput):
    median seconds of ``repeat`` runs of each, taken alternately, after one warm-up run of each."""
    from compare.oracle.cases.cases import draw_cases
    from compare.oracle.checks.check import check_grad
    from compare.oracle.sandbox.load import load_candidate
    from compare.oracle.sandbox.process import Isolated

    cases = draw_cases(n, seed)
    with tempfile.TemporaryDirectory() as tmp:
        path = f"{tmp}/candidate.py"
        with open(path, "w") as f:
            f.write(_CANDIDATE)
        c = load_candidate(path)
        target = Isolated(path)
        try:
            def run(name, call):
                def timed():
                    report = call()
                    assert report.ok, f"the benchmark's candidate failed the oracle ({name})"
                return timed

            times = _median_times({"in_process_s": run("in process", lambda: check_grad(c.grad, cases, cost=c.cost)),
                                   "worker_s": run("worker", lambda: check_grad(target, cases, cost=target.cost,
                                                                                      form=target.form))},
                                  repeat)
        finally:
            target.close()
    return {"cases": n, **times}


def bench_naive(k: int) -> float:
    """Cases per second when every architecture gets its own jax.jit(jax.grad) (autodiff.grad, cold)."""
    import autodiff
    from compare.oracle.cases.cases import draw_cases, materialise

    # Fresh architectures every run: with the same ones, JAX's persistent cache would serve the compilations.
    cases = draw_cases(k, int(np.random.default_rng().integers(2**31)), ("float64",))
    start = time.perf_counter()
    for c in cases:
        autodiff.grad(*materialise(c))
    return k / (time.perf_counter() - start)


def bench_net(dtype: str, repeat: int) -> dict:
    import jax
    import jax.numpy as jnp

    import autodiff
    import manual

    def bare_cost(params, x, y):  # the seed's cost in plain JAX, as a user would write it for jax.grad
        a = x
        for W, b in params:
            a = jax.nn.sigmoid(a @ W.T + b)
        return jnp.mean(0.5 * jnp.sum((a - y) ** 2, axis=-1) / y.shape[-1])

    params = manual.init_params([784, 100, 10], seed=0, dtype=dtype)
    rng = np.random.default_rng(0)
    X = rng.random((1000, 784)).astype(dtype)
    Y = rng.random((1000, 10)).astype(dtype)
    (W1, _), (W2, _) = params
    A1 = rng.random((1000, 100)).astype(dtype)
    D2 = rng.random((1000, 10)).astype(dtype)
    D1 = rng.random((1000, 100)).astype(dtype)

    def floor():  # forward z^1, z^2; backward grad W^2, delta^1's W^T delta, grad W^1
        X @ W1.T
        A1 @ W2.T
        D2.T @ A1
        D2 @ W2
        D1.T @ X

    raw = jax.jit(jax.grad(bare_cost))

    def raw_call():
        with jax.enable_x64(dtype == "float64"):
            jax.block_until_ready(raw(params, X, Y))

    fs = {"floor": floor, "manual": lambda: manual.grad(params, X, Y),
          "autodiff": lambda: autodiff.grad(params, X, Y), "raw_jit": raw_call}
    pairs = (("floor", "manual"), ("autodiff", "raw_jit"))
    try:
        import torch
    except ImportError:
        return _median_times(fs, repeat, pairs)
    tp = [(torch.tensor(W, requires_grad=True), torch.tensor(b, requires_grad=True)) for W, b in params]
    tX, tY = torch.tensor(X), torch.tensor(Y)

    def torch_grad():
        a = tX
        for W, b in tp:
            a = torch.sigmoid(a @ W.T + b)
        C = (0.5 * ((a - tY) ** 2).sum(dim=1) / tY.shape[1]).mean()
        torch.autograd.grad(C, [t for pair in tp for t in pair])

    out = _median_times(fs, repeat, pairs)
    # Alone, after the others: torch's OpenMP threads keep spinning after each call and would slow whatever
    # runs next, so interleaving it with the others distorts every figure.
    out["torch"] = _median_times({"torch": torch_grad}, repeat)["torch"]
    return out


class Figure(NamedTuple):
    """One line of the closing table: what was measured, its value, the yardstick it was timed beside (or
    "-"), the target, and whether the target is met (None: no number set)."""

    name: str
    value: str
    yardstick: str
    target: str
    met: bool | None


def _subprocess(argv: list[str], env: dict | None = None, expect: int | None = None):
    """A function that runs ``python argv`` (this interpreter) to its end, its output discarded; AssertionError
    when its exit status is not ``expect`` (when given)."""
    def run():
        done = subprocess.run([sys.executable, *argv], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              env=env, check=False)
        assert expect is None or done.returncode == expect, f"python {' '.join(argv)} exited {done.returncode}"
    return run


def bench_cli(repeat: int) -> dict:
    """Seconds of ``python -m compare --help`` and of a usage error (exit 2), as subprocesses, beside a bare
    ``python -c pass`` (the interpreter's own start), timed alternately."""
    return _median_times({"python": _subprocess(["-c", "pass"], expect=0),
                          "help": _subprocess(["-m", "compare", "--help"], expect=0),
                          "usage_error": _subprocess(["-m", "compare", "--no-such-option"], expect=2)}, repeat)


ANY_SIZE = ["--sizes", "784-100-10", "--batch", "1000", "--examples", "50"]
ANY_SIZE_CONTROLS = {"right": ("right_einsum.py", 0), "wrong": ("wrong_sign.py", 1)}


def bench_any_size(which: str, repeat: int) -> dict:
    """``python -m compare --candidate CONTROL --sizes 784-100-10 --batch 1000 --examples 50`` as a subprocess, the
    way a user runs it (start-up and imports included), for the right or the wrong control
    (``ANY_SIZE_CONTROLS``), after one untimed run (it fills the compile cache: the figure is warm); beside it,
    alternately, the control's own gradients on the same 50 cases in this process (what the run cannot avoid)."""
    from compare.oracle.cases.cases import draw_sized
    from compare.oracle.sandbox.load import load_candidate

    name, status = ANY_SIZE_CONTROLS[which]
    path = str(Path(__file__).resolve().parent.parent / "controls" / name)
    cases = draw_sized(50, 0, sizes=(784, 100, 10), batch=1000)
    grad = load_candidate(path).grad

    spent: list[float] = []

    def own():
        from compare.oracle.cases.cases import materialise

        total = 0.0
        for c in cases:
            params, x, y = materialise(c)
            start = time.perf_counter()
            grad(params, x, y)
            total += time.perf_counter() - start
        spent.append(total)
    out = _median_times({"run": _subprocess(["-m", "compare", "--candidate", path, *ANY_SIZE], expect=status),
                         "own": own}, repeat)
    out["own"] = float(np.median(spent[1:]))            # the gradients alone, without drawing the cases
    return out


def bench_cold(repeat: int) -> dict:
    """``python -m compare`` (the default run) with an empty JAX compile cache: a new folder named by
    ``BACKPROP_ORACLE_JAX_CACHE`` (``jaxcache``; a ``JAX_COMPILATION_CACHE_DIR`` of the caller's is removed from
    the subprocess's environment, since it would take precedence), then again on the cache that run filled
    (warm), ``repeat`` pairs: median seconds of each."""
    cold, warm = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(repeat):
            env = {k: v for k, v in os.environ.items() if k != "JAX_COMPILATION_CACHE_DIR"}
            env["BACKPROP_ORACLE_JAX_CACHE"] = os.path.join(tmp, f"cache{i}")
            for times in (cold, warm):
                start = time.perf_counter()
                _subprocess(["-m", "compare"], env=env, expect=0)()
                times.append(time.perf_counter() - start)
    return {"cold": float(np.median(cold)), "warm": float(np.median(warm))}


def main(argv: list[str]) -> int:
    p = cli_args.Parser(prog="python -m compare bench", description=__doc__.splitlines()[0])
    p.add_argument("--examples", type=cli_args.int_at_least(1), default=4000,
                   help="cases for the oracle's throughput (default 4000; half of them, at most 2000, for the "
                        "candidate's)")
    p.add_argument("--repeat", type=cli_args.int_at_least(1), default=30, help="timed calls per figure (default 30)")
    p.add_argument("--seed", type=cli_args.int_at_least(0), default=0)
    p.add_argument("--skip-slow", action="store_true",
                   help="leave out the any-size runs and the cold first run (minutes under load)")
    try:
        args = cli_args.parse(p, argv)
    except cli_args.UsageError as e:
        return cli_args.usage_error(p.prog, e)
    if isinstance(args, int):
        return args
    figures: list[Figure] = []
    rounds = max(1, min(args.repeat, 3))             # for the figures that take a subprocess or a run each
    cli_rounds = max(1, min(args.repeat, 5))
    cli = bench_cli(cli_rounds)
    print(f"command line, as subprocesses (median of {cli_rounds}, alternately):")
    print(f"  python -c pass                   {cli['python']:6.2f} s")
    for key, what in (("help", "python -m compare --help"), ("usage_error", "a usage error (exit 2)")):
        print(f"  {what:32} {cli[key]:6.2f} s")
        figures.append(Figure(f"command line: {what}", f"{cli[key]:.2f} s", f"python -c pass {cli['python']:.2f} s",
                              "< 0.3 s", cli[key] < 0.3))

    import jax

    cache = jax.config.jax_compilation_cache_dir
    warm = bool(cache) and os.path.isdir(cache) and bool(os.listdir(cache))
    print(f"JAX compilation cache: {cache or 'off'}{' (has entries: compiles may load from disk)' if warm else ''}")
    o = bench_oracle(args.examples, args.seed)
    naive = bench_naive(10)
    print(f"oracle, manual.grad + cost vs jax.grad, {o['cases']} cases (depth 1-6, widths 1-64, both dtypes):")
    print(f"  first run (includes compiling): {o['cases'] / o['first_s']:8,.0f} cases/s ({o['first_s']:.2f} s)")
    print(f"  warm run:                        {o['cases'] / o['warm_s']:8,.0f} cases/s ({o['warm_s']:.2f} s)")
    print(f"  naive jit per architecture:      {naive:8,.1f} cases/s")
    c = bench_candidate(max(1, min(args.examples // 2, 2000)), args.seed, rounds)
    worker_rate, here_rate = c['cases'] / c['worker_s'], c['cases'] / c['in_process_s']
    print(f"--candidate, a NumPy candidate file (grad and cost), {c['cases']} cases, warm (median of {rounds}, "
          f"alternately):")
    print(f"  called in this process:          {here_rate:8,.0f} cases/s")
    print(f"  called in its worker process:    {worker_rate:8,.0f} cases/s   "
          f"(worker / in-process = {c['in_process_s'] / c['worker_s']:.2f})")
    figures.append(Figure("one NumPy candidate in its worker", f"{worker_rate:,.0f} cases/s",
                          f"in this process {here_rate:,.0f} cases/s", ">= 3,000 cases/s", worker_rate >= 3000))
    for dtype in ("float64", "float32"):
        r = bench_net(dtype, args.repeat)
        print(f"784-100-10, batch 1000, {dtype} (median of {args.repeat}, alternately):")
        print(f"  BLAS floor (5 matmuls) {r['floor'] * 1e3:7.2f} ms")
        print(f"  manual.grad            {r['manual'] * 1e3:7.2f} ms   floor/manual = {r['floor/manual']:.0%} "
              "(median of the rounds' ratios)")
        print(f"  autodiff.grad          {r['autodiff'] * 1e3:7.2f} ms   autodiff/raw jit = "
              f"{r['autodiff/raw_jit']:.2f}x (median of the rounds' ratios)")
        print(f"  raw jax.jit(jax.grad)  {r['raw_jit'] * 1e3:7.2f} ms")
        if "torch" in r:
            print(f"  torch autograd         {r['torch'] * 1e3:7.2f} ms")
        else:
            print("  torch autograd         (not installed)")
        figures.append(Figure(f"manual.grad, {dtype}: floor / manual", f"{r['floor/manual']:.0%}",
                              f"BLAS floor {r['floor'] * 1e3:.2f} ms", ">= 90 %", r['floor/manual'] >= 0.9))
        figures.append(Figure(f"autodiff.grad, {dtype}: / raw jit", f"{r['autodiff/raw_jit']:.2f}x",
                              f"raw jax.jit(jax.grad) {r['raw_jit'] * 1e3:.2f} ms", "<= 1.1x",
                              r['autodiff/raw_jit'] <= 1.1))
    if not args.skip_slow:
        any_rounds = 1                                 # a wrong run takes ~20 s under load
        print(f"any size, python -m compare --candidate CONTROL {' '.join(ANY_SIZE)}, as a subprocess, warm "
              f"(one run after an untimed one, beside the control's own gradients in this process):")
        for which, (name, _) in ANY_SIZE_CONTROLS.items():
            a = bench_any_size(which, any_rounds)
            print(f"  {which:5} {'(' + name + ')':19} {a['run']:6.2f} s   (its own 50 gradients: {a['own']:.2f} s)")
            figures.append(Figure(f"any size, {which} ({name})", f"{a['run']:.2f} s",
                                  f"own gradients {a['own']:.2f} s", "<= 3 s warm", a['run'] <= 3.0))
        cold = bench_cold(1)
        print("first run, python -m compare with an empty JAX compile cache (BACKPROP_ORACLE_JAX_CACHE, a new "
              "folder), then again on that cache:")
        print(f"  cold {cold['cold']:6.2f} s, warm {cold['warm']:6.2f} s   (cold / warm = "
              f"{cold['cold'] / cold['warm']:.2f})")
        figures.append(Figure("cold first run (python -m compare)", f"{cold['cold']:.2f} s",
                              f"warm run {cold['warm']:.2f} s", "as short as it can be", None))
    print()
    print(format_figures(figures))
    return 0


def format_figures(figures: list[Figure]) -> str:
    """The closing table: one line per figure, its yardstick, its target and "met", "NOT met" or "-"."""
    head = Figure("figure", "value", "yardstick (timed alternately)", "target", None)
    rows = [head, *figures]
    widths = [max(len(getattr(f, field)) for f in rows) for field in ("name", "value", "yardstick", "target")]
    lines = []
    for f in rows:
        met = "met" if f is head else ("-" if f.met is None else "met" if f.met else "NOT met")
        lines.append("  ".join(getattr(f, field).ljust(w) for field, w in
                               zip(("name", "value", "yardstick", "target"), widths)) + "  " + met)
    return "\n".join(lines)
