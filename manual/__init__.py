"""Hand-derived backpropagation in NumPy, and the parameter format both backends share.

    from manual import init_params, grad
    params = init_params([64, 30, 10], seed=0)
    grads = grad(params, x, y)          # [(grad W^1, grad b^1), ...]
"""

from .backprop import backprop
from .network import cost, forward, grad, sigmoid
from .params import Params, check_inputs, check_params, init_params, load_params, save_params, sizes_of

__all__ = [
    "Params", "backprop", "check_inputs", "check_params", "cost", "forward", "grad", "init_params",
    "load_params", "save_params", "sigmoid", "sizes_of",
]
