"""Calling a candidate in this process, guarded: one call of someone's ``grad`` must not be able to stop, flood or
change the oracle by ordinary Python means.

    result, problem = call_guarded(fn, args, time_limit=10.0)   # problem is None, or a Problem(cause, message)

What a call may do, and what the oracle makes of it:

- **take too long**: a per-call wall-clock limit (``signal.setitimer(ITIMER_REAL)`` and a SIGALRM handler that
  raises a private exception inside the candidate's code, again every 0.1 s until it lets go) gives the
  problem "took longer than N s (per-call time limit)" (cause ``"timeout"``). Only in the main thread of a
  POSIX system (elsewhere there is no limit); only between Python bytecodes, so one long NumPy/BLAS call
  finishes before the limit bites; a candidate that swallows BaseException in a loop can still hang.
  The caller's own SIGALRM handler and timer are put back afterwards (a timer that fell due during the call
  fires just after it).
- **print**: allowed, never shown. ``sys.stdout`` and ``sys.stderr`` point at a sink that counts what is
  written and keeps the first ``SAMPLE_CHARS`` characters; ``printed`` tallies it for the run, and
  ``python -m compare`` ends its report with a one-line note. Printing is no failure: a debugging print does
  not make a derivation wrong, but a million characters per call must not reach the terminal. Writes that
  bypass ``sys.stdout`` (``os.write(1, ...)``, C code, ``sys.__stdout__``) are not caught.
- **call sys.exit(...)**: caught, the problem "called sys.exit(0)" (a candidate that exits must not end the
  oracle's run, let alone with exit status 0). ``os._exit`` cannot be caught.
- **change NumPy's global error state** (``np.seterr``, ``np.seterrcall``) or JAX's global x64 flag and leave
  it changed: the state is restored and the problem names the change, since it would change what the
  oracle's own later computations do (and every later user of NumPy in the process).
- **warn**: a warning is shown (to the sink) by Python's default action, never raised, whatever filters the
  host process set: under ``-W error`` (pytest's ``filterwarnings = error``) a candidate's RuntimeWarning would
  otherwise fail its case, so the verdict would depend on who runs the oracle. Spurious floating-point flags
  from BLAS (a RuntimeWarning from ``@`` on ordinary values) happen rarely on these machines.
- **raise** any other exception (BaseException included): the problem "raised X at FILE:LINE (`source line`):
  first line of its message", the place being the innermost frame of the candidate's own code (not the
  standard library's, an installed package's, or the oracle's).
- **KeyboardInterrupt** (Ctrl-C, or raised by the candidate): re-raised after the state above is restored;
  ``check_grad`` stops and reports the cases done so far. (In a worker process, which a Ctrl-C never reaches, the
  worker reports it as the candidate's own exception: "raised KeyboardInterrupt", a failure of its case.)

``call_candidate(fn, args)`` is what ``compare.oracle.verdict.candidate`` uses: ``call_guarded`` with
``CALL_TIME_LIMIT`` (which ``python -m compare --time-limit`` sets), and once ``MAX_TIMEOUTS`` of its last ``WINDOW``
calls were lost the function is not called again (the problem says so) except for an occasional probe, so a candidate
that hangs costs a few limits, not one per case (2000 cases x 10 s would be 5.5 hours). Counted over a window, not in a
row: a candidate that hangs on every third call would otherwise cost a third of the cases' limits (2000 cases, about 2
hours). ``reset()`` forgets the tallies.
"""

from __future__ import annotations

import collections
import dataclasses
import os
import signal
import sys
import sysconfig
import threading
import time
import warnings
import weakref
from typing import NamedTuple

import numpy as np

from . import forms

CALL_TIME_LIMIT: float = 10.0   # seconds per call of a candidate; python -m compare --time-limit sets it
MAX_TIME_LIMIT = 3600.0          # what --time-limit accepts at most
MAX_TIMEOUTS = 3                 # lost calls among the last WINDOW after which a function is no longer called ...
WINDOW = 8
PROBE_FIRST, PROBE_GROWTH = 16, 4   # ... except on its 16th, 64th, 256th, ... skipped call, to see if it recovered
SAMPLE_CHARS = 200
_REPEAT = 0.1                    # seconds between further alarms once the limit has passed


