"""The candidate's side of process isolation:
``python -m compare.oracle.sandbox.worker CTRL_IN CTRL_OUT SHM0 SHM1 PARENT MEMORY``.

Before the candidate is imported it ties its life to the oracle's (``PR_SET_PDEATHSIG``: it is killed when
``PARENT``, the oracle, ends, however it ends; 0 under bubblewrap, whose ``--die-with-parent`` does this) and caps
its own address space at ``MEMORY`` bytes. It imports the candidate, then answers requests from the oracle
(``process.py``) until its input closes: each request names the inputs, which lie in one of the shared memory
files ``SHM0``, ``SHM1`` (so the oracle sees any change the candidate makes to them), and each reply names the
request and the case it answers and carries the candidate's output as plain arrays (``wire``). Nothing in here
decides anything: the candidate can change this process at will, and the oracle trusts none of it.
"""

from __future__ import annotations

import math
import mmap
import os
import resource
import signal
import sys

import numpy as np

from compare.oracle.sandbox import forms, isolation, layouts, load, wire
from compare.oracle.sandbox.protection import PR_SET_PDEATHSIG, prctl


def _read_exactly(fd: int, n: int) -> bytes:
    chunks = []
    while n:
        b = os.read(fd, n)
        if not b:
            raise EOFError
        chunks.append(b)
        n -= len(b)
    return b"".join(chunks)


def _send(fd: int, message: dict, leaves: list[np.ndarray] = ()) -> None:
    """One reply in one write where it fits a pipe's buffer (each write can wake the oracle). An array with a 0 in
    its shape is sent as no bytes (a memoryview of it cannot be cast: the worker died on a (7, 0) gradient)."""
    payload = [memoryview(a).cast("B") if a.size else b"" for a in leaves]
    message["nbytes"] = sum(len(p) for p in payload)
    view = memoryview(b"".join((wire.frame(message), *payload)))
    while view:
        view = view[os.write(fd, view):]


def _die_with(parent: int) -> None:
    """Be killed when the oracle ends (``PR_SET_PDEATHSIG``, Linux), and end now if it already has (it may have
    died between starting this process and this call). ``parent`` 0: bubblewrap's ``--die-with-parent`` does it."""
    if parent == 0:
        return
    prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(1)


def _cap_memory(limit: int) -> None:
    """Cap this process's address space at ``limit`` bytes and forbid core dumps, before the candidate runs."""
    for what, value in ((resource.RLIMIT_AS, limit), (resource.RLIMIT_CORE, 0)):
        try:
            resource.setrlimit(what, (value, value))
        except (OSError, ValueError):
            pass


def _guarded(fn):
    """(result, None) or (None, {"cause", "message"}): the candidate's exceptions, sys.exit and changes to NumPy's
    global state, as ``isolation`` words them; warnings are printed, never raised. A KeyboardInterrupt is the
    candidate's own (this process is in a session of its own, so a Ctrl-C at the terminal never reaches it): a
    failure like any other exception."""
    try:
        result, problem = isolation.call_guarded(fn, (), time_limit=None, capture=False)
    except KeyboardInterrupt as e:
        line = isolation.first_line(e)
        return None, {"cause": "raised", "message": "raised KeyboardInterrupt" + (f": {line}" if line else ""),
                      "refused": False}
    return result, (None if problem is None else {"cause": problem.cause, "message": problem.message,
                                                  "refused": problem.refused, "overflow": problem.overflow,
                                                  "where": problem.where})


def _flush() -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:
            pass


class _Inputs:
    """Views of the arrays the oracle put into the shared memory file."""

    def __init__(self, fd: int):
        self.fd, self.size, self.mm = fd, 0, None

    def arrays(self, size: int, specs: list) -> list[np.ndarray]:
        if size != self.size:
            self.mm, self.size = mmap.mmap(self.fd, size), size
        return [np.frombuffer(self.mm, np.dtype(dt), math.prod(shape), off).reshape(shape)
                for off, shape, dt in specs]


def _split(arrays: list[np.ndarray]) -> tuple[list, list, np.ndarray, np.ndarray]:
    """(weights, biases, x, y) from the inputs as they lie in shared memory: W^1, b^1, ..., W^L, b^L, x, y."""
    L = len(arrays) // 2 - 1
    return list(arrays[0:2 * L:2]), list(arrays[1:2 * L:2]), arrays[-2], arrays[-1]


def _called(call, read) -> dict:
    """The reply part of ``read(call())`` under one guard: {"ok": True, "out": skeleton}, or the problem, whose
    cause is "unreadable" when it was the reading (the output's own code) that raised."""
    reading = []

    def call_and_read():
        out = call()
        reading.append(True)
        return read(out)

    skeleton, problem = _guarded(call_and_read)
    if problem is not None and reading and problem["cause"] == "raised":
        problem["cause"] = "unreadable"
    return {"ok": False, **problem} if problem is not None else {"ok": True, "out": skeleton}


