"""Process isolation, the oracle's side: the candidate runs in a worker process (``worker.py``) that it can
crash, hang, flood or rewrite without touching the reference, the comparison, the verdict or the exit status.

    target = Isolated("my_backprop.py")          # starts the worker, imports the file there
    outcomes = target.run(sent)                   # one Outcome per case: output, problem, mutated input
    batch = target.submit(sent)                   # or: send now, do other work, then
    outcomes = target.collect(batch)              #     read the replies
    target.protection                             # "bubblewrap", or what protects the run without it

- inputs go into a shared memory file the worker maps; after the call the oracle compares those bytes, read
  with ``os.pread`` (never through a mapping the worker could shrink: that would be a SIGBUS here), with its own
  copies, so a candidate that writes into its inputs is seen whatever it does to the worker;
- the output comes back as raw array bytes and a JSON description (``wire``), copied out and checked: never
  a pickle; every request has an id and every reply names the request and case it answers;
- every write to the worker and every wait for it has a deadline (the per-call time limit; the import time
  limit while it imports the candidate): the worker is killed and a new one started for the next call; a worker
  that dies (any exit status, any signal), closes its pipe or sends something that is not a reply fails that
  call with a Problem saying what happened. The requests queued behind a lost call die with its worker and are
  sent again, so no reply is ever read as another case's. Once ``isolation.MAX_TIMEOUTS`` of the last
  ``isolation.WINDOW`` calls were lost the candidate is no longer called but for a probe now and then
  (``isolation.skipped``);
- the worker's memory is capped (``RLIMIT_AS``, ``memory_limit`` bytes, set by the worker itself before it
  imports the candidate);
- whatever the worker writes to its file descriptors 1 and 2 is read here, counted into ``isolation.printed``
  and never shown.

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
from .forms import FUNCTION, METHOD, Form
from .isolation import Problem
from .load import CandidateError, require_candidate_file, split_spec
from .protection import (
    BUBBLEWRAP,
    NONE,
    SESSIONS,
    WORKER_ENV,
    WORKERS,
    bwrap_prefix,
    import_verdict,
    protect_oracle,
    sandbox,
    sweep_strays,
    visible_under_tmp,
)

IMPORT_TIME_LIMIT = 120.0          # seconds for the worker to start and import the candidate (--import-time-limit)
ALIGN = 64
SIGNAL_SLICE = 0.25                # longest single wait: a signal that the kernel hands to another thread (JAX runs
                                   # several) is only acted on once the main thread is back in Python
PIPE_BYTES = 1 << 20               # the pipes' buffers: a chunk's replies, mostly, without waiting


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


def _form(reply: dict) -> Form:
    """The ``Form`` in a worker's reply to loading the candidate, checked field by field; WireError otherwise."""
    form = reply.get("form")
    if not (type(form) is list and len(form) == len(Form._fields)):
        raise wire.WireError("no form")
    kind, name, cls, build, attributes = form
    if (kind not in (FUNCTION, METHOD) or type(name) is not str or not (cls is None or type(cls) is str)
            or type(build) is not str or type(attributes) is not list or len(attributes) != 2
            or not all(type(a) is str for a in attributes)):
        raise wire.WireError("a malformed form")
    return Form(kind, name, cls, build, tuple(attributes))


class _Lost(Exception):
    """The call got no reply: ``problem`` says why; the worker is gone."""

    def __init__(self, problem: Problem):
        self.problem = problem


def _per_call_timeout(limit: float) -> str:
    return f"took longer than {limit:g} s (per-call time limit)"


