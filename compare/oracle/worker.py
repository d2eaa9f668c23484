"""The candidate's side of process isolation: ``python -m compare.oracle.worker CTRL_IN CTRL_OUT SHM0 SHM1``.

It imports the candidate, then answers requests from the oracle (``process.py``) until its input closes:
each request names the inputs, which lie in one of the shared memory files ``SHM0``, ``SHM1`` (so the oracle
sees any change the candidate makes to them), and the reply carries the candidate's output as plain arrays
(``wire``). Nothing in here decides anything: the candidate can change this process at will, and the oracle
trusts none of it.
"""

from __future__ import annotations

import math
import mmap
import os
import sys

import numpy as np

from compare.oracle import forms, isolation, layouts, load, update, wire


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
    """One reply in one write where it fits a pipe's buffer (each write can wake the oracle)."""
    payload = [memoryview(a).cast("B") for a in leaves]
    message["nbytes"] = sum(len(p) for p in payload)
    view = memoryview(b"".join((wire.frame(message), *payload)))
    while view:
        view = view[os.write(fd, view):]


def _guarded(fn):
    """(result, None) or (None, {"cause", "message"}): the candidate's exceptions, sys.exit and changes to NumPy's
    global state, as ``isolation`` words them; warnings are printed, never raised."""
    try:
        result, problem = isolation.call_guarded(fn, (), time_limit=None, capture=False)
    except KeyboardInterrupt:
        return None, {"cause": "interrupt", "message": "raised KeyboardInterrupt"}
    return result, (None if problem is None else {"cause": problem.cause, "message": problem.message,
                                                  "refused": problem.refused})


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
    grad = _called(lambda: forms.invoke(target.target, form, params, x, y, sizes=sizes),
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


def _answer_update(arrays: list[np.ndarray], target: load.Target, form: forms.Form, grads: str, how: update.How,
                   sizes: list) -> tuple[dict, list]:
    """One update call (``update.How``): the new parameters' skeleton, read as ``update.handed_back`` says (the
    arrays given, changed in place, or what it returned), and the mode; or the problem."""
    weights, biases, x, y = _split(arrays)
    leaves: list[np.ndarray] = []
    mode = []

    def call():
        args = update.build(target.target, form, weights, biases, grads, sizes)
        return args, update.invoke(target.target, form, args, x, y, how)

    def read(called):
        how_back, raw, _ = update.handed_back(form, *called)
        mode.append(how_back)
        return wire.plain(raw, leaves)

    grad = _called(call, read)
    return {"grad": grad, "cost": None, "mode": mode[0] if mode else None, "arrays": wire.describe(leaves)}, leaves


def main(argv: list[str]) -> int:
    ctrl_in, ctrl_out, *shms = (int(a) for a in argv)
    request = wire.decode(_read_exactly(ctrl_in, wire.header_length(_read_exactly(ctrl_in, wire.HEAD.size))))
    try:
        target = load.load_target(request["spec"])
    except load.CandidateError as e:
        _send(ctrl_out, {"ok": False, "cause": "load", "message": str(e)})
        return 0
    _flush()
    _send(ctrl_out, {"ok": True, "cost": target.cost is not None, "form": list(target.form)})
    inputs = [_Inputs(fd) for fd in shms]
    while True:
        try:
            head = _read_exactly(ctrl_in, wire.HEAD.size)
        except EOFError:
            return 0
        request = wire.decode(_read_exactly(ctrl_in, wire.header_length(head)))
        form = forms.Form(*request["form"][:4], tuple(request["form"][4]))
        how = update.How(request["eta"], request["k"], request["examples"]) if request["op"] == "update" else None
        for case in request["cases"]:
            arrays = inputs[request["slot"]].arrays(request["shm"], case["inputs"])
            if how is None:
                reply, leaves = _answer(arrays, target, form, request["grads"], request["cost"], case["sizes"])
            else:
                reply, leaves = _answer_update(arrays, target, form, request["grads"], how, case["sizes"])
            _flush()
            _send(ctrl_out, reply, leaves)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
