"""``python -m compare train``: train the seed's digit network on the 8x8 digits, with either backend.

    python -m compare train                                  # 64-30-10, eta 30, mini-batch 10, 30 epochs
    python -m compare train --backend autodiff --dtype float32 --sgd --epochs 5
    python -m compare train --save params.npz --plot curve.png

Prints a progress bar with the running training cost (on a terminal, for runs over a couple of seconds)
and a last line such as ``test accuracy 97.2% (350/360) in 0.12 s, backend manual, float64``; the time
is the training itself, without the per-epoch evaluation done for the bar and the plot.
Exit status: 0 done, 1 a missing optional dependency or a file that cannot be written, 2 a usage error.
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np

from . import args
from .progress import Progress


def _digit_sizes(text: str) -> list[int]:
    values = args.sizes(text)
    if values[0] != 64 or values[-1] != 10:
        raise argparse.ArgumentTypeError(f"must start with 64 (8x8 pixels) and end with 10 (digits), got {text!r}")
    return values


def build_parser() -> argparse.ArgumentParser:
    p = args.Parser(prog="python -m compare train",
                description="Train the seed's sigmoid network on scikit-learn's 8x8 digits (80% train, 20% test).")
    p.add_argument("--backend", choices=("manual", "autodiff"), default="manual",
                   help="manual: hand-derived backprop in NumPy; autodiff: jax.grad (default: manual)")
    p.add_argument("--sizes", type=_digit_sizes, default=[64, 30, 10], metavar="64,...,10",
                   help="layer sizes n_0,...,n_L; first 64, last 10 (default: 64,30,10)")
    p.add_argument("--eta", type=args.positive_float, default=30.0, help="learning rate eta (default: 30)")
    p.add_argument("--epochs", type=args.int_at_least(0), default=30, help="passes over the training set (default: 30)")
    batch = p.add_mutually_exclusive_group()
    batch.add_argument("--batch-size", type=args.int_at_least(1), default=10, metavar="K",
                       help="mini-batch gradient descent with K examples a step (default: 10)")
    batch.add_argument("--sgd", dest="batch_size", action="store_const", const=1,
                       help="stochastic gradient descent: one example a step (--batch-size 1)")
    batch.add_argument("--full-batch", dest="batch_size", action="store_const", const=None,
                       help="batch gradient descent: every training example in one step per epoch")
    p.add_argument("--seed", type=args.int_at_least(0), default=0,
                   help="seed of the initial parameters and of the order of examples (default: 0); "
                        "the train/test split is always the same")
    p.add_argument("--dtype", choices=("float64", "float32"), default="float64", help="(default: float64)")
    p.add_argument("--save", metavar="FILE.npz", help="write the trained parameters here (manual.save_params)")
    p.add_argument("--plot", metavar="FILE.png", help="draw cost and accuracy per epoch, train and test, here")
    return p


def main(argv: list[str]) -> int:
    """Run ``python -m compare train`` with the arguments ``argv``; return the exit status."""
    parser = build_parser()
    try:
        options = args.parse(parser, argv)
        if isinstance(options, int):
            return options
        args.check_writable(options.save, "--save")
        args.check_writable(options.plot, "--plot")
    except args.UsageError as e:
        return args.usage_error(parser.prog, e)
    try:
        return _run(options)
    except _Missing as e:
        print(f"{parser.prog}: {e}", file=sys.stderr)
        return 1


class _Missing(Exception):
    """An optional dependency is not installed, or an output file cannot be written."""


def _run(opts) -> int:
    if opts.plot is not None:
        try:
            import matplotlib
        except ImportError:
            raise _Missing("plotting needs matplotlib, which is not installed: "
                           "pip install 'backprop-oracle[plot]'") from None
        matplotlib.use("Agg")
    from .digits import load_digits_split  # here, so a bad command line fails before scikit-learn loads

    try:
        X_train, Y_train, labels_train, X_test, Y_test, labels_test = load_digits_split(dtype=opts.dtype)
    except ImportError as e:
        raise _Missing(str(e)) from None

    if opts.backend == "manual":
        from manual.network import cost
        from manual.train import accuracy, train
    else:
        from autodiff.network import cost
        from autodiff.train import accuracy, train
    from manual.params import init_params, save_params

    params = init_params(opts.sizes, seed=opts.seed, dtype=opts.dtype)
    history: dict[str, list[float]] = {"cost_train": [], "cost_test": [], "acc_train": [], "acc_test": []}
    bar = Progress(opts.epochs, f"train {opts.backend}")
    want_history = opts.plot is not None
    evaluation = 0.0   # seconds spent in the callback, taken off the reported training time

    def callback(epoch: int, current) -> None:
        nonlocal evaluation
        if not (bar.enabled or want_history):
            return
        start = time.perf_counter()
        c = float(cost(current, X_train, Y_train))
        if want_history:
            history["cost_train"].append(c)
            history["cost_test"].append(float(cost(current, X_test, Y_test)))
            history["acc_train"].append(accuracy(current, X_train, labels_train))
            history["acc_test"].append(accuracy(current, X_test, labels_test))
        if epoch:
            bar.update(epoch, f"epoch {epoch} cost {c:.5f}")
        evaluation += time.perf_counter() - start

    if want_history:   # epoch 0: the initial parameters
        callback(0, params)
    evaluation = 0.0
    start = time.perf_counter()
    try:
        trained = train(params, X_train, Y_train, eta=opts.eta, epochs=opts.epochs, batch_size=opts.batch_size,
                        seed=opts.seed, callback=callback)
    finally:
        bar.close()
    seconds = time.perf_counter() - start - evaluation

    acc = accuracy(trained, X_test, labels_test)
    right, total = round(acc * len(labels_test)), len(labels_test)
    if opts.save is not None:
        try:
            save_params(opts.save, trained)
        except OSError as e:
            raise _Missing(f"cannot write {opts.save!r}: {e.strerror or e}") from None
        print(f"saved parameters to {opts.save}")
    if opts.plot is not None:
        _plot(opts.plot, history, opts)
        print(f"saved plot to {opts.plot}")
    print(f"test accuracy {100 * acc:.1f}% ({right}/{total}) in {seconds:.2f} s, backend {opts.backend}, {opts.dtype}")
    return 0


def _plot(path: str, history: dict[str, list[float]], opts) -> None:
    """Cost (left) and accuracy (right) per epoch, for the training and the test split."""
    import matplotlib.pyplot as plt

    epochs = np.arange(len(history["cost_train"]))   # from epoch 0, the initial parameters
    fig, (ax_cost, ax_acc) = plt.subplots(1, 2, figsize=(10, 4), layout="constrained")
    batch = "batch" if opts.batch_size is None else ("SGD" if opts.batch_size == 1 else f"mini-batch {opts.batch_size}")
    fig.suptitle(f"{'-'.join(map(str, opts.sizes))} network on the digits: {opts.backend}, {opts.dtype}, "
                 f"eta {opts.eta:g}, {batch}")
    for split, style in (("train", "-"), ("test", "--")):
        ax_cost.plot(epochs, history[f"cost_{split}"], style, marker=".", label=split)
        ax_acc.plot(epochs, 100 * np.asarray(history[f"acc_{split}"]), style, marker=".", label=split)
    ax_cost.set(xlabel="epoch", ylabel="cost C (mean over examples)", title="cost")
    ax_acc.set(xlabel="epoch", ylabel="accuracy (%)", title="accuracy")
    if len(epochs) and min(history["cost_train"] + history["cost_test"]) > 0:
        ax_cost.set_yscale("log")
    for ax in (ax_cost, ax_acc):
        ax.grid(alpha=0.3)
        ax.legend()
    try:
        fig.savefig(path, dpi=100)
    except OSError as e:
        raise _Missing(f"cannot write {path!r}: {e.strerror or e}") from None
    finally:
        plt.close(fig)
