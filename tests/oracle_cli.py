"""``python -m compare ARGS`` for the tests, in this process where that says the same as a new one.

A new process spends ~1.2 s importing JAX and loads every compiled reference again; this process has them after
the first run, so a report test costs 0.2-0.4 s instead of 2 s (measured on the 2-core CI machine). ``run``
calls ``compare.cli.main`` as ``python -m compare`` would (the same ``cwd`` and environment, stdout and stderr
captured, warnings printed rather than raised, SIGINT's handler put back) and checks, when it returns, that
every process the run started has ended and that the per-call time limit is the caller's again. It starts a
real process instead where this one cannot stand in: a different sandbox setting (read once per process), or
``fresh=True`` for what only a new process shows (start-up, signals, the interpreter's exit status).
"""

from __future__ import annotations

import contextlib
import io
import os
import signal
import subprocess
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Read once per process by the oracle (protection.sandbox, jaxcache): a run that sets them differently is a new
# process.
PROCESS_WIDE = ("BACKPROP_ORACLE_SANDBOX", "BACKPROP_ORACLE_JAX_CACHE", "JAX_COMPILATION_CACHE_DIR", "XDG_CACHE_HOME",
                "JAX_ENABLE_X64", "OPENBLAS_NUM_THREADS", "PATH")


def _children() -> set[int]:
    """The pids of this process's children (every thread's) that are still running (not zombies)."""
    pids: set[int] = set()
    for task in Path(f"/proc/{os.getpid()}/task").iterdir():
        with contextlib.suppress(OSError):
            pids.update(int(p) for p in (task / "children").read_text().split())
    running = set()
    for pid in pids:
        with contextlib.suppress(OSError):
            if Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z":
                running.add(pid)
    return running


def _ended(before: set[int], wait: float = 10.0) -> set[int]:
    """The children started since ``before`` still running after up to ``wait`` s (a killed worker takes a
    moment to go)."""
    end = time.monotonic() + wait
    while (left := _children() - before) and time.monotonic() < end:
        time.sleep(0.02)
    return left


def _same_process_wide(env: dict[str, str] | None) -> bool:
    return env is None or all(env.get(k) == os.environ.get(k) for k in PROCESS_WIDE)


def run(args, *, cwd: str | Path = ROOT, env: dict[str, str] | None = None, timeout: float = 600,
        fresh: bool = False) -> subprocess.CompletedProcess:
    """``python -m compare *args`` run in ``cwd`` with ``env``: a CompletedProcess (returncode, stdout, stderr as
    text). In this process unless ``fresh`` or ``env`` changes a ``PROCESS_WIDE`` setting; ``timeout`` bounds a new
    process only (in this one, the oracle's own time limits hold)."""
    args = [str(a) for a in args]
    if fresh or not _same_process_wide(env):
        return subprocess.run([sys.executable, "-m", "compare", *args], cwd=cwd, env=env, capture_output=True,
                              text=True, timeout=timeout)
    from compare.cli import main
    from compare.oracle.sandbox import isolation

    out, err = io.StringIO(), io.StringIO()
    limit = isolation.CALL_TIME_LIMIT
    before = _children()
    saved_env, saved_cwd, saved_sigint = dict(os.environ), os.getcwd(), signal.getsignal(signal.SIGINT)
    if env is not None:
        os.environ.clear()
        os.environ.update(env)
    try:
        os.chdir(cwd)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), warnings.catch_warnings():
            warnings.resetwarnings()             # a new process's filters: shown on stderr, not raised
            warnings.simplefilter("default")
            try:
                status = main(args)
            except SystemExit as e:              # argparse's usage errors
                status = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
                if isinstance(e.code, str):
                    print(e.code, file=sys.stderr)
            sys.stdout.flush()
    finally:
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)
        signal.signal(signal.SIGINT, saved_sigint)
    left = _ended(before)
    assert not left, f"python -m compare {' '.join(args)} left processes running: {sorted(left)}"
    assert isolation.CALL_TIME_LIMIT == limit, f"python -m compare {' '.join(args)} left its --time-limit behind"
    return subprocess.CompletedProcess(["python", "-m", "compare", *args], status, out.getvalue(), err.getvalue())


CANDIDATES = ROOT / "tests" / "candidates"


def run_candidate(option: str, candidate: str, *options: str, examples: str = "200") -> subprocess.CompletedProcess:
    """``python -m compare OPTION tests/candidates/CANDIDATE --examples N --progress off *OPTIONS`` (``run``): how the
    held-out rounds' tests check a look-alike."""
    return run([option, str(CANDIDATES / candidate), "--examples", examples, "--progress", "off", *options])


def diagnosis(out: subprocess.CompletedProcess) -> str:
    """The report's diagnosis of a run that found a disagreement (exit 1, asserted)."""
    assert out.returncode == 1, out.stdout + out.stderr
    return out.stdout.split("diagnosis:")[1]
