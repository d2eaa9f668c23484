"""save_params / load_params: bit-exact round trips, the file name used as given, and a specific ValueError
for every kind of bad file -- with pickles never executed."""

from __future__ import annotations

import io
import os
import pickle
import re
import struct
import zipfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import manual

ARCHS = [[1, 1], [2, 3, 1], [4, 5, 6, 3], [3, 1, 7]]


def same_bits(a, b):
    return (type(a) is type(b) is np.ndarray and a.dtype == b.dtype and a.shape == b.shape
            and a.tobytes() == b.tobytes())


def assert_params_bit_equal(got, want):
    assert isinstance(got, list) and len(got) == len(want)
    for pair, (W, b) in zip(got, want):
        gW, gb = pair
        assert same_bits(gW, np.asarray(W)) and same_bits(gb, np.asarray(b))


def write_npz(path, **arrays):
    """An .npz written by NumPy itself (not by save_params), under exactly ``path``."""
    with open(path, "wb") as f:
        np.savez(f, **arrays)
    return path


def load_error(path, match):
    """load_params(path) raises a ValueError of ours matching ``match``; returns its message."""
    with pytest.raises(ValueError) as excinfo:
        manual.load_params(path)
    assert excinfo.type is ValueError, f"{excinfo.type.__name__}: {excinfo.value}"
    msg = str(excinfo.value)
    assert msg.startswith("cannot load parameters"), msg
    assert re.search(match, msg), f"{msg!r} does not match {match!r}"
    assert "Traceback" not in msg
    return msg


# ---- round trips -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("sizes", ARCHS, ids=lambda s: "-".join(map(str, s)))
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_round_trip_bit_exact(tmp_path, sizes, dtype):
    params = manual.init_params(sizes, seed=11, dtype=dtype)
    path = tmp_path / "net.npz"
    manual.save_params(path, params)
    loaded = manual.load_params(path)
    assert_params_bit_equal(loaded, params)
    assert manual.sizes_of(loaded) == sizes
    # the loaded network computes exactly what the saved one did
    x = np.linspace(-1, 1, sizes[0]).astype(dtype)
    assert same_bits(manual.forward(loaded, x), manual.forward(params, x))


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_round_trip_special_values_bit_exact(tmp_path, dtype):
    """-0.0, subnormals, the largest and smallest finite values all survive with their exact bits."""
    fi = np.finfo(dtype)
    W = np.array([[-0.0, fi.smallest_subnormal, -fi.smallest_subnormal],
                  [fi.max, -fi.max, fi.tiny],
                  [1 / 3, np.nextafter(dtype(1), dtype(2)), -np.nextafter(dtype(0), dtype(1))]], dtype=dtype)
    b = np.array([-0.0, fi.eps, -fi.max], dtype=dtype)
    params = [(W, b), (np.ones((1, 3), dtype), np.array([-0.0], dtype))]
    manual.save_params(tmp_path / "special", params)
    loaded = manual.load_params(tmp_path / "special")
    assert_params_bit_equal(loaded, params)
    assert np.signbit(loaded[0][0][0, 0]) and np.signbit(loaded[1][1][0])


@given(sizes=st.lists(st.integers(1, 4), min_size=2, max_size=5), dtype=st.sampled_from([np.float32, np.float64]),
       seed=st.integers(0, 2 ** 32 - 1))
def test_round_trip_random_architectures(tmp_path_factory, sizes, dtype, seed):
    path = tmp_path_factory.mktemp("rt") / "p"
    params = manual.init_params(sizes, seed=seed, dtype=dtype)
    manual.save_params(path, params)
    assert_params_bit_equal(manual.load_params(path), params)


def test_round_trip_accepts_tuples_lists_and_readonly(tmp_path):
    params = manual.init_params([3, 2, 2], seed=0)
    ro = []
    for W, b in params:
        W, b = W.copy(), b.copy()
        W.flags.writeable = b.flags.writeable = False
        ro.append([W, b])
    manual.save_params(tmp_path / "a", tuple(ro))
    assert_params_bit_equal(manual.load_params(tmp_path / "a"), params)


def test_save_does_not_modify_params(tmp_path):
    params = manual.init_params([3, 2, 2], seed=0)
    before = [(W.copy(), b.copy()) for W, b in params]
    manual.save_params(tmp_path / "a", params)
    assert_params_bit_equal(params, before)


def test_loaded_params_are_independent_writeable_arrays(tmp_path):
    params = manual.init_params([2, 2], seed=0)
    manual.save_params(tmp_path / "a", params)
    loaded = manual.load_params(tmp_path / "a")
    loaded[0][0][...] = 0.0  # the caller may update them in place (training)
    assert_params_bit_equal(manual.load_params(tmp_path / "a"), params)


