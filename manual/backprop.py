"""The seed's backpropagation for one example, written exactly as derived: column vectors and a loop.

The algorithm is written independently of ``network.grad`` (which is vectorised over a batch): every step
names the seed's equation it implements, and the two agree by test, not by sharing code. Only the overflow
fallback is shared with ``grad``: ``careful.py`` (which recomputes with ``network``'s forward pass and sigma'),
because that is range handling, not the derivation, and the oracle checks both functions against jax.grad.
"""

from __future__ import annotations

import numpy as np

from .careful import _in_range, _z_scaled
from .network import _forward_all, _sigma_prime, sigmoid
from .params import Params, check_inputs, check_params


def backprop(params: Params, x, y) -> Params:
    """Gradient of C = (1/n_L) sum_j 1/2 (a_j^L - y_j)^2 for ONE example x (n_0,), y (n_L,).

    Returns ``[(grad W^l, grad b^l), ...]`` with the shapes of ``params``. Use ``grad`` for a batch.
    """
    params, dtype = check_params(params)
    x, y = check_inputs(params, dtype, x, y)
    if x.ndim != 1:
        raise ValueError(f"backprop takes one example, x of shape (n_0,), got {x.shape}; use grad for a batch")
    with np.errstate(over="ignore", invalid="ignore"):   # a true gradient beyond range is refused by _in_range
        return _in_range(_backprop, params, x, y, dtype, _forward_all, _sigma_prime)


def _backprop(params: Params, x: np.ndarray, y: np.ndarray) -> Params:
    """The algorithm itself, on validated arrays."""
    L = len(params)
    n_L = y.shape[0]

    # Forward pass, keeping every z^l and a^l as column vectors (n_l x 1).
    a = x[:, None]                                   # a^0 = x
    zs, activations = [None], [a]                    # index l holds z^l, a^l
    for W, b in params:
        z = W @ a + b[:, None]                       # z_j^l = sum_k w_jk a_k^{l-1} + b_j
        if not np.isfinite(z).all():                 # |W| |a| near the dtype's limit: see careful._z_scaled
            z = _z_scaled(a.T, W, b).T
        a = sigmoid(z)                               # a_j^l = sigma(z_j^l)
        zs.append(z)
        activations.append(a)

    def sigma_prime(l):
        a_l = activations[l]
        return a_l * (1 - a_l)                       # dsigma/dz^l = sigma(z^l)(1 - sigma(z^l)) = a^l (1 - a^l)

    dC_da = (activations[L] - y[:, None]) / n_L      # dC/da_j^L = (1/n_L)(a_j^L - y_j)
    delta = dC_da * sigma_prime(L)                   # delta^L = (1/n_L)(a^L - y) ⊙ dsigma/dz^L

    grads: list = [None] * (L + 1)
    for l in range(L, 0, -1):
        grad_W = delta @ activations[l - 1].T        # grad W^l = delta^l (a^{l-1})^T   (outer product)
        grad_b = delta[:, 0]                         # grad b^l = delta^l
        grads[l] = (grad_W, grad_b)
        if l > 1:
            W_next = params[l - 1][0]                # W^l, which connects layer l-1 to layer l
            delta = (W_next.T @ delta) * sigma_prime(l - 1)   # delta^{l-1} = (W^l)^T delta^l ⊙ dsigma/dz^{l-1}
    return grads[1:]
