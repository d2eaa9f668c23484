"""What protects a run from its workers, and the oracle from them: bubblewrap where it runs, else what the
kernel offers (see ``process``'s docstring for the whole picture).

- ``sandbox()``: whether workers run under bubblewrap here (decided once per process), and ``bwrap_prefix`` its
  command line: the system read-only, a fresh /dev, /proc and /tmp, no network, its own PID namespace,
  ``--die-with-parent``, no capabilities;
- ``protect_oracle``: once per process, SIGTERM and SIGHUP handlers that kill the workers, and without
  bubblewrap ``PR_SET_DUMPABLE`` 0 and ``PR_SET_CHILD_SUBREAPER``;
- ``sweep_strays``: kill what a worker left behind (its session, its process group, or marked in its
  environment);
- ``import_verdict``: every module the verdict needs imported before the first worker starts.
"""

from __future__ import annotations

import ctypes
import functools
import importlib
import os
import pkgutil
import shutil
import signal
import subprocess
import threading
import time
from pathlib import Path
from typing import NamedTuple

SANDBOX_ENV = "BACKPROP_ORACLE_SANDBOX"     # "none": no bubblewrap, whether or not it runs here
WORKER_ENV = "BACKPROP_ORACLE_WORKER"       # in a worker's environment: the oracle's pid (marks its strays)
BUBBLEWRAP, NONE = "bubblewrap", "none"
PR_SET_PDEATHSIG, PR_SET_DUMPABLE, PR_SET_CHILD_SUBREAPER = 1, 4, 36
# bubblewrap's options besides the file system: its own PID and network namespaces, killed with the oracle,
# a session of its own (no TIOCSTI into the oracle's terminal), no capabilities even as root
BWRAP_OPTIONS = ("--unshare-pid", "--unshare-net", "--die-with-parent", "--new-session", "--cap-drop", "ALL")


# ---- the sandbox: bubblewrap where it runs, else what the kernel offers ----------------------------------

class Sandbox(NamedTuple):
    """How workers are protected in this process: ``kind`` BUBBLEWRAP or NONE, ``reason`` why not bubblewrap,
    ``bwrap`` its path."""

    kind: str
    reason: str = ""
    bwrap: str = ""


def bwrap_prefix(bwrap: str, visible: list[str]) -> list[str]:
    """The bubblewrap command line before the worker's: the system read-only, a fresh /dev, /proc and /tmp, and
    ``visible`` (folders under /tmp the worker needs: the candidate's, the checkout, the venv) bound read-only."""
    args = [bwrap, "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp"]
    for path in visible:
        args += ["--ro-bind", path, path]
    return [*args, *BWRAP_OPTIONS, "--setenv", "TMPDIR", "/tmp", "--"]


