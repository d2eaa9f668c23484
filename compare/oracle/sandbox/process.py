"""Process isolation, the oracle's side: the candidate runs in a worker process (``worker.py``) that it can
crash, hang, flood or rewrite without touching the reference, the comparison, the verdict or the exit status.

    target = Isolated("my_backprop.py")          # starts the worker, imports the file there
    outcomes = target.run(sent)                   # one Outcome per case: output, problem, mutated input
    batch = target.submit(sent)                   # or: send now, do other work, then
    outcomes = target.collect(batch)              #     read the replies
    target.protection                             # "bubblewrap", or what protects the run without it

``Isolated``, the facade, composes ``_Life`` (start a worker and import the candidate there, stop it, send it
requests), ``_Batches`` (at most two batches of cases out at once, in order), ``_Calls`` (a batch's replies, what
a lost call left behind sent again, the probes once too many were lost) and ``_Slot`` (the inputs in shared
memory); the worker's process and its pipes with their deadlines are ``channel.py``'s.

- inputs go into a shared memory file the worker maps; after the call the oracle compares those bytes, read
  with ``os.pread`` (never through a mapping the worker could shrink: that would be a SIGBUS here), with its own
  copies, so a candidate that writes into its inputs is seen whatever it does to the worker;
- the output comes back as raw array bytes and a JSON description (``wire``), copied out and checked: never
  a pickle; every request has an id and every reply names the request and case it answers (``channel``);
- every write to the worker and every wait for it has a deadline (``channel``: the per-call time limit; the
  import time limit while it imports the candidate): the worker is killed and a new one started for the next
  call; a worker that dies, closes its pipe or sends something that is not a reply fails that call with a
  Problem saying what happened. The requests queued behind a lost call die with its worker and are
  sent again, so no reply is ever read as another case's. Once ``isolation.MAX_TIMEOUTS`` of the last
  ``isolation.WINDOW`` calls were lost the candidate is no longer called but for a probe now and then
  (``isolation.skipped``);
- the worker's memory is capped (``RLIMIT_AS``, ``memory_limit`` bytes, set by the worker itself before it
  imports the candidate);
- whatever the worker writes to its file descriptors 1 and 2 is read, counted into ``isolation.printed`` and
  never shown (``channel``).

The worker dies with the oracle, whatever ends the oracle. Where bubblewrap runs (``sandbox()``, once per
process) the worker runs under ``bwrap``: the whole file system read-only (the checkout and the venv
included), its own /dev, /proc and /tmp, no network, its own PID namespace (it cannot see, signal or ptrace
the oracle), no capabilities, a session of its own, killed with the oracle (``--die-with-parent``). Otherwise
(or with ``BACKPROP_ORACLE_SANDBOX=none``) the worker asks for SIGKILL at the oracle's death
(``PR_SET_PDEATHSIG``), the oracle is not dumpable (``PR_SET_DUMPABLE`` 0: no process of the same user but root
may ptrace it or open its /proc/PID/mem) and is a subreaper (``PR_SET_CHILD_SUBREAPER``): what a worker leaves
behind becomes the oracle's child and is killed when a batch is collected and when the worker stops
(``sweep_strays``). In both cases SIGTERM and SIGHUP to the oracle kill the workers before it dies of the
signal. Everything the verdict needs is imported before the first worker starts (``import_verdict``), so a
worker that could write to the checkout still could not change this run's verdict.

Limits without bubblewrap: the worker runs as the same user, so a candidate can still signal or ptrace the
oracle where the system allows it (as root, always); such an oracle ends with a non-zero status (killed, or
130), never 0. A descendant that leaves the worker's session and clears its environment escapes the sweep.
Both the parent-death signal and bubblewrap's ``--die-with-parent`` fire when the *thread* that started the worker
ends: start and use an ``Isolated`` from one thread that outlives it (the command line uses the main thread).
"""

from __future__ import annotations

import dataclasses
import os
import tempfile
from pathlib import Path
from typing import NamedTuple

import numpy as np

