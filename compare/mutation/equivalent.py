"""Mutants of ``manual/`` known to be equivalent for the suite (no input to grad, cost or backprop gives a
different verdict), each with the reason. Keyed as ``Mutant.key``: (file, function, statement before,
statement after). ``python -m compare mutate`` reads this list: a survivor not on it is a gap in the suite; a
listed mutant that is killed is a wrong entry."""

EQUIVALENT: dict[tuple[str, str, str, str], str] = {
    ('network.py', '_forward_all',
     'Z += b',
     'Z = Z + b'):
        'a copy of a fresh array instead of adding in place: the same values',
    ('network.py', '_forward_all',
     'Z *= 0.5',
     'Z = Z * 0.5'):
        'a copy of a fresh array instead of halving in place: the same values',
    ('network.py', 'cost',
     'C = C if np.isfinite(C) else _cost_scaled(a_L, Y)',
     'C = C if np.isfinite(C) else _cost_scaled(Y, a_L)'):
        "(y - a)^2 = (a - y)^2, and Y has a_L's shape",
    ('network.py', 'sigmoid',
     'z = _real_array(z)',
     'pass'):
        "sigmoid's own argument check: grad, cost and backprop pass it float arrays only (test_bad_input.py checks it)",
    ('network.py', 'sigmoid',
     "a = np.multiply(z, 0.5, out=np.empty(z.shape, z.dtype if z.dtype.kind == 'f' else np.float64))",
     "a = np.multiply(0.5, z, out=np.empty(z.shape, z.dtype if z.dtype.kind == 'f' else np.float64))"):
        'z * 0.5 = 0.5 * z exactly (a product by a power of two, and multiplication commutes)',
    ('network.py', 'sigmoid',
     "a = np.multiply(z, 0.5, out=np.empty(z.shape, z.dtype if z.dtype.kind == 'f' else np.float64))",
     'a = np.multiply(z, 0.5)'):
        "without out= the product is a fresh array of the same dtype (z's float dtype; float64 for ints)",
    ('network.py', '_sigmoid_from_half',
     't *= 0.5',
     't = t * 0.5'):
        'a fresh array instead of halving in place: every caller uses the returned t, the same values',
    ('network.py', '_sigmoid_from_half',
     't += 0.5',
     't = t + 0.5'):
        'a fresh array instead of adding in place: every caller uses the returned t, the same values',
    ('network.py', 'forward',
     'x = check_x(params, dtype, x)',
     'pass'):
        "forward's own argument check: the suite passes it valid arrays of the network's dtype (test_bad_input.py "
        "checks it)",
    ('network.py', '_real_array',
     "if z.dtype.kind not in 'fiub':",
     'pass'):
        "sigmoid's own argument check: grad, cost and backprop pass it float arrays only (test_bad_input.py checks it)",
    ('careful.py', '_rows_scaled',
     't = (np.finfo(A.dtype).maxexp - 2 - int(np.ceil(np.log2(max(A.shape[-1], 1))))) // 2',
     't = (np.finfo(A.dtype).maxexp - 1 - int(np.ceil(np.log2(max(A.shape[-1], 1))))) // 2'):
        'headroom one bit smaller: a scaled sum still stays below 2^(emax - 1), finite',
    ('careful.py', '_rows_scaled',
     't = (np.finfo(A.dtype).maxexp - 2 - int(np.ceil(np.log2(max(A.shape[-1], 1))))) // 2',
     't = (np.finfo(A.dtype).maxexp - 3 - int(np.ceil(np.log2(max(A.shape[-1], 1))))) // 2'):
        'headroom one bit larger: the scaled small entries lose nothing the bound does not cover',
    ('careful.py', '_rows_scaled',
     't = (np.finfo(A.dtype).maxexp - 2 - int(np.ceil(np.log2(max(A.shape[-1], 1))))) // 2',
     't = (np.finfo(A.dtype).maxexp - 2 - int(np.floor(np.log2(max(A.shape[-1], 1))))) // 2'):
        'floor vs ceil of log2 n: at most one bit less headroom, sums still below 2^(emax - 1)',
    ('careful.py', '_rows_scaled',
     't = (np.finfo(A.dtype).maxexp - 2 - int(np.ceil(np.log2(max(A.shape[-1], 1))))) // 2',
     't = (np.finfo(A.dtype).maxexp - 2 - int(np.ceil(np.log2(max(1, A.shape[-1]))))) // 2'):
        'max is symmetric',
    ('careful.py', '_rows_scaled',
     't = (np.finfo(A.dtype).maxexp - 2 - int(np.ceil(np.log2(max(A.shape[-1], 1))))) // 2',
     't = (np.finfo(A.dtype).maxexp - 2 - int(np.ceil(np.log2(max(A.shape[1], 1))))) // 2'):
        'A is 2-D: shape[1] is shape[-1]',
    ('careful.py', '_rows_scaled',
     't = (np.finfo(A.dtype).maxexp - 2 - int(np.ceil(np.log2(max(A.shape[-1], 1))))) // 2',
     't = (np.finfo(A.dtype).maxexp - 2 - int(np.ceil(np.log2(max(A.shape[-1], 0))))) // 2'):
        'a width is at least 1, so max(n, 0) = max(n, 1)',
    ('careful.py', '_rows_scaled',
     't = (np.finfo(A.dtype).maxexp - 2 - int(np.ceil(np.log2(max(A.shape[-1], 1))))) // 2',
     't = (np.finfo(A.dtype).maxexp - 2 - int(np.ceil(np.log2(max(A.shape[-1], 2))))) // 2'):
        'n = 1 gets one bit more headroom: nothing the bound does not cover is lost',
    ('careful.py', '_rows_scaled',
     'Zs *= factor',
     'Zs = Zs * factor'):
        'a copy of a fresh array instead of multiplying in place: the same values',
    ('careful.py', '_z_scaled',
     "with np.errstate(over='ignore', invalid='ignore', under='ignore'):",
     "with np.errstate(over='ignore', invalid='ignore'):"):
        "underflow is ignored by NumPy's default error state anyway",
    ('careful.py', '_cost_scaled',
     'R = a_L - Y',
     'R = Y - a_L'):
        "only R's square is used",
    ('careful.py', '_exponent',
     'return np.frexp(np.max(np.abs(arr), axis=axis, initial=0))[1].astype(np.intc)',
     'return np.frexp(np.max(np.abs(arr), axis=axis))[1].astype(np.intc)'):
        'initial only matters for an empty row, and no row is empty',
    ('careful.py', '_exponent',
     'return np.frexp(np.max(np.abs(arr), axis=axis, initial=0))[1].astype(np.intc)',
     'return np.frexp(np.max(np.abs(arr), axis=axis, initial=-1))[1].astype(np.intc)'):
        'initial only matters for an empty row, and no row is empty',
    ('careful.py', '_in_range',
     "_check_range([(l, g) for l, pair in enumerate(grads, start=1) for g in pair], 'the gradient', dtype)",
     "_check_range([(l, g) for l, pair in enumerate(grads, start=0) for g in pair], 'the gradient', dtype)"):
        "only the layer number in the error's words changes",
    ('careful.py', '_in_range',
     "_check_range([(l, g) for l, pair in enumerate(grads, start=1) for g in pair], 'the gradient', dtype)",
     "_check_range([(l, g) for l, pair in enumerate(grads, start=2) for g in pair], 'the gradient', dtype)"):
        "only the layer number in the error's words changes",
    ('careful.py', '_in_range',
     "_check_range([(l, g) for l, pair in enumerate(grads, start=1) for g in pair], 'the gradient', dtype)",
     "_check_range([(l, g) for l, pair in enumerate(grads) for g in pair], 'the gradient', dtype)"):
        "only the layer number in the error's words changes",
    ('careful.py', '_grad_careful',
     'if l > 1:',
     'if l >= 1:'):
        'one more delta, for layer 0, is computed and never used',
    ('careful.py', '_grad_careful',
     'if l > 1:',
     'if l > 0:'):
        'one more delta, for layer 0, is computed and never used',
    ('careful.py', '_grad_careful',
     'ones = np.ones((1, m), delta.dtype)',
     'ones = np.ones((2, m), delta.dtype)'):
        'only column 0 of the product is used, and every column is the same',
    ('careful.py', '_grad_careful',
     'grads.append((_rows_scaled(delta.T, a_prev.T), _rows_scaled(delta.T, ones)[:, 0]))',
     'grads.append((_rows_scaled(delta.T, a_prev.T), _rows_scaled(delta.T, ones)[:, -1]))'):
        'the product has one column: -1 is 0',
    ('backprop.py', '_backprop',
     'grad_W = delta @ activations[l - 1].T',
     'grad_W = delta * activations[l - 1].T'):
        "(n, 1) * (1, n') broadcasts to the outer product",
    ('backprop.py', '_backprop',
     'if l > 1:',
     'if l > 0:'):
        'one more delta, for layer 0, is computed and never used',
    ('network.py', 'forward',
     'return a_L if x.ndim == 2 else a_L[0]',
     'return a_L if x.ndim == 2 else a_L[-1]'):
        'one example is one row of X: a_L[-1] is a_L[0]',
    ('network.py', 'cost',
     'x, y = check_inputs(params, dtype, x, y)',
     'pass'):
        "cost's own argument check: the suite passes valid arrays of the network's dtype (test_bad_input.py checks it)",
    ('network.py', 'grad',
     'x, y = check_inputs(params, dtype, x, y)',
     'pass'):
        "grad's own argument check: the suite passes valid arrays of the network's dtype (test_bad_input.py checks it)",
    ('backprop.py', 'backprop',
     'x, y = check_inputs(params, dtype, x, y)',
     'pass'):
        "backprop's own argument check: the suite passes valid arrays of the network's dtype "
        '(test_bad_input.py checks it)',
    ('backprop.py', 'backprop',
     'if x.ndim != 1:',
     'pass'):
        "backprop's refusal of a batch: the suite gives it one example only (test_bad_input.py checks the refusal)",
    ('backprop.py', '_backprop',
     'n_L = y.shape[0]',
     'n_L = y.shape[-1]'):
        'y is 1-D here (one example): shape[-1] is shape[0]',
    ('network.py', 'cost',
     'per_example = 0.5 * np.sum((a_L - Y) ** 2, axis=1) / n_L',
     'per_example = 0.5 * np.sum((Y - a_L) ** 2, axis=1) / n_L'):
        '(y - a)^2 = (a - y)^2 exactly',
    ('network.py', 'cost',
     'C = C if np.isfinite(C) else _cost_scaled(a_L, Y)',
     'C = C if np.isnan(C) else _cost_scaled(a_L, Y)'):
        'C is never NaN (a in [0, 1], y finite: (a - y)^2 is finite or +inf), so every cost goes through '
        '_cost_scaled, the same sums scaled by powers of two',
    ('network.py', 'cost',
     "_check_range([(0, C)], 'the cost', dtype)",
     "_check_range([(1, C)], 'the cost', dtype)"):
        "the number only names a layer in the refusal's message",
    ('network.py', 'cost',
     "_check_range([(0, C)], 'the cost', dtype)",
     "_check_range([(-1, C)], 'the cost', dtype)"):
        "the number only names a layer in the refusal's message",
    ('network.py', '_grad',
     'delta *= 1.0 / (n_L * m)',
     'delta = delta * (1.0 / (n_L * m))'):
        'a fresh array instead of scaling in place: the same values',
    ('network.py', '_grad',
     'delta *= _sigma_prime(a_L)',
     'delta = delta * _sigma_prime(a_L)'):
        'a fresh array instead of multiplying in place: the same values',
    ('network.py', '_grad',
     'delta *= _sigma_prime(a_prev)',
     'delta = delta * _sigma_prime(a_prev)'):
        'a fresh array instead of multiplying in place: the same values',
    ('network.py', '_sigma_prime',
     's *= a',
     's = s * a'):
        'a fresh array instead of multiplying in place: the same values',
    ('network.py', '_grad',
     'if l > 1:',
     'if l >= 1:'):
        "computes a delta^0 no gradient uses (under grad's errstate: an overflow there is silent)",
    ('network.py', '_grad',
     'if l > 1:',
     'if l > 0:'):
        "computes a delta^0 no gradient uses (under grad's errstate: an overflow there is silent)",
    ('network.py', '_real_array',
     "z = _as_array(z, 'z')",
     'pass'):
        "sigmoid's own argument conversion: the suite passes it arrays (test_bad_input.py checks lists and others)",
    ('careful.py', '_exponent',
     'if axis is None:',
     'pass'):
        'axis=None then takes the row branch, which gives the same exponent as a NumPy integer',
    ('careful.py', '_exponent',
     'return int(np.frexp(np.max(np.abs(arr)))[1]) if arr.size else 0',
     'return int(np.frexp(np.max(np.abs(arr)))[1]) if arr.size else 1'):
        'only for an empty array, and every layer has a width of at least 1',
    ('careful.py', '_exponent',
     'return int(np.frexp(np.max(np.abs(arr)))[1]) if arr.size else 0',
     'return int(np.frexp(np.max(np.abs(arr)))[1]) if arr.size else -1'):
        'only for an empty array, and every layer has a width of at least 1',
    ('careful.py', '_rows_scaled',
     't = (np.finfo(A.dtype).maxexp - 2 - int(np.ceil(np.log2(max(A.shape[-1], 1))))) // 2',
     't = 2 // (np.finfo(A.dtype).maxexp - 2 - int(np.ceil(np.log2(max(A.shape[-1], 1)))))'):
        't = 0: rows scaled below 1 instead of 2^t, more headroom; an entry is lost only below 2^-1074 of '
        "its row's largest, far under the bound gamma sum |w||a|",
    ('careful.py', '_rows_scaled',
     't = (np.finfo(A.dtype).maxexp - 2 - int(np.ceil(np.log2(max(A.shape[-1], 1))))) // 2',
     't = (np.finfo(A.dtype).maxexp - 2 - int(np.ceil(np.log2(max(A.shape[-1], 1))))) // 3'):
        'a smaller t: more headroom; what is lost to underflow stays far under the bound',
    ('careful.py', '_cost_scaled',
     'R = a_L - Y',
     'R = a_L + Y'):
        'reached only when some |y| > ~1e154 (float64): a in [0, 1] then changes the sums by a relative '
        '1e-154 or less, far under rounding',
    ('careful.py', '_finite',
     'return all((np.isfinite(g).all() for pair in grads for g in pair))',
     'return all((np.isnan(g).all() for pair in grads for g in pair))'):
        'plain gradients are never all NaN, so every gradient goes through _grad_careful, which gives the '
        'same values (slower)',
    ('careful.py', '_in_range',
     'if _finite(grads):',
     'pass'):
        'every gradient goes through _grad_careful, which gives the same values (slower)',
    ('careful.py', '_exponent',
     'return np.frexp(np.max(np.abs(arr), axis=axis, initial=0))[1].astype(np.intc)',
     'return np.frexp(np.max(np.abs(arr), axis=axis, initial=1))[1].astype(np.intc)'):
        'rows below 1 in size are scaled as if their largest were 1: still exact (ldexp), and a product loses '
        "bits only when both rows are near the subnormals, where the result underflows anyway (the bound's eta)",
    ('backprop.py', '_backprop',
     'if not np.isfinite(z).all():',
     'pass'):
        'a z left non-finite makes the gradient non-finite, and _in_range then recomputes it with _grad_caref'
        'ul: the same result',
    ('backprop.py', '_backprop',
     'if not np.isfinite(z).all():',
     'if np.isfinite(z).all():'):
        'a z left non-finite makes the gradient non-finite, and _in_range then recomputes it with _grad_caref'
        'ul: the same result',
    ('backprop.py', '_backprop',
     'if not np.isfinite(z).all():',
     'if not np.isfinite(z).any():'):
        'a z left non-finite makes the gradient non-finite, and _in_range then recomputes it with _grad_caref'
        'ul: the same result',
    ('backprop.py', '_backprop',
     'if not np.isfinite(z).all():',
     'if not np.isnan(z).all():'):
        'a z left non-finite makes the gradient non-finite, and _in_range then recomputes it with _grad_caref'
        'ul: the same result',
    ('backprop.py', '_backprop',
     'z = _z_scaled(a.T, W, b).T',
     'pass'):
        'a z left non-finite makes the gradient non-finite, and _in_range then recomputes it with _grad_caref'
        'ul: the same result',
    ('backprop.py', '_backprop',
     'zs.append(z)',
     'pass'):
        "zs is never read (sigma' comes from the activations)",
    ('backprop.py', '_backprop',
     'grad_b = delta[:, 0]',
     'grad_b = delta[:, -1]'):
        'delta is a column (n_l, 1): column -1 is column 0',
    ('backprop.py', '_backprop',
     'if l > 1:',
     'if l >= 1:'):
        "computes a delta^0 no gradient uses (under the caller's errstate: an overflow there is silent)",
    ('backprop.py', '_backprop',
     'for l in range(L, 0, -1):',
     'for l in range(L, -1, -1):'):
        'an extra iteration l = 0 fills grads[0] (an outer product of delta^1 and a^L), which grads[1:] drops',
}
