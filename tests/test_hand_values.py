"""Networks small enough to differentiate on paper, checked against every backend to rel 1e-12.

Every expected number is derived in the comments from the seed's equations, and computed here with
``math.exp`` on Python floats, step by step -- never with the code under test:

    z^l = W^l a^{l-1} + b^l,     a^l = sigma(z^l),     sigma(z) = 1 / (1 + e^{-z}),
    C = (1/n_L) sum_j 1/2 (a_j^L - y_j)^2            (a batch: the mean of C over its examples),
    delta^L = (1/n_L) (a^L - y) ⊙ sigma'(z^L),       sigma'(z) = sigma(z)(1 - sigma(z)) = a (1 - a),
    delta^l = (W^{l+1})^T delta^{l+1} ⊙ sigma'(z^l),
    grad W^l = delta^l (a^{l-1})^T  (grad w_jk = delta_j a_k^{l-1}),   grad b^l = delta^l.

The inputs are chosen so that every z is 0 (sigma = 1/2, sigma' = 1/4) or ln 3 (sigma = 3/4, sigma' = 3/16),
which makes the paper derivation exact fractions; the tests check both the fractions and the math.exp values.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autodiff
import manual

REL = 1e-12
LN3 = math.log(3.0)


def sig(z: float) -> float:
    """sigma(z) = 1 / (1 + e^{-z}) on a Python float (only used for moderate z)."""
    return 1.0 / (1.0 + math.exp(-z))


def approx(v):
    return pytest.approx(v, rel=REL, abs=0.0)


def arr(v):
    return np.array(v, dtype=np.float64)


GRADS = [
    pytest.param(manual.grad, id="manual.grad"),
    pytest.param(manual.backprop, id="manual.backprop"),
    pytest.param(autodiff.grad, id="autodiff.grad"),
]
BATCH_GRADS = [pytest.param(manual.grad, id="manual.grad"), pytest.param(autodiff.grad, id="autodiff.grad")]
COSTS = [pytest.param(manual.cost, id="manual.cost"), pytest.param(autodiff.cost, id="autodiff.cost")]
FORWARDS = [pytest.param(manual.forward, id="manual.forward"), pytest.param(autodiff.forward, id="autodiff.forward")]


def assert_grads(got, expected):
    """``got`` in the parameter format equals the nested lists ``expected`` to rel 1e-12, with float64 arrays."""
    assert len(got) == len(expected)
    for (gW, gb), (eW, eb) in zip(got, expected):
        assert isinstance(gW, np.ndarray) and isinstance(gb, np.ndarray)
        assert gW.dtype == np.float64 and gb.dtype == np.float64
        assert gW.shape == np.shape(eW) and gb.shape == np.shape(eb)
        assert gW.ravel().tolist() == approx(np.ravel(eW).tolist())
        assert gb.ravel().tolist() == approx(np.ravel(eb).tolist())


# ---- 1-1 network, z = 0 ----------------------------------------------------------------------------------
# w = 2, b = -1, x = 0.5, y = 1.
#   z = w x + b = 2(0.5) - 1 = 0            a = sigma(0) = 1/2             sigma'(0) = a(1 - a) = 1/4
#   C = (1/1) 1/2 (a - y)^2 = 1/2 (-1/2)^2 = 1/8
#   delta = (1/n_L)(a - y) sigma'(z) = (1)(-1/2)(1/4) = -1/8
#   grad w = delta x = (-1/8)(1/2) = -1/16            grad b = delta = -1/8
ONE_A = ([(arr([[2.0]]), arr([-1.0]))], arr([0.5]), arr([1.0]))


def one_a_expected():
    w, b, x, y = 2.0, -1.0, 0.5, 1.0
    z = w * x + b                    # 0
    a = sig(z)                       # 1/2
    C = 0.5 * (a - y) ** 2 / 1       # 1/8
    delta = (a - y) * a * (1 - a) / 1  # -1/8
    assert (z, a, C, delta) == (0.0, 0.5, 1 / 8, -1 / 8)  # the paper values are exact here
    return a, C, [([[delta * x]], [delta])]


# ---- 1-1 network, z = ln 3 -------------------------------------------------------------------------------
# w = 0.5, b = ln 3 - 1, x = 2, y = 0.
#   z = 0.5(2) + ln 3 - 1 = ln 3            a = 1/(1 + 1/3) = 3/4           sigma' = (3/4)(1/4) = 3/16
#   C = 1/2 (3/4 - 0)^2 = 9/32
#   delta = (3/4)(3/16) = 9/64
#   grad w = delta x = 9/32                  grad b = 9/64
ONE_B = ([(arr([[0.5]]), arr([LN3 - 1.0]))], arr([2.0]), arr([0.0]))


def one_b_expected():
    w, b, x, y = 0.5, LN3 - 1.0, 2.0, 0.0
    z = w * x + b                    # ln 3
    a = sig(z)                       # 3/4
    C = 0.5 * (a - y) ** 2           # 9/32
    delta = (a - y) * a * (1 - a)    # 9/64
    assert [a, C, delta, delta * x] == approx([3 / 4, 9 / 32, 9 / 64, 9 / 32])
    return a, C, [([[delta * x]], [delta])]


ONE_NETS = [pytest.param(ONE_A, one_a_expected, id="1-1,z=0"), pytest.param(ONE_B, one_b_expected, id="1-1,z=ln3")]


@pytest.mark.parametrize("f", FORWARDS)
@pytest.mark.parametrize("net, expected", ONE_NETS)
def test_one_one_forward(f, net, expected):
    params, x, _ = net
    a, _, _ = expected()
    out = f(params, x)
    assert out.shape == (1,) and out.dtype == np.float64
    assert out.tolist() == approx([a])


@pytest.mark.parametrize("f", COSTS)
@pytest.mark.parametrize("net, expected", ONE_NETS)
def test_one_one_cost(f, net, expected):
    params, x, y = net
    _, C, _ = expected()
    c = f(params, x, y)
    assert isinstance(c, np.float64)
    assert float(c) == approx(C)


@pytest.mark.parametrize("f", GRADS)
@pytest.mark.parametrize("net, expected", ONE_NETS)
def test_one_one_grad(f, net, expected):
    params, x, y = net
    _, _, g = expected()
    assert_grads(f(params, x, y), g)


# ---- 2-2-1 network, exact ----------------------------------------------------------------------------------
# x = (1, 2), W^1 = [[0.5, -0.25], [0, 0.5]], b^1 = (0, ln 3 - 1), W^2 = [[2, -4]], b^2 = (2), y = (1/4).
# Forward:
#   z^1 = W^1 x + b^1 = (0.5 - 0.5 + 0, 0 + 1 + ln 3 - 1) = (0, ln 3)
#   a^1 = (1/2, 3/4)                        sigma'(z^1) = (1/4, 3/16)
#   z^2 = 2(1/2) - 4(3/4) + 2 = 0           a^2 = 1/2                       sigma'(z^2) = 1/4
#   C = (1/1) 1/2 (1/2 - 1/4)^2 = 1/32
# Backward:
#   delta^2 = (1/n_L)(a^2 - y) sigma'(z^2) = (1/4)(1/4) = 1/16
#   grad W^2 = delta^2 (a^1)^T = [[1/32, 3/64]]            grad b^2 = (1/16)
#   delta^1 = (W^2)^T delta^2 ⊙ sigma'(z^1) = (2/16, -4/16) ⊙ (1/4, 3/16) = (1/32, -3/64)
#   grad W^1 = delta^1 x^T = [[1/32, 2/32], [-3/64, -6/64]] = [[1/32, 1/16], [-3/64, -3/32]]
#   grad b^1 = delta^1 = (1/32, -3/64)
EXACT_221 = (
    [(arr([[0.5, -0.25], [0.0, 0.5]]), arr([0.0, LN3 - 1.0])), (arr([[2.0, -4.0]]), arr([2.0]))],
    arr([1.0, 2.0]),
    arr([0.25]),
)
EXACT_221_PAPER = dict(
    a2=1 / 2, C=1 / 32,
    grads=[([[1 / 32, 1 / 16], [-3 / 64, -3 / 32]], [1 / 32, -3 / 64]), ([[1 / 32, 3 / 64]], [1 / 16])],
)

# ---- 2-2-1 network, generic values (nothing special about them) -------------------------------------------
GENERIC_221 = (
    [(arr([[0.3, -0.7], [1.1, 0.4]]), arr([0.05, -0.2])), (arr([[-1.3, 0.8]]), arr([0.25]))],
    arr([0.9, -0.4]),
    arr([0.6]),
)


def expected_221(net):
    """The seed's forward and backward pass for a 2-2-1 net, on Python floats, one scalar at a time."""
    (W1, b1), (W2, b2) = ([W.tolist(), b.tolist()] for W, b in net[0])
    x, y = net[1].tolist(), net[2].tolist()
    n_L = 1
    # forward: z^1_j = sum_k w^1_jk x_k + b^1_j, a^1_j = sigma(z^1_j)
    z1 = [W1[j][0] * x[0] + W1[j][1] * x[1] + b1[j] for j in range(2)]
    a1 = [sig(z) for z in z1]
    # z^2 = sum_k w^2_1k a^1_k + b^2, a^2 = sigma(z^2)
    z2 = W2[0][0] * a1[0] + W2[0][1] * a1[1] + b2[0]
    a2 = sig(z2)
    C = (1 / n_L) * 0.5 * (a2 - y[0]) ** 2
    # backward: delta^2 = (1/n_L)(a^2 - y) a^2 (1 - a^2)
    d2 = (1 / n_L) * (a2 - y[0]) * a2 * (1 - a2)
    gW2 = [[d2 * a1[0], d2 * a1[1]]]
    gb2 = [d2]
    # delta^1_k = w^2_1k delta^2 * a^1_k (1 - a^1_k)      ((W^2)^T delta^2 ⊙ sigma'(z^1))
    d1 = [W2[0][k] * d2 * a1[k] * (1 - a1[k]) for k in range(2)]
    gW1 = [[d1[j] * x[k] for k in range(2)] for j in range(2)]
    gb1 = d1
    return dict(a2=a2, C=C, grads=[(gW1, gb1), (gW2, gb2)])