def test_file_written_is_a_plain_npz_of_named_arrays(tmp_path):
    params = manual.init_params([3, 2, 1], seed=0)
    manual.save_params(tmp_path / "p", params)
    with zipfile.ZipFile(tmp_path / "p") as z:
        assert sorted(z.namelist()) == ["W1.npy", "W2.npy", "b1.npy", "b2.npy", "sizes.npy"]
    with np.load(tmp_path / "p", allow_pickle=False) as data:
        assert same_bits(data["W2"], params[1][0]) and same_bits(data["b1"], params[0][1])


# ---- the file name is used as given -------------------------------------------------------------------


@pytest.mark.parametrize("name", ["weights", "weights.bin", "weights.npy", "weights.npz", "w.v2.params", "dir x/ü w"])
@pytest.mark.parametrize("as_path", [True, False], ids=["Path", "str"])
def test_file_name_used_as_is(tmp_path, name, as_path):
    target = tmp_path / name
    target.parent.mkdir(exist_ok=True)
    params = manual.init_params([2, 3, 1], seed=5)
    manual.save_params(target if as_path else str(target), params)
    assert target.is_file()
    if not name.endswith(".npz"):
        assert not Path(str(target) + ".npz").exists()
    assert sorted(p.name for p in target.parent.iterdir()) == [target.name]
    assert_params_bit_equal(manual.load_params(target if as_path else str(target)), params)


def test_save_overwrites_an_existing_file(tmp_path):
    path = tmp_path / "p"
    manual.save_params(path, manual.init_params([4, 4, 4], seed=0))
    small = manual.init_params([1, 1], seed=1)
    manual.save_params(path, small)
    assert_params_bit_equal(manual.load_params(path), small)


# ---- save_params refuses invalid params -------------------------------------------------------------------


def _ok():
    return manual.init_params([2, 3, 1], seed=0)


BAD_SAVE = [
    ("empty", lambda: [], ValueError, r"params is empty"),
    ("dict", lambda: {"W1": np.zeros((1, 1))}, TypeError, r"params must be a list"),
    ("not-chaining", lambda: [_ok()[0], (np.zeros((1, 2)), np.zeros(1))], ValueError, r"layer 2.*do not chain"),
    ("bias-column", lambda: [(np.zeros((3, 2)), np.zeros((3, 1)))], ValueError, r"layer 1: b has shape \(3, 1\)"),
    ("nan", lambda: [(np.full((1, 1), np.nan), np.zeros(1))], ValueError, r"layer 1: W contains nan.*finite"),
    ("inf-b", lambda: [(np.zeros((1, 1)), np.array([np.inf]))], ValueError, r"layer 1: b contains inf"),
    ("mixed", lambda: [_ok()[0], (np.zeros((1, 3), np.float32), np.zeros(1, np.float32))], TypeError,
     r"layer 2: W is float32 but layer 1's W is float64"),
    ("int", lambda: [(np.zeros((1, 1), int), np.zeros(1, int))], TypeError, r"layer 1: W has dtype int64"),
    ("object", lambda: [(np.zeros((1, 1), object), np.zeros(1))], TypeError, r"layer 1: W has dtype object"),
    ("pair-of-3", lambda: [(np.zeros((1, 1)), np.zeros(1), np.zeros(1))], TypeError, r"layer 1: expected a pair"),
    ("W-1d", lambda: [(np.zeros(2), np.zeros(2))], ValueError, r"layer 1: W must be 2-D"),
]


@pytest.mark.parametrize("build, exc, match", [pytest.param(*c[1:], id=c[0]) for c in BAD_SAVE])
def test_save_refuses_invalid_params_and_writes_nothing(tmp_path, build, exc, match):
    params = build()
    with pytest.raises(exc, match=match):
        manual.save_params(tmp_path / "new", params)
    assert not (tmp_path / "new").exists()
    # an existing file is left as it was
    (tmp_path / "old").write_bytes(b"keep me")
    with pytest.raises(exc, match=match):
        manual.save_params(tmp_path / "old", params)
    assert (tmp_path / "old").read_bytes() == b"keep me"


# ---- load refuses bad files ---------------------------------------------------------------------------------


def test_load_missing_file(tmp_path):
    msg = load_error(tmp_path / "nothing_here.npz", r"no file at")
    assert "nothing_here.npz" in msg


