"""The worker's process and its pipes, the oracle's side (``process.py`` speaks its protocol over them): start a
worker (``start``: under ``bwrap`` where ``protection.sandbox()`` found it), send it a frame, receive one, read
what it prints, stop it.

- every write to the worker and every wait for it has a deadline (the per-call time limit; the import time
  limit while it imports the candidate): past it the worker is killed, and a worker that dies (any exit status,
  any signal), closes its pipe or sends something that is not a reply is lost too; each way raises ``Lost``,
  whose Problem says what happened;
- the output comes back as raw array bytes and a JSON description (``wire``), copied out: never a pickle;
  every reply names the request and case it answers, and one that names another is garbage;
- whatever the worker writes to its file descriptors 1 and 2 is read here, counted into ``isolation.printed``
  and never shown.
"""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

from . import interrupts, isolation, wire
from .isolation import Problem
from .protection import BUBBLEWRAP, SESSIONS, WORKER_ENV, WORKERS, bwrap_prefix, visible_under_tmp

SIGNAL_SLICE = 0.25                # longest single wait: a signal that the kernel hands to another thread (JAX runs
                                   # several) is only acted on once the main thread is back in Python
PIPE_BYTES = 1 << 20               # the pipes' buffers: a chunk's replies, mostly, without waiting


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


class Lost(Exception):
    """The call got no reply: ``problem`` says why; the worker is gone."""

    def __init__(self, problem: Problem):
        self.problem = problem


def per_call_timeout(limit: float) -> str:
    """The words of a timeout of ``limit`` seconds, the per-call time limit."""
    return f"took longer than {limit:g} s (per-call time limit)"


def _command(box, path: str, slot_fds: tuple, memory_limit: int, to_child: int, to_parent: int) -> list[str]:
    """The worker's command line: under bubblewrap where it runs (the worker's parent is then bwrap's, so it
    is told 0: bwrap kills it with this process)."""
    boxed = box.kind == BUBBLEWRAP
    worker = [sys.executable, "-m", "compare.oracle.sandbox.worker", str(to_child), str(to_parent),
              *(str(fd) for fd in slot_fds), str(0 if boxed else os.getpid()), str(memory_limit)]
    if not boxed:
        return worker
    root = str(Path(__file__).resolve().parents[3])   # the checkout: compare/oracle/sandbox/ is 3 below
    needed = [os.path.dirname(path), root, sys.prefix, sys.base_prefix,
              os.path.dirname(os.path.realpath(sys.executable)), os.getcwd(),
              *os.environ.get("PYTHONPATH", "").split(os.pathsep)]
    return [*bwrap_prefix(box.bwrap, visible_under_tmp(needed)), *worker]