class Problem(NamedTuple):
    """Why a guarded call gave no result. ``cause`` is what decisions read: ``"timeout"`` (over the per-call
    limit), ``"skipped"`` (not called after repeated timeouts), ``"exit"`` (sys.exit), ``"state"`` (changed
    global state), ``"raised"`` (an exception); ``message`` is the sentence a report shows; ``refused`` says
    the exception was a ValueError (the range rule's refusal, ``ranges``), ``mistyped`` a TypeError (a type
    refused: set in this process only, the worker's replies leave it False), ``overflow`` an OverflowError
    (math.exp beyond the float range)."""

    cause: str
    message: str
    refused: bool = False
    mistyped: bool = False
    overflow: bool = False
    where: str = ""          # an exception's type and the candidate's line that raised it: one crash site


class _Timeout(BaseException):
    """Raised inside the candidate when its time is up. A BaseException, so ``except Exception`` in the
    candidate does not swallow it."""


@dataclasses.dataclass
class Printed:
    """What candidates printed (all suppressed) since the last ``reset()``."""

    calls: int = 0       # calls that printed anything
    chars: int = 0       # characters written to sys.stdout / sys.stderr (bytes to their .buffer), or, from a
                         # worker process, bytes written to its file descriptors 1 and 2
    sample: str = ""     # the start of the first printing call's output
    unit: str = "characters"

    def note(self) -> str | None:
        """One line for the report, or None when nothing was printed."""
        if not self.chars:
            return None
        why = EXP_WARNING_WORDS if EXP_WARNING in self.sample else ""
        if self.unit == "bytes":   # a worker's file descriptors: read while it runs ahead, so no count per call
            return (f"note: the candidate's process wrote {self.chars:,} bytes to its stdout and stderr (not "
                    f"shown; it started {self.sample[:80]!r}){why}")
        return (f"note: the candidate printed {self.chars:,} {self.unit} in {self.calls:,} calls (not shown; "
                f"it started {self.sample[:80]!r}){why}")


# NumPy's warning for sigma written 1/(1 + np.exp(-z)) on a saturated unit, which reads as an error: what it is,
# said where the candidate's output starts with it.
EXP_WARNING = "RuntimeWarning: overflow encountered in exp"
EXP_WARNING_WORDS = (": NumPy's warning that exp(-z) overflowed to inf on a saturated unit, where 1/(1 + inf) = 0 "
                     "is the right limit; the warning alone is no fault, the verdict is the values'")


printed = Printed()


class _Sink:
    """A stand-in for sys.stdout/sys.stderr: counts what is written, keeps the first SAMPLE_CHARS characters."""

    encoding, errors, closed, newlines = "utf-8", "strict", False, None

    def __init__(self):
        self.chars = 0
        self.head: list[str] = []
        self.kept = 0
        self.buffer = _ByteSink(self)

    def write(self, s) -> int:
        if not isinstance(s, str):
            raise TypeError(f"write() argument must be str, not {type(s).__name__}")
        self.chars += len(s)
        if self.kept < SAMPLE_CHARS:
            self.head.append(s[:SAMPLE_CHARS - self.kept])
            self.kept += len(self.head[-1])
        return len(s)

    def writelines(self, lines) -> None:
        for s in lines:
            self.write(s)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False

    def writable(self) -> bool:
        return True

    def readable(self) -> bool:
        return False

    def seekable(self) -> bool:
        return False

    def fileno(self) -> int:
        import io

        raise io.UnsupportedOperation("the oracle's output sink has no file descriptor")


class _ByteSink:
    def __init__(self, text: _Sink):
        self.text = text

    def write(self, b) -> int:
        n = len(memoryview(b))
        self.text.chars += n
        return n

    def flush(self) -> None:
        pass


class _Alarm:
    """The per-call time limit (see the module docstring); a no-op off the main thread or without setitimer."""

    def __init__(self, limit: float | None):
        self.limit = limit
        self.usable = (limit is not None and limit > 0 and hasattr(signal, "setitimer")
                       and threading.current_thread() is threading.main_thread())
        self.armed = False
        self.fired = False

    def _handler(self, signum, frame):
        self.fired = True
        # Raise only inside the candidate: never in this module's own bookkeeping (arming, disarming).
        if self.armed and (frame is None or frame.f_globals.get("__name__") != __name__):
            raise _Timeout

    def __enter__(self):
        if self.usable:
            self.old_handler = signal.signal(signal.SIGALRM, self._handler)
            self.old_timer = signal.setitimer(signal.ITIMER_REAL, 0)
            self.start = time.monotonic()
            self.armed = True
            signal.setitimer(signal.ITIMER_REAL, self.limit, _REPEAT)
        return self

    def __exit__(self, *exc):
        if self.usable:
            signal.setitimer(signal.ITIMER_REAL, 0)
            self.armed = False
            signal.signal(signal.SIGALRM, self.old_handler)
            delay, interval = self.old_timer
            if delay > 0:   # the caller's timer, less the time this call took (at least a moment: it fires late)
                signal.setitimer(signal.ITIMER_REAL, max(delay - (time.monotonic() - self.start), 1e-3), interval)
        return False