def test_exact_221_paper_values_match_math_exp():
    """The fractions derived on paper above are what the step-by-step math.exp computation gives."""
    e = expected_221(EXACT_221)
    assert e["a2"] == approx(EXACT_221_PAPER["a2"])
    assert e["C"] == approx(EXACT_221_PAPER["C"])
    for (gW, gb), (pW, pb) in zip(e["grads"], EXACT_221_PAPER["grads"]):
        assert np.ravel(gW).tolist() == approx(np.ravel(pW).tolist())
        assert list(gb) == approx(list(pb))


NETS_221 = [pytest.param(EXACT_221, id="2-2-1,exact"), pytest.param(GENERIC_221, id="2-2-1,generic")]


@pytest.mark.parametrize("f", FORWARDS)
@pytest.mark.parametrize("net", NETS_221)
def test_221_forward(f, net):
    out = f(net[0], net[1])
    assert out.shape == (1,) and out.dtype == np.float64
    assert out.tolist() == approx([expected_221(net)["a2"]])


@pytest.mark.parametrize("f", COSTS)
@pytest.mark.parametrize("net", NETS_221)
def test_221_cost(f, net):
    assert float(f(*net)) == approx(expected_221(net)["C"])


@pytest.mark.parametrize("f", GRADS)
@pytest.mark.parametrize("net", NETS_221)
def test_221_grad(f, net):
    assert_grads(f(*net), expected_221(net)["grads"])