from . import channel, isolation, wire
from .channel import Channel, Lost
from .forms import FUNCTION, METHOD, Form
from .isolation import Problem
from .load import CandidateError, require_candidate_file, split_spec
from .protection import BUBBLEWRAP, NONE, import_verdict, protect_oracle, sandbox, sweep_strays

IMPORT_TIME_LIMIT = 120.0          # seconds for the worker to start and import the candidate (--import-time-limit)
ALIGN = 64


def default_memory_limit() -> int:
    """Half of this machine's physical memory, in bytes (the worker's address-space cap by default)."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2
    except (ValueError, OSError):
        return 8 << 30


def _form(reply: dict) -> Form:
    """The ``Form`` in a worker's reply to loading the candidate, checked field by field; WireError otherwise."""
    form = reply.get("form")
    if not (type(form) is list and len(form) == len(Form._fields)):
        raise wire.WireError("no form")
    kind, name, cls, build, attributes, call = form
    if (kind not in (FUNCTION, METHOD) or type(name) is not str or not (cls is None or type(cls) is str)
            or type(build) is not str or type(attributes) is not list or len(attributes) != 2
            or not all(type(a) is str for a in attributes) or not (call is None or type(call) is str)):
        raise wire.WireError("a malformed form")
    return Form(kind, name, cls, build, tuple(attributes), call)


# Under bubblewrap the worker has a fresh /tmp: of the real one it sees only these folders (``channel._command``).
_UNSEEN = (" (the worker's sandbox shows of /tmp only the candidate's folder and those below it, the current "
           "directory and PYTHONPATH's folders: put the code it imports or reads beside it, or run with that folder "
           "as the current directory or on PYTHONPATH)")


class _Life:
    """The worker's life: start one and import the candidate there, stop it (``generation`` counts the workers
    stopped: a request sent to an earlier one is gone), send it requests, each with an id of its own."""

    def __init__(self, path: str, spec: str, memory_limit: int, import_time_limit: float, box, slots: tuple):
        self.path, self.spec, self.box, self.slots = path, spec, box, slots
        self.memory_limit, self.import_time_limit = memory_limit, import_time_limit
        self.worker: Channel | None = None  # the worker running now (or the last one, stopped)
        self.generation = 0                 # workers stopped so far: a request sent to an earlier one is gone
        self.requests = 0                   # request ids handed out so far
        self.reply_limit = 1 << 30          # the largest reply payload accepted (``_Batches.collect`` sets it)
        self.form: Form | None = None       # how the candidate's name is called, as its worker said

    def start(self) -> bool:
        """Start a worker and import the candidate there; return whether it defines ``cost``."""
        worker = self.worker = channel.start(self.box, self.path, tuple(slot.fd for slot in self.slots),
                                             self.memory_limit, self._stopped)
        worker.replies.limit = self.reply_limit
        try:
            form, has_cost = self._load()
        except BaseException:                  # refused, or interrupted while it imports: no worker left behind
            self.stop()
            raise
        finally:
            worker.count_printed()
        self.form = form
        return has_cost

    def _load(self) -> tuple[Form, bool]:
        """Ask the worker to import the candidate, within the import time limit: its Form and whether it has a
        cost; CandidateError when the worker refuses it, dies, takes too long or replies something malformed."""
        limit, req = self.import_time_limit, self.next_id()
        timeout = f"took longer than {limit:g} s to import (import time limit, --import-time-limit)"
        try:
            self.worker.send({"op": "load", "req": req, "spec": self.spec}, limit, "while importing it", timeout)
            reply, _ = self.worker.receive(limit, (req, 0), "while importing it", timeout)
        except Lost as e:
            raise CandidateError(f"{self.path}: {e.problem.message}") from None
        if reply.get("ok") is False:
            hidden = self.box.kind == BUBBLEWRAP and Path("/tmp").resolve() in Path(self.path).parents
            hint = _UNSEEN if reply.get("missing") and hidden else ""
            raise CandidateError(str(reply.get("message", "the candidate could not be loaded"))[:1000] + hint)
        try:
            if reply.get("ok") is not True:
                raise wire.WireError("no ok")
            return _form(reply), bool(reply.get("cost"))
        except wire.WireError:
            raise CandidateError(f"{self.path}: the worker's reply to loading it is malformed") from None

    def next_id(self) -> int:
        """A new request id."""
        self.requests += 1
        return self.requests

    def running(self) -> bool:
        """Whether a worker runs now."""
        return self.worker is not None and self.worker.alive

    def stop(self) -> None:
        """Stop the worker, if one runs (``_stopped`` follows)."""
        if self.worker is not None:
            self.worker.stop()

    def _stopped(self) -> None:
        """A worker stopped, by this object or by itself (lost): requests sent to it are gone; without
        bubblewrap, whatever it left behind is killed."""
        self.generation += 1
        self.sweep()

    def sweep(self) -> None:
        """Without bubblewrap, kill whatever a worker left behind (``sweep_strays``)."""
        if self.box.kind == NONE:
            sweep_strays()

    def request(self, batch: Batch, todo: range) -> list:
        """Start the worker if it is gone, write the inputs of cases ``todo`` of the batch into its slot and send
        one request for them (a new id: its replies name it); their inputs' specs in shared memory (Lost or
        CandidateError when that fails)."""
        if not self.running():
            self.start()
        sent, slot = batch.sent, self.slots[batch.slot]
        specs = slot.write([sent[k][0] for k in todo])
        batch.req, batch.generation = self.next_id(), self.generation
        self.worker.send({"op": "run", "req": batch.req, "slot": batch.slot, "shm": slot.size, "cost": batch.with_cost,
                          "grads": batch.grads, "form": list(batch.form), **batch.extra,
                          "cases": [{"inputs": sp, "sizes": sent[k][2]} for sp, k in zip(specs, todo)]},
                         isolation.CALL_TIME_LIMIT)
        return specs


