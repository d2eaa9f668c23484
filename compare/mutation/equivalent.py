"""Mutants of ``manual/`` known to be equivalent, each with the reason. Keyed as ``Mutant.key``: (file, function,
statement before, statement after), so an entry survives lines moving above it but not an edit of its statement.

An entry is listed only when its reason holds for every input the public functions of ``manual`` accept (sigmoid,
forward, cost, grad, backprop, train, accuracy, ...: Python scalars, 0-d arrays, ints and bools, float32, values
at the ends of the range), not only for what the suite draws: the same values, dtypes, shapes and types, the same
exceptions. Three kinds of difference are allowed, and the reason says which: the words of an error message (the
same exception, raised for the same inputs), the sign of a zero (-0.0 == 0.0), and what a caller who set
``np.seterr(under=...)`` sees (the package assumes NumPy's default for underflow: sigmoid of a subnormal z
underflows too). A fourth kind is marked ``ROUNDING``: a mutant that takes another exact route (a power-of-two
scale, the careful recomputation, a margin of the careful code's own guard) and may change a result's last bits,
with a reason showing that on every input its error stays within what ``manual/careful.py`` documents, under the
rounding error a right computation may have there (so no tolerance built from rounding-error bounds can tell
it from the original, and none should). ``python -m compare mutate`` reads this list: a survivor not on it is a
gap in the suite; a listed mutant that is killed is a wrong entry.
"""

_T = "t = (np.finfo(A.dtype).maxexp - 2 - int(np.ceil(np.log2(max(A.shape[-1], 1))))) // 2"
_EXP_ROWS = "return np.frexp(np.max(np.abs(arr), axis=axis, initial=0))[1].astype(np.intc)"
_EXP_ALL = "return int(np.frexp(np.max(np.abs(arr)))[1]) if arr.size else 0"
_SIGMOID = "a = np.multiply(z, 0.5, out=np.empty(z.shape, z.dtype if z.dtype.kind == 'f' else np.float64))"
_GRAD_RANGE = "_check_range([(l, g) for l, pair in enumerate(grads, start=1) for g in pair], 'the gradient', dtype)"
_WHERE = "where = f' of layer {l}' if l else ''"
_LAYER_0 = ("one more delta, for layer 0, is computed and never used (under the caller's errstate: an overflow there "
            "is silent)")
ROUNDING = "ROUNDING (not bit for bit): "
_COST_SCALED = ("the same sums in the same order on (a - y) 2^-e, scaled back by 2^(2e) (exact). Power-of-two "
                "scaling commutes with rounding while nothing is subnormal, so the bits are the same except where a "
                "scaled square falls below the smallest normal: a loss under n_L 2^-1072 of C (float32: "
                "n_L 2^-147), at most one ulp of C")
_GUARD = ("_lossy's test is computed on the scaled As and Ws actually used, and its premise (every scaled entry "
          "below 2^t) still holds, so every element it leaves alone has lost under u/16 of its scaled sum of "
          "|products| S and every other is recomputed by _elements_scaled: the same error guarantee as the "
          "original, ")
_CAREFUL_GRAD = 'return _in_range(_grad, params, X, Y, params[0][0].dtype, _forward_all, _sigma_prime)'
_ONE_DTYPE = "check_params makes every W and b of a network share one dtype: any of them names it"
_WIDTH = "every array here is non-empty: check_params refuses a layer of width 0 and check_inputs an empty batch"
_MESSAGE = "only the words of the ValueError's message change (which layer it names); the same inputs are refused"
_ERRSTATE = "with np.errstate(over='ignore', under='ignore', invalid='ignore'):"
_ALREADY = ("errstate sets only the keys it is given, and every call of _rows_scaled already runs with overflow and "
            "invalid ignored: _z_scaled sets all three around its call, and _grad_careful runs only from _in_range, "
            "which grad, backprop and train call inside np.errstate(over='ignore', invalid='ignore')")
_SIZE = "size = 1.0 if F is None else np.abs(F)"
_LOSSY = "return (S * size * (float(fi.eps) / 32) <= n * 2.0 ** (t + 2) * eta * size + eta) & (size != 0)"
_BLOCK = ("def _elements_scaled(A: np.ndarray, W: np.ndarray, factor: np.ndarray | None, I: np.ndarray, "
          "J: np.ndarray, block: int=1 << 16) -> np.ndarray:")
_STEP = "step = max(1, block // max(n, 1))"
_LOWEST = "lowest = 2 * (fi.minexp - fi.nmant + 1)"
_E = "E = np.where((ma != 0) & (mw != 0), p, lowest).max(axis=1, initial=lowest)"
_PER_STEP = ("only how many elements share a step changes, never a value: each element is one row of the step's "
             "arrays (frexp, the products and ldexp act element by element, and np.sum(axis=1) reduces each "
             "C-contiguous row on its own, pairwise, whatever the number of rows)")
_LOWER = ("lowest only has to be at most every ea + ew of a nonzero product (frexp's exponent of the smallest "
          "subnormal is minexp - nmant + 1, so those are >= 2 (minexp - nmant + 1)): any lower value leaves E the "
          "element's largest such ea + ew, and an element with no nonzero product sums only +-0 terms (ma mw = "
          "0), +-0 whatever E is")
