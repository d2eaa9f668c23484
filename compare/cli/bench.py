"""``python -m compare bench``: the figures behind the README's performance section, from one run.

- the oracle's throughput (cases verified per second, every check applied) and, for contrast, the naive
  way: a fresh ``jax.jit(jax.grad)`` per architecture;
- a candidate file's throughput called in this process and in its worker process (``--candidate``);
- for the 784-100-10 net and a batch of 1000, in float64 and float32: the BLAS floor (the five matrix
  products any backprop of this net must do), ``manual.grad``, ``autodiff.grad``, a bare
  ``jax.jit(jax.grad(cost))`` on the same NumPy arrays, and PyTorch autograd when it is installed.
Times are medians of repeated calls; compare ratios from one run only (these machines vary by +-30 % between
runs).
"""

from __future__ import annotations

import time

import numpy as np

from . import args as cli_args


def _median_times(fs: dict, repeat: int) -> dict:
    """Median seconds per call of each function, calling them in turns (one of each per round, in a shuffled
    order) so that a slow spell of the shared machine hits all of them alike."""
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
    return {name: float(np.median(t)) for name, t in times.items()}


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


def bench_candidate(n: int, seed: int) -> dict:
    """A NumPy candidate file (manual's grad and cost) checked on the same ``n`` cases in this process and in a
    worker process, as ``--candidate`` runs it: seconds for each, after one warm-up run of each."""
    import tempfile

    from compare.oracle.cases.cases import draw_cases
    from compare.oracle.checks.check import check_file, check_grad
    from compare.oracle.sandbox.load import load_candidate

    cases = draw_cases(n, seed)
    with tempfile.TemporaryDirectory() as tmp:
        path = f"{tmp}/candidate.py"
        with open(path, "w") as f:
            f.write(_CANDIDATE)
        c = load_candidate(path)
        out = {"cases": n}
        for name, run in (("in_process_s", lambda: check_grad(c.grad, cases, cost=c.cost)),
                          ("worker_s", lambda: check_file(path, cases))):
            run()
            start = time.perf_counter()
            report = run()
            out[name] = time.perf_counter() - start
            assert report.ok, f"the benchmark's candidate failed the oracle ({name})"
    return out


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
    try:
        import torch
    except ImportError:
        return _median_times(fs, repeat)
    tp = [(torch.tensor(W, requires_grad=True), torch.tensor(b, requires_grad=True)) for W, b in params]
    tX, tY = torch.tensor(X), torch.tensor(Y)

    def torch_grad():
        a = tX
        for W, b in tp:
            a = torch.sigmoid(a @ W.T + b)
        C = (0.5 * ((a - tY) ** 2).sum(dim=1) / tY.shape[1]).mean()
        torch.autograd.grad(C, [t for pair in tp for t in pair])

    out = _median_times(fs, repeat)
    # Alone, after the others: torch's OpenMP threads keep spinning after each call and would slow whatever
    # runs next, so interleaving it with the others distorts every figure.
    out["torch"] = _median_times({"torch": torch_grad}, repeat)["torch"]
    return out


def main(argv: list[str]) -> int:
    p = cli_args.Parser(prog="python -m compare bench", description=__doc__.splitlines()[0])
    p.add_argument("--examples", type=cli_args.int_at_least(1), default=20000,
                   help="cases for the oracle's throughput (default 20000)")
    p.add_argument("--repeat", type=cli_args.int_at_least(1), default=30, help="timed calls per figure (default 30)")
    p.add_argument("--seed", type=cli_args.int_at_least(0), default=0)
    try:
        args = cli_args.parse(p, argv)
    except cli_args.UsageError as e:
        return cli_args.usage_error(p.prog, e)
    if isinstance(args, int):
        return args
    import os

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
    c = bench_candidate(min(args.examples, 4000), args.seed)
    print(f"--candidate, a NumPy candidate file (grad and cost), {c['cases']} cases, warm:")
    print(f"  called in this process:          {c['cases'] / c['in_process_s']:8,.0f} cases/s")
    print(f"  called in a worker process:      {c['cases'] / c['worker_s']:8,.0f} cases/s   "
          f"(worker / in-process = {c['in_process_s'] / c['worker_s']:.2f})")
    for dtype in ("float64", "float32"):
        r = bench_net(dtype, args.repeat)
        print(f"784-100-10, batch 1000, {dtype} (median of {args.repeat}):")
        print(f"  BLAS floor (5 matmuls) {r['floor'] * 1e3:7.2f} ms")
        print(f"  manual.grad            {r['manual'] * 1e3:7.2f} ms   floor/manual = {r['floor'] / r['manual']:.0%}")
        print(f"  autodiff.grad          {r['autodiff'] * 1e3:7.2f} ms   autodiff/raw jit = "
              f"{r['autodiff'] / r['raw_jit']:.2f}x")
        print(f"  raw jax.jit(jax.grad)  {r['raw_jit'] * 1e3:7.2f} ms")
        if "torch" in r:
            print(f"  torch autograd         {r['torch'] * 1e3:7.2f} ms")
        else:
            print("  torch autograd         (not installed)")
    return 0