@pytest.mark.parametrize("f", GRADS)
def test_221_exact_grad_against_paper_fractions(f):
    assert_grads(f(*EXACT_221), EXACT_221_PAPER["grads"])


# ---- two outputs: the 1/n_L ----------------------------------------------------------------------------------
# 1-2 net: x = (1/2), W = [[2], [-2]], b = (-1, 1 + ln 3), y = (1, 0).
#   z = (2(1/2) - 1, -2(1/2) + 1 + ln 3) = (0, ln 3)        a = (1/2, 3/4)      sigma' = (1/4, 3/16)
#   a - y = (-1/2, 3/4)
#   C = (1/n_L) sum_j 1/2 (a_j - y_j)^2 = (1/2)(1/2)(1/4 + 9/16) = (1/4)(13/16) = 13/64
#       (without the 1/n_L it would be 13/32: twice as much)
#   delta = (1/n_L)(a - y) ⊙ sigma' = (1/2)(-1/2 * 1/4, 3/4 * 3/16) = (-1/16, 9/128)
#   grad W = delta x^T = [[-1/32], [9/256]]                 grad b = (-1/16, 9/128)
TWO_OUT = ([(arr([[2.0], [-2.0]]), arr([-1.0, 1.0 + LN3]))], arr([0.5]), arr([1.0, 0.0]))


def two_out_expected():
    x, y = 0.5, [1.0, 0.0]
    n_L = 2
    z = [2.0 * x - 1.0, -2.0 * x + 1.0 + LN3]
    a = [sig(zj) for zj in z]
    C = (1 / n_L) * sum(0.5 * (a[j] - y[j]) ** 2 for j in range(2))
    delta = [(1 / n_L) * (a[j] - y[j]) * a[j] * (1 - a[j]) for j in range(2)]
    assert a == approx([1 / 2, 3 / 4])
    assert C == approx(13 / 64)
    assert delta == approx([-1 / 16, 9 / 128])
    return a, C, [([[delta[0] * x], [delta[1] * x]], delta)]