_RAISED = ("E changes only for an element whose every nonzero product has ea + ew < the new lowest L (all below "
           "2^(L - 1)); its n terms are below 1 either way, so both results are below n 2^L in size (factor <= 1/4), "
           "under half the smallest subnormal for any n an array can have (n < 2^860 in float64, 2^54 in float32): "
           "+-0 from both")

_C = "int(np.ceil(np.log2(max(A.shape[-1], 1))))"
_NO_OVERFLOW = ("t rises by at most 1 and only when ceil(log2 n) is odd or n is not a power of two, so that still "
                "2t <= maxexp - 1 - log2 n: each scaled |product| is < 2^(2t) and every sum of n of them, partial sums "
                "in any order included (rounding is monotone and k 2^(2t) is representable), is <= 2^(maxexp - 1), "
                "finite, as is S and its product by a factor <= 1/4. ")
_SUPERSET = ("the mutant marks a superset of the elements the original marks (up to the rounding of S itself), "
             "and every marked element is recomputed by _elements_scaled, at least as accurate as the scaled sum "
             "(its terms keep 2^-1074 of the element's own largest product, not of its rows'); an extra marked "
             "element whose row of A or W is zero or whose factor is 0 comes out +-0 from it, as from Zs: only the "
             "sign of a zero and the time change")
_MARGIN = ("the guard's bound on an unmarked element's loss moves by a factor k <= n (n the summed width): what an "
           "element left alone may have lost, under n 2^(t + 2) eta size + eta, is then under k u/16 S size <= "
           "n u/16 S size, far under the n u S size of rounding error its n-term sum carries in any right "
           "computation (and bound.py's gamma(n) |W|^T |delta| allows)")
_ALWAYS_CAREFUL = ("every call takes _grad_careful instead of the plain gradient (the plain one is never all NaN: "
                   "grad b^L sums delta^L = (a - y) sigma' / (n_L m), finite for the finite x and y check_inputs "
                   "lets in), on float64 copies for a float32 net: the same mathematics with scaled, "
                   "exactly rescaled products and the recomputation, to the same guarantee, +-inf (then refused) "
                   "only where a true element is beyond range; other bits, slower")

_MA_ONE = ("frexp's mantissa is never 1, so the test becomes mw != 0 alone: an exact 0 of A meeting a "
           "nonzero W_jk counts as a product of exponent ew_jk. E can only rise, and a real term is lost only when "
           "it is under 2^-1074 of 2^ew_jk, i.e. under eta |W_jk| (eta: the smallest subnormal). The elements "
           "_elements_scaled recomputes come from the backward products (an overflowing z has a product near the "
           "largest value, so it is never lossy): in grad W and grad b the other operand is a or 1 (ew <= 1), so "
           "a lost term is below 2 eta, under the element's absolute rounding floor; in (W^l)^T delta^l, A is "
           "delta, whose entries carry an absolute error of up to eta in any floating-point backprop (underflow; "
           "bound.py's e_delta >= eta), which |W_jk| carries into this element: the loss is under the error a "
           "right computation may have there")