def test_load_does_not_append_npz(tmp_path):
    manual.save_params(tmp_path / "p.npz", _ok())
    load_error(tmp_path / "p", r"no file at")


def test_load_directory(tmp_path):
    (tmp_path / "d.npz").mkdir()
    load_error(tmp_path / "d.npz", r"is a directory, not an \.npz file")


def test_load_empty_file(tmp_path):
    (tmp_path / "e").write_bytes(b"")
    load_error(tmp_path / "e", r"cannot load parameters from .*: (truncated or corrupted|not a valid)")


def test_load_text_file(tmp_path):
    (tmp_path / "t").write_text("W1 = [[1.0]]\nb1 = [0.0]\n")
    load_error(tmp_path / "t", r"not a valid \.npz of arrays")


class Marker:
    """Unpickling this creates the file ``path`` (it calls open(path, "w")): proof that a pickle ran."""

    def __init__(self, path):
        self.path = str(path)

    def __reduce__(self):
        return (open, (self.path, "w"))


def test_marker_pickle_really_executes_when_unpickled(tmp_path):
    """Control: the crafted pickle does run code when something unpickles it, so the tests below mean something."""
    marker = tmp_path / "control_marker"
    data = pickle.dumps([np.zeros((1, 1)), Marker(marker)])
    assert not marker.exists()
    f = pickle.loads(data)[1]
    f.close()
    assert marker.exists()


def test_load_pickle_of_arrays(tmp_path):
    path = tmp_path / "p.pkl"
    with open(path, "wb") as f:
        pickle.dump([np.zeros((2, 2)), np.zeros(2)], f)
    load_error(path, r"not a valid \.npz of arrays.*pickle")


def test_load_pickle_list_of_pairs(tmp_path):
    path = tmp_path / "p.npz"  # the extension does not make it an npz
    with open(path, "wb") as f:
        pickle.dump(_ok(), f)
    load_error(path, r"not a valid \.npz of arrays")


def test_load_malicious_pickle_is_not_executed(tmp_path):
    marker = tmp_path / "pwned"
    path = tmp_path / "evil.npz"
    with open(path, "wb") as f:
        pickle.dump([np.zeros((1, 1)), Marker(marker)], f)
    load_error(path, r"not a valid \.npz of arrays")
    assert not marker.exists()


def test_load_npy_object_array(tmp_path):
    path = tmp_path / "obj.npy"
    obj = np.empty(2, dtype=object)
    obj[0], obj[1] = np.zeros((2, 2)), np.zeros(2)
    np.save(path, obj, allow_pickle=True)
    load_error(path, r"not a valid \.npz of arrays.*(pickle|Object arrays)")


def test_load_malicious_npy_object_array_is_not_executed(tmp_path):
    marker = tmp_path / "pwned_npy"
    path = tmp_path / "evil.npy"
    obj = np.empty(1, dtype=object)
    obj[0] = Marker(marker)
    np.save(path, obj, allow_pickle=True)
    load_error(path, r"not a valid \.npz of arrays")
    assert not marker.exists()


def test_load_malicious_npz_member_is_not_executed(tmp_path):
    """An npz whose names are right but whose W1 is an object array holding the marker pickle."""
    marker = tmp_path / "pwned_npz"
    W1 = np.empty((1, 1), dtype=object)
    W1[0, 0] = Marker(marker)
    path = write_npz(tmp_path / "evil", W1=W1, b1=np.zeros(1))
    load_error(path, r"not a valid \.npz of arrays.*(pickle|Object arrays)")
    assert not marker.exists()