@functools.cache
def sandbox() -> Sandbox:
    """Whether workers run under bubblewrap here: decided once per process by running ``bwrap`` with the
    worker's options on ``true``. ``BACKPROP_ORACLE_SANDBOX=none`` forces the fallback (tests run both ways)."""
    if os.environ.get(SANDBOX_ENV, "").lower() == NONE:
        return Sandbox(NONE, f"{SANDBOX_ENV}=none")
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        return Sandbox(NONE, "bubblewrap not available")
    try:
        ran = subprocess.run([*bwrap_prefix(bwrap, []), "true"], stdin=subprocess.DEVNULL,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return Sandbox(NONE, "bubblewrap not available")
    if ran.returncode != 0:
        return Sandbox(NONE, "bubblewrap not available")
    return Sandbox(BUBBLEWRAP, "", bwrap)


def visible_under_tmp(paths: list[str]) -> list[str]:
    """Those of ``paths`` that bubblewrap's fresh /tmp would hide, existing folders only, each once (a folder
    inside another one listed is already visible)."""
    tmp = Path("/tmp").resolve()
    found: list[Path] = []
    for p in sorted({Path(p).resolve() for p in paths if p}, key=lambda q: len(q.parts)):
        if (p == tmp or tmp in p.parents) and p.is_dir() and not any(q == p or q in p.parents for q in found):
            found.append(p)
    return [str(p) for p in found]


# ---- the oracle's own protection, once per process -------------------------------------------------------

WORKERS: set[int] = set()      # the pids of the workers (or their bwrap) running now: each leads its own group
SESSIONS: set[int] = set()     # the session of every worker started without bubblewrap: its orphans are strays
_guarded_by: list[str] = []     # what protect_oracle set up, in words (empty until it ran)
_lock = threading.Lock()


def prctl(option: int, value: int) -> bool:
    """``prctl(option, value)`` (Linux); whether it worked."""
    try:
        return ctypes.CDLL(None, use_errno=True).prctl(option, value, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _killWORKERS() -> None:
    """SIGKILL to every worker's process group, and its strays (the signal handler's work)."""
    for pid in list(WORKERS):
        try:
            os.killpg(pid, signal.SIGKILL)
        except OSError:
            pass
    sweep_strays()


def _on_fatal_signal(signum, frame) -> None:
    """SIGTERM or SIGHUP: kill the workers, then die of the signal as this process would have without us."""
    _killWORKERS()
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)


def protect_oracle(box: Sandbox) -> list[str]:
    """Once per process, before its first worker starts: handlers for SIGTERM and SIGHUP that kill the workers
    (only where the signal has its default action, from the main thread); without bubblewrap also
    ``PR_SET_DUMPABLE`` 0 and ``PR_SET_CHILD_SUBREAPER``. Returns what protects the workers' runs, in words."""
    with _lock:
        if _guarded_by:
            return list(_guarded_by)
        if threading.current_thread() is threading.main_thread():
            for signum in (signal.SIGTERM, signal.SIGHUP):
                if signal.getsignal(signum) == signal.SIG_DFL:
                    signal.signal(signum, _on_fatal_signal)
        words = ["parent-death signal"]
        if box.kind == NONE:
            if prctl(PR_SET_CHILD_SUBREAPER, 1):
                words.append("subreaper")
            if prctl(PR_SET_DUMPABLE, 0):
                words.append("oracle not dumpable")
        _guarded_by[:] = words
        return words


def import_verdict() -> None:
    """Import every module of ``compare.oracle`` and the command line's reporting before a worker starts, so
    that nothing a worker does to the files afterwards can reach this run's verdict. A module that cannot be
    imported is left for whoever needs it to fail on (this run may not)."""
    import compare.oracle as package

    names = [info.name for info in pkgutil.walk_packages(package.__path__, "compare.oracle.", onerror=lambda _: None)]
    for name in [*names, "compare.cli.args", "compare.cli.oracle", "compare.cli.step", "compare.cli.progress"]:
        try:
            importlib.import_module(name)
        except ImportError:
            pass


def _children() -> list[tuple[int, int, int]]:
    """(pid, process group, session) of every child of this process, from /proc."""
    me, out = os.getpid(), []
    try:
        names = os.listdir("/proc")
    except OSError:
        return out
    for name in names:
        if not name.isdigit():
            continue
        try:
            text = Path(f"/proc/{name}/stat").read_text()
            fields = text[text.rindex(")") + 2:].split()
            ppid, pgrp, session = int(fields[1]), int(fields[2]), int(fields[3])
        except (OSError, ValueError, IndexError):
            continue
        if ppid == me:
            out.append((int(name), pgrp, session))
    return out


def _marked(pid: int) -> bool:
    """Whether process ``pid`` has this oracle's worker mark in its environment."""
    try:
        env = Path(f"/proc/{pid}/environ").read_bytes()
    except OSError:
        return False
    return f"{WORKER_ENV}={os.getpid()}".encode() in env.split(b"\0")


def _reap(pid: int) -> None:
    """Wait (a little) for a killed stray, so that it leaves no zombie."""
    for _ in range(200):
        try:
            done, _ = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            return
        if done:
            return
        time.sleep(0.01)


def sweep_strays() -> int:
    """Kill and reap every process a worker left behind that became this process's child (this process is a
    subreaper without bubblewrap): those in a worker's session or process group, or marked in their
    environment. Returns how many were killed."""
    killed = 0
    for _ in range(16):                  # killing one hands its own children to this process
        strays = [pid for pid, pgrp, session in _children()
                  if pid not in WORKERS and (session in SESSIONS or pgrp in SESSIONS or _marked(pid))]
        if not strays:
            break
        for pid in strays:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        for pid in strays:
            _reap(pid)
        killed += len(strays)
    return killed
