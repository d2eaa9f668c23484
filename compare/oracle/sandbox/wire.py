"""The wire between the oracle and a candidate's worker process: frames of JSON plus raw array bytes.

Nothing that crosses is unpickled. A frame is ``MAGIC``, a 4-byte little-endian JSON length, the JSON, and
(replies only) ``nbytes`` raw bytes of arrays described in the JSON. A candidate's output travels as a
*skeleton*: nested lists whose leaves are ``None``, ``{"a": i}`` (the i-th array) or ``{"opaque": type name}``
(something that is not an array of numbers), with each array's ``dtype`` and ``shape``.

Every request carries an id (``"req"``) and every reply names the request and the case it answers (``"req"``,
``"case"``: ``reply_id``), so that a reply is matched to its case by name, never by its position in the pipe.
Everything the oracle reads is checked here before it is used: a malformed frame is a ``WireError``.

Standard library and NumPy only: the worker imports this before the candidate, and nothing heavier.
"""

from __future__ import annotations

import json
import struct

import numpy as np

MAGIC = b"BPO1"
HEAD = struct.Struct("<4sI")
MAX_JSON = 1 << 20                 # bytes of JSON in one frame, at most
# dtypes an array may cross in: real, complex and bool numbers of the usual sizes, little-endian or none
DTYPES = frozenset({"<f2", "<f4", "<f8", "<f16", "<c8", "<c16", "<c32", "|b1", "|i1", "|u1", "<i2", "<u2", "<i4",
                    "<u4", "<i8", "<u8"})


_DTYPES = {name: np.dtype(name) for name in DTYPES}


class WireError(Exception):
    """What arrived is not a well-formed frame (the message says how)."""


def frame(message: dict) -> bytes:
    """One frame holding ``message`` (JSON-able)."""
    body = json.dumps(message, separators=(",", ":"), allow_nan=False).encode()
    return HEAD.pack(MAGIC, len(body)) + body


def header_length(head: bytes) -> int:
    """The JSON length announced by a frame's first ``HEAD.size`` bytes; WireError if they are not a header."""
    magic, n = HEAD.unpack(head)
    if magic != MAGIC:
        raise WireError(f"expected a frame, got {head[:16]!r}")
    if n > MAX_JSON:
        raise WireError(f"a frame of {n:,} bytes of JSON (at most {MAX_JSON:,})")
    return n


def decode(body: bytes) -> dict:
    """The JSON of a frame, which must be an object; WireError otherwise (also for JSON nested deeper than the
    parser's recursion allows: a RecursionError must not escape from what a worker sent)."""
    try:
        message = json.loads(body)
    except (ValueError, UnicodeDecodeError) as e:
        raise WireError(f"not JSON: {e}") from None
    except RecursionError:
        raise WireError("JSON nested too deep") from None
    if not isinstance(message, dict):
        raise WireError(f"expected a JSON object, got {type(message).__name__}")
    return message


def reply_id(message: dict) -> tuple[int, int]:
    """The (request id, case index) a reply names; WireError when it names none."""
    req, case = message.get("req"), message.get("case")
    if type(req) is not int or type(case) is not int:
        raise WireError("a reply that names no request and case")
    return req, case


def plain(obj, leaves: list[np.ndarray], depth: int = 0):
    """``obj`` (the candidate's output) as a skeleton, its arrays appended to ``leaves``. Runs the candidate's
    own ``__iter__``/``__array__``, so the worker calls it under its guard. Lists, tuples and other iterables
    become lists (three levels deep at most: (grad W, grad b) pairs, or (nabla_b, nabla_w) lists of arrays)."""
    if obj is None:
        return None
    if depth < 3 and not isinstance(obj, (np.ndarray, np.generic, str, bytes, int, float, complex)):
        if isinstance(obj, (list, tuple)) or (hasattr(obj, "__iter__") and not hasattr(obj, "__array__")):
            return [plain(item, leaves, depth + 1) for item in obj]
    a = np.asarray(obj)
    if a.dtype.hasobject or a.dtype.kind not in "biufc":
        return {"opaque": f"{type(obj).__name__} (dtype {a.dtype})"}
    if a.dtype.byteorder == ">":
        a = a.astype(a.dtype.newbyteorder("<"))
    leaves.append(a if a.flags.c_contiguous else np.array(a, order="C"))   # not ascontiguousarray: it makes 0-d 1-d
    return {"a": len(leaves) - 1}


def describe(leaves: list[np.ndarray]) -> list[dict]:
    """Each array's dtype and shape, as the reply's ``arrays`` field."""
    return [{"dtype": a.dtype.str, "shape": list(a.shape)} for a in leaves]


class Opaque:
    """A leaf that was not an array of numbers in the worker; the checks see it as a non-numeric object."""

    def __init__(self, what: str):
        self.what = what

    def __repr__(self) -> str:
        return self.what


def arrays_from(specs, payload: bytes, limit: int) -> list[np.ndarray]:
    """The arrays of a reply from its ``arrays`` field and raw bytes, checked: known dtypes, non-negative
    shapes, sizes that add up to the payload and stay under ``limit`` bytes; WireError otherwise. The arrays
    are read-only copies (the payload is not kept alive by them)."""
    if type(specs) is not list:
        raise WireError("arrays is not a list")
    out, pos, end = [], 0, min(len(payload), limit)
    for spec in specs:
        try:
            dtype, shape = _DTYPES[spec["dtype"]], spec["shape"]
        except (TypeError, KeyError):
            raise WireError(f"a malformed array description: {str(spec)[:80]}") from None
        if type(shape) is not list or len(shape) > 32:
            raise WireError(f"a malformed shape: {str(shape)[:80]}")
        count = 1
        for n in shape:
            if type(n) is not int or not 0 <= n < 2**40:
                raise WireError(f"a malformed shape: {str(shape)[:80]}")
            count *= n
        n = count * dtype.itemsize
        if pos + n > end:
            raise WireError("the arrays are larger than the bytes sent")
        a = np.frombuffer(payload, dtype, count, pos).reshape(shape).copy()
        a.flags.writeable = False                     # read-only, as the views it replaces were
        out.append(a)
        pos += n
    if pos != len(payload):
        raise WireError("bytes left over after the arrays")
    return out


def rebuild(skeleton, arrays: list[np.ndarray], depth: int = 0):
    """The output as nested lists of NumPy arrays (and None, Opaque) from its skeleton; WireError if malformed."""
    if skeleton is None:
        return None
    kind = type(skeleton)
    if kind is list and depth < 3:
        return [rebuild(s, arrays, depth + 1) for s in skeleton]
    if kind is dict and len(skeleton) == 1:
        i, what = skeleton.get("a"), skeleton.get("opaque")
        if type(i) is int and 0 <= i < len(arrays):
            return arrays[i]
        if type(what) is str:
            return Opaque(what[:200])
    raise WireError(f"a malformed output description: {str(skeleton)[:80]}")