@pytest.mark.parametrize("f", FORWARDS)
def test_two_outputs_forward(f):
    a, _, _ = two_out_expected()
    assert f(*TWO_OUT[:2]).tolist() == approx(a)


@pytest.mark.parametrize("f", COSTS)
def test_two_outputs_cost_divides_by_n_L(f):
    _, C, _ = two_out_expected()
    c = float(f(*TWO_OUT))
    assert c == approx(C)
    assert c == approx(13 / 64)
    assert c != approx(13 / 32)  # the sum without 1/n_L


@pytest.mark.parametrize("f", GRADS)
def test_two_outputs_grad_divides_by_n_L(f):
    _, _, g = two_out_expected()
    got = f(*TWO_OUT)
    assert_grads(got, g)
    assert_grads(got, [([[-1 / 32], [9 / 256]], [-1 / 16, 9 / 128])])


# ---- a batch of 2: the mean ----------------------------------------------------------------------------------
# 1-1 net w = 2, b = -1 (as ONE_A). Example 1: x = 1/2, y = 1 -> z = 0: C_1 = 1/8, delta_1 = -1/8,
#   grad w_1 = -1/16, grad b_1 = -1/8.
# Example 2: x = (1 + ln 3)/2, y = 0 -> z = 2x - 1 = ln 3, a = 3/4: C_2 = 9/32, delta_2 = 9/64,
#   grad w_2 = (9/64) x_2, grad b_2 = 9/64.
# Batch = mean: C = (1/8 + 9/32)/2 = 13/64; grad b = (-1/8 + 9/64)/2 = 1/128; grad w = (-1/16 + (9/64) x_2)/2.
X2 = (1.0 + LN3) / 2
BATCH = ([(arr([[2.0]]), arr([-1.0]))], arr([[0.5], [X2]]), arr([[1.0], [0.0]]))


def batch_expected():
    rows = []
    for x, y in ((0.5, 1.0), (X2, 0.0)):
        z = 2.0 * x - 1.0
        a = sig(z)
        C = 0.5 * (a - y) ** 2
        delta = (a - y) * a * (1 - a)
        rows.append((a, C, delta * x, delta))
    a = [r[0] for r in rows]
    C = (rows[0][1] + rows[1][1]) / 2
    gw = (rows[0][2] + rows[1][2]) / 2
    gb = (rows[0][3] + rows[1][3]) / 2
    assert a == approx([1 / 2, 3 / 4])
    assert C == approx(13 / 64)
    assert gb == approx(1 / 128)
    assert gw == approx((-1 / 16 + 9 / 64 * X2) / 2)
    return a, C, [([[gw]], [gb])]


@pytest.mark.parametrize("f", FORWARDS)
def test_batch_forward(f):
    a, _, _ = batch_expected()
    out = f(*BATCH[:2])
    assert out.shape == (2, 1)
    assert out.ravel().tolist() == approx(a)


@pytest.mark.parametrize("f", COSTS)
def test_batch_cost_is_the_mean(f):
    _, C, _ = batch_expected()
    params, X, Y = BATCH
    assert float(f(params, X, Y)) == approx(C)
    singles = [float(f(params, X[i], Y[i])) for i in range(2)]
    assert float(f(params, X, Y)) == approx(sum(singles) / 2)


@pytest.mark.parametrize("f", BATCH_GRADS)
def test_batch_grad_is_the_mean(f):
    _, _, g = batch_expected()
    params, X, Y = BATCH
    assert_grads(f(params, X, Y), g)
    singles = [manual.backprop(params, X[i], Y[i]) for i in range(2)]
    mean = [((sW1 + sW2) / 2, (sb1 + sb2) / 2) for (sW1, sb1), (sW2, sb2) in zip(*singles)]
    assert_grads(f(params, X, Y), [(W.tolist(), b.tolist()) for W, b in mean])


# ---- sigmoid -----------------------------------------------------------------------------------------------


def test_sigmoid_at_zero_is_exactly_half():
    assert manual.sigmoid(np.float64(0.0)) == 0.5
    assert manual.sigmoid(np.array([0.0, -0.0])).tolist() == [0.5, 0.5]
    assert manual.sigmoid(np.array([0.0], np.float32)).tolist() == [0.5]


def test_sigmoid_at_ln3_is_three_quarters():
    assert float(manual.sigmoid(np.float64(LN3))) == approx(0.75)
    assert float(manual.sigmoid(np.float64(-LN3))) == approx(0.25)


