"""Fuzzing every public function with bad and odd input (the kit is ``fuzzing.py``): each call returns a
CORRECT result or raises a ValueError/TypeError of ours, never anything else, never a warning, never a changed
input. ``test_sweep_*`` tries every kind once per function; the ``@given`` tests draw random architectures,
dtypes, JAX x64 settings and pairs of kinds.
"""

from __future__ import annotations

import contextlib

import jax
import numpy as np
import pytest
from fuzzing import (
    CANDIDATES,
    F32,
    F64,
    INIT_ARGS,
    KINDS,
    NET_FUNCS,
    ONE_HOT_ARGS,
    PARAMS_KINDS,
    PATH_KINDS,
    REFUSE,
    SIGMOID_EXTRA,
    SIZES,
    SLOTS,
    SPEC,
    SPEC_KINDS,
    TRAIN_ARGS,
    _saved_bytes,
    apply,
    call_checked,
    canon_of,
    check_net_call,
    check_params_trial,
    corrupt_file_trial,
    data_trial,
    init_trial,
    net_trial,
    network,
    one_hot_trial,
    oracle_trial,
    parse_trial,
    save_load_trial,
    sigmoid_trial,
    sweep,
    train_arg_trial,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import autodiff
import compare
import manual

SWEEP_COUNTS = {   # distinct (argument, kind) pairs each function is tried with; see the report
    "manual.forward": 178, "manual.cost": 229, "manual.grad": 229, "manual.backprop": 229, "autodiff.forward": 178,
    "autodiff.cost": 229, "autodiff.grad": 229, "compare.reference": 229, "manual.train": 171,
    "autodiff.train": 171, "manual.accuracy": 127, "autodiff.accuracy": 127, "manual.sigmoid": 57,
    "manual.one_hot": 70, "manual.init_params": 37, "manual.check_params": 127, "manual.save_params": 38,
    "manual.load_params": 31, "compare.parse_case": 30,
}


def test_sweep_every_kind_on_every_function_is_correct_or_refused_in_our_words():
    """Every kind of bad or odd input, on every public function: a correct result (checked against a trusted
    path) or our ValueError/TypeError; no other exception, no warning, no changed input."""
    table = sweep()
    counts = {name: len(kinds) for name, kinds in table.items()}
    assert counts == SWEEP_COUNTS


@pytest.mark.parametrize("kind", list(CANDIDATES))
def test_oracle_api_survives_every_broken_candidate(kind, capfd):
    """check_grad / assert_grad_matches on a broken candidate: a failing Report (or an AssertionError), never
    an exception of the oracle's; a right one passes; nothing reaches the terminal; global state unchanged."""
    report = oracle_trial(kind, shrink=kind in ("twice", "sys-exit-0", "hangs"))
    out, err = capfd.readouterr()
    assert out == "" and err == "", (out[:200], err[:200])
    if kind in ("hangs", "swallows-timeout"):
        assert "took longer than 0.2 s" in report.first.message
    if kind == "right-but-prints":
        assert report.ok


def test_sigmoid_of_every_kind_is_sigma_or_refused():
    """sigma of anything real (ints and bools as float64, float dtypes kept, +-inf to 1 and 0, nan to nan),
    a TypeError of ours for anything else."""
    for j, kind in enumerate(list(KINDS) + list(SIGMOID_EXTRA)):
        for dtype in (F64, F32):
            sigmoid_trial(kind, dtype=dtype, index=j)


@pytest.mark.parametrize("spec", [None, 5, SPEC.encode(), ["sizes=1-1"]])
def test_parse_case_refuses_non_strings_in_our_words(spec):
    """parse_case(not a str): a TypeError of ours."""
    got = call_checked(compare.parse_case, (spec,))
    assert not got.ok and type(got.error) is TypeError


# ---- the same properties on random draws -------------------------------------------------------------------

x64_flags = st.sampled_from([None, False, True])


def _x64(flag):
    return contextlib.nullcontext() if flag is None else jax.enable_x64(flag)


@given(name=st.sampled_from(list(NET_FUNCS)), sizes=st.sampled_from(SIZES), dtype=st.sampled_from([F64, F32]),
       batch=st.booleans(), slot=st.sampled_from(SLOTS), kind=st.sampled_from(list(KINDS)),
       layer=st.integers(0, 5), index=st.integers(0, 50), seed=st.integers(0, 3), x64=x64_flags)
def test_network_functions_on_random_bad_input(name, sizes, dtype, batch, slot, kind, layer, index, seed, x64):
    """forward/cost/grad/backprop (both backends) and compare.reference with one piece of a random valid call
    replaced by a random kind: correct (vs the plain-array call and the other backend) or refused in our words,
    in the network's dtype whatever JAX's x64 flag."""
    batch = batch and NET_FUNCS[name][2]
    with _x64(x64):
        net_trial(name, slot, kind, sizes=sizes, dtype=dtype, batch=batch, layer=layer, index=index, seed=seed)


@given(name=st.sampled_from(list(NET_FUNCS)), sizes=st.sampled_from(SIZES), dtype=st.sampled_from([F64, F32]),
       kind=st.sampled_from(list(PARAMS_KINDS)), batch=st.booleans(), x64=x64_flags)
def test_network_functions_on_random_parameter_containers(name, sizes, dtype, kind, batch, x64):
    """The parameter list replaced as a whole (tuples, generators, dicts, missing or extra layers, ...)."""
    batch = batch and NET_FUNCS[name][2]
    with _x64(x64):
        net_trial(name, "params", kind, sizes=sizes, dtype=dtype, batch=batch)


@st.composite
def two_kinds(draw):
    a = draw(st.tuples(st.sampled_from(SLOTS), st.sampled_from(list(KINDS)), st.integers(0, 5)))
    b = draw(st.tuples(st.sampled_from(SLOTS), st.sampled_from(list(KINDS)), st.integers(0, 5)))
    return a, b


@given(name=st.sampled_from(["manual.grad", "autodiff.grad", "manual.cost", "autodiff.forward", "manual.backprop"]),
       sizes=st.sampled_from(SIZES), dtype=st.sampled_from([F64, F32]), batch=st.booleans(), kinds=two_kinds(),
       index=st.integers(0, 50))
def test_two_bad_pieces_at_once(name, sizes, dtype, batch, kinds, index):
    """Two pieces replaced at once (a strided W with a list x, a JAX b with int y, ...): correct or refused."""
    params, X, Y, _ = network(sizes, dtype)
    batch = batch and NET_FUNCS[name][2]
    x, y = (X, Y) if batch else (X[0].copy(), Y[0].copy())
    pieces = {"x": x, "y": y if NET_FUNCS[name][1] else None}
    canon = dict(pieces)
    new = [list(p) for p in params]
    cnew = [list(p) for p in params]
    refuse = False
    for slot, kind, layer in kinds:
        if slot in ("W", "b"):
            layer %= len(params)
            current = cnew[layer]["Wb".index(slot)]
            if type(current) is not np.ndarray or current.dtype not in (F64, F32):   # a 2nd kind: on a plain float
                continue
            value = apply(kind, cnew[layer]["Wb".index(slot)], index)
            c = canon_of(kind, cnew[layer]["Wb".index(slot)], value, slot, dtype)
            new[layer]["Wb".index(slot)] = value
            cnew[layer]["Wb".index(slot)] = c
        elif pieces[slot] is not None and type(canon[slot]) is np.ndarray and canon[slot].dtype in (F64, F32):
            value = apply(kind, canon[slot], index)
            c = canon_of(kind, canon[slot], value, slot, dtype)
            pieces[slot], canon[slot] = value, c
        else:
            continue
        refuse |= c is REFUSE
    new, cnew = [tuple(p) for p in new], [tuple(p) for p in cnew]
    if refuse:
        check_net_call(name, new, pieces["x"], pieces["y"], dtype=dtype, must_refuse=True)
    else:
        check_net_call(name, new, pieces["x"], pieces["y"], canon=(cnew, canon["x"], canon["y"]), dtype=dtype)


@given(name=st.sampled_from(["manual.train", "autodiff.train", "manual.accuracy", "autodiff.accuracy"]),
       dtype=st.sampled_from([F64, F32]), kind=st.sampled_from(list(KINDS)), which=st.integers(0, 1),
       index=st.integers(0, 50), seed=st.integers(0, 3))
def test_train_and_accuracy_on_random_bad_data(name, dtype, kind, which, index, seed):
    """train / accuracy with X, Y or labels replaced by a random kind: the plain-array result (and the other
    backend's) or the same refusal, in the same words, from both backends."""
    slot = (("X", "Y") if name.endswith("train") else ("X", "labels"))[which]
    data_trial(name, slot, kind, dtype=dtype, index=index, seed=seed)


@given(name=st.sampled_from(["manual.train", "autodiff.train"]), dtype=st.sampled_from([F64, F32]),
       arg_kind=st.sampled_from([(arg, kind) for arg, kinds in TRAIN_ARGS.items() for kind, _, _ in kinds]))
def test_train_on_random_bad_arguments(name, dtype, arg_kind):
    """train's eta, epochs, batch_size, seed and callback: accepted values train exactly like their plain
    equivalents (np.float32(0.5) like 0.5) in both backends alike; refused ones get the same words from both."""
    train_arg_trial(name, *arg_kind, dtype=dtype)


@given(eta=st.floats(1e-3, 1e308), scale=st.sampled_from([1.0, 1e100, 1e300]), dtype=st.sampled_from([F64, F32]),
       name=st.sampled_from(["manual.train", "autodiff.train"]))
def test_train_with_huge_steps_returns_finite_parameters_or_says_it_diverged(eta, scale, dtype, name):
    """A finite eta up to 1e308 and targets up to 1e300: finite parameters, or our ValueError "training
    diverged" (never inf/NaN parameters handed back, never an overflow warning)."""
    params, X, Y, _ = network((2, 3, 2), dtype)
    Y = (Y * min(scale, float(np.finfo(dtype).max) / 2)).astype(dtype)
    fn = (manual if name.startswith("manual") else autodiff).train
    got = call_checked(fn, (params, X, Y), dict(eta=eta, epochs=2, batch_size=2))
    if got.ok:
        assert all(np.isfinite(a).all() and a.dtype == dtype for pair in got.value for a in pair)
    else:
        assert "training diverged" in str(got.error) or f"beyond {dtype}'s range" in str(got.error)


@given(slot=st.sampled_from(["params", "W", "b"]), data=st.data(), dtype=st.sampled_from([F64, F32]),
       index=st.integers(0, 50), layer=st.integers(0, 3))
def test_check_params_on_random_bad_input(slot, data, dtype, index, layer):
    """check_params: the plain arrays and the dtype (a valid plain ndarray returned as is), or our refusal."""
    kind = data.draw(st.sampled_from(list(PARAMS_KINDS) if slot == "params" else list(KINDS)))
    check_params_trial(slot, kind, dtype=dtype, index=index, layer=layer)


@given(kind=st.sampled_from(list(KINDS) + list(SIGMOID_EXTRA)), dtype=st.sampled_from([F64, F32]),
       index=st.integers(0, 50), shape=st.sampled_from([(2, 3), (4,), (), (0,), (1, 1, 2)]))
def test_sigmoid_on_random_input(kind, dtype, index, shape):
    """sigmoid: sigma to a few ulps of the exact value in the input's float dtype (float64 for ints), or ours."""
    sigmoid_trial(kind, dtype=dtype, index=index, shape=shape)


@given(z=st.one_of(st.floats(allow_nan=True, allow_infinity=True, width=64),
                   st.lists(st.floats(width=32), max_size=5)))
def test_sigmoid_on_any_float(z):
    """sigma(any float64 or float32 list): within a few ulps of 1/(1 + e^-z), in [0, 1], no warning."""
    got = call_checked(manual.sigmoid, (z,))
    assert got.ok
    zz = np.asarray(z, F64)
    if zz.size and np.isfinite(zz).all():
        with np.errstate(over="ignore"):
            want = 1 / (1 + np.exp(-zz.astype(np.longdouble)))
        assert np.all(np.abs(got.value - want) <= 4 * np.finfo(F64).eps)
        assert np.all((got.value >= 0) & (got.value <= 1))


@given(slot=st.sampled_from(["labels", "n", "dtype"]), data=st.data(), index=st.integers(0, 50))
def test_one_hot_on_random_bad_input(slot, data, index):
    """one_hot: rows of the identity in float32/float64, or our refusal (never NumPy's dtype errors)."""
    kinds = list(KINDS) if slot == "labels" else [k for k, _ in ONE_HOT_ARGS[slot]]
    one_hot_trial(slot, data.draw(st.sampled_from(kinds)), index=index)


@given(labels=st.lists(st.integers(-2**70, 2**70), max_size=5), n=st.integers(-3, 2**65))
def test_one_hot_on_random_integers(labels, n):
    """one_hot(any integers, any n): the right rows, or our ValueError/TypeError (huge n: too large to allocate)."""
    one_hot_trial_raw = call_checked(manual.one_hot, (labels, n))
    if one_hot_trial_raw.ok:
        assert one_hot_trial_raw.value.shape == (len(labels), n)


@given(slot=st.sampled_from(list(INIT_ARGS)), data=st.data())
def test_init_params_on_random_bad_input(slot, data):
    """init_params: the right shapes and dtype, finite, or our refusal (huge sizes: too large to allocate)."""
    init_trial(slot, data.draw(st.sampled_from([k for k, _ in INIT_ARGS[slot]])))


@given(sizes=st.lists(st.one_of(st.integers(-2, 4), st.floats(0, 3), st.booleans(), st.none(), st.text(max_size=2)),
                      max_size=4),
       seed=st.one_of(st.none(), st.integers(-5, 2**70), st.floats()))
def test_init_params_on_random_sizes_and_seeds(sizes, seed):
    """init_params(random lists of junk, random seeds): parameters for those sizes, or our refusal."""
    got = call_checked(manual.init_params, (sizes,), {"seed": seed})
    if got.ok:
        assert [W.shape for W, _ in got.value] == [(n, k) for k, n in zip(sizes, sizes[1:])]


@given(kind=st.sampled_from(list(PATH_KINDS)), params_kind=st.sampled_from([None] + list(PARAMS_KINDS)),
       dtype=st.sampled_from([F64, F32]))
def test_save_and_load_params_on_random_paths_and_params(kind, params_kind, dtype):
    """save_params then load_params: the same arrays back, or our refusal (an int path is never a descriptor)."""
    save_load_trial(kind, dtype=dtype, params_kind=params_kind)


@given(data=st.data(), dtype=st.sampled_from([F64, F32]))
def test_load_params_on_randomly_damaged_files(data, dtype):
    """A saved file with random bytes changed, cut or appended: the saved arrays bit for bit, or our
    ValueError (a damaged file never loads as different numbers)."""
    good = _saved_bytes(dtype)
    buf = bytearray(good)
    how = data.draw(st.sampled_from(["flip", "cut", "append", "zero-run"]))
    i = data.draw(st.integers(0, len(buf) - 1))
    if how == "flip":
        buf[i] ^= 1 << data.draw(st.integers(0, 7))
    elif how == "cut":
        buf = buf[:i]
    elif how == "append":
        buf += data.draw(st.binary(min_size=1, max_size=64))
    else:
        buf[i:i + 16] = bytes(len(buf[i:i + 16]))
    got = corrupt_file_trial(bytes(buf))
    if got.ok:
        params, *_ = network((2, 3, 2), dtype)
        assert all(a.dtype == c.dtype and a.tobytes() == c.tobytes()
                   for pa, pc in zip(got.value, params) for a, c in zip(pa, pc)) and len(got.value) == len(params)
    else:
        assert type(got.error) is ValueError


@given(kind=st.sampled_from(list(CANDIDATES)), seed=st.integers(0, 10**6))
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_oracle_api_on_random_broken_candidates(kind, seed, capfd):
    """check_grad and assert_grad_matches on random cases and broken candidates: a Report, ok exactly when
    the candidate is right, nothing printed to the terminal, NumPy's error state as it was."""
    if kind in ("hangs", "swallows-timeout"):
        kind = "twice"   # the time limit has its own test; waiting here would only slow the draw down
    oracle_trial(kind, n_cases=2, seed=seed)
    out, err = capfd.readouterr()
    assert out == "" and err == ""


@given(params_kind=st.sampled_from(list(PARAMS_KINDS)), kind=st.sampled_from(list(KINDS)),
       slot=st.sampled_from(["W", "x", "y"]), dtype=st.sampled_from([F64, F32]), batch=st.booleans())
def test_reference_on_random_bad_input(params_kind, kind, slot, dtype, batch):
    """compare.reference: jax.grad with its tolerances (agreeing with autodiff.grad) or our refusal."""
    net_trial("compare.reference", slot, kind, dtype=dtype, batch=batch)
    net_trial("compare.reference", "params", params_kind, dtype=dtype, batch=batch)


@given(spec=st.one_of(st.sampled_from(list(SPEC_KINDS.values())), st.text(max_size=80),
                      st.builds(lambda parts: " ".join(parts), st.lists(st.sampled_from(
                          ["sizes=3-1-2", "sizes=1", "sizes=2-2", "batch=0", "batch=4", "batch=x", "scale=1",
                           "scale=-1", "scale=1e-300", "dtype=float32", "dtype=int8", "seed=0", "seed=1e3",
                           "seed=9" * 30, "x=y", "=", "sizes=", "sizes=64-64"]), max_size=7))))
def test_parse_case_on_random_text(spec):
    """parse_case(any text): a Case that round-trips through its spec(), or our ValueError (TypeError for
    something that is not a str)."""
    got = parse_trial(spec)
    assert got.ok or type(got.error) is (ValueError if isinstance(spec, str) else TypeError)