EQUIVALENT: dict[tuple[str, str, str, str], str] = {
    # ---- network.py ----------------------------------------------------------------------------------------
    ('network.py', 'sigmoid', _SIGMOID, _SIGMOID.replace("np.multiply(z, 0.5,", "np.multiply(0.5, z,")):
        'z * 0.5 = 0.5 * z exactly, into the same out= array: the same loop for every dtype sigmoid accepts (a Python '
        'float is a weak scalar on either side); checked on scalars, 0-d arrays, ints, bools, float16/32/64/128',
    ('network.py', '_real_array', "if z.dtype.kind not in 'fiub':", 'pass'):
        "message only: a complex, string, bytes, object, datetime, timedelta or structured z still raises a TypeError "
        "(NumPy's UFuncTypeError, a TypeError subclass, from the multiply into a float out= array) with NumPy's "
        "words instead of ours",
    ('network.py', '_forward_all', 'Z += b', 'Z = Z + b'):
        'a fresh array instead of adding in place: Z is (m, n_l) and b (n_l,) of the same dtype, the same values',
    ('network.py', '_forward_all', 'if not np.isfinite(Z).all():', 'if True:'):
        '_z_scaled computes A @ W.T + b with the same product and replaces only the elements that are not finite '
        '(none when this test is false): the same values, slower',
    ('network.py', '_forward_all', 'Z *= 0.5', 'Z = Z * 0.5'):
        'a fresh array instead of halving in place: Z is always 2-D here (X is), the same values and dtype',
    ('network.py', 'forward', 'return a_L if x.ndim == 2 else a_L[0]', 'return a_L if x.ndim == 2 else a_L[-1]'):
        'one example is one row of X: a_L[-1] is a_L[0]',
    ('network.py', 'cost', 'per_example = 0.5 * np.sum((a_L - Y) ** 2, axis=1) / n_L',
     'per_example = 0.5 * np.sum((Y - a_L) ** 2, axis=1) / n_L'):
        '(y - a)^2 = (a - y)^2 exactly (negation is exact)',
    ('network.py', 'cost', 'C = C if np.isfinite(C) else _cost_scaled(a_L, Y)',
     'C = C if np.isfinite(C) else _cost_scaled(Y, a_L)'):
        "_cost_scaled uses R = a - y only through R * R and |R| (negation is exact), and Y has a_L's shape",
    ('network.py', 'cost', "_check_range([(0, C)], 'the cost', dtype)", "_check_range([(1, C)], 'the cost', dtype)"):
        _MESSAGE,
    ('network.py', 'cost', "_check_range([(0, C)], 'the cost', dtype)", "_check_range([(-1, C)], 'the cost', dtype)"):
        _MESSAGE,
    ('network.py', '_grad', 'delta *= 1.0 / (n_L * m)', 'delta = delta * (1.0 / (n_L * m))'):
        'a fresh array instead of scaling in place: the same values',
    ('network.py', '_grad', 'delta *= _sigma_prime(a_L)', 'delta = delta * _sigma_prime(a_L)'):
        'a fresh array instead of multiplying in place: the same values',
    ('network.py', '_grad', 'delta *= _sigma_prime(a_prev)', 'delta = delta * _sigma_prime(a_prev)'):
        'a fresh array instead of multiplying in place: the same values',
    ('network.py', '_grad', 'if l > 1:', 'if l >= 1:'):
        _LAYER_0,
    ('network.py', '_grad', 'if l > 1:', 'if l > 0:'):
        _LAYER_0,
    ('network.py', '_grad', 'if l > 1:', 'if True:'):
        _LAYER_0,
    ('network.py', '_sigma_prime', 's *= a', 's = s * a'):
        'a fresh array instead of multiplying in place: a is always a 2-D activation array here, the same values',
    # ---- backprop.py ---------------------------------------------------------------------------------------
    ('backprop.py', '_backprop', 'n_L = y.shape[0]', 'n_L = y.shape[-1]'):
        'y is 1-D here (backprop refuses a batch before this): shape[-1] is shape[0]',
    ('backprop.py', '_backprop', 'zs.append(z)', 'pass'):
        "zs is never read (sigma' comes from the activations)",
    ('backprop.py', '_backprop', 'for l in range(L, 0, -1):', 'for l in range(L, -1, -1):'):
        'an extra iteration l = 0 fills grads[0] (an outer product of delta^1 and a^L), which grads[1:] drops',
    ('backprop.py', '_backprop', 'grad_W = delta @ activations[l - 1].T', 'grad_W = delta * activations[l - 1].T'):
        "(n, 1) * (1, n') broadcasts to the outer product, each element the one product delta_i a_j rounded once, "
        "as in the matmul; only a zero's sign can differ (delta_i < 0 and a_j = 0 gives -0.0 here, +0.0 from the "
        'matmul), and -0.0 == 0.0',
    ('backprop.py', '_backprop', 'grad_b = delta[:, 0]', 'grad_b = delta[:, -1]'):
        'delta is a column (n_l, 1): column -1 is column 0',
    ('backprop.py', '_backprop', 'if l > 1:', 'if l >= 1:'):
        _LAYER_0,
    ('backprop.py', '_backprop', 'if l > 1:', 'if l > 0:'):
        _LAYER_0,
    ('backprop.py', '_backprop', 'if l > 1:', 'if True:'):
        _LAYER_0,
    # ---- careful.py ----------------------------------------------------------------------------------------
    ('careful.py', '_exponent', 'if axis is None:', 'pass'):
        'axis=None then takes the row branch, which gives the same exponent as a NumPy integer (np.intc), and '
        '_cost_scaled, its one caller, gives the same cost with it in float32 and float64',
    ('careful.py', '_exponent', _EXP_ALL, _EXP_ALL.replace("else 0", "else 1")):
        f'only for an empty array: {_WIDTH}',
    ('careful.py', '_exponent', _EXP_ALL, _EXP_ALL.replace("else 0", "else -1")):
        f'only for an empty array: {_WIDTH}',
    ('careful.py', '_exponent', _EXP_ALL, _EXP_ALL.replace("if arr.size", "if True")):
        f'the size test only matters for an empty array: {_WIDTH}',
    ('careful.py', '_exponent', _EXP_ROWS, _EXP_ROWS.replace(", initial=0", "")):
        f'initial only matters for an empty row (max |row| >= 0 > -1 otherwise): {_WIDTH}',
    ('careful.py', '_exponent', _EXP_ROWS, _EXP_ROWS.replace("initial=0", "initial=-1")):
        f'initial only matters for an empty row (max |row| >= 0 > -1 otherwise): {_WIDTH}',
    ('careful.py', '_rows_scaled', _T, _T.replace("max(A.shape[-1], 1)", "max(1, A.shape[-1])")):
        'max is symmetric',
    ('careful.py', '_rows_scaled', _T, _T.replace("A.shape[-1]", "A.shape[1]")):
        'A is 2-D at every call (activations, a.T, delta, delta.T): shape[1] is shape[-1]',
    ('careful.py', '_rows_scaled', _T, _T.replace("max(A.shape[-1], 1)", "max(A.shape[-1], 0)")):
        f'the summed width n is at least 1, so max(n, 0) = max(n, 1): {_WIDTH}',
    ('careful.py', '_rows_scaled', _T, _T.replace("max(A.shape[-1], 1)", "max(A.shape[-1], 2)")):
        't changes only for n = 1, where every element is one product of two rows that hold one entry each, both '
        "scaled into [2^(t-1), 2^t): at either t nothing underflows or overflows (times a factor sigma' >= 2^-56 "
        'or 0), and scaling by a power of two commutes with rounding, so the same values',
    ('careful.py', '_z_scaled', "with np.errstate(over='ignore', invalid='ignore', under='ignore'):",
     "with np.errstate(over='ignore', invalid='ignore'):"):
        "the underflow setting only: NumPy's default ignores underflow, and only a caller who set "
        "np.seterr(under='raise' or 'warn') sees a difference (an underflow in the scaled products raises or warns)",
    ('careful.py', '_rows_scaled', 'Zs *= factor', 'Zs = Zs * factor'):
        "a fresh array instead of multiplying in place: factor has Zs's shape, the same values",
    ('careful.py', '_check_range', _WHERE, _WHERE.replace("if l else", "if False else")):
        _MESSAGE,
    ('careful.py', '_check_range', _WHERE, _WHERE.replace("if l else", "if True else")):
        "only the words of the ValueError's message change (the cost's refusal names a layer 0); the same inputs "
        'are refused',
    ('careful.py', '_cost_scaled', 'R = a_L - Y', 'R = Y - a_L'):
        "R is used only through R * R and |R| (negation is exact)",
    ('careful.py', '_cost_scaled', 'R = a_L - Y', 'R = a_L + Y'):
        "reached only when the plain cost overflowed, so some |y| > 2^54 (float32: 2^25) and the sum of squares "
        "is beyond the dtype's max: where |y| > 2^54, a in [0, 1] makes a + y and a - y both round to +-y; "
        "elsewhere (a + y)^2 and (a - y)^2 differ by 4ay < 2^56, under half an ulp of any partial sum that holds a "
        "term beyond 2^970 (float32: 2^27 and 2^103), so every rounding comes out the same",
    ('careful.py', '_in_range', _GRAD_RANGE, _GRAD_RANGE.replace("start=1", "start=0")):
        _MESSAGE,
    ('careful.py', '_in_range', _GRAD_RANGE, _GRAD_RANGE.replace("start=1", "start=2")):
        _MESSAGE,
    ('careful.py', '_in_range', _GRAD_RANGE, _GRAD_RANGE.replace(", start=1", "")):
        _MESSAGE,
    ('careful.py', '_grad_careful', 'if l > 1:', 'if l >= 1:'):
        _LAYER_0,
    ('careful.py', '_grad_careful', 'if l > 1:', 'if l > 0:'):
        _LAYER_0,
    ('careful.py', '_grad_careful', 'if l > 1:', 'if True:'):
        _LAYER_0,
    ('careful.py', '_grad_careful',
     'grads.append((_rows_scaled(delta.T, a_prev.T), _rows_scaled(delta.T, ones)[:, 0]))',
     'grads.append((_rows_scaled(delta.T, a_prev.T), _rows_scaled(delta.T, ones)[:, -1]))'):
        'ones is (1, m), so the product has one column: -1 is 0',
    ('careful.py', '_rows_scaled', _ERRSTATE, "with np.errstate(under='ignore', invalid='ignore'):"):
        _ALREADY,
    ('careful.py', '_rows_scaled', _ERRSTATE, "with np.errstate(over='ignore', under='ignore'):"):
        _ALREADY,
    ('careful.py', '_rows_scaled', _ERRSTATE, "with np.errstate(over='ignore', invalid='ignore'):"):
        "the underflow setting only: NumPy's default ignores underflow, and only a caller who set "
        "np.seterr(under='raise' or 'warn') sees a difference (_z_scaled ignores it around its own call anyway)",
    ('careful.py', '_rows_scaled', 'if I.size:', 'if True:'):
        'with no element to recompute, _elements_scaled runs no step and returns an empty array, and Z[I, J] = it '
        'changes nothing',
    ('careful.py', '_lossy', 'eta, n = (float(fi.smallest_subnormal), As.shape[-1])',
     'eta, n = (float(fi.smallest_subnormal), As.shape[1])'):
        'As is 2-D at every call (a row-scaled A): shape[1] is shape[-1]',
    ('careful.py', '_lossy', _SIZE, _SIZE.replace("1.0 if", "0.5 if")):
        'only without a factor: both sides of the test are then halved exactly. The right side, n 2^(t + 2) eta '
        '(+ eta, absorbed: far below its ulp), is a normal number in both dtypes; the left, S eps/32, is halved '
        'exactly unless it is subnormal, and then both sides compare it with a number >= 2^-600 (float32: 2^-90): '
        'true either way. NaN and inf stay what they are',
    ('careful.py', '_lossy', _SIZE, _SIZE.replace("1.0 if", "2.0 if")):
        'only without a factor: both sides of the test are then doubled exactly (S <= n 2^(2t) <= 2^(emax - 2) '
        'cannot overflow; the right side stays normal, its + eta absorbed; a subnormal left side is below the right '
        'one either way). NaN and inf stay what they are',
    ('careful.py', '_lossy', _SIZE, _SIZE.replace("np.abs(F)", "F")):
        "the factor is sigma'(a) = (1 - a) a with a in [0, 1] (_grad_careful, the one caller that passes one): "
        "never negative, never -0.0, so |F| is F bit for bit",
    ('careful.py', '_lossy', _SIZE, _SIZE.replace("F is None", "True")):
        ROUNDING + "the guard ignores the factor. Without one it is the original (size = 1.0 either way). With one "
        "(sigma'(a) in [0, 1/4], from _grad_careful only, in float64: a float32 net's careful path runs on float64 "
        "copies) an element whose factor is 0 may now be marked, and _elements_scaled gives it (total * 0) 2^E = "
        "+-0, as Zs * 0 was (S finite, so Zs is): only a zero's sign. An element with a nonzero factor that the "
        "mutant leaves alone has S u/16 > n 2^(t + 2) eta + eta (its left side S 2^-57 is then normal, exact: t >= "
        "479 for any n an array can have), so its scaled sum lost under n 2^(t + 2) eta < u/16 S (the guard's "
        "premise: t and the scaling are unchanged), under u/16 S size once times the factor, as in the original; "
        "what changes is the one rounding of Zs F into the scaled subnormals, under min(eta/2, |Zs F|). For size "
        ">= 2^-(t + 3)/n that is under eta/2 < u S 2^-(t + 7)/n <= u/16 S size, the original's own margin. Below "
        "(size < 2^-482) the rounded product is Zs F (1 + theta) with |theta| <= 1: Zs times a sigma' in [0, "
        "2 sigma'], and there every right sigma' formula's error bound must allow sigma' itself, since NumPy's "
        "1/2 + tanh(z/2)/2 (bound.py's table) gives sigma = 0, so sigma' = 0, for every z below about -38 (the "
        "bound's absolute floor, 8u, is 2^430 times more): the element is a right computation's sum, within the "
        "original's guarantee, times a sigma' within that error",
    ('careful.py', '_lossy', _LOSSY, _LOSSY.replace("size != 0", "size != -1")):
        'size is never negative: the mutant also marks elements whose factor is 0 (their test reads 0 <= eta when '
        'S is finite); _elements_scaled gives them (total * 0) 2^E = +-0, as Zs * 0 was: only the sign of a zero '
        'may change',
    ('careful.py', '_elements_scaled', _BLOCK, _BLOCK.replace("1 << 16", "0 << 16")):
        _PER_STEP + ' (one element a step)',
    ('careful.py', '_elements_scaled', _BLOCK, _BLOCK.replace("1 << 16", "1 << 15")):
        _PER_STEP + ' (steps half as large)',
    ('careful.py', '_elements_scaled', _BLOCK, _BLOCK.replace("1 << 16", "2 << 16")):
        _PER_STEP + ' (steps twice as large: twice the memory at most)',
    ('careful.py', '_elements_scaled', _BLOCK, _BLOCK.replace("1 << 16", "1 << 17")):
        _PER_STEP + ' (steps twice as large: twice the memory at most)',
    ('careful.py', '_elements_scaled', 'n = A.shape[-1]', 'n = A.shape[1]'):
        'A is 2-D at every call: shape[1] is shape[-1]',
    ('careful.py', '_elements_scaled', _LOWEST, _LOWEST.replace("2 *", "3 *")):
        _LOWER,
    ('careful.py', '_elements_scaled', _LOWEST, _LOWEST.replace("+ 1)", "- 1)")):
        _LOWER,
    ('careful.py', '_elements_scaled', _LOWEST, _LOWEST.replace("+ 1)", "+ 0)")):
        _LOWER,
    ('careful.py', '_elements_scaled', _LOWEST, _LOWEST.replace("+ 1)", "+ 2)")):
        _RAISED,
    ('careful.py', '_elements_scaled', _LOWEST, _LOWEST.replace("fi.minexp - fi.nmant", "fi.minexp + fi.nmant")):
        _RAISED,
    ('careful.py', '_elements_scaled', _STEP, 'step = max(block // max(n, 1), 1)'):
        'max is symmetric',
    ('careful.py', '_elements_scaled', _STEP, 'step = max(1, block // max(1, n))'):
        'max is symmetric',
    ('careful.py', '_elements_scaled', _STEP, 'step = max(1, block // max(n, 0))'):
        f'the summed width n is at least 1, so max(n, 0) = max(n, 1): {_WIDTH}',
    ('careful.py', '_elements_scaled', _STEP, 'step = max(1, block // max(n, 2))'):
        _PER_STEP + ' (for n = 1, steps half as large)',
    ('careful.py', '_elements_scaled', _STEP, 'step = max(2, block // max(n, 1))'):
        _PER_STEP + ' (for n > block / 2, two elements a step instead of one: twice the memory at most)',
    ('careful.py', '_elements_scaled', _E, _E.replace(", initial=lowest", "")):
        f'initial only matters for an empty row (every element has n >= 1 products): {_WIDTH}',
    ('careful.py', '_elements_scaled', 'total *= mf', 'total = total * mf'):
        'a fresh array instead of multiplying in place: total is a fresh array of the step, read nowhere else',
    ('careful.py', '_elements_scaled', 'E = E + ef', 'E += ef'):
        "in place instead of a fresh array: E is the step's own (from .max), and E and ef are both np.intc",
    ('train.py', 'train',
     'step_size = m if batch_size is None else min(batch_size, m)',
     'step_size = m if batch_size is None else min(m, batch_size)'):
        'min of two ints is symmetric (check_train_args makes batch_size an int >= 1)',
    ('train.py', 'train', 'if step_size == m:', 'if False:'):
        'when one step holds all m examples the mutant permutes them first: the same one step on the same rows, '
        'summed in another order (within the bound, which allows any order; train draws no other permutation '
        'while every step holds all m). Not bit for bit: the docstring\'s W - eta * grad(params, X, Y) exactly is '
        'checked by tests/test_train.py, not by the suite',
    ('train.py', '_careful_grad', _CAREFUL_GRAD, _CAREFUL_GRAD.replace('params[0][0]', 'params[-1][0]')):
        _ONE_DTYPE,
    ('train.py', '_careful_grad', _CAREFUL_GRAD, _CAREFUL_GRAD.replace('params[0][0]', 'params[0][-1]')):
        _ONE_DTYPE,
    ('train.py', '_careful_grad', _CAREFUL_GRAD, _CAREFUL_GRAD.replace('params[0][0]', 'params[0][1]')):
        _ONE_DTYPE,
    ('train.py', '_epoch', 'if all((np.isfinite(a).all() for pair in current for a in pair)):', 'pass'):
        'every epoch is redone with _careful_grad, which returns the plain gradient wherever that is finite '
        '(careful._in_range): the same steps bit for bit, at twice the work',
    ('network.py', 'cost', 'C = C if np.isfinite(C) else _cost_scaled(a_L, Y)',
     'C = C if np.isnan(C) else _cost_scaled(a_L, Y)'):
        ROUNDING + "C is never NaN (check_inputs refuses non-finite x and y, a is in [0, 1]), so the mutant always "
        "takes _cost_scaled: " + _COST_SCALED,
    ('network.py', 'cost', 'C = C if np.isfinite(C) else _cost_scaled(a_L, Y)',
     'C = C if False else _cost_scaled(a_L, Y)'):
        ROUNDING + "the mutant always takes _cost_scaled: " + _COST_SCALED,
    ('careful.py', '_exponent', _EXP_ROWS, _EXP_ROWS.replace("initial=0", "initial=1")):
        ROUNDING + "a row whose largest |entry| is below 1/2 (or 0) gets exponent 1 instead of its own, so "
        "_rows_scaled scales it up less (ldexp still exact: up, and never past 2^t). " + _GUARD + "whichever "
        "elements it marks",
    ('careful.py', '_lossy', _LOSSY, _LOSSY.replace("/ 32", "/ 31")):
        ROUNDING + "the guard's margin moves from u/16 to u/15.5 of S: an element left alone may have lost up to "
        "u/15.5 S instead of u/16 S, both far under the n u S a scaled sum of n products carries anyway (and the "
        "reference's tolerance admits)",
    ('careful.py', '_elements_scaled', _STEP, 'step = max(1, max(n, 1) // block)'):
        _PER_STEP + ' (one element a step until n >= 2 block, then n // block: more memory for n > 2^17 only)',
    ('careful.py', '_elements_scaled', _E, _E.replace("(ma != 0)", "(ma != 1)")):
        ROUNDING + _MA_ONE,
    ('backprop.py', '_backprop', 'if not np.isfinite(z).all():', 'if not np.isnan(z).all():'):
        ROUNDING + "the mutant redoes every z that is not all NaN (a finite z is kept by _z_scaled, so the same "
        "bits) and skips only an all-NaN z; sigma(NaN) is NaN, so every later a, delta and every gradient is NaN, "
        "and _in_range then recomputes the whole gradient by _grad_careful, network's forward pass with the "
        "overflow redone and scaled backward products: right to the same guarantee, in other bits",
    # ---- careful.py: t, the guard and the recomputation (ROUNDING, reasons argued per entry) ---------------
    ('careful.py', '_rows_scaled', _T, "t = 2 // (np.finfo(A.dtype).maxexp - 2 - " + _C + ")"):
        ROUNDING + "t = 0 (the divisor is > 2 for any n an array can have): less headroom is never an overflow, "
        "and " + _GUARD + "with 2^t = 1: a term's entries lose eta/2 each times the other (< 1) and its product "
        "eta/2, under the 2^(t + 2) eta per term the guard allows",
    ('careful.py', '_rows_scaled', _T, "t = (" + _C + " - (np.finfo(A.dtype).maxexp - 2)) // 2"):
        ROUNDING + "t < 0 (about -(maxexp - 2)/2): no overflow, but the guard's n 2^(t + 2) eta no longer covers "
        "the eta/2 a subnormal product rounds to, so its premise fails; the bound that holds instead: a term "
        "loses under 2^t eta + eta/2 <= eta, the n terms under n eta, times size, plus eta/2 for the product by F. "
        "An element left unmarked has S size u/16 > eta (the right side is >= eta), so S u/16 > eta/size >= eta "
        "and its loss is under n u/16 S size + u/32 S size <= (n + 1) u/16 S size, under the n u S size of "
        "rounding error its n-term sum carries in any right computation (up to the rounding of S itself)",
    ('careful.py', '_rows_scaled', _T, "t = (2 - np.finfo(A.dtype).maxexp - " + _C + ") // 2"):
        ROUNDING + "2t <= 2 - maxexp - log2 n, so S <= n 2^(2t) <= 2^minexp (the smallest normal) and S size "
        "eps/32 rounds to 0 <= the right side: every element with a nonzero factor and nonzero rows is "
        "recomputed by _elements_scaled, the rest are +-0 as in the original (a zero row or factor), or "
        "non-finite as there (an inf in A, whatever t): the original's own recomputation everywhere, slower",
    ('careful.py', '_rows_scaled', _T, _T.replace("maxexp - 2", "maxexp - 1")):
        ROUNDING + _NO_OVERFLOW + _GUARD + "whichever elements it marks",
    ('careful.py', '_rows_scaled', _T, _T.replace("np.ceil", "np.floor")):
        ROUNDING + _NO_OVERFLOW + _GUARD + "whichever elements it marks",
    ('careful.py', '_rows_scaled', _T, _T.replace("maxexp - 2", "maxexp - 3")):
        ROUNDING + "t falls by at most 1 (still >= 0): more headroom, no overflow. " + _GUARD + "whichever "
        "elements it marks",
    ('careful.py', '_rows_scaled', _T, _T.replace(") // 2", ") // 3")):
        ROUNDING + "t is about a third of the range instead of half (still >= 0 for any n an array can have): "
        "more headroom, no overflow. " + _GUARD + "whichever elements it marks",
    ('careful.py', '_rows_scaled',
     'I, J = np.nonzero(_lossy(As, Ws, F, t) & A.any(axis=1)[:, None] & W.any(axis=1)[None, :])',
     'I, J = np.nonzero(_lossy(As, Ws, F, t) & A.any(axis=1)[:, None] | W.any(axis=1)[None, :])'):
        ROUNDING + "(lossy & A.any) | W.any: every element with a nonzero row of W is recomputed, " + _SUPERSET
        + " (an inf in A makes both non-finite: _elements_scaled's term inf * mw, the original's Zs)",
    ('careful.py', '_rows_scaled',
     'I, J = np.nonzero(_lossy(As, Ws, F, t) & A.any(axis=1)[:, None] & W.any(axis=1)[None, :])',
     'I, J = np.nonzero((_lossy(As, Ws, F, t) | A.any(axis=1)[:, None]) & W.any(axis=1)[None, :])'):
        ROUNDING + "every element with nonzero rows is recomputed, " + _SUPERSET + " (an inf in A makes both "
        "non-finite: _elements_scaled's term inf * mw, the original's Zs)",
    ('careful.py', '_lossy', 'eta, n = (float(fi.smallest_subnormal), As.shape[-1])',
     'eta, n = (float(fi.smallest_subnormal), As.shape[-0])'):
        ROUNDING + "n becomes r, the number of rows of A (>= 1): when r >= n the guard marks a superset (harmless, "
        "see below); otherwise " + _MARGIN.replace("a factor k <= n", "a factor n/r <= n"),
    ('careful.py', '_lossy', 'eta, n = (float(fi.smallest_subnormal), As.shape[-1])',
     'eta, n = (float(fi.smallest_subnormal), As.shape[-2])'):
        ROUNDING + "As is 2-D: shape[-2] is r, the number of rows of A (>= 1): when r >= n the guard marks a "
        "superset; otherwise " + _MARGIN.replace("a factor k <= n", "a factor n/r <= n"),
    ('careful.py', '_lossy', 'S = np.abs(As) @ np.abs(Ws).T', 'S = As @ np.abs(Ws).T'):
        ROUNDING + "|As_ik| |Ws_jk| >= As_ik |Ws_jk| term by term, so the mutant's S' <= S (a negative S' passes "
        "the test): " + _SUPERSET,
    ('careful.py', '_lossy', 'S = np.abs(As) @ np.abs(Ws).T', 'S = np.abs(As) @ Ws.T'):
        ROUNDING + "|As_ik| |Ws_jk| >= |As_ik| Ws_jk term by term, so the mutant's S' <= S (a negative S' passes "
        "the test): " + _SUPERSET,
    ('careful.py', '_lossy', _LOSSY, _LOSSY.replace("& (size != 0)", "| (size != 0)")):
        ROUNDING + "every element with a nonzero factor is marked (and those with factor 0 where the test holds): "
        + _SUPERSET,
    ('careful.py', '_lossy', _LOSSY, _LOSSY.replace("<=", "<")):
        ROUNDING + "only an element whose two sides are exactly equal is no longer marked; its loss is under the "
        "right side, which then equals S size u/16: the original's own margin",
    ('careful.py', '_lossy', _LOSSY, _LOSSY.replace("/ 32", "// 32")):
        ROUNDING + "eps // 32 = 0.0: the left side is 0 (NaN where S is, as before) and every element with a "
        "nonzero factor and finite S is marked: " + _SUPERSET,
    ('careful.py', '_lossy', _LOSSY, _LOSSY.replace("/ 32", "/ 33")):
        ROUNDING + "the margin tightens from u/16 to u/16.5 of S: " + _SUPERSET,
    ('careful.py', '_lossy', _LOSSY, _LOSSY.replace("eta * size + eta", "eta + size + eta")):
        ROUNDING + "the right side n 2^(t + 2) eta + size + eta is >= the original's (size <= 1): " + _SUPERSET,
    ('careful.py', '_lossy', _LOSSY, _LOSSY.replace("* eta * size", "/ eta * size")):
        ROUNDING + "the right side is n 2^(t + 2) / eta size, beyond 2^1000 (or inf) for a nonzero size: " + _SUPERSET,
    ('careful.py', '_lossy', _LOSSY,
     _LOSSY.replace("n * 2.0 ** (t + 2) * eta * size", "(n * 2.0 ** (t + 2) + eta) * size")):
        ROUNDING + "the right side loses its factor eta, so it is >= the original's: " + _SUPERSET,
    ('careful.py', '_lossy', _LOSSY, _LOSSY.replace("n * 2.0 ** (t + 2) * eta", "(n + 2.0 ** (t + 2)) * eta")):
        ROUNDING + "n 2^(t + 2) / (n + 2^(t + 2)) <= n: " + _MARGIN,
    ('careful.py', '_lossy', _LOSSY, _LOSSY.replace("2.0 ** (t + 2)", "3.0 ** (t + 2)")):
        ROUNDING + "3^(t + 2) >= 2^(t + 2) (t >= 0; finite, under 2^820): " + _SUPERSET,
    ('careful.py', '_lossy', _LOSSY, _LOSSY.replace("(t + 2)", "(t + 1)")):
        ROUNDING + "the right side halves, but the loss it bounds is a term's 2^t eta + eta/2 <= 2^(t + 1) eta "
        "(t >= 0): the premise still holds with 2^(t + 1), so every unmarked element lost under u/16 of S size",
    ('careful.py', '_lossy', _LOSSY, _LOSSY.replace("(t + 2)", "(t + 3)")):
        ROUNDING + "a larger right side: " + _SUPERSET,
    ('careful.py', '_lossy', _LOSSY, _LOSSY.replace("(t + 2)", "(t - 2)")):
        ROUNDING + "the right side falls by 16 (its eta term kept): an unmarked element's loss, under "
        "n 2^(t + 2) eta size + eta/2, is under 16 (S size u/16) = u S size, and there is a loss only for n >= 2 "
        "(with one entry a row, both entries are their rows' largest, scaled into [2^(t-1), 2^t), normal): under "
        "the n u S size of rounding error an n-term sum carries",
    ('careful.py', '_elements_scaled', 'n = A.shape[-1]', 'n = A.shape[-0]'):
        _PER_STEP + " (block // r elements a step, r the rows of A, instead of block // n)",
    ('careful.py', '_elements_scaled', 'n = A.shape[-1]', 'n = A.shape[-2]'):
        _PER_STEP + " (A is 2-D: block // r elements a step, r the rows of A, instead of block // n)",
    ('careful.py', '_elements_scaled', _LOWEST, "lowest = 2 + (fi.minexp - fi.nmant + 1)"):
        ROUNDING + "L = minexp - nmant + 3 (-1071; float32 -146): E changes only for an element whose every "
        "nonzero product has ea + ew < L, so it is below 2^(L - 1), and the element under n 2^(L - 1), a few "
        "eta. Its terms ma mw 2^(p - L) are still >= 2^(2 (minexp - nmant + 1) - L - 2) = 2^-1077 (float32 "
        "2^-152), so the sum loses under n eta/2 there, 2^(L - 1075) in the result, and the result is rounded "
        "once into the subnormals by ldexp, as in the original: off by under eta/2 + gamma(n) S both",
    ('careful.py', '_elements_scaled', _LOWEST, "lowest = 1 * (fi.minexp - fi.nmant + 1)"):
        ROUNDING + "L = minexp - nmant + 1 (-1073; float32 -148): E changes only for an element whose every "
        "nonzero product has ea + ew < L, below 2^(L - 1) = eta each; its terms ma mw 2^(p - L) stay >= 2^-1075 "
        "(float32 2^-150) and lose under eta/2 each, 2^(L - 1075) in the result, far under the one rounding "
        "into the subnormals (eta/2) that the original's result takes too",
    ('careful.py', '_elements_scaled', _E, _E.replace("(ma != 0)", "(ma != -1)")):
        ROUNDING + "(ma != -1) is (ma != 1) here, frexp's mantissa being neither: " + _MA_ONE,
    ('careful.py', '_finite', 'return all((np.isfinite(g).all() for pair in grads for g in pair))',
     'return all((np.isnan(g).all() for pair in grads for g in pair))'):
        ROUNDING + _ALWAYS_CAREFUL,
    ('careful.py', '_in_range', 'if _finite(grads):', 'pass'):
        ROUNDING + "the early return goes: " + _ALWAYS_CAREFUL,
    ('careful.py', '_grad_careful', 'ones = np.ones((1, m), delta.dtype)', 'ones = np.ones((2, m), delta.dtype)'):
        ROUNDING + "a second row of ones, whose column [:, 1] is never read: each element of _rows_scaled depends "
        "only on its own row of A and of W (t on the width m, unchanged), so column 0 is the same computation, "
        "except that the matmul may take another kernel and sum the same m products in another order (within "
        "gamma(m), which any right computation may take)",
}
