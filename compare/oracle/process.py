"""Process isolation, the oracle's side: the candidate runs in a worker process (``worker.py``) that it can
crash, hang, flood or rewrite without touching the reference, the comparison, the verdict or the exit status.

    target = Isolated("my_backprop.py")          # starts the worker, imports the file there
    outcomes = target.run(sent)                   # one Outcome per case: output, problem, mutated input
    batch = target.submit(sent)                   # or: send now, do other work, then
    outcomes = target.collect(batch)              #     read the replies

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

import dataclasses
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
PIPE_BYTES = 1 << 20               # the reply pipe's buffer: a chunk's replies, mostly, without waiting


def default_memory_limit() -> int:
    """Half of this machine's physical memory, in bytes (the worker's address-space cap by default)."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2
    except (ValueError, OSError):
        return 8 << 30


def _widen(fd: int) -> None:
    """Give a pipe the largest buffer the system allows a user (``F_SETPIPE_SZ``, Linux), up to PIPE_BYTES."""
    try:
        import fcntl

        with open("/proc/sys/fs/pipe-max-size") as f:
            most = int(f.read())
        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, min(most, PIPE_BYTES))
    except (ImportError, AttributeError, OSError, ValueError):
        pass


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
        self.slots = (_Slot(), _Slot())     # shared memory for two requests out at once
        self.generation = 0                 # workers stopped so far: a request sent to an earlier one is gone
        self.outstanding: list[Batch] = []  # batches submitted and not yet collected, oldest first
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
        _widen(from_child)                  # a worker whose replies fill the pipe waits for this process to read
        root = str(Path(__file__).resolve().parents[2])
        env = dict(os.environ, PYTHONPATH=os.pathsep.join([root, os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep))
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "compare.oracle.worker", str(to_child), str(to_parent),
             *(str(slot.fd) for slot in self.slots)],
            pass_fds=(to_child, to_parent, *(slot.fd for slot in self.slots)), stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True, env=env)
        self._limit_memory()
        os.close(to_child)
        os.close(to_parent)
        self.write_fd, self.read_fd = from_parent, from_child
        self.out_fds = [self.proc.stdout.fileno(), self.proc.stderr.fileno()]
        for fd in (self.read_fd, *self.out_fds):
            os.set_blocking(fd, False)
        self.printed, self.printed_chars = bytearray(), 0
        self.pending, self.at = bytearray(), 0
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
        self.generation += 1
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
        for slot in self.slots:
            slot.close()

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
        """The next reply frame, read by ``deadline`` (else the worker is killed: a timeout of ``limit`` s).
        Frames already read wait in ``self.pending`` from offset ``self.at`` on."""
        buf, at = self.pending, self.at
        need, head, message = at + wire.HEAD.size, None, None
        out_open = list(self.out_fds)
        while True:
            try:
                while len(buf) >= need:
                    if head is None:
                        head = wire.header_length(bytes(buf[at:need]))
                        need += head
                    elif message is None:
                        message = wire.decode(bytes(buf[at + wire.HEAD.size:need]))
                        nbytes = message.get("nbytes", 0)
                        if type(nbytes) is not int or not 0 <= nbytes <= self.reply_limit:
                            raise wire.WireError(f"a reply announcing {nbytes!r} bytes")
                        need += nbytes
                    else:
                        self._drain_all(out_open)
                        with memoryview(buf) as view:
                            payload = bytes(view[at + wire.HEAD.size + head:need])
                        if need == len(buf) or need > (1 << 20):
                            del buf[:need]
                            need = 0
                        self.at = need
                        return message, payload
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

    def _request(self, batch: Batch, todo: range) -> list:
        """Start the worker if it is gone, write the inputs of cases ``todo`` of the batch into its slot and send
        one request for them; their inputs' specs in shared memory (_Lost or CandidateError when that fails)."""
        if self.proc is None:
            self._start()
        sent, slot = batch.sent, self.slots[batch.slot]
        specs = slot.write([sent[k][0] for k in todo])
        self._send({"op": "run", "slot": batch.slot, "shm": slot.size, "cost": batch.with_cost, "grads": batch.grads,
                    "form": list(batch.form), **batch.extra, "cases": [{"inputs": sp, "sizes": sent[k][2]}
                                                                       for sp, k in zip(specs, todo)]}, "during a call")
        return specs

    def submit(self, sent: list, grads: str = "pairs", form=None, with_cost: bool = False, extra=None) -> Batch:
        """Send every case of ``sent`` to the worker in one request and return at once (the worker computes
        while this process does other work); ``collect`` reads the replies. Arguments as for ``run``. Two batches
        may be out at once (the worker starts the second as soon as it finishes the first); they are collected
        in the order they were submitted. Nothing is sent while the worker's last calls were lost: ``collect``
        then calls it one case at a time. ``extra`` (an update's ``{"op": "update", ...}``, see ``update``) goes
        into the request."""
        if len(self.outstanding) >= len(self.slots):
            raise RuntimeError("submit: two batches are out already; collect one first")
        busy = {b.slot for b in self.outstanding}
        batch = Batch(sent, grads, self.form if form is None else form, with_cost,
                      next(i for i in range(len(self.slots)) if i not in busy),
                      max(64 << 20, 16 * max((sum(a.nbytes for a in case[0][:-2]) for case in sent), default=0)),
                      extra or {})
        self.outstanding.append(batch)
        if self.tally[0] == 0:
            try:
                batch.specs, batch.generation = self._request(batch, range(len(sent))), self.generation
            except (_Lost, CandidateError) as e:
                batch.error, batch.generation = e, self.generation
        return batch

    def collect(self, batch: Batch, meanwhile=None) -> list[Outcome]:
        """One ``Outcome`` per case of a ``submit``ted batch, in order, each reply within the per-call time limit
        of the one before (counted from when this process waits for it); after a lost call (timeout, death,
        garbage) the worker is restarted and the rest go one at a time. ``meanwhile`` (no arguments) runs here
        once the first request is out, while the worker computes."""
        if not self.outstanding or self.outstanding[0] is not batch:
            raise RuntimeError("collect: batches are collected in the order they were submitted")
        sent, slot = batch.sent, self.slots[batch.slot]
        self.reply_limit = batch.reply_limit
        results: list[Outcome | None] = [None] * len(sent)
        try:                                  # sent: its request reached the worker running now
            self._collect(batch, slot, batch.generation == self.generation, results, meanwhile)
        except BaseException:                 # interrupted: replies of this batch may still be in the pipe
            self._stop()
            raise
        finally:
            self.outstanding.remove(batch)
        return results

    def _collect(self, batch: Batch, slot: _Slot, sent_already: bool, results: list, meanwhile) -> None:
        sent = batch.sent
        update = batch.extra.get("op") == "update"       # an update may change its parameters, not x or y
        i = 0
        while i < len(sent):
            try:
                if sent_already:
                    todo, specs, sent_already = range(len(sent)), batch.specs, False
                    if batch.error is not None:
                        raise batch.error
                else:
                    why = None if self.why is None else f"its last {self.tally[0]} calls were lost ({self.why})"
                    problem = isolation.skipped(self.tally, why)
                    if problem is not None:
                        results[i] = Outcome(None, problem, None, None, None)
                        i += 1
                        continue
                    todo = range(i, len(sent) if self.tally[0] == 0 else i + 1)
                    specs = self._request(batch, todo)
                if meanwhile is not None:
                    meanwhile, later = None, meanwhile
                    later()
                for n, k in enumerate(todo):
                    try:
                        message, payload = self._receive(time.monotonic() + isolation.CALL_TIME_LIMIT,
                                                         isolation.CALL_TIME_LIMIT)
                        first = len(sent[k][0]) - 2 if update else 0
                        results[k] = self._outcome(message, payload, slot.mutated(specs[n], sent[k][0], first),
                                                   update)
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

    def abandon(self, batch: Batch) -> None:
        """Forget a ``submit``ted batch whose replies will not be read: the worker is stopped (the next call
        starts another), so that none of its replies is read as another call's."""
        if batch in self.outstanding:
            self.outstanding.remove(batch)
            if batch.generation == self.generation:
                self._stop()

    def update(self, sent: list, grads: str, form, how) -> list[Outcome]:
        """An update call (``update.How``: a step or an epoch) on every case of ``sent`` (as for ``run``): per case
        the ``Outcome`` whose ``out`` is what to read the new parameters from, ``mode`` in place or returned, and
        ``mutated`` the index of x (2L) or y (2L + 1) if the call changed them (the parameters it may change)."""
        extra = {"op": "update", "eta": how.eta, "k": how.k, "examples": how.examples}
        return self.collect(self.submit(sent, grads, form, False, extra))

    def run(self, sent: list, grads: str = "pairs", form=None, with_cost: bool = False,
            meanwhile=None) -> list[Outcome]:
        """Call the candidate (as ``form`` says, by default the form its name selected) with its ``cost`` when
        ``with_cost``, on every case of ``sent``, in order: one ``Outcome`` per case. A case of ``sent`` is
        (its arrays W^1, b^1, ..., W^L, b^L, x, y already in the candidate's layout, anything, the layer sizes);
        ``grads`` is the layout's arrangement of the parameters (``layouts.Layout.grads``). ``submit`` then
        ``collect``."""
        return self.collect(self.submit(sent, grads, form, with_cost), meanwhile)

    def _outcome(self, message: dict, payload: bytes, mutated: int | None, update: bool = False) -> Outcome:
        """One case's reply, checked (``mutated``: the input it changed, or None; ``update``: a reply to an
        update call, with its mode); _Lost for a malformed one."""
        try:
            arrays = wire.arrays_from(message.get("arrays"), payload, self.reply_limit)
            grad, cost = message.get("grad"), message.get("cost")
            if not isinstance(grad, dict):
                raise wire.WireError("a reply without grad")
            out, problem = self._part(grad, arrays)
            if update:
                mode = message.get("mode")
                if problem is None and mode not in ("in place", "returned"):
                    raise wire.WireError("an update reply without its mode")
                return Outcome(out, problem, mutated, None, None, False, mode)
            if cost is None:
                return Outcome(out, problem, mutated, None, None)
            value, cost_problem = self._part(cost, arrays)
            if cost_problem is None and not (isinstance(value, np.ndarray) and value.shape == ()
                                             and value.dtype == np.float64):
                raise wire.WireError("a cost that is not one float64")
            return Outcome(out, problem, mutated, None if cost_problem else float(value),
                           None if cost_problem is None else cost_problem.message,
                           cost_problem is not None and cost_problem.refused)
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
        return None, Problem(cause, part["message"][:300], part.get("refused") is True)

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


