"""Process isolation, the oracle's side: the candidate runs in a worker process (``worker.py``) that it can
crash, hang, flood or rewrite without touching the reference, the comparison, the verdict or the exit status.

    target = Isolated("my_backprop.py")          # starts the worker, imports the file there
    outcomes = target.run(sent)                   # one Outcome per case: output, problem, mutated input

- inputs go into a shared memory file the worker maps; after the call the oracle compares those bytes with
  its own copies, so a candidate that writes into its inputs is seen whatever it does to the worker;
- the output comes back as raw array bytes and a JSON description (``wire``): never a pickle;
- the per-call time limit is enforced here (``isolation.CALL_TIME_LIMIT``): the worker is killed and a new one
  started for the next call; a worker that dies (any exit status, any signal), closes its pipe or sends
  something that is not a reply fails that call with a Problem saying what happened; after ``MAX_TIMEOUTS``
  lost calls in a row the candidate is no longer called but for a probe now and then (``isolation.skipped``);
- the worker's memory is capped (``RLIMIT_AS``, ``memory_limit`` bytes);
- whatever the worker writes to its file descriptors 1 and 2 is read here, counted into ``isolation.printed``
  and never shown.

Limits: the worker runs as the same user, so a candidate can still signal or ptrace the oracle where the
system allows it; such an oracle ends with a non-zero status (killed, or 130), never 0.
"""

from __future__ import annotations

import mmap
import os
import select
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

import numpy as np

from . import isolation, wire
from .forms import Form
from .isolation import Problem
from .load import CandidateError, split_spec

LOAD_TIME_LIMIT = 120.0            # seconds for the worker to start and import the candidate
ALIGN = 64