class _Calls:
    """The candidate's calls over the worker's life (``_Life``), a batch at a time: the replies read in order;
    after a lost call (timeout, death, garbage) the worker restarted and the rest sent again, one at a time while
    calls keep being lost; once too many were lost, a probe now and then instead of a call (``isolation.skipped``)."""

    def __init__(self, life: _Life):
        self.life = life
        self.tally = isolation.Lost()       # the lost calls (isolation.skipped)
        self.why = None                     # what happened to the last lost call, unless it timed out

    def clear(self) -> bool:
        """Whether the last call was not lost and the candidate is still called: a batch may go out at once."""
        return self.tally.streak == 0 and not self.tally.stopped

    def _skipped(self) -> Problem | None:
        """The ``isolation.skipped`` policy's Problem for the next call, or None to call it."""
        why = None if self.why is None else f"{self.tally.lost()} were lost ({self.why})"
        return isolation.skipped(self.tally, why)

    def collect(self, batch: Batch, slot: _Slot, results: list, meanwhile) -> None:
        """Fill ``results`` with an ``Outcome`` per case of ``batch`` (inputs in ``slot``), sending again what did
        not reach the worker running now; ``meanwhile`` runs once the first request is out."""
        sent = batch.sent
        update = batch.extra.get("op") == "update"       # an update may change its parameters, not x or y
        live = batch.specs is not None and batch.generation == self.life.generation   # its request reached this worker
        i = 0
        while i < len(sent):
            try:
                if live:
                    todo, specs, live = range(len(sent)), batch.specs, False
                else:
                    problem = self._skipped()
                    if problem is not None:
                        results[i] = Outcome(None, problem, None, None, None)
                        i += 1
                        continue
                    todo = range(i, len(sent) if self.tally.streak == 0 else i + 1)
                    specs = self.life.request(batch, todo)
                if meanwhile is not None:
                    meanwhile, later = None, meanwhile
                    later()
                for n, k in enumerate(todo):
                    try:
                        message, payload = self.life.worker.receive(isolation.CALL_TIME_LIMIT, (batch.req, n))
                        first = len(sent[k][0]) - 2 if update else 0
                        results[k] = self._outcome(message, payload, slot.mutated(specs[n], sent[k][0], first),
                                                   update)
                    finally:
                        self.life.worker.count_printed()
                    isolation.count(self.tally, None)
                    i = k + 1
            except Lost as e:
                results[i] = Outcome(None, e.problem, None, None, None)
            except CandidateError as e:           # a restarted worker could not import the file again
                results[i] = Outcome(None, Problem("died", f"the candidate's process could not be restarted: {e}"),
                                     None, None, None)
            else:
                continue
            isolation.count(self.tally, results[i].problem, LOST)
            self.why = None if results[i].problem.cause == "timeout" else results[i].problem.message
            self.life.stop()
            i += 1
        if meanwhile is not None:
            meanwhile()

    def _outcome(self, message: dict, payload: bytes, mutated: int | None, update: bool) -> Outcome:
        """One case's reply as an Outcome (``_decode``); Lost for a malformed one (the worker is stopped)."""
        try:
            return _decode(message, payload, mutated, update, self.life.reply_limit)
        except wire.WireError as e:
            self.life.stop()
            raise Lost(Problem("garbage", f"the candidate's process sent a malformed reply ({e})")) from None