_NOT_CANDIDATE = tuple({os.path.realpath(p) + os.sep for p in (
    sysconfig.get_paths()["stdlib"], sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"],
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))))})     # ... and compare/oracle itself


def raised_at(e: BaseException) -> str:
    """" at FILE:LINE (`source line`)" of the innermost frame of ``e``'s traceback in the candidate's own code (not
    under the standard library, site-packages or ``compare/oracle``), " in the --make expression" where that is the
    innermost (the user's own words raised, not their file), or "" when there is none."""
    frame = None
    tb = e.__traceback__
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name in forms.EXPRESSIONS or (not os.path.realpath(name).startswith(_NOT_CANDIDATE)
                                         and not name.startswith("<")):
            frame = (name, tb.tb_lineno)
        tb = tb.tb_next
    if frame is None:
        return ""
    if frame[0] in forms.EXPRESSIONS:
        return f" in {frame[0][1:-1]}"
    import linecache

    name, line = frame
    shown = os.path.relpath(name) if os.path.realpath(name).startswith(os.getcwd() + os.sep) else name
    source = linecache.getline(name, line).strip()
    text = f" at {shown}:{line}" + (f" (`{source[:80]}`)" if source else "")
    return "".join(ch if ch.isprintable() else "?" for ch in text)


def first_line(e: BaseException) -> str:
    """The first line of an exception's message, even when printing it fails."""
    try:
        text = str(e)
    except Exception:
        text = "(its message could not be printed)"
    return text.splitlines()[0] if text.strip() else ""


def _x64() -> bool | None:
    jax = sys.modules.get("jax")
    if jax is None:
        return None
    try:
        return bool(jax.config.jax_enable_x64)
    except Exception:
        return None


def call_guarded(fn, args, *, time_limit: float | None, capture: bool = True):
    """``fn(*args)`` with a time limit of ``time_limit`` seconds (None: none), printing suppressed (unless
    ``capture`` is False: the worker process lets it reach its own file descriptors) and global state guarded.
    Returns ``(result, None)``, or ``(None, Problem)``."""
    sink = _Sink()
    out, err = sys.stdout, sys.stderr
    np_err, np_call = np.geterr(), np.geterrcall()
    x64 = _x64()
    alarm = _Alarm(time_limit)
    result, problem = None, None
    try:
        if capture:
            sys.stdout, sys.stderr = sink, sink
        with alarm, warnings.catch_warnings():
            warnings.simplefilter("default")   # a warning is printed (to the sink), never raised: see below
            result = fn(*args)
    except _Timeout:
        pass
    except SystemExit as e:
        problem = Problem("exit", "called sys.exit()" if e.code is None else f"called sys.exit({e.code!r})")
    except KeyboardInterrupt:
        raise
    except BaseException as e:   # a candidate that raises is a wrong derivation, reported like any other
        where = f"{type(e).__name__}{raised_at(e)}"
        problem = Problem("raised", f"raised {where}: {first_line(e)}", isinstance(e, ValueError),
                          isinstance(e, TypeError), isinstance(e, OverflowError), where[:300])
    finally:
        sys.stdout, sys.stderr = out, err
        changed = _restore(np_err, np_call, x64)
        if sink.chars:
            printed.calls += 1
            printed.chars += sink.chars
            if not printed.sample:
                printed.sample = "".join(sink.head)
    if alarm.fired:
        return None, Problem("timeout", f"took longer than {time_limit:g} s (per-call time limit)")
    if problem is None and changed:
        problem = Problem("state", f"changed {changed} and left it changed (the oracle restored it)")
    return (None, problem) if problem is not None else (result, None)


def _restore(np_err: dict, np_call, x64: bool | None) -> str | None:
    """Put NumPy's error state and JAX's x64 flag back as they were; say what had changed, or None."""
    what = []
    now = np.geterr()
    if now != np_err:
        diff = ", ".join(f"{k}: {np_err[k]} -> {now[k]}" for k in sorted(now) if now[k] != np_err.get(k))
        what.append(f"NumPy's global error state (np.seterr: {diff})")
        np.seterr(**np_err)
    if np.geterrcall() is not np_call:
        what.append("NumPy's global error callback (np.seterrcall)")
        np.seterrcall(np_call)
    if x64 is not None and _x64() != x64:
        what.append(f"JAX's global x64 flag (jax_enable_x64: {x64} -> {not x64})")
        sys.modules["jax"].config.update("jax_enable_x64", x64)
    return "; ".join(what) or None