def default_memory_limit() -> int:
    """Half of this machine's physical memory, in bytes (the worker's address-space cap by default)."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2
    except (ValueError, OSError):
        return 8 << 30


def _signal_name(n: int) -> str:
    try:
        return signal.Signals(n).name
    except ValueError:
        return f"signal {n}"


class _Lost(Exception):
    """The call got no reply: ``problem`` says why; the worker is gone."""

    def __init__(self, problem: Problem):
        self.problem = problem


class Isolated:
    """A candidate (``FILE.py[:NAME]``, as ``load.load_target`` reads it) run in a worker process; ``run``
    and ``cost`` call it there. ``has_cost`` says whether it has a ``cost``; ``form`` is how its name
    is called. Importing it happens in the worker: a candidate that cannot be used raises CandidateError."""

    def __init__(self, spec: str, *, memory_limit: int | None = None):
        path, name = split_spec(spec)
        self.path = str(Path(path).resolve())
        self.spec = self.path if name is None else f"{self.path}:{name}"
        self.memory_limit = default_memory_limit() if memory_limit is None else memory_limit
        self.proc = None
        self.tally = [0, 0]                 # lost calls in a row, skipped calls (isolation.skipped)
        self.why = None                     # what happened to the last lost call, unless it timed out
        self.shm = tempfile.TemporaryFile(dir="/dev/shm" if os.path.isdir("/dev/shm") else None)
        self.shm_size = 0
        self.mm = None
        self.has_cost = self._start()

    # ---- the worker's life ----------------------------------------------------------------------------

    def _limit_memory(self) -> None:
        """Cap the worker's address space and forbid core dumps (set from here with prlimit, since a preexec
        function is unsafe in a process that runs threads, as JAX does)."""
        import resource

        for what, value in ((resource.RLIMIT_AS, self.memory_limit), (resource.RLIMIT_CORE, 0)):
            try:
                resource.prlimit(self.proc.pid, what, (value, value))
            except (AttributeError, OSError, ValueError):
                pass

    def _start(self) -> bool:
        """Start a worker and import the candidate there; return whether it defines ``cost``."""
        to_child, from_parent = os.pipe()
        from_child, to_parent = os.pipe()
        root = str(Path(__file__).resolve().parents[2])
        env = dict(os.environ, PYTHONPATH=os.pathsep.join([root, os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep))
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "compare.oracle.worker", str(to_child), str(to_parent), str(self.shm.fileno())],
            pass_fds=(to_child, to_parent, self.shm.fileno()), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, start_new_session=True, env=env)
        self._limit_memory()
        os.close(to_child)
        os.close(to_parent)
        self.write_fd, self.read_fd = from_parent, from_child
        self.out_fds = [self.proc.stdout.fileno(), self.proc.stderr.fileno()]
        for fd in (self.read_fd, *self.out_fds):
            os.set_blocking(fd, False)
        self.printed, self.printed_chars = bytearray(), 0
        self.pending = bytearray()
        try:
            reply, _ = self._exchange({"op": "load", "spec": self.spec}, LOAD_TIME_LIMIT, "while importing it")
        except _Lost as e:
            raise CandidateError(f"{self.path}: {e.problem.message}") from None
        finally:
            self._count_printed()
        if not reply.get("ok"):
            self._stop()
            raise CandidateError(str(reply.get("message", "the candidate could not be loaded"))[:1000])
        form = reply.get("form")
        if not (isinstance(form, list) and len(form) == len(Form._fields)):
            self._stop()
            raise CandidateError(f"{self.path}: the worker's reply to loading it is malformed")
        self.form = Form(*form[:4], tuple(form[4]))
        return bool(reply.get("cost"))

    def _stop(self) -> None:
        if self.proc is None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self.proc.wait()
        for f in (self.proc.stdout, self.proc.stderr):
            f.close()
        for fd in (self.write_fd, self.read_fd):
            try:
                os.close(fd)
            except OSError:
                pass
        self.proc = None

    def close(self) -> None:
        """Stop the worker and free the shared memory."""
        self._stop()
        if self.mm is not None:
            self.mm.close()
        self.shm.close()

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass

    # ---- one exchange -----------------------------------------------------------------------------------

    def _died(self, when: str) -> Problem:
        code = self.proc.wait()
        if code < 0:
            return Problem("died", f"the candidate's process was killed by {_signal_name(-code)} {when}")
        return Problem("died", f"the candidate's process exited with status {code} {when}")

    def _drain(self, fd: int) -> int:
        """Read what the worker printed on ``fd``: the number of bytes read, 0 when there is nothing now, -1 at
        the end of the file."""
        try:
            b = os.read(fd, 1 << 16)
        except BlockingIOError:
            return 0
        except OSError:
            return -1
        if not b:
            return -1
        self.printed += b[: max(0, isolation.SAMPLE_CHARS - len(self.printed))]
        self.printed_chars += len(b)
        return len(b)

    def _drain_all(self, fds: list[int]) -> None:
        """Read everything the worker has printed so far (it printed it before replying)."""
        while any(self._drain(fd) > 0 for fd in fds):
            pass

    def _count_printed(self) -> None:
        p = isolation.printed
        if self.printed_chars:
            p.unit = "bytes"
            p.calls += 1
            p.chars += self.printed_chars
            if not p.sample:
                p.sample = self.printed.decode("utf-8", "replace")
        self.printed, self.printed_chars = bytearray(), 0

    def _send(self, request: dict, when: str) -> None:
        try:
            data = memoryview(wire.frame(request))
            while data:
                data = data[os.write(self.write_fd, data):]
        except OSError:
            self._stop_after(lambda: self._died(when))

    def _exchange(self, request: dict, limit: float, when: str = "during a call") -> tuple[dict, bytes]:
        """Send ``request`` and wait up to ``limit`` seconds for the reply: (message, raw bytes), or _Lost."""
        self._send(request, when)
        return self._receive(time.monotonic() + limit, limit, when)

    def _receive(self, deadline: float, limit: float, when: str = "during a call") -> tuple[dict, bytes]:
        """The next reply frame, read by ``deadline`` (else the worker is killed: a timeout of ``limit`` s)."""
        buf = self.pending
        need, head, message = wire.HEAD.size, None, None
        out_open = list(self.out_fds)
        while True:
            try:
                while len(buf) >= need:
                    if head is None:
                        head = wire.header_length(bytes(buf[:wire.HEAD.size]))
                        need = wire.HEAD.size + head
                    elif message is None:
                        message = wire.decode(bytes(buf[wire.HEAD.size:need]))
                        nbytes = message.get("nbytes", 0)
                        if type(nbytes) is not int or not 0 <= nbytes <= self.reply_limit:
                            raise wire.WireError(f"a reply announcing {nbytes!r} bytes")
                        need += nbytes
                    else:
                        self._drain_all(out_open)
                        self.pending = buf[need:]
                        return message, bytes(buf[wire.HEAD.size + head:need])
            except wire.WireError as e:
                self._stop()
                raise _Lost(Problem("garbage", f"the candidate's process sent something that is not a reply {when} "
                                               f"({e})")) from None
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self._stop()
                raise _Lost(Problem("timeout", f"took longer than {limit:g} s (per-call time limit)"))
            ready, _, _ = select.select([self.read_fd, *out_open], [], [], remaining)
            for fd in ready:
                if fd != self.read_fd and self._drain(fd) < 0:
                    out_open.remove(fd)
            if self.read_fd not in ready:
                continue
            try:
                b = os.read(self.read_fd, 1 << 20)
            except BlockingIOError:
                continue
            except OSError:
                b = b""
            if not b:
                self._drain_all(out_open)
                self._stop_after(lambda: self._died(when) if self._exited() else
                                 Problem("died", f"the candidate closed the oracle's pipe {when}"))
            buf += b

    def _exited(self) -> bool:
        """Whether the worker ends within a second (it closed its end of the pipe: usually it is exiting)."""
        try:
            self.proc.wait(timeout=1.0)
            return True
        except subprocess.TimeoutExpired:
            return False

    def _stop_after(self, problem_of) -> None:
        problem = problem_of()
        self._stop()
        raise _Lost(problem)

    reply_limit = 1 << 30

    # ---- calls ----------------------------------------------------------------------------------------

    def _layout(self, cases: list[list[np.ndarray]]) -> list[list]:
        """Write the arrays of every case into the shared memory file, each at an aligned offset; per case, its
        arrays' (offset, shape, dtype)."""
        specs, pos, arrays = [], 0, []
        for case in cases:
            specs.append([])
            for a in case:
                specs[-1].append((pos, list(a.shape), a.dtype.str))
                arrays.append((pos, a))
                pos += -(-a.nbytes // ALIGN) * ALIGN
        size = max(pos, ALIGN)
        if size > self.shm_size:
            size = max(size, 2 * self.shm_size)
            os.ftruncate(self.shm.fileno(), size)
            if self.mm is not None:
                self.mm.close()
            self.mm, self.shm_size = mmap.mmap(self.shm.fileno(), size), size
        for off, a in arrays:
            self.mm[off:off + a.nbytes] = np.ascontiguousarray(a).data.cast("B")
        return specs

    def _mutated(self, specs: list, arrays: list[np.ndarray]) -> int | None:
        """The index of the first input whose bytes in shared memory differ from the oracle's copy, or None."""
        for i, ((off, _, _), a) in enumerate(zip(specs, arrays)):
            if self.mm[off:off + a.nbytes] != np.ascontiguousarray(a).tobytes():
                return i
        return None

    def run(self, sent: list, grads: str = "pairs", form=None, with_cost: bool = False,
            meanwhile=None) -> list[Outcome]:
        """Call the candidate (as ``form`` says, by default the form its name selected) with its ``cost`` when
        ``with_cost``, on every case of ``sent``, in order: one ``Outcome`` per case. A case of ``sent`` is
        (its arrays W^1, b^1, ..., W^L, b^L, x, y already in the candidate's layout, anything, the layer sizes);
        ``grads`` is the layout's arrangement of the parameters (``layouts.Layout.grads``). The cases go to the
        worker in one request and come back one reply each, every reply within the per-call time limit of the
        one before; after a lost call (timeout, death, garbage) the worker is restarted and the rest go one at a
        time. ``meanwhile``
        (no arguments) runs here while the worker computes, once the first request is sent."""
        form = self.form if form is None else form
        results: list[Outcome | None] = [None] * len(sent)
        i = 0
        while i < len(sent):
            why = None if self.why is None else f"its last {self.tally[0]} calls were lost ({self.why})"
            problem = isolation.skipped(self.tally, why)
            if problem is not None:
                results[i] = Outcome(None, problem, None, None, None)
                i += 1
                continue
            todo = range(i, len(sent) if self.tally[0] == 0 else i + 1)
            try:
                if self.proc is None:
                    self._start()
                specs = self._layout([sent[k][0] for k in todo])
                self.reply_limit = max(64 << 20, 16 * max(sum(a.nbytes for a in sent[k][0][:-2]) for k in todo))
                self._send({"op": "run", "shm": self.shm_size, "cost": with_cost, "grads": grads,
                            "form": list(form), "cases": [{"inputs": sp, "sizes": sent[k][2]}
                                                          for sp, k in zip(specs, todo)]}, "during a call")
                if meanwhile is not None:
                    meanwhile, later = None, meanwhile
                    later()
                for n, k in enumerate(todo):
                    try:
                        message, payload = self._receive(time.monotonic() + isolation.CALL_TIME_LIMIT,
                                                         isolation.CALL_TIME_LIMIT)
                        results[k] = self._outcome(message, payload, specs[n], sent[k][0])
                    finally:
                        self._count_printed()
                    isolation.count(self.tally, None)
                    i = k + 1
            except _Lost as e:
                results[i] = Outcome(None, e.problem, None, None, None)
            except CandidateError as e:           # a restarted worker could not import the file again
                results[i] = Outcome(None, Problem("died", f"the candidate's process could not be restarted: {e}"),
                                     None, None, None)
            else:
                continue
            isolation.count(self.tally, results[i].problem, LOST)
            self.why = None if results[i].problem.cause == "timeout" else results[i].problem.message
            self._stop()
            i += 1
        if meanwhile is not None:
            meanwhile()
        return results

    def _outcome(self, message: dict, payload: bytes, specs: list, arrays_sent: list) -> Outcome:
        """One case's reply, checked; _Lost for a malformed one."""
        mutated = self._mutated(specs, arrays_sent)
        try:
            arrays = wire.arrays_from(message.get("arrays"), payload, self.reply_limit)
            grad, cost = message.get("grad"), message.get("cost")
            if not isinstance(grad, dict):
                raise wire.WireError("a reply without grad")
            out, problem = self._part(grad, arrays)
            if cost is None:
                return Outcome(out, problem, mutated, None, None)
            value, cost_problem = self._part(cost, arrays)
            if cost_problem is None and not (isinstance(value, np.ndarray) and value.shape == ()
                                             and value.dtype == np.float64):
                raise wire.WireError("a cost that is not one float64")
            return Outcome(out, problem, mutated, None if cost_problem else float(value),
                           None if cost_problem is None else cost_problem.message)
        except wire.WireError as e:
            self._stop()
            raise _Lost(Problem("garbage", f"the candidate's process sent a malformed reply ({e})")) from None

    @staticmethod
    def _part(part: dict, arrays: list[np.ndarray]):
        """(value, None) or (None, Problem) from the grad or cost part of a reply."""
        if part.get("ok") is True:
            return wire.rebuild(part.get("out"), arrays), None
        cause = part.get("cause")
        if cause == "interrupt":
            raise KeyboardInterrupt
        if cause not in ("raised", "exit", "state", "unreadable") or not isinstance(part.get("message"), str):
            raise wire.WireError("a malformed failure report")
        return None, Problem(cause, part["message"][:300])

    def cost(self, params, x, y) -> float:
        """``cost(params, x, y)`` in the worker (our layout), as a float; RuntimeError with the problem's words
        otherwise. (A run over many cases gets the costs with the gradients: ``run(..., with_cost=True)``.)"""
        sizes = [params[0][0].shape[1]] + [W.shape[0] for W, _ in params]
        o = self.run([([a for pair in params for a in pair] + [x, y], None, sizes)], with_cost=True)[0]
        if o.problem is not None and o.problem.cause in LOST + ("skipped",):
            raise RuntimeError(o.problem.message)
        if o.cost_problem is not None:
            raise RuntimeError(o.cost_problem)
        return o.cost


class Outcome(NamedTuple):
    """One case in the worker: the output (nested lists of arrays) or the Problem, the index of an input it
    changed (or None), and, when asked for, the cost (a float) or what went wrong with it."""

    out: object
    problem: Problem | None
    mutated: int | None
    cost: float | None
    cost_problem: str | None


LOST = ("timeout", "died", "garbage")   # causes after which the worker is gone