def _env() -> dict[str, str]:
    root = str(Path(__file__).resolve().parents[3])   # the checkout: compare/oracle/sandbox/ is 3 below
    path = os.pathsep.join([root, os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return dict(os.environ, PYTHONPATH=path, **{WORKER_ENV: str(os.getpid())})


def start(box, path: str, slot_fds: tuple, memory_limit: int, on_stop) -> Channel:
    """Start a worker for the candidate file ``path`` (``box``: ``protection.sandbox()``), handing it the shared
    memory files ``slot_fds``: its ``Channel``, which tells ``on_stop`` once when the worker stops."""
    to_child, from_parent = os.pipe()
    from_child, to_parent = os.pipe()
    for fd in (from_child, from_parent):   # a worker whose replies fill the pipe waits for this process to read
        _widen(fd)
    boxed = box.kind == BUBBLEWRAP
    process = Process(_command(box, path, slot_fds, memory_limit, to_child, to_parent),
                      (to_child, to_parent, *slot_fds), _env(), boxed=boxed)
    os.close(to_child)
    os.close(to_parent)
    return Channel(process, write_fd=from_parent, read_fd=from_child, on_stop=on_stop)


class Process:
    """One running worker process (a session, a process group, of its own) and what it prints on its file
    descriptors 1 and 2: read without blocking, counted (``count_printed``), a sample kept."""

    def __init__(self, command: list[str], pass_fds: tuple, env: dict, *, boxed: bool):
        self.boxed = boxed
        self.proc = subprocess.Popen(command, pass_fds=pass_fds, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, start_new_session=True, env=env)
        WORKERS.add(self.proc.pid)
        if not boxed:
            SESSIONS.add(self.proc.pid)
        self.out_fds = [self.proc.stdout.fileno(), self.proc.stderr.fileno()]
        self.out_open = list(self.out_fds)
        for fd in self.out_fds:
            os.set_blocking(fd, False)
        self.printed, self.printed_chars = bytearray(), 0

    def kill(self) -> None:
        """Kill the worker (its process group: the worker, or its bwrap), wait for it, close its output pipes."""
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self.proc.wait()
        WORKERS.discard(self.proc.pid)
        for f in (self.proc.stdout, self.proc.stderr):
            f.close()

    def died(self, when: str) -> Problem:
        """How the worker ended (it has ended or is ending), as the Problem of a call ``when``."""
        code = self.proc.wait()
        if self.boxed and 128 < code < 128 + signal.NSIG:
            code = 128 - code                   # bwrap's status of a worker killed by a signal: 128 + its number
        if code < 0:
            return Problem("died", f"the candidate's process was killed by {_signal_name(-code)} {when}")
        return Problem("died", f"the candidate's process exited with status {code} {when}")

    def exited(self) -> bool:
        """Whether the worker ends within a second (it closed its end of the pipe: usually it is exiting)."""
        try:
            self.proc.wait(timeout=1.0)
            return True
        except subprocess.TimeoutExpired:
            return False

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
        """Count what the worker printed since the last count into ``isolation.printed``, and forget it."""
        p = isolation.printed
        if self.printed_chars:
            p.unit = "bytes"
            p.calls += 1
            p.chars += self.printed_chars
            if not p.sample:
                p.sample = self.printed.decode("utf-8", "replace")
        self.printed, self.printed_chars = bytearray(), 0


class Replies:
    """What the worker wrote to its reply pipe, not yet taken: framed (``wire``) into replies, each payload no
    larger than ``limit`` bytes."""

    def __init__(self):
        self.pending, self.at, self.parsed = bytearray(), 0, None
        self.limit = 1 << 30                # the largest reply payload accepted (``Isolated.collect`` sets it)

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
        if type(nbytes) is not int or not 0 <= nbytes <= self.limit:
            raise wire.WireError(f"a reply announcing {str(nbytes)[:40]} bytes")
        self.parsed = (at, message, at + wire.HEAD.size + n + nbytes)
        return self.parsed[1:]

    def complete(self) -> tuple[dict, int] | None:
        """The next reply frame once all of it (its payload included) is here, else None."""
        frame = self.frame()
        return frame if frame is not None and len(self.pending) >= frame[1] else None

    def take(self, message: dict, end: int) -> bytes:
        """The payload of the reply ``message`` that ends at ``end``, a copy; the reply is dropped."""
        with memoryview(self.pending) as view:
            payload = bytes(view[end - message.get("nbytes", 0):end])
        if end == len(self.pending) or end > (1 << 20):
            del self.pending[:end]
            end = 0
        self.at, self.parsed = end, None
        return payload


class Channel:
    """A worker's process and its pipes (``start`` makes one per life of the candidate's process): every write
    and every wait under a deadline, what it prints counted, its replies framed. Any way it is lost (a deadline
    passed, a closed pipe, garbage) kills it and raises Lost; ``alive`` says whether it still runs, and
    ``on_stop`` is told once when it stops."""

    def __init__(self, process: Process, *, write_fd: int, read_fd: int, on_stop):
        self.process, self.on_stop, self.alive = process, on_stop, True
        self.write_fd, self.read_fd = write_fd, read_fd
        for fd in (self.write_fd, self.read_fd):
            os.set_blocking(fd, False)
        self.replies = Replies()
        self.count_printed = process.count_printed

    def stop(self) -> None:
        """Kill the worker, wait for it, close its pipes; then tell ``on_stop``. Once only."""
        if not self.alive:
            return
        self.alive = False
        self.process.kill()
        for fd in (self.write_fd, self.read_fd):
            try:
                os.close(fd)
            except OSError:
                pass
        self.on_stop()

    def closed(self, when: str) -> None:
        """The worker's end of a pipe closed: Lost, saying whether it died or only closed the pipe."""
        self.process.drain_all()
        problem = (self.process.died(when) if self.process.exited() else
                   Problem("died", f"the candidate closed the oracle's pipe {when}"))
        self.stop()
        raise Lost(problem)

    def wait(self, deadline: float, limit: float, when: str, timeout: str | None, write: bool = False) -> None:
        """Wait for the worker until ``deadline``: for a reply (read into ``self.replies``), for what it prints
        (counted) and, when ``write``, for room in its request pipe. Lost when the deadline passes (the worker
        is killed: a timeout of ``limit`` s, in the words ``timeout``) or its reply pipe closes."""
        interrupts.check()                  # a Ctrl-C a gc callback swallowed must not wait out the time limit
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            self.stop()
            raise Lost(Problem("timeout", timeout or per_call_timeout(limit)))
        out_open = self.process.out_open
        readable, _, _ = select.select([self.read_fd, *out_open], [self.write_fd] if write else [], [],
                                       min(remaining, SIGNAL_SLICE))
        for fd in readable:
            if fd != self.read_fd and self.process.drain(fd) < 0:
                out_open.remove(fd)
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
        self.replies.pending += b

    def send(self, request: dict, limit: float, when: str = "during a call", timeout: str | None = None) -> None:
        """Write ``request`` to the worker within ``limit`` seconds, never blocking: a worker that stops reading
        (it may shrink its pipe first) is killed like one that does not reply. Replies and printing that arrive
        meanwhile are read, so a worker waiting for room in the reply pipe never stalls the request."""
        data = memoryview(wire.frame(request))
        deadline = time.monotonic() + limit
        timeout = timeout or f"{per_call_timeout(limit)}: it did not read the oracle's request"
        while data:
            try:
                data = data[os.write(self.write_fd, data):]
                continue
            except BlockingIOError:
                pass
            except OSError:
                self.closed(when)
            self.wait(deadline, limit, when, timeout, write=True)

    def receive(self, limit: float, expect: tuple[int, int], when: str = "during a call",
                timeout: str | None = None) -> tuple[dict, bytes]:
        """The reply to case ``expect[1]`` of request ``expect[0]``, read within ``limit`` seconds (else the worker
        is killed: a timeout): (message, raw bytes), or Lost. A reply that names another request or case is
        garbage: requests are only ever sent so that their replies come in order."""
        deadline = time.monotonic() + limit
        try:
            while (frame := self.replies.complete()) is None:
                self.wait(deadline, limit, when, timeout)
            message, end = frame
            if wire.reply_id(message) != expect:
                raise wire.WireError(f"a reply to {wire.reply_id(message)} where {expect} was due")
        except wire.WireError as e:
            self.stop()
            raise Lost(Problem("garbage", f"the candidate's process sent something that is not a reply {when} "
                                          f"({e})")) from None
        self.process.drain_all()
        return message, self.replies.take(message, end)