class _Batches:
    """The batches of cases out to the worker, at most one per shared memory slot: each sent at once unless the
    worker it would follow is gone, and collected in the order they were submitted (``_Calls``)."""

    def __init__(self, life: _Life):
        self.life, self.slots, self.calls = life, life.slots, _Calls(life)
        self.outstanding: list[Batch] = []  # batches submitted and not yet collected, oldest first

    def _in_order(self, batch: Batch) -> bool:
        """Whether ``batch`` may be sent now: a worker is running, its last call was not lost, and every batch
        submitted before it went to this very worker (a batch whose worker died is sent again when collected,
        and must not find this one's replies in front of its own)."""
        return (self.life.running() and self.calls.clear()
                and all(b.generation == self.life.generation for b in self.outstanding if b is not batch))

    def submit(self, sent: list, grads: str, form: Form, with_cost: bool, extra) -> Batch:
        """``Isolated.submit``: a new batch, sent now if it may be (``_in_order``)."""
        if len(self.outstanding) >= len(self.slots):
            raise RuntimeError("submit: two batches are out already; collect one first")
        busy = {b.slot for b in self.outstanding}
        batch = Batch(sent, grads, form, with_cost, next(i for i in range(len(self.slots)) if i not in busy),
                      max(64 << 20, 16 * max((sum(a.nbytes for a in case[0][:-2]) for case in sent), default=0)),
                      extra or {})
        self.outstanding.append(batch)
        if self._in_order(batch):
            try:
                batch.specs = self.life.request(batch, range(len(sent)))
            except Lost:                     # the worker is gone; collect sends this batch again
                batch.specs = None
        return batch

    def collect(self, batch: Batch, meanwhile=None) -> list[Outcome]:
        """``Isolated.collect``: the batch's ``Outcome``s; the worker is stopped if this is interrupted."""
        if not self.outstanding or self.outstanding[0] is not batch:
            raise RuntimeError("collect: batches are collected in the order they were submitted")
        self.life.reply_limit = batch.reply_limit
        if self.life.worker is not None:
            self.life.worker.replies.limit = batch.reply_limit
        results: list[Outcome | None] = [None] * len(batch.sent)
        try:
            self.calls.collect(batch, self.slots[batch.slot], results, meanwhile)
        except BaseException:                 # interrupted: replies of this batch may still be in the pipe
            self.life.stop()
            raise
        finally:
            self.outstanding.remove(batch)
            self.life.sweep()
        return results

    def abandon(self, batch: Batch) -> None:
        """``Isolated.abandon``: forget the batch; stop its worker if its request went there."""
        if batch in self.outstanding:
            self.outstanding.remove(batch)
            if batch.generation == self.life.generation:
                self.life.stop()