def _answer(arrays: list[np.ndarray], target: load.Target, form: forms.Form, grads: str, with_cost: bool,
            sizes: list) -> tuple[dict, list]:
    """One case: the grad part (output skeleton, or the problem), and the cost part when ``with_cost``.
    ``arrays`` are W^1, b^1, ..., x, y in the candidate's layout, passed as ``form`` and ``grads`` (the
    arrangement of the parameters) say."""
    weights, biases, x, y = _split(arrays)
    params = layouts.arrange(weights, biases, grads) if form.kind == forms.FUNCTION else (weights, biases)
    leaves: list[np.ndarray] = []
    names = forms.module_names(target.module)
    grad = _called(lambda: forms.invoke(target.target, form, params, x, y, sizes=sizes, names=names),
                   lambda out: wire.plain(out, leaves))
    reply = {"grad": grad, "cost": None}
    if with_cost and target.cost is not None and form.kind == forms.FUNCTION:
        value, problem = _guarded(lambda: np.float64(float(target.cost(params, x, y))))
        if problem is None:
            leaves.append(np.asarray(value))
            reply["cost"] = {"ok": True, "out": {"a": len(leaves) - 1}}
        else:
            reply["cost"] = {"ok": False, **problem}
    reply["arrays"] = wire.describe(leaves)
    return reply, leaves


def _answer_update(arrays: list[np.ndarray], target: load.Target, form: forms.Form, grads: str, how: forms.How,
                   sizes: list) -> tuple[dict, list]:
    """One update call (``forms.How``): the new parameters' skeleton, read as ``forms.handed_back`` says (the
    arrays given, changed in place, or what it returned), and the mode; or the problem."""
    weights, biases, x, y = _split(arrays)
    leaves: list[np.ndarray] = []
    mode = []
    names = forms.module_names(target.module)

    def call():
        args = forms.build(target.target, form, weights, biases, grads, sizes, names, how.eta, x, y)
        return args, forms.invoke_update(target.target, form, args, x, y, how, names)

    def read(called):
        how_back, raw, _ = forms.handed_back(form, *called)
        mode.append(how_back)
        return wire.plain(raw, leaves)

    grad = _called(call, read)
    return {"grad": grad, "cost": None, "mode": mode[0] if mode else None, "arrays": wire.describe(leaves)}, leaves


def _read_request(fd: int) -> dict:
    """The next request frame from the oracle (EOFError when its pipe closed)."""
    return wire.decode(_read_exactly(fd, wire.header_length(_read_exactly(fd, wire.HEAD.size))))


def _load(request: dict) -> tuple[load.Target | None, dict]:
    """Import the candidate; (its Target, the reply) or (None, the refusal), whatever its import raises."""
    named = {"req": request["req"], "case": 0}
    try:
        target = load.load_target(request["spec"])
    except load.CandidateError as e:
        return None, {**named, "ok": False, "cause": "load", "message": str(e), "missing": e.missing}
    except BaseException as e:          # KeyboardInterrupt, or anything load_target lets through
        return None, {**named, "ok": False, "cause": "load",
                      "message": f"{request['spec']} failed to import: {type(e).__name__}: {isolation.first_line(e)}"}
    return target, {**named, "ok": True, "cost": target.cost is not None, "form": list(target.form)}


def main(argv: list[str]) -> int:
    ctrl_in, ctrl_out, shm0, shm1, parent, memory = (int(a) for a in argv)
    _die_with(parent)
    _cap_memory(memory)
    request = _read_request(ctrl_in)
    target, reply = _load(request)
    _flush()
    _send(ctrl_out, reply)
    if target is None:
        return 0
    inputs = [_Inputs(fd) for fd in (shm0, shm1)]
    while True:
        try:
            request = _read_request(ctrl_in)
        except EOFError:
            return 0
        form = forms.Form(*request["form"][:4], tuple(request["form"][4]), *request["form"][5:])
        how = forms.How(request["eta"], request["k"], request["examples"]) if request["op"] == "update" else None
        for n, case in enumerate(request["cases"]):
            arrays = inputs[request["slot"]].arrays(request["shm"], case["inputs"])
            if how is None:
                reply, leaves = _answer(arrays, target, form, request["grads"], request["cost"], case["sizes"])
            else:
                reply, leaves = _answer_update(arrays, target, form, request["grads"], how, case["sizes"])
            _flush()
            _send(ctrl_out, {**reply, "req": request["req"], "case": n}, leaves)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