U64 = 2.0 ** -53  # unit roundoff of float64
U32 = 2.0 ** -24  # unit roundoff of float32


def sig_ref(z: float) -> float:
    """sigma(z) on Python floats, the accurate branch for each sign: 1/(1 + e^{-z}) or e^{z}/(1 + e^{z})."""
    return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))


@given(st.floats(-700.0, 700.0))
def test_sigmoid_symmetry_and_formula(z):
    """sigma(-z) = 1 - sigma(z), and sigma is within a few units of roundoff (absolute) of the formula.

    The bound is absolute, not relative: near a = 1, 1 - a is only known to ~u whatever the formula, and the
    implementation documents an absolute error of about u everywhere (so tiny sigma(-40) may be 0)."""
    s, s_neg = float(manual.sigmoid(np.float64(z))), float(manual.sigmoid(np.float64(-z)))
    assert 0.0 <= s <= 1.0 and 0.0 <= s_neg <= 1.0
    assert s + s_neg == pytest.approx(1.0, rel=0, abs=4 * U64)
    assert s == pytest.approx(sig_ref(z), rel=0, abs=4 * U64)


def test_sigmoid_is_monotone_and_matches_on_a_grid():
    z = np.linspace(-40, 40, 8001)
    s = manual.sigmoid(z)
    assert np.all(np.diff(s) >= 0)
    ref = np.array([sig_ref(v) for v in z.tolist()])
    assert np.max(np.abs(s - ref)) <= 4 * U64
    assert s[4000] == 0.5  # z = 0


EXTREMES = [1e300, -1e300, 745.0, -745.0, 710.0, -710.0, 800.0, -800.0, 0.0]


@pytest.mark.parametrize("shape", ["scalar", "array"])
def test_sigmoid_extremes_float64_no_warnings(shape):
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        if shape == "array":
            s = manual.sigmoid(np.array(EXTREMES))
        else:
            s = np.array([manual.sigmoid(np.float64(v)) for v in EXTREMES])
    assert s.dtype == np.float64
    assert np.isfinite(s).all() and (s >= 0).all() and (s <= 1).all()
    got = dict(zip(EXTREMES, s.tolist()))
    assert got[1e300] == 1.0 and got[745.0] == 1.0 and got[710.0] == 1.0 and got[800.0] == 1.0
    assert got[-1e300] == 0.0 and got[-800.0] == 0.0
    # sigma(-710) = e^{-710}/(1 + e^{-710}) ~ 4.5e-309: 0 or that subnormal, both within the absolute bound
    assert got[-710.0] == pytest.approx(math.exp(-710.0), rel=0, abs=U64)
    assert got[-745.0] == pytest.approx(math.exp(-745.0), rel=0, abs=U64)
    assert got[0.0] == 0.5


def test_sigmoid_float32_stays_float32_no_warnings():
    z = np.array([-1e30, -1e3, -104.0, -88.0, -20.0, -1.0, 0.0, 1.0, 20.0, 88.0, 1e3, 1e30], np.float32)
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        s = manual.sigmoid(z)
        s0 = manual.sigmoid(np.float32(-88.0))
        s2 = manual.sigmoid(z.reshape(3, 4))
        s_neg = manual.sigmoid(-z)
    assert s.dtype == np.float32 and np.asarray(s0).dtype == np.float32 and s2.dtype == np.float32
    assert s2.shape == (3, 4)
    assert np.isfinite(s).all() and (s >= 0).all() and (s <= 1).all()
    assert s[6] == np.float32(0.5)
    assert s[0] == 0 and s[-1] == 1
    ref = np.array([sig_ref(v) for v in z.astype(np.float64).clip(-700, 700).tolist()])
    assert np.max(np.abs(s.astype(np.float64) - ref)) <= 4 * U32
    assert np.max(np.abs(s_neg.astype(np.float64) + s - 1.0)) <= 4 * U32


def test_sigmoid_does_not_modify_its_input():
    for z in (np.array([-3.0, 0.0, 2.5]), np.array([[1.0, -1.0]], np.float32)):
        before = z.copy()
        manual.sigmoid(z)
        assert np.array_equal(z, before) and z.dtype == before.dtype
    ro = np.array([0.0, 1.0])
    ro.flags.writeable = False
    assert manual.sigmoid(ro)[0] == 0.5


def test_sigmoid_does_not_warn_under_pytest_warns_either():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        manual.sigmoid(np.array([-1e300, -745.0, -710.0, 710.0, 745.0, 1e300]))
        manual.sigmoid(np.array([-1e30, -104.0, 104.0, 1e30], np.float32))
    assert caught == []