def test_load_truncated_npz(tmp_path):
    path = tmp_path / "p"
    manual.save_params(path, manual.init_params([4, 5, 3], seed=0))
    raw = path.read_bytes()
    path.write_bytes(raw[: len(raw) // 2])
    load_error(path, r"truncated or corrupted")


def test_load_truncated_at_every_length(tmp_path):
    """Cutting a saved file at any byte gives our ValueError, never another exception or a silent load."""
    path, cut = tmp_path / "p", tmp_path / "cut"
    manual.save_params(path, manual.init_params([2, 2, 1], seed=0))
    raw = path.read_bytes()
    for n in range(len(raw)):
        cut.write_bytes(raw[:n])
        load_error(cut, r"cannot load parameters from")


def test_load_corrupted_npz(tmp_path):
    path = tmp_path / "p"
    manual.save_params(path, manual.init_params([4, 5, 3], seed=0))
    raw = bytearray(path.read_bytes())
    mid = len(raw) // 2
    for i in range(mid - 8, mid + 8):  # flip 16 bytes in the middle (array data: the CRC no longer matches)
        raw[i] ^= 0xFF
    path.write_bytes(bytes(raw))
    load_error(path, r"truncated or corrupted")


def _central_directory_offset(raw: bytes) -> int:
    """Offset of the first central-directory header of a zip archive (signature PK\\x01\\x02)."""
    off = raw.find(b"PK\x01\x02")
    assert off > 0
    return off


@pytest.mark.parametrize("field, mask", [(10, 0xFF), (8, 0x01), (8, 0xFF), (6, 0xFF)],
                         ids=["compression-method", "encrypted-flag", "flags", "version-needed"])
def test_load_corrupted_central_directory(tmp_path, field, mask):
    path = tmp_path / "p"
    manual.save_params(path, manual.init_params([3, 2, 1], seed=0))
    raw = bytearray(path.read_bytes())
    raw[_central_directory_offset(raw) + field] ^= mask
    path.write_bytes(bytes(raw))
    load_error(path, r"truncated or corrupted")


def test_load_corrupted_entry_count_is_not_a_smaller_network(tmp_path):
    path = tmp_path / "p"
    manual.save_params(path, manual.init_params([3, 2, 1], seed=0))
    raw = bytearray(path.read_bytes())
    second = raw.find(b"PK\x01\x02", _central_directory_offset(raw) + 4)
    raw[second + 33] ^= 0x01  # high byte of that entry's comment length: 0 -> 256
    path.write_bytes(bytes(raw))
    with pytest.raises(ValueError, match=r"cannot load parameters"):
        got = manual.load_params(path)
        print("loaded sizes", manual.sizes_of(got))  # currently [3, 2], the file held [3, 2, 1]


def test_load_any_single_byte_flip_is_refused_or_harmless(tmp_path):
    """Flipping any one byte of a saved file either still loads the same parameters (bytes the zip format does
    not check, like timestamps) or raises our ValueError."""
    path, bad = tmp_path / "p", tmp_path / "bad"
    params = manual.init_params([3, 2, 1], seed=0)
    manual.save_params(path, params)
    raw = path.read_bytes()
    problems = []
    for i in range(len(raw)):
        flipped = bytearray(raw)
        flipped[i] ^= 0xFF
        bad.write_bytes(bytes(flipped))
        try:
            loaded = manual.load_params(bad)
        except ValueError as e:
            if not str(e).startswith("cannot load parameters"):
                problems.append((i, "ValueError", str(e)))
            continue
        except Exception as e:  # noqa: BLE001 -- collecting what leaks
            problems.append((i, type(e).__name__, str(e)))
            continue
        if manual.sizes_of(loaded) != [3, 2, 1] or not all(
                same_bits(a, b) for pl, pp in zip(loaded, params) for a, b in zip(pl, pp)):
            problems.append((i, "silently loaded", manual.sizes_of(loaded)))
    assert problems == []


def test_load_only_W1(tmp_path):
    path = write_npz(tmp_path / "w", W1=np.zeros((2, 2)))
    load_error(path, r"holds arrays \['W1'\]; expected W1, b1, \.\.\., WL, bL")


def test_load_odd_number_of_arrays(tmp_path):
    path = write_npz(tmp_path / "w", W1=np.zeros((2, 2)), b1=np.zeros(2), W2=np.zeros((1, 2)))
    load_error(path, r"holds arrays \['W1', 'W2', 'b1'\]; expected W1, b1")


@pytest.mark.parametrize("names", [("a", "b"), ("W1", "b2"), ("W0", "b0"), ("w1", "b1"), ("W1", "B1"),
                                   ("arr_0", "arr_1"), ("W2", "b2")])
def test_load_wrong_names(tmp_path, names):
    path = write_npz(tmp_path / "w", **{names[0]: np.zeros((2, 2)), names[1]: np.zeros(2)})
    load_error(path, r"holds arrays \[.*'" + re.escape(names[0]) + r"'.*\]; expected W1, b1, \.\.\., WL, bL")


def test_load_positional_arrays(tmp_path):
    """np.savez(f, W, b) names them arr_0, arr_1: refused, not guessed."""
    with open(tmp_path / "w", "wb") as f:
        np.savez(f, np.zeros((2, 2)), np.zeros(2))
    load_error(tmp_path / "w", r"holds arrays \['arr_0', 'arr_1'\]")


def test_load_shapes_do_not_chain(tmp_path):
    path = write_npz(tmp_path / "w", W1=np.zeros((3, 2)), b1=np.zeros(3), W2=np.zeros((1, 4)), b2=np.zeros(1))
    load_error(path, r"layer 2: W has shape \(1, 4\) but layer 1 has 3 neurons.*do not chain")


def test_load_bias_wrong_shape(tmp_path):
    path = write_npz(tmp_path / "w", W1=np.zeros((3, 2)), b1=np.zeros((3, 1)))
    load_error(path, r"layer 1: b has shape \(3, 1\), expected \(3,\)")


@pytest.mark.parametrize("where, value", [("W1", np.nan), ("b1", np.inf), ("W2", -np.inf), ("b2", np.nan)])
def test_load_non_finite(tmp_path, where, value):
    arrays = dict(W1=np.zeros((3, 2)), b1=np.zeros(3), W2=np.zeros((1, 3)), b2=np.zeros(1))
    arrays[where].flat[-1] = value
    path = write_npz(tmp_path / "w", **arrays)
    layer, name = where[1], where[0]
    load_error(path, rf"layer {layer}: {name} contains {re.escape(str(value))} at index .*every value must be finite")


def test_load_mixed_dtypes(tmp_path):
    path = write_npz(tmp_path / "w", W1=np.zeros((3, 2)), b1=np.zeros(3, np.float32))
    load_error(path, r"layer 1: b is float32 but layer 1's W is float64")
    path = write_npz(tmp_path / "v", W1=np.zeros((3, 2), np.float32), b1=np.zeros(3, np.float32),
                     W2=np.zeros((1, 3)), b2=np.zeros(1))
    load_error(path, r"layer 2: W is float64 but layer 1's W is float32")


@pytest.mark.parametrize("dtype, what", [(np.int64, "int64"), (np.bool_, "bool"), (np.complex128, "complex"),
                                         (np.float16, "float16"), ("U3", "string")])
def test_load_wrong_dtype(tmp_path, dtype, what):
    path = write_npz(tmp_path / "w", W1=np.zeros((1, 1), dtype), b1=np.zeros(1, dtype))
    load_error(path, rf"layer 1: W has dtype .*{what}")


def test_load_zero_width_layer(tmp_path):
    path = write_npz(tmp_path / "w", W1=np.zeros((0, 2)), b1=np.zeros(0))
    load_error(path, r"layer 1: W has shape \(0, 2\); a layer needs at least one neuron")


@pytest.mark.parametrize("suffix", [".npy", ""])
def test_load_plain_npy(tmp_path, suffix):
    path = tmp_path / ("single" + suffix)
    with open(path, "wb") as f:
        np.save(f, np.zeros((2, 2)))
    load_error(path, r"holds a single array, not an \.npz archive")


def test_load_empty_npz(tmp_path):
    path = write_npz(tmp_path / "empty")
    load_error(path, r"holds arrays \[\]; expected W1, b1")


def test_load_zip_that_is_not_an_npz(tmp_path):
    path = tmp_path / "z"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("W1.npy", b"not an npy file at all")
        z.writestr("b1.npy", b"\x93NUMPY garbage")
    load_error(path, r"cannot load parameters from .*(not a valid|truncated or corrupted)")


def test_load_npy_member_with_bad_header(tmp_path):
    """A zip with the right names whose members claim a shape larger than their data."""
    buf = io.BytesIO()
    np.save(buf, np.zeros((2, 2)))
    raw = buf.getvalue().replace(b"(2, 2)", b"(9, 9)")
    path = tmp_path / "z"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("W1.npy", raw)
        b = io.BytesIO()
        np.save(b, np.zeros(2))
        z.writestr("b1.npy", b.getvalue())
    load_error(path, r"cannot load parameters from .*(not a valid|truncated or corrupted)")


def test_load_refusals_leave_no_open_files(tmp_path):
    """Failed loads close what they opened (the suite runs with ResourceWarning visible under -W error)."""
    path = write_npz(tmp_path / "w", a=np.zeros(1), b=np.zeros(1))
    fds_before = len(os.listdir("/proc/self/fd")) if os.path.isdir("/proc/self/fd") else None
    for _ in range(20):
        load_error(path, r"holds arrays")
    if fds_before is not None:
        assert len(os.listdir("/proc/self/fd")) <= fds_before


def test_struct_sanity_of_saved_zip(tmp_path):
    """The local header of a saved file is an ordinary stored (uncompressed) zip entry: what the corruption
    tests above assume about the layout."""
    manual.save_params(tmp_path / "p", _ok())
    raw = (tmp_path / "p").read_bytes()
    sig, _version, _flags, method = struct.unpack("<IHHH", raw[:10])
    assert sig == 0x04034B50 and method in (0, 8)
