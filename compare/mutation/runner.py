"""Run the comparison suite against mutants: each on a temporary copy of the tree, in a subprocess, so the real
files are never edited and a mutant that crashes or hangs takes only its own run with it."""

from __future__ import annotations

import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from typing import NamedTuple

from .mutator import Mutant

PACKAGES = ("manual", "autodiff", "compare")
SUITE = ("-m", "compare", "--no-diagnosis")   # the default ``python -m compare``; a diagnosis changes no verdict
KILLED, SURVIVED, TIMEOUT = "killed", "survived", "timeout"


class Outcome(NamedTuple):
    """One mutant's run: ``verdict`` (killed, survived, timeout), the suite's exit status and its time."""

    mutant: Mutant
    verdict: str
    returncode: int | None
    seconds: float


def copy_tree(root: str, dest: str) -> None:
    """The packages the suite imports, copied from ``root`` into ``dest`` (no caches, no git)."""
    for name in PACKAGES:
        shutil.copytree(os.path.join(root, name), os.path.join(dest, name),
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))


def run_suite(tree: str, args: tuple[str, ...] = (), timeout: float = 300.0) -> tuple[int | None, float]:
    """``python -m compare --no-shrink ARGS`` in ``tree``: (exit status or None on timeout, seconds)."""
    env = dict(os.environ, PYTHONPATH=tree, PYTHONDONTWRITEBYTECODE="1")
    start = time.perf_counter()
    try:
        rc = subprocess.run([sys.executable, *SUITE, *args], cwd=tree, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, timeout=timeout).returncode
    except subprocess.TimeoutExpired:
        rc = None
    return rc, time.perf_counter() - start


def run_mutants(root: str, mutants: list[Mutant], args: tuple[str, ...] = (), timeout: float = 300.0,
                on_outcome: Callable[[Outcome], None] | None = None) -> Iterator[Outcome]:
    """Each mutant written into one temporary copy of ``root`` in turn (the original file put back after it),
    the suite run on it. The unmutated copy is run first and must pass: a RuntimeError otherwise."""
    with tempfile.TemporaryDirectory(prefix="mutants-") as tree:
        copy_tree(root, tree)
        rc, _ = run_suite(tree, args, timeout)
        if rc != 0:
            raise RuntimeError(f"the suite fails on the unmutated tree (exit status {rc}): nothing to measure")
        for m in mutants:
            target = os.path.join(tree, m.path)
            with open(target) as f:
                original = f.read()
            try:
                with open(target, "w") as f:
                    f.write(m.source)
                rc, seconds = run_suite(tree, args, timeout)
            finally:
                with open(target, "w") as f:
                    f.write(original)
            verdict = TIMEOUT if rc is None else SURVIVED if rc == 0 else KILLED
            outcome = Outcome(m, verdict, rc, seconds)
            if on_outcome:
                on_outcome(outcome)
            yield outcome


def run_parallel(root: str, mutants: list[Mutant], args: tuple[str, ...] = (), timeout: float = 300.0,
                 jobs: int = 1) -> Iterator[Outcome]:
    """``run_mutants`` split over ``jobs`` copies of the tree (mutant i to copy i mod jobs), each run by a thread of
    its own; outcomes come as they finish. With ``jobs`` 1 it is ``run_mutants`` itself. An error in any copy (the
    unmutated suite failing) is raised here."""
    if jobs <= 1 or len(mutants) <= 1:
        yield from run_mutants(root, mutants, args, timeout)
        return
    done = object()
    out: queue.Queue = queue.Queue()

    def work(shard: list[Mutant]) -> None:
        try:
            for o in run_mutants(root, shard, args, timeout):
                out.put(o)
        except BaseException as e:      # handed to the caller's thread
            out.put(e)
        out.put(done)

    shards = [mutants[i::jobs] for i in range(min(jobs, len(mutants)))]
    for shard in shards:
        threading.Thread(target=work, args=(shard,), daemon=True).start()
    left = len(shards)
    while left:
        item = out.get()
        if item is done:
            left -= 1
        elif isinstance(item, BaseException):
            raise item
        else:
            yield item