# ---- the oracle's policy: a limit per call, and no endless waiting on a candidate that hangs ---------------

class Lost:
    """The lost calls of one candidate (timeouts; in a worker process also its death or garbage): whether each of
    its last ``WINDOW`` calls was lost, how many were lost in a row, and how many calls were skipped so far."""

    def __init__(self):
        self.recent: collections.deque[bool] = collections.deque(maxlen=WINDOW)
        self.streak = 0
        self.skipped = 0

    @property
    def stopped(self) -> bool:
        """Whether the candidate is no longer called (``MAX_TIMEOUTS`` of its last ``WINDOW`` calls were lost)."""
        return sum(self.recent) >= MAX_TIMEOUTS

    def lost(self) -> str:
        """How many of its last calls were lost, as words: "3 of its last 5 calls"."""
        return f"{sum(self.recent)} of its last {len(self.recent)} calls"


_timeouts: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()   # fn -> its Lost
_timeouts_by_id: dict[int, Lost] = {}                                # for callables that take no weak reference


def _tally(fn) -> Lost:
    try:
        return _timeouts.setdefault(fn, Lost())
    except TypeError:
        return _timeouts_by_id.setdefault(id(fn), Lost())


def skipped(tally: Lost, why: str | None = None) -> Problem | None:
    """The policy for a candidate that keeps hanging (or, in a worker process, dying): once ``MAX_TIMEOUTS`` of
    its last ``WINDOW`` calls were lost it is not called (this Problem, saying ``why``) except on its 16th, 64th,
    256th, ... skipped call of the run, to see whether it recovered. The skipped calls are counted over the whole
    run, so a candidate that recovers only to hang again is probed ever more rarely."""
    if not tally.stopped:
        return None
    tally.skipped += 1
    probe = PROBE_FIRST
    while probe < tally.skipped:
        probe *= PROBE_GROWTH
    if tally.skipped == probe:
        return None
    why = why or f"{tally.lost()} each took longer than {CALL_TIME_LIMIT:g} s (per-call time limit)"
    return Problem("skipped", f"not called: {why}, so the oracle no longer waits for it")


def count(tally: Lost, problem: Problem | None, lost: tuple[str, ...] = ("timeout",)) -> None:
    """Record one call's outcome in ``tally``; a call is lost when its problem's cause is one of ``lost`` (in this
    process a timeout; in a worker also its death or garbage). A call that was not lost, made while the candidate
    was no longer called (a probe), means it recovered: the window is forgotten and it is called again."""
    if problem is not None and problem.cause in lost:
        tally.recent.append(True)
        tally.streak += 1
        return
    if tally.stopped:
        tally.recent.clear()
    tally.recent.append(False)
    tally.streak = 0


def call_candidate(fn, args, *, key=None):
    """``call_guarded(fn, args, time_limit=CALL_TIME_LIMIT)`` under the ``skipped`` policy. ``key`` (default
    ``fn``) is what the timeouts are counted for: the candidate, when ``fn`` wraps it."""
    tally = _tally(fn if key is None else key)
    problem = skipped(tally)
    if problem is not None:
        return None, problem
    result, problem = call_guarded(fn, args, time_limit=CALL_TIME_LIMIT)
    count(tally, problem)
    return result, problem


def reset() -> None:
    """Forget the timeouts counted so far and what was printed (``python -m compare`` does this per target)."""
    _timeouts.clear()
    _timeouts_by_id.clear()
    printed.calls, printed.chars, printed.sample, printed.unit = 0, 0, "", "characters"


def warnings_raised(fn):
    """``fn`` with every RuntimeWarning raised as an error (``call_guarded`` only shows a candidate's): for the
    project's own backends, whose careful code exists so that no overflow or invalid-value warning is ever
    printed, so that one is a bug the suite must fail on."""
    def strict(*args, **kwargs):
        with warnings.catch_warnings():
            warnings.simplefilter("error", RuntimeWarning)
            return fn(*args, **kwargs)
    strict.__name__, strict.__qualname__, strict.__doc__ = fn.__name__, fn.__qualname__, fn.__doc__
    return strict