@dataclasses.dataclass(eq=False)
class Batch:
    """Cases handed to ``Isolated.submit``: what was asked, the shared-memory slot and reply size limit it uses,
    and once its request is out, the inputs' specs (or why sending failed) and the worker it went to."""

    sent: list
    grads: str
    form: Form
    with_cost: bool
    slot: int
    reply_limit: int
    extra: dict = dataclasses.field(default_factory=dict)
    specs: list | None = None
    error: Exception | None = None
    generation: int = -1


class _Slot:
    """A shared memory file the oracle writes a request's inputs into and the worker maps, with a copy of the
    bytes written (to find any the worker changes)."""

    def __init__(self):
        self.file = tempfile.TemporaryFile(dir="/dev/shm" if os.path.isdir("/dev/shm") else None)
        self.fd, self.size, self.mm, self.written = self.file.fileno(), 0, None, b""

    def write(self, cases: list[list[np.ndarray]]) -> list[list]:
        """Write the arrays of every case, each at an aligned offset; per case, its arrays' (offset, shape,
        dtype)."""
        specs, pieces, pos = [], [], 0
        for case in cases:
            specs.append([])
            for a in case:
                specs[-1].append((pos, list(a.shape), a.dtype.str))
                data = a.tobytes()
                pad = -len(data) % ALIGN
                pieces += [data, bytes(pad)] if pad else [data]
                pos += len(data) + pad
        self.written = b"".join(pieces)
        size = max(pos, ALIGN)
        if size > self.size:
            size = max(size, 2 * self.size)
            os.ftruncate(self.fd, size)
            if self.mm is not None:
                self.mm.close()
            self.mm, self.size = mmap.mmap(self.fd, size), size
        self.mm[:pos] = self.written
        return specs

    def mutated(self, specs: list, arrays: list[np.ndarray], first: int = 0) -> int | None:
        """The index of the first of a case's inputs, from ``first`` on, whose bytes differ from those written,
        or None."""
        lo, hi = specs[first][0], specs[-1][0] + arrays[-1].nbytes
        if self.mm[lo:hi] == self.written[lo:hi]:
            return None
        for i in range(first, len(specs)):
            off, n = specs[i][0], arrays[i].nbytes
            if self.mm[off:off + n] != self.written[off:off + n]:
                return i
        return None

    def close(self) -> None:
        if self.mm is not None:
            self.mm.close()
        self.file.close()


class Outcome(NamedTuple):
    """One case in the worker: the output (nested lists of arrays) or the Problem, the index of an input it
    changed (or None), and, when asked for, the cost (a float) or what went wrong with it (``cost_refused``:
    a ValueError, the range rule's refusal)."""

    out: object
    problem: Problem | None
    mutated: int | None
    cost: float | None
    cost_problem: str | None
    cost_refused: bool = False
    mode: str | None = None          # an update's: "in place" or "returned"


LOST = ("timeout", "died", "garbage")   # causes after which the worker is gone
