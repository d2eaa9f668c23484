"""The one parameter format both backends share, and the checks every public function runs.

A network with layer sizes n_0, n_1, ..., n_L is a list of L pairs ``(W, b)``, one per layer l = 1..L:

    W.shape == (n_l, n_{l-1})   W[j, k] = w_jk, from neuron k of layer l-1 to neuron j of layer l
    b.shape == (n_l,)

Gradients come back in the same format. Inputs are one example ``x`` of shape ``(n_0,)`` with a target
``y`` of shape ``(n_L,)``, or a batch ``(m, n_0)`` with ``(m, n_L)``.

dtype policy (chosen on purpose, the same in both backends):
- every parameter array is float32, or every one is float64: that is the network's dtype;
- ``x`` and ``y`` must have the network's dtype, or be integer/bool (taken exactly, converted to it);
- any other mix (float32 data with float64 parameters, or the reverse) is a ``TypeError``: a reference
  implementation does not silently change precision for you.

Nothing here (or anywhere in the project) writes into the caller's arrays.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

import numpy as np

Params = list[tuple[np.ndarray, np.ndarray]]

FLOAT_DTYPES = (np.dtype(np.float32), np.dtype(np.float64))


def sizes_of(params: Params) -> list[int]:
    """Layer sizes ``[n_0, n_1, ..., n_L]`` of a (valid) parameter list."""
    return [int(params[0][0].shape[1])] + [int(W.shape[0]) for W, _ in params]


def init_params(sizes: Sequence[int], seed: int | None = None, dtype=np.float64) -> Params:
    """Random parameters for layer sizes ``[n_0, ..., n_L]``: W^l ~ N(0, 1/n_{l-1}), b^l = 0.

    Dividing the weights' variance by the fan-in keeps each z_j of order 1 whatever the width, so sigmoid
    units start in their sensitive range instead of saturated (with N(0, 1) weights a 64-input unit starts with
    |z| ~ 8, where sigma' ~ 3e-4 and learning stalls). The random weights already break the symmetry between
    units, so the biases start at 0.
    """
    if not _is_sequence(sizes) or len(sizes) < 2:
        raise ValueError(f"sizes must list at least two layer sizes [n_0, ..., n_L], got {sizes!r}")
    sizes = [_size(n, i) for i, n in enumerate(sizes)]
    try:
        ok = np.dtype(dtype) in FLOAT_DTYPES and dtype is not None  # np.dtype(None) is float64
    except (TypeError, ValueError):
        ok = False
    if not ok:
        raise TypeError(f"dtype must be float32 or float64, got {dtype!r}")
    dtype = np.dtype(dtype)
    rng = np.random.default_rng(_seed(seed))
    try:
        return [
            (
                (rng.standard_normal((n, n_prev)) / np.sqrt(n_prev)).astype(dtype),
                np.zeros(n, dtype),
            )
            for n_prev, n in zip(sizes[:-1], sizes[1:])
        ]
    except (MemoryError, ValueError):  # NumPy: "array is too big" / "Maximum allowed dimension exceeded"
        big = max(n * n_prev for n_prev, n in zip(sizes[:-1], sizes[1:]))
        raise ValueError(f"sizes {sizes} need a W of {big} elements: too large to allocate") from None


def _seed(seed):
    """``seed`` for np.random.default_rng: None, an integer >= 0, or a Generator (used, and so advanced)."""
    if seed is None or isinstance(seed, np.random.Generator):
        return seed
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"seed must be None or an integer >= 0, got {type(seed).__name__} {seed!r}")
    if seed < 0:
        raise ValueError(f"seed must be None or an integer >= 0, got {seed}")
    return int(seed)


def _is_sequence(obj) -> bool:
    return isinstance(obj, (list, tuple)) or (isinstance(obj, np.ndarray) and obj.ndim == 1)


def _size(n, i: int) -> int:
    if isinstance(n, (bool, np.bool_)) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"sizes[{i}] must be a positive integer, got {n!r}")
    return int(n)


def _as_array(value, what: str) -> np.ndarray:
    """``value`` as an ndarray (no copy when it already is one), or a TypeError naming ``what``.

    Subclasses become plain ndarrays (a view, no copy): np.matrix would keep every product 2-D (a gradient
    of b of shape (1, n)), so it is read as the array it holds. Masked arrays are refused: their mask would be
    silently dropped, and the masked entries computed with. Non-native byte order (``>f8`` read from a file
    written on another machine) is the same number type: it is converted to native order (a copy).
    """
    if type(value) is np.ndarray and value.dtype.isnative:
        return value
    if isinstance(value, np.ndarray):
        if isinstance(value, np.ma.MaskedArray):
            raise TypeError(f"{what} is a masked array: its mask would be ignored; pass np.ma.filled(...) or "
                            "the unmasked entries")
        value = np.asarray(value)
        return value if value.dtype.isnative else value.astype(value.dtype.newbyteorder("="))
    if isinstance(value, (str, bytes)) or value is None:
        raise TypeError(f"{what} must be an array of numbers, got {type(value).__name__}")
    try:
        arr = np.asarray(value)
    except Exception as e:  # ragged lists and other things NumPy cannot make an array of
        why = ("rows of different lengths, or numbers mixed with lists" if isinstance(e, ValueError)
               else f"it cannot be read as an array: {type(e).__name__}")
        raise TypeError(f"{what} must be an array of numbers, got {type(value).__name__} ({why})") from None
    return arr if arr.dtype.isnative else arr.astype(arr.dtype.newbyteorder("="))


def _kind_error(arr: np.ndarray, what: str) -> str | None:
    """Why ``arr`` is not an array of real numbers, or None when it is."""
    if arr.dtype.kind in "fiub":
        return None
    kind = {"c": "complex", "O": "object", "U": "string", "S": "bytes", "M": "datetime", "m": "timedelta"}
    name = kind.get(arr.dtype.kind, "not a real number")
    return f"{what} has dtype {arr.dtype} ({name}); expected float32 or float64"


def _check_finite(arr: np.ndarray, what: str) -> None:
    if not np.isfinite(arr).all():
        bad = np.argwhere(~np.isfinite(arr))[0]
        where = tuple(int(i) for i in bad)
        raise ValueError(f"{what} contains {arr[where]} at index {where}; every value must be finite")


def check_params(params: Params) -> tuple[Params, np.dtype]:
    """Validate a parameter list; return it as ``[(W, b), ...]`` of ndarrays, and the network's dtype.

    Every public function of both backends calls this first. Raises TypeError/ValueError naming the layer
    (numbered 1..L as in the seed), the array and what was expected. Never copies or changes an array that
    is already a valid ndarray.
    """
    if isinstance(params, np.ndarray) or not isinstance(params, (list, tuple)):
        raise TypeError(f"params must be a list of (W, b) pairs, one per layer, got {type(params).__name__}")
    if len(params) == 0:
        raise ValueError("params is empty: a network needs at least one layer (W, b)")
    out: Params = []
    dtype = None
    n_prev = None
    for l, pair in enumerate(params, start=1):
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            raise TypeError(f"layer {l}: expected a pair (W, b), got {type(pair).__name__}"
                            + (f" of length {len(pair)}" if isinstance(pair, (list, tuple)) else ""))
        W = _as_array(pair[0], f"layer {l}: W")
        b = _as_array(pair[1], f"layer {l}: b")
        for arr, name in ((W, "W"), (b, "b")):
            err = _kind_error(arr, f"layer {l}: {name}")
            if err:
                raise TypeError(err)
            if arr.dtype not in FLOAT_DTYPES:
                raise TypeError(f"layer {l}: {name} has dtype {arr.dtype}; parameters must be float32 or float64")
            if dtype is None:
                dtype = arr.dtype
            elif arr.dtype != dtype:
                raise TypeError(f"layer {l}: {name} is {arr.dtype} but layer 1's W is {dtype}; "
                                "all parameters must share one dtype (convert them explicitly)")
        if W.ndim != 2:
            raise ValueError(f"layer {l}: W must be 2-D with shape (n_{l}, n_{l - 1}), got shape {W.shape}")
        n, n_in = W.shape
        if n == 0 or n_in == 0:
            raise ValueError(f"layer {l}: W has shape {W.shape}; a layer needs at least one neuron")
        if n_prev is not None and n_in != n_prev:
            raise ValueError(f"layer {l}: W has shape {W.shape} but layer {l - 1} has {n_prev} neurons, "
                             f"so expected ({n}, {n_prev}): layers do not chain")
        if b.shape != (n,):
            raise ValueError(f"layer {l}: b has shape {b.shape}, expected ({n},) to match W's shape {W.shape}"
                             + (" (a 1-D vector, not a column)" if b.ndim == 2 else ""))
        _check_finite(W, f"layer {l}: W")
        _check_finite(b, f"layer {l}: b")
        out.append((W, b))
        n_prev = n
    return out, dtype


def check_x(params: Params, dtype: np.dtype, x) -> np.ndarray:
    """Validate an input ``x`` of shape ``(n_0,)`` or ``(m, n_0)`` against checked ``params``; return it as an
    array of ``dtype`` (integer or bool data is converted exactly; a different float dtype is refused)."""
    x = _as_input(x, "x", dtype)
    _check_rank_width(x, "x", params[0][0].shape[1], "n_0 (layer 1's W has that many columns)")
    return x


def check_inputs(params: Params, dtype: np.dtype, x, y) -> tuple[np.ndarray, np.ndarray]:
    """Validate ``x`` and its target ``y`` against checked ``params``; return them as arrays of ``dtype``.

    ``x``: ``(n_0,)`` or ``(m, n_0)``; ``y``: ``(n_L,)`` or ``(m, n_L)``, with the same rank and m as ``x``.
    Integer or bool data is converted (exactly) to the network's dtype; a different float dtype is refused.
    """
    n_L = params[-1][0].shape[0]
    x = check_x(params, dtype, x)
    y = _as_input(y, "y", dtype)
    _check_rank_width(y, "y", n_L, "n_L (the last layer's W has that many rows)")
    if x.ndim != y.ndim:
        raise ValueError(f"x has shape {x.shape} but y has shape {y.shape}: give one example as x (n_0,) "
                         "with y (n_L,), or a batch as x (m, n_0) with y (m, n_L)")
    if x.ndim == 2 and x.shape[0] != y.shape[0]:
        raise ValueError(f"x holds {x.shape[0]} examples but y holds {y.shape[0]}: batch sizes differ")
    return x, y


def _as_input(value, what: str, dtype: np.dtype) -> np.ndarray:
    arr = _as_array(value, what)
    err = _kind_error(arr, what)
    if err:
        raise TypeError(err)
    if arr.dtype.kind in "iub":
        arr = arr.astype(dtype)
        if arr.size and not np.isfinite(arr).all():  # huge integers do not fit float32
            raise ValueError(f"{what} has integers too large for {dtype}")
    elif arr.dtype != dtype:
        raise TypeError(f"{what} is {arr.dtype} but the parameters are {dtype}; "
                        "convert one of them explicitly (no silent change of precision)")
    _check_finite(arr, what)
    return arr


def _check_rank_width(arr: np.ndarray, what: str, n: int, why: str) -> None:
    if arr.ndim not in (1, 2):
        raise ValueError(f"{what} has shape {arr.shape}; expected ({n},) for one example or (m, {n}) for a batch")
    if arr.shape[-1] != n:
        raise ValueError(f"{what} has shape {arr.shape}: its last axis must be {n} = {why}")
    if arr.ndim == 2 and arr.shape[0] == 0:
        raise ValueError(f"{what} has shape {arr.shape}: a batch needs at least one example")


# ---- files -------------------------------------------------------------------------------------------

def save_params(path: str | os.PathLike, params: Params) -> None:
    """Write ``params`` to an ``.npz`` file as arrays ``W1, b1, ..., WL, bL`` plus ``sizes`` = [n_0, ..., n_L].

    ``sizes`` is a manifest: a file damaged so that some arrays vanish cannot load as a smaller network.
    No pickles; the name is used as given (no ``.npz`` appended). ``path`` is a str, bytes or os.PathLike (an
    integer would be taken by ``open`` as a file descriptor: refused). A path that cannot be written (no such
    folder, a directory, no permission, a NUL character) is a ValueError naming it.
    """
    path = _fspath(path, "save_params")
    params, _ = check_params(params)
    arrays = {"sizes": np.array(sizes_of(params), dtype=np.int64)}
    for l, (W, b) in enumerate(params, start=1):
        arrays[f"W{l}"], arrays[f"b{l}"] = W, b
    try:
        with open(path, "wb") as f:  # an open file, so NumPy does not append ".npz" to the caller's name
            np.savez(f, **arrays)
    except (OSError, ValueError) as e:  # ValueError: a NUL character in the path
        why = e.strerror if isinstance(e, OSError) and e.strerror else "the path contains a NUL character"
        raise ValueError(f"cannot save parameters to {path!r}: {why}") from None


def _fspath(path, who: str) -> str | bytes:
    """``os.fspath(path)`` for a str, bytes or os.PathLike; a TypeError of ours for anything else."""
    if isinstance(path, (str, bytes, os.PathLike)):
        try:
            return os.fspath(path)
        except TypeError:  # a PathLike whose __fspath__ returns something else
            pass
    raise TypeError(f"{who}: path must be a str, bytes or os.PathLike (a file name), got {type(path).__name__}")


def load_params(path: str | os.PathLike) -> Params:
    """Read parameters written by :func:`save_params`, with ``allow_pickle=False``, and validate them.

    Raises ValueError for a missing file, a directory, a file that is not an ``.npz`` archive (a plain
    ``.npy``, a pickle), a truncated or corrupted one (bad CRC, damaged directory), unexpected array names or
    counts, a ``sizes`` manifest that disagrees with the arrays, object arrays (pickles are never loaded),
    shapes that do not chain, a mixed dtype or non-finite values.
    """
    path = _fspath(path, "load_params")
    if not os.path.exists(path):
        raise ValueError(f"cannot load parameters: no file at {path!r}")
    if os.path.isdir(path):
        raise ValueError(f"cannot load parameters: {path!r} is a directory, not an .npz file")
    where = f"cannot load parameters from {path!r}"
    try:
        with open(path, "rb") as f:
            magic = f.read(6)
    except OSError as e:  # no permission, ...
        raise ValueError(f"{where}: {e.strerror or type(e).__name__}") from None
    if not magic:
        raise ValueError(f"{where}: truncated or corrupted file (it is empty)")
    if magic == b"\x93NUMPY":
        raise ValueError(f"{where}: not a valid .npz of arrays (a plain .npy file holds a single array, not an "
                         ".npz archive; it may hold a pickle: refused unread)")
    if not magic.startswith(b"PK"):
        raise ValueError(f"{where}: not a valid .npz of arrays (no zip header: a pickle, text or another format; "
                         "it may hold a pickle: refused unread)")
    try:
        # Our own open file: np.load leaves its file open when a truncated zip makes it raise (ResourceWarning).
        with open(path, "rb") as fh, np.load(fh, allow_pickle=False) as data:
            names = sorted(data.files)
            L = len([n for n in names if n != "sizes"]) // 2
            expected = sorted(f"{p}{l}" for l in range(1, L + 1) for p in "Wb")
            if L == 0 or sorted(n for n in names if n != "sizes") != expected:
                raise _Refused(f"it holds arrays {names}; expected W1, b1, ..., WL, bL and sizes")
            params = [(data[f"W{l}"], data[f"b{l}"]) for l in range(1, L + 1)]
            sizes = data["sizes"] if "sizes" in names else None
            # NumPy hands back the raw bytes of a member that is not an .npy array (e.g. its entry zeroed)
            loaded = [("sizes", sizes)] + [(f"{p}{l}", a) for l, pair in enumerate(params, 1)
                                           for p, a in zip("Wb", pair)]
            raw = [n for n, a in loaded if a is not None and not isinstance(a, np.ndarray)]
            if raw:
                raise _Refused(f"truncated or corrupted file ({', '.join(raw)} is not a stored array)")
    except _Refused as e:
        raise ValueError(f"{where}: {e}") from None
    except ValueError as e:  # NumPy's refusal of object arrays (pickles) lands here too
        raise ValueError(f"{where}: not a valid .npz of arrays ({e})") from None
    except Exception as e:  # zipfile and NumPy raise many kinds for damaged bytes: OSError, BadZipFile, ...
        why = e.strerror if isinstance(e, OSError) and e.strerror else e   # not "[Errno 22] ..."
        raise ValueError(f"{where}: truncated or corrupted file ({type(e).__name__}: {why})") from None
    try:
        params, _ = check_params(params)
    except (TypeError, ValueError) as e:
        raise ValueError(f"{where}: {e}") from None
    if sizes is None:
        raise ValueError(f"{where}: it has no 'sizes' manifest (save_params writes one; without it a damaged file "
                         "could pass for a smaller network)")
    if sizes.dtype.kind not in "iu" or sizes.shape != (L + 1,) or sizes.tolist() != sizes_of(params):
        raise ValueError(f"{where}: its sizes manifest {sizes.tolist()} does not match its arrays, which give "
                         f"{sizes_of(params)} (a damaged file?)")
    return params


class _Refused(Exception):
    """A file that opened but is not what save_params writes."""