class Isolated:
    """A candidate (``FILE.py[:NAME]``, as ``load.load_target`` reads it) run in a worker process; ``run``
    and ``cost`` call it there. ``has_cost`` says whether it has a ``cost``; ``form`` is how its name
    is called; ``protection`` what protects the run ("bubblewrap", or "none (why): ..."). Importing it happens in
    the worker, within ``import_time_limit`` seconds (default ``IMPORT_TIME_LIMIT``): a candidate that cannot be
    used raises CandidateError; so does a path that is not a regular file, before anything opens it."""

    def __init__(self, spec: str, *, memory_limit: int | None = None, import_time_limit: float | None = None):
        path, name = split_spec(spec)
        require_candidate_file(path)
        self.path = str(Path(path).resolve())
        self.spec = self.path if name is None else f"{self.path}:{name}"
        self.memory_limit = default_memory_limit() if memory_limit is None else memory_limit
        self.import_time_limit = IMPORT_TIME_LIMIT if import_time_limit is None else import_time_limit
        self.slots = (_Slot(), _Slot())     # shared memory for two requests out at once
        self.box = sandbox()
        self.life = _Life(self.path, self.spec, self.memory_limit, self.import_time_limit, self.box, self.slots)
        self.batches = _Batches(self.life)
        import_verdict()
        words = protect_oracle(self.box)
        self.protection = BUBBLEWRAP if self.box.kind == BUBBLEWRAP else f"none ({self.box.reason}): {', '.join(words)}"
        self.has_cost = self.life.start()

    @property
    def form(self) -> Form:
        """How the candidate's name is called (``forms.Form``), as its worker said on importing it."""
        return self.life.form

    def submit(self, sent: list, grads: str = "pairs", form=None, with_cost: bool = False, extra=None) -> Batch:
        """Send every case of ``sent`` to the worker in one request and return at once (the worker computes
        while this process does other work); ``collect`` reads the replies. Arguments as for ``run``. Two batches
        may be out at once (the worker starts the second as soon as it finishes the first); they are collected
        in the order they were submitted. Nothing is sent while the worker's last calls were lost, or while an
        earlier batch waits to be sent again: ``collect`` then sends it. ``extra`` (an update's
        ``{"op": "update", ...}``, see ``update``) goes into the request."""
        return self.batches.submit(sent, grads, self.form if form is None else form, with_cost, extra)

    def collect(self, batch: Batch, meanwhile=None) -> list[Outcome]:
        """One ``Outcome`` per case of a ``submit``ted batch, in order, each reply within the per-call time limit
        of the one before (counted from when this process waits for it); after a lost call (timeout, death,
        garbage) the worker is restarted and the rest go one at a time. ``meanwhile`` (no arguments) runs here
        once the first request is out, while the worker computes."""
        return self.batches.collect(batch, meanwhile)

    def abandon(self, batch: Batch) -> None:
        """Forget a ``submit``ted batch whose replies will not be read: the worker is stopped (the next call
        starts another), so that none of its replies is read as another call's."""
        self.batches.abandon(batch)

    def update(self, sent: list, grads: str, form, how) -> list[Outcome]:
        """An update call (``forms.How``: a step or an epoch) on every case of ``sent`` (as for ``run``): per case
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

    def close(self) -> None:
        """Stop the worker and free the shared memory."""
        self.life.stop()
        for slot in self.slots:
            slot.close()

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass


def _decode(message: dict, payload: bytes, mutated: int | None, update: bool, reply_limit: int) -> Outcome:
    """One case's reply, checked field by field (``mutated``: the input it changed, or None; ``update``: a
    reply to an update call, with its mode); WireError for a malformed one."""
    arrays = wire.arrays_from(message.get("arrays"), payload, reply_limit)
    grad, cost = message.get("grad"), message.get("cost")
    if not isinstance(grad, dict) or not (cost is None or isinstance(cost, dict)):
        raise wire.WireError("a reply without its grad and cost parts")
    out, problem = _part(grad, arrays)
    if update:
        mode = message.get("mode")
        if problem is None and mode not in ("in place", "returned"):
            raise wire.WireError("an update reply without its mode")
        return Outcome(out, problem, mutated, None, None, False, mode)
    if cost is None:
        return Outcome(out, problem, mutated, None, None)
    value, cost_problem = _part(cost, arrays)
    if cost_problem is None and not (isinstance(value, np.ndarray) and value.shape == ()
                                     and value.dtype == np.float64):
        raise wire.WireError("a cost that is not one float64")
    return Outcome(out, problem, mutated, None if cost_problem else float(value),
                   None if cost_problem is None else cost_problem.message,
                   cost_problem is not None and cost_problem.refused)


def _part(part: dict, arrays: list[np.ndarray]):
    """(value, None) or (None, Problem) from the grad or cost part of a reply; WireError when malformed (a
    KeyboardInterrupt in the worker is the candidate's own: the worker reports it as raised)."""
    if part.get("ok") is True:
        return wire.rebuild(part.get("out"), arrays), None
    cause = part.get("cause")
    if cause not in ("raised", "exit", "state", "unreadable") or not isinstance(part.get("message"), str):
        raise wire.WireError("a malformed failure report")
    where = part.get("where")
    return None, Problem(cause, part["message"][:300], part.get("refused") is True, False,
                         part.get("overflow") is True, where[:300] if isinstance(where, str) else "")

@dataclasses.dataclass(eq=False)
class Batch:
    """Cases handed to ``Isolated.submit``: what was asked, the shared-memory slot and reply size limit it uses,
    and once its request is out, the inputs' specs, the request's id and the worker it went to."""

    sent: list
    grads: str
    form: Form
    with_cost: bool
    slot: int
    reply_limit: int
    extra: dict = dataclasses.field(default_factory=dict)
    specs: list | None = None
    req: int = -1
    generation: int = -1


def _pread(fd: int, n: int, offset: int) -> bytes:
    """Up to ``n`` bytes of the file at ``offset`` (fewer where it ends: a worker may have shrunk it)."""
    chunks = []
    while n > 0:
        b = os.pread(fd, min(n, 1 << 30), offset)
        if not b:
            break
        chunks.append(b)
        n -= len(b)
        offset += len(b)
    return b"".join(chunks)


class _Slot:
    """A shared memory file the oracle writes a request's inputs into and the worker maps, with a copy of the
    bytes written (to find any the worker changes). This process only uses ``pwrite`` and ``pread`` on it, never
    a mapping: the worker can shrink the file, and reading a mapping past the end is a SIGBUS."""

    def __init__(self):
        self.file = tempfile.TemporaryFile(dir="/dev/shm" if os.path.isdir("/dev/shm") else None)
        self.fd, self.size, self.written = self.file.fileno(), 0, b""

    def write(self, cases: list[list[np.ndarray]]) -> list[list]:
        """Write the arrays of every case, each at an aligned offset; per case, its arrays' (offset, shape,
        dtype). The file is given its size again first (the worker may have changed it)."""
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
            self.size = max(size, 2 * self.size)
        if os.fstat(self.fd).st_size != self.size:
            os.ftruncate(self.fd, self.size)
        view, at = memoryview(self.written), 0
        while at < len(view):
            at += os.pwrite(self.fd, view[at:], at)
        return specs

    def mutated(self, specs: list, arrays: list[np.ndarray], first: int = 0) -> int | None:
        """The index of the first of a case's inputs, from ``first`` on, whose bytes differ from those written,
        or None."""
        lo, hi = specs[first][0], specs[-1][0] + arrays[-1].nbytes
        now = _pread(self.fd, hi - lo, lo)
        if now == self.written[lo:hi]:
            return None
        for i in range(first, len(specs)):
            off, n = specs[i][0], arrays[i].nbytes
            if now[off - lo:off - lo + n] != self.written[off:off + n]:
                return i
        return None

    def close(self) -> None:
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