class _Worker:
    """One running worker process and its pipes (``Isolated`` starts one per life of the candidate's process):
    every write and every wait under a deadline, what it prints counted, its replies framed. Any way it is lost
    (a deadline passed, a closed pipe, garbage) kills it and raises _Lost; ``alive`` says whether it still runs,
    and ``on_stop`` is told once when it stops."""

    def __init__(self, command: list[str], pass_fds: tuple, env: dict, *, boxed: bool, write_fd: int, read_fd: int,
                 on_stop):
        self.boxed, self.on_stop, self.alive = boxed, on_stop, True
        self.proc = subprocess.Popen(command, pass_fds=pass_fds, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, start_new_session=True, env=env)
        WORKERS.add(self.proc.pid)
        if not boxed:
            SESSIONS.add(self.proc.pid)
        self.write_fd, self.read_fd = write_fd, read_fd
        self.out_fds = [self.proc.stdout.fileno(), self.proc.stderr.fileno()]
        self.out_open = list(self.out_fds)
        for fd in (self.write_fd, self.read_fd, *self.out_fds):
            os.set_blocking(fd, False)
        self.printed, self.printed_chars = bytearray(), 0
        self.pending, self.at, self.parsed = bytearray(), 0, None
        self.reply_limit = 1 << 30          # the largest reply payload accepted (``Isolated.collect`` sets it)

    def stop(self) -> None:
        """Kill the worker (its process group: the worker, or its bwrap), wait for it, close its pipes; then tell
        ``on_stop``. Once only."""
        if not self.alive:
            return
        self.alive = False
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self.proc.wait()
        WORKERS.discard(self.proc.pid)
        for f in (self.proc.stdout, self.proc.stderr):
            f.close()
        for fd in (self.write_fd, self.read_fd):
            try:
                os.close(fd)
            except OSError:
                pass
        self.on_stop()

    def died(self, when: str) -> Problem:
        code = self.proc.wait()
        if self.boxed and 128 < code < 128 + signal.NSIG:
            code = 128 - code                   # bwrap's status of a worker killed by a signal: 128 + its number
        if code < 0:
            return Problem("died", f"the candidate's process was killed by {_signal_name(-code)} {when}")
        return Problem("died", f"the candidate's process exited with status {code} {when}")

    def drain(self, fd: int) -> int:
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

    def drain_all(self) -> None:
        """Read everything the worker has printed so far (it printed it before replying)."""
        while any(self.drain(fd) > 0 for fd in self.out_open):
            pass

    def count_printed(self) -> None:
        p = isolation.printed
        if self.printed_chars:
            p.unit = "bytes"
            p.calls += 1
            p.chars += self.printed_chars
            if not p.sample:
                p.sample = self.printed.decode("utf-8", "replace")
        self.printed, self.printed_chars = bytearray(), 0

    def closed(self, when: str) -> None:
        """The worker's end of a pipe closed: _Lost, saying whether it died or only closed the pipe."""
        self.drain_all()
        self.stop_after(lambda: self.died(when) if self.exited() else
                         Problem("died", f"the candidate closed the oracle's pipe {when}"))

    def wait(self, deadline: float, limit: float, when: str, timeout: str | None, write: bool = False) -> None:
        """Wait for the worker until ``deadline``: for a reply (read into ``self.pending``), for what it prints
        (counted) and, when ``write``, for room in its request pipe. _Lost when the deadline passes (the worker
        is killed: a timeout of ``limit`` s, in the words ``timeout``) or its reply pipe closes."""
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            self.stop()
            raise _Lost(Problem("timeout", timeout or _per_call_timeout(limit)))
        readable, _, _ = select.select([self.read_fd, *self.out_open], [self.write_fd] if write else [], [],
                                       min(remaining, SIGNAL_SLICE))
        for fd in readable:
            if fd != self.read_fd and self.drain(fd) < 0:
                self.out_open.remove(fd)
        if self.read_fd not in readable:
            return
        try:
            b = os.read(self.read_fd, 1 << 20)
        except BlockingIOError:
            return
        except OSError:
            b = b""
        if not b:
            self.closed(when)
        self.pending += b

    def send(self, request: dict, limit: float, when: str = "during a call", timeout: str | None = None) -> None:
        """Write ``request`` to the worker within ``limit`` seconds, never blocking: a worker that stops reading
        (it may shrink its pipe first) is killed like one that does not reply. Replies and printing that arrive
        meanwhile are read, so a worker waiting for room in the reply pipe never stalls the request."""
        data = memoryview(wire.frame(request))
        deadline = time.monotonic() + limit
        timeout = timeout or f"{_per_call_timeout(limit)}: it did not read the oracle's request"
        while data:
            try:
                data = data[os.write(self.write_fd, data):]
                continue
            except BlockingIOError:
                pass
            except OSError:
                self.closed(when)
            self.wait(deadline, limit, when, timeout, write=True)

    def frame(self) -> tuple[dict, int] | None:
        """The reply frame at ``self.at`` in ``self.pending``: (its message, where it ends), or None while it is
        incomplete. WireError when it is not a well-formed reply."""
        if self.parsed is not None and self.parsed[0] == self.at:
            return self.parsed[1:]
        buf, at = self.pending, self.at
        if len(buf) < at + wire.HEAD.size:
            return None
        n = wire.header_length(bytes(buf[at:at + wire.HEAD.size]))
        if len(buf) < at + wire.HEAD.size + n:
            return None
        message = wire.decode(bytes(buf[at + wire.HEAD.size:at + wire.HEAD.size + n]))
        nbytes = message.get("nbytes", 0)
        if type(nbytes) is not int or not 0 <= nbytes <= self.reply_limit:
            raise wire.WireError(f"a reply announcing {str(nbytes)[:40]} bytes")
        self.parsed = (at, message, at + wire.HEAD.size + n + nbytes)
        return self.parsed[1:]

    def receive(self, limit: float, expect: tuple[int, int], when: str = "during a call",
                 timeout: str | None = None) -> tuple[dict, bytes]:
        """The reply to case ``expect[1]`` of request ``expect[0]``, read within ``limit`` seconds (else the worker
        is killed: a timeout): (message, raw bytes), or _Lost. A reply that names another request or case is
        garbage: requests are only ever sent so that their replies come in order."""
        deadline = time.monotonic() + limit
        try:
            while True:
                frame = self.frame()
                if frame is not None and len(self.pending) >= frame[1]:
                    break
                self.wait(deadline, limit, when, timeout)
            message, end = frame
            if wire.reply_id(message) != expect:
                raise wire.WireError(f"a reply to {wire.reply_id(message)} where {expect} was due")
        except wire.WireError as e:
            self.stop()
            raise _Lost(Problem("garbage", f"the candidate's process sent something that is not a reply {when} "
                                           f"({e})")) from None
        self.drain_all()
        with memoryview(self.pending) as view:
            payload = bytes(view[end - message.get("nbytes", 0):end])
        if end == len(self.pending) or end > (1 << 20):
            del self.pending[:end]
            end = 0
        self.at, self.parsed = end, None
        return message, payload

    def exited(self) -> bool:
        """Whether the worker ends within a second (it closed its end of the pipe: usually it is exiting)."""
        try:
            self.proc.wait(timeout=1.0)
            return True
        except subprocess.TimeoutExpired:
            return False

    def stop_after(self, problem_of) -> None:
        problem = problem_of()
        self.stop()
        raise _Lost(problem)


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
        self.worker: _Worker | None = None   # the worker running now (or the last one, stopped)
        self.tally = isolation.Lost()       # the lost calls (isolation.skipped)
        self.why = None                     # what happened to the last lost call, unless it timed out
        self.slots = (_Slot(), _Slot())     # shared memory for two requests out at once
        self.generation = 0                 # workers stopped so far: a request sent to an earlier one is gone
        self.requests = 0                   # request ids handed out so far
        self.outstanding: list[Batch] = []  # batches submitted and not yet collected, oldest first
        self.box = sandbox()
        import_verdict()
        words = protect_oracle(self.box)
        self.protection = BUBBLEWRAP if self.box.kind == BUBBLEWRAP else f"none ({self.box.reason}): {', '.join(words)}"
        self.has_cost = self._start()

    # ---- the worker's life ----------------------------------------------------------------------------

    def _command(self, to_child: int, to_parent: int) -> list[str]:
        """The worker's command line: under bubblewrap where it runs (the worker's parent is then bwrap's, so it
        is told 0: bwrap kills it with this process)."""
        boxed = self.box.kind == BUBBLEWRAP
        worker = [sys.executable, "-m", "compare.oracle.sandbox.worker", str(to_child), str(to_parent),
                  *(str(slot.fd) for slot in self.slots), str(0 if boxed else os.getpid()), str(self.memory_limit)]
        if not boxed:
            return worker
        root = str(Path(__file__).resolve().parents[2])
        needed = [os.path.dirname(self.path), root, sys.prefix, sys.base_prefix,
                  os.path.dirname(os.path.realpath(sys.executable)), os.getcwd(),
                  *os.environ.get("PYTHONPATH", "").split(os.pathsep)]
        return [*bwrap_prefix(self.box.bwrap, visible_under_tmp(needed)), *worker]

    def _env(self) -> dict[str, str]:
        root = str(Path(__file__).resolve().parents[2])
        path = os.pathsep.join([root, os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)
        return dict(os.environ, PYTHONPATH=path, **{WORKER_ENV: str(os.getpid())})

    def _start(self) -> bool:
        """Start a worker and import the candidate there; return whether it defines ``cost``."""
        to_child, from_parent = os.pipe()
        from_child, to_parent = os.pipe()
        for fd in (from_child, from_parent):   # a worker whose replies fill the pipe waits for this process to read
            _widen(fd)
        worker = self.worker = _Worker(self._command(to_child, to_parent),
                                       (to_child, to_parent, *(slot.fd for slot in self.slots)), self._env(),
                                       boxed=self.box.kind == BUBBLEWRAP, write_fd=from_parent, read_fd=from_child,
                                       on_stop=self._stopped)
        worker.reply_limit = self.reply_limit
        os.close(to_child)
        os.close(to_parent)
        try:
            form, has_cost = self._load()
        except BaseException:                  # refused, or interrupted while it imports: no worker left behind
            self._stop()
            raise
        finally:
            worker.count_printed()
        self.form = form
        return has_cost

    def _load(self) -> tuple[Form, bool]:
        """Ask the worker to import the candidate, within the import time limit: its Form and whether it has a
        cost; CandidateError when the worker refuses it, dies, takes too long or replies something malformed."""
        limit, req = self.import_time_limit, self._next_id()
        timeout = f"took longer than {limit:g} s to import (import time limit, --import-time-limit)"
        try:
            self.worker.send({"op": "load", "req": req, "spec": self.spec}, limit, "while importing it", timeout)
            reply, _ = self.worker.receive(limit, (req, 0), "while importing it", timeout)
        except _Lost as e:
            raise CandidateError(f"{self.path}: {e.problem.message}") from None
        if reply.get("ok") is False:
            raise CandidateError(str(reply.get("message", "the candidate could not be loaded"))[:1000])
        try:
            if reply.get("ok") is not True:
                raise wire.WireError("no ok")
            return _form(reply), bool(reply.get("cost"))
        except wire.WireError:
            raise CandidateError(f"{self.path}: the worker's reply to loading it is malformed") from None

    def _next_id(self) -> int:
        self.requests += 1
        return self.requests

    def _running(self) -> bool:
        return self.worker is not None and self.worker.alive

    def _stop(self) -> None:
        """Stop the worker, if one runs (``_stopped`` follows)."""
        if self.worker is not None:
            self.worker.stop()

    def _stopped(self) -> None:
        """A worker stopped, by this object or by itself (lost): requests sent to it are gone; without
        bubblewrap, whatever it left behind is killed."""
        self.generation += 1
        self._sweep()

    def _sweep(self) -> None:
        if self.box.kind == NONE:
            sweep_strays()

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

    reply_limit = 1 << 30

    # ---- calls ----------------------------------------------------------------------------------------

    def _request(self, batch: Batch, todo: range) -> list:
        """Start the worker if it is gone, write the inputs of cases ``todo`` of the batch into its slot and send
        one request for them (a new id: its replies name it); their inputs' specs in shared memory (_Lost or
        CandidateError when that fails)."""
        if not self._running():
            self._start()
        sent, slot = batch.sent, self.slots[batch.slot]
        specs = slot.write([sent[k][0] for k in todo])
        batch.req, batch.generation = self._next_id(), self.generation
        self.worker.send({"op": "run", "req": batch.req, "slot": batch.slot, "shm": slot.size, "cost": batch.with_cost,
                    "grads": batch.grads, "form": list(batch.form), **batch.extra,
                    "cases": [{"inputs": sp, "sizes": sent[k][2]} for sp, k in zip(specs, todo)]},
                   isolation.CALL_TIME_LIMIT)
        return specs

    def _in_order(self, batch: Batch) -> bool:
        """Whether ``batch`` may be sent now: a worker is running, its last call was not lost, and every batch
        submitted before it went to this very worker (a batch whose worker died is sent again when collected,
        and must not find this one's replies in front of its own)."""
        return (self._running() and self.tally.streak == 0 and not self.tally.stopped
                and all(b.generation == self.generation for b in self.outstanding if b is not batch))

    def submit(self, sent: list, grads: str = "pairs", form=None, with_cost: bool = False, extra=None) -> Batch:
        """Send every case of ``sent`` to the worker in one request and return at once (the worker computes
        while this process does other work); ``collect`` reads the replies. Arguments as for ``run``. Two batches
        may be out at once (the worker starts the second as soon as it finishes the first); they are collected
        in the order they were submitted. Nothing is sent while the worker's last calls were lost, or while an
        earlier batch waits to be sent again: ``collect`` then sends it. ``extra`` (an update's
        ``{"op": "update", ...}``, see ``update``) goes into the request."""
        if len(self.outstanding) >= len(self.slots):
            raise RuntimeError("submit: two batches are out already; collect one first")
        busy = {b.slot for b in self.outstanding}
        batch = Batch(sent, grads, self.form if form is None else form, with_cost,
                      next(i for i in range(len(self.slots)) if i not in busy),
                      max(64 << 20, 16 * max((sum(a.nbytes for a in case[0][:-2]) for case in sent), default=0)),
                      extra or {})
        self.outstanding.append(batch)
        if self._in_order(batch):
            try:
                batch.specs = self._request(batch, range(len(sent)))
            except _Lost:                     # the worker is gone; collect sends this batch again
                batch.specs = None
        return batch

    def collect(self, batch: Batch, meanwhile=None) -> list[Outcome]:
        """One ``Outcome`` per case of a ``submit``ted batch, in order, each reply within the per-call time limit
        of the one before (counted from when this process waits for it); after a lost call (timeout, death,
        garbage) the worker is restarted and the rest go one at a time. ``meanwhile`` (no arguments) runs here
        once the first request is out, while the worker computes."""
        if not self.outstanding or self.outstanding[0] is not batch:
            raise RuntimeError("collect: batches are collected in the order they were submitted")
        self.reply_limit = batch.reply_limit
        if self.worker is not None:
            self.worker.reply_limit = batch.reply_limit
        results: list[Outcome | None] = [None] * len(batch.sent)
        try:
            self._collect(batch, self.slots[batch.slot], results, meanwhile)
        except BaseException:                 # interrupted: replies of this batch may still be in the pipe
            self._stop()
            raise
        finally:
            self.outstanding.remove(batch)
            self._sweep()
        return results

    def _skipped(self) -> Problem | None:
        """The ``isolation.skipped`` policy's Problem for the next call, or None to call it."""
        why = None if self.why is None else f"{self.tally.lost()} were lost ({self.why})"
        return isolation.skipped(self.tally, why)

    def _collect(self, batch: Batch, slot: _Slot, results: list, meanwhile) -> None:
        sent = batch.sent
        update = batch.extra.get("op") == "update"       # an update may change its parameters, not x or y
        live = batch.specs is not None and batch.generation == self.generation   # its request reached this worker
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
                    specs = self._request(batch, todo)
                if meanwhile is not None:
                    meanwhile, later = None, meanwhile
                    later()
                for n, k in enumerate(todo):
                    try:
                        message, payload = self.worker.receive(isolation.CALL_TIME_LIMIT, (batch.req, n))
                        first = len(sent[k][0]) - 2 if update else 0
                        results[k] = self._outcome(message, payload, slot.mutated(specs[n], sent[k][0], first),
                                                   update)
                    finally:
                        self.worker.count_printed()
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

    def _outcome(self, message: dict, payload: bytes, mutated: int | None, update: bool = False) -> Outcome:
        """One case's reply, checked field by field (``mutated``: the input it changed, or None; ``update``: a
        reply to an update call, with its mode); _Lost for a malformed one."""
        try:
            arrays = wire.arrays_from(message.get("arrays"), payload, self.reply_limit)
            grad, cost = message.get("grad"), message.get("cost")
            if not isinstance(grad, dict) or not (cost is None or isinstance(cost, dict)):
                raise wire.WireError("a reply without its grad and cost parts")
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
        """(value, None) or (None, Problem) from the grad or cost part of a reply; WireError when malformed (a
        KeyboardInterrupt in the worker is the candidate's own: the worker reports it as raised)."""
        if part.get("ok") is True:
            return wire.rebuild(part.get("out"), arrays), None
        cause = part.get("cause")
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
